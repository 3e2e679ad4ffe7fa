"""Input no view can read (a form in another character set, a NUL character anywhere) answers
400 with the portal's error page, and odd values of the admin's list filters never fail."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from partnerships.models import Partnership
from tests.factories import UserFactory
from tests.partnerships.factories import LIBRARY, published_partnership
from tests.practices.factories import published_practice
from tests.rvcu.test_security import run_django

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
EDIT_KRAKOW = "/en/my/cities/krakow/"
NEW_PARTNERSHIP = "/en/my/partnerships/new/"
NOT_UNDERSTOOD = "Request not understood"
FORM = "application/x-www-form-urlencoded"
# Known to Python but not what our UTF-8 pages send, and one Python does not know.
CHARSETS = ["utf-7", "UTF-7", "utf-16", "cp037", "latin-1", "us-ascii", "x-no-such-charset"]


def assert_error_page(response, text=NOT_UNDERSTOOD):
    content = response.content.decode()
    assert response.status_code == 400
    assert f'<h1 class="page-header__title">{text}</h1>' in content
    assert "<main" in content  # the portal's page, not Django's bare one
    assert "Content-Security-Policy" in response.headers


def post_raw(client, url, body, content_type):
    return client.generic("POST", url, body.encode(), content_type=content_type)


@pytest.mark.parametrize("charset", CHARSETS)
def test_login_form_in_another_charset_is_a_400_page(client, charset):
    UserFactory(email="anna@krakow.example", password="right password")

    response = post_raw(
        client,
        LOGIN,
        "login=anna%40krakow.example&password=right+password",
        f"{FORM}; charset={charset}",
    )

    assert_error_page(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("charset", CHARSETS)
def test_coordinator_form_in_another_charset_is_a_400_page(client, coordinator, krakow, charset):
    client.force_login(coordinator)

    response = post_raw(
        client, EDIT_KRAKOW, "description=%2BAGQ-changed&website=", f"{FORM}; charset={charset}"
    )

    assert_error_page(response)
    krakow.refresh_from_db()
    assert krakow.description == ""


@pytest.mark.parametrize("charset", ["utf-7", "x-no-such-charset"])
def test_partnership_form_in_another_charset_is_a_400_page(client, coordinator, krakow, charset):
    client.force_login(coordinator)

    response = post_raw(
        client,
        NEW_PARTNERSHIP,
        f"lead_city={krakow.pk}&title=%2BAGQ-residencies&kind=exchange",
        f"{FORM}; charset={charset}",
    )

    assert_error_page(response)
    assert not Partnership.objects.exists()


def test_multipart_form_in_utf7_is_a_400_page(client, coordinator, krakow):
    client.force_login(coordinator)
    body = (
        "--frontier\r\n"
        'Content-Disposition: form-data; name="description"\r\n\r\n'
        "+AGQ-changed\r\n"
        "--frontier--\r\n"
    )

    response = post_raw(
        client, EDIT_KRAKOW, body, "multipart/form-data; boundary=frontier; charset=utf-7"
    )

    assert_error_page(response)
    krakow.refresh_from_db()
    assert krakow.description == ""


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8"])
def test_a_form_that_says_utf8_is_read(client, coordinator, krakow, charset):
    client.force_login(coordinator)

    response = post_raw(
        client, EDIT_KRAKOW, "description=Krak%C3%B3w&website=", f"{FORM}; charset={charset}"
    )

    assert response.status_code == 302
    krakow.refresh_from_db()
    assert krakow.description == "Kraków"


def test_the_400_page_is_in_the_language_of_the_address(client):
    response = post_raw(client, "/fr/accounts/login/", "login=x", f"{FORM}; charset=utf-7")

    assert_error_page(response, "Requête incomprise")


# NUL characters


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=Krak%00ow", "country=P%00L", "%00=1", "year=2013%00"],
)
@pytest.mark.parametrize("page", ["/en/cities/", "/en/practices/", "/en/partnerships/"])
def test_nul_in_a_public_lists_query_is_a_400_page(client, page, query):
    response = client.get(f"{page}?{query}")

    assert_error_page(response)


def test_nul_in_a_form_value_is_a_400_page_and_saves_nothing(client, coordinator, krakow):
    client.force_login(coordinator)

    response = client.post(EDIT_KRAKOW, {"description": "Kraków\x00", "website": ""})

    assert_error_page(response)
    krakow.refresh_from_db()
    assert krakow.description == ""


def test_nul_in_a_login_is_a_400_page(client):
    response = client.post(LOGIN, {"login": "anna\x00@krakow.example", "password": "x"})

    assert_error_page(response)


# The admin's list filters, every one of the project's, with values they do not expect.

ODD_VALUES = ["abc", "-1", "99999999999999999999", "1,2", "%", "2020-13-45", "😀"]


@pytest.fixture
def content(krakow, dakar):
    """Something for every list to show, so that the filters offer their choices."""
    published_partnership(krakow, organisations=[LIBRARY])
    published_practice(dakar)


def filter_parameters(model_admin, user):
    """The parameters of the list's filters, and its search."""
    request = RequestFactory().get("/")
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = {"q"} if model_admin.search_fields else set()
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    return sorted(names)


@pytest.mark.parametrize(
    "model_admin",
    list(admin.site._registry.values()),
    ids=lambda model_admin: model_admin.model._meta.label,
)
def test_admin_list_filters_with_odd_values_never_fail(client, content, model_admin):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    meta = model_admin.model._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/"
    names = filter_parameters(model_admin, superuser)
    assert client.get(url).status_code == 200

    for name in names:
        for value in ODD_VALUES:
            response = client.get(url, {name: value})
            assert response.status_code in (200, 302), (name, value)
            if response.status_code == 302:
                assert response["Location"] == f"{url}?e=1", (name, value)
        for value in ("\x00", "a\x00b"):
            assert_error_page(client.get(url, {name: value}))


def test_admin_designation_year_abc_redirects_with_the_error_flag(client, krakow):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/cities/city/", {"designation_year": "abc"})

    assert (response.status_code, response["Location"]) == (302, "/admin/cities/city/?e=1")


PRODUCTION_BAD_INPUT = """
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client(HTTP_HOST="portal.example.org", HTTP_X_FORWARDED_PROTO="https")
    answers = [
        client.generic(
            "POST",
            "/en/accounts/login/",
            b"login=a%40b.example&password=x",
            content_type="application/x-www-form-urlencoded; charset=utf-7",
        ),
        client.get("/en/cities/?q=%00"),
    ]
    print(json.dumps([
        [answer.status_code, "Request not understood" in answer.content.decode(),
         "Content-Security-Policy" in answer]
        for answer in answers
    ]))
"""


def test_production_answers_bad_input_with_the_400_page(tmp_path):
    assert run_django(
        PRODUCTION_BAD_INPUT, tmp_path, DJANGO_STATIC_ROOT=str(tmp_path / "static")
    ) == [[400, True, True], [400, True, True]]
