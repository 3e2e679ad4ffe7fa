"""seed_demo: a demo set on top of the real cities for a local `make run`, never elsewhere."""

import io
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from cities.models import City
from core.models import OutgoingMessage, OutgoingMessageState
from devtools.management.commands.seed_local_accounts import COORDINATOR_EMAIL
from partnerships.models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    ParticipationStatus,
    Partnership,
    PartnershipRevision,
)
from practices.models import Practice, PracticeRevision
from rvcu.celery import app as celery_app
from rvcu.models import ReviewEvent
from rvcu.review import ReviewState

pytestmark = pytest.mark.django_db

# 24 practices and 12 partnerships of other cities, published; for Kraków, 5 practices (2
# published, then submitted, changes requested, draft) and 2 partnerships it leads (published,
# submitted); one more published partnership invites Kraków.
PUBLISHED_PRACTICES = 26
PUBLISHED_PARTNERSHIPS = 14


def run(command):
    output = io.StringIO()
    call_command(command, stdout=output)
    return output.getvalue()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.fixture
def demo(debug_on, network, media_root):
    run("seed_local_accounts")
    return run("seed_demo")


def content_counts():
    models = (
        User,
        Practice,
        PracticeRevision,
        Partnership,
        PartnershipRevision,
        Participation,
        Organisation,
        OrganisationRole,
        OpenCall,
        ReviewEvent,
        OutgoingMessage,
    )
    return {model.__name__: model.objects.count() for model in models}


def test_demo_publishes_dozens_of_illustrated_practices_and_partnerships(demo):
    practices = list(PracticeRevision.objects.filter(state=ReviewState.PUBLISHED))
    partnerships = list(PartnershipRevision.objects.filter(state=ReviewState.PUBLISHED))

    assert len(practices) == PUBLISHED_PRACTICES
    assert len(partnerships) == PUBLISHED_PARTNERSHIPS
    assert Practice.objects.published().count() == PUBLISHED_PRACTICES
    assert Partnership.objects.published().count() == PUBLISHED_PARTNERSHIPS
    for revision in practices + partnerships:
        # Through the portal's picture processing: WebP renditions, never the PNG made.
        assert revision.image.name.endswith(".webp")
        assert revision.image_card.name.endswith("-card.webp")
        assert revision.image_page.name.endswith("-page.webp")
        assert revision.image_alt and revision.image_credit
    assert Counter(revision.language for revision in practices) == {"en": 13, "fr": 13}
    french = next(revision for revision in practices if revision.language == "fr")
    assert french.image_alt.startswith("Image de démonstration")
    assert french.image_credit.startswith("Image de démonstration")
    assert "29 practices, 15 partnerships" in demo


def test_demo_spreads_over_the_creative_fields_and_cities(demo):
    cities = City.objects.filter(practices__published_revision__isnull=False).distinct()

    assert cities.count() == 25
    assert cities.values("field").distinct().count() == 8
    assert OrganisationRole.objects.filter(revision__state=ReviewState.PUBLISHED).count() == 28
    assert (
        Participation.objects.filter(
            status=ParticipationStatus.ACCEPTED,
            role="partner",
            partnership__published_revision__isnull=False,
        ).count()
        == 27
    )


def test_demo_has_calls_open_now_opening_soon_and_closed(demo, client):
    today = timezone.localdate()
    calls = OpenCall.objects.filter(revision__state=ReviewState.PUBLISHED)

    # The twelfth call is in Kraków's partnership under review.
    assert calls.count() == 11
    assert calls.filter(opens_on__lte=today, closes_on__gte=today).count() == 4
    assert calls.filter(opens_on__gt=today).count() == 3
    assert calls.filter(closes_on__lt=today).count() == 4
    response = client.get("/en/partnerships/?open_call=on")
    assert response.status_code == 200
    assert "4 partnerships" in " ".join(response.content.decode().split())


def test_demo_coordinator_has_an_item_in_each_state_and_an_invitation(demo, client):
    krakow = City.objects.get(slug="krakow")
    practice_states = Counter(
        practice.latest_revision().state for practice in Practice.objects.filter(city=krakow)
    )
    partnership_states = Counter(
        partnership.latest_revision().state
        for partnership in Partnership.objects.filter(lead_city=krakow)
    )

    assert practice_states == {
        ReviewState.PUBLISHED: 2,
        ReviewState.SUBMITTED: 1,
        ReviewState.CHANGES_REQUESTED: 1,
        ReviewState.DRAFT: 1,
    }
    assert partnership_states == {ReviewState.PUBLISHED: 1, ReviewState.SUBMITTED: 1}
    assert (
        Participation.objects.filter(city=krakow, status=ParticipationStatus.INVITED).count() == 1
    )
    sent_back = PracticeRevision.objects.get(
        practice__city=krakow, state=ReviewState.CHANGES_REQUESTED
    )
    assert (
        ReviewEvent.objects.filter(object_id=sent_back.pk, to_state=sent_back.state).get().message
    )

    client.force_login(User.objects.get(email=COORDINATOR_EMAIL))
    dashboard = client.get("/en/my/").content.decode()
    assert escape(sent_back.title) in dashboard
    submitted = PracticeRevision.objects.get(practice__city=krakow, state=ReviewState.SUBMITTED)
    assert escape(submitted.title) in dashboard


def test_every_demo_page_answers(demo, client):
    documents = [*Practice.objects.published(), *Partnership.objects.published()]

    assert len(documents) == PUBLISHED_PRACTICES + PUBLISHED_PARTNERSHIPS
    for document in documents:
        title = document.published_revision.title
        for language in ("en", "fr"):
            url = f"/{language}{document.get_absolute_url()[3:]}"
            response = client.get(url)
            assert response.status_code == 200, url
            assert escape(title) in response.content.decode()


def test_demo_run_twice_changes_nothing(demo, media_root):
    before = content_counts()
    files_before = sorted(path for path in media_root.rglob("*") if path.is_file())
    revisions_before = list(PracticeRevision.objects.order_by("pk").values())

    output = run("seed_demo")

    assert output.strip() == "Demo data: already in place, nothing added."
    assert content_counts() == before
    assert sorted(path for path in media_root.rglob("*") if path.is_file()) == files_before
    assert list(PracticeRevision.objects.order_by("pk").values()) == revisions_before
    assert before["Practice"] == 29


def test_demo_without_debug_adds_nothing_and_says_so(settings, network):
    settings.DEBUG = True
    run("seed_local_accounts")
    settings.DEBUG = False
    before = content_counts()

    output = run("seed_demo")

    assert output.strip() == "DEBUG is off: no demo data is added."
    assert content_counts() == before
    assert before["Practice"] == before["Partnership"] == before["OutgoingMessage"] == 0


def test_demo_without_the_local_accounts_says_what_to_run(debug_on, network):
    with pytest.raises(CommandError, match=r"manage\.py seed_local_accounts"):
        run("seed_demo")

    assert Practice.objects.count() == 0


def test_demo_without_the_network_says_what_to_run(debug_on, krakow):
    run("seed_local_accounts")

    with pytest.raises(CommandError, match=r"manage\.py load_network"):
        run("seed_demo")

    assert Practice.objects.count() == 0


@pytest.fixture
def tasks_queued_for_a_worker():
    """As with a broker: e-mails are queued for a worker, whose mail settings the demo cannot
    know (here the queuing would fail, and the rows would wait unsent)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = eager


@pytest.mark.django_db(transaction=True)
def test_demo_emails_are_written_to_the_outbox_and_delivered_nowhere(
    seeded_rows_back, debug_on, network, media_root, settings, tasks_queued_for_a_worker
):
    run("seed_local_accounts")
    mail.outbox = []

    output = run("seed_demo")

    # Committed for real here, so each e-mail's task ran, in this process: the test back end
    # (locmem) would have kept them in mail.outbox had the demo not sent them nowhere.
    emails = list(OutgoingMessage.objects.all())
    assert len(emails) == 48
    assert f"{len(emails)} e-mails" in output
    assert {email.state for email in emails} == {OutgoingMessageState.SENT}
    assert {email.recipient.rpartition("@")[2] for email in emails} == {"example.org"}
    assert mail.outbox == []
    assert celery_app.conf.task_always_eager is False
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
