"""Fixtures shared by the whole suite."""

import io

import pytest
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from tests.factories import CityFactory, UserFactory, acting_staff


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in English, whatever language a test before it left active in this
    thread (a request through a French address activates French and nothing switches back)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """allauth counts logins, failures and resets per IP in the cache: each test starts at 0."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def media_root(settings, tmp_path):
    """A MEDIA_ROOT of the test's own, so that files a test stores can be looked for; the
    private storage is beside it, in `private_media_root`."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RVCU_PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {"location": settings.RVCU_PRIVATE_MEDIA_ROOT},
        },
    }
    return tmp_path / "media"


@pytest.fixture(scope="session")
def seeded_rows(django_db_setup, django_db_blocker):
    """The rows the data migrations write (creative fields, mission tags, the secretariat's
    groups), as JSON, taken when the first transactional test (or browser test) starts."""
    from django.contrib.auth.models import Group

    from cities.models import CreativeField
    from practices.models import ActionArea, Objective, SustainableDevelopmentGoal

    models = (CreativeField, Objective, ActionArea, SustainableDevelopmentGoal, Group)
    with django_db_blocker.unblock():
        rows = [row for model in models for row in model.objects.order_by("pk")]
        assert rows, "the data migrations' rows are gone before the first transactional test"
        # Permissions by natural key: the flush recreates them under other ids.
        return serializers.serialize("json", rows, use_natural_foreign_keys=True)


@pytest.fixture
def seeded_rows_back(transactional_db, seeded_rows):
    """Put the data migrations' rows back before a transactional test (the browser tests, the
    races between two threads).

    A transactional test empties every table when it ends (flush): the tests after the first
    would find no creative field. `django_db(serialized_rollback=True)` is Django's answer, but
    it did not work for the browser tests: Django keeps the rows it serialized on the
    connection object that created the test database, and when another database test ran first
    (as in `make test`), the connection object the browser tests got (their ORM calls run
    beside Playwright's sync API) did not carry them, so nothing was loaded back (seen with
    Django 5.2, pytest-django 4.14, pytest-playwright 0.10).

    So the seeded rows are read once, at the first transactional test — pytest-django runs the
    transactional tests after the others, whose changes are rolled back, so the database is
    still as the migrations left it — and saved again here, by primary key, which changes
    nothing where they are there already. Content types and permissions need nothing: the
    flush recreates them.
    """
    with transaction.atomic():
        for row in serializers.deserialize("json", seeded_rows):
            row.save()


@pytest.fixture
def private_media_root(settings, media_root):
    """The private storage's folder of the test (see `media_root`)."""
    return settings.RVCU_PRIVATE_MEDIA_ROOT


@pytest.fixture
def network(db):
    """The real member list, cities/data/uccn_cities.csv (405 cities), loaded by the importer.

    About a second: use it only where the full network matters.
    """
    output = io.StringIO()
    call_command("load_network", stdout=output)
    return output.getvalue()


@pytest.fixture
def user(db):
    """A logged-in-able person with no staff rights."""
    return UserFactory()


@pytest.fixture
def staff_user(db):
    """A member of the secretariat: staff and superuser."""
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def krakow(db):
    """A member city (slug "krakow"), in literature."""
    return CityFactory(name="Kraków", country="PL", field_slug="literature", designation_year=2013)


@pytest.fixture
def dakar(db):
    """A member city (slug "dakar") of another country and field than Kraków."""
    return CityFactory(name="Dakar", country="SN", field_slug="media-arts", designation_year=2014)


@pytest.fixture
def log_in_as(client, krakow, dakar):
    """Log the client in as one rung of the permission ladder: "anonymous", "coordinator" (of
    Kraków), "other-coordinator" (of Dakar), "plain-staff" (staff status only), or "staff" (a
    member of the secretariat who may act for every city); return the person (or None)."""

    def log_in(role):
        if role == "anonymous":
            return None
        if role == "staff":
            person = acting_staff()
        else:
            person = UserFactory(is_staff=role == "plain-staff")
        if role == "coordinator":
            krakow.coordinators.add(person)
        elif role == "other-coordinator":
            dakar.coordinators.add(person)
        client.force_login(person)
        return person

    return log_in


@pytest.fixture
def coordinator(krakow):
    """A person who coordinates Kraków, and nothing else."""
    person = UserFactory(email="coordinator@krakow.example")
    krakow.coordinators.add(person)
    return person
