"""E-mails that follow the review of a practice: who gets them, in which language, with which
link, and only once the transaction has committed."""

import pytest
from django.core import mail
from django.db import transaction

from core.models import OutgoingMessage
from practices import services
from rvcu.review import ReviewState
from tests.factories import CityFactory, UserFactory
from tests.practices.factories import (
    SECRETARIAT_EMAIL,
    draft_practice,
    published_practice,
    secretariat,
    submitted_practice,
)

pytestmark = pytest.mark.django_db

SITE = "https://portal.example"
TITLE = "Reading circles"
SLUG = "reading-circles"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def people(krakow):
    """Kraków's coordinators: one reads English, one French, one has left; and a coordinator
    of another city."""
    anna = UserFactory(email="anna@krakow.example", language="en")
    benoit = UserFactory(email="benoit@krakow.example", language="fr")
    gone = UserFactory(email="gone@krakow.example", language="fr", is_active=False)
    krakow.coordinators.add(anna, benoit, gone)
    elsewhere = UserFactory(email="someone@dakar.example")
    CityFactory(name="Dakar", country="SN").coordinators.add(elsewhere)
    return {"anna": anna, "benoit": benoit, "gone": gone, "elsewhere": elsewhere}


@pytest.fixture
def submitted(krakow, people):
    return submitted_practice(krakow, TITLE, by=people["anna"])


def outbox_by_recipient():
    by_recipient = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        by_recipient[message.to[0]] = message
    assert len(by_recipient) == len(mail.outbox), "someone got two e-mails"
    return by_recipient


def test_publish_emails_each_active_coordinator_in_their_language(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(revision=submitted, by=secretariat())

    sent = outbox_by_recipient()
    assert sorted(sent) == ["anna@krakow.example", "benoit@krakow.example"]
    english, french = sent["anna@krakow.example"], sent["benoit@krakow.example"]
    assert english.subject == f"[RVCU] Published: “{TITLE}”"
    # In French (the wording is the translators'; needs compiled translations).
    assert TITLE in french.subject
    assert "Published" not in french.subject
    assert f"{SITE}/en/practices/{SLUG}/" in english.body
    assert f"{SITE}/fr/practices/{SLUG}/" in french.body
    assert "/en/practices/" not in french.body
    assert "/fr/practices/" not in english.body
    assert "Kraków" in english.body


def test_publish_link_opens_the_public_page(
    client, submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(revision=submitted, by=secretariat())

    for message in mail.outbox:
        link = next(word for word in message.body.split() if word.startswith(SITE))
        response = client.get(link.removeprefix(SITE))
        assert response.status_code == 200
        assert TITLE in response.content.decode()


def test_publish_message_of_the_secretariat_is_included(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(
            revision=submitted, by=secretariat(), message="Thank you, a fine practice."
        )

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Thank you, a fine practice." in message.body


def test_request_changes_emails_the_message_and_the_coordinator_page(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_request_changes(
            revision=submitted, by=secretariat(), message="Please add figures & sources."
        )

    sent = outbox_by_recipient()
    assert sorted(sent) == ["anna@krakow.example", "benoit@krakow.example"]
    english, french = sent["anna@krakow.example"], sent["benoit@krakow.example"]
    assert english.subject == f"[RVCU] Changes requested: “{TITLE}”"
    assert TITLE in french.subject
    assert "Changes requested" not in french.subject
    for message in (english, french):
        assert "Please add figures & sources." in message.body  # not HTML-escaped
    assert f"{SITE}/en/my/practices/{submitted.practice.pk}/" in english.body
    assert f"{SITE}/fr/my/practices/{submitted.practice.pk}/" in french.body
    assert "/en/my/" not in french.body


def test_submit_emails_the_active_secretariat_only(
    krakow, people, django_capture_on_commit_callbacks
):
    revision = draft_practice(krakow, TITLE, by=people["anna"])
    secretariat()
    UserFactory(email="retired@unesco.example", is_staff=True, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(revision=revision, by=people["anna"])

    sent = outbox_by_recipient()
    assert list(sent) == [SECRETARIAT_EMAIL]
    assert f"{SITE}/admin/practices/practicerevision/{revision.pk}/" in sent[SECRETARIAT_EMAIL].body
    assert "anna@krakow.example" in sent[SECRETARIAT_EMAIL].body


def test_emails_are_sent_only_after_commit(submitted, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.practice_publish(revision=submitted, by=secretariat())
        assert mail.outbox == []

    assert mail.outbox == []
    assert len(callbacks) == 2  # one queuing per e-mail written
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anna@krakow.example",
        "benoit@krakow.example",
    ]


def test_a_rolled_back_publication_sends_nothing(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.practice_publish(revision=submitted, by=secretariat())
            raise RuntimeError("the database write after it failed")

    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED
    assert callbacks == []
    assert mail.outbox == []


def test_withdraw_sends_nothing(submitted, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_withdraw(revision=submitted, by=people["anna"])

    assert not OutgoingMessage.objects.exists()
    assert mail.outbox == []


def test_archive_sends_nothing(krakow, people, django_capture_on_commit_callbacks):
    revision = published_practice(krakow, TITLE, by=people["anna"])
    written = OutgoingMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_archive(revision=revision, by=secretariat())

    assert OutgoingMessage.objects.count() == written
    assert mail.outbox == []


def test_publishing_a_new_version_sends_one_email_each(
    krakow, people, django_capture_on_commit_callbacks
):
    first = published_practice(krakow, TITLE, by=people["anna"])
    new = services.practice_update(practice=first.practice, by=people["anna"], title="Circles 2")
    services.practice_submit(revision=new, by=people["anna"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.practice_publish(revision=new, by=secretariat())

    # The publication, the archiving of the old version and the retirement of its files.
    assert len(callbacks) == 3
    sent = outbox_by_recipient()
    assert sorted(sent) == ["anna@krakow.example", "benoit@krakow.example"]
    assert all("Circles 2" in message.subject for message in mail.outbox)


def test_inactive_and_other_coordinators_get_nothing(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_request_changes(revision=submitted, by=secretariat(), message="Why?")
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(revision=submitted, by=people["anna"])
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(revision=submitted, by=secretariat())

    recipients = [message.to[0] for message in mail.outbox]
    assert "gone@krakow.example" not in recipients
    assert "someone@dakar.example" not in recipients
    assert recipients.count("anna@krakow.example") == 2
    assert recipients.count(SECRETARIAT_EMAIL) == 1


def test_a_coordinator_who_became_inactive_after_writing_gets_nothing(
    submitted, people, django_capture_on_commit_callbacks
):
    people["anna"].is_active = False
    people["anna"].save()

    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(revision=submitted, by=secretariat())

    assert [message.to for message in mail.outbox] == [["benoit@krakow.example"]]
