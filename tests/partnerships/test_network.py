"""The network page: how the member cities cooperate, counted from the published partnerships."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cities.models import CreativeField
from cities.regions import Region
from partnerships import services
from partnerships.models import Participation, Sector
from partnerships.network import CITY_PAIR_LIMIT, network_figures
from tests.factories import CityFactory
from tests.partnerships.factories import draft_partnership, invite, join, published_partnership
from tests.practices.factories import secretariat

REGIONS = list(Region)


def organisation(name, sector, country="FR"):
    return {"name": name, "sector": sector, "country": country, "website": "", "role": ""}


@pytest.fixture
def cooperation(krakow, dakar):
    """Three published partnerships across Europe, Africa and Latin America, and around them
    what must not count: a draft, an archived partnership, an invitation not accepted, a city
    that left, a new draft of a published partnership, a city that left the network."""
    lyon = CityFactory(name="Lyon", country="FR", field_slug="gastronomy")
    bogota = CityFactory(name="Bogotá", country="CO", field_slug="music")
    medellin = CityFactory(name="Medellín", country="CO", field_slug="music")
    porto = CityFactory(name="Porto", country="PT", field_slug="media-arts")
    sapporo = CityFactory(name="Sapporo", country="JP", field_slug="media-arts")
    tunis = CityFactory(name="Tunis", country="TN", field_slug="crafts-folk-art")
    dubai = CityFactory(name="Dubai", country="AE", field_slug="design")
    sydney = CityFactory(name="Sydney", country="AU", field_slug="film")
    CityFactory(name="Oldtown", country="DE", is_member=False)

    residencies = published_partnership(
        krakow,
        "Literary residencies",
        fields=["literature", "media-arts"],
        organisations=[
            organisation("Kraków Public Library", Sector.PUBLIC, "PL"),
            organisation("Jagiellonian University", Sector.RESEARCH, "PL"),
        ],
    ).partnership
    join(residencies, dakar)
    join(residencies, bogota)
    invite(residencies, porto)  # not accepted

    food = published_partnership(lyon, "Food and film", fields=["gastronomy"]).partnership
    join(food, krakow)
    join(food, dakar)
    # A new draft adds a private company: the published revision still has no organisation.
    services.partnership_update(
        partnership=food,
        by=secretariat(),
        organisations=[organisation("Bistro SA", Sector.PRIVATE)],
        fields=CreativeField.objects.filter(slug="design"),
    )

    music = published_partnership(
        bogota,
        "Music schools",
        fields=["music", "literature"],
        organisations=[organisation("Red de Escuelas", Sector.CIVIL_SOCIETY, "CO")],
    ).partnership
    join(music, medellin)
    join(music, lyon)
    services.participation_leave(participation=join(music, sapporo), by=secretariat())

    draft = draft_partnership(
        tunis,
        "Craft fairs",
        fields=["design"],
        organisations=[organisation("Crafts Ltd", Sector.PRIVATE, "TN")],
    ).partnership
    join(draft, sydney)
    join(draft, krakow)

    archived = published_partnership(
        dubai,
        "Design weeks",
        fields=["film"],
        organisations=[organisation("UN Agency", Sector.INTERNATIONAL, "CH")],
    )
    join(archived.partnership, sydney)
    services.partnership_archive(revision=archived, by=secretariat())

    return {
        "krakow": krakow,
        "dakar": dakar,
        "lyon": lyon,
        "bogota": bogota,
        "medellin": medellin,
        "porto": porto,
        "sapporo": sapporo,
        "tunis": tunis,
        "dubai": dubai,
        "sydney": sydney,
    }


def test_network_figures_partnership_and_city_counts(cooperation):
    figures = network_figures()

    assert figures.partnership_count == 3
    # Kraków, Dakar, Lyon, Bogotá, Medellín: not Porto (invited), Sapporo (left), Sydney...
    assert figures.city_count == 5


def test_network_figures_region_matrix_counts_each_partnership_once_per_pair_of_regions(
    cooperation,
):
    matrix = network_figures().region_matrix

    assert [row.region for row in matrix.rows] == REGIONS
    assert [column.region for column in matrix.columns] == REGIONS
    # Africa, Arab States, Asia-Pacific, Europe-North America, Latin America-Caribbean.
    assert [row.values for row in matrix.rows] == [
        [0, 0, 0, 2, 1],  # Africa: with Europe in residencies and food; Bogotá in residencies
        [0, 0, 0, 0, 0],  # Arab States: Tunis's draft and Dubai's archived partnership
        [0, 0, 0, 0, 0],  # Asia-Pacific: Sapporo left, Sydney only in a draft and archived
        [2, 0, 0, 1, 2],  # Europe: Kraków and Lyon together in food
        [1, 0, 0, 2, 1],  # Latin America: Bogotá and Medellín together in music
    ]
    assert matrix.value(Region.EUROPE_NORTH_AMERICA, Region.AFRICA) == 2
    assert all(
        matrix.value(row, column) == matrix.value(column, row)
        for row in REGIONS
        for column in REGIONS
    )


def test_network_figures_region_matrix_shades_darkest_for_the_largest_value(cooperation):
    matrix = network_figures().region_matrix
    shades = [[cell.shade for cell in row.cells] for row in matrix.rows]

    assert shades == [
        [0, 0, 0, 4, 2],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [4, 0, 0, 2, 4],
        [2, 0, 0, 4, 2],
    ]
    assert matrix.rows[3].cells[0].is_dark
    assert not matrix.rows[3].cells[3].is_dark


def test_network_figures_city_pairs_most_shared_first_then_by_names(cooperation):
    figures = network_figures()

    assert [(pair.first.name, pair.second.name, pair.count) for pair in figures.city_pairs] == [
        ("Dakar", "Kraków", 2),
        ("Bogotá", "Dakar", 1),
        ("Bogotá", "Kraków", 1),
        ("Bogotá", "Lyon", 1),
        ("Bogotá", "Medellín", 1),
        ("Dakar", "Lyon", 1),
        ("Kraków", "Lyon", 1),
        ("Lyon", "Medellín", 1),
    ]
    assert figures.city_pair_count == 8
    assert figures.more_city_pairs == 0
    assert figures.city_pairs[0].first.get_absolute_url() == "/en/cities/dakar/"


def test_network_figures_sectors_of_the_published_revisions_only(cooperation):
    figures = network_figures()

    assert [(row.key, row.value) for row in figures.sectors.rows] == [
        (Sector.PUBLIC, 1),
        (Sector.PRIVATE, 0),  # only in a new draft of "food" and in the draft partnership
        (Sector.CIVIL_SOCIETY, 1),
        (Sector.RESEARCH, 1),
        (Sector.INTERNATIONAL, 0),  # only in the archived partnership
    ]
    assert figures.no_organisation_count == 1  # "food", as published
    assert figures.sectors.max == 3
    assert [row.percent for row in figures.sectors.rows] == [33.3, 0, 33.3, 33.3, 0]
    assert figures.sectors.rows[0].url == "/en/partnerships/?sector=public"


def test_network_figures_by_field_in_the_order_of_the_fields(cooperation):
    figures = network_figures()
    expected = {"media-arts": 1, "gastronomy": 1, "literature": 2, "music": 1}

    assert [(row.key, row.value) for row in figures.by_field.rows] == [
        (slug, expected.get(slug, 0))
        for slug in CreativeField.objects.values_list("slug", flat=True)
    ]
    assert [row.key for row in figures.by_field.rows][:3] == [
        "crafts-folk-art",
        "media-arts",
        "design",
    ]
    literature = next(row for row in figures.by_field.rows if row.key == "literature")
    assert literature.percent == 66.7
    assert literature.url == "/en/partnerships/?field=literature"


def test_network_figures_by_region(cooperation):
    figures = network_figures()

    assert [(row.key, row.value) for row in figures.by_region.rows] == [
        (Region.AFRICA, 2),
        (Region.ARAB_STATES, 0),
        (Region.ASIA_PACIFIC, 0),
        (Region.EUROPE_NORTH_AMERICA, 3),
        (Region.LATIN_AMERICA_CARIBBEAN, 2),
    ]
    assert figures.by_region.rows[3].percent == 100
    assert figures.by_region.rows[3].url == "/en/partnerships/?region=europe-north-america"


def test_network_figures_cities_without_partnership_grouped_by_region(cooperation):
    figures = network_figures()

    assert [
        (group.region, [city.name for city in group.cities]) for group in figures.cities_without
    ] == [
        (Region.ARAB_STATES, ["Dubai", "Tunis"]),  # archived; draft
        (Region.ASIA_PACIFIC, ["Sapporo", "Sydney"]),  # left; draft and archived only
        (Region.EUROPE_NORTH_AMERICA, ["Porto"]),  # invited, not accepted; Oldtown is no member
    ]
    assert figures.cities_without_count == 5
    porto = figures.cities_without[2].cities[0]
    assert (porto.slug, porto.country.code) == ("porto", "PT")


def test_network_figures_with_nothing_published(krakow, dakar):
    draft_partnership(krakow)

    figures = network_figures()

    assert figures.partnership_count == 0
    assert figures.city_count == 0
    assert figures.city_pairs == []
    assert figures.city_pair_count == 0
    assert all(value == 0 for row in figures.region_matrix.rows for value in row.values)
    assert [row.value for row in figures.sectors.rows] == [0] * len(Sector)
    assert [row.percent for row in figures.by_region.rows] == [0] * len(Region)
    assert figures.no_organisation_count == 0
    assert [
        (group.region, [city.name for city in group.cities]) for group in figures.cities_without
    ] == [(Region.AFRICA, ["Dakar"]), (Region.EUROPE_NORTH_AMERICA, ["Kraków"])]
    assert figures.cities_without_count == 2


def test_network_figures_keeps_the_top_pairs_and_counts_them_all(krakow):
    cities = [CityFactory(name=f"City {letter}") for letter in "ABCDEFG"]
    partnership = published_partnership(krakow).partnership
    for city in cities:
        join(partnership, city)
    second = published_partnership(cities[6], "Second").partnership
    join(second, cities[5])

    figures = network_figures()

    assert figures.city_pair_count == 28  # 8 cities: 8 * 7 / 2 pairs
    assert len(figures.city_pairs) == CITY_PAIR_LIMIT
    assert figures.more_city_pairs == 8
    first = figures.city_pairs[0]
    assert (first.first.name, first.second.name, first.count) == ("City F", "City G", 2)
    assert [(pair.first.name, pair.second.name) for pair in figures.city_pairs[1:3]] == [
        ("City A", "City B"),
        ("City A", "City C"),
    ]


def test_network_figures_in_six_queries(cooperation, django_assert_num_queries):
    with django_assert_num_queries(6):
        network_figures()


def _row(label, values):
    cells = "".join(f'<td class="data-table__number">{value}</td>' for value in values)
    return f'<tr><th scope="row">{label}</th>{cells}</tr>'


def test_network_page_shows_the_figures_to_anonymous_visitors(client, cooperation):
    response = client.get(reverse("partnerships:network"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "How the network cooperates" in html
    assert re.search(r'<svg class="heat-matrix__svg"[^>]*aria-hidden="true"', html)
    assert len(re.findall(r'<svg class="bar-chart__svg"[^>]*aria-hidden="true"', html)) == 3
    assert "style=" not in html.split('<main id="main"')[1]
    assert "<script" not in html
    # The matrix as a table.
    assert _row("Europe and North America", [2, 0, 0, 1, 2]) in html
    assert _row("Latin America and the Caribbean", [1, 0, 0, 2, 1]) in html
    assert '<th scope="col" class="data-table__number">Arab States</th>' in html
    # City pairs, linked to the cities' pages.
    assert (
        '<a href="/en/cities/dakar/">Dakar</a> and <a href="/en/cities/krakow/">Kraków</a></th>'
        '<td class="data-table__number">2</td>'
    ) in html
    # Bar charts' tables.
    assert (
        '<a href="/en/partnerships/?sector=civil-society">Civil society organisation</a></th>'
    ) in html
    assert '<a href="/en/partnerships/?field=literature">' in html
    assert '<a href="/en/partnerships/?region=europe-north-america">' in html
    assert "1 published partnership has no partner organisation." in html
    assert 'href="/en/partnerships/">See the 3 published partnerships</a>' in html


def test_network_page_lists_cities_without_partnership_in_details(client, cooperation):
    html = client.get(reverse("partnerships:network")).content.decode()

    assert "5 member cities take part in no published partnership yet." in html
    groups = re.findall(r"<details[^>]*>(.*?)</details>", html, flags=re.S)
    assert len(groups) == 3
    assert "Arab States: 2 cities" in groups[0]
    assert re.findall(r'<a href="/en/cities/([\w-]+)/">', groups[0]) == ["dubai", "tunis"]
    assert re.findall(r'<a href="/en/cities/([\w-]+)/">', groups[1]) == ["sapporo", "sydney"]
    assert "Europe and North America: 1 city" in groups[2]
    assert re.findall(r'<a href="/en/cities/([\w-]+)/">', groups[2]) == ["porto"]
    assert "(Portugal)" in groups[2]


def test_network_page_in_french(client, cooperation):
    # The request activates French: the override puts English back for the next tests.
    with translation.override("fr"):
        url = reverse("partnerships:network")
        response = client.get(url)

    assert url == "/fr/network/"
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert '<a href="/fr/cities/dakar/">Dakar</a>' in html
    assert '<a href="/fr/partnerships/?field=literature">' in html
    # SVG coordinates keep a decimal point in French.
    assert re.search(r'<rect class="bar-chart__bar" x="0" y="\d+" width="\d+\.\d+"', html)
    assert not re.search(r'width="\d+,\d+"', html)


def test_network_page_empty_state_when_nothing_is_published(client, krakow):
    draft_partnership(krakow)

    response = client.get(reverse("partnerships:network"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "No partnership has been published yet" in html
    assert "heat-matrix__svg" not in html
    assert "1 member city takes part in no published partnership yet." in html
    assert '<a href="/en/cities/krakow/">Kraków</a>' in html


def test_network_page_when_every_member_city_takes_part(client, krakow, dakar):
    join(published_partnership(krakow).partnership, dakar)

    html = client.get(reverse("partnerships:network")).content.decode()

    assert "Every member city takes part in at least one published partnership." in html
    assert "<details" not in html


def _page_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("partnerships:network"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_network_page_query_count_does_not_grow_with_the_data(client, krakow, dakar):
    join(published_partnership(krakow, "First").partnership, dakar)
    with_one = _page_queries(client)

    cities = [
        CityFactory(name=f"City {number}", country=country)
        for number, country in enumerate(["FR", "SN", "CO", "JP", "TN", "BR", "KE"] * 3)
    ]
    for number in range(29):
        revision = published_partnership(
            cities[number % len(cities)],
            f"Partnership {number}",
            fields=["music", "film", "design"][: 1 + number % 3],
            organisations=[
                organisation(f"Organisation {number} {sector}", sector)
                for sector in list(Sector)[: 1 + number % len(Sector)]
            ],
        )
        for offset in range(1, 6):
            join(revision.partnership, cities[(number + offset) % len(cities)])
    assert network_figures().partnership_count == 30
    assert Participation.objects.count() > 150

    assert _page_queries(client) == with_one
