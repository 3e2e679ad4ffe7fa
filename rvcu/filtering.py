import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from cities.filters import member_country_choices
from cities.text import MAX_SEARCH_WORDS

from .search import MAX_MATCHES, all_search_words, search_revisions, search_words
from .widgets import LongSelect


def search_context(filterset, paginator):
    """What a list of reviewed documents says of its filters and of a capped search."""
    return {
        "is_filtered": filters_in_use(filterset),
        "search_capped": filterset.search_is_capped(paginator.count),
        "max_matches": MAX_MATCHES,
        "words_left_out": filterset.words_left_out(),
        "max_words": MAX_SEARCH_WORDS,
    }


def filters_in_use(filterset):
    """Whether the person narrowed a list: a filter other than the sort order has a value, or
    the filters could not be read (so the page says "no match", not "nothing yet")."""
    if not filterset.is_valid():
        return filterset.is_bound
    return any(
        value not in (None, "", False)
        for name, value in filterset.form.cleaned_data.items()
        if name != "sort"
    )


class PublishedRevisionFilterSet(django_filters.FilterSet):
    """Base of the public lists of reviewed documents (practices, partnerships): words (`q`,
    full-text), a member `country` (any case), and `sort`, relevance first when there are
    words, newest otherwise. Subclasses give `orderings` (sort value -> order_by fields) and
    the sort choices (`sort_choices`); "relevance" and "newest" are handled here."""

    q = django_filters.CharFilter(
        label=_("Words"), method="filter_words", widget=forms.TextInput(attrs={"type": "search"})
    )
    sort = django_filters.ChoiceFilter(
        widget=LongSelect, label=_("Sort by"), method="sort_by", empty_label=None
    )

    sort_choices = ()
    orderings = {}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            data["sort"] = data.get("sort") or ("relevance" if data.get("q") else "newest")
            if data.get("country"):
                data["country"] = data["country"].upper()
        super().__init__(data, *args, **kwargs)
        self.filters["sort"] = self.filters.pop("sort")  # last in the form
        self.filters["sort"].extra["choices"] = self.sort_choices
        if "country" in self.filters:
            self.filters["country"].extra["choices"] = member_country_choices

    def filter_queryset(self, queryset):
        """The filters in the form's order, except the words, applied last but for the order:
        a search keeps its most recent matches among the revisions the other filters chose."""
        last = ("q", "sort")
        names = [name for name in self.form.cleaned_data if name not in last]
        for name in [*names, *last]:
            if name in self.form.cleaned_data:
                queryset = self.filters[name].filter(queryset, self.form.cleaned_data[name])
        return queryset

    def filter_words(self, queryset, name, value):
        return search_revisions(queryset, value)

    def search_is_capped(self, count):
        """Whether the words matched so many revisions that only the most recent are listed
        (`count`: how many are listed)."""
        words = self.form.cleaned_data.get("q", "") if self.is_valid() else ""
        return bool(search_words(words)) and count >= MAX_MATCHES

    def words_left_out(self):
        """Whether more words were typed than the search uses."""
        words = self.form.cleaned_data.get("q", "") if self.is_valid() else ""
        return len(all_search_words(words)) > MAX_SEARCH_WORDS

    def sort_by(self, queryset, name, value):
        if value == "relevance" and self.form.cleaned_data.get("q"):
            return queryset.order_by("-rank", "-state_changed_at", "pk")
        return queryset.order_by(*self.orderings.get(value, ("-state_changed_at", "pk")))
