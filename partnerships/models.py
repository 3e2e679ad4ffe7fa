import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from cities.models import City, CreativeField
from cities.text import search_key
from practices.models import ActionArea, Objective, SustainableDevelopmentGoal
from rvcu.fields import WebsiteField
from rvcu.models import Illustrated
from rvcu.review import ReviewAction
from rvcu.revisions import (
    Document,
    DocumentQuerySet,
    Revision,
    RevisionQuerySet,
    published_newest_first_index,
)


class PartnershipKind(models.TextChoices):
    JOINT_PROJECT = "joint-project", _("Joint project")
    PILOT = "pilot", _("Pilot initiative")
    EXCHANGE = "exchange", _("Professional or artistic exchange (residency, mobility, training)")
    STUDY = "study", _("Study or evaluation")
    EVENT = "event", _("Festival or event")


class Progress(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Sector(models.TextChoices):
    PUBLIC = "public", _("Public body")
    PRIVATE = "private", _("Private company")
    CIVIL_SOCIETY = "civil-society", _("Civil society organisation")
    RESEARCH = "research", _("University or research body")
    INTERNATIONAL = "international", _("International organisation")


NAME_KEY_LENGTH = 200


class Organisation(models.Model):
    """A partner organisation, known by its name and country, shared by every partnership it
    takes part in. What a partnership says of it (sector, website, role) is that partnership's
    own (`OrganisationRole`): reviewed with it, never shown before it is published."""

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    # The name in lower-case ASCII: "Université de Dakar" and "UNIVERSITE DE DAKAR" are one
    # organisation, on every database.
    name_key = models.CharField(max_length=NAME_KEY_LENGTH, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["name_key", "country"],
                name="unique_organisation_per_country",
                violation_error_message=_(
                    "An organisation of this name already exists in this country."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"

    def save(self, *args, **kwargs):
        self.name_key = self.key_of(self.name)
        super().save(*args, **kwargs)

    @staticmethod
    def key_of(name):
        """The key of `name`, at most NAME_KEY_LENGTH characters. Transliteration can make a
        name several times longer ("ß" gives "ss", "中" gives "Zhong"): a key that would not fit
        ends with a digest of the whole one instead, so that it stays unique."""
        key = search_key(name)
        if len(key) <= NAME_KEY_LENGTH:
            return key
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        return f"{key[: NAME_KEY_LENGTH - len(digest) - 1]}~{digest}"

    def clean(self):
        # The unique constraint is checked here too, on the name, because forms leave the
        # hidden name_key out of their checks.
        super().clean()
        self.name = " ".join(self.name.split())
        self.name_key = self.key_of(self.name)
        duplicates = Organisation.objects.filter(name_key=self.name_key, country=self.country)
        if self.country and duplicates.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"name": _("An organisation of this name already exists in this country.")},
                code="duplicate_organisation",
            )


class Partnership(Document):
    """A partnership led by a member city. Its content lives in revisions (the public sees the
    published one); the cities taking part are its participations."""

    lead_city = models.ForeignKey(
        City, verbose_name=_("lead city"), on_delete=models.PROTECT, related_name="+"
    )
    cities = models.ManyToManyField(
        City,
        through="Participation",
        verbose_name=_("cities"),
        related_name="partnerships",
    )
    published_revision = models.OneToOneField(
        "PartnershipRevision",
        verbose_name=_("published revision"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta(Document.Meta):
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    public_url_name = "partnerships:partnership-detail"
    author_url_name = "partnerships:my-partnership"
    slug_fallback = "partnership"


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead city")
    PARTNER = "partner", _("Partner city")


class ParticipationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Taking part")
    DECLINED = "declined", _("Declined")
    LEFT = "left", _("Left")


class ParticipationQuerySet(models.QuerySet):
    def taking_part(self):
        return self.filter(status=ParticipationStatus.ACCEPTED)

    def pending(self):
        return self.filter(status=ParticipationStatus.INVITED)


class Participation(models.Model):
    """A member city in a partnership: the lead city, or a city invited by it. An invited city
    takes part only once one of its coordinators accepts."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=ParticipationRole, default=ParticipationRole.PARTNER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ParticipationStatus,
        default=ParticipationStatus.INVITED,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    created_at = models.DateTimeField(_("invited"), default=timezone.now)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participating city")
        verbose_name_plural = _("participating cities")
        ordering = ["role", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "city"],
                name="one_participation_per_city",
                violation_error_message=_("This city is already invited to the partnership."),
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(role="lead"),
                name="one_lead_city_per_partnership",
            ),
        ]
        indexes = [models.Index(fields=["city", "status"], name="participation_city_status")]

    def __str__(self):
        return f"{self.city.name}: {self.get_status_display()}"


class PartnershipRevisionQuerySet(RevisionQuerySet):
    def with_card_data(self):
        """What a list of partnerships shows, in a bounded number of queries."""
        return (
            self.for_cards()
            .select_related("partnership__lead_city__field")
            .prefetch_related("fields")
        )

    def with_open_call_on(self, day):
        return self.filter(pk__in=OpenCall.objects.open_on(day).values("revision"))


class PartnershipRevision(Illustrated, Revision):
    """One version of a partnership's content, reviewed as a whole."""

    document_field = "partnership"
    copied_relations = ("fields", "objectives", "action_areas", "sdgs")
    copied_children = ("organisation_roles", "open_calls")
    already_done_messages = {
        ReviewAction.SUBMIT: _("This partnership was already submitted."),
        ReviewAction.WITHDRAW: _("This partnership was already withdrawn."),
        ReviewAction.PUBLISH: _("This partnership was already published."),
        ReviewAction.REQUEST_CHANGES: _("Changes to this partnership were already requested."),
        ReviewAction.ARCHIVE: _("This partnership was already archived."),
    }
    searched_texts = ("title", "summary", "description")

    partnership = models.ForeignKey(
        Partnership,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("A few plain sentences, no formatting.")
    )
    description = models.TextField(_("description"))
    fields = models.ManyToManyField(
        CreativeField, verbose_name=_("creative fields"), related_name="partnership_revisions"
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
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty if it has no set end.")
    )
    progress = models.CharField(
        _("state of progress"), max_length=20, choices=Progress, default=Progress.PLANNED
    )
    website = WebsiteField(_("website"), blank=True)

    objects = PartnershipRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnership revision")
        verbose_name_plural = _("partnership revisions")
        ordering = ["partnership", "-number"]
        # Reviewing is not changing: a reviewer publishes what the cities wrote, unedited.
        permissions = [
            (
                "review_partnershiprevision",
                "Can publish, archive or request changes to partnerships",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="unique_revision_number_per_partnership"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partnership_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "state_changed_at"], name="partnership_review_queue"),
            published_newest_first_index("partnership_published_newest"),
        ]

    def __str__(self):
        return f"{self.title} (#{self.number})"

    def get_absolute_url(self):
        return self.partnership.get_absolute_url()

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date cannot be before the start date.")},
                code="ends_before_start",
            )

    def get_author_url(self):
        return self.partnership.get_author_url()

    def get_review_url(self):
        return reverse("admin:partnerships_partnershiprevision_review", args=[self.pk])

    @property
    def review_kind(self):
        return _("partnership")

    @property
    def review_city(self):
        return self.partnership.lead_city


class OrganisationRole(models.Model):
    """A partner organisation in one revision of a partnership, with what the partnership says
    of it: its sector, its website and what it does there. Kept per revision so that a draft
    never changes what a published page shows of an organisation another city names too."""

    revision = models.ForeignKey(
        PartnershipRevision,
        verbose_name=_("partnership revision"),
        on_delete=models.CASCADE,
        related_name="organisation_roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="roles",
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector)
    website = WebsiteField(_("website"), blank=True)
    role = models.CharField(
        _("role in the partnership"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 'co-funds the residencies', 'hosts the exhibition'."),
    )

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "organisation"],
                name="organisation_once_per_revision",
                violation_error_message=_("This organisation is already a partner."),
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class OpenCallQuerySet(models.QuerySet):
    def open_on(self, day):
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class OpenCall(models.Model):
    """A call for artists or professionals to apply to an exchange programme."""

    revision = models.ForeignKey(
        PartnershipRevision,
        verbose_name=_("partnership revision"),
        on_delete=models.CASCADE,
        related_name="open_calls",
    )
    title = models.CharField(_("title of the call"), max_length=200)
    opens_on = models.DateField(_("opening date"))
    closes_on = models.DateField(_("closing date"))
    eligibility = models.TextField(
        _("who may apply"), help_text=_("e.g. 'Illustrators living in a member city'.")
    )
    link = WebsiteField(_("link to apply"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    objects = OpenCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")
        ordering = ["closes_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_opening",
                violation_error_message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(
                condition=~Q(link="", contact_email=""),
                name="call_has_link_or_contact",
                violation_error_message=_("Give a link to apply or a contact e-mail."),
            ),
        ]
        indexes = [models.Index(fields=["opens_on", "closes_on"], name="open_call_dates")]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The closing date cannot be before the opening date.")
        if not self.link and not self.contact_email:
            errors["link"] = _("Give a link to apply or a contact e-mail.")
        if errors:
            raise ValidationError(errors)

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on
