from importlib import import_module

import pytest

from cities.models import CreativeField


@pytest.fixture
def creative_fields(transactional_db):
    """The creative fields the data migration writes: a transactional test empties every table
    when it ends, so the next one would find none."""
    seed = import_module("cities.migrations.0002_seed_creative_fields")
    for row in seed.CREATIVE_FIELDS:
        CreativeField.objects.get_or_create(slug=row["slug"], defaults=row)
