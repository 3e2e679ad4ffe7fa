"""The directory of member cities (/en/cities/): filters, sorting, pagination."""

import re

import pytest

from cities.filters import city_choices
from cities.models import City
from tests.cities.helpers import listed_names
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db

DIRECTORY = "/en/cities/"
EMPTY_STATE = "No member city matches these filters."


@pytest.fixture
def cities():
    """Seven members in five regions, and a former member the directory never lists."""
    CityFactory(name="Kraków", country="PL", field_slug="literature", designation_year=2013)
    CityFactory(name="Łódź", country="PL", field_slug="film", designation_year=2017)
    CityFactory(name="Dakar", country="SN", field_slug="media-arts", designation_year=2014)
    CityFactory(name="Bogotá", country="CO", field_slug="music", designation_year=2012)
    CityFactory(name="Kanazawa", country="JP", field_slug="crafts-folk-art", designation_year=2009)
    CityFactory(name="Fès", country="MA", field_slug="crafts-folk-art", designation_year=2022)
    CityFactory(name="Hannover", country="DE", field_slug="music", designation_year=2014)
    CityFactory(name="Oldtown", country="PL", field_slug="literature", is_member=False)


# No ordering below depends on the database's collation (accented letters, ties).
ALL_BY_NAME = ["Bogotá", "Dakar", "Fès", "Hannover", "Kanazawa", "Kraków", "Łódź"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL_BY_NAME),
        ("field=literature", ["Kraków"]),
        ("field=crafts-folk-art", ["Fès", "Kanazawa"]),
        ("region=europe-north-america", ["Hannover", "Kraków", "Łódź"]),
        ("region=arab-states", ["Fès"]),
        ("region=latin-america-caribbean", ["Bogotá"]),
        ("country=PL", ["Kraków", "Łódź"]),
        ("country=pl", ["Kraków", "Łódź"]),
        ("year=2014", ["Dakar", "Hannover"]),
        ("year_from=2014", ["Dakar", "Fès", "Hannover", "Łódź"]),
        ("year_to=2013", ["Bogotá", "Kanazawa", "Kraków"]),
        ("year_from=2013&year_to=2017", ["Dakar", "Hannover", "Kraków", "Łódź"]),
        ("q=krakow", ["Kraków"]),
        ("q=lodz", ["Łódź"]),
        ("q=KRAKÓW", ["Kraków"]),
        ("q=bogota", ["Bogotá"]),
        ("q=fes", ["Fès"]),
        ("q=pologne", ["Kraków", "Łódź"]),
        ("q=senegal", ["Dakar"]),
        ("field=music&region=europe-north-america", ["Hannover"]),
        ("country=PL&field=film", ["Łódź"]),
        ("region=europe-north-america&year_from=2014&q=pol", ["Łódź"]),
        ("field=crafts-folk-art&region=asia-pacific&year=2009&q=kana", ["Kanazawa"]),
    ],
)
def test_directory_filter_lists_matching_members(client, cities, query, expected):
    response = client.get(f"{DIRECTORY}?{query}")

    assert response.status_code == 200
    assert listed_names(response) == expected
    assert "Oldtown" not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort=name", ALL_BY_NAME),
        (
            "sort=country",  # Colombia, Germany, Japan, Morocco, Poland, Senegal
            ["Bogotá", "Hannover", "Kanazawa", "Fès", "Kraków", "Łódź", "Dakar"],
        ),
        (
            "sort=year",
            ["Fès", "Łódź", "Dakar", "Hannover", "Kraków", "Bogotá", "Kanazawa"],
        ),
        (
            "sort=year-asc",
            ["Kanazawa", "Bogotá", "Kraków", "Dakar", "Hannover", "Łódź", "Fès"],
        ),
        ("sort=year&field=music", ["Hannover", "Bogotá"]),
    ],
)
def test_directory_sort_orders_cities(client, cities, query, expected):
    response = client.get(f"{DIRECTORY}?{query}")

    assert listed_names(response) == expected


def test_directory_sort_by_country_uses_french_names_in_french(client, cities):
    # Allemagne, Colombie, Japon, Maroc, Pologne, Sénégal
    response = client.get("/fr/cities/?sort=country")

    assert listed_names(response) == [
        "Hannover",
        "Bogotá",
        "Kanazawa",
        "Fès",
        "Kraków",
        "Łódź",
        "Dakar",
    ]


@pytest.mark.parametrize(
    ("query", "count_text"),
    [("", "7 cities"), ("country=PL", "2 cities"), ("field=literature", "1 city")],
)
def test_directory_shows_total_count(client, cities, query, count_text):
    response = client.get(f"{DIRECTORY}?{query}")

    assert re.search(rf'class="results-count"[^>]*>\s*{count_text}\b', response.content.decode())


def test_directory_empty_result_shows_empty_state(client, cities):
    response = client.get(f"{DIRECTORY}?field=architecture")

    content = response.content.decode()
    assert response.status_code == 200
    assert EMPTY_STATE in content
    assert "0 cities" in content
    assert listed_names(response) == []
    assert 'class="network-map' not in content


def test_directory_with_results_has_no_empty_state(client, cities):
    response = client.get(DIRECTORY)

    assert EMPTY_STATE not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year_from=abc&year_to=",
        "year=2003",
        "field=poetry",
        "region=atlantis",
        "country=XX",
        "sort=random",
    ],
)
def test_directory_invalid_value_does_not_crash(client, cities, query):
    response = client.get(f"{DIRECTORY}?{query}")

    assert response.status_code == 200
    assert "Directory of member cities" in response.content.decode()


def test_directory_invalid_year_shows_form_error(client, cities):
    response = client.get(f"{DIRECTORY}?year=abc")

    content = response.content.decode()
    assert "Enter a number." in content
    assert "form-field--invalid" in content


def test_directory_without_filter_offers_no_clear_link(client, cities):
    response = client.get(DIRECTORY)

    assert "Clear all filters" not in response.content.decode()


@pytest.mark.parametrize("query", ["field=music", "q=krakow", "year_from=2010"])
def test_directory_with_filter_offers_clear_link(client, cities, query):
    response = client.get(f"{DIRECTORY}?{query}")

    assert f'<a href="{DIRECTORY}">Clear all filters</a>' in response.content.decode()


@pytest.fixture
def many_music_cities():
    """30 Cities of Music (more than a page) and 3 Cities of Film."""
    music = CityFactory.create_batch(30, field_slug="music")
    CityFactory.create_batch(3, field_slug="film")
    return music


def test_directory_paginates_24_per_page(client, many_music_cities):
    first = client.get(DIRECTORY)
    second = client.get(f"{DIRECTORY}?page=2")

    assert len(listed_names(first)) == 24
    assert len(listed_names(second)) == 9
    assert "33 cities" in first.content.decode()
    assert "page 1 of 2" in first.content.decode()
    assert "page 2 of 2" in second.content.decode()
    assert not set(listed_names(first)) & set(listed_names(second))


def test_directory_page_links_keep_filters(client, many_music_cities):
    response = client.get(f"{DIRECTORY}?field=music&sort=year")

    page_links = re.findall(r'href="([^"]*page=2[^"]*)"', response.content.decode())
    assert page_links
    for link in page_links:
        assert "field=music" in link
        assert "sort=year" in link


def test_directory_second_page_keeps_filters(client, many_music_cities):
    response = client.get(f"{DIRECTORY}?field=music&page=2")

    content = response.content.decode()
    names = listed_names(response)
    assert len(names) == 6
    assert "30 cities" in content
    assert "page 2 of 2" in content
    music_names = {city.name for city in many_music_cities}
    assert set(names) <= music_names
    previous_links = re.findall(r'href="([^"]*)" rel="prev"', content)
    assert len(previous_links) == 1
    assert "field=music" in previous_links[0]
    assert "page=1" in previous_links[0]


def test_city_choices_name_each_city_with_its_country_by_name(db):
    CityFactory(name="Zagreb", country="HR")
    CityFactory(name="Granada", slug="granada-spain", country="ES")
    CityFactory(name="Granada", slug="granada-nicaragua", country="NI")

    assert city_choices(City.objects.all()) == [
        ("granada-spain", "Granada (ES)"),
        ("granada-nicaragua", "Granada (NI)"),
        ("zagreb", "Zagreb (HR)"),
    ]
