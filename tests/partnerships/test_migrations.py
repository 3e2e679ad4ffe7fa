"""The data migration that moves an organisation's sector and website to its roles, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import CityFactory

BEFORE = [("partnerships", "0006_partnershiprevision_review_permission")]
AFTER = [("partnerships", "0007_organisation_sector_and_website_per_role")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0005(seeded_rows_back):
    # A transactional test: the seeded rows are read before it empties the tables.
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def make_roles(apps):
    """The library in a draft first, then in a published revision of another partnership."""
    Partnership = apps.get_model("partnerships", "Partnership")
    Revision = apps.get_model("partnerships", "PartnershipRevision")
    Organisation = apps.get_model("partnerships", "Organisation")
    Role = apps.get_model("partnerships", "OrganisationRole")
    city = CityFactory(name="Kraków", country="PL")  # the cities app is not migrated back
    library = Organisation.objects.create(
        name="Kraków Public Library",
        name_key="krakow public library",
        sector="public",
        country="PL",
        website="https://library.example.org",
    )
    roles = []
    for slug, state in (("draft-one", "draft"), ("published-one", "published")):
        partnership = Partnership.objects.create(slug=slug, lead_city_id=city.pk)
        revision = Revision.objects.create(
            partnership=partnership,
            number=1,
            state=state,
            title=slug,
            kind="pilot",
            summary="",
            description="",
            start_date="2024-01-01",
        )
        roles.append(Role.objects.create(revision=revision, organisation=library))
    return library, roles


def test_migration_copies_the_organisations_details_to_each_role_and_back(at_0005):
    library, (draft_role, published_role) = make_roles(at_0005)

    apps = migrate(AFTER)
    Role = apps.get_model("partnerships", "OrganisationRole")
    roles = list(Role.objects.order_by("pk").values_list("sector", "website"))
    assert roles == [("public", "https://library.example.org")] * 2
    Role.objects.filter(pk=draft_role.pk).update(sector="private", website="https://d.example")
    Role.objects.filter(pk=published_role.pk).update(website="https://p.example")

    apps = migrate(BEFORE)
    Organisation = apps.get_model("partnerships", "Organisation")
    assert list(Organisation.objects.values_list("name", "sector", "website")) == [
        ("Kraków Public Library", "public", "https://p.example")
    ]
