"""E-mails of partnerships: the review of a partnership and the invitation of a city. Who gets
them, in which language, with which link, and only once the transaction has committed."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import OutgoingMessage
from partnerships import services
from partnerships.models import ParticipationStatus
from rvcu.review import ReviewState
from tests.factories import UserFactory
from tests.partnerships.factories import draft_partnership, submitted_partnership
from tests.practices.factories import SECRETARIAT_EMAIL, secretariat

pytestmark = pytest.mark.django_db

SITE = "https://portal.example"
TITLE = "Literary residencies"
SLUG = "literary-residencies"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def people(krakow, dakar):
    """Coordinators of Kraków (the lead city) and of Dakar (the city invited): in each, one
    reads English, one French, one has left; Dakar also has a coordinator without e-mail."""
    anna = UserFactory(email="anna@krakow.example", language="en")
    benoit = UserFactory(email="benoit@krakow.example", language="fr")
    gone = UserFactory(email="gone@krakow.example", language="fr", is_active=False)
    krakow.coordinators.add(anna, benoit, gone)
    dara = UserFactory(email="dara@dakar.example", language="en")
    fatou = UserFactory(email="fatou@dakar.example", language="fr")
    away = UserFactory(email="away@dakar.example", is_active=False)
    no_email = UserFactory(email="", language="fr")
    dakar.coordinators.add(dara, fatou, away, no_email)
    return {
        "anna": anna,
        "benoit": benoit,
        "gone": gone,
        "dara": dara,
        "fatou": fatou,
        "away": away,
        "no_email": no_email,
    }


@pytest.fixture
def submitted(krakow, people):
    return submitted_partnership(krakow, TITLE, by=people["anna"])


@pytest.fixture
def partnership(krakow, people):
    return draft_partnership(krakow, TITLE, by=people["anna"]).partnership


def outbox_by_recipient():
    by_recipient = {}
    for message in mail.outbox:
        assert len(message.to) == 1
        by_recipient[message.to[0]] = message
    assert len(by_recipient) == len(mail.outbox), "someone got two e-mails"
    return by_recipient


def link_in(message):
    return next(word for word in message.body.split() if word.startswith(SITE))


# Review


def test_submit_emails_the_active_secretariat_with_the_review_link(
    krakow, people, django_capture_on_commit_callbacks
):
    revision = draft_partnership(krakow, TITLE, by=people["anna"])
    secretariat()
    UserFactory(email="retired@unesco.example", is_staff=True, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_submit(revision=revision, by=people["anna"])

    sent = outbox_by_recipient()
    assert list(sent) == [SECRETARIAT_EMAIL]
    message = sent[SECRETARIAT_EMAIL]
    assert message.subject == f"[RVCU] To review: “{TITLE}” (Kraków)"
    assert f"{SITE}/admin/partnerships/partnershiprevision/{revision.pk}/review/\n" in message.body
    assert "anna@krakow.example" in message.body
    assert "(partnership)" in message.body


def test_submit_review_link_opens_the_review_page_for_staff(
    client, krakow, people, django_capture_on_commit_callbacks
):
    revision = draft_partnership(krakow, TITLE, by=people["anna"])
    staff = secretariat()
    staff.is_superuser = True
    staff.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_submit(revision=revision, by=people["anna"])

    client.force_login(staff)
    response = client.get(link_in(mail.outbox[0]).removeprefix(SITE))
    assert response.status_code == 200
    assert TITLE in response.content.decode()


def test_publish_emails_the_lead_city_coordinators_in_their_language(
    submitted, people, dakar, django_capture_on_commit_callbacks
):
    services.participation_accept(
        participation=services.city_invite(
            partnership=submitted.partnership, city=dakar, by=people["anna"]
        ),
        by=people["dara"],
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_publish(revision=submitted, by=secretariat())

    sent = outbox_by_recipient()
    assert sorted(sent) == ["anna@krakow.example", "benoit@krakow.example"]
    english, french = sent["anna@krakow.example"], sent["benoit@krakow.example"]
    assert english.subject == f"[RVCU] Published: “{TITLE}”"
    assert TITLE in french.subject
    assert "Published" not in french.subject
    assert f"{SITE}/en/partnerships/{SLUG}/\n" in english.body
    assert f"{SITE}/fr/partnerships/{SLUG}/\n" in french.body
    assert "/en/" not in french.body
    assert "/fr/" not in english.body
    assert "Kraków" in english.body


def test_publish_link_opens_the_public_page(
    client, submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_publish(revision=submitted, by=secretariat())

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        response = client.get(link_in(message).removeprefix(SITE))
        assert response.status_code == 200
        assert TITLE in response.content.decode()


def test_request_changes_emails_the_message_and_the_coordinator_page(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_request_changes(
            revision=submitted, by=secretariat(), message="Name the partners & their roles."
        )

    sent = outbox_by_recipient()
    assert sorted(sent) == ["anna@krakow.example", "benoit@krakow.example"]
    english, french = sent["anna@krakow.example"], sent["benoit@krakow.example"]
    assert english.subject == f"[RVCU] Changes requested: “{TITLE}”"
    assert TITLE in french.subject
    assert "Changes requested" not in french.subject
    for message in (english, french):
        assert "Name the partners & their roles." in message.body  # not HTML-escaped
    assert f"{SITE}/en/my/partnerships/{submitted.partnership.pk}/\n" in english.body
    assert f"{SITE}/fr/my/partnerships/{submitted.partnership.pk}/\n" in french.body
    assert "/en/" not in french.body


def test_review_emails_are_sent_only_after_commit(
    submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.partnership_publish(revision=submitted, by=secretariat())
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
            services.partnership_publish(revision=submitted, by=secretariat())
            raise RuntimeError("the database write after it failed")

    submitted.refresh_from_db()
    assert submitted.state == ReviewState.SUBMITTED
    assert callbacks == []
    assert mail.outbox == []


def test_withdraw_and_archive_send_nothing(submitted, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_withdraw(revision=submitted, by=people["anna"])
        services.partnership_submit(revision=submitted, by=people["anna"])
        services.partnership_publish(revision=submitted, by=secretariat())
    mail.outbox.clear()
    written = OutgoingMessage.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        services.partnership_archive(revision=submitted, by=secretariat())

    assert OutgoingMessage.objects.count() == written
    assert mail.outbox == []


# Invitations


def test_inviting_a_city_emails_its_active_coordinators_only(
    partnership, dakar, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    assert len(callbacks) == 2  # one queuing per e-mail written
    sent = outbox_by_recipient()
    assert sorted(sent) == ["dara@dakar.example", "fatou@dakar.example"]


def test_invitation_names_the_lead_city_the_title_and_the_link_in_each_language(
    partnership, dakar, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    sent = outbox_by_recipient()
    english, french = sent["dara@dakar.example"], sent["fatou@dakar.example"]
    assert english.subject == "[RVCU] Kraków invites your city to a partnership"
    assert "Kraków" in french.subject
    assert "\n" not in english.subject
    for message in (english, french):
        assert TITLE in message.body
        assert "Kraków" in message.body
        assert "Dakar" in message.body
    assert f"{SITE}/en/my/partnerships/{partnership.pk}/\n" in english.body
    assert f"{SITE}/fr/my/partnerships/{partnership.pk}/\n" in french.body
    assert "/en/" not in french.body
    assert "/fr/" not in english.body


def test_invitation_title_is_not_html_escaped(
    krakow, dakar, people, django_capture_on_commit_callbacks
):
    partnership = draft_partnership(krakow, "Words & images", by=people["anna"]).partnership

    with django_capture_on_commit_callbacks(execute=True):
        services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    for message in mail.outbox:
        assert "Words & images" in message.body
        assert "&amp;" not in message.body


def test_invitation_link_opens_the_partnership_for_the_invited_coordinator(
    client, partnership, dakar, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    client.force_login(people["dara"])
    response = client.get(link_in(outbox_by_recipient()["dara@dakar.example"]).removeprefix(SITE))
    assert response.status_code == 200
    assert TITLE in response.content.decode()


def test_a_rolled_back_invitation_sends_nothing(
    partnership, dakar, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.city_invite(partnership=partnership, city=dakar, by=people["anna"])
            raise RuntimeError("the database write after it failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not partnership.participations.filter(city=dakar).exists()


def test_a_refused_invitation_sends_nothing(
    partnership, dakar, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.city_invite(partnership=partnership, city=dakar, by=people["anna"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    assert callbacks == []
    assert mail.outbox == []


def test_a_city_invited_again_is_emailed_again(
    partnership, dakar, people, django_capture_on_commit_callbacks
):
    participation = services.city_invite(partnership=partnership, city=dakar, by=people["anna"])
    services.participation_decline(participation=participation, by=people["dara"])

    with django_capture_on_commit_callbacks(execute=True):
        again = services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    assert again.status == ParticipationStatus.INVITED
    assert sorted(outbox_by_recipient()) == ["dara@dakar.example", "fatou@dakar.example"]


def test_answering_an_invitation_sends_nothing(
    partnership, dakar, people, django_capture_on_commit_callbacks
):
    participation = services.city_invite(partnership=partnership, city=dakar, by=people["anna"])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.participation_accept(participation=participation, by=people["dara"])
        services.participation_leave(participation=participation, by=people["fatou"])

    assert callbacks == []
    assert mail.outbox == []
