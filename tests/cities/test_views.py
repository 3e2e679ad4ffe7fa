"""The public pages: home, directory map, field page, city page, languages, query counts."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from cities.models import City
from tests.cities.helpers import listed_names, map_dot_links
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


def figure(content, label):
    """The number shown under `label` in the home page's figures."""
    match = re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", content)
    assert match, f"no figure {label!r}"
    return match.group(1)


@pytest.mark.parametrize(
    ("url", "language", "texts"),
    [
        ("/en/", "en", ["UNESCO Creative Cities Network", "Music", "Crafts and Folk Art"]),
        ("/fr/", "fr", ["Musique", "Artisanat et arts populaires", "Villes membres"]),
    ],
)
def test_home_shows_fields_in_page_language(client, url, language, texts):
    CityFactory(field_slug="music")

    response = client.get(url)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in content
    for text in texts:
        assert text in content
    assert f'href="/{language}/fields/music/"' in content
    assert f'href="/{language}/cities/"' in content


def test_home_french_page_has_no_english_field_names(client):
    response = client.get("/fr/")

    content = response.content.decode()
    assert ">Music<" not in content
    assert ">Literature<" not in content


def test_home_shows_network_figures(client):
    CityFactory(country="PL", field_slug="music")
    CityFactory(country="PL", field_slug="film")
    CityFactory(country="SN", field_slug="music")
    CityFactory(country="JP", field_slug="music", is_member=False)

    content = client.get("/en/").content.decode()

    assert figure(content, "Member cities") == "3"
    assert figure(content, "Countries") == "2"
    assert figure(content, "UNESCO regions") == "2"
    assert figure(content, "Creative fields") == "8"
    assert re.search(r'field-tile__name">Music</span>\s*<span[^>]*>2 cities<', content)
    assert re.search(r'field-tile__name">Film</span>\s*<span[^>]*>1 city<', content)


def test_home_shows_whole_network_figures(client, network):
    content = client.get("/en/").content.decode()

    countries = City.objects.values("country").distinct().count()
    assert figure(content, "Member cities") == "405"
    assert figure(content, "Countries") == str(countries)
    assert figure(content, "UNESCO regions") == "5"
    assert re.search(r'field-tile__name">Music</span>\s*<span[^>]*>84 cities<', content)
    assert re.search(r'field-tile__name">Architecture</span>\s*<span[^>]*>5 cities<', content)


def test_field_page_lists_its_cities_with_count(client, network):
    music = City.objects.filter(field__slug="music").order_by("name")

    response = client.get("/en/fields/music/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "84 Cities of Music" in content
    for city in music[:50]:
        assert f'<a href="/en/cities/{city.slug}/">{escape(city.name)}</a>' in content
    assert "/en/cities/krakow/" not in content  # literature
    assert 'href="/en/cities/?field=music"' in content
    second_page = client.get("/en/fields/music/?page=2").content.decode()
    for city in music[50:]:
        assert f'<a href="/en/cities/{city.slug}/">{escape(city.name)}</a>' in second_page


def test_field_page_in_french(client):
    CityFactory(name="Bogotá", country="CO", field_slug="music")

    response = client.get("/fr/fields/music/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Musique" in content
    assert "Colombie" in content
    assert '<a href="/fr/cities/bogota/">Bogotá</a>' in content


def test_field_page_without_cities_says_so(client):
    CityFactory(field_slug="music")

    response = client.get("/en/fields/architecture/")

    assert "No member city is designated in this field yet." in response.content.decode()


def test_field_page_leaves_out_former_members(client):
    CityFactory(name="Current", field_slug="music")
    CityFactory(name="Former", field_slug="music", is_member=False)

    content = client.get("/en/fields/music/").content.decode()

    assert ">Current<" in content
    assert ">Former<" not in content
    assert "1 City of Music" in content


def test_city_page_shows_facts_and_neighbours(client, network):
    same_field = (
        City.objects.filter(field__slug="literature").exclude(slug="krakow").order_by("name")[0]
    )

    response = client.get("/en/cities/krakow/")

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="page-header__title">Kraków</h1>' in content
    assert "UNESCO Creative City of Literature since 2013, in Poland." in content
    assert 'href="/en/fields/literature/"' in content
    assert '<a href="/en/cities/?country=PL">Poland</a>' in content
    assert (
        '<a href="/en/cities/?region=europe-north-america">Europe and North America</a>' in content
    )
    assert "<dd>2013</dd>" in content
    # Other Cities of Literature, other cities in Poland.
    assert f'href="/en/cities/{same_field.slug}/"' in content
    assert '<a href="/en/cities/wroclaw/">Wrocław</a>' in content
    assert '<a href="/en/cities/lodz/">Łódź</a> <span class="muted">(Film)</span>' in content
    assert (
        '<a href="/en/cities/katowice/">Katowice</a> <span class="muted">(Music)</span>' in content
    )
    assert 'href="/en/cities/krakow/"' not in content.split('id="same-field-title"')[1]


def test_city_page_in_french(client):
    CityFactory(name="Kraków", country="PL", field_slug="literature", designation_year=2013)

    content = client.get("/fr/cities/krakow/").content.decode()

    assert "Pologne" in content
    assert "Littérature" in content
    assert 'href="/fr/fields/literature/"' in content


def test_city_page_has_focused_map_of_the_city(client):
    CityFactory(name="Kraków", country="PL", field_slug="literature")

    response = client.get("/en/cities/krakow/")

    content = response.content.decode()
    assert 'class="network-map network-map--focus"' in content
    assert map_dot_links(response) == ["/en/cities/krakow/"]
    assert "<title>Kraków</title>" in content


def test_city_page_of_former_member_says_so(client):
    CityFactory(name="Oldtown", is_member=False)

    content = client.get("/en/cities/oldtown/").content.decode()

    assert "This city is no longer a member of the network." in content


@pytest.mark.parametrize(
    "url",
    ["/en/cities/atlantis/", "/fr/cities/atlantis/", "/en/fields/poetry/", "/fr/fields/poetry/"],
)
def test_unknown_city_or_field_is_404(client, url):
    CityFactory(name="Kraków", country="PL")

    response = client.get(url)

    assert response.status_code == 404
    language = url.split("/")[1]
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert f'href="/{language}/cities/"' in content
    assert {"en": "Page not found", "fr": "Page introuvable"}[language] in content


@pytest.mark.parametrize(
    ("accept_language", "target"),
    [
        ("fr", "/fr/"),
        ("fr-CA,fr;q=0.9,en;q=0.5", "/fr/"),
        ("en-GB,en;q=0.9", "/en/"),
        ("de", "/en/"),
    ],
)
def test_root_redirects_to_browser_language(client, accept_language, target):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 302
    assert response["Location"] == target


@pytest.mark.parametrize(
    ("url", "other_language_link"),
    [
        ("/en/cities/krakow/", 'href="/fr/cities/krakow/"'),
        ("/fr/cities/krakow/", 'href="/en/cities/krakow/"'),
        ("/en/cities/?field=music", 'href="/fr/cities/?field=music"'),
        ("/en/cities/?field=music&sort=year", 'href="/fr/cities/?field=music&amp;sort=year"'),
        ("/fr/fields/music/?page=1", 'href="/en/fields/music/?page=1"'),
        ("/en/", 'href="/fr/"'),
    ],
)
def test_language_switcher_links_to_same_page(client, url, other_language_link):
    CityFactory(name="Kraków", country="PL")

    content = client.get(url).content.decode()

    switcher = content.split('class="language-switcher"')[1].split("</nav>")[0]
    assert other_language_link in switcher


@pytest.mark.parametrize(("query", "dots"), [("", 33), ("field=music", 30), ("field=film", 3)])
def test_directory_map_has_one_dot_per_filtered_city(client, query, dots):
    CityFactory.create_batch(30, field_slug="music")
    CityFactory.create_batch(3, field_slug="film")

    response = client.get(f"/en/cities/?{query}")

    links = map_dot_links(response)
    assert len(links) == dots
    assert len(set(links)) == dots
    assert len(listed_names(response)) == min(dots, 24)
    assert 'class="network-map network-map--focus"' not in response.content.decode()


# Query counts: a page must not run more queries when the network grows.


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/en/", 2),
        ("/fr/", 2),
        ("/en/cities/", 5),
        ("/en/cities/?field=music&region=europe-north-america&sort=country&q=a", 6),
        ("/en/cities/?year_from=2010&year_to=2020&sort=year", 5),
        ("/en/fields/music/", 4),
        ("/en/cities/krakow/", 5),
    ],
)
def test_page_query_count_does_not_grow_with_network(
    client, django_assert_num_queries, url, expected
):
    CityFactory(
        name="Kraków",
        country="PL",
        field_slug="literature",
        designation_year=2013,
        latitude="50.0833",
        longitude="19.9167",
    )
    CityFactory(name="Gdynia", country="PL", field_slug="film")
    CityFactory(name="Katowice", country="PL", field_slug="music")
    CityFactory(name="Hannover", country="DE", field_slug="music")
    CityFactory(name="Bogotá", country="CO", field_slug="music")
    with_five_cities = count_queries(client, url)

    call_command("load_network", stdout=io.StringIO())
    assert City.objects.count() > 400
    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200
    assert with_five_cities == expected


def test_directory_of_the_whole_network_stays_under_60_kilobytes(client, network):
    """The map draws every member city on the first page: it must stay light (the
    performance targets of docs/performance.md allow 60 KB of HTML a page)."""
    for language in ("en", "fr"):
        response = client.get(f"/{language}/cities/")

        assert len(map_dot_links(response)) == 405
        assert len(response.content) <= 60 * 1024
