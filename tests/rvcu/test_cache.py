"""The whole-page cache of the public pages (rvcu/cache.py)."""

import datetime

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.urls import reverse
from django.utils import timezone

from practices import services
from rvcu import revisions
from rvcu.cache import CONTENT_VERSION_KEY, RedisCache, content_version, is_public_page
from tests.factories import CityFactory
from tests.practices.factories import published_practice, secretariat, submitted_practice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.RVCU_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def writes_commit(django_capture_on_commit_callbacks):
    """Runs what the code asks to run after commit, as a real commit would (tests never
    commit)."""

    def commit(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return commit


def test_second_visit_is_served_from_the_cache_without_a_query(
    client, krakow, django_assert_num_queries
):
    first = client.get(reverse("cities:city-list"))
    with django_assert_num_queries(0):
        second = client.get(reverse("cities:city-list"))
    assert second.status_code == 200
    assert second.content == first.content
    assert "Kraków" in second.content.decode()


@pytest.mark.parametrize(
    "url_name, kwargs",
    [
        ("home", {}),
        ("accessibility", {}),
        ("cities:city-list", {}),
        ("cities:city-detail", {"slug": "krakow"}),
        ("cities:field-detail", {"slug": "literature"}),
        ("practices:practice-list", {}),
        ("partnerships:partnership-list", {}),
        ("partnerships:network", {}),
    ],
)
def test_every_public_page_is_cached(client, krakow, url_name, kwargs, django_assert_num_queries):
    url = reverse(url_name, kwargs=kwargs)
    assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_cached_page_keeps_the_security_headers(client, krakow):
    client.get(reverse("home"))
    cached = client.get(reverse("home"))
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in cached["Content-Security-Policy"]


def test_query_string_and_language_are_part_of_the_key(client, krakow):
    CityFactory(name="Ghent", country="BE", field_slug="music")
    all_cities = client.get(reverse("cities:city-list")).content.decode()
    music = client.get(reverse("cities:city-list") + "?field=music").content.decode()
    french = client.get("/fr/cities/").content.decode()
    assert "Kraków" in all_cities and "Ghent" in all_cities
    assert "Kraków" not in music and "Ghent" in music
    assert 'lang="fr"' in french and 'lang="en"' in all_cities


def test_a_new_city_shows_once_the_write_commits(client, krakow, writes_commit):
    assert "Ghent" not in client.get(reverse("cities:city-list")).content.decode()
    writes_commit(CityFactory, name="Ghent", country="BE", field_slug="music")
    assert "Ghent" in client.get(reverse("cities:city-list")).content.decode()


def test_version_is_renewed_only_after_commit(krakow, django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        CityFactory(name="Ghent", country="BE")
    assert content_version() == before
    for callback in callbacks:
        callback()
    assert content_version() != before


def test_a_publication_replaces_the_cached_list(client, krakow, writes_commit):
    revision = submitted_practice(krakow, "Poetry on the trams")
    assert (
        "Poetry on the trams" not in client.get(reverse("practices:practice-list")).content.decode()
    )
    writes_commit(services.practice_publish, revision=revision, by=secretariat())
    assert "Poetry on the trams" in client.get(reverse("practices:practice-list")).content.decode()


def test_an_archived_practice_leaves_its_cached_page(client, krakow, writes_commit):
    revision = published_practice(krakow, "Poetry on the trams")
    url = revision.practice.get_absolute_url()
    assert client.get(url).status_code == 200
    writes_commit(services.practice_archive, revision=revision, by=secretariat())
    assert client.get(url).status_code == 404


def test_logged_in_visitor_never_gets_the_anonymous_page(client, krakow, user):
    assert "/accounts/logout/" not in client.get("/en/").content.decode()
    client.force_login(user)
    assert "/accounts/logout/" in client.get("/en/").content.decode()


def test_logged_in_visit_is_not_stored_for_anonymous_visitors(client, krakow, user):
    client.force_login(user)
    client.get("/en/")
    client.logout()
    assert "/accounts/logout/" not in client.get("/en/").content.decode()


def test_pages_that_are_not_public_are_not_cached(client, krakow):
    client.get(reverse("account_login"))
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert response.cookies.get("csrftoken"), "a page with a form gets its own CSRF token"


def test_missing_page_is_not_cached(client, krakow, writes_commit):
    assert client.get(reverse("cities:city-detail", kwargs={"slug": "ghent"})).status_code == 404
    writes_commit(CityFactory, name="Ghent", country="BE")
    assert client.get(reverse("cities:city-detail", kwargs={"slug": "ghent"})).status_code == 200


def test_off_when_the_setting_is_zero(client, krakow, settings, django_assert_max_num_queries):
    settings.RVCU_PAGE_CACHE_SECONDS = 0
    client.get(reverse("home"))
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("home"))
    assert len(captured) > 0


def test_the_day_is_part_of_the_key(client, krakow, monkeypatch, django_assert_max_num_queries):
    client.get(reverse("home"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("rvcu.cache.timezone.localdate", lambda: tomorrow)
    with django_assert_max_num_queries(10) as captured:
        client.get(reverse("home"))
    assert len(captured) > 0, "a page cached yesterday is built again today"


def test_lost_version_key_never_matches_old_pages_again(client, krakow):
    first_version = content_version()
    cache.delete(CONTENT_VERSION_KEY)
    assert content_version() != first_version


class BrokenCache:
    """A cache server that stopped answering."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_broken_cache_costs_the_page_its_cache_not_the_page(client, krakow, monkeypatch):
    monkeypatch.setattr("rvcu.cache.cache", BrokenCache())

    response = client.get(reverse("cities:city-list"))

    assert response.status_code == 200
    assert "Kraków" in response.content.decode()


def test_a_broken_cache_does_not_fail_a_committed_write(krakow, monkeypatch, writes_commit):
    monkeypatch.setattr("rvcu.cache.cache", BrokenCache())

    city = writes_commit(CityFactory, name="Ghent", country="BE")

    assert city.pk is not None


@pytest.mark.parametrize("path", ["/en/accounts/login/", "/admin/login/", "/healthz", "/en/my/"])
def test_pages_that_are_not_public_never_ask_the_page_cache(client, krakow, monkeypatch, path):
    asked = []

    class WatchedCache:
        def __getattr__(self, name):
            asked.append(name)
            return getattr(cache, name)

    monkeypatch.setattr("rvcu.cache.cache", WatchedCache())

    client.get(path)
    assert asked == []
    client.get("/en/practices/")
    assert asked, "a public page does ask"


def test_writes_leave_no_after_commit_work_when_the_page_cache_is_off(
    settings, django_capture_on_commit_callbacks
):
    settings.RVCU_PAGE_CACHE_SECONDS = 0
    with django_capture_on_commit_callbacks() as callbacks:
        CityFactory(name="Ghent", country="BE")
    assert callbacks == []


def test_redis_cache_keeps_one_client_per_pool():
    """Making a redis-py client for every command cost more than the command itself."""
    redis_cache = RedisCache("redis://127.0.0.1:6379/15", {})

    reader = redis_cache._cache.get_client()

    assert redis_cache._cache.get_client() is reader
    assert redis_cache._cache.get_client(write=True) is redis_cache._cache.get_client(write=True)
    assert isinstance(redis_cache, DjangoRedisCache)


def test_public_pages_are_known_by_their_path():
    assert is_public_page("/en/practices/")
    assert is_public_page("/fr/cities/krakow/")
    assert not is_public_page("/en/my/")
    assert not is_public_page("/en/no-such-page/")


def test_a_renamed_address_cached_before_answers_with_the_redirect(client, krakow, writes_commit):
    practice = published_practice(krakow, "Poetry on the trams").practice
    assert client.get("/en/practices/poetry-on-the-trams/").status_code == 200

    def rename():
        practice.slug = "tram-poetry"
        practice.save(update_fields=["slug"])
        revisions.rename(practice, old_slug="poetry-on-the-trams")

    writes_commit(rename)

    old = client.get("/en/practices/poetry-on-the-trams/")
    assert (old.status_code, old["Location"]) == (301, "/en/practices/tram-poetry/")
    assert client.get("/en/practices/tram-poetry/").status_code == 200
