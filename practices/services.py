"""Writes of the practices app: creating practices and moving their revisions through review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.permissions import can_act_for_city
from cities.text import ascii_slug
from rvcu.review import ReviewAction, ReviewState, review_transition

from .models import Practice, PracticeAttachment, PracticeRevision
from .permissions import can_edit_practice

RESERVED_SLUGS = {"new"}  # /my/practices/new/ is the page that creates a practice
EDITABLE_STATES = {ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED}
_REVISION_RELATIONS = ("fields", "objectives", "action_areas", "sdgs")


def practice_create(*, city, title, by, documents=(), **content):
    """A new practice of `city` with a first draft revision; many-to-many tags go in `content`
    as lists (fields, objectives, action_areas, sdgs); `documents` are (title, file) pairs."""
    if not can_act_for_city(by, city):
        raise PermissionDenied(_("You do not coordinate this city."))
    relations = {name: content.pop(name, []) for name in _REVISION_RELATIONS}
    with transaction.atomic():
        practice = Practice.objects.create(
            city=city, slug=_unique_practice_slug(title), created_by=by
        )
        revision = PracticeRevision(practice=practice, number=1, title=title, author=by, **content)
        revision.full_clean(exclude=["practice"])
        revision.save()
        for name, values in relations.items():
            getattr(revision, name).set(values)
        _add_documents(revision, documents)
    return practice, revision


def practice_update(*, practice, by, documents=(), remove_documents=(), **content):
    """Save `content` as the practice's editable revision (a new draft if the current one is
    published); `remove_documents` are file names of attached documents to drop."""
    relations = {name: content.pop(name, None) for name in _REVISION_RELATIONS}
    with transaction.atomic():
        revision = practice_revision_for_editing(practice=practice, by=by)
        for name, value in content.items():
            setattr(revision, name, value)
        revision.author = by
        revision.full_clean(exclude=["practice"])
        revision.save()
        for name, values in relations.items():
            if values is not None:
                getattr(revision, name).set(values)
        if remove_documents:
            revision.attachments.filter(file__in=list(remove_documents)).delete()
        _add_documents(revision, documents)
    return revision


def practice_revision_for_editing(*, practice, by):
    """The revision `by` may edit now: the draft (or sent-back) one, or a new draft copied from
    the published revision. A revision under review must be withdrawn first."""
    if not can_edit_practice(by, practice):
        raise PermissionDenied(_("You cannot edit this practice."))
    latest = practice.latest_revision()
    if latest.state in EDITABLE_STATES:
        return latest
    if latest.state == ReviewState.SUBMITTED:
        raise ValidationError(
            _("This practice is being reviewed: withdraw it to edit it again."),
            code="under_review",
        )
    return _copy_as_draft(latest, by=by)


def practice_submit(*, revision, by):
    return _author_transition(revision, ReviewAction.SUBMIT, by=by)


def practice_withdraw(*, revision, by):
    return _author_transition(revision, ReviewAction.WITHDRAW, by=by)


def practice_request_changes(*, revision, by, message):
    return review_transition(
        item=revision, action=ReviewAction.REQUEST_CHANGES, by=by, message=message
    )


def practice_publish(*, revision, by, message=""):
    """Publish `revision`; the revision it replaces, if any, is archived."""
    with transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=revision.practice_id)
        event = review_transition(
            item=revision, action=ReviewAction.PUBLISH, by=by, message=message
        )
        replaced = practice.published_revision
        if replaced is not None and replaced.pk != revision.pk:
            review_transition(
                item=replaced,
                action=ReviewAction.ARCHIVE,
                by=by,
                message=_("Replaced by revision %(number)s.") % {"number": revision.number},
            )
        practice.published_revision = revision
        practice.save(update_fields=["published_revision"])
    return event


def practice_archive(*, revision, by, message=""):
    """Take a published revision off the portal."""
    with transaction.atomic():
        event = review_transition(
            item=revision, action=ReviewAction.ARCHIVE, by=by, message=message
        )
        Practice.objects.filter(pk=revision.practice_id, published_revision=revision).update(
            published_revision=None
        )
    return event


def _author_transition(revision, action, *, by):
    if not can_edit_practice(by, revision.practice):
        raise PermissionDenied(_("You cannot change this practice."))
    return review_transition(item=revision, action=action, by=by, by_secretariat=False)


def _add_documents(revision, documents):
    for title, file in documents:
        attachment = PracticeAttachment(revision=revision, title=title, file=file)
        attachment.full_clean(exclude=["revision"])
        attachment.save()


def _copy_as_draft(revision, *, by):
    relations = {name: list(getattr(revision, name).all()) for name in _REVISION_RELATIONS}
    attachments = list(revision.attachments.all())
    with transaction.atomic():
        copy = PracticeRevision.objects.get(pk=revision.pk)
        copy.pk = None
        copy.number = revision.practice.revisions.aggregate(last=Max("number"))["last"] + 1
        copy.state = ReviewState.DRAFT
        copy.state_changed_at = timezone.now()
        copy.author = by
        copy.save()
        for name, values in relations.items():
            getattr(copy, name).set(values)
        PracticeAttachment.objects.bulk_create(
            PracticeAttachment(revision=copy, title=item.title, file=item.file)
            for item in attachments
        )
    return copy


def _unique_practice_slug(title):
    base = ascii_slug(title)[:120] or "practice"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or Practice.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug
