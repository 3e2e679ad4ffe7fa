"""The public pages of the practices: /practices/ (list, filters, sort, pages) and
/practices/<slug>/ (one practice), and the practices shown on city and field pages."""

import html
import re
from datetime import UTC, datetime

import pytest

from practices import services
from practices.models import PracticeRevision
from tests.factories import CityFactory, UserFactory
from tests.practices.factories import (
    draft_practice,
    published_practice,
    secretariat,
    sent_back_practice,
    submitted_practice,
)
from tests.practices.helpers import (
    LIST,
    NO_MATCH,
    NOTHING_PUBLISHED,
    card_links,
    card_titles,
    language_of,
    results_count,
)

pytestmark = pytest.mark.django_db


def set_published_at(revision, day):
    PracticeRevision.objects.filter(pk=revision.pk).update(
        state_changed_at=datetime(2024, 1, day, 12, tzinfo=UTC)
    )


@pytest.fixture
def dakar():
    return CityFactory(name="Dakar", country="SN", field_slug="media-arts", designation_year=2014)


# /en/practices/: what is listed


def test_list_shows_only_published_practices(client, krakow):
    draft_practice(krakow, "A draft idea")
    submitted_practice(krakow, "A submitted idea")
    sent_back_practice(krakow, "A sent back idea")
    published_practice(krakow, "Reading circles")

    response = client.get(LIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert card_titles(response) == ["Reading circles"]
    assert card_links(response) == ["/en/practices/reading-circles/"]
    for hidden in ("A draft idea", "A submitted idea", "A sent back idea"):
        assert hidden not in content
    assert results_count(response) == "1 practice"


def test_list_does_not_show_archived_practices(client, krakow):
    revision = published_practice(krakow, "Reading circles")
    services.practice_archive(revision=revision, by=secretariat())

    response = client.get(LIST)

    assert card_titles(response) == []
    assert NOTHING_PUBLISHED in response.content.decode()


def test_list_shows_the_published_text_while_a_new_draft_exists(client, krakow, coordinator):
    revision = published_practice(krakow, "Reading circles", summary="The published summary.")
    services.practice_update(
        practice=revision.practice,
        by=coordinator,
        title="Reading circles, rewritten",
        summary="The draft summary.",
    )

    response = client.get(LIST)

    content = response.content.decode()
    assert card_titles(response) == ["Reading circles"]
    assert "The published summary." in content
    assert "rewritten" not in content
    assert "The draft summary." not in content
    assert results_count(response) == "1 practice"


def test_list_shows_the_published_text_while_a_new_revision_is_submitted(client, krakow):
    revision = published_practice(krakow, "Reading circles")
    new = services.practice_update(
        practice=revision.practice, by=secretariat(), title="Reading circles, resubmitted"
    )
    services.practice_submit(revision=new, by=secretariat())

    response = client.get(LIST)

    assert card_titles(response) == ["Reading circles"]


def test_list_card_shows_city_country_year_and_fields(client, krakow):
    published_practice(krakow, "Reading circles", year_started=2015, fields=["literature", "music"])

    content = client.get(LIST).content.decode()

    assert "Kraków (Poland) · since 2015" in content
    assert 'href="/en/fields/literature/"' in content
    assert 'href="/en/fields/music/"' in content


# Filters


@pytest.fixture
def two_practices(krakow, dakar):
    """Two published practices that differ on every filter, and a draft that would match the
    first one's filters if drafts leaked."""
    reading = published_practice(
        krakow,
        "Reading circles",
        fields=["literature"],
        objectives=["access-to-cultural-life"],
        action_areas=["sharing-good-practices"],
        sdgs=["quality-education"],
        reaches_vulnerable_groups=True,
        year_started=2015,
        results="The circles met in prisons and hospitals.",
    )
    lab = published_practice(
        dakar,
        "Digital arts lab",
        fields=["media-arts", "music"],
        objectives=["creative-hubs-and-professionals"],
        action_areas=["exchange-programmes"],
        sdgs=["decent-work"],
        reaches_vulnerable_groups=False,
        year_started=2020,
        results="Forty start-ups came out of the lab.",
    )
    set_published_at(reading, 1)
    set_published_at(lab, 2)
    draft_practice(
        krakow,
        "Reading circles draft",
        fields=["literature", "media-arts", "music"],
        objectives=["access-to-cultural-life", "creative-hubs-and-professionals"],
        action_areas=["sharing-good-practices", "exchange-programmes"],
        sdgs=["quality-education", "decent-work"],
        reaches_vulnerable_groups=True,
        year_started=2015,
        results="The circles met in prisons and hospitals; forty start-ups.",
    )
    return reading, lab


READING, LAB = "Reading circles", "Digital arts lab"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [LAB, READING]),
        ("field=literature", [READING]),
        ("field=music", [LAB]),
        ("field=media-arts", [LAB]),
        ("field=film", []),
        ("city=krakow", [READING]),
        ("city=dakar", [LAB]),
        ("country=PL", [READING]),
        ("country=sn", [LAB]),
        ("region=europe-north-america", [READING]),
        ("region=africa", [LAB]),
        ("region=asia-pacific", []),
        ("objective=access-to-cultural-life", [READING]),
        ("objective=creative-hubs-and-professionals", [LAB]),
        ("objective=international-cooperation", []),
        ("action_area=sharing-good-practices", [READING]),
        ("action_area=exchange-programmes", [LAB]),
        ("action_area=studies-and-evaluation", []),
        ("sdg=quality-education", [READING]),
        ("sdg=decent-work", [LAB]),
        ("sdg=climate-action", []),
        ("vulnerable_groups=on", [READING]),
        ("vulnerable_groups=", [LAB, READING]),
        ("year=2015", [READING]),
        ("year=2020", [LAB]),
        ("year=1999", []),
        ("q=prisons", [READING]),
        ("q=start-ups", [LAB]),
        ("q=circles+lab", []),
        ("field=literature&vulnerable_groups=on&year=2015", [READING]),
        ("city=krakow&year=2020", []),
        ("region=africa&sdg=decent-work&q=lab", [LAB]),
    ],
)
def test_list_filters(client, two_practices, query, expected):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert card_titles(response) == expected
    assert "Reading circles draft" not in response.content.decode()


def test_list_filter_on_a_practice_with_two_fields_lists_it_once(client, krakow):
    published_practice(krakow, "Reading circles", fields=["literature", "music"])

    response = client.get(f"{LIST}?field=music")

    assert card_titles(response) == ["Reading circles"]
    assert results_count(response) == "1 practice"


def test_list_city_filter_offers_only_cities_with_published_practices(client, two_practices):
    quiet = CityFactory(name="Quietville")
    draft_practice(quiet, "Not yet public")

    content = client.get(LIST).content.decode()

    select = re.search(r'<select name="city".*?</select>', content, re.DOTALL).group(0)
    assert '<option value="krakow"' in select
    assert '<option value="dakar"' in select
    assert "quietville" not in select


# Sort


@pytest.fixture
def three_practices(krakow):
    """Created Bravo, Alpha, Charlie; published Alpha, then Bravo, then Charlie."""
    bravo = published_practice(krakow, "Bravo", year_started=2010)
    alpha = published_practice(krakow, "Alpha", year_started=2021)
    charlie = published_practice(krakow, "Charlie", year_started=2016)
    set_published_at(alpha, 1)
    set_published_at(bravo, 2)
    set_published_at(charlie, 3)
    return alpha, bravo, charlie


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=title", ["Alpha", "Bravo", "Charlie"]),
        ("sort=year", ["Alpha", "Charlie", "Bravo"]),
        ("sort=newest", ["Charlie", "Bravo", "Alpha"]),
        ("sort=relevance", ["Charlie", "Bravo", "Alpha"]),
        ("field=literature&sort=title", ["Alpha", "Bravo", "Charlie"]),
    ],
)
def test_list_sort_options(client, three_practices, query, expected):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert card_titles(response) == expected


def test_list_without_parameters_is_sorted_newest_published_first(client, three_practices):
    """The page opened from a link must show the same order as "Newest first"."""
    response = client.get(LIST)

    assert card_titles(response) == ["Charlie", "Bravo", "Alpha"]


def test_list_sort_by_year_breaks_ties_by_title(client, krakow):
    for title in ("Delta", "Alpha", "Charlie"):
        published_practice(krakow, title, year_started=2018)

    response = client.get(f"{LIST}?sort=year")

    assert card_titles(response) == ["Alpha", "Charlie", "Delta"]


# Pages and counts


@pytest.fixture
def twenty_one(krakow):
    revisions = [published_practice(krakow, f"Practice {number:02}") for number in range(1, 22)]
    for day, revision in enumerate(revisions, start=1):
        set_published_at(revision, day)
    return revisions


def test_list_pages_hold_twenty_practices(client, twenty_one):
    first = client.get(LIST)
    second = client.get(f"{LIST}?page=2")

    assert len(card_titles(first)) == 20
    assert card_titles(first)[0] == "Practice 21"
    assert results_count(first) == "21 practices, page 1 of 2"
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert card_titles(second) == ["Practice 01"]
    assert results_count(second) == "21 practices, page 2 of 2"
    assert set(card_titles(first)) | set(card_titles(second)) == {
        f"Practice {number:02}" for number in range(1, 22)
    }


def test_list_page_links_keep_the_filters(client, twenty_one):
    response = client.get(f"{LIST}?field=literature&sort=title")

    content = html.unescape(response.content.decode())
    assert card_titles(response)[:2] == ["Practice 01", "Practice 02"]
    assert 'href="?field=literature&sort=title&page=2" rel="next"' in content
    second = client.get(f"{LIST}?field=literature&sort=title&page=2")
    assert card_titles(second) == ["Practice 21"]


def test_list_count_of_exactly_twenty_has_no_page_mention(client, krakow):
    for number in range(20):
        published_practice(krakow, f"Practice {number:02}")

    response = client.get(LIST)

    assert len(card_titles(response)) == 20
    assert results_count(response) == "20 practices"
    assert 'rel="next"' not in response.content.decode()


@pytest.mark.parametrize("page", ["3", "0", "last-but-one"])
def test_list_page_out_of_range_is_404(client, twenty_one, page):
    assert client.get(f"{LIST}?page={page}").status_code == 404


def test_list_last_page_by_name(client, twenty_one):
    response = client.get(f"{LIST}?page=last")

    assert response.status_code == 200
    assert card_titles(response) == ["Practice 01"]


# Empty states


def test_list_empty_state_when_nothing_is_published(client, krakow):
    draft_practice(krakow, "A draft idea")
    submitted_practice(krakow, "A submitted idea")

    response = client.get(LIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert results_count(response) == "0 practices"
    assert NOTHING_PUBLISHED in content
    assert NO_MATCH not in content


def test_list_empty_state_when_filters_match_nothing(client, two_practices):
    response = client.get(f"{LIST}?field=film")

    content = response.content.decode()
    assert results_count(response) == "0 practices"
    assert NO_MATCH in content
    assert NOTHING_PUBLISHED not in content
    assert f'<a href="{LIST}">Clear all filters</a>' in content


@pytest.mark.parametrize(
    "query",
    ["field=atlantis", "objective=world-peace", "city=quietville", "year=soon", "country=ZZ"],
)
def test_list_unknown_filter_value_says_no_match_not_nothing_published(
    client, two_practices, query
):
    response = client.get(f"{LIST}?{query}")

    content = response.content.decode()
    assert response.status_code == 200
    assert card_titles(response) == []
    assert NOTHING_PUBLISHED not in content
    assert NO_MATCH in content


# /en/practices/<slug>/


@pytest.fixture
def reading(krakow):
    return published_practice(
        krakow,
        "Reading circles",
        fields=["literature"],
        objectives=["access-to-cultural-life"],
        action_areas=["sharing-good-practices"],
        sdgs=["quality-education"],
        reaches_vulnerable_groups=True,
        budget_range="10k-100k",
        contact_role="Head of the literature office",
        links="https://example.org/circles\nhttps://example.org/report",
        year_started=2015,
    )


def test_detail_of_a_published_practice(client, reading):
    response = client.get("/en/practices/reading-circles/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="page-header__title" lang="en">Reading circles</h1>' in content
    assert "A good practice of Kraków" in content
    assert reading.summary in content
    assert reading.results in content


@pytest.mark.parametrize("state", ["draft", "submitted", "changes_requested"])
def test_detail_of_a_practice_never_published_is_404(client, krakow, state):
    make = {
        "draft": draft_practice,
        "submitted": submitted_practice,
        "changes_requested": sent_back_practice,
    }[state]
    revision = make(krakow, "Secret plans")

    response = client.get(f"/en/practices/{revision.practice.slug}/")

    assert response.status_code == 404
    assert "Secret plans" not in response.content.decode()


def test_detail_of_an_archived_practice_is_404(client, reading):
    services.practice_archive(revision=reading, by=secretariat())

    assert client.get("/en/practices/reading-circles/").status_code == 404


def test_detail_of_an_unknown_slug_is_404(client, reading):
    assert client.get("/en/practices/atlantis/").status_code == 404


def test_detail_staff_and_coordinators_also_get_404_for_a_draft(client, krakow, coordinator):
    draft_practice(krakow, "Secret plans")
    client.force_login(coordinator)
    assert client.get("/en/practices/secret-plans/").status_code == 404
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/en/practices/secret-plans/").status_code == 404


def test_detail_shows_the_published_text_while_a_new_draft_exists(client, reading, coordinator):
    services.practice_update(
        practice=reading.practice,
        by=coordinator,
        title="Reading circles, rewritten",
        results="Draft results nobody should read yet.",
    )

    response = client.get("/en/practices/reading-circles/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "<title>Reading circles" in content
    assert reading.results in content
    assert "rewritten" not in content
    assert "Draft results nobody should read yet." not in content


def test_detail_shows_tags_city_and_facts(client, reading):
    content = client.get("/en/practices/reading-circles/").content.decode()

    assert '<a href="/en/cities/krakow/">Kraków</a> (Poland)' in content
    assert 'href="/en/fields/literature/"' in content
    assert (
        '<a href="/en/practices/?objective=access-to-cultural-life">'
        "Access to and participation in cultural life, above all for vulnerable groups</a>"
    ) in content
    assert (
        '<a href="/en/practices/?action_area=sharing-good-practices">'
        "Sharing experience, knowledge and good practices</a>"
    ) in content
    assert '<a href="/en/practices/?sdg=quality-education">4. Quality education</a>' in content
    assert "Reaches disadvantaged or vulnerable groups" in content
    assert "10,000 to 100,000 USD" in content
    assert "Head of the literature office" in content
    assert "2015, still going on" in content
    assert '<a href="https://example.org/circles" rel="external nofollow">' in content
    assert '<a href="https://example.org/report" rel="external nofollow">' in content


FRENCH_TEXTS = {
    "summary": "Des cercles de lecture dans les prisons.",
    "challenge": "Personne ne lisait en prison.",
    "actions": "Des écrivains animent les cercles.",
    "results": "Trois cents détenus ont participé.",
    "transferability": "Toute ville dotée d'une bibliothèque peut commencer.",
    "partners": "Administration pénitentiaire",
    "target_groups": "Détenus et leurs familles",
    "contact_role": "Responsable du bureau de la littérature",
}


def test_detail_of_a_french_practice_marks_its_language(client, krakow):
    published_practice(krakow, "Cercles de lecture", language="fr", **FRENCH_TEXTS)

    response = client.get("/en/practices/cercles-de-lecture/")

    assert '<html lang="en">' in response.content.decode()
    assert language_of(response, "Cercles de lecture", tag="h1") == "fr"
    for name, text in FRENCH_TEXTS.items():
        assert language_of(response, text) == "fr", name
    # The page's own words around the text stay in the page's language.
    for words in ("A good practice of Kraków", "The challenge", "Results and evidence"):
        assert language_of(response, words) == "en", words


def test_detail_of_a_practice_in_another_language_has_no_lang_of_its_own(client, krakow):
    published_practice(krakow, "Círculos de lectura", language="other")

    response = client.get("/en/practices/circulos-de-lectura/")

    assert language_of(response, "Círculos de lectura", tag="h1") == "en"
    assert language_of(response, "Free music lessons in every district library.") == "en"
    assert 'lang="other"' not in response.content.decode()


def test_detail_in_french_has_the_french_prefix_and_lang(client, reading):
    response = client.get("/fr/practices/reading-circles/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert language_of(response, "Reading circles", tag="h1") == "en"
    assert language_of(response, reading.results) == "en"
    assert 'href="/fr/cities/krakow/"' in content


def test_list_card_of_a_french_practice_marks_its_language(client, krakow):
    published_practice(krakow, "Cercles de lecture", language="fr", **FRENCH_TEXTS)
    published_practice(krakow, "Reading circles")

    response = client.get(LIST)

    assert language_of(response, "Cercles de lecture", tag="a") == "fr"
    assert language_of(response, FRENCH_TEXTS["summary"]) == "fr"
    assert language_of(response, "Reading circles", tag="a") == "en"


def test_detail_lists_related_practices_of_the_same_field(client, krakow, dakar, reading):
    published_practice(dakar, "Poetry on screens", fields=["media-arts", "literature"])
    published_practice(dakar, "Film nights", fields=["film"])
    draft_practice(krakow, "Unpublished poems", fields=["literature"])

    response = client.get("/en/practices/reading-circles/")

    related = response.content.decode().split('id="related-title"')[1]
    assert card_titles(response) == ["Poetry on screens"]
    assert "Film nights" not in related
    assert "Unpublished poems" not in related
    assert "Reading circles" not in related


def test_detail_lists_at_most_four_related_practices(client, krakow, reading):
    for number in range(6):
        published_practice(krakow, f"Poems {number}", fields=["literature"])

    response = client.get("/en/practices/reading-circles/")

    assert len(card_titles(response)) == 4
    assert "Reading circles" not in card_titles(response)


def test_detail_without_related_practices_says_so(client, reading):
    content = client.get("/en/practices/reading-circles/").content.decode()

    assert "No other published practice in these fields yet." in content


def test_detail_renders_markdown(client, krakow):
    published_practice(
        krakow,
        "Reading circles",
        results="Attendance **doubled** in *two* years.\n\n- first\n- second",
    )

    content = client.get("/en/practices/reading-circles/").content.decode()

    assert "<strong>doubled</strong>" in content
    assert "<em>two</em>" in content
    assert "<li>first</li>" in content
    assert "**doubled**" not in content


TEXT_FIELDS = (
    "title",
    "summary",
    "challenge",
    "actions",
    "results",
    "transferability",
    "partners",
    "target_groups",
    "contact_role",
)


def hostile_content():
    content = {name: f"Text <script>alert({name})</script> end" for name in TEXT_FIELDS}
    content["actions"] += "\n\n[click me](javascript:alert(actions)) <img src=x onerror=alert(1)>"
    return content


def assert_no_script(content):
    for name in TEXT_FIELDS:
        assert f"<script>alert({name})" not in content, name
        assert f"&lt;script&gt;alert({name})&lt;/script&gt;" in content, name
    assert 'href="javascript:' not in content
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_detail_escapes_script_in_every_text_field(client, krakow):
    content = hostile_content()
    revision = published_practice(krakow, **content)

    response = client.get(f"/en/practices/{revision.practice.slug}/")

    assert response.status_code == 200
    assert_no_script(response.content.decode())


def test_coordinator_preview_escapes_script_in_every_text_field(client, krakow, coordinator):
    revision = draft_practice(krakow, by=coordinator, **hostile_content())
    client.force_login(coordinator)

    response = client.get(f"/en/my/practices/{revision.practice.pk}/")

    assert response.status_code == 200
    assert_no_script(response.content.decode())


def test_list_escapes_script_in_title_and_summary(client, krakow):
    published_practice(krakow, **hostile_content())

    content = client.get(LIST).content.decode()

    for name in ("title", "summary"):
        assert f"<script>alert({name})" not in content
        assert f"&lt;script&gt;alert({name})&lt;/script&gt;" in content


# Query counts: the same with 1 and with 30 practices


def many_practices(krakow, dakar, number):
    for index in range(number):
        published_practice(
            krakow if index % 2 else dakar,
            f"Practice {index:02}",
            fields=["literature", "music"],
            objectives=["access-to-cultural-life"],
            sdgs=["quality-education"],
        )


@pytest.mark.parametrize("practices", [1, 30])
def test_list_query_count_does_not_grow(
    client, krakow, dakar, practices, django_assert_num_queries
):
    many_practices(krakow, dakar, practices)

    # The page and its count, the fields of the cards, and the filter form's choices
    # (fields, cities, countries, objectives, areas of action, goals).
    with django_assert_num_queries(9):
        response = client.get(LIST)

    assert len(card_titles(response)) == min(practices, 20)


@pytest.mark.parametrize("others", [1, 30])
def test_detail_query_count_does_not_grow(client, krakow, dakar, others, django_assert_num_queries):
    """The page of one practice, with 1 or 30 other practices of its fields published."""
    many_practices(krakow, dakar, others + 1)

    # The revision with its city and field; its fields, objectives, areas of action, goals and
    # documents; the related practices and their fields.
    with django_assert_num_queries(8):
        response = client.get("/en/practices/practice-00/")

    assert response.status_code == 200
    assert len(card_titles(response)) == min(others, 4)


# Practices on the city and field pages


def test_city_page_lists_its_published_practices(client, krakow, dakar):
    published_practice(krakow, "Reading circles")
    draft_practice(krakow, "Secret plans")
    published_practice(dakar, "Digital arts lab")

    response = client.get("/en/cities/krakow/")

    content = response.content.decode()
    assert response.status_code == 200
    assert card_titles(response) == ["Reading circles"]
    assert 'href="/en/practices/reading-circles/"' in content
    assert "Secret plans" not in content
    assert "Digital arts lab" not in content


def test_city_page_without_published_practice_says_so(client, krakow):
    draft_practice(krakow, "Secret plans")

    response = client.get("/en/cities/krakow/")

    content = response.content.decode()
    assert card_titles(response) == []
    assert "Secret plans" not in content
    assert "Kraków has not published a good practice yet." in content


def test_field_page_lists_published_practices_of_the_field(client, krakow, dakar):
    published_practice(krakow, "Reading circles", fields=["literature"])
    published_practice(dakar, "Poetry on screens", fields=["media-arts", "literature"])
    published_practice(dakar, "Digital arts lab", fields=["media-arts"])
    draft_practice(krakow, "Secret plans", fields=["literature"])

    response = client.get("/en/fields/literature/")

    content = response.content.decode()
    assert response.status_code == 200
    assert sorted(card_titles(response)) == ["Poetry on screens", "Reading circles"]
    assert "Digital arts lab" not in content
    assert "Secret plans" not in content
