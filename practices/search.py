"""Full-text search of the published practices.

Texts are stored lower-cased and without accents (`PracticeRevision.search_document`), and the
words typed are normalised the same way, so 'Resultats' finds 'résultats'. On PostgreSQL the
search uses a GIN-indexed text-search vector and ranks the results; elsewhere (SQLite, used
for local work) every word must appear in the document.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import FloatField, Q, Value

from cities.text import search_key

# Must be the expression of the index made by migration 0004, or PostgreSQL will not use it.
SEARCH_VECTOR = SearchVector("search_document", config="simple")
MAX_WORDS = 12


def search_words(text):
    """The normalised words of `text`, letters and digits only, at most MAX_WORDS."""
    return re.findall(r"[a-z0-9]+", search_key(text))[:MAX_WORDS]


def search_practices(queryset, text):
    """`queryset` narrowed to revisions containing every word of `text` (each word may be the
    start of a longer one), annotated with `rank`."""
    words = search_words(text)
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        return queryset.annotate(
            search=SEARCH_VECTOR, rank=SearchRank(SEARCH_VECTOR, query)
        ).filter(search=query)
    condition = Q()
    for word in words:
        condition &= Q(search_document__contains=word)
    return queryset.filter(condition).annotate(rank=Value(0.0, output_field=FloatField()))
