"""The public pages of the partnerships: /partnerships/ (list, filters, sort, pages) and
/partnerships/<slug>/ (one partnership), and the partnerships shown on city and practice
pages."""

import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from partnerships import services
from partnerships.models import (
    PartnershipKind,
    PartnershipRevision,
    Progress,
    Sector,
)
from tests.factories import CityFactory
from tests.partnerships.factories import (
    LIBRARY,
    draft_partnership,
    invite,
    join,
    published_partnership,
    submitted_partnership,
)
from tests.partnerships.helpers import (
    LIST,
    NO_MATCH,
    NOTHING_PUBLISHED,
    PUBLIC,
    PUBLISHER,
    SLUG,
    THEATRE,
    TITLE,
    call,
    organisation,
    partnership_titles,
    practice_titles,
)
from tests.practices.factories import draft_practice, published_practice, secretariat
from tests.practices.helpers import results_count

pytestmark = pytest.mark.django_db


def set_published_at(revision, day):
    PartnershipRevision.objects.filter(pk=revision.pk).update(
        state_changed_at=datetime(2024, 1, day, 12, tzinfo=UTC)
    )


def today():
    return timezone.localdate()


@pytest.fixture
def montreal(db):
    return CityFactory(name="Montréal", country="CA", field_slug="design")


@pytest.fixture
def kyoto(db):
    return CityFactory(name="Kyoto", country="JP", field_slug="crafts-folk-art")


def sent_back_partnership(lead_city, title):
    revision = submitted_partnership(lead_city, title)
    services.partnership_request_changes(
        revision=revision, by=secretariat(), message="Name the partners."
    )
    return revision


# /en/partnerships/: what is listed


def test_list_shows_only_published_partnerships(client, krakow):
    draft_partnership(krakow, "A draft plan")
    submitted_partnership(krakow, "A submitted plan")
    sent_back_partnership(krakow, "A sent back plan")
    published_partnership(krakow, TITLE)

    response = client.get(LIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert partnership_titles(response) == [TITLE]
    assert f'<a href="{PUBLIC}">{TITLE}</a>' in content
    for hidden in ("A draft plan", "A submitted plan", "A sent back plan"):
        assert hidden not in content
    assert results_count(response) == "1 partnership"


def test_list_does_not_show_an_archived_partnership(client, krakow):
    revision = published_partnership(krakow, TITLE)
    services.partnership_archive(revision=revision, by=secretariat())

    response = client.get(LIST)

    assert partnership_titles(response) == []
    assert results_count(response) == "0 partnerships"
    assert NOTHING_PUBLISHED in response.content.decode()


def test_list_shows_the_published_text_while_a_new_draft_exists(client, krakow):
    revision = published_partnership(krakow, TITLE, summary="The published summary.")
    services.partnership_update(
        partnership=revision.partnership,
        by=secretariat(),
        title="Literary residencies, rewritten",
        summary="The draft summary.",
    )

    response = client.get(LIST)

    content = response.content.decode()
    assert partnership_titles(response) == [TITLE]
    assert "The published summary." in content
    assert "rewritten" not in content
    assert "The draft summary." not in content


def test_list_card_shows_kind_lead_city_count_state_call_and_fields(client, krakow, dakar):
    revision = published_partnership(
        krakow,
        TITLE,
        fields=["literature", "music"],
        open_calls=[call("Open call", today() - timedelta(days=3), date(2099, 5, 17))],
    )
    join(revision.partnership, dakar)

    content = client.get(LIST).content.decode()

    assert (
        "Professional or artistic exchange (residency, mobility, training) · "
        "led by Kraków, 2 cities · Ongoing"
    ) in content
    assert "Call for applications open until May 17, 2099" in content
    assert 'href="/en/fields/literature/"' in content
    assert 'href="/en/fields/music/"' in content


def test_list_card_of_a_partnership_of_one_city_does_not_count_invited_cities(
    client, krakow, dakar
):
    revision = published_partnership(krakow, TITLE)
    invite(revision.partnership, dakar)

    content = client.get(LIST).content.decode()

    assert "led by Kraków · Ongoing" in content
    assert "2 cities" not in content
    assert "Call for applications open until" not in content


# Filters


READING, LAB = TITLE, "Digital arts lab"


@pytest.fixture
def two_partnerships(krakow, dakar, montreal, kyoto):
    """Two published partnerships that differ on every filter, and a draft that would match
    the first one's filters if drafts leaked.

    Literary residencies: led by Kraków, Montréal takes part, Kyoto only invited.
    Digital arts lab: led by Dakar, Montréal only invited, Kyoto took part then left.
    """
    reading = published_partnership(
        krakow,
        READING,
        kind=PartnershipKind.EXCHANGE,
        fields=["literature"],
        progress=Progress.ONGOING,
        description="Writers live a month in another city.",
        organisations=[LIBRARY],
        open_calls=[call("Writers 2025", today() - timedelta(days=5), today() + timedelta(days=5))],
    )
    lab = published_partnership(
        dakar,
        LAB,
        kind=PartnershipKind.JOINT_PROJECT,
        fields=["media-arts", "music"],
        progress=Progress.PLANNED,
        summary="Studios for young digital artists.",
        description="Des équipes créatives partagent leurs STUDIOS.",
        organisations=[organisation("Université Cheikh Anta Diop", Sector.RESEARCH, "SN")],
        open_calls=[call("Closed call", date(2020, 1, 1), today() - timedelta(days=1))],
    )
    join(reading.partnership, montreal)
    invite(reading.partnership, kyoto)
    invite(lab.partnership, montreal)
    services.participation_leave(participation=join(lab.partnership, kyoto), by=secretariat())
    set_published_at(reading, 1)
    set_published_at(lab, 2)
    draft_partnership(
        krakow,
        "Literary residencies draft",
        kind=PartnershipKind.STUDY,
        fields=["literature", "media-arts", "music", "film"],
        progress=Progress.COMPLETED,
        description="Writers, équipes, studios.",
        organisations=[organisation("A private press", Sector.PRIVATE, "PL")],
        open_calls=[call("Draft call", today() - timedelta(days=1), today() + timedelta(days=1))],
    )
    return reading, lab


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [LAB, READING]),
        ("kind=exchange", [READING]),
        ("kind=joint-project", [LAB]),
        ("kind=study", []),
        ("field=literature", [READING]),
        ("field=music", [LAB]),
        ("field=media-arts", [LAB]),
        ("field=film", []),
        ("city=krakow", [READING]),
        ("city=dakar", [LAB]),
        ("city=montreal", [READING]),
        ("city=kyoto", []),
        ("country=PL", [READING]),
        ("country=pl", [READING]),
        ("country=sn", [LAB]),
        ("country=ca", [READING]),
        ("country=JP", []),
        ("region=europe-north-america", [READING]),
        ("region=africa", [LAB]),
        ("region=asia-pacific", []),
        ("sector=public", [READING]),
        ("sector=research", [LAB]),
        ("sector=private", []),
        ("state=ongoing", [READING]),
        ("state=planned", [LAB]),
        ("state=completed", []),
        ("open_call=on", [READING]),
        ("open_call=", [LAB, READING]),
        ("q=writers", [READING]),
        ("q=studios", [LAB]),
        ("q=equipes", [LAB]),
        ("q=%C3%89QUIPES+cr%C3%A9atives", [LAB]),
        ("q=digital+arts", [LAB]),
        ("q=writers+studios", []),
        ("field=literature&state=ongoing&open_call=on", [READING]),
        ("city=montreal&kind=joint-project", []),
        ("region=africa&sector=research&q=studios", [LAB]),
    ],
)
def test_list_filters(client, two_partnerships, query, expected):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert partnership_titles(response) == expected
    assert "Literary residencies draft" not in response.content.decode()


def test_list_city_filter_offers_only_cities_taking_part_in_published_partnerships(
    client, two_partnerships
):
    quiet = CityFactory(name="Quietville")
    draft_partnership(quiet, "Not yet public")

    content = client.get(LIST).content.decode()

    select = re.search(r'<select name="city".*?</select>', content, re.DOTALL).group(0)
    for slug in ("krakow", "dakar", "montreal"):
        assert f'<option value="{slug}"' in select, slug
    assert "kyoto" not in select
    assert "quietville" not in select


@pytest.fixture
def crowded(krakow, dakar, montreal):
    """One partnership with two calls open today, two public partners, and three cities of
    one region (Kraków, Montréal, Lyon): every join that could repeat a row."""
    lyon = CityFactory(name="Lyon", country="FR", field_slug="media-arts")
    revision = published_partnership(
        krakow,
        TITLE,
        organisations=[LIBRARY, THEATRE],
        open_calls=[
            call("First call", today() - timedelta(days=2), today() + timedelta(days=2)),
            call("Second call", today(), today() + timedelta(days=30)),
        ],
        fields=["literature", "music"],
    )
    join(revision.partnership, montreal)
    join(revision.partnership, lyon)
    return revision


@pytest.mark.parametrize(
    "query",
    [
        "open_call=on",
        "sector=public",
        "region=europe-north-america",
        "field=music",
        "q=writers+month",
        "open_call=on&sector=public&region=europe-north-america&q=writers",
    ],
)
def test_list_never_shows_a_partnership_twice(client, crowded, query):
    response = client.get(f"{LIST}?{query}")

    assert partnership_titles(response) == [TITLE]
    assert results_count(response) == "1 partnership"


@pytest.mark.parametrize(
    ("opens", "closes", "listed"),
    [
        (0, 10, True),
        (-10, 0, True),
        (0, 0, True),
        (-10, -1, False),
        (1, 10, False),
    ],
    ids=["opens-today", "closes-today", "one-day", "closed-yesterday", "opens-tomorrow"],
)
def test_list_open_call_filter_boundaries(client, krakow, opens, closes, listed):
    published_partnership(
        krakow,
        TITLE,
        open_calls=[call("The call", today() + timedelta(opens), today() + timedelta(closes))],
    )

    response = client.get(f"{LIST}?open_call=on")

    assert partnership_titles(response) == ([TITLE] if listed else [])
    card_badge = "Call for applications open until" in client.get(LIST).content.decode()
    assert card_badge is listed


# Sort


@pytest.fixture
def three_partnerships(krakow):
    """Created Bravo, Alpha, Charlie; published Alpha, then Bravo, then Charlie; started
    Bravo 2024, Charlie 2022, Alpha 2020."""
    bravo = published_partnership(krakow, "Bravo", start_date=date(2024, 1, 1), end_date=None)
    alpha = published_partnership(krakow, "Alpha", start_date=date(2020, 1, 1), end_date=None)
    charlie = published_partnership(krakow, "Charlie", start_date=date(2022, 1, 1), end_date=None)
    set_published_at(alpha, 1)
    set_published_at(bravo, 2)
    set_published_at(charlie, 3)
    return alpha, bravo, charlie


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Charlie", "Bravo", "Alpha"]),
        ("sort=newest", ["Charlie", "Bravo", "Alpha"]),
        ("sort=title", ["Alpha", "Bravo", "Charlie"]),
        ("sort=start", ["Bravo", "Charlie", "Alpha"]),
        ("sort=relevance", ["Charlie", "Bravo", "Alpha"]),
        ("field=literature&sort=title", ["Alpha", "Bravo", "Charlie"]),
    ],
)
def test_list_sort_options(client, three_partnerships, query, expected):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert partnership_titles(response) == expected


def test_list_sort_by_start_breaks_ties_by_title(client, krakow):
    for title in ("Delta", "Alpha", "Charlie"):
        published_partnership(krakow, title, start_date=date(2023, 5, 1))

    response = client.get(f"{LIST}?sort=start")

    assert partnership_titles(response) == ["Alpha", "Charlie", "Delta"]


@pytest.mark.parametrize(
    "query",
    [
        "kind=bogus",
        "field=atlantis",
        "city=atlantis",
        "country=ZZ",
        "region=mars",
        "sector=secret",
        "state=frozen",
        "sort=upside-down",
        "open_call=maybe",
        "q=%3Cscript%3E%27%22%25_",
        "kind=pilot&kind=study",
    ],
)
def test_list_invalid_values_do_not_crash(client, three_partnerships, query):
    response = client.get(f"{LIST}?{query}")

    assert response.status_code == 200
    assert NOTHING_PUBLISHED not in response.content.decode()


@pytest.mark.parametrize(
    "query", ["kind=bogus", "field=atlantis", "city=atlantis", "country=ZZ", "sector=secret"]
)
def test_list_unknown_filter_value_says_no_match(client, three_partnerships, query):
    response = client.get(f"{LIST}?{query}")

    content = response.content.decode()
    assert partnership_titles(response) == []
    assert NO_MATCH in content
    assert NOTHING_PUBLISHED not in content


# Pages and counts


@pytest.fixture
def twenty_one(krakow):
    revisions = [
        published_partnership(krakow, f"Partnership {number:02}") for number in range(1, 22)
    ]
    for day, revision in enumerate(revisions, start=1):
        set_published_at(revision, day)
    return revisions


def test_list_pages_hold_twenty_partnerships(client, twenty_one):
    first = client.get(LIST)
    second = client.get(f"{LIST}?page=2")

    assert len(partnership_titles(first)) == 20
    assert partnership_titles(first)[0] == "Partnership 21"
    assert results_count(first) == "21 partnerships, page 1 of 2"
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert partnership_titles(second) == ["Partnership 01"]
    assert results_count(second) == "21 partnerships, page 2 of 2"


def test_list_page_links_keep_the_filters(client, twenty_one):
    response = client.get(f"{LIST}?kind=exchange&sort=title")

    content = html.unescape(response.content.decode())
    assert partnership_titles(response)[:2] == ["Partnership 01", "Partnership 02"]
    assert 'href="?kind=exchange&sort=title&page=2" rel="next"' in content
    second = client.get(f"{LIST}?kind=exchange&sort=title&page=2")
    assert partnership_titles(second) == ["Partnership 21"]


def test_list_page_out_of_range_is_404(client, twenty_one):
    assert client.get(f"{LIST}?page=3").status_code == 404


# Empty states


def test_list_empty_state_when_nothing_is_published(client, krakow):
    draft_partnership(krakow, "A draft plan")

    response = client.get(LIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert results_count(response) == "0 partnerships"
    assert NOTHING_PUBLISHED in content
    assert NO_MATCH not in content


def test_list_empty_state_when_filters_match_nothing(client, two_partnerships):
    response = client.get(f"{LIST}?kind=study")

    content = response.content.decode()
    assert results_count(response) == "0 partnerships"
    assert NO_MATCH in content
    assert NOTHING_PUBLISHED not in content
    assert f'<a href="{LIST}">Clear all filters</a>' in content


def test_list_sort_alone_is_not_a_filter(client, krakow):
    response = client.get(f"{LIST}?sort=title")

    content = response.content.decode()
    assert NOTHING_PUBLISHED in content
    assert NO_MATCH not in content


# /en/partnerships/<slug>/


def section(content, heading_id):
    """The HTML of the <section> labelled by `heading_id`."""
    start = content.index(f'<h2 id="{heading_id}"')
    return content[start : content.index("</section>", start)]


def linked_city_names(html_text):
    return re.findall(r'<li><a href="/[a-z]{2}/cities/[^"]+/">([^<]+)</a>', html_text)


@pytest.fixture
def residencies(krakow, dakar, montreal, kyoto):
    """Kraków leads; Dakar takes part; Montréal invited; Kyoto declined; Lyon left; three
    partners of three sectors (two public ones); a call open, one closed, one to come."""
    lyon = CityFactory(name="Lyon", country="FR", field_slug="media-arts")
    revision = published_partnership(
        krakow,
        TITLE,
        fields=["literature", "media-arts"],
        start_date=date(2024, 3, 1),
        end_date=date(2026, 12, 31),
        organisations=[
            THEATRE,
            organisation("Université Cheikh Anta Diop", Sector.RESEARCH, "SN"),
            PUBLISHER,
            LIBRARY,
        ],
        open_calls=[
            call("Call open now", today() - timedelta(days=1), today() + timedelta(days=1)),
            call("Call closed", date(2020, 1, 1), today() - timedelta(days=1)),
            call(
                "Call to come",
                today() + timedelta(days=1),
                today() + timedelta(days=9),
                link="",
                contact_email="calls@krakow.example",
            ),
        ],
        website="https://residencies.example.org",
    )
    partnership = revision.partnership
    join(partnership, dakar)
    invite(partnership, montreal)
    services.participation_decline(participation=invite(partnership, kyoto), by=secretariat())
    services.participation_leave(participation=join(partnership, lyon), by=secretariat())
    return revision


def test_detail_shows_title_kind_dates_and_facts(client, residencies):
    response = client.get(PUBLIC)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="page-header__title">{TITLE}</h1>' in content
    assert (
        "Professional or artistic exchange (residency, mobility, training) led by Kraków"
    ) in content
    assert "From March 1, 2024 to Dec. 31, 2026" in content
    assert "<dd>Ongoing</dd>" in content
    assert 'href="/en/partnerships/?kind=exchange"' in content
    assert '<a href="/en/cities/krakow/">Kraków</a> (Poland)' in content
    assert 'href="/en/fields/literature/"' in content
    assert 'href="/en/fields/media-arts/"' in content
    assert 'href="https://residencies.example.org" rel="external nofollow"' in content


def test_detail_without_an_end_date_says_so(client, krakow):
    published_partnership(krakow, TITLE, start_date=date(2024, 3, 1), end_date=None)

    content = client.get(PUBLIC).content.decode()

    assert "Since March 1, 2024, no set end" in content


def test_detail_lists_only_the_cities_taking_part_lead_first(client, residencies):
    content = client.get(PUBLIC).content.decode()

    who = section(content, "who-title")
    assert linked_city_names(who) == ["Kraków", "Dakar"]
    assert "lead city" in who.split("Dakar")[0]
    for absent in ("Montréal", "Kyoto", "Lyon"):
        assert absent not in content, absent


def test_detail_lead_city_comes_first_whatever_the_names(client, dakar, krakow):
    """Alphabetically, Aarhus comes before the lead city Dakar; the lead still comes first."""
    revision = published_partnership(dakar, TITLE)
    join(revision.partnership, CityFactory(name="Aarhus", country="DK"))
    join(revision.partnership, krakow)

    who = section(client.get(PUBLIC).content.decode(), "who-title")

    assert linked_city_names(who) == ["Dakar", "Aarhus", "Kraków"]


def test_detail_groups_organisations_under_sector_headings(client, residencies):
    who = section(client.get(PUBLIC).content.decode(), "who-title")

    headings = re.findall(r"<h3>([^<]+)</h3>", who)
    assert headings == [
        "Member cities",
        "Public body",
        "Private company",
        "University or research body",
    ]
    public = who.split("<h3>Public body</h3>")[1].split("<h3>")[0]
    assert public.index("Kraków Public Library") < public.index("Teatr Stary")
    assert (
        '<a href="https://library.example.org" rel="external nofollow">Kraków Public Library</a>'
        ' <span class="muted">(Poland)</span> — Hosts the writers'
    ) in public
    assert "Teatr Stary <span" in public
    private = who.split("<h3>Private company</h3>")[1].split("<h3>")[0]
    assert "Éditions du Sahel" in private
    assert "(Senegal)" in private


STRANGER_SAYS = {
    **LIBRARY,
    "sector": Sector.INTERNATIONAL,
    "website": "https://stranger.example.org",
}


def assert_library_as_published(content):
    who = section(content, "who-title")
    assert re.findall(r"<h3>([^<]+)</h3>", who) == ["Member cities", "Public body"]
    assert (
        '<a href="https://library.example.org" rel="external nofollow">Kraków Public Library</a>'
    ) in who
    assert "stranger.example.org" not in content
    assert "International organisation" not in who


def test_detail_ignores_what_another_citys_draft_says_of_an_organisation(client, krakow, dakar):
    published_partnership(krakow, TITLE, organisations=[LIBRARY])
    draft_partnership(dakar, "Digital arts lab", organisations=[STRANGER_SAYS])

    assert_library_as_published(client.get(PUBLIC).content.decode())


def test_detail_ignores_an_earlier_draft_that_named_the_organisation_first(client, krakow, dakar):
    """The draft created the organisation's record: the published page still shows only what
    its own revision says."""
    draft_partnership(dakar, "Digital arts lab", organisations=[STRANGER_SAYS])
    published_partnership(krakow, TITLE, organisations=[LIBRARY])

    assert_library_as_published(client.get(PUBLIC).content.decode())


def test_detail_ignores_the_new_draft_of_the_published_partnership(client, krakow):
    revision = published_partnership(krakow, TITLE, organisations=[LIBRARY])
    services.partnership_update(
        partnership=revision.partnership, by=secretariat(), organisations=[STRANGER_SAYS]
    )

    assert_library_as_published(client.get(PUBLIC).content.decode())


def test_sector_filter_ignores_what_drafts_say(client, krakow, dakar):
    published_partnership(krakow, TITLE, organisations=[LIBRARY])
    draft_partnership(dakar, "Digital arts lab", organisations=[STRANGER_SAYS])

    assert partnership_titles(client.get(LIST, {"sector": "international"})) == []
    assert partnership_titles(client.get(LIST, {"sector": "public"})) == [TITLE]


def test_detail_without_organisations_says_so(client, krakow):
    published_partnership(krakow, TITLE)

    content = client.get(PUBLIC).content.decode()

    assert "No partner organisation is named yet." in content
    assert "No call for applications in this partnership." in content


def test_detail_shows_each_call_with_its_state(client, residencies):
    calls = section(client.get(PUBLIC).content.decode(), "calls-title")

    states = dict(
        re.findall(
            r'<h3 class="call__title">([^<]+)</h3>\s*<p class="call__dates">\s*'
            r'<span class="state [^"]+">([^<]+)</span>',
            calls,
        )
    )
    assert states == {
        "Call closed": "Closed",
        "Call open now": "Open now",
        "Call to come": "Opens soon",
    }
    assert '<a href="https://apply.example.org" rel="external nofollow">Apply: Call open now' in (
        calls
    )
    assert '<a href="mailto:calls@krakow.example">calls@krakow.example</a>' in calls
    assert "Who may apply:</strong> Artists of member cities" in calls


def test_detail_lists_the_published_practices_that_came_from_it(client, residencies, dakar, krakow):
    partnership = residencies.partnership
    published_practice(dakar, "Poems on screens", partnership=partnership)
    draft_practice(krakow, "Unpublished poems", partnership=partnership)
    published_practice(krakow, "Unrelated practice")

    response = client.get(PUBLIC)

    content = response.content.decode()
    assert "Good practices that came from it" in content
    assert practice_titles(response) == ["Poems on screens"]
    assert "Unpublished poems" not in content
    assert "Unrelated practice" not in content


def test_detail_without_practices_has_no_practice_section(client, residencies):
    assert "Good practices that came from it" not in client.get(PUBLIC).content.decode()


def test_detail_renders_markdown_and_escapes_html(client, krakow):
    revision = published_partnership(
        krakow,
        "Text <script>alert('title')</script> end",
        summary="Summary <script>alert('summary')</script>",
        description=(
            "Each year, **four writers** travel.\n\n- first\n- second\n\n"
            "<script>alert('description')</script> <img src=x onerror=alert(1)> "
            "[click me](javascript:alert(1))"
        ),
        organisations=[organisation("<b>Bold</b> & co", role="<i>role</i>")],
    )

    content = client.get(revision.partnership.get_absolute_url()).content.decode()

    assert "<strong>four writers</strong>" in content
    assert "<li>first</li>" in content
    assert "**four writers**" not in content
    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert('description')&lt;/script&gt;" in content
    assert "<img src=x" not in content
    assert 'href="javascript:' not in content
    assert "<b>Bold</b>" not in content
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in content
    assert "<i>role</i>" not in content


@pytest.mark.parametrize("state", ["draft", "submitted", "changes_requested", "archived"])
def test_detail_of_an_unpublished_partnership_is_404(client, krakow, state):
    if state == "archived":
        revision = published_partnership(krakow, "Secret plans")
        services.partnership_archive(revision=revision, by=secretariat())
    else:
        make = {
            "draft": draft_partnership,
            "submitted": submitted_partnership,
            "changes_requested": sent_back_partnership,
        }[state]
        make(krakow, "Secret plans")

    response = client.get("/en/partnerships/secret-plans/")

    assert response.status_code == 404
    assert "Secret plans" not in response.content.decode()


def test_detail_of_an_unknown_slug_is_404(client, residencies):
    assert client.get("/en/partnerships/atlantis/").status_code == 404


def test_detail_shows_the_published_text_while_a_new_draft_exists(client, residencies):
    services.partnership_update(
        partnership=residencies.partnership,
        by=secretariat(),
        title="Literary residencies, rewritten",
        description="Draft text nobody should read yet.",
        organisations=[organisation("Draft partner")],
    )

    content = client.get(PUBLIC).content.decode()

    assert f"<title>{TITLE}" in content
    assert "rewritten" not in content
    assert "Draft text nobody should read yet." not in content
    assert "Draft partner" not in content
    assert "Kraków Public Library" in content


def test_detail_in_french(client, residencies):
    response = client.get(f"/fr/partnerships/{SLUG}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in content
    assert TITLE in content
    assert 'href="/fr/cities/krakow/"' in content


# The practice page names the partnership it came from


def test_practice_page_links_to_its_published_partnership(client, residencies, dakar):
    published_practice(dakar, "Poems on screens", partnership=residencies.partnership)

    content = client.get("/en/practices/poems-on-screens/").content.decode()

    assert "Came from the partnership" in content
    assert f'<a href="{PUBLIC}">{TITLE}</a>' in content


def test_practice_page_names_the_published_title_not_the_draft_one(client, residencies, dakar):
    published_practice(dakar, "Poems on screens", partnership=residencies.partnership)
    services.partnership_update(
        partnership=residencies.partnership, by=secretariat(), title="Renamed in a draft"
    )

    content = client.get("/en/practices/poems-on-screens/").content.decode()

    assert f'<a href="{PUBLIC}">{TITLE}</a>' in content
    assert "Renamed in a draft" not in content


@pytest.mark.parametrize("state", ["draft", "archived"])
def test_practice_page_does_not_link_to_an_unpublished_partnership(client, krakow, state):
    if state == "draft":
        partnership = draft_partnership(krakow, TITLE).partnership
    else:
        revision = published_partnership(krakow, TITLE)
        services.partnership_archive(revision=revision, by=secretariat())
        partnership = revision.partnership
    published_practice(krakow, "Poems on screens", partnership=partnership)

    content = client.get("/en/practices/poems-on-screens/").content.decode()

    assert "Came from the partnership" not in content
    assert PUBLIC not in content
    assert TITLE not in content


# Partnerships on the city pages


def test_city_page_lists_the_published_partnerships_the_city_takes_part_in(
    client, krakow, dakar, montreal
):
    reading = published_partnership(krakow, TITLE)
    lab = published_partnership(dakar, LAB)
    join(reading.partnership, dakar)
    invite(lab.partnership, krakow)
    draft = draft_partnership(krakow, "Secret plans")
    join(draft.partnership, dakar)
    left = published_partnership(montreal, "Design week")
    services.participation_leave(participation=join(left.partnership, dakar), by=secretariat())

    dakar_page = client.get("/en/cities/dakar/")
    krakow_page = client.get("/en/cities/krakow/")

    assert sorted(partnership_titles(dakar_page)) == [LAB, TITLE]
    assert partnership_titles(krakow_page) == [TITLE]
    for content in (dakar_page.content.decode(), krakow_page.content.decode()):
        assert "Secret plans" not in content
        assert "Design week" not in content
    assert 'href="/en/partnerships/?city=dakar"' in dakar_page.content.decode()


def test_city_page_without_partnerships_says_so(client, krakow, dakar):
    revision = published_partnership(dakar, LAB)
    invite(revision.partnership, krakow)

    response = client.get("/en/cities/krakow/")

    assert partnership_titles(response) == []
    assert "Kraków takes part in no published partnership yet." in response.content.decode()


# Query counts: the same with 1 and with 30 partnerships


def many_partnerships(krakow, dakar, montreal, number):
    """`number` published partnerships, each with three cities taking part and one invited,
    three partner organisations, two open calls and two fields, and a practice from it."""
    kyoto = CityFactory(name="Kyoto", country="JP", field_slug="crafts-folk-art")
    for index in range(number):
        lead, partner = (krakow, dakar) if index % 2 else (dakar, krakow)
        revision = published_partnership(
            lead,
            f"Partnership {index:02}",
            fields=["literature", "music"],
            objectives=["access-to-cultural-life"],
            sdgs=["quality-education"],
            organisations=[
                organisation(f"Library {index}"),
                organisation(f"Press {index}", Sector.PRIVATE, "SN"),
                organisation(f"University {index}", Sector.RESEARCH, "CA"),
            ],
            open_calls=[
                call(f"Call A{index}", today() - timedelta(days=1), today() + timedelta(days=9)),
                call(f"Call B{index}", today() + timedelta(days=3), today() + timedelta(days=9)),
            ],
        )
        join(revision.partnership, partner)
        join(revision.partnership, montreal)
        invite(revision.partnership, kyoto)
        published_practice(partner, f"Practice {index:02}", partnership=revision.partnership)


# The count, the fields, cities and countries of the filter form, the page of revisions (lead
# city, cities taking part and open call annotated) and their fields.
LIST_QUERIES = 6
# The revision with its lead city; its fields, objectives, areas of action, goals and calls;
# the cities taking part; the partners; the practices from it and their fields.
DETAIL_QUERIES = 10


@pytest.mark.parametrize("partnerships", [1, 30])
def test_list_query_count_does_not_grow(
    client, krakow, dakar, montreal, partnerships, django_assert_num_queries
):
    many_partnerships(krakow, dakar, montreal, partnerships)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(f"{LIST}?open_call=on&region=europe-north-america")

    assert len(partnership_titles(response)) == min(partnerships, 20)


@pytest.mark.parametrize("partnerships", [1, 30])
def test_detail_query_count_does_not_grow(
    client, krakow, dakar, montreal, partnerships, django_assert_num_queries
):
    many_partnerships(krakow, dakar, montreal, partnerships)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get("/en/partnerships/partnership-00/")

    assert response.status_code == 200
    assert practice_titles(response) == ["Practice 00"]


@pytest.mark.parametrize("size", [1, 6])
def test_detail_query_count_does_not_grow_with_its_cities_partners_calls_and_practices(
    client, krakow, size, django_assert_num_queries
):
    revision = published_partnership(
        krakow,
        TITLE,
        fields=["literature", "music", "film"][: min(size, 3)],
        objectives=["access-to-cultural-life"],
        sdgs=["quality-education"],
        organisations=[
            organisation(f"Partner {number}", list(Sector)[number % 5], "PL")
            for number in range(size)
        ],
        open_calls=[
            call(f"Call {number}", today() - timedelta(days=number), today() + timedelta(days=3))
            for number in range(size)
        ],
    )
    for number in range(size):
        city = CityFactory(name=f"City {number}")
        join(revision.partnership, city)
        published_practice(city, f"Practice {number}", partnership=revision.partnership)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(PUBLIC)

    assert len(practice_titles(response)) == size
