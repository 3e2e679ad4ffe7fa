"""Search of the published practices: accents and case ignored, word prefixes, every word
required; ranked with a GIN-indexed text-search vector on PostgreSQL, a plain "contains" on
SQLite. Tests that depend on the database branch on `connection.vendor` and assert something
in both branches (skipped tests fail CI)."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from practices import services
from practices.models import PracticeRevision
from rvcu.search import search_revisions, search_words
from tests.practices.factories import draft_practice, published_practice, secretariat
from tests.practices.helpers import LIST, NO_MATCH, card_titles

pytestmark = pytest.mark.django_db

INDEX = "practice_search_vector_idx"
FESTIVAL = "Festival of wonders"


@pytest.fixture
def festival(krakow):
    return published_practice(
        krakow, FESTIVAL, results="Les résultats ÉTONNANTS du festival de Cracovie."
    )


@pytest.fixture
def other(krakow):
    return published_practice(
        krakow, "Open stages", results="A festival of small stages in every district."
    )


def found(client, words):
    response = client.get(LIST, {"q": words})
    assert response.status_code == 200
    return card_titles(response)


@pytest.mark.parametrize(
    "words",
    [
        "etonnants",
        "Étonnants",
        "ÉTONNANTS",
        "étonnants",
        "EtOnNaNtS",
        "resultats",
        "Résultats",
        "festiv",
        "Fest",
        "  étonnants  ",
        "cracovie",
        "wonders",
        "Wonder",
    ],
)
def test_search_ignores_accents_and_case_and_finds_prefixes(client, festival, words):
    assert found(client, words) == [FESTIVAL]


@pytest.mark.parametrize("words", ["cinema", "étonnantes", "festivals", "zzz"])
def test_search_for_a_word_not_present_finds_nothing(client, festival, words):
    response = client.get(LIST, {"q": words})

    assert card_titles(response) == []
    assert NO_MATCH in response.content.decode()


def test_search_needs_every_word(client, festival, other):
    assert sorted(found(client, "festival")) == [FESTIVAL, "Open stages"]
    assert found(client, "étonnants festival") == [FESTIVAL]
    assert found(client, "festival stages") == ["Open stages"]
    assert found(client, "étonnants stages") == []
    assert found(client, "festival cinema") == []


def test_search_looks_into_every_text(client, krakow):
    texts = {
        "title": "Alphaword title",
        "summary": "Summary with bravoword.",
        "challenge": "Challenge with charlieword.",
        "actions": "Actions with deltaword.",
        "results": "Results with echoword.",
        "transferability": "Transferability with foxtrotword.",
        "partners": "Partners: golfword.",
        "target_groups": "Groups: hotelword.",
    }
    published_practice(krakow, **texts)

    for word in (
        "alphaword",
        "bravoword",
        "charlieword",
        "deltaword",
        "echoword",
        "foxtrotword",
        "golfword",
        "hotelword",
    ):
        assert found(client, word) == ["Alphaword title"], word


def test_search_ignores_the_contact_and_links(client, krakow):
    published_practice(
        krakow, "Open stages", contact_role="Head of indigoword", links="https://limaword.example"
    )

    assert found(client, "indigoword") == []
    assert found(client, "limaword") == []


def test_search_finds_only_published_text(client, krakow, coordinator, festival):
    draft_practice(krakow, "Secret plans", results="Étonnants secrets.")
    services.practice_update(practice=festival.practice, by=coordinator, results="Now with zebras.")

    assert found(client, "etonnants") == [FESTIVAL]
    assert found(client, "secrets") == []
    assert found(client, "zebras") == []


def test_search_with_punctuation_only_does_not_filter(client, festival, other):
    assert sorted(found(client, "!!! ??")) == [FESTIVAL, "Open stages"]


def test_search_combines_with_filters(client, krakow, festival):
    published_practice(krakow, "Film festival", fields=["film"], results="A festival of films.")

    response = client.get(LIST, {"q": "festival", "field": "film"})

    assert card_titles(response) == ["Film festival"]


def test_search_words_are_normalised_and_limited():
    assert search_words("Les RÉSULTATS, étonnants!") == ["les", "resultats", "etonnants"]
    assert search_words("Łódź & Kraków") == ["lodz", "krakow"]
    assert len(search_words(" ".join(f"word{number}" for number in range(30)))) == 12


def test_search_document_is_lower_case_ascii(festival):
    festival.refresh_from_db()

    assert "les resultats etonnants du festival de cracovie." in festival.search_document
    assert "festival of wonders" in festival.search_document


def test_search_document_follows_a_partial_save(festival):
    festival.results = "Nouveaux résultats."
    festival.save(update_fields=["results"])

    festival.refresh_from_db()
    assert "nouveaux resultats" in festival.search_document
    assert "etonnants" not in festival.search_document


# Depends on the database: PostgreSQL matches words (and word prefixes) and ranks; SQLite
# matches any part of the text and does not rank.


def test_search_inside_a_word_depends_on_the_database(client, festival):
    if connection.vendor == "postgresql":
        # Text search matches whole words or their beginnings, not their middle.
        assert found(client, "tonnants") == []
    else:
        # The fallback looks for the letters anywhere in the text.
        assert found(client, "tonnants") == [FESTIVAL]
    assert found(client, "etonnants") == [FESTIVAL]


@pytest.fixture
def strong_and_weak(krakow):
    """ "puppet" three times in the first practice (title and results), once in the second;
    the second was published later, so "newest first" puts it first."""
    strong = published_practice(
        krakow,
        "Puppet parade",
        results="Puppet makers from ten countries joined the puppet parade.",
    )
    weak = published_practice(
        krakow, "Street festival", results="One puppet show closed the evening."
    )
    for day, revision in ((1, strong), (2, weak)):
        PracticeRevision.objects.filter(pk=revision.pk).update(
            state_changed_at=datetime(2024, 1, day, tzinfo=UTC)
        )
    return strong, weak


def test_search_ranks_by_relevance(client, strong_and_weak):
    strong, weak = strong_and_weak
    ranked = {
        revision.pk: revision.rank
        for revision in search_revisions(PracticeRevision.objects.published(), "puppet")
    }

    if connection.vendor == "postgresql":
        assert ranked[strong.pk] > ranked[weak.pk] > 0
        assert found(client, "puppet") == ["Puppet parade", "Street festival"]
    else:
        # No ranking on SQLite: every match ranks the same and the newest comes first.
        assert ranked == {strong.pk: 0.0, weak.pk: 0.0}
        assert found(client, "puppet") == ["Street festival", "Puppet parade"]
    assert set(ranked) == {strong.pk, weak.pk}


def test_search_other_sorts_ignore_relevance(client, strong_and_weak):
    response = client.get(LIST, {"q": "puppet", "sort": "newest"})
    assert card_titles(response) == ["Street festival", "Puppet parade"]

    response = client.get(LIST, {"q": "puppet", "sort": "title"})
    assert card_titles(response) == ["Puppet parade", "Street festival"]


def test_search_uses_the_right_machinery(festival):
    sql = str(search_revisions(PracticeRevision.objects.all(), "etonnants festiv").query)

    if connection.vendor == "postgresql":
        assert '"search_vector" @@' in sql, "matches on the stored vector"
        assert 'ts_rank("practices_practicerevision"."search_head_vector"' in sql
        assert "to_tsvector" not in sql, "never parses the texts while searching"
        assert "etonnants:* & festiv:*" in sql
        assert "LIKE" not in sql
    else:
        assert sql.count("LIKE") == 2
        assert "%etonnants%" in sql
        assert "%festiv%" in sql


def test_search_index_exists_on_postgresql_only(festival):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s AND tablename = %s",
                [INDEX, "practices_practicerevision"],
            )
            rows = cursor.fetchall()
            assert len(rows) == 1
            definition = rows[0][0]
            assert "USING gin (search_vector)" in definition
            cursor.execute(
                "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attname LIKE 'search%%vector' ORDER BY attname",
                ["practices_practicerevision"],
            )
            assert cursor.fetchall() == [("search_head_vector", "m"), ("search_vector", "m")], (
                "the vectors are kept in the row"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name = %s", [INDEX]
            )
            assert cursor.fetchall() == []
            # Without the index the search still works, with the fallback.
            assert list(search_revisions(PracticeRevision.objects.all(), "etonnants")) == [festival]


def test_search_query_can_use_the_index(festival):
    """The vector the search computes must be the indexed expression, or PostgreSQL reads the
    whole table: with every other way to read the table turned off, the plan must name the
    index."""
    queryset = search_revisions(PracticeRevision.objects.all(), "etonnants").order_by().values("pk")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
        plan = queryset.explain()
        assert f"Bitmap Index Scan on {INDEX}" in plan
    else:
        plan = queryset.explain()
        assert INDEX not in plan
        assert "practices_practicerevision" in plan
    assert list(queryset) == [{"pk": festival.pk}]


def test_search_by_the_secretariat_sees_the_same(client, festival):
    """Being logged in (even as staff) does not make drafts searchable on the public list."""
    draft_practice(festival.practice.city, "Secret plans", results="Étonnants secrets.")
    client.force_login(secretariat())

    assert found(client, "etonnants") == [FESTIVAL]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("fest:* | wonders!", [FESTIVAL]),
        ("wonders & (fest | !cracovie)", [FESTIVAL]),
        ("festival'); DROP TABLE practices_practicerevision; --", []),
    ],
)
def test_search_operators_typed_are_only_words(client, festival, other, words, expected):
    """What people type is never passed on as search syntax: only its words count."""
    response = client.get(LIST, {"q": words})

    assert response.status_code == 200
    assert card_titles(response) == expected
    assert PracticeRevision.objects.count() == 2


def test_a_word_far_into_the_texts_is_found_and_ranks_after_the_title(krakow):
    long_text = "Workshops for the whole neighbourhood. " * 40
    in_title = published_practice(krakow, "Lantern festival")
    far_away = published_practice(
        krakow, "Neighbourhood workshops", results=long_text + "It ended with a lantern walk."
    )

    results = list(
        search_revisions(PracticeRevision.objects.published(), "lantern").order_by("-rank")
    )

    assert [revision.pk for revision in results][0] == in_title.pk
    assert {revision.pk for revision in results} == {in_title.pk, far_away.pk}
    if connection.vendor == "postgresql":
        assert results[1].rank < results[0].rank


def test_search_keeps_the_most_recent_matches_and_says_so(client, krakow, monkeypatch):
    monkeypatch.setattr("rvcu.search.MAX_MATCHES", 3)
    monkeypatch.setattr("rvcu.filtering.MAX_MATCHES", 3)
    revisions = [published_practice(krakow, f"Lantern walk {number}") for number in range(5)]
    for day, revision in enumerate(revisions, start=1):
        PracticeRevision.objects.filter(pk=revision.pk).update(
            state_changed_at=datetime(2024, 1, day, tzinfo=UTC)
        )

    response = client.get(LIST, {"q": "lantern", "sort": "newest"})

    assert card_titles(response) == ["Lantern walk 4", "Lantern walk 3", "Lantern walk 2"]
    assert "only the 3 most recent matches are listed" in response.content.decode()


def test_search_below_the_cap_says_nothing_of_it(client, krakow):
    published_practice(krakow, "Lantern walk")

    response = client.get(LIST, {"q": "lantern"})

    assert card_titles(response) == ["Lantern walk"]
    assert "most recent matches are listed" not in response.content.decode()


def test_search_cap_applies_after_the_other_filters(client, krakow, monkeypatch):
    """The most recent matches are those of the field asked for, not of every field."""
    monkeypatch.setattr("rvcu.search.MAX_MATCHES", 1)
    music = published_practice(krakow, "Lantern music", fields=["music"])
    film = published_practice(krakow, "Lantern film", fields=["film"])
    for day, revision in ((1, music), (2, film)):
        PracticeRevision.objects.filter(pk=revision.pk).update(
            state_changed_at=datetime(2024, 1, day, tzinfo=UTC)
        )

    response = client.get(LIST, {"q": "lantern", "field": "music"})

    assert card_titles(response) == ["Lantern music"]


def test_the_words_come_first_in_the_filter_form(client, krakow):
    content = client.get(LIST).content.decode()

    assert (
        content.index('id="id_q"') < content.index('id="id_field"') < content.index('id="id_sort"')
    )
