"""The admin of cities and creative fields: who gets in, lists, search and filters."""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cities.models import CreativeField
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def krakow():
    return CityFactory(name="Kraków", country="PL", field_slug="literature", designation_year=2013)


@pytest.fixture
def fes():
    return CityFactory(
        name="Fès", country="MA", field_slug="crafts-folk-art", designation_year=2022
    )


def admin_pages(city):
    """Each admin page of the app, with a text only that page shows."""
    music = CreativeField.objects.get(slug="music")
    return {
        "city-list": (reverse("admin:cities_city_changelist"), city.name),
        "city-change": (reverse("admin:cities_city_change", args=[city.pk]), city.slug),
        "field-list": (reverse("admin:cities_creativefield_changelist"), "Artisanat"),
        "field-change": (
            reverse("admin:cities_creativefield_change", args=[music.pk]),
            "Musique",
        ),
    }


PAGES = ["city-list", "city-change", "field-list", "field-change"]


@pytest.mark.parametrize("page", PAGES)
def test_admin_page_anonymous_redirects_to_login(client, krakow, page):
    url, _text = admin_pages(krakow)[page]

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/login/?next={quote(url)}"


@pytest.mark.parametrize("page", PAGES)
def test_admin_page_refuses_user_without_staff_status(client, user, krakow, page):
    url, text = admin_pages(krakow)[page]
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert text not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_admin_page_refuses_staff_without_permission(client, krakow, page):
    url, text = admin_pages(krakow)[page]
    client.force_login(UserFactory(is_staff=True))

    response = client.get(url)

    assert response.status_code == 403
    assert text not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_admin_page_shows_content_to_superuser(client, staff_user, krakow, page):
    url, text = admin_pages(krakow)[page]
    client.force_login(staff_user)

    response = client.get(url)

    assert response.status_code == 200
    assert text in response.content.decode()


def test_admin_city_list_allowed_with_view_permission(client, krakow):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_city"))
    client.force_login(editor)

    response = client.get(reverse("admin:cities_city_changelist"))

    assert response.status_code == 200
    assert listed_cities(response) == ["Kraków"]


def listed_cities(response):
    return re.findall(
        r'<th class="field-name"><a href="[^"]*">([^<]*)</a></th>', response.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Fès", "Kraków"]),
        ("q=krak", ["Kraków"]),
        ("q=krakow", ["Kraków"]),
        ("q=fes", ["Fès"]),
        ("q=pologne", ["Kraków"]),
        ("region__exact=arab-states", ["Fès"]),
        ("region__exact=europe-north-america", ["Kraków"]),
        ("designation_year=2013", ["Kraków"]),
        ("country__exact=MA", ["Fès"]),
    ],
)
def test_admin_city_list_search_and_filters(client, staff_user, krakow, fes, query, expected):
    client.force_login(staff_user)

    response = client.get(f"{reverse('admin:cities_city_changelist')}?{query}")

    assert response.status_code == 200
    assert listed_cities(response) == expected


@pytest.mark.parametrize(("field_slug", "expected"), [("literature", ["Kraków"]), ("film", [])])
def test_admin_city_list_field_filter(client, staff_user, krakow, fes, field_slug, expected):
    client.force_login(staff_user)
    field = CreativeField.objects.get(slug=field_slug)

    response = client.get(f"{reverse('admin:cities_city_changelist')}?field__id__exact={field.pk}")

    assert response.status_code == 200
    assert listed_cities(response) == expected


def test_admin_field_list_shows_city_counts(client, staff_user, krakow, fes):
    CityFactory(field_slug="literature")
    client.force_login(staff_user)

    response = client.get(reverse("admin:cities_creativefield_changelist"))

    content = response.content.decode()
    assert re.search(r'Literature</a></th>.*?<td class="field-city_count">2</td>', content, re.S)
    assert re.search(r'Film</a></th>.*?<td class="field-city_count">0</td>', content, re.S)


def test_admin_field_search(client, staff_user):
    client.force_login(staff_user)

    response = client.get(f"{reverse('admin:cities_creativefield_changelist')}?q=musique")

    content = response.content.decode()
    assert ">Music</a>" in content
    assert ">Film</a>" not in content


def test_admin_city_change_shows_derived_region(client, staff_user, fes):
    client.force_login(staff_user)

    response = client.get(reverse("admin:cities_city_change", args=[fes.pk]))

    content = response.content.decode()
    assert "Arab States" in content
    assert 'name="region"' not in content  # read-only
