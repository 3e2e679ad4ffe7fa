"""Review actions sent twice at once (a double click, two reviewers): the first applies, the
second is told it is already done; one event, one e-mail. For both reviewed types.

The races run in two threads on PostgreSQL (tests/races.py); the deterministic tests (a stale
object whose row changed meanwhile) hold on SQLite too."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError

from partnerships import services as partnership_services
from practices import services as practice_services
from rvcu.models import ReviewEvent
from rvcu.review import TRANSITIONS, ReviewAction, ReviewState
from tests.partnerships.factories import draft_partnership
from tests.practices.factories import draft_practice, secretariat
from tests.races import race, refusals

TYPES = {
    "practice": {
        "draft": draft_practice,
        "admin": "/admin/practices/practicerevision/",
        "services": {
            ReviewAction.SUBMIT: "practices.services.practice_submit",
            ReviewAction.WITHDRAW: "practices.services.practice_withdraw",
            ReviewAction.PUBLISH: "practices.services.practice_publish",
            ReviewAction.REQUEST_CHANGES: "practices.services.practice_request_changes",
            ReviewAction.ARCHIVE: "practices.services.practice_archive",
        },
    },
    "partnership": {
        "draft": draft_partnership,
        "admin": "/admin/partnerships/partnershiprevision/",
        "services": {
            ReviewAction.SUBMIT: "partnerships.services.partnership_submit",
            ReviewAction.WITHDRAW: "partnerships.services.partnership_withdraw",
            ReviewAction.PUBLISH: "partnerships.services.partnership_publish",
            ReviewAction.REQUEST_CHANGES: "partnerships.services.partnership_request_changes",
            ReviewAction.ARCHIVE: "partnerships.services.partnership_archive",
        },
    },
}
# The steps that bring a new draft to the state from which each action starts.
BEFORE = {
    ReviewAction.SUBMIT: [],
    ReviewAction.WITHDRAW: [ReviewAction.SUBMIT],
    ReviewAction.PUBLISH: [ReviewAction.SUBMIT],
    ReviewAction.REQUEST_CHANGES: [ReviewAction.SUBMIT],
    ReviewAction.ARCHIVE: [ReviewAction.SUBMIT, ReviewAction.PUBLISH],
}
ALREADY_DONE = {
    ReviewAction.SUBMIT: "This {kind} was already submitted.",
    ReviewAction.WITHDRAW: "This {kind} was already withdrawn.",
    ReviewAction.PUBLISH: "This {kind} was already published.",
    ReviewAction.REQUEST_CHANGES: "Changes to this {kind} were already requested.",
    ReviewAction.ARCHIVE: "This {kind} was already archived.",
}


@pytest.fixture(params=list(TYPES))
def kind(request):
    return request.param


def service(kind, action):
    module_name, name = TYPES[kind]["services"][action].rsplit(".", 1)
    module = __import__(module_name, fromlist=[name])
    return getattr(module, name)


def act(kind, action, revision):
    """`action` on `revision` as the portal's views call it: authors by the author's service,
    the secretariat with a message (request changes needs one)."""
    if action in (ReviewAction.SUBMIT, ReviewAction.WITHDRAW):
        return service(kind, action)(revision=revision, by=secretariat())
    return service(kind, action)(revision=revision, by=secretariat(), message="Add figures.")


def reload(revision):
    return type(revision).objects.get(pk=revision.pk)


def events(revision, action=None):
    found = ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(revision), object_id=revision.pk
    )
    return list(found.filter(action=action) if action else found)


def prepared(kind, krakow, action):
    """A revision in the state `action` starts from, with a coordinator of its city to hear
    of the decisions, and an empty outbox."""
    revision = TYPES[kind]["draft"](krakow)
    for step in BEFORE[action]:
        act(kind, step, reload(revision))
    mail.outbox.clear()
    return reload(revision)


# Deterministic: the second request holds the item as it was before the first one's change.


@pytest.mark.django_db
@pytest.mark.parametrize("action", list(ReviewAction))
def test_an_action_sent_again_from_a_stale_page_is_already_done(
    kind, krakow, coordinator, action, django_capture_on_commit_callbacks
):
    revision = prepared(kind, krakow, action)
    stale = reload(revision)
    with django_capture_on_commit_callbacks(execute=True):
        act(kind, action, revision)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        act(kind, action, stale)

    assert error.value.code == "already_done"
    assert error.value.messages == [ALREADY_DONE[action].format(kind=kind)]
    assert len(events(revision, action)) == 1
    assert len(mail.outbox) == sent
    assert reload(revision).state == TRANSITIONS[action].target


@pytest.mark.django_db
def test_changes_requested_on_a_page_shown_before_publication_are_refused(
    kind, krakow, coordinator, django_capture_on_commit_callbacks
):
    revision = prepared(kind, krakow, ReviewAction.PUBLISH)
    stale = reload(revision)
    with django_capture_on_commit_callbacks(execute=True):
        act(kind, ReviewAction.PUBLISH, revision)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        act(kind, ReviewAction.REQUEST_CHANGES, stale)

    assert error.value.code == "invalid_transition"
    assert error.value.messages == [
        "“Request changes” is not possible for an item that is “Published”."
    ]
    assert events(revision, ReviewAction.REQUEST_CHANGES) == []
    assert reload(revision).state == ReviewState.PUBLISHED
    assert [message.to for message in mail.outbox] == [[coordinator.email]]


@pytest.mark.django_db
def test_withdrawing_a_draft_never_submitted_is_not_called_already_done(kind, krakow):
    revision = prepared(kind, krakow, ReviewAction.SUBMIT)

    with pytest.raises(ValidationError) as error:
        act(kind, ReviewAction.WITHDRAW, revision)

    assert error.value.code == "invalid_transition"


# Races: two requests at once.


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "action", [ReviewAction.SUBMIT, ReviewAction.PUBLISH, ReviewAction.REQUEST_CHANGES]
)
def test_the_same_action_twice_at_once_applies_once(
    seeded_rows_back, kind, krakow, coordinator, action
):
    revision = prepared(kind, krakow, action)
    first, second = reload(revision), reload(revision)

    results = race(lambda: act(kind, action, first), lambda: act(kind, action, second))

    refused = refusals(results)
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert refused[0].messages == [ALREADY_DONE[action].format(kind=kind)]
    assert len(events(revision, action)) == 1
    # Submitted: the secretariat hears of it; a decision: the city's coordinator.
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_publish_and_request_changes_at_once_only_one_applies(
    seeded_rows_back, kind, krakow, coordinator
):
    revision = prepared(kind, krakow, ReviewAction.PUBLISH)
    first, second = reload(revision), reload(revision)

    results = race(
        lambda: act(kind, ReviewAction.PUBLISH, first),
        lambda: act(kind, ReviewAction.REQUEST_CHANGES, second),
    )

    refused = refusals(results)
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert refused[0].code == "invalid_transition"
    decisions = [
        event.action
        for event in events(revision)
        if event.action in (ReviewAction.PUBLISH, ReviewAction.REQUEST_CHANGES)
    ]
    assert len(decisions) == 1
    assert (
        reload(revision).state
        == {
            ReviewAction.PUBLISH: ReviewState.PUBLISHED,
            ReviewAction.REQUEST_CHANGES: ReviewState.CHANGES_REQUESTED,
        }[decisions[0]]
    )
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_archive_and_publishing_a_new_version_at_once_do_not_deadlock(
    seeded_rows_back, kind, krakow
):
    published = prepared(kind, krakow, ReviewAction.ARCHIVE)
    document = published.document
    if kind == "practice":
        new = practice_services.practice_update(
            practice=document, by=secretariat(), title="A new version"
        )
    else:
        new = partnership_services.partnership_update(
            partnership=document, by=secretariat(), title="A new version"
        )
    act(kind, ReviewAction.SUBMIT, new)

    results = race(
        lambda: act(kind, ReviewAction.ARCHIVE, reload(published)),
        lambda: act(kind, ReviewAction.PUBLISH, reload(new)),
    )

    # Whichever came first, the other still applies or says why not: never a database error.
    assert all(
        not isinstance(result, Exception) or isinstance(result, ValidationError)
        for result in results
    )
    assert reload(new).state == ReviewState.PUBLISHED
    assert reload(published).state == ReviewState.ARCHIVED
    assert len(events(published, ReviewAction.ARCHIVE)) == 1


# What people see


@pytest.mark.django_db
def test_a_double_click_on_submit_tells_it_is_done_and_e_mails_once(
    client, kind, krakow, coordinator, django_capture_on_commit_callbacks
):
    revision = prepared(kind, krakow, ReviewAction.SUBMIT)
    client.force_login(coordinator)
    url = f"/en/my/{kind}s/{revision.document.pk}/submit/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, follow=True)

    assert [str(message) for message in first.context["messages"]] == [
        "Submitted. The secretariat will review it; you will get an e-mail."
    ]
    assert [str(message) for message in second.context["messages"]] == [
        f"This {kind} was already submitted."
    ]
    assert len(events(revision, ReviewAction.SUBMIT)) == 1
    assert [message.to for message in mail.outbox] == [[secretariat().email]]


@pytest.mark.django_db
def test_a_decision_sent_from_a_page_shown_before_another_reviewers_says_so(
    client, kind, krakow, coordinator, staff_user, django_capture_on_commit_callbacks
):
    revision = prepared(kind, krakow, ReviewAction.PUBLISH)
    review_page = f"{TYPES[kind]['admin']}{revision.pk}/review/"
    client.force_login(staff_user)
    assert "Publish" in client.get(review_page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        act(kind, ReviewAction.PUBLISH, reload(revision))  # the other reviewer

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_page, {"action": "publish", "message": ""}, follow=True)

    assert response.redirect_chain == [(review_page, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        f"This {kind} was already published."
    ]
    assert len(events(revision, ReviewAction.PUBLISH)) == 1
    assert [message.to for message in mail.outbox] == [[coordinator.email]]


@pytest.mark.django_db
def test_bulk_publish_of_an_item_published_meanwhile_says_so(
    client, kind, krakow, coordinator, staff_user, django_capture_on_commit_callbacks
):
    revision = prepared(kind, krakow, ReviewAction.PUBLISH)
    with django_capture_on_commit_callbacks(execute=True):
        act(kind, ReviewAction.PUBLISH, reload(revision))
    client.force_login(staff_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            TYPES[kind]["admin"],
            {"action": "publish_selected", ACTION_CHECKBOX_NAME: [revision.pk]},
            follow=True,
        )

    assert [str(message) for message in response.context["messages"]] == [
        f"{reload(revision)}: This {kind} was already published."
    ]
    assert len(events(revision, ReviewAction.PUBLISH)) == 1
    assert [message.to for message in mail.outbox] == [[coordinator.email]]
