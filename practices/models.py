import logging
import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import City, CreativeField
from cities.text import ascii_slug, localized
from cities.validators import validate_not_future_year
from rvcu.fields import PdfField
from rvcu.models import Illustrated
from rvcu.review import ReviewAction
from rvcu.revisions import (
    Document,
    DocumentQuerySet,
    Revision,
    RevisionQuerySet,
    published_newest_first_index,
)

logger = logging.getLogger(__name__)


class MissionTag(models.Model):
    """A tag taken from the network's mission statement or the UN's goals (seeded rows)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=200)
    name_fr = models.CharField(_("name in French"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return localized(self, "name")


class Objective(MissionTag):
    """One of the six objectives of the network's mission statement."""

    class Meta(MissionTag.Meta):
        verbose_name = _("objective of the network")
        verbose_name_plural = _("objectives of the network")


class ActionArea(MissionTag):
    """One of the six areas of action of the network's mission statement."""

    class Meta(MissionTag.Meta):
        verbose_name = _("area of action")
        verbose_name_plural = _("areas of action")


class SustainableDevelopmentGoal(MissionTag):
    """One of the 17 UN Sustainable Development Goals; `position` is its number."""

    class Meta(MissionTag.Meta):
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")


class PracticeLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    OTHER = "other", _("Another language")


class BudgetRange(models.TextChoices):
    UNDER_10K = "under-10k", _("Under 10,000 USD")
    FROM_10K_TO_100K = "10k-100k", _("10,000 to 100,000 USD")
    FROM_100K_TO_1M = "100k-1m", _("100,000 to 1 million USD")
    OVER_1M = "over-1m", _("Over 1 million USD")


class PracticeQuerySet(DocumentQuerySet):
    def with_published_revision(self):
        return self.published().select_related("published_revision", "city__field")

    def for_city(self, city):
        return self.filter(city=city)


class Practice(Document):
    """A good practice of a city. Its content lives in revisions; the public sees only the
    revision the secretariat published last."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="practices"
    )
    published_revision = models.OneToOneField(
        "PracticeRevision",
        verbose_name=_("published revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PracticeQuerySet.as_manager()

    class Meta(Document.Meta):
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    public_url_name = "practices:practice-detail"
    author_url_name = "practices:my-practice"
    slug_fallback = "practice"


class PracticeRevisionQuerySet(RevisionQuerySet):
    def with_card_data(self):
        """What a list of practices shows, in a bounded number of queries."""
        return self.for_cards().select_related("practice__city__field").prefetch_related("fields")


class PracticeRevision(Illustrated, Revision):
    """One version of a practice's content, reviewed as a whole."""

    document_field = "practice"
    copied_relations = ("fields", "objectives", "action_areas", "sdgs")
    copied_children = ("attachments",)
    already_done_messages = {
        ReviewAction.SUBMIT: _("This practice was already submitted."),
        ReviewAction.WITHDRAW: _("This practice was already withdrawn."),
        ReviewAction.PUBLISH: _("This practice was already published."),
        ReviewAction.REQUEST_CHANGES: _("Changes to this practice were already requested."),
        ReviewAction.ARCHIVE: _("This practice was already archived."),
    }
    searched_texts = (
        "title",
        "summary",
        "challenge",
        "actions",
        "results",
        "transferability",
        "partners",
        "target_groups",
    )

    practice = models.ForeignKey(
        Practice, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(_("title"), max_length=200)
    fields = models.ManyToManyField(
        CreativeField, verbose_name=_("creative fields"), related_name="practice_revisions"
    )
    language = models.CharField(
        _("written in"), max_length=10, choices=PracticeLanguage, default=PracticeLanguage.ENGLISH
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("A few plain sentences, no formatting.")
    )
    challenge = models.TextField(_("the challenge it answered"))
    actions = models.TextField(_("what was done"))
    results = models.TextField(_("results and evidence"))
    transferability = models.TextField(_("how another city could adopt it"))
    year_started = models.PositiveSmallIntegerField(
        _("year started"),
        validators=[MinValueValidator(1900), validate_not_future_year],
    )
    is_ongoing = models.BooleanField(_("still going on"), default=True)
    partners = models.TextField(_("partners involved"), blank=True)
    target_groups = models.TextField(_("target groups"), blank=True)
    reaches_vulnerable_groups = models.BooleanField(
        _("reaches disadvantaged or vulnerable groups"), default=False
    )
    budget_range = models.CharField(
        _("budget range"), max_length=20, choices=BudgetRange, blank=True
    )
    contact_role = models.CharField(
        _("contact (role)"),
        max_length=200,
        blank=True,
        help_text=_("A role rather than a name, e.g. 'Head of the culture department'."),
    )
    links = models.TextField(_("links"), blank=True, help_text=_("One web address per line."))
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partnership it came from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="practice_revisions",
        help_text=_("If the practice grew out of a partnership of the network, name it."),
    )
    objectives = models.ManyToManyField(
        Objective, verbose_name=_("objectives served"), related_name="+", blank=True
    )
    action_areas = models.ManyToManyField(
        ActionArea, verbose_name=_("areas of action"), related_name="+", blank=True
    )
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal,
        verbose_name=_("Sustainable Development Goals"),
        related_name="+",
        blank=True,
    )
    objects = PracticeRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice revision")
        verbose_name_plural = _("practice revisions")
        ordering = ["practice", "-number"]
        # Reviewing is not changing: a reviewer publishes what the city wrote, unedited.
        permissions = [
            ("review_practicerevision", "Can publish, archive or request changes to practices")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "number"], name="unique_revision_number_per_practice"
            ),
            models.CheckConstraint(
                condition=models.Q(year_started__gte=1900), name="practice_started_after_1900"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "state_changed_at"], name="practice_review_queue"),
            published_newest_first_index("practice_published_newest"),
        ]

    def __str__(self):
        return f"{self.title} (#{self.number})"

    def get_absolute_url(self):
        return self.practice.get_absolute_url()

    def clean(self):
        super().clean()
        check_web_address = URLValidator(schemes=["http", "https"])
        for link in self.link_list:
            try:
                check_web_address(link)
            except ValidationError:
                raise ValidationError(
                    {
                        "links": _(
                            "“%(link)s” is not a web address: write one address per line, "
                            "starting with https://."
                        )
                        % {"link": link}
                    }
                ) from None

    def get_author_url(self):
        return self.practice.get_author_url()

    def get_review_url(self):
        return reverse("admin:practices_practicerevision_review", args=[self.pk])

    @property
    def review_kind(self):
        return _("good practice")

    @property
    def review_city(self):
        return self.practice.city

    @property
    def html_language(self):
        """The `lang` attribute of the text, when it is written in a language we can name."""
        return "" if self.language == PracticeLanguage.OTHER else self.language

    @property
    def link_list(self):
        return [line.strip() for line in self.links.splitlines() if line.strip()]


def attachment_path(instance, filename):
    """Where an attached PDF is stored: in a folder of its own with an unguessable name, as the
    media files are served without asking who reads them and a draft's documents are not
    public; under a name made from the uploaded one that always ends in .pdf, since the name
    and extension a person uploads with decide nothing (a "probe.html" would be served as a
    web page)."""
    stem = ascii_slug(PurePosixPath(filename).stem)[:80].strip("-") or uuid.uuid4().hex
    return f"documents/practices/{uuid.uuid4().hex}/{stem}.pdf"


class PracticeAttachment(models.Model):
    """A PDF document that goes with a revision (a report, an evaluation, a brochure)."""

    revision = models.ForeignKey(
        PracticeRevision,
        verbose_name=_("practice revision"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("title of the document"), max_length=200)
    file = PdfField(_("PDF file"), upload_to=attachment_path, help_text=_("A PDF, 10 MB at most."))

    class Meta:
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    @property
    def stored_size(self):
        """The file's size in bytes, or None (with a warning logged) when storage has lost the
        file: a page that lists the document must still answer."""
        try:
            return self.file.size
        except OSError:
            logger.warning(
                "Attached document %s (attachment %s) is missing", self.file.name, self.pk
            )
            return None
