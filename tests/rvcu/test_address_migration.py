"""The migration that takes away the addresses of never-published drafts, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import CityFactory

MIGRATIONS = {
    "practices": {
        "before": "0011_revision_version",
        "after": "0012_address_at_first_publication",
        "document": "Practice",
        "city": "city_id",
        "content": {
            "summary": "",
            "challenge": "",
            "actions": "",
            "results": "",
            "transferability": "",
            "year_started": 2020,
        },
    },
    "partnerships": {
        "before": "0008_revision_version",
        "after": "0009_address_at_first_publication",
        "document": "Partnership",
        "city": "lead_city_id",
        "content": {"kind": "pilot", "summary": "", "description": "", "start_date": "2024-01-01"},
    },
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture(params=list(MIGRATIONS))
def app(request, seeded_rows_back):
    # A transactional test: the seeded rows are read before it empties the tables.
    yield request.param
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def make_documents(apps, app):
    """One document per story, by slug: each revision's state, oldest first."""
    spec = MIGRATIONS[app]
    Document = apps.get_model(app, spec["document"])
    Revision = apps.get_model(app, f"{spec['document']}Revision")
    city = CityFactory(name="Kraków", country="PL")  # the cities app is not migrated back
    stories = {
        "never-published": ["draft"],
        "sent-back": ["changes_requested"],
        "online": ["published"],
        "online-with-a-new-draft": ["published", "draft"],
        "taken-off": ["archived"],
    }
    for slug, states in stories.items():
        document = Document.objects.create(slug=slug, **{spec["city"]: city.pk})
        for number, state in enumerate(states, start=1):
            revision = Revision.objects.create(
                **{spec["document"].lower(): document},
                number=number,
                state=state,
                title=f"Title of {slug}",
                **spec["content"],
            )
            if state == "published":
                document.published_revision = revision
                document.save()
    return Document


def test_never_published_drafts_lose_their_address_and_get_one_back(app):
    spec = MIGRATIONS[app]
    apps = migrate([(app, spec["before"])])
    assert make_documents(apps, app).objects.count() == 5

    apps = migrate([(app, spec["after"])])
    Document = apps.get_model(app, spec["document"])
    assert list(Document.objects.order_by("pk").values_list("slug", flat=True)) == [
        None,
        None,
        "online",
        "online-with-a-new-draft",
        "taken-off",
    ]

    # A published item of the same name as a draft's title came meanwhile.
    Document.objects.filter(slug="online").update(slug="title-of-never-published")
    apps = migrate([(app, spec["before"])])
    Document = apps.get_model(app, spec["document"])
    assert list(Document.objects.order_by("pk").values_list("slug", flat=True)) == [
        "title-of-never-published-2",
        "title-of-sent-back",
        "title-of-never-published",
        "online-with-a-new-draft",
        "taken-off",
    ]
