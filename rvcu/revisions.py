"""Content reviewed in revisions, shared by practices and partnerships.

A *document* (a practice, a partnership) has `revisions` and a `published_revision`: the public
sees only the revision the secretariat published last, while the coordinators work on the next
one. A revision model subclasses `Revision` and names its document's foreign key
(`document_field`), the many-to-many tags (`copied_relations`) and the rows hanging from it
(`copied_children`, by related name) that a new draft starts from.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.text import ascii_slug, search_key

from .models import FormerAddress
from .retired_files import restore_retired_files, retire_unused_files
from .review import ReviewAction, ReviewedItem, ReviewState, review_transition
from .search import HEAD_LENGTH, StoredSearchVector

EDITABLE_STATES = {ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED}
# The states of a revision that was public once: its document has an address.
EVER_PUBLISHED = {ReviewState.PUBLISHED, ReviewState.ARCHIVED}
# The texts a card shows; the other searched texts are long.
CARD_TEXTS = ("title", "summary")


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_revision__isnull=False)


class Document(models.Model):
    """Abstract: what a practice or a partnership is beside its content. A concrete document
    adds its `published_revision` (a one-to-one field to its revision model), and names its
    public page (`public_url_name`, which takes the slug), its coordinators' page
    (`author_url_name`, which takes the pk) and the slug made when a title gives none.

    The slug is the public address, made from the title when the document is first published
    (see `publish`): a draft has none, so that no draft's title is ever in a URL and nobody
    learns from a "-2" that another city has a draft of the same title."""

    public_url_name = None
    author_url_name = None
    slug_fallback = "document"

    slug = models.SlugField(
        gettext_lazy("slug"),
        max_length=140,
        unique=True,
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "The public address, made from the title at the first publication. If you change "
            "it, the old address keeps leading here."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    # Deleted with the document: its old addresses are free again.
    old_addresses = GenericRelation(FormerAddress)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.slug or f"#{self.pk}"

    def get_absolute_url(self):
        """The public page, or None for a document never published (it has no address)."""
        if not self.slug:
            return None
        return reverse(self.public_url_name, kwargs={"slug": self.slug})

    def get_author_url(self):
        return reverse(self.author_url_name, kwargs={"pk": self.pk})

    def latest_revision(self):
        return latest_revision(self)


class RevisionQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: the published revision of each document."""
        return self.filter(state=ReviewState.PUBLISHED)

    def for_cards(self):
        """Leaves out what a card never shows (the long texts and the search columns): a list
        of twenty would otherwise read about a hundred kilobytes per card from the database."""
        long_texts = [name for name in self.model.searched_texts if name not in CARD_TEXTS]
        return self.defer("search_document", "search_vector", "search_head_vector", *long_texts)


class Revision(ReviewedItem):
    """Abstract: one version of a document's content, reviewed as a whole."""

    document_field = None
    copied_relations = ()
    copied_children = ()
    # The texts the public search looks into, in the order they weigh.
    searched_texts = ()

    number = models.PositiveIntegerField(gettext_lazy("revision"), default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Lower-case ASCII copy of the searched texts, so that search ignores accents and case;
    # PostgreSQL indexes its text-search vector (see rvcu.search).
    search_document = models.TextField(editable=False, blank=True)
    # Its text-search vectors, kept by PostgreSQL itself (see rvcu.search).
    search_vector = models.GeneratedField(
        expression=StoredSearchVector(), output_field=SearchVectorField(), db_persist=True
    )
    search_head_vector = models.GeneratedField(
        expression=StoredSearchVector(head_length=HEAD_LENGTH),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(gettext_lazy("created"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated"), auto_now=True)
    # Counts the saves of the content, so that an edit form shown before someone else's save
    # is refused rather than silently writing over it (see revision_for_editing).
    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_document = self.build_search_document()
        update_fields = kwargs.get("update_fields")
        if self.pk is not None and update_fields is None:
            self.version += 1
        if update_fields is not None and set(update_fields) & set(self.searched_texts):
            kwargs["update_fields"] = {*update_fields, "search_document"}
        super().save(*args, **kwargs)

    @property
    def document(self):
        return getattr(self, self.document_field)

    def build_search_document(self):
        """What `search_document` holds: the searched texts, lower-case and without accents.
        Whoever writes revisions without save() (bulk imports) stores it themselves."""
        return search_key(" ".join(getattr(self, name) or "" for name in self.searched_texts))

    @property
    def is_public(self):
        return self.state == ReviewState.PUBLISHED

    @property
    def edit_version(self):
        """What an edit form carries to say which content it was shown: this revision as saved
        for the `version`-th time (a new draft made from it is another revision)."""
        return f"{self.pk}.{self.version}"


def published_newest_first_index(name):
    """The index of a revision model's public lists: published revisions, newest first (the
    default order), which also counts them without reading the table."""
    return models.Index(
        fields=["-state_changed_at", "id"],
        condition=models.Q(state=ReviewState.PUBLISHED),
        name=name,
    )


def latest_revision(document):
    """The revision its coordinators work on: the newest one."""
    return document.revisions.order_by("-number").first()


def free_slug(text, *, fallback, is_taken):
    """A slug made from `text` (or `fallback`), numbered until `is_taken` says it is free."""
    base = ascii_slug(text)[:120] or fallback
    slug, number = base, 2
    while is_taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def slug_taken(model, slug):
    """Whether `slug` is the address or a former address of a `model` document."""
    return (
        model.objects.filter(slug=slug).exists()
        or former_addresses(model).filter(slug=slug).exists()
    )


def unique_slug(model, text):
    """A free slug for a `model` document made from `text`."""
    return free_slug(
        text, fallback=model.slug_fallback, is_taken=lambda slug: slug_taken(model, slug)
    )


def forget_draft_addresses(document_model):
    """For a migration: the documents never published lose the address made from their first
    title (nobody could have linked to it: a draft's page answers 404)."""
    document_model.objects.filter(published_revision__isnull=True).exclude(
        revisions__state__in=EVER_PUBLISHED
    ).update(slug=None)


def restore_draft_addresses(document_model, *, fallback):
    """For a migration back: give every document without an address one made from its latest
    title, as the slug was then required."""
    taken = set(document_model.objects.exclude(slug=None).values_list("slug", flat=True))
    for document in document_model.objects.filter(slug=None).order_by("pk"):
        latest = document.revisions.order_by("-number").first()
        document.slug = free_slug(
            latest.title if latest else "", fallback=fallback, is_taken=taken.__contains__
        )
        taken.add(document.slug)
        document.save(update_fields=["slug"])


def former_addresses(model):
    return FormerAddress.objects.filter(content_type=ContentType.objects.get_for_model(model))


def give_address(document, text, *, attempts=5):
    """Give `document` its public address, a slug made from `text`. Two publications at once
    may both find the same slug free: the one that writes second gets an IntegrityError, and
    tries again, in a savepoint, with the next free slug."""
    model = type(document)
    for _attempt in range(attempts):
        slug = unique_slug(model, text)
        try:
            with transaction.atomic():
                document.slug = slug
                document.save(update_fields=["slug"])
                return slug
        except IntegrityError:
            document.slug = None
            if not model.objects.filter(slug=slug).exists():
                raise
    raise IntegrityError(f"no free slug for {model.__name__} after {attempts} attempts")


def rename(document, *, old_slug):
    """Keep `old_slug`, the address `document` had before the secretariat changed it, leading
    to its new one (called in the transaction that saves the new slug)."""
    model = type(document)
    addresses = former_addresses(model)
    # Back to a former address: it is the address again, no longer a redirect.
    addresses.filter(object_id=document.pk, slug=document.slug).delete()
    if old_slug and old_slug != document.slug:
        addresses.get_or_create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=document.pk,
            slug=old_slug,
        )


def current_address(model, slug):
    """The public page of the published `model` document once known as `slug`, or None."""
    former = former_addresses(model).filter(slug=slug).first()
    if former is None:
        return None
    document = model.objects.published().filter(pk=former.object_id).first()
    return document.get_absolute_url() if document is not None else None


def save_content(revision, *, by, content):
    """Write `content` into `revision` on behalf of `by`, check it and save it. Many-to-many
    tags (the model's `copied_relations`) go in `content` as lists; one left out (or None)
    is kept."""
    model = type(revision)
    relations = {name: content.pop(name) for name in model.copied_relations if name in content}
    for name, value in content.items():
        setattr(revision, name, value)
    revision.author = by
    revision.full_clean(exclude=[model.document_field])
    revision.save()
    for name, values in relations.items():
        if values is not None:
            getattr(revision, name).set(values)
    return revision


class EditConflict(ValidationError):
    """The content changed since the edit form was shown: `current` is the revision as it is
    now, to show beside what the person wrote."""

    def __init__(self, current):
        super().__init__(
            _(
                "Your changes are not saved yet: someone else saved this page while you were "
                "editing it. Their version is shown beside yours; keep what you want, then save "
                "again."
            ),
            code="edit_conflict",
        )
        self.current = current


def revision_for_editing(document, *, by, under_review_message, edited_version=""):
    """The revision that may be edited now: the draft (or sent-back) one, or a new draft copied
    from the published or archived one. A revision under review must be withdrawn first. The
    caller checks who may edit.

    `edited_version` is the `edit_version` the edit form was shown with: if the content was
    saved since, EditConflict is raised. The document stays locked until the caller's
    transaction ends, so that two saves at once are checked one after the other."""
    with transaction.atomic():
        type(document).objects.select_for_update().get(pk=document.pk)
        latest = latest_revision(document)
        if edited_version and edited_version != latest.edit_version:
            raise EditConflict(latest)
        if latest.state in EDITABLE_STATES:
            return latest
        if latest.state == ReviewState.SUBMITTED:
            raise ValidationError(under_review_message, code="under_review")
        return copy_as_draft(latest, by=by)


def copy_as_draft(revision, *, by):
    """A new draft revision of the same document, with the same content, tags and rows."""
    model = type(revision)
    relations = {name: list(getattr(revision, name).all()) for name in model.copied_relations}
    children = {name: list(getattr(revision, name).all()) for name in model.copied_children}
    with transaction.atomic():
        # Not while rvcu.retired_files moves this document's files (it takes the same lock).
        type(revision.document).objects.select_for_update().get(pk=revision.document.pk)
        copy = model.objects.get(pk=revision.pk)
        copy.pk = None
        copy.number = revision.document.revisions.aggregate(last=Max("number"))["last"] + 1
        copy.state = ReviewState.DRAFT
        copy.state_changed_at = timezone.now()
        copy.author = by
        copy.save()
        for name, values in relations.items():
            getattr(copy, name).set(values)
        for name, rows in children.items():
            parent_field = model._meta.get_field(name).field.name
            for row in rows:
                row.pk = None
                setattr(row, parent_field, copy)
            model._meta.get_field(name).related_model.objects.bulk_create(rows)
        restore_retired_files(copy)
    return copy


def author_transition(revision, action, *, by, allowed):
    """Submit or withdraw `revision` on behalf of one of its authors (`allowed` says whether
    `by` is one)."""
    if not allowed:
        raise PermissionDenied(_("You cannot change this item."))
    return review_transition(item=revision, action=action, by=by, by_secretariat=False)


def request_changes(*, revision, by, message):
    return review_transition(
        item=revision, action=ReviewAction.REQUEST_CHANGES, by=by, message=message
    )


def publish(*, revision, by, message=""):
    """Publish `revision`; the revision it replaces, if any, is archived."""
    document_model = type(revision.document)
    with transaction.atomic():
        document = document_model.objects.select_for_update().get(pk=revision.document.pk)
        if document.slug is None:
            # Before the transition, as it writes the e-mails that link to the public page.
            give_address(document, revision.title)
        # The e-mails and the caller see the document as it is now, with its address.
        setattr(revision, revision.document_field, document)
        event = review_transition(
            item=revision, action=ReviewAction.PUBLISH, by=by, message=message
        )
        replaced = document.published_revision
        if replaced is not None and replaced.pk != revision.pk:
            review_transition(
                item=replaced,
                action=ReviewAction.ARCHIVE,
                by=by,
                message=_("Replaced by revision %(number)s.") % {"number": revision.number},
            )
        document.published_revision = revision
        document.save(update_fields=["published_revision"])
        if replaced is not None and replaced.pk != revision.pk:
            _retire_files_on_commit(replaced)
    return event


def archive(*, revision, by, message=""):
    """Take a published revision off the portal."""
    document_model = type(revision.document)
    with transaction.atomic():
        # The document first, as publish() locks it: the same order cannot deadlock.
        document_model.objects.select_for_update().get(pk=revision.document.pk)
        event = review_transition(
            item=revision, action=ReviewAction.ARCHIVE, by=by, message=message
        )
        document_model.objects.filter(pk=revision.document.pk, published_revision=revision).update(
            published_revision=None
        )
        _retire_files_on_commit(revision)
    return event


def _retire_files_on_commit(revision):
    """Once the archiving is committed, stop serving the files only archived revisions name
    (robust: the review action is done whatever happens to the files)."""
    transaction.on_commit(lambda: retire_unused_files(revision), robust=True)
