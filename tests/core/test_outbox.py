"""The outbox: every e-mail a row written with the change that causes it, sent after commit by
a task, retried with backoff for RVCU_EMAIL_RETRY_HOURS, at most once per row."""

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from cities.services import coordinator_invite
from core import mail as outbox
from core.models import OutgoingMessage, OutgoingMessageState
from core.tasks import send_outgoing_message
from tests.core.backends import WorkerKilled, delivered_to
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

State = OutgoingMessageState
REFUSING = "tests.core.backends.RefusingBackend"


def write_one(django_capture_on_commit_callbacks, **kwargs):
    """A row written and committed, its task not run (as when the broker holds it)."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.outbox_add(
            to=kwargs.get("to", "ola@krakow.example"),
            subject=kwargs.get("subject", "Hello"),
            body=kwargs.get("body", "A message.\n"),
            template="tests/hello",
        )
    assert len(callbacks) == 1
    return message


def reload(message):
    return OutgoingMessage.objects.get(pk=message.pk)


def make_due(message, **fields):
    OutgoingMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1), **fields
    )


# Written in the transaction, sent after the commit


def test_invitation_writes_its_row_in_the_transaction_and_sends_after_commit(
    krakow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        coordinator_invite(city=krakow, email="ola@krakow.example", language="fr")
        rows = list(OutgoingMessage.objects.all())
        assert len(rows) == 1
        assert mail.outbox == []

    row = rows[0]
    assert (row.recipient, row.language, row.state) == ("ola@krakow.example", "fr", State.PENDING)
    assert row.template == "cities/email/coordinator_invitation"
    assert "Kraków" in row.subject
    assert "/fr/accounts/password/reset/key/" in row.body
    assert (row.attempts, row.sent_at) == (0, None)

    for callback in callbacks:
        callback()

    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 1, "")
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject, sent.body) == ([row.recipient], row.subject, row.body)
    assert sent.extra_headers["Message-ID"] == row.message_id


def test_a_rolled_back_change_writes_no_row_and_sends_nothing(
    krakow, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            coordinator_invite(city=krakow, email="ola@krakow.example")
            assert OutgoingMessage.objects.count() == 1
            raise RuntimeError("what came after the invitation failed")

    assert not OutgoingMessage.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_each_person_gets_a_row_in_their_language(django_capture_on_commit_callbacks):
    people = [UserFactory(language="en"), UserFactory(language="fr")]

    with django_capture_on_commit_callbacks(execute=True):
        written = outbox.email_people(
            people,
            "cities/email/coordinator_invitation",
            lambda person: {"user": person, "city": "Kraków", "link": "x", "set_password": True},
        )

    rows = OutgoingMessage.objects.order_by("pk")
    assert written == 2
    assert [(row.recipient, row.language) for row in rows] == [
        (people[0].email, "en"),
        (people[1].email, "fr"),
    ]
    assert rows[0].subject != rows[1].subject
    assert sorted(delivered_to()) == sorted(person.email for person in people)


# Retries


def test_retry_delay_doubles_from_a_minute_up_to_four_hours():
    delays = [outbox.retry_delay(attempts) for attempts in range(1, 12)]

    assert [delay.total_seconds() / 60 for delay in delays] == [
        1,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        240,
        240,
        240,
    ]


def test_the_retries_last_at_least_the_retry_window(settings):
    settings.RVCU_EMAIL_RETRY_HOURS = 24
    elapsed, attempts = timedelta(0), 0
    while elapsed < timedelta(hours=24):
        attempts += 1
        elapsed += outbox.retry_delay(attempts)

    # Every attempt until the window closes is made: about thirteen in 24 hours.
    assert 12 <= attempts <= 14


def test_a_refused_send_waits_and_is_tried_again(settings, django_capture_on_commit_callbacks):
    message = write_one(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = REFUSING

    before = timezone.now()
    assert outbox.outgoing_message_send(message.pk) == State.PENDING

    row = reload(message)
    assert (row.state, row.attempts, row.queued_at) == (State.PENDING, 1, None)
    assert "ConnectionRefusedError" in row.last_error
    assert (
        before + timedelta(seconds=59)
        < row.next_attempt_at
        < timezone.now() + timedelta(seconds=61)
    )
    # Not due yet: a task given it now leaves it alone.
    assert outbox.outgoing_message_send(message.pk) == State.PENDING
    assert reload(message).attempts == 1

    make_due(message)
    assert outbox.outgoing_message_send(message.pk) == State.PENDING
    row = reload(message)
    assert row.attempts == 2
    assert timezone.now() + timedelta(seconds=110) < row.next_attempt_at

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(message)
    assert outbox.outgoing_message_send(message.pk) == State.SENT
    assert (reload(message).attempts, delivered_to()) == (3, [message.recipient])


def test_a_temporary_refusal_of_the_server_is_retried(settings, django_capture_on_commit_callbacks):
    message = write_one(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "tests.core.backends.TryLaterBackend"

    assert outbox.outgoing_message_send(message.pk) == State.PENDING

    assert "451" in reload(message).last_error


def test_after_the_retry_window_the_row_is_failed_and_logged(
    settings, caplog, django_capture_on_commit_callbacks
):
    message = write_one(django_capture_on_commit_callbacks)
    OutgoingMessage.objects.filter(pk=message.pk).update(
        give_up_at=timezone.now() - timedelta(seconds=1), attempts=12
    )
    settings.EMAIL_BACKEND = REFUSING

    with caplog.at_level(logging.ERROR, logger="core.mail"):
        assert outbox.outgoing_message_send(message.pk) == State.FAILED

    row = reload(message)
    assert (row.state, row.attempts) == (State.FAILED, 13)
    assert "ConnectionRefusedError" in row.last_error
    assert f"Outgoing e-mail {message.pk} failed for good" in caplog.text
    # The sweep does not pick up a failed row.
    make_due(message)
    assert outbox.outbox_sweep() == (0, 0)


def test_the_retry_window_is_the_setting(settings, django_capture_on_commit_callbacks):
    settings.RVCU_EMAIL_RETRY_HOURS = 30

    message = write_one(django_capture_on_commit_callbacks)

    assert message.give_up_at - message.created_at == timedelta(hours=30)


# The sweep


def test_sweep_queues_due_rows_and_rows_whose_task_was_lost(django_capture_on_commit_callbacks):
    write_one(django_capture_on_commit_callbacks, to="a@example.org")  # never queued
    lost = write_one(django_capture_on_commit_callbacks, to="b@example.org")
    just_queued = write_one(django_capture_on_commit_callbacks, to="c@example.org")
    waiting = write_one(django_capture_on_commit_callbacks, to="d@example.org")
    sent = write_one(django_capture_on_commit_callbacks, to="e@example.org")
    now = timezone.now()
    make_due(lost, queued_at=now - timedelta(minutes=11))
    make_due(just_queued, queued_at=now - timedelta(minutes=1))
    OutgoingMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=now + timedelta(minutes=5))
    OutgoingMessage.objects.filter(pk=sent.pk).update(state=State.SENT, sent_at=now)

    assert outbox.outbox_sweep() == (2, 0)

    assert sorted(delivered_to()) == ["a@example.org", "b@example.org"]
    states = dict(OutgoingMessage.objects.values_list("recipient", "state"))
    assert states == {
        "a@example.org": State.SENT,
        "b@example.org": State.SENT,
        "c@example.org": State.PENDING,
        "d@example.org": State.PENDING,
        "e@example.org": State.SENT,
    }


def test_the_sweep_is_scheduled_every_minute_and_the_kept_uploads_daily():
    from rvcu.celery import app

    app.loader.import_default_modules()  # what a worker does when it starts: finds the tasks
    schedule = app.conf.beat_schedule
    assert schedule["outbox-sweep"]["task"] == "core.outbox_sweep"
    assert schedule["outbox-sweep"]["schedule"] == 60.0
    assert schedule["clean-kept-uploads"]["task"] == "rvcu.clean_kept_uploads"
    assert set(app.tasks) >= {
        "core.outbox_sweep",
        "core.send_outgoing_message",
        "rvcu.clean_kept_uploads",
    }


def test_the_kept_uploads_task_runs_the_commands_cleaning(monkeypatch):
    from rvcu import tasks

    calls = []
    monkeypatch.setattr(tasks, "delete_expired_kept_uploads", lambda: calls.append(1) or 3)

    assert tasks.clean_kept_uploads.delay().get() == 3
    assert calls == [1]


# At most once


def test_two_tasks_for_one_row_send_it_once(django_capture_on_commit_callbacks):
    message = write_one(django_capture_on_commit_callbacks)

    send_outgoing_message.delay(message.pk)
    send_outgoing_message.delay(message.pk)

    assert delivered_to() == [message.recipient]
    assert reload(message).attempts == 1


def test_the_row_is_marked_sending_before_the_server_is_contacted(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    message = write_one(django_capture_on_commit_callbacks)
    seen = []
    from django.core.mail.backends.locmem import EmailBackend

    def send_messages(backend, messages):
        seen.append(reload(message).state)
        return len(messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)

    outbox.outgoing_message_send(message.pk)

    assert seen == [State.SENDING]
    assert reload(message).state == State.SENT


def test_a_worker_dying_between_send_and_mark_never_sends_it_again(
    settings, django_capture_on_commit_callbacks
):
    message = write_one(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "tests.core.backends.DeliverThenDieBackend"

    with pytest.raises(WorkerKilled):
        outbox.outgoing_message_send(message.pk)

    assert delivered_to() == [message.recipient]
    assert reload(message).state == State.SENDING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The broker hands the task to another worker (acks late); the sweep runs meanwhile.
    assert outbox.outgoing_message_send(message.pk) == State.SENDING
    assert outbox.outbox_sweep() == (0, 0)
    # Long after, the sweep gives it to the secretariat to decide, without sending it.
    OutgoingMessage.objects.filter(pk=message.pk).update(
        sending_since=timezone.now() - timedelta(minutes=16)
    )
    assert outbox.outbox_sweep() == (0, 1)

    row = reload(message)
    assert row.state == State.FAILED
    assert "may have accepted it" in row.last_error
    assert delivered_to() == [message.recipient]


def test_a_connection_broken_half_way_is_not_sent_again(
    settings, django_capture_on_commit_callbacks
):
    message = write_one(django_capture_on_commit_callbacks)
    settings.EMAIL_BACKEND = "tests.core.backends.BrokenHalfWayBackend"

    assert outbox.outgoing_message_send(message.pk) == State.FAILED

    row = reload(message)
    assert "SMTPServerDisconnected" in row.last_error
    assert "Check with the recipient before retrying" in row.last_error


# A broker that cannot be reached


def test_a_broker_down_at_commit_is_logged_and_left_to_the_sweep(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(send_outgoing_message, "delay", broker_down)
    message = write_one(django_capture_on_commit_callbacks)

    with caplog.at_level(logging.WARNING, logger="core.mail"):
        outbox.outbox_queue(message.pk)

    row = reload(message)
    assert (row.state, row.queued_at) == (State.PENDING, None)
    assert f"Outgoing e-mail {message.pk} could not be queued" in caplog.text
    monkeypatch.undo()
    assert outbox.outbox_sweep() == (1, 0)
    assert delivered_to() == [message.recipient]
