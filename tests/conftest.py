"""Fixtures shared by the whole suite."""

import io

import pytest
from django.core.management import call_command

from tests.factories import UserFactory


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
