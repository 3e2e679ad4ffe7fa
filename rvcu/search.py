"""Full-text search of revisions (practices, partnerships).

Texts are stored lower-cased and without accents (`Revision.search_document`), and the
words typed are normalised the same way, so 'Resultats' finds 'résultats'. On PostgreSQL the
search uses a GIN-indexed text-search vector and ranks the results; elsewhere (SQLite, used
for local work) every word must appear in the document.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import FloatField, Q, Value

from cities.text import search_key

# Must be the expression of the index `search_index_operation` makes, or PostgreSQL will not
# use it.
SEARCH_VECTOR = SearchVector("search_document", config="simple")
MAX_WORDS = 12


def search_words(text):
    """The normalised words of `text`, letters and digits only, at most MAX_WORDS."""
    return re.findall(r"[a-z0-9]+", search_key(text))[:MAX_WORDS]


def search_revisions(queryset, text):
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


def search_index_operation(table, index):
    """A migration operation creating the GIN index of `table`'s search vector, on PostgreSQL
    only (the only database with text-search vectors)."""
    from django.db import migrations

    def create_index(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX {index} ON {table} USING gin "
                "(to_tsvector('simple'::regconfig, COALESCE(search_document, '')))"
            )

    def drop_index(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    return migrations.RunPython(create_index, drop_index)
