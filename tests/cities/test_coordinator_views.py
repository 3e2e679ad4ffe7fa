"""A coordinator's pages: /my/ (their cities) and /my/cities/<slug>/ (the presentation form)."""

import io
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from PIL import Image

from cities.models import City
from tests.factories import CityFactory, UserFactory, image_bytes, image_upload

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/my/"
EDIT_KRAKOW = "/en/my/cities/krakow/"
LOGIN = "/en/accounts/login/"
EMPTY_STATE = "Your account is not linked to any city yet."
KEPT_TOKEN = re.compile(r'<input type="hidden" name="image_kept" value="([^"]*)"')
KEPT_MESSAGE = "Your picture “{name}” is kept: you do not need to choose it again."
ALT_MISSING = "Describe the picture for people who cannot see it."
CREDIT_MISSING = "Say who made the picture (photographer or owner)."
BAD_URL = "Enter a valid URL."
NOT_HTTP = "Give a web address starting with http:// or https://."
NOT_AN_IMAGE = "This file is not an image"


def presentation(city):
    city.refresh_from_db()
    return (city.description, city.website, city.image.name, city.image_alt)


def designation(city):
    city.refresh_from_db()
    return (
        city.name,
        city.slug,
        city.country.code,
        city.field.slug,
        city.designation_year,
        city.latitude,
        city.longitude,
        city.is_member,
    )


def kept_token(response):
    match = KEPT_TOKEN.search(response.content.decode())
    assert match, "no image_kept hidden input"
    return match.group(1)


def kept_files(media_root):
    """The kept uploads: in the private storage beside the test's media, never in the media."""
    assert not (media_root / "kept-uploads").exists()
    folder = Path(settings.RVCU_PRIVATE_MEDIA_ROOT) / "kept-uploads"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


# /en/my/


def test_dashboard_anonymous_redirects_to_login(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(DASHBOARD)}"


def test_dashboard_french_anonymous_redirects_to_french_login(client):
    response = client.get("/fr/my/")

    assert response.status_code == 302
    assert response["Location"] == f"/fr/accounts/login/?next={quote('/fr/my/')}"


@pytest.mark.parametrize(
    ("role", "listed", "not_listed"),
    [
        ("coordinator", "krakow", "dakar"),
        ("other-coordinator", "dakar", "krakow"),
    ],
)
def test_dashboard_lists_only_own_cities_with_edit_link(
    log_in_as, client, role, listed, not_listed
):
    log_in_as(role)

    response = client.get(DASHBOARD)

    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="/en/my/cities/{listed}/"' in content
    assert f'href="/en/cities/{listed}/"' in content
    assert f"/{not_listed}/" not in content
    assert EMPTY_STATE not in content


@pytest.mark.parametrize(("role", "admin_link"), [("user", False), ("staff", True)])
def test_dashboard_without_city_shows_empty_state(log_in_as, client, role, admin_link):
    person = log_in_as(role)

    response = client.get(DASHBOARD)

    content = response.content.decode()
    assert response.status_code == 200
    assert EMPTY_STATE in content
    assert f"You are logged in as {person.email}." in content
    assert "/en/my/cities/" not in content
    assert ('href="/admin/"' in content) is admin_link


def test_dashboard_lists_several_cities_by_name(client, user):
    for name in ("Zanzibar", "Aveiro", "Montréal"):
        CityFactory(name=name).coordinators.add(user)
    client.force_login(user)

    content = client.get(DASHBOARD).content.decode()

    titles = re.findall(r'<h2 class="city-card__title"><a href="[^"]*">([^<]*)</a></h2>', content)
    assert titles == ["Aveiro", "Montréal", "Zanzibar"]


@pytest.mark.parametrize("cities", [1, 5, 20])
def test_dashboard_query_count_does_not_grow_with_cities(
    client, user, cities, django_assert_num_queries
):
    for _number in range(cities):
        CityFactory().coordinators.add(user)
    client.force_login(user)

    # Session, user, the user's cities with their field, the invitations, the count of
    # practices and of partnerships (none here).
    with django_assert_num_queries(6):
        response = client.get(DASHBOARD)

    assert response.content.decode().count('href="/en/my/cities/') == cities


# /en/my/cities/<slug>/ : who may see and change it


def test_edit_anonymous_get_redirects_to_login(client, krakow):
    response = client.get(EDIT_KRAKOW)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(EDIT_KRAKOW)}"


def test_edit_anonymous_post_redirects_and_changes_nothing(client, krakow):
    before = presentation(krakow)

    response = client.post(EDIT_KRAKOW, {"description": "Hacked", "website": ""})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert presentation(krakow) == before


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_edit_get_shows_form_to_allowed_person(log_in_as, client, krakow, role):
    krakow.description = "A city of literature."
    krakow.save()
    log_in_as(role)

    response = client.get(EDIT_KRAKOW)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Presentation of Kraków" in content
    assert "A city of literature." in content
    assert 'enctype="multipart/form-data"' in content
    for name in ("description", "website", "image", "image_alt"):
        assert f'name="{name}"' in content


@pytest.mark.parametrize("role", ["other-coordinator", "user", "plain-staff"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_edit_refuses_person_who_does_not_coordinate_the_city(
    log_in_as, client, krakow, role, method
):
    krakow.description = "Original."
    krakow.save()
    log_in_as(role)

    response = getattr(client, method)(
        EDIT_KRAKOW, {"description": "Hacked", "website": "https://evil.example"}
    )

    assert response.status_code == 404
    assert "Presentation of Kraków" not in response.content.decode()
    assert presentation(krakow) == ("Original.", "", "", "")


@pytest.mark.parametrize("role", ["coordinator", "staff"])
def test_edit_post_saves_and_redirects_to_city_page(log_in_as, client, krakow, role):
    log_in_as(role)

    response = client.post(
        EDIT_KRAKOW,
        {"description": "City of literature since 2013.", "website": "krakowcityofliterature.com"},
        follow=True,
    )

    content = response.content.decode()
    assert response.redirect_chain == [("/en/cities/krakow/", 302)]
    assert "The presentation of Kraków is saved." in content
    assert "City of literature since 2013." in content
    assert presentation(krakow) == (
        "City of literature since 2013.",
        "https://krakowcityofliterature.com",
        "",
        "",
    )


def test_edit_unknown_city_is_404_even_for_staff(log_in_as, client):
    log_in_as("staff")

    response = client.get("/en/my/cities/atlantis/")

    assert response.status_code == 404


def test_edit_coordinator_of_two_cities_may_edit_both(client, user, krakow, dakar):
    krakow.coordinators.add(user)
    dakar.coordinators.add(user)
    client.force_login(user)

    assert client.get(EDIT_KRAKOW).status_code == 200
    assert client.get("/en/my/cities/dakar/").status_code == 200


def test_edit_form_offers_no_designation_data(client, coordinator):
    client.force_login(coordinator)

    content = client.get(EDIT_KRAKOW).content.decode()

    for name in (
        "name",
        "slug",
        "field",
        "designation_year",
        "country",
        "region_override",
        "latitude",
        "longitude",
        "is_member",
        "coordinators",
    ):
        assert f'name="{name}"' not in content


def test_edit_post_ignores_designation_data(client, coordinator, krakow):
    before = designation(krakow)
    client.force_login(coordinator)

    response = client.post(
        EDIT_KRAKOW,
        {
            "description": "New text.",
            "website": "",
            "name": "Renamed",
            "slug": "renamed",
            "field": "music",
            "designation_year": "2020",
            "country": "FR",
            "latitude": "1",
            "longitude": "1",
            "is_member": "",
            "coordinators": [UserFactory().pk],
        },
    )

    assert response.status_code == 302
    assert designation(krakow) == before
    assert list(krakow.coordinators.all()) == [coordinator]
    assert krakow.description == "New text."


@pytest.mark.parametrize(
    ("website", "error"),
    [
        ("not a web address", BAD_URL),
        ("http://", BAD_URL),
        ("javascript:alert(1)", NOT_HTTP),
        ("JavaScript:alert(document.cookie)", NOT_HTTP),
        ("data:text/html,<script>alert(1)</script>", NOT_HTTP),
        ("ftp://ftp.krakow.example/guide.pdf", NOT_HTTP),
    ],
    ids=["text", "scheme-only", "javascript", "javascript-capitals", "data", "ftp"],
)
def test_edit_refuses_bad_website(client, coordinator, krakow, website, error):
    client.force_login(coordinator)

    response = client.post(EDIT_KRAKOW, {"description": "Typed.", "website": website})

    content = response.content.decode()
    assert response.status_code == 200
    assert error in content
    assert f'value="{escape(website)}"' in content
    assert presentation(krakow) == ("", "", "", "")


@pytest.mark.parametrize("website", ["http://krakow.example", "https://krakow.example/en/"])
def test_edit_accepts_http_and_https_websites(client, coordinator, krakow, website):
    client.force_login(coordinator)

    response = client.post(EDIT_KRAKOW, {"description": "Typed.", "website": website})

    assert response.status_code == 302
    assert presentation(krakow) == ("Typed.", website, "", "")


# Bad input keeps everything the person typed and chose.


def test_edit_error_keeps_text_and_picture(client, coordinator, krakow, media_root):
    client.force_login(coordinator)

    response = client.post(
        EDIT_KRAKOW,
        {
            "description": "Kraków, City of Literature.",
            "website": "not a web address",
            "image": image_upload("rynek.png"),
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert BAD_URL in content
    assert ALT_MISSING in content
    assert CREDIT_MISSING in content
    assert "Kraków, City of Literature." in content
    assert 'value="not a web address"' in content
    assert escape(KEPT_MESSAGE.format(name="rynek.png")) in content
    assert kept_token(response)
    assert [path.suffix for path in kept_files(media_root)] == [".webp"]
    assert presentation(krakow) == ("", "", "", "")


def test_edit_resubmit_with_kept_picture_saves_it(client, coordinator, krakow, media_root):
    client.force_login(coordinator)
    first = client.post(
        EDIT_KRAKOW,
        {"description": "Kraków.", "website": "not a web address", "image": image_upload()},
    )

    response = client.post(
        EDIT_KRAKOW,
        {
            "description": "Kraków.",
            "website": "https://krakow.pl",
            "image_alt": "The market square at dusk",
            "image_credit": "City of Kraków",
            "image_kept": kept_token(first),
        },
    )

    krakow.refresh_from_db()
    assert response.status_code == 302
    assert krakow.image.name.startswith("pictures/city/")
    assert krakow.image_alt == "The market square at dusk"
    assert krakow.image_credit == "City of Kraków"
    assert krakow.website == "https://krakow.pl"
    stored = media_root / krakow.image.name
    assert stored.is_file()
    with Image.open(stored) as picture:
        assert (picture.format, picture.size) == ("WEBP", (16, 12))
        assert picture.getpixel((0, 0))[:3] == pytest.approx((200, 40, 40), abs=12)
    assert (media_root / krakow.image_page.name).is_file()
    assert (media_root / krakow.image_card.name).is_file()


def test_edit_new_file_wins_over_kept_picture(client, coordinator, krakow, media_root):
    client.force_login(coordinator)
    first = client.post(EDIT_KRAKOW, {"website": "bad address", "image": image_upload("first.png")})

    client.post(
        EDIT_KRAKOW,
        {
            "website": "",
            "image_alt": "Wawel",
            "image_credit": "City of Kraków",
            "image_kept": kept_token(first),
            "image": image_upload("second.jpg", "JPEG", size=(20, 10)),
        },
    )

    krakow.refresh_from_db()
    with Image.open(media_root / krakow.image.name) as picture:
        assert (picture.format, picture.size) == ("WEBP", (20, 10))


def test_edit_picture_without_alt_text_is_refused(client, coordinator, krakow, media_root):
    client.force_login(coordinator)

    response = client.post(
        EDIT_KRAKOW, {"description": "Kraków.", "website": "", "image": image_upload()}
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors == {"image_alt": [ALT_MISSING], "image_credit": [CREDIT_MISSING]}
    assert kept_token(response)
    assert presentation(krakow) == ("", "", "", "")
    assert not (media_root / "cities").exists()


def test_edit_fake_image_is_refused_and_not_kept(client, coordinator, krakow, media_root):
    client.force_login(coordinator)
    fake = SimpleUploadedFile("x.jpg", b"this is only text, not a picture", "image/jpeg")

    response = client.post(
        EDIT_KRAKOW,
        {"description": "Kraków.", "website": "", "image": fake, "image_alt": "A picture"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_AN_IMAGE in content
    assert "form-field__kept" not in content
    assert 'name="image_kept" value=' not in content
    assert kept_files(media_root) == []
    assert presentation(krakow) == ("", "", "", "")


def test_edit_picture_of_another_type_is_refused(client, coordinator, krakow):
    client.force_login(coordinator)
    gif = SimpleUploadedFile("anim.gif", image_bytes("GIF"), "image/gif")

    response = client.post(EDIT_KRAKOW, {"website": "", "image": gif, "image_alt": "An animation"})

    assert response.status_code == 200
    assert "JPEG, PNG or WebP" in response.content.decode()
    assert presentation(krakow) == ("", "", "", "")


def test_edit_picture_over_size_limit_is_refused(client, coordinator, krakow, media_root, settings):
    settings.RVCU_MAX_IMAGE_BYTES = 1024 * 1024
    noise = Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    assert buffer.tell() > settings.RVCU_MAX_IMAGE_BYTES
    big = SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")
    client.force_login(coordinator)

    response = client.post(EDIT_KRAKOW, {"website": "", "image": big, "image_alt": "Noise"})

    assert response.status_code == 200
    assert re.search(
        r"This image is too large \(1\.\d MB\); the limit is 1 MB\.", response.content.decode()
    )
    assert kept_files(media_root) == []
    assert presentation(krakow) == ("", "", "", "")


def test_edit_picture_at_size_limit_is_accepted(client, coordinator, krakow, settings):
    picture = image_bytes()
    settings.RVCU_MAX_IMAGE_BYTES = len(picture)
    client.force_login(coordinator)

    response = client.post(
        EDIT_KRAKOW,
        {
            "website": "",
            "image": SimpleUploadedFile("exact.png", picture, "image/png"),
            "image_alt": "Exact",
            "image_credit": "Me",
        },
    )

    assert response.status_code == 302
    assert City.objects.get(pk=krakow.pk).image.name.startswith("pictures/city/")
