import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cities.filters import city_choices
from cities.models import City, CreativeField
from cities.regions import Region
from rvcu.filtering import PublishedRevisionFilterSet
from rvcu.widgets import LongSelect

from .models import (
    ActionArea,
    Objective,
    Practice,
    PracticeRevision,
    SustainableDevelopmentGoal,
)

SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("relevance", _("Relevance (with words)")),
    ("title", _("Title")),
    ("year", _("Year started, most recent first")),
]


class PracticeFilter(PublishedRevisionFilterSet):
    sort_choices = SORT_CHOICES
    orderings = {"title": ("title", "pk"), "year": ("-year_started", "title", "pk")}

    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Searches titles, summaries and the texts of the practices."),
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
        label=_("City"),
        field_name="practice__city__slug",
        choices=lambda: city_choices(
            City.objects.filter(pk__in=Practice.objects.published().values("city"))
        ),
        empty_label=_("All cities"),
    )
    country = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("Country"),
        field_name="practice__city__country",
        empty_label=_("All countries"),
    )
    region = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("Region"),
        field_name="practice__city__region",
        choices=Region.choices,
        empty_label=_("All regions"),
    )
    objective = django_filters.ModelChoiceFilter(
        widget=LongSelect,
        label=_("Objective of the network"),
        field_name="objectives",
        queryset=Objective.objects.all(),
        to_field_name="code",
        empty_label=_("All objectives"),
    )
    action_area = django_filters.ModelChoiceFilter(
        widget=LongSelect,
        label=_("Area of action"),
        field_name="action_areas",
        queryset=ActionArea.objects.all(),
        to_field_name="code",
        empty_label=_("All areas of action"),
    )
    sdg = django_filters.ModelChoiceFilter(
        widget=LongSelect,
        label=_("Sustainable Development Goal"),
        field_name="sdgs",
        queryset=SustainableDevelopmentGoal.objects.all(),
        to_field_name="code",
        empty_label=_("All goals"),
    )
    vulnerable_groups = django_filters.BooleanFilter(
        label=_("Reaches disadvantaged or vulnerable groups"),
        field_name="reaches_vulnerable_groups",
        widget=forms.CheckboxInput,
        method="filter_vulnerable_groups",
    )
    year = django_filters.NumberFilter(
        label=_("Year started"), field_name="year_started", min_value=1900
    )

    class Meta:
        model = PracticeRevision
        fields = []

    def filter_vulnerable_groups(self, queryset, name, value):
        # An unticked box means "all practices", not "practices that reach nobody vulnerable".
        return queryset.filter(reaches_vulnerable_groups=True) if value else queryset
