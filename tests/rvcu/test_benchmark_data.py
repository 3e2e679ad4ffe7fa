"""The benchmark data generator (`manage.py generate_benchmark_data`): rows as the review workflow
leaves them, found by the public selectors and the search, the same for the same seed, and
written only into an empty database that asks for it."""

import io
import re
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cities.models import City
from cities.text import search_key
from partnerships.models import (
    OpenCall,
    Organisation,
    ParticipationRole,
    ParticipationStatus,
    Partnership,
    PartnershipRevision,
)
from practices.models import Practice, PracticeRevision
from practices.selectors import published_practice_list
from rvcu import benchmark_vocabulary as vocabulary
from rvcu.benchmark_data import benchmark_plan
from rvcu.models import ReviewEvent
from rvcu.review import ReviewAction, ReviewState
from rvcu.search import search_revisions

PRACTICES, PARTNERSHIPS = 60, 10
NOW = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)
NOT_PUBLIC = {ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.CHANGES_REQUESTED}


def generate(**options):
    output = io.StringIO()
    call_command(
        "generate_benchmark_data",
        practices=PRACTICES,
        partnerships=PARTNERSHIPS,
        seed=7,
        stdout=output,
        **options,
    )
    return output.getvalue()


@pytest.fixture(scope="module")
def written(django_db_setup, django_db_blocker):
    """The network and a small data set, written once for the module (the test settings have
    DEBUG off, hence the flag) and rolled back after its last test; with a bigger plan, not
    written, for shares and spreads."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_network", stdout=io.StringIO())
        output = generate(allow_no_debug=True)
        plan = benchmark_plan(practices=600, partnerships=200, seed=11, now=NOW)
        yield output, plan
        transaction.set_rollback(True)


@pytest.fixture
def generated(written, db):
    return written[0]


@pytest.fixture
def plan(written, db):
    return written[1]


def test_generate_counts_by_state(generated):
    practice_states = Counter(PracticeRevision.objects.values_list("state", flat=True))
    newer_drafts = PracticeRevision.objects.filter(number=2)

    assert practice_states[ReviewState.PUBLISHED] == PRACTICES
    assert Practice.objects.published().count() == PRACTICES
    assert Practice.objects.count() == PRACTICES + PRACTICES // 10
    assert sum(practice_states[state] for state in NOT_PUBLIC) == PRACTICES // 10 + 1
    assert newer_drafts.count() == 1
    assert newer_drafts.get().state == ReviewState.DRAFT
    assert newer_drafts.get().practice.published_revision.number == 1
    assert Partnership.objects.published().count() == PARTNERSHIPS
    assert Partnership.objects.count() == PARTNERSHIPS + 1
    assert "published" in generated
    assert "Benchmark data written in" in generated


def test_generate_publishes_as_the_workflow_does(generated):
    published = PracticeRevision.objects.published()
    events = Counter(
        ReviewEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(PracticeRevision),
            object_id__in=published.values("pk"),
        ).values_list("action", flat=True)
    )

    assert set(published_practice_list().values_list("pk", flat=True)) == set(
        Practice.objects.published().values_list("published_revision", flat=True)
    )
    assert all(
        revision.practice.published_revision_id == revision.pk
        for revision in published.select_related("practice")
    )
    assert events == {ReviewAction.SUBMIT: PRACTICES, ReviewAction.PUBLISH: PRACTICES}
    assert all(revision.fields.exists() for revision in published)
    assert not Practice.objects.filter(
        published_revision__isnull=True, revisions__state="published"
    )


def test_generate_gives_an_address_to_published_documents_only(generated):
    for model in (Practice, Partnership):
        published = model.objects.published()
        assert published.exists()
        assert not published.filter(slug=None).exists()
        never_published = model.objects.exclude(revisions__state__in=["published", "archived"])
        assert never_published.exists()
        assert set(never_published.values_list("slug", flat=True)) == {None}


def test_generate_spreads_dates_over_the_years(generated):
    dates = sorted(Practice.objects.published().values_list("created_at", flat=True))
    newest_first = list(
        published_practice_list().order_by("-state_changed_at").values_list("pk", flat=True)
    )

    assert dates[-1] - dates[0] > timedelta(days=365)
    assert len(set(newest_first)) == PRACTICES
    for revision in PracticeRevision.objects.select_related("practice__city"):
        assert revision.created_at <= revision.state_changed_at
        city = revision.practice.city
        last_year = timezone.localtime(revision.state_changed_at).year
        assert city.designation_year <= revision.year_started <= last_year


def test_generate_search_documents_are_what_save_writes(generated):
    revisions = list(PracticeRevision.objects.order_by("pk")[:20]) + list(
        PartnershipRevision.objects.all()
    )

    for revision in revisions:
        stored = revision.search_document
        revision.save()
        assert stored
        assert revision.search_document == stored


def test_generate_texts_are_found_by_a_word_search(generated):
    revision = published_practice_list().order_by("pk").first()
    city_word = search_key(revision.practice.city.name).split()[0]
    title_word = max(revision.title.split(), key=len)

    found = search_revisions(published_practice_list(), f"{title_word} {city_word}")

    assert revision in found
    assert found.count() < PRACTICES
    assert all(len(text.split()) >= 80 for text in (revision.challenge, revision.results))


def test_generate_partnerships_keep_their_invariants(generated):
    for partnership in Partnership.objects.prefetch_related("participations"):
        leads = [p for p in partnership.participations.all() if p.role == ParticipationRole.LEAD]
        taking_part = [
            p for p in partnership.participations.all() if p.status == ParticipationStatus.ACCEPTED
        ]
        revision = partnership.revisions.get()
        assert len(leads) == 1
        assert leads[0].city_id == partnership.lead_city_id
        assert leads[0].status == ParticipationStatus.ACCEPTED
        if revision.state == ReviewState.PUBLISHED:
            assert 2 <= len(taking_part) <= 8
        assert revision.end_date is None or revision.end_date >= revision.start_date
        assert 1 <= revision.organisation_roles.count() <= 5
    for call in OpenCall.objects.all():
        assert call.opens_on <= call.closes_on
        assert call.link or call.contact_email


def test_plan_same_seed_same_data(generated):
    first = benchmark_plan(practices=PRACTICES, partnerships=PARTNERSHIPS, seed=3, now=NOW)
    again = benchmark_plan(practices=PRACTICES, partnerships=PARTNERSHIPS, seed=3, now=NOW)
    other = benchmark_plan(practices=PRACTICES, partnerships=PARTNERSHIPS, seed=4, now=NOW)

    def contents(plan):
        return [
            (revision.practice.slug, revision.title, revision.search_document)
            for revision in plan.practice_revisions
        ] + [(revision.partnership.slug, revision.title) for revision in plan.partnership_revisions]

    assert contents(first) == contents(again)
    assert contents(first) != contents(other)
    assert len(set(contents(first))) == len(contents(first))


def test_plan_spreads_practices_over_cities_fields_and_languages(plan):
    per_city = Counter(practice.city for practice in plan.practices)
    fields = Counter(key for _revision, name, keys in plan.tags if name == "fields" for key in keys)
    published = [r for r in plan.practice_revisions if r.state == ReviewState.PUBLISHED]

    assert max(per_city.values()) >= 5 * statistics.median(per_city.values())
    assert len(per_city) > 100
    assert len(fields) == 8
    assert {revision.language for revision in published} == {"en", "fr"}
    assert 0.2 < sum(r.reaches_vulnerable_groups for r in published) / len(published) < 0.5
    assert len({revision.budget_range for revision in published}) == 5


def test_plan_words_are_common_or_rare(plan):
    """A word search matches a realistic share of the rows: "heritage" (or "patrimoine") many,
    each rare word a handful at most."""
    documents = [
        set(re.findall(r"[a-z0-9]+", revision.search_document))
        for revision in plan.practice_revisions
    ]
    rare_words = [search_key(word) for word in vocabulary.RARE_WORDS]

    with_heritage = sum(bool({"heritage", "patrimoine"} & words) for words in documents)
    with_rare_word = [sum(word in words for words in documents) for word in rare_words]

    assert with_heritage > len(documents) / 3
    assert 0 < sum(with_rare_word)
    assert max(with_rare_word) <= len(documents) / 100


def test_plan_practices_are_in_their_city_s_field(plan):
    fields_of = {id(revision): keys for revision, name, keys in plan.tags if name == "fields"}

    for revision in plan.practice_revisions:
        assert revision.practice.city.field_id in fields_of[id(revision)]
        assert 1 <= len(fields_of[id(revision)]) <= 2


def test_plan_practices_name_partnerships_their_city_takes_part_in(plan):
    taking_part = {
        (id(participation.partnership), participation.city.pk)
        for participation in plan.participations
        if participation.status == ParticipationStatus.ACCEPTED
    }
    named = [revision for revision in plan.practice_revisions if revision.partnership]

    assert named
    for revision in named:
        assert (id(revision.partnership), revision.practice.city.pk) in taking_part


def test_plan_calls_open_today_soon_and_closed(plan):
    today = NOW.date()
    with_calls = {id(call.revision) for call in plan.open_calls}
    timing = Counter(
        "open" if call.opens_on <= today <= call.closes_on
        else "soon" if call.opens_on > today
        else "closed"
        for call in plan.open_calls
    )  # fmt: skip

    assert 0.08 < len(with_calls) / len(plan.partnership_revisions) < 0.25
    assert timing["open"] and timing["soon"] and timing["closed"]


def test_generate_refuses_without_member_cities(generated, settings):
    settings.DEBUG = True
    City.objects.update(is_member=False)

    with pytest.raises(CommandError, match="load_network"):
        generate()


def test_generate_refuses_a_second_run(generated, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="already holds practices"):
        generate()
    assert Practice.objects.count() == PRACTICES + PRACTICES // 10


def test_generate_refuses_with_debug_off_without_the_flag(generated, settings):
    settings.DEBUG = False
    Practice.objects.all().delete()
    Partnership.objects.all().delete()

    with pytest.raises(CommandError, match="DEBUG is off"):
        generate()
    assert not Practice.objects.exists()


def test_generate_again_once_the_documents_are_deleted(generated, settings):
    """With DEBUG on no flag is needed; the people and organisations of the first run are
    found again, not duplicated."""
    settings.DEBUG = True
    Practice.objects.all().delete()
    Partnership.objects.all().delete()
    people, organisations = User.objects.count(), Organisation.objects.count()

    generate()

    assert Practice.objects.published().count() == PRACTICES
    assert User.objects.count() == people
    assert Organisation.objects.count() == organisations


def test_generate_practices_are_written_by_their_city_s_coordinator(generated):
    for practice in Practice.objects.select_related("city", "created_by"):
        assert practice.created_by.email.endswith("@benchmark.example.org")
        assert practice.city.coordinators.filter(pk=practice.created_by.pk).exists()
