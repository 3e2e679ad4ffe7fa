import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cities.filters import city_choices
from cities.models import City, CreativeField
from cities.regions import Region
from rvcu.filtering import PublishedRevisionFilterSet
from rvcu.widgets import LongSelect

from .models import (
    OrganisationRole,
    Participation,
    PartnershipKind,
    PartnershipRevision,
    Progress,
    Sector,
)

SORT_CHOICES = [
    ("newest", _("Most recently published first")),
    ("relevance", _("Relevance (with words)")),
    ("title", _("Title")),
    ("start", _("Start date, most recent first")),
]


class PartnershipFilter(PublishedRevisionFilterSet):
    """Filters of the public list of partnerships. The filters on the cities taking part and
    on the partner organisations are subqueries, so a partnership is never listed twice."""

    sort_choices = SORT_CHOICES
    orderings = {"title": ("title", "pk"), "start": ("-start_date", "title", "pk")}

    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Searches titles, summaries and descriptions."),
    )
    open_call = django_filters.BooleanFilter(
        label=_("With a call for applications open today"),
        widget=forms.CheckboxInput,
        method="filter_open_call",
    )
    kind = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("Kind"),
        choices=PartnershipKind.choices,
        empty_label=_("All kinds"),
    )
    field = django_filters.ModelChoiceFilter(
        widget=LongSelect,
        label=_("Creative field"),
        field_name="fields",
        queryset=CreativeField.objects.all(),
        to_field_name="slug",
        empty_label=_("All fields"),
    )
    city = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("City taking part"),
        choices=lambda: city_choices(
            City.objects.filter(
                pk__in=Participation.objects.taking_part()
                .filter(partnership__published_revision__isnull=False)
                .values("city")
            )
        ),
        empty_label=_("All cities"),
        method="filter_taking_part",
    )
    country = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("Country"),
        empty_label=_("All countries"),
        method="filter_taking_part",
    )
    region = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("Region"),
        choices=Region.choices,
        empty_label=_("All regions"),
        method="filter_taking_part",
    )
    sector = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("With a partner of the sector"),
        choices=Sector.choices,
        empty_label=_("All sectors"),
        method="filter_sector",
    )
    state = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("State"),
        field_name="progress",
        choices=Progress.choices,
        empty_label=_("All"),
    )

    class Meta:
        model = PartnershipRevision
        fields = []

    def filter_open_call(self, queryset, name, value):
        # An unticked box means "all partnerships".
        return queryset.with_open_call_on(timezone.localdate()) if value else queryset

    def filter_taking_part(self, queryset, name, value):
        city_condition = {"city": {"city__slug": value}, "country": {"city__country": value}}.get(
            name, {"city__region": value}
        )
        taking_part = Participation.objects.taking_part().filter(**city_condition)
        return queryset.filter(partnership__in=taking_part.values("partnership"))

    def filter_sector(self, queryset, name, value):
        roles = OrganisationRole.objects.filter(sector=value)
        return queryset.filter(pk__in=roles.values("revision"))
