"""A large, realistic and deterministic data set for benchmarks, on top of the real member
cities: published practices and partnerships by the thousand, plus drafts, submissions and
sent-back ones, as the portal's own workflow would leave them (see
`manage.py generate_benchmark_data`).

The rows are planned first (rvcu.benchmark_plan), then written with bulk inserts in one
transaction.
"""

import time
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cities.models import City
from partnerships.models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    Partnership,
    PartnershipRevision,
)
from practices.models import Practice, PracticeRevision

from .benchmark_plan import Planner
from .models import ReviewEvent
from .review import ReviewState

BATCH_SIZE = 1000
# bulk_update writes a CASE with one branch per row, read for each row: smaller batches.
PUBLISHED_REVISION_BATCH_SIZE = 250


class BenchmarkRefused(Exception):
    """The database is not one the benchmark data may be written into."""


def benchmark_generate(*, practices, partnerships, seed, allow_no_debug=False, now=None):
    """Plan and write the data set; return the plan and the seconds it took."""
    check_can_generate(allow_no_debug=allow_no_debug)
    started = time.monotonic()
    plan = benchmark_plan(
        practices=practices, partnerships=partnerships, seed=seed, now=now or timezone.now()
    )
    benchmark_write(plan)
    return plan, time.monotonic() - started


def check_can_generate(*, allow_no_debug):
    """Raise BenchmarkRefused unless this database may receive made-up content."""
    if not settings.DEBUG and not allow_no_debug:
        raise BenchmarkRefused(
            "DEBUG is off: this looks like a real site. The benchmark data are made up; "
            "pass --allow-no-debug to write them into a throwaway database all the same."
        )
    if not City.objects.members().exists():
        raise BenchmarkRefused("No member city is loaded: run `manage.py load_network` first.")
    if Practice.objects.exists() or Partnership.objects.exists():
        raise BenchmarkRefused(
            "The database already holds practices or partnerships: the benchmark data go "
            "into a database with none (a throwaway one, after `load_network`)."
        )


def benchmark_plan(*, practices, partnerships, seed, now):
    """The rows to write, unsaved: the same for the same seed, cities and `now`."""
    return Planner(seed=seed, now=now).build(practices=practices, partnerships=partnerships)


def benchmark_write(plan):
    """Insert the planned rows in one transaction, with the dates the plan gives them."""
    document_models = (Practice, PracticeRevision, Partnership, PartnershipRevision)
    with transaction.atomic(), _timestamps_as_planned(*document_models, ReviewEvent, Organisation):
        _save_reusing(plan.users, get_user_model(), key=lambda user: user.email)
        City.coordinators.through.objects.bulk_create(
            [
                City.coordinators.through(city_id=city.pk, user_id=user.pk)
                for city, user in plan.coordinators
            ],
            batch_size=BATCH_SIZE,
            ignore_conflicts=True,
        )
        _save_reusing(
            plan.organisations,
            Organisation,
            key=lambda organisation: (organisation.name_key, str(organisation.country)),
        )
        for model, rows in (
            (Partnership, plan.partnerships),
            (PartnershipRevision, plan.partnership_revisions),
            (Participation, plan.participations),
            (OrganisationRole, plan.organisation_roles),
            (OpenCall, plan.open_calls),
            (Practice, plan.practices),
            (PracticeRevision, plan.practice_revisions),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        _save_tags(plan.tags)
        _save_events(plan.events)
        _point_to_published_revisions(plan.practices, plan.practice_revisions)
        _point_to_published_revisions(plan.partnerships, plan.partnership_revisions)


def benchmark_counts():
    """What the database holds now, for the command's summary: [(label, count), ...]."""

    def by_state(model):
        counts = dict(model.objects.order_by().values_list("state").annotate(Count("pk")))
        return [(f"  {state}", counts.get(state, 0)) for state in ReviewState.values]

    return [
        ("member cities", City.objects.members().count()),
        ("practices", Practice.objects.count()),
        ("  published", Practice.objects.published().count()),
        ("practice revisions", PracticeRevision.objects.count()),
        *by_state(PracticeRevision),
        ("partnerships", Partnership.objects.count()),
        ("  published", Partnership.objects.published().count()),
        ("partnership revisions", PartnershipRevision.objects.count()),
        *by_state(PartnershipRevision),
        ("participations", Participation.objects.count()),
        ("organisations", Organisation.objects.count()),
        ("organisation roles", OrganisationRole.objects.count()),
        ("calls for applications", OpenCall.objects.count()),
        ("review events", ReviewEvent.objects.count()),
    ]


# Writing


@contextmanager
def _timestamps_as_planned(*models):
    """Keep the creation and update dates the plan gives: bulk_create would set fields with
    auto_now or auto_now_add to the current time, and a data set created in one second has no
    meaningful "newest first"."""
    changed = [
        (model_field, model_field.auto_now, model_field.auto_now_add)
        for model in models
        for model_field in model._meta.concrete_fields
        if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
    ]
    for model_field, _auto_now, _auto_now_add in changed:
        model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in changed:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


def _save_reusing(rows, model, *, key):
    """Insert `rows`, except those already in the database (same `key`), which take the key
    of the existing row: a rerun after the practices were deleted finds its people again."""
    keys = {key(row) for row in rows}
    existing = {key(row): row.pk for row in model.objects.all() if key(row) in keys}
    for row in rows:
        row.pk = existing.get(key(row))
    model.objects.bulk_create([row for row in rows if row.pk is None], batch_size=BATCH_SIZE)


def _save_tags(tags):
    rows, columns = defaultdict(list), {}
    for revision, name, keys in tags:
        if (type(revision), name) not in columns:
            relation = type(revision)._meta.get_field(name)
            columns[type(revision), name] = (
                relation.remote_field.through,
                f"{relation.m2m_field_name()}_id",
                f"{relation.m2m_reverse_field_name()}_id",
            )
        through, source, target = columns[type(revision), name]
        rows[through].extend(through(**{source: revision.pk, target: key}) for key in keys)
    for through, through_rows in rows.items():
        through.objects.bulk_create(through_rows, batch_size=BATCH_SIZE)


def _save_events(events):
    content_types = {}
    for revision, event in events:
        model = type(revision)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model)
        event.content_type = content_types[model]
        event.object_id = revision.pk
    ReviewEvent.objects.bulk_create([event for _revision, event in events], batch_size=BATCH_SIZE)


def _point_to_published_revisions(documents, revisions):
    """Each document's published_revision, now that the revisions have keys. (One UPDATE with
    a subquery would read the revisions' state index once per document: the table has no
    statistics yet in this transaction.)"""
    published = {
        revision.document: revision
        for revision in revisions
        if revision.state == ReviewState.PUBLISHED
    }
    for document in documents:
        document.published_revision = published.get(document)
    if documents:
        type(documents[0]).objects.bulk_update(
            [document for document in documents if document.published_revision],
            ["published_revision"],
            batch_size=PUBLISHED_REVISION_BATCH_SIZE,
        )
