"""Issue 12, items 3 and 5: whatever the mail server does (down, refusing, hanging), the action
succeeds with its usual message and the e-mail waits in the outbox; a password reset answers
the same for a known and an unknown address, without any SMTP work in the request."""

import time

import pytest
from celery import Celery
from django.core import mail
from django.urls import reverse

from accounts.tasks import send_password_reset
from cities.services import coordinator_invite
from core.models import OutgoingMessage, OutgoingMessageState
from partnerships.models import ParticipationStatus
from rvcu.celery import app as rvcu_app
from rvcu.review import ReviewState
from tests.core.backends import RefusingBackend
from tests.factories import CityFactory, UserFactory
from tests.partnerships.factories import draft_partnership
from tests.partnerships.helpers import INVITE as PARTNERSHIP_INVITE
from tests.partnerships.helpers import MY_PAGE as PARTNERSHIP_PAGE
from tests.practices.factories import draft_practice, secretariat, submitted_practice

pytestmark = pytest.mark.django_db

State = OutgoingMessageState
RESET = "/en/accounts/password/reset/"
RESET_DONE = "/en/accounts/password/reset/done/"


@pytest.fixture(params=["down", "try-later", "hanging"])
def broken_mail_server(request, settings, silent_server):
    """The mail server as the probe found it: refusing connections, refusing the message, or
    accepting the connection and never answering (through Django's real SMTP backend)."""
    if request.param == "down":
        settings.EMAIL_BACKEND = "tests.core.backends.RefusingBackend"
    elif request.param == "try-later":
        settings.EMAIL_BACKEND = "tests.core.backends.TryLaterBackend"
    else:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = silent_server
        settings.EMAIL_TIMEOUT = 1
    return request.param


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def assert_waiting_in_outbox(recipients):
    rows = list(OutgoingMessage.objects.order_by("recipient"))
    assert [row.recipient for row in rows] == sorted(recipients)
    for row in rows:
        assert (row.state, row.attempts) == (State.PENDING, 1)
        assert row.last_error
    assert mail.outbox == []


def test_submit_succeeds_and_the_email_waits(
    client, krakow, coordinator, broken_mail_server, django_capture_on_commit_callbacks
):
    draft = draft_practice(krakow, "Reading circles", by=coordinator)
    staff = secretariat()
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/my/practices/{draft.practice.pk}/submit/", follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [
        "Submitted. The secretariat will review it; you will get an e-mail."
    ]
    draft.refresh_from_db()
    assert draft.state == ReviewState.SUBMITTED
    assert_waiting_in_outbox([staff.email])


def test_publish_succeeds_and_the_emails_wait(
    client, krakow, coordinator, broken_mail_server, django_capture_on_commit_callbacks
):
    revision = submitted_practice(krakow, "Reading circles", by=coordinator)
    OutgoingMessage.objects.all().delete()  # the submission's
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/practices/practicerevision/{revision.pk}/review/",
            {"action": "publish"},
            follow=True,
        )

    assert response.status_code == 200
    assert "Publish: done for “Reading circles" in response.content.decode()
    revision.refresh_from_db()
    assert revision.state == ReviewState.PUBLISHED
    assert_waiting_in_outbox([coordinator.email])


def test_coordinator_invitation_succeeds_and_the_email_waits(
    client, krakow, broken_mail_server, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:cities_city_invite", args=[krakow.pk]),
            {"email": "ola@krakow.example", "first_name": "", "last_name": "", "language": "en"},
            follow=True,
        )

    assert response.status_code == 200
    assert (
        "Invitation sent: ola@krakow.example is now a coordinator of Kraków."
        in response.content.decode()
    )
    assert list(krakow.coordinators.values_list("email", flat=True)) == ["ola@krakow.example"]
    assert_waiting_in_outbox(["ola@krakow.example"])


def test_partnership_invitation_succeeds_and_the_email_waits(
    client, krakow, coordinator, broken_mail_server, django_capture_on_commit_callbacks
):
    partnership = draft_partnership(krakow, "Literary residencies", by=coordinator).partnership
    kyoto = CityFactory(name="Kyoto", country="JP", field_slug="crafts-folk-art")
    kyoto.coordinators.add(UserFactory(email="kenji@kyoto.example"))
    OutgoingMessage.objects.all().delete()
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PARTNERSHIP_INVITE.format(pk=partnership.pk), {"city": kyoto.pk}, follow=True
        )

    assert response.redirect_chain == [(PARTNERSHIP_PAGE.format(pk=partnership.pk), 302)]
    assert messages_of(response) == [
        "Kyoto is invited. It will appear as a partner once one of its coordinators accepts."
    ]
    assert kyoto.participations.get().status == ParticipationStatus.INVITED
    assert_waiting_in_outbox(["kenji@kyoto.example"])


def test_password_reset_succeeds_and_the_email_waits(
    client, user, broken_mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": user.email})

    assert response.status_code == 302
    assert response["Location"] == RESET_DONE
    assert_waiting_in_outbox([user.email])


def test_a_hanging_mail_server_costs_a_send_no_more_than_the_timeout(
    settings, silent_server, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = silent_server
    settings.EMAIL_TIMEOUT = 1

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_invite(city=CityFactory(), email="ola@krakow.example")
    elapsed = time.monotonic() - started

    row = OutgoingMessage.objects.get()
    assert row.state == State.PENDING
    assert "timed out" in row.last_error
    # Without EMAIL_TIMEOUT the send would wait for ever (the server never answers).
    assert elapsed < 10


def test_email_timeout_is_ten_seconds_by_default():
    from rvcu.settings import base

    assert base.EMAIL_TIMEOUT == 10


# Password reset: the same answer for everyone, no SMTP in the request


@pytest.fixture
def queued_by_a_broker():
    """Tasks go to a broker (kombu's in-memory one) as in production: nothing runs in the
    request. Returns a function counting the tasks waiting."""
    app = Celery("rvcu-broker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url="memory://", task_always_eager=False)
    app.set_current()

    def waiting():
        with app.connection_for_read() as connection:
            return connection.default_channel.queue_declare("celery", passive=True).message_count

    yield waiting
    with app.connection_for_read() as connection:
        connection.default_channel.queue_purge("celery")
    rvcu_app.set_current()


def test_password_reset_answers_alike_for_known_and_unknown_addresses(
    client, user, settings, queued_by_a_broker, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.core.backends.RefusingBackend"
    RefusingBackend.opened = 0

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": user.email}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [(RESET_DONE, 302)]
    assert known.content == unknown.content
    # Each request queued one task and did nothing else: no e-mail made, no server contacted.
    assert queued_by_a_broker() == 2
    assert not OutgoingMessage.objects.exists()
    assert RefusingBackend.opened == 0

    # What the worker then does with each: one e-mail, to the known address only.
    with django_capture_on_commit_callbacks(execute=False):
        send_password_reset.run(user.email, "en")
        send_password_reset.run("nobody@example.org", "en")
    rows = list(OutgoingMessage.objects.all())
    assert [(row.recipient, row.state) for row in rows] == [(user.email, State.PENDING)]
    assert "http://127.0.0.1:8000/en/accounts/password/reset/key/" in rows[0].body


def test_password_reset_email_follows_the_language_of_the_page(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/accounts/password/reset/", {"email": user.email})

    assert response.status_code == 302
    row = OutgoingMessage.objects.get()
    assert (row.recipient, row.language, row.state) == (user.email, "fr", State.SENT)
    assert "/fr/accounts/password/reset/key/" in row.body
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_an_error_while_queuing_does_not_fail_the_action(
    client, krakow, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def database_gone(message_pk):
        raise RuntimeError("the connection to the database was lost")

    monkeypatch.setattr("core.mail.outbox_queue", database_gone)
    draft = draft_practice(krakow, "Reading circles", by=coordinator)
    secretariat()
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/my/practices/{draft.practice.pk}/submit/", follow=True)

    assert response.status_code == 200
    assert messages_of(response) == [
        "Submitted. The secretariat will review it; you will get an e-mail."
    ]
    # The row is there for the sweep.
    assert OutgoingMessage.objects.get().state == State.PENDING


def test_a_password_reset_task_delivered_twice_writes_its_email_once(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_password_reset.apply(args=(user.email, "en"), task_id="redelivered")
        send_password_reset.apply(args=(user.email, "en"), task_id="redelivered")
        send_password_reset.apply(args=(user.email, "en"), task_id="asked-again")

    rows = list(OutgoingMessage.objects.order_by("pk"))
    assert [row.message_id.split("@")[0] for row in rows] == [
        "<password-reset.redelivered.1",
        "<password-reset.asked-again.1",
    ]
    assert [message.to for message in mail.outbox] == [[user.email], [user.email]]
