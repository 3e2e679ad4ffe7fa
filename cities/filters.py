import functools

import django_filters
from django import forms
from django.db.models import Case, CharField, Value, When
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from rvcu.widgets import LongSelect

from .models import City, CreativeField
from .regions import Region
from .text import MAX_SEARCH_WORDS, search_key
from .validators import FIRST_DESIGNATION_YEAR


class CityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("City or country"),
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    field = django_filters.ModelChoiceFilter(
        widget=LongSelect,
        label=_("Creative field"),
        queryset=CreativeField.objects.all(),
        to_field_name="slug",
        empty_label=_("All fields"),
    )
    region = django_filters.ChoiceFilter(
        widget=LongSelect, label=_("Region"), choices=Region.choices, empty_label=_("All regions")
    )
    country = django_filters.ChoiceFilter(
        widget=LongSelect, label=_("Country"), empty_label=_("All countries")
    )
    year = django_filters.NumberFilter(
        label=_("Year of designation"),
        field_name="designation_year",
        min_value=FIRST_DESIGNATION_YEAR,
    )
    year_from = django_filters.NumberFilter(
        label=_("Designated from"),
        field_name="designation_year",
        lookup_expr="gte",
        min_value=FIRST_DESIGNATION_YEAR,
    )
    year_to = django_filters.NumberFilter(
        label=_("Designated until"),
        field_name="designation_year",
        lookup_expr="lte",
        min_value=FIRST_DESIGNATION_YEAR,
    )
    sort = django_filters.ChoiceFilter(
        widget=LongSelect,
        label=_("Sort by"),
        method="sort_by",
        empty_label=None,
        choices=[
            ("name", _("Name")),
            ("country", _("Country")),
            ("year", _("Year, newest first")),
            ("year-asc", _("Year, oldest first")),
        ],
    )

    class Meta:
        model = City
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            data.setdefault("sort", "name")
            data["sort"] = data["sort"] or "name"
            if data.get("country"):
                data["country"] = data["country"].upper()
        super().__init__(data, *args, **kwargs)
        self.filters["country"].extra["choices"] = member_country_choices

    def filter_text(self, queryset, name, value):
        return queryset.search(value)

    def words_left_out(self):
        """Whether more words were typed than the search uses."""
        words = self.form.cleaned_data.get("q", "") if self.is_valid() else ""
        return len(search_key(words).split()) > MAX_SEARCH_WORDS

    def sort_by(self, queryset, name, value):
        if value == "country":
            return queryset.annotate(country_name=country_name_expression()).order_by(
                "country_name", "name"
            )
        if value == "year":
            return queryset.order_by("-designation_year", "name")
        if value == "year-asc":
            return queryset.order_by("designation_year", "name")
        return queryset.order_by("name", "country")


def city_choices(cities):
    """(slug, "Name (country code)") of `cities`, by name: the options of a filter by city,
    read without building a model for each of hundreds of cities."""
    rows = cities.order_by("name", "country").values_list("slug", "name", "country")
    return [(slug, f"{name} ({country})") for slug, name, country in rows]


def member_country_choices():
    """Countries with a member city, named and ordered in the active language."""
    present = set(City.objects.values_list("country", flat=True).distinct())
    return [(code, name) for code, name in _country_names(get_language()) if code in present]


@functools.cache
def _country_names(language):
    """Every country, named and ordered in `language` (translating and sorting 250 names took a
    good part of a list page's time)."""
    with override(language):
        return [(code, str(name)) for code, name in countries]


def country_name_expression():
    """The country's name in the active language, as SQL, so lists can sort by it."""
    return Case(
        *[When(country=code, then=Value(str(name))) for code, name in countries],
        default=Value(""),
        output_field=CharField(),
    )
