"""The outbox in the admin: who sees it, what it shows, the "retry now" action, read only."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.mail import outbox_add
from core.models import OutgoingMessage, OutgoingMessageState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/core/outgoingmessage/"
State = OutgoingMessageState


def reviewer():
    """A member of the secretariat who may see the outbox and nothing more."""
    person = UserFactory(is_staff=True)
    person.user_permissions.add(Permission.objects.get(codename="view_outgoingmessage"))
    return person


@pytest.fixture
def failed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = outbox_add(
            to="ola@krakow.example", subject="You coordinate Kraków", body="Welcome.\n"
        )
    OutgoingMessage.objects.filter(pk=message.pk).update(
        state=State.FAILED, attempts=13, last_error="ConnectionRefusedError: refused"
    )
    return message


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return outbox_add(to="ada@dakar.example", subject="Published", body="It is out.\n")


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "other-coordinator"])
def test_outbox_sends_people_outside_the_secretariat_to_the_admin_login(
    client, log_in_as, failed, role
):
    log_in_as(role)

    for url in (LIST, f"{LIST}{failed.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(LIST, {"action": "retry_now", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    assert OutgoingMessage.objects.get(pk=failed.pk).state == State.FAILED


def test_staff_without_the_permission_cannot_see_the_outbox(client, failed):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(LIST).status_code == 403
    response = client.post(LIST, {"action": "retry_now", "_selected_action": [failed.pk]})
    assert response.status_code == 403
    assert OutgoingMessage.objects.get(pk=failed.pk).state == State.FAILED


@pytest.mark.parametrize("who", ["reviewer", "superuser"])
def test_secretariat_sees_each_message_with_state_recipient_attempts_and_error(
    client, failed, sent, who
):
    client.force_login(
        reviewer() if who == "reviewer" else UserFactory(is_staff=True, is_superuser=True)
    )

    response = client.get(LIST)

    content = response.content.decode()
    assert response.status_code == 200
    assert response.context["cl"].result_count == 2
    for text in (
        "ola@krakow.example",
        "You coordinate Kraków",
        "ConnectionRefusedError: refused",
        '<td class="field-attempts">13</td>',
        "Failed",
        "ada@dakar.example",
        "Sent",
        "Retry now",
    ):
        assert text in content
    filtered = client.get(LIST, {"state__exact": "failed"})
    assert filtered.context["cl"].result_count == 1
    assert "ada@dakar.example" not in filtered.content.decode()


def test_nobody_can_edit_or_write_a_message_in_the_admin(client, failed):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    page = client.get(f"{LIST}{failed.pk}/change/")
    response = client.post(
        f"{LIST}{failed.pk}/change/", {"body": "Send money.", "recipient": "x@example.org"}
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert "Welcome." in content
    assert 'name="body"' not in content
    assert 'name="subject"' not in content
    assert response.status_code == 403
    assert client.get(f"{LIST}add/").status_code == 403
    row = OutgoingMessage.objects.get(pk=failed.pk)
    assert (row.body, row.recipient) == ("Welcome.\n", "ola@krakow.example")


def test_retry_now_sends_the_failed_message_and_leaves_the_sent_one(
    client, failed, sent, django_capture_on_commit_callbacks
):
    client.force_login(reviewer())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST, {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]}, follow=True
        )

    assert response.status_code == 200
    assert "1 e-mail will be sent again in a moment." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["ola@krakow.example"]]
    row = OutgoingMessage.objects.get(pk=failed.pk)
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 14, "")
    assert OutgoingMessage.objects.get(pk=sent.pk).attempts == 1


def test_retry_now_of_a_message_that_fails_again_says_failed_at_once(
    client, failed, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.core.backends.RefusingBackend"
    client.force_login(reviewer())

    with django_capture_on_commit_callbacks(execute=True):
        client.post(LIST, {"action": "retry_now", "_selected_action": [failed.pk]})

    row = OutgoingMessage.objects.get(pk=failed.pk)
    assert (row.state, row.attempts) == (State.FAILED, 14)
    assert row.next_attempt_at <= timezone.now()


def test_retry_now_with_nothing_to_retry_says_so(client, sent):
    client.force_login(reviewer())

    response = client.post(
        LIST, {"action": "retry_now", "_selected_action": [sent.pk]}, follow=True
    )

    assert "Nothing to retry: only failed or waiting e-mails are sent again." in (
        response.content.decode()
    )


def test_outbox_list_costs_the_same_queries_for_1_and_20_messages(
    client, django_capture_on_commit_callbacks
):
    client.force_login(reviewer())
    counts = []
    for size in (1, 20):
        OutgoingMessage.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=False):
            for number in range(size):
                outbox_add(to=f"p{number}@example.org", subject=f"S{number}", body="B\n")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST)
        assert response.context["cl"].result_count == size
        counts.append(len(queries))

    assert counts[0] == counts[1]
