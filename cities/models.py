from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rvcu.fields import WebsiteField
from rvcu.models import Illustrated

from .regions import Region, region_for_country
from .text import MAX_SEARCH_WORDS, localized, search_key
from .validators import (
    FIRST_DESIGNATION_YEAR,
    validate_not_future_year,
    validate_readable_on_white,
)


class FieldIcon(models.TextChoices):
    """Symbols drawn in static/img/icons.svg."""

    CRAFTS = "crafts", _("Hands and pot")
    MEDIA = "media", _("Screen")
    DESIGN = "design", _("Set square")
    FILM = "film", _("Film clapper")
    GASTRONOMY = "gastronomy", _("Fork and knife")
    LITERATURE = "literature", _("Open book")
    MUSIC = "music", _("Musical note")
    ARCHITECTURE = "architecture", _("Building")
    STAR = "star", _("Star")


class CreativeField(models.Model):
    """One of the creative fields a city is designated in (music, film...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=80)
    name_fr = models.CharField(_("name in French"), max_length=80)
    description_en = models.TextField(_("description in English"), max_length=600)
    description_fr = models.TextField(_("description in French"), max_length=600)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        validators=[
            RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb.")),
            validate_readable_on_white,
        ],
        help_text=_("Dark enough for white text on it, as #rrggbb."),
    )
    icon = models.CharField(_("icon"), max_length=20, choices=FieldIcon, default=FieldIcon.STAR)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Fields are listed in this order.")
    )

    class Meta:
        verbose_name = _("creative field")
        verbose_name_plural = _("creative fields")
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="field_colour_is_hex"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cities:field-detail", kwargs={"slug": self.slug})

    @property
    def name(self):
        return localized(self, "name")

    @property
    def description(self):
        return localized(self, "description")


class CityQuerySet(models.QuerySet):
    def members(self):
        return self.filter(is_member=True)

    def with_field(self):
        return self.select_related("field")

    def search(self, text):
        """Cities whose name or country name contains every word of `text` (the first
        MAX_SEARCH_WORDS), accents ignored."""
        queryset = self
        for word in search_key(text).split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset


class City(Illustrated):
    """A member city of the network, designated in one creative field."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=140,
        unique=True,
        help_text=_("The city's address on the portal: ASCII letters, digits and hyphens."),
    )
    country = CountryField(_("country"))
    region_override = models.CharField(
        _("UNESCO region (override)"),
        max_length=30,
        choices=Region,
        blank=True,
        help_text=_("Leave empty to use the region of the country."),
    )
    region = models.CharField(
        _("UNESCO region"), max_length=30, choices=Region, editable=False, db_index=True
    )
    field = models.ForeignKey(
        CreativeField,
        verbose_name=_("creative field"),
        on_delete=models.PROTECT,
        related_name="cities",
    )
    designation_year = models.PositiveSmallIntegerField(
        _("year of designation"),
        validators=[MinValueValidator(FIRST_DESIGNATION_YEAR), validate_not_future_year],
        db_index=True,
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)
    website = WebsiteField(_("website"), blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        related_name="coordinated_cities",
        blank=True,
        help_text=_("People who write the city's practices and partnerships on the portal."),
    )
    is_member = models.BooleanField(
        _("member of the network"),
        default=True,
        help_text=_("Untick when the city has left the network; its page stays online."),
    )
    # Lower-case ASCII city and country names (English and French), for accent-blind search.
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name", "country"]
        # Staff status alone gives the admin, not the coordinator pages of every city.
        permissions = [("act_for_every_city", "Can act for every city on the coordinator pages")]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="unique_city_per_country"),
            models.CheckConstraint(
                condition=Q(designation_year__gte=FIRST_DESIGNATION_YEAR),
                name="city_designated_since_2004",
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90), name="city_latitude_in_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["field", "name"], name="city_field_name_idx"),
            models.Index(fields=["country", "name"], name="city_country_name_idx"),
        ]

    def __str__(self):
        return f"{self.name} ({self.country.code})"

    def save(self, *args, **kwargs):
        # Derived columns, kept in step here so every way of saving a city (admin, importer,
        # coordinator form) filters and searches the same.
        self.region = self.region_override or region_for_country(self.country) or ""
        self.search_text = self._build_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cities:city-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.country and not (self.region_override or region_for_country(self.country)):
            raise ValidationError(
                {"region_override": _("No region is known for this country: choose one.")}
            )

    def _build_search_text(self):
        names = [self.name]
        for language in ("en", "fr"):
            with translation.override(language):
                names.append(str(self.country.name))
        return search_key(" ".join(names))[:400]
