"""Full-text search of revisions (practices, partnerships).

Texts are stored lower-cased and without accents (`Revision.search_document`), and the
words typed are normalised the same way, so 'Resultats' finds 'résultats'. On PostgreSQL the
document's text-search vector is a stored generated column (`Revision.search_vector`), GIN
indexed, and results are ranked on the vector of its beginning (`search_head_vector`, see
HEAD_LENGTH): ranking thousands of matches must neither parse their texts again nor read their
whole vectors. Elsewhere (SQLite, used for local work) the columns stay empty and every word
must appear in the document.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Left

from cities.text import MAX_SEARCH_WORDS, search_key

# A search keeps its most recent matches only, up to this many, and ranks those: for a word that
# most texts hold, counting and ranking every match would read every text (a third of a second
# for 20,000 practices). The list says so when a search reaches it.
MAX_MATCHES = 500
# Results are ranked on the beginning of the document, where the title and the summary are:
# ranking on whole texts would read kilobytes of vector for each of thousands of matches.
HEAD_LENGTH = 800


class StoredSearchVector(SearchVector):
    """The expression of the generated columns `Revision.search_vector` (with `head_length`,
    `Revision.search_head_vector`, the vector of the document's first characters only): a
    text-search vector on PostgreSQL, nothing on other databases."""

    def __init__(self, *, head_length=None):
        document = Left("search_document", head_length) if head_length else "search_document"
        super().__init__(document, config="simple")

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def search_words(text):
    """The normalised words of `text`, letters and digits only, at most MAX_SEARCH_WORDS."""
    return all_search_words(text)[:MAX_SEARCH_WORDS]


def all_search_words(text):
    return re.findall(r"[a-z0-9]+", search_key(text))


def search_revisions(queryset, text):
    """`queryset` narrowed to the revisions containing every word of `text` (each word may be
    the start of a longer one), at most the MAX_MATCHES most recent, annotated with `rank`.
    Apply the other filters first: they choose which matches are the most recent."""
    words = search_words(text)
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        matches = queryset.filter(search_vector=query)
        rank = SearchRank(F("search_head_vector"), query)
    else:
        condition = Q()
        for word in words:
            condition &= Q(search_document__contains=word)
        matches = queryset.filter(condition)
        rank = Value(0.0, output_field=FloatField())
    most_recent = matches.order_by("-state_changed_at", "pk").values("pk")[:MAX_MATCHES]
    return queryset.filter(pk__in=most_recent).annotate(rank=rank)


# What the first search indexes indexed, before the vector was a stored column.
COMPUTED_VECTOR = "to_tsvector('simple'::regconfig, COALESCE(search_document, ''))"


def search_index_operation(table, index, *, expression=COMPUTED_VECTOR, drop=False):
    """A migration operation creating (or, with `drop`, dropping) the GIN index of `table`'s
    search vector, on PostgreSQL only (the only database with text-search vectors)."""
    from django.db import migrations

    def create_index(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin ({expression})")

    def drop_index(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")

    if drop:
        return migrations.RunPython(drop_index, create_index)
    return migrations.RunPython(create_index, drop_index)


def keep_vectors_in_row_operation(table):
    """A migration operation asking PostgreSQL to keep the search vectors in the table's rows
    (compressed) rather than in its TOAST table: a search reads them for every row it checks
    or ranks, and a TOAST read costs several pages each (a word in every practice: counting
    its matches took 210 ms with the vectors aside, 55 ms with them in the rows)."""
    from django.db import migrations

    def set_storage(storage):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for column in ("search_vector", "search_head_vector"):
                    schema_editor.execute(
                        f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE {storage}"
                    )

        return operation

    return migrations.RunPython(set_storage("MAIN"), set_storage("EXTENDED"))
