"""The review workflow of practices: every allowed and refused transition, revisions, history."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from cities.models import CreativeField
from practices import services
from practices.models import Objective, Practice
from rvcu.models import ReviewEvent
from rvcu.review import TRANSITIONS, ReviewAction, ReviewState, allowed_actions, review_transition
from tests.factories import CityFactory, UserFactory

pytestmark = pytest.mark.django_db

CONTENT = {
    "summary": "Free music lessons in every district library.",
    "challenge": "Few children could afford music lessons.",
    "actions": "Libraries lend instruments and host teachers.",
    "results": "1,200 children learned an instrument in two years.",
    "transferability": "Any city with a library network can start with ten instruments.",
    "year_started": 2019,
}


@pytest.fixture
def city():
    return CityFactory()


@pytest.fixture
def coordinator(city):
    user = UserFactory()
    city.coordinators.add(user)
    return user


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


@pytest.fixture
def draft(city, coordinator):
    _practice, revision = services.practice_create(
        city=city,
        title="Music in the libraries",
        by=coordinator,
        fields=[CreativeField.objects.get(slug="music")],
        objectives=[Objective.objects.get(code="access-to-cultural-life")],
        **CONTENT,
    )
    return revision


def history(revision):
    return list(
        ReviewEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(revision), object_id=revision.pk
        ).values_list("action", "from_state", "to_state")
    )


def test_practice_create_makes_a_first_draft_with_its_tags(draft, city):
    assert draft.state == ReviewState.DRAFT
    assert draft.number == 1
    assert draft.practice.city == city
    assert draft.practice.slug is None  # a draft has no public address
    assert [field.slug for field in draft.fields.all()] == ["music"]
    assert draft.practice.published_revision is None


def test_practice_create_refuses_a_coordinator_of_another_city(city):
    outsider = UserFactory()
    CityFactory().coordinators.add(outsider)
    with pytest.raises(PermissionDenied):
        services.practice_create(city=city, title="Not mine", by=outsider, **CONTENT)
    assert not Practice.objects.exists()


def test_practice_create_refuses_invalid_content_and_saves_nothing(city, coordinator):
    with pytest.raises(ValidationError) as error:
        services.practice_create(
            city=city, title="Future", by=coordinator, **{**CONTENT, "year_started": 3000}
        )
    assert "year_started" in error.value.message_dict
    assert not Practice.objects.exists()


def test_practice_slugs_stay_unique(city, coordinator, staff):
    first, second = (
        services.practice_create(city=city, title="Open stages", by=coordinator, **CONTENT)[1]
        for _time in range(2)
    )
    for revision in (first, second):
        services.practice_submit(revision=revision, by=coordinator)
        services.practice_publish(revision=revision, by=staff)
    assert (first.practice.slug, second.practice.slug) == ("open-stages", "open-stages-2")


def test_full_review_cycle_records_each_step(draft, coordinator, staff):
    services.practice_submit(revision=draft, by=coordinator)
    services.practice_request_changes(revision=draft, by=staff, message="Add figures, please.")
    services.practice_submit(revision=draft, by=coordinator)
    services.practice_publish(revision=draft, by=staff)

    draft.refresh_from_db()
    assert draft.state == ReviewState.PUBLISHED
    assert Practice.objects.published().get() == draft.practice
    assert history(draft) == [
        ("submit", "draft", "submitted"),
        ("request_changes", "submitted", "changes_requested"),
        ("submit", "changes_requested", "submitted"),
        ("publish", "submitted", "published"),
    ]
    event = ReviewEvent.objects.get(action="request_changes")
    assert (event.actor, event.message) == (staff, "Add figures, please.")


def test_withdraw_returns_a_submission_to_draft(draft, coordinator):
    services.practice_submit(revision=draft, by=coordinator)
    services.practice_withdraw(revision=draft, by=coordinator)
    draft.refresh_from_db()
    assert draft.state == ReviewState.DRAFT


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (state, action)
        for state in ReviewState
        for action in ReviewAction
        if state not in TRANSITIONS[action].sources
    ],
)
def test_transitions_not_in_the_table_are_refused(draft, staff, state, action):
    draft.state = state
    draft.save()
    with pytest.raises(ValidationError) as error:
        review_transition(item=draft, action=action, by=staff, message="Because.")
    assert error.value.code == "invalid_transition"
    draft.refresh_from_db()
    assert draft.state == state
    assert history(draft) == []


@pytest.mark.parametrize(
    "action", [ReviewAction.PUBLISH, ReviewAction.REQUEST_CHANGES, ReviewAction.ARCHIVE]
)
def test_secretariat_actions_are_refused_to_coordinators(draft, coordinator, staff, action):
    services.practice_submit(revision=draft, by=coordinator)
    if action == ReviewAction.ARCHIVE:
        services.practice_publish(revision=draft, by=staff)
    with pytest.raises(PermissionDenied):
        review_transition(item=draft, action=action, by=coordinator, message="Hi")


def test_request_changes_needs_a_message(draft, coordinator, staff):
    services.practice_submit(revision=draft, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.practice_request_changes(revision=draft, by=staff, message="   ")
    assert error.value.code == "message_required"
    draft.refresh_from_db()
    assert draft.state == ReviewState.SUBMITTED


def test_coordinator_of_another_city_cannot_submit(draft):
    outsider = UserFactory()
    CityFactory().coordinators.add(outsider)
    with pytest.raises(PermissionDenied):
        services.practice_submit(revision=draft, by=outsider)


def test_editing_a_published_practice_keeps_the_published_version_online(draft, coordinator, staff):
    services.practice_submit(revision=draft, by=coordinator)
    services.practice_publish(revision=draft, by=staff)
    practice = draft.practice

    new = services.practice_revision_for_editing(practice=practice, by=coordinator)
    new.title = "Music in the libraries, now with choirs"
    new.save()
    services.practice_submit(revision=new, by=coordinator)

    practice.refresh_from_db()
    assert new.number == 2
    assert [field.slug for field in new.fields.all()] == ["music"]
    assert practice.published_revision == draft
    assert practice.published_revision.title == "Music in the libraries"

    services.practice_publish(revision=new, by=staff)
    practice.refresh_from_db()
    draft.refresh_from_db()
    assert practice.published_revision == new
    assert draft.state == ReviewState.ARCHIVED


def test_a_revision_under_review_must_be_withdrawn_before_editing(draft, coordinator):
    services.practice_submit(revision=draft, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.practice_revision_for_editing(practice=draft.practice, by=coordinator)
    assert error.value.code == "under_review"


def test_archiving_takes_the_practice_off_the_portal(draft, coordinator, staff):
    services.practice_submit(revision=draft, by=coordinator)
    services.practice_publish(revision=draft, by=staff)
    services.practice_archive(revision=draft, by=staff)
    assert not Practice.objects.published().exists()


@pytest.mark.parametrize(
    ("state", "by_secretariat", "expected"),
    [
        (ReviewState.DRAFT, False, [ReviewAction.SUBMIT]),
        (ReviewState.SUBMITTED, False, [ReviewAction.WITHDRAW]),
        (
            ReviewState.SUBMITTED,
            True,
            [ReviewAction.WITHDRAW, ReviewAction.PUBLISH, ReviewAction.REQUEST_CHANGES],
        ),
        (ReviewState.PUBLISHED, False, []),
        (ReviewState.PUBLISHED, True, [ReviewAction.ARCHIVE]),
    ],
)
def test_allowed_actions_follow_state_and_role(state, by_secretariat, expected):
    assert allowed_actions(state=state, by_secretariat=by_secretariat) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/admin/practices/objective/", "Access to and participation in cultural life"),
        ("/admin/practices/actionarea/", "Professional and artistic exchange programmes"),
        ("/admin/practices/sustainabledevelopmentgoal/", "11. Sustainable cities and communities"),
    ],
)
def test_mission_tags_are_listed_in_the_admin_for_staff_only(client, url, expected):
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(url)
    assert response.status_code == 200
    assert expected in response.content.decode()
