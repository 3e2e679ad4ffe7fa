"""A coordinator's partnership pages: /my/partnerships/new/, /my/partnerships/<pk>/ (with
/edit/, /submit/, /withdraw/, /invite/ and the answers of the cities invited), the
partnerships and invitations on the dashboard /my/, and the partnership a practice came from."""

import re
from datetime import date
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils.html import escape

from cities.models import CreativeField
from partnerships import services
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
from rvcu.review import ReviewState
from tests.factories import CityFactory, UserFactory, acting_staff, image_upload
from tests.partnerships.factories import (
    LIBRARY,
    draft_partnership,
    invite,
    join,
    published_partnership,
    submitted_partnership,
)
from tests.partnerships.helpers import (
    CALL,
    DASHBOARD,
    EDIT,
    FORM_CALLS,
    FORM_ORGANISATIONS,
    INVITE,
    LOGIN,
    MY_PAGE,
    NEW,
    PUBLIC,
    SUBMIT,
    THEATRE,
    TITLE,
    WITHDRAW,
    at,
    coordinator_of,
    first_partnership,
    form_data,
    form_values,
    messages_of,
    organisation,
    practice_form_data,
)
from tests.practices.factories import secretariat

pytestmark = pytest.mark.django_db

NOT_SAVED = "The partnership is not saved yet: see the errors."
NOT_A_MEMBER_CHOICE = "Choose a member city of the network from the list."
UNDER_REVIEW = "This partnership is being reviewed: withdraw it to edit it again."
KEPT_MESSAGE = "Your picture “{name}” is kept: you do not need to choose it again."
ROLES = ["lead", "invited", "partner", "other", "staff", "plain-staff", "superuser"]


@pytest.fixture
def montreal(db):
    """A member city invited to Kraków's partnership, that has not answered yet."""
    return CityFactory(name="Montréal", country="CA", field_slug="design")


@pytest.fixture
def lyon(db):
    """A member city with nothing to do with Kraków's partnership."""
    return CityFactory(name="Lyon", country="FR", field_slug="media-arts")


@pytest.fixture
def kyoto(db):
    """A member city nobody invited yet."""
    return CityFactory(name="Kyoto", country="JP", field_slug="crafts-folk-art")


@pytest.fixture
def people(coordinator, dakar, montreal, lyon):
    """One person per rung of the ladder: the coordinator of the lead city (Kraków), of the
    invited city (Montréal), of the partner city that accepted (Dakar), of another city
    (Lyon), and a member of the secretariat who may act for every city."""
    return {
        "anonymous": None,
        "lead": coordinator,
        "invited": coordinator_of(montreal, email="marie@montreal.example"),
        "partner": coordinator_of(dakar, email="dara@dakar.example"),
        "other": coordinator_of(lyon, email="leo@lyon.example"),
        "staff": acting_staff(email="staff@unesco.example"),
        # Staff status opens the admin, not the coordinator pages of every city.
        "plain-staff": UserFactory(is_staff=True, email="clerk@unesco.example"),
        "superuser": UserFactory(is_staff=True, is_superuser=True, email="root@unesco.example"),
    }


@pytest.fixture
def log_in(client, people):
    def log_in(role):
        person = people[role]
        if person is not None:
            client.force_login(person)
        return person

    return log_in


def set_up(revision, dakar, montreal):
    join(revision.partnership, dakar)
    invite(revision.partnership, montreal)
    return revision


@pytest.fixture
def draft(krakow, dakar, montreal, people):
    """Kraków's draft partnership: Dakar takes part, Montréal is invited."""
    revision = draft_partnership(
        krakow, TITLE, by=people["lead"], organisations=[LIBRARY], open_calls=[CALL]
    )
    return set_up(revision, dakar, montreal)


@pytest.fixture
def submitted(krakow, dakar, montreal, people):
    revision = submitted_partnership(
        krakow, TITLE, by=people["lead"], organisations=[LIBRARY], open_calls=[CALL]
    )
    return set_up(revision, dakar, montreal)


def latest(partnership=None):
    return (partnership or first_partnership()).revisions.order_by("-number")[0]


def participation_of(city, partnership=None):
    return Participation.objects.get(partnership=partnership or first_partnership(), city=city)


def snapshot():
    """Everything a refused request must leave as it was."""
    return (
        list(
            PartnershipRevision.objects.order_by("pk").values_list(
                "partnership__slug", "number", "state", "title", "summary"
            )
        ),
        list(
            Participation.objects.order_by("pk").values_list(
                "partnership__slug", "city__slug", "status", "answered_at"
            )
        ),
        list(Partnership.objects.order_by("pk").values_list("slug", "published_revision")),
        list(OrganisationRole.objects.order_by("pk").values_list("revision", "organisation")),
    )


def answer_url(participation, answer):
    return f"/en/my/partnerships/{participation.partnership_id}/cities/{participation.pk}/{answer}/"


# The permission ladder: anonymous people are sent to log in, and nothing changes


@pytest.mark.parametrize(
    ("method", "url"),
    [("get", NEW), ("post", NEW), ("get", MY_PAGE), ("get", EDIT), ("post", EDIT)]
    + [("post", url) for url in (SUBMIT, WITHDRAW, INVITE)],
)
def test_anonymous_is_sent_to_log_in(client, draft, kyoto, method, url):
    before = snapshot()

    if method == "get":
        response = client.get(at(url))
    else:
        response = client.post(at(url), {"city": kyoto.pk, **form_data()})

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(at(url))}"
    assert snapshot() == before


@pytest.mark.parametrize("answer", ["accept", "decline", "leave"])
def test_anonymous_answers_are_sent_to_log_in(client, draft, dakar, montreal, answer):
    participation = participation_of(dakar if answer == "leave" else montreal)
    url = answer_url(participation, answer)
    before = snapshot()

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={quote(url)}"
    assert snapshot() == before


# The permission ladder: the coordinators' page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("lead", 200),
        ("invited", 200),
        ("partner", 200),
        ("other", 404),
        ("staff", 200),
        ("plain-staff", 404),
        ("superuser", 200),
    ],
)
def test_my_partnership_page_by_role(log_in, client, draft, role, status):
    log_in(role)

    response = client.get(at(MY_PAGE))

    assert response.status_code == status
    assert (TITLE in response.content.decode()) is (status == 200)


def test_my_partnership_page_of_the_lead_city(log_in, client, draft):
    log_in("lead")

    content = client.get(at(MY_PAGE)).content.decode()

    assert '<span class="state state--draft">Draft</span>' in content
    assert f'href="{at(EDIT)}"' in content
    assert f'action="{at(SUBMIT)}"' in content
    assert f'action="{at(WITHDRAW)}"' not in content
    assert f'action="{at(INVITE)}"' in content
    assert "Invitation to" not in content
    assert "/accept/" not in content
    assert "/leave/" not in content
    assert "Kraków Public Library" in content
    assert "Residencies 2025" in content


def test_my_partnership_page_invite_form_offers_only_cities_not_involved(
    log_in, client, draft, kyoto, lyon
):
    CityFactory(name="Formerville", is_member=False)
    log_in("lead")

    content = client.get(at(MY_PAGE)).content.decode()

    select = re.search(r'<select name="city".*?</select>', content, re.DOTALL).group(0)
    offered = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert offered == ["Kyoto (Japan)", "Lyon (France)"]


def test_my_partnership_page_lists_every_city_invited_with_its_answer(
    log_in, client, draft, kyoto, lyon
):
    services.participation_decline(participation=invite(draft.partnership, kyoto), by=secretariat())
    services.participation_leave(participation=join(draft.partnership, lyon), by=secretariat())
    log_in("lead")

    content = client.get(at(MY_PAGE)).content.decode()

    table = re.search(r'<table class="data-table">.*?</table>', content, re.DOTALL).group(0)
    rows = re.findall(r'<a href="/en/cities/[^"]+/">([^<]+)</a>.*?</td>\s*<td>([^<]+?)\s*<', table)
    assert dict(rows) == {
        "Kraków": "Taking part",
        "Dakar": "Taking part",
        "Montréal": "Invited",
        "Kyoto": "Declined",
        "Lyon": "Left",
    }


def test_my_partnership_page_of_the_invited_city(log_in, client, draft, montreal):
    log_in("invited")
    invitation = participation_of(montreal)

    content = client.get(at(MY_PAGE)).content.decode()

    assert "Invitation to Montréal" in content
    assert "Kraków invites Montréal to take part." in content
    assert f'action="{answer_url(invitation, "accept")}"' in content
    assert "Accept for Montréal" in content
    assert f'action="{answer_url(invitation, "decline")}"' in content
    assert f'href="{at(EDIT)}"' not in content
    assert f'action="{at(SUBMIT)}"' not in content
    assert f'action="{at(INVITE)}"' not in content
    assert "/leave/" not in content
    assert "The coordinators of Kraków write this partnership" in content
    assert "Kraków Public Library" in content


def test_my_partnership_page_of_the_partner_city(log_in, client, draft, dakar):
    log_in("partner")

    content = client.get(at(MY_PAGE)).content.decode()

    leave = answer_url(participation_of(dakar), "leave")
    assert f'action="{leave}"' in content
    assert "Leave the partnership (Dakar)" in content
    assert "Invitation to" not in content
    assert "/accept/" not in content
    assert f'href="{at(EDIT)}"' not in content
    assert f'action="{at(SUBMIT)}"' not in content
    assert f'action="{at(INVITE)}"' not in content


def test_my_partnership_page_of_the_staff_has_the_lead_city_actions(log_in, client, draft):
    log_in("staff")

    content = client.get(at(MY_PAGE)).content.decode()

    assert f'href="{at(EDIT)}"' in content
    assert f'action="{at(SUBMIT)}"' in content
    assert f'action="{at(INVITE)}"' in content
    assert "Invitation to" not in content


def test_my_partnership_page_shows_the_secretariat_message_when_sent_back(
    client, coordinator, submitted
):
    services.partnership_request_changes(
        revision=submitted, by=secretariat(), message="Name the role of each partner."
    )
    client.force_login(coordinator)

    content = client.get(at(MY_PAGE)).content.decode()

    assert '<span class="state state--changes_requested">Changes requested</span>' in content
    assert "Name the role of each partner." in content
    assert f'href="{at(EDIT)}"' in content
    assert f'action="{at(SUBMIT)}"' in content


# Session, user, the partnership, may the person edit it; the revision with its fields,
# objectives, areas, goals and calls; the review history (revisions, events); the person's
# participations; every participation; the partners; the practices from it; the cities taking
# part; the cities the invite form offers.
MY_PAGE_QUERIES = 18


@pytest.mark.parametrize("size", [1, 6])
def test_my_partnership_page_query_count_does_not_grow(
    client, krakow, coordinator, size, django_assert_num_queries
):
    revision = draft_partnership(
        krakow,
        TITLE,
        by=coordinator,
        organisations=[organisation(f"Partner {number}") for number in range(size)],
        open_calls=[{**CALL, "title": f"Call {number}"} for number in range(size)],
    )
    for number in range(size):
        city = CityFactory(name=f"City {number}")
        if number % 2:
            invite(revision.partnership, city)
        else:
            join(revision.partnership, city)
    client.force_login(coordinator)

    # The content type of the review history is cached after the first request of a process.
    ContentType.objects.get_for_model(PartnershipRevision)

    url = at(MY_PAGE)

    with django_assert_num_queries(MY_PAGE_QUERIES):
        response = client.get(url)

    assert response.content.decode().count("Partner ") >= size


@pytest.mark.parametrize("answer", ["decline", "leave"])
def test_my_partnership_page_is_404_once_the_city_declined_or_left(
    log_in, client, draft, dakar, montreal, answer
):
    role, city = ("invited", montreal) if answer == "decline" else ("partner", dakar)
    person = log_in(role)
    service = getattr(services, f"participation_{answer}")
    service(participation=participation_of(city), by=person)

    assert client.get(at(MY_PAGE)).status_code == 404
    assert client.get(at(EDIT)).status_code == 404


def test_unknown_partnership_is_404_even_for_staff(log_in, client):
    log_in("staff")

    assert client.get("/en/my/partnerships/999999/").status_code == 404
    assert client.get("/en/my/partnerships/999999/edit/").status_code == 404
    assert client.post("/en/my/partnerships/999999/submit/").status_code == 404
    assert client.post("/en/my/partnerships/999999/invite/").status_code == 404


# The permission ladder: editing


EDIT_STATUS = {
    "lead": 200,
    "invited": 403,
    "partner": 403,
    "other": 404,
    "staff": 200,
    "plain-staff": 404,
    "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_by_role(log_in, client, draft, role):
    log_in(role)

    response = client.get(at(EDIT))

    assert response.status_code == EDIT_STATUS[role]
    if EDIT_STATUS[role] == 200:
        assert f'value="{TITLE}"' in response.content.decode()
    else:
        assert 'name="title"' not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_edit_post_by_role(log_in, client, draft, role):
    person = log_in(role)
    before = snapshot()

    response = client.post(at(EDIT), form_data(title="Hijacked residencies"))

    if EDIT_STATUS[role] == 200:
        assert response.status_code == 302
        assert response["Location"] == at(MY_PAGE)
        revision = latest()
        assert (revision.pk, revision.title, revision.author) == (
            draft.pk,
            "Hijacked residencies",
            person,
        )
    else:
        assert response.status_code == EDIT_STATUS[role]
        assert snapshot() == before


# The permission ladder: submit and withdraw


TRANSITION_STATUS = {
    "lead": 302,
    "invited": 403,
    "partner": 403,
    "other": 404,
    "staff": 302,
    "plain-staff": 404,
    "superuser": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_submit_by_role(log_in, client, draft, role):
    log_in(role)
    before = snapshot()

    response = client.post(at(SUBMIT), follow=False)

    assert response.status_code == TRANSITION_STATUS[role]
    if TRANSITION_STATUS[role] == 302:
        assert response["Location"] == at(MY_PAGE)
        assert latest().state == ReviewState.SUBMITTED
    else:
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_by_role(log_in, client, submitted, role):
    log_in(role)
    before = snapshot()

    response = client.post(at(WITHDRAW))

    assert response.status_code == TRANSITION_STATUS[role]
    if TRANSITION_STATUS[role] == 302:
        assert response["Location"] == at(MY_PAGE)
        assert latest().state == ReviewState.DRAFT
    else:
        assert snapshot() == before


def test_submit_and_withdraw_say_what_happened(client, coordinator, draft):
    client.force_login(coordinator)

    submitted = client.post(at(SUBMIT), follow=True)
    again = client.post(at(SUBMIT), follow=True)
    withdrawn = client.post(at(WITHDRAW), follow=True)

    assert submitted.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(submitted) == [
        "Submitted. The secretariat will review it; you will get an e-mail."
    ]
    assert messages_of(again) == ["This partnership was already submitted."]
    assert messages_of(withdrawn) == [
        "Withdrawn. The partnership is a draft again: you can edit it."
    ]
    assert latest().state == ReviewState.DRAFT


@pytest.mark.parametrize("action", ["publish", "request_changes", "archive", "delete"])
def test_coordinator_cannot_take_other_actions_through_the_url(
    client, coordinator, submitted, action
):
    client.force_login(coordinator)

    response = client.post(f"/en/my/partnerships/{first_partnership().pk}/{action}/")

    assert response.status_code == 404
    assert latest().state == ReviewState.SUBMITTED
    assert not Partnership.objects.published().exists()


@pytest.mark.parametrize("url", [SUBMIT, WITHDRAW, INVITE])
def test_post_only_views_refuse_get(client, coordinator, draft, url):
    client.force_login(coordinator)

    assert client.get(at(url)).status_code == 405
    assert latest().state == ReviewState.DRAFT


# The permission ladder: inviting a city


@pytest.mark.parametrize("role", ROLES)
def test_invite_by_role(log_in, client, draft, kyoto, role):
    log_in(role)
    before = snapshot()

    response = client.post(at(INVITE), {"city": kyoto.pk})

    assert response.status_code == TRANSITION_STATUS[role]
    if TRANSITION_STATUS[role] == 302:
        assert response["Location"] == at(MY_PAGE)
        assert participation_of(kyoto).status == ParticipationStatus.INVITED
    else:
        assert snapshot() == before
        assert not Participation.objects.filter(city=kyoto).exists()


# The permission ladder: the answers of the cities


ACCEPT_OR_DECLINE_STATUS = {
    "lead": 404,
    "invited": 302,
    "partner": 404,
    "other": 404,
    "staff": 302,
    "plain-staff": 404,
    "superuser": 302,
}
LEAVE_STATUS = {
    "lead": 404,
    "invited": 404,
    "partner": 302,
    "other": 404,
    "staff": 302,
    "plain-staff": 404,
    "superuser": 302,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("answer", "status"),
    [("accept", ParticipationStatus.ACCEPTED), ("decline", ParticipationStatus.DECLINED)],
)
def test_accept_or_decline_by_role(log_in, client, draft, montreal, role, answer, status):
    person = log_in(role)
    invitation = participation_of(montreal)
    before = snapshot()

    response = client.post(answer_url(invitation, answer))

    assert response.status_code == ACCEPT_OR_DECLINE_STATUS[role]
    invitation.refresh_from_db()
    if ACCEPT_OR_DECLINE_STATUS[role] == 302:
        assert (invitation.status, invitation.answered_by) == (status, person)
    else:
        assert invitation.status == ParticipationStatus.INVITED
        assert snapshot() == before


@pytest.mark.parametrize("role", ROLES)
def test_leave_by_role(log_in, client, draft, dakar, role):
    person = log_in(role)
    participation = participation_of(dakar)
    before = snapshot()

    response = client.post(answer_url(participation, "leave"))

    assert response.status_code == LEAVE_STATUS[role]
    participation.refresh_from_db()
    if LEAVE_STATUS[role] == 302:
        assert (participation.status, participation.answered_by) == (
            ParticipationStatus.LEFT,
            person,
        )
    else:
        assert participation.status == ParticipationStatus.ACCEPTED
        assert snapshot() == before


def test_accepting_leads_to_the_partnership_page(log_in, client, draft, montreal):
    log_in("invited")

    response = client.post(answer_url(participation_of(montreal), "accept"), follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == ["You accepted: Montréal takes part."]
    content = response.content.decode()
    assert "Invitation to Montréal" not in content
    assert "Leave the partnership (Montréal)" in content


def test_declining_leads_to_the_dashboard(log_in, client, draft, montreal):
    log_in("invited")

    response = client.post(answer_url(participation_of(montreal), "decline"), follow=True)

    assert response.redirect_chain == [(DASHBOARD, 302)]
    assert messages_of(response) == ["You declined the invitation."]
    assert TITLE not in response.content.decode()


def test_leaving_leads_to_the_dashboard(log_in, client, draft, dakar):
    log_in("partner")

    response = client.post(answer_url(participation_of(dakar), "leave"), follow=True)

    assert response.redirect_chain == [(DASHBOARD, 302)]
    assert messages_of(response) == ["Dakar no longer takes part in the partnership."]


def test_staff_answering_for_a_city_stays_on_the_partnership_page(log_in, client, draft, dakar):
    log_in("staff")

    response = client.post(answer_url(participation_of(dakar), "leave"))

    assert response["Location"] == at(MY_PAGE)


@pytest.mark.parametrize(
    ("role", "city", "answer", "message"),
    [
        ("lead", "krakow", "leave", "The lead city cannot leave its own partnership."),
        ("invited", "montreal", "leave", "This is not possible: Montréal is “Invited”."),
        ("partner", "dakar", "accept", "This is not possible: Dakar is “Taking part”."),
        ("partner", "dakar", "decline", "This is not possible: Dakar is “Taking part”."),
    ],
)
def test_answers_that_do_not_fit_the_status_are_refused_with_a_message(
    log_in, client, draft, krakow, dakar, montreal, role, city, answer, message
):
    log_in(role)
    cities = {"krakow": krakow, "dakar": dakar, "montreal": montreal}
    before = snapshot()

    response = client.post(answer_url(participation_of(cities[city]), answer), follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == [message]
    assert snapshot() == before


def test_a_declined_invitation_cannot_be_answered_again(log_in, client, draft, montreal):
    log_in("invited")
    invitation = participation_of(montreal)
    client.post(answer_url(invitation, "decline"))

    response = client.post(answer_url(invitation, "accept"))

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.DECLINED


def test_unknown_answer_or_participation_of_another_partnership_is_404(
    log_in, client, draft, krakow, montreal
):
    log_in("invited")
    invitation = participation_of(montreal)
    other = draft_partnership(krakow, "Another partnership")
    invite(other.partnership, montreal)

    assert client.post(answer_url(invitation, "maybe")).status_code == 404
    wrong_partnership = f"/en/my/partnerships/{other.partnership.pk}/cities/{invitation.pk}/accept/"
    assert client.post(wrong_partnership).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == ParticipationStatus.INVITED


# The permission ladder: the page that creates a partnership


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        ("lead", ["Kraków"]),
        ("invited", ["Montréal"]),
        ("partner", ["Dakar"]),
        ("other", ["Lyon"]),
        ("staff", ["Dakar", "Kraków", "Lyon", "Montréal"]),
        ("superuser", ["Dakar", "Kraków", "Lyon", "Montréal"]),
    ],
)
def test_new_page_offers_the_member_cities_the_person_may_lead_for(
    log_in, client, people, role, offered
):
    CityFactory(name="Formerville", is_member=False).coordinators.add(people["lead"])
    log_in(role)

    response = client.get(NEW)

    assert response.status_code == 200
    select = re.search(
        r'<select name="lead_city".*?</select>', response.content.decode(), re.DOTALL
    ).group(0)
    assert re.findall(r'<option value="\d+"[^>]*>([^<(]+) \(', select) == offered


def test_new_page_is_refused_to_staff_without_the_permission(log_in, client, krakow):
    log_in("plain-staff")

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data(krakow)).status_code == 403
    assert not Partnership.objects.exists()


def test_new_page_is_refused_to_a_person_without_a_member_city(client, user):
    CityFactory(name="Formerville", is_member=False).coordinators.add(user)
    client.force_login(user)

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, form_data()).status_code == 403
    assert not Partnership.objects.exists()


def test_new_page_preselects_the_city_of_the_link(log_in, client, dakar):
    log_in("staff")

    content = client.get(f"{NEW}?city=dakar").content.decode()

    assert f'<option value="{dakar.pk}" selected>Dakar (SN)</option>' in content


@pytest.mark.parametrize(
    ("role", "created"),
    [
        ("lead", True),
        ("invited", False),
        ("partner", False),
        ("other", False),
        ("staff", True),
        ("superuser", True),
    ],
)
def test_create_for_kraków_by_role(log_in, client, krakow, people, role, created):
    person = log_in(role)

    response = client.post(NEW, form_data(krakow))

    if created:
        assert response.status_code == 302
        partnership = Partnership.objects.get()
        assert (partnership.lead_city, partnership.created_by) == (krakow, person)
    else:
        assert response.status_code == 200
        assert NOT_A_MEMBER_CHOICE in response.content.decode()
        assert not Partnership.objects.exists()


# Creating a partnership through the form


def test_create_through_the_form(client, krakow, coordinator, media_root):
    client.force_login(coordinator)

    response = client.post(
        NEW,
        form_data(
            krakow,
            image=image_upload("residency.png"),
            image_alt="Writers at work",
            image_credit="Photo: City of Kraków",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == [
        "Your draft is saved. Invite the partner cities, then submit it for review when it is "
        "ready."
    ]
    partnership = Partnership.objects.get()
    revision = partnership.revisions.get()
    assert (partnership.slug, partnership.lead_city, partnership.created_by) == (
        None,
        krakow,
        coordinator,
    )
    assert partnership.published_revision is None
    assert (revision.number, revision.state, revision.author) == (1, ReviewState.DRAFT, coordinator)
    assert (revision.title, revision.kind, revision.progress) == (TITLE, "exchange", "ongoing")
    assert (revision.start_date, revision.end_date) == (date(2024, 3, 1), date(2026, 12, 31))
    assert revision.website == "https://residencies.example.org"
    assert [field.slug for field in revision.fields.all()] == ["literature"]
    assert revision.image.name.startswith("pictures/partnershiprevision/")
    assert [
        (
            role.organisation.name,
            role.sector,
            role.organisation.country.code,
            role.website,
            role.role,
        )
        for role in revision.organisation_roles.select_related("organisation")
    ] == [
        (row["name"], row["sector"], row["country"], row["website"], row["role"])
        for row in FORM_ORGANISATIONS
    ]
    assert list(
        revision.open_calls.values_list(
            "title", "opens_on", "closes_on", "eligibility", "link", "contact_email"
        )
    ) == [
        (
            "Residencies 2026",
            date(2026, 1, 10),
            date(2026, 2, 10),
            "Writers living in a member city",
            "https://apply.example.org",
            "",
        )
    ]
    assert list(partnership.participations.values_list("city__slug", "role", "status")) == [
        ("krakow", "lead", "accepted")
    ]
    content = response.content.decode()
    assert "<strong>four writers</strong>" in content
    assert "Université Cheikh Anta Diop" in content
    assert client.get(PUBLIC).status_code == 404


def test_create_reuses_an_organisation_the_portal_knows(client, krakow, coordinator):
    known = services.organisation_for(name="Kraków Public Library", country="PL")
    client.force_login(coordinator)

    response = client.post(
        NEW,
        form_data(
            krakow,
            organisations=[{**FORM_ORGANISATIONS[0], "name": "  KRAKOW   public library "}],
        ),
    )

    assert response.status_code == 302
    assert Organisation.objects.count() == 1
    assert [role.organisation for role in latest().organisation_roles.all()] == [known]


def test_create_with_a_name_that_transliterates_beyond_the_key_length(client, krakow, coordinator):
    name = "北京" + "中" * 198  # 200 characters, about a thousand once transliterated
    client.force_login(coordinator)
    row = {**FORM_ORGANISATIONS[0], "name": name, "country": "CN"}

    first = client.post(NEW, form_data(krakow, organisations=[row]))
    second = client.post(NEW, form_data(krakow, title="Poetry nights", organisations=[row]))

    assert (first.status_code, second.status_code) == (302, 302)
    organisation = Organisation.objects.get()
    assert organisation.name == name
    assert organisation.roles.count() == 2


def test_create_without_organisations_or_calls(client, krakow, coordinator):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, organisations=[], calls=[]))

    assert response.status_code == 302
    revision = latest()
    assert not revision.organisation_roles.exists()
    assert not revision.open_calls.exists()


def test_create_form_suggests_the_organisations_of_published_partnerships(
    client, krakow, dakar, coordinator
):
    published_partnership(dakar, "Digital arts lab", organisations=[THEATRE])
    client.force_login(coordinator)

    content = client.get(NEW).content.decode()

    assert '<datalist id="organisation-names"><option value="Teatr Stary"></option>' in content
    assert 'list="organisation-names"' in content


def test_create_form_does_not_suggest_organisations_of_other_cities_drafts(
    client, krakow, dakar, coordinator
):
    published_partnership(dakar, "Digital arts lab", organisations=[THEATRE])
    draft_partnership(dakar, "Secret plans", organisations=[organisation("Hidden Foundation")])
    published = published_partnership(dakar, "Film nights", organisations=[LIBRARY])
    # A new draft of a published partnership is not published either.
    services.partnership_update(
        partnership=published.partnership,
        by=secretariat(),
        organisations=[LIBRARY, organisation("Unreviewed Studio")],
    )
    client.force_login(coordinator)

    content = client.get(NEW).content.decode()

    names = re.findall(r'<option value="([^"]*)"></option>', content)
    assert names == ["Kraków Public Library", "Teatr Stary"]
    assert "Hidden Foundation" not in content
    assert "Unreviewed Studio" not in content


# A form error keeps everything and saves nothing


def assert_typed_values_kept(content, overrides):
    data = form_data(**overrides)
    for name in ("title", "start_date", "end_date", "website"):
        assert f'name="{name}" value="{escape(data[name])}"' in content, name
    for name in ("summary", "description"):
        assert escape(data[name]) in content, name
    assert re.search(r'<option value="exchange" selected>', content)
    assert re.search(r'<option value="ongoing" selected>', content)
    literature = CreativeField.objects.get(slug="literature").pk
    assert re.search(rf'name="fields" value="{literature}"[^>]*checked', content)
    for index in range(2):
        for name in ("name", "website", "role"):
            key = f"organisations-{index}-{name}"
            if data[key]:
                assert f'name="{key}" value="{escape(data[key])}"' in content, key
    for key in ("calls-0-title", "calls-0-opens_on", "calls-0-closes_on", "calls-0-link"):
        if data[key]:
            assert f'name="{key}" value="{escape(data[key])}"' in content, key
    assert escape(data["calls-0-eligibility"]) in content


def assert_nothing_saved():
    assert not Partnership.objects.exists()
    assert not PartnershipRevision.objects.exists()
    assert not Participation.objects.exists()
    assert not Organisation.objects.exists()
    assert not OpenCall.objects.exists()


BAD_INPUT = {
    "end-before-start": (
        {"end_date": "2020-01-01"},
        "end_date",
        "The end date cannot be before the start date.",
    ),
    "call-closes-before-it-opens": (
        {"calls-0-closes_on": "2026-01-01"},
        "calls-0-closes_on",
        "The closing date cannot be before the opening date.",
    ),
    "call-without-link-or-contact": (
        {"calls-0-link": ""},
        "calls-0-link",
        "Give a link to apply or a contact e-mail.",
    ),
    "unknown-sector": (
        {"organisations-1-sector": "secret-society"},
        "organisations-1-sector",
        "Choose a sector from the list.",
    ),
    "organisation-without-sector": (
        {"organisations-1-sector": ""},
        "organisations-1-sector",
        "Choose the sector of the organisation.",
    ),
    "organisation-without-country": (
        {"organisations-1-country": ""},
        "organisations-1-country",
        "Choose the country of the organisation.",
    ),
    "javascript-website": (
        {"website": "javascript:alert(1)"},
        "website",
        "Give a web address starting with http:// or https://.",
    ),
    "data-organisation-website": (
        {"organisations-0-website": "data:text/html,<script>alert(1)</script>"},
        "organisations-0-website",
        "Give a web address starting with http:// or https://.",
    ),
    "ftp-call-link": (
        {"calls-0-link": "ftp://files.example.org/call.pdf"},
        "calls-0-link",
        "Give a web address starting with http:// or https://.",
    ),
    "same-organisation-twice": (
        {"organisations-1-name": "kraków  PUBLIC library", "organisations-1-country": "PL"},
        "organisations-1-name",
        "kraków  PUBLIC library is already listed above.",
    ),
}


@pytest.mark.parametrize(("overrides", "field", "error"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_create_bad_input_is_a_clear_error_keeping_everything(
    client, krakow, coordinator, overrides, field, error
):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, **overrides))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    summary = content.split('<div class="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#id_{field}">' in summary
    assert escape(error) in summary
    assert re.search(
        rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"|'
        rf'<select name="{field}"[^>]*aria-invalid="true"',
        content,
    ), field
    assert_typed_values_kept(content, overrides)
    assert_nothing_saved()


ACCENTED_DUPLICATE = {
    "organisations-1-name": "Krakow Public Library",
    "organisations-1-country": "PL",
}


def test_create_same_organisation_with_other_accents_is_refused_keeping_everything(
    client, krakow, coordinator
):
    """ "Krakow Public Library" is the organisation listed above ("Kraków Public Library"): the
    form compares names as the portal stores them (case and accents ignored) and says so on the
    second row."""
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, **ACCENTED_DUPLICATE))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert "Krakow Public Library is already listed above." in content
    assert 'href="#id_organisations-1-name"' in content
    assert_typed_values_kept(content, ACCENTED_DUPLICATE)
    assert_nothing_saved()


@pytest.mark.parametrize(
    "overrides",
    [overrides for overrides, _field, _error in BAD_INPUT.values()] + [ACCENTED_DUPLICATE],
    ids=[*BAD_INPUT, "same-organisation-with-other-accents"],
)
def test_create_error_keeps_the_uploaded_picture(
    client, krakow, coordinator, media_root, overrides
):
    """Wherever the error is (the partnership, an organisation, a call, or found on saving),
    the picture chosen is kept, so that the person does not choose it again."""
    client.force_login(coordinator)
    data = form_data(
        krakow,
        image=image_upload("residency.png"),
        image_alt="Writers at work",
        image_credit="Photo: City of Kraków",
        **overrides,
    )

    response = client.post(NEW, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert_nothing_saved()
    assert 'value="Writers at work"' in content
    assert 'value="Photo: City of Kraków"' in content
    assert escape(KEPT_MESSAGE.format(name="residency.png")) in content
    assert re.search(r'<input type="hidden" name="image_kept" value="[^"]+"', content)


@pytest.mark.parametrize("whose", ["not-a-member", "another-city"])
def test_create_for_a_city_the_person_may_not_lead_for_is_refused(
    client, krakow, dakar, coordinator, whose
):
    if whose == "not-a-member":
        city = CityFactory(name="Formerville", is_member=False)
        city.coordinators.add(coordinator)
    else:
        city = dakar
    client.force_login(coordinator)

    response = client.post(NEW, form_data(city))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert f'<a href="#id_lead_city">Lead city: {NOT_A_MEMBER_CHOICE}</a>' in content
    assert_typed_values_kept(content, {})
    assert_nothing_saved()


def test_create_resubmit_with_the_kept_picture_saves_it(client, krakow, coordinator, media_root):
    client.force_login(coordinator)
    first = client.post(
        NEW,
        form_data(
            krakow,
            end_date="2020-01-01",
            image=image_upload("residency.png"),
            image_alt="Writers at work",
            image_credit="Photo: City of Kraków",
        ),
    )
    token = re.search(
        r'<input type="hidden" name="image_kept" value="([^"]+)"', first.content.decode()
    ).group(1)

    response = client.post(
        NEW,
        form_data(
            krakow,
            image_alt="Writers at work",
            image_credit="Photo: City of Kraków",
            image_kept=token,
        ),
    )

    assert response.status_code == 302
    assert latest().image.name.startswith("pictures/partnershiprevision/")


def test_create_picture_without_alt_and_credit_is_refused(client, krakow, coordinator, media_root):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, image=image_upload("residency.png")))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Describe the picture for people who cannot see it." in content
    assert "Say who made the picture (photographer or owner)." in content
    assert escape(KEPT_MESSAGE.format(name="residency.png")) in content
    assert_nothing_saved()


def test_create_a_title_like_the_new_page_gets_another_slug(client, krakow, coordinator):
    client.force_login(coordinator)

    response = client.post(NEW, form_data(krakow, title="New"))

    assert response.status_code == 302
    assert Partnership.objects.get().slug != "new"
    assert client.get(NEW).status_code == 200


# Editing


def test_edit_form_is_prefilled_with_the_organisations_and_calls(client, coordinator, draft):
    services.partnership_update(
        partnership=draft.partnership,
        by=coordinator,
        organisations=[LIBRARY, {**THEATRE, "website": "https://teatr.example.org"}],
    )
    client.force_login(coordinator)

    values = form_values(client.get(at(EDIT)))

    assert values["title"] == TITLE
    assert values["start_date"] == "2024-03-01"
    assert values["end_date"] == "2026-12-31"
    assert values["kind"] == "exchange"
    assert values["description"] == draft.description
    assert "lead_city" not in values
    assert values["organisations-INITIAL_FORMS"] == "2"
    assert [
        tuple(values[f"organisations-{index}-{name}"] for name in ("name", "sector", "country"))
        for index in range(2)
    ] == [("Kraków Public Library", "public", "PL"), ("Teatr Stary", "public", "PL")]
    assert values["organisations-0-role"] == "Hosts the writers"
    assert values["organisations-1-website"] == "https://teatr.example.org"
    assert values["calls-INITIAL_FORMS"] == "1"
    assert (
        values["calls-0-title"],
        values["calls-0-opens_on"],
        values["calls-0-closes_on"],
        values["calls-0-eligibility"],
        values["calls-0-link"],
    ) == (
        "Residencies 2025",
        "2025-01-10",
        "2025-02-10",
        "Writers living in a member city",
        "https://apply.example.org",
    )


def test_edit_form_posted_back_unchanged_keeps_the_content(client, coordinator, draft):
    services.partnership_update(
        partnership=draft.partnership, by=coordinator, organisations=[LIBRARY, THEATRE]
    )
    client.force_login(coordinator)
    before = list(latest().organisation_roles.values_list("organisation__name", "sector"))

    response = client.post(at(EDIT), form_values(client.get(at(EDIT))))

    assert response.status_code == 302
    revision = latest()
    assert (revision.pk, revision.title, revision.description) == (
        draft.pk,
        TITLE,
        draft.description,
    )
    assert list(revision.organisation_roles.values_list("organisation__name", "sector")) == before
    assert list(revision.open_calls.values_list("title", "opens_on", "closes_on")) == [
        ("Residencies 2025", date(2025, 1, 10), date(2025, 2, 10))
    ]
    assert Organisation.objects.count() == 2


def test_editing_a_draft_changes_it_in_place(client, coordinator, draft):
    client.force_login(coordinator)

    response = client.post(
        at(EDIT),
        form_data(title="Residencies, now with a festival", organisations=[FORM_ORGANISATIONS[1]]),
        follow=True,
    )

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == ["Your changes are saved."]
    revision = latest()
    assert (revision.pk, revision.number, revision.state) == (draft.pk, 1, ReviewState.DRAFT)
    assert revision.title == "Residencies, now with a festival"
    assert [role.organisation.name for role in revision.organisation_roles.all()] == [
        "Université Cheikh Anta Diop"
    ]
    assert [call.title for call in revision.open_calls.all()] == [FORM_CALLS[0]["title"]]
    assert Partnership.objects.get().slug is None


def test_editing_a_published_partnership_makes_a_new_draft(
    client, krakow, dakar, montreal, coordinator
):
    published = published_partnership(
        krakow, TITLE, by=coordinator, organisations=[LIBRARY], open_calls=[CALL]
    )
    set_up(published, dakar, montreal)
    client.force_login(coordinator)

    page = client.get(at(EDIT)).content.decode()
    response = client.post(
        at(EDIT),
        form_data(title="Residencies, rewritten", organisations=[FORM_ORGANISATIONS[1]]),
        follow=True,
    )

    assert "This partnership is published: your changes will make a new version" in page
    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response)[0].startswith("Your changes are saved as a new draft")
    new = latest()
    assert (new.number, new.state, new.author) == (2, ReviewState.DRAFT, coordinator)
    assert new.title == "Residencies, rewritten"
    assert Partnership.objects.get().published_revision_id == published.pk
    published.refresh_from_db()
    assert (published.title, published.state) == (TITLE, ReviewState.PUBLISHED)
    assert [role.organisation.name for role in published.organisation_roles.all()] == [
        "Kraków Public Library"
    ]
    assert [call.title for call in published.open_calls.all()] == ["Residencies 2025"]

    public = client.get(PUBLIC).content.decode()
    assert f"<title>{TITLE}" in public
    assert "rewritten" not in public
    assert "Kraków Public Library" in public
    assert "Université Cheikh Anta Diop" not in public
    mine = response.content.decode()
    assert "Residencies, rewritten" in mine
    assert "The version published earlier stays online" in mine


def test_editing_a_submitted_partnership_redirects_with_a_message(client, coordinator, submitted):
    client.force_login(coordinator)

    response = client.get(at(EDIT), follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == [UNDER_REVIEW]
    content = response.content.decode()
    assert f'href="{at(EDIT)}"' not in content
    assert f'action="{at(WITHDRAW)}"' in content


def test_posting_an_edit_of_a_submitted_partnership_changes_nothing(client, coordinator, submitted):
    client.force_login(coordinator)
    before = snapshot()

    response = client.post(at(EDIT), form_data(title="Changed under review"))

    assert response.status_code == 302
    assert response["Location"] == at(MY_PAGE)
    assert snapshot() == before


def test_edit_error_keeps_every_value_and_changes_nothing(client, coordinator, draft):
    client.force_login(coordinator)
    before = snapshot()

    response = client.post(at(EDIT), form_data(end_date="2020-01-01", title="Changed title"))

    content = response.content.decode()
    assert response.status_code == 200
    assert NOT_SAVED in content
    assert 'href="#id_end_date"' in content
    assert_typed_values_kept(content.replace("Changed title", TITLE), {"end_date": "2020-01-01"})
    assert snapshot() == before


# Inviting a city through the view


def test_invite_a_city_emails_its_coordinators(
    client, coordinator, draft, kyoto, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example"
    coordinator_of(kyoto, email="kenji@kyoto.example")
    coordinator_of(kyoto, email="gone@kyoto.example", is_active=False)
    client.force_login(coordinator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(at(INVITE), {"city": kyoto.pk}, follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert messages_of(response) == [
        "Kyoto is invited. It will appear as a partner once one of its coordinators accepts."
    ]
    invitation = participation_of(kyoto)
    assert (invitation.status, invitation.invited_by) == (ParticipationStatus.INVITED, coordinator)
    assert [message.to for message in mail.outbox] == [["kenji@kyoto.example"]]
    message = mail.outbox[0]
    assert message.subject == "[RVCU] Kraków invites your city to a partnership"
    assert f"https://portal.example{at(MY_PAGE)}" in message.body
    assert TITLE in message.body


@pytest.mark.parametrize("value", ["not-a-member", "unknown", "empty", "lead-city"])
def test_invite_a_city_that_cannot_be_invited_is_refused_with_a_message(
    client, coordinator, draft, krakow, value, django_capture_on_commit_callbacks
):
    former = CityFactory(name="Formerville", is_member=False)
    coordinator_of(former)
    city = {"not-a-member": former.pk, "unknown": 999999, "empty": "", "lead-city": krakow.pk}
    client.force_login(coordinator)
    before = snapshot()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(at(INVITE), {"city": city[value]}, follow=True)

    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert len(messages_of(response)) == 1
    expected = "This field is required." if value == "empty" else NOT_A_MEMBER_CHOICE
    assert messages_of(response) == [expected]
    assert list(response.context["messages"])[0].level_tag == "error"
    assert snapshot() == before
    assert not Participation.objects.filter(city=former).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("city", ["invited", "taking-part"])
def test_invite_a_city_already_invited_is_refused_with_a_message(
    client, coordinator, draft, dakar, montreal, city, django_capture_on_commit_callbacks
):
    target = montreal if city == "invited" else dakar
    client.force_login(coordinator)
    before = snapshot()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(at(INVITE), {"city": target.pk}, follow=True)

    messages = list(response.context["messages"])
    assert response.redirect_chain == [(at(MY_PAGE), 302)]
    assert [message.level_tag for message in messages] == ["error"]
    assert "is invited" not in str(messages[0])
    assert snapshot() == before
    assert Participation.objects.filter(city=target).count() == 1
    assert mail.outbox == []


def test_invite_again_a_city_that_declined(
    client, coordinator, draft, montreal, django_capture_on_commit_callbacks
):
    services.participation_decline(participation=participation_of(montreal), by=secretariat())
    client.force_login(coordinator)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(at(INVITE), {"city": montreal.pk}, follow=True)

    assert messages_of(response)[0].startswith("Montréal is invited.")
    assert participation_of(montreal).status == ParticipationStatus.INVITED
    assert [message.to for message in mail.outbox] == [["marie@montreal.example"]]


# The dashboard


def invitation_forms(content):
    return re.findall(
        r'action="(/en/my/partnerships/[^"]+/cities/\d+/(?:accept|decline)/)"', content
    )


def test_dashboard_shows_the_invitation_with_its_buttons(log_in, client, draft, montreal):
    log_in("invited")
    invitation = participation_of(montreal)

    content = client.get(DASHBOARD).content.decode()

    assert "An invitation to answer" in content
    assert "Kraków invites Montréal to take part in" in content
    assert f'<a href="{at(MY_PAGE)}">{TITLE}</a>' in content
    assert invitation_forms(content) == [
        answer_url(invitation, "accept"),
        answer_url(invitation, "decline"),
    ]
    assert f"Accept “{TITLE}”" in content
    assert f"Decline “{TITLE}”" in content


@pytest.mark.parametrize("role", ["lead", "partner", "other", "staff", "plain-staff"])
def test_dashboard_shows_no_invitation_to_others(log_in, client, draft, role):
    log_in(role)

    content = client.get(DASHBOARD).content.decode()

    assert 'id="invitations-title"' not in content
    assert invitation_forms(content) == []


def test_dashboard_invitation_is_gone_once_answered(log_in, client, draft, montreal):
    log_in("invited")
    client.post(answer_url(participation_of(montreal), "accept"))

    content = client.get(DASHBOARD).content.decode()

    assert invitation_forms(content) == []
    assert f'href="{at(MY_PAGE)}"' in content


def test_dashboard_lists_the_partnerships_of_my_cities_by_state(
    client, krakow, dakar, montreal, coordinator
):
    draft_partnership(krakow, "Alpha draft", by=coordinator)
    published_partnership(krakow, "Beta published", by=coordinator)
    sent_back = submitted_partnership(krakow, "Gamma sent back", by=coordinator)
    services.partnership_request_changes(revision=sent_back, by=secretariat(), message="More.")
    submitted_partnership(krakow, "Delta submitted", by=coordinator)
    epsilon = published_partnership(krakow, "Epsilon online", by=coordinator)
    services.partnership_update(
        partnership=epsilon.partnership, by=coordinator, title="Epsilon rewritten"
    )
    joined = draft_partnership(dakar, "Zeta with Dakar")
    join(joined.partnership, krakow)
    invited = draft_partnership(dakar, "Eta invitation only")
    invite(invited.partnership, krakow)
    left = draft_partnership(montreal, "Theta left")
    services.participation_leave(participation=join(left.partnership, krakow), by=secretariat())
    draft_partnership(dakar, "Iota elsewhere")
    client.force_login(coordinator)

    response = client.get(DASHBOARD)

    content = response.content.decode()
    assert response.status_code == 200
    listed = content.split('id="partnerships-title"')[1]
    titles = re.findall(r'<a href="/en/my/partnerships/[^"]+/">([^<]+)</a>', listed)
    assert titles[0] == "Gamma sent back"
    assert set(titles[1:4]) == {"Alpha draft", "Epsilon rewritten", "Zeta with Dakar"}
    assert titles[4:] == ["Delta submitted", "Beta published"]
    assert "Changes requested: your action is needed (1)" in listed
    assert "Drafts (3)" in listed
    assert "Being reviewed by the secretariat (1)" in listed
    assert "Published (1)" in listed
    assert re.search(r'Zeta with Dakar</a> <span class="muted">[^<]*Dakar', listed)
    assert "an earlier version is online" in listed
    for absent in ("Epsilon online", "Theta left", "Iota elsewhere"):
        assert absent not in content, absent
    assert "Eta invitation only" not in listed
    assert "Eta invitation only" in content.split('id="invitations-title"')[1]


def test_dashboard_without_partnerships_says_so(client, coordinator):
    client.force_login(coordinator)

    content = client.get(DASHBOARD).content.decode()

    assert "Your cities take part in no partnership on the portal yet." in content
    assert f'href="{NEW}?city=krakow"' in content


# Session, user, the user's cities, the invitations, the count of practices (none here), the
# count of partnerships and one page of them with their latest revision.
DASHBOARD_QUERIES = 7


@pytest.mark.parametrize("partnerships", [1, 30])
def test_dashboard_query_count_does_not_grow_with_partnerships(
    client, krakow, dakar, coordinator, partnerships, django_assert_num_queries
):
    for number in range(partnerships):
        make = (draft_partnership, published_partnership, submitted_partnership)[number % 3]
        make(krakow, f"Led {number:02}", by=coordinator)
        invitation = draft_partnership(dakar, f"Invited {number:02}")
        invite(invitation.partnership, krakow)
    client.force_login(coordinator)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)

    content = response.content.decode()
    led = [
        link
        for link, title in re.findall(r'<a href="(/en/my/partnerships/\d+/)">([^<]+)</a>', content)
        if title.startswith("Led ")
    ]
    assert len(led) == min(partnerships, 25)
    assert len(invitation_forms(content)) == 2 * partnerships


# The partnership a practice came from


@pytest.fixture
def dakar_partnerships(krakow, dakar, montreal):
    """Partnerships as Dakar sees them: it leads one, takes part in one, is only invited to
    one, left one; one does not concern it."""
    titles = {}
    led = draft_partnership(dakar, "Led by Dakar")
    titles["led"] = led.partnership
    joined = draft_partnership(krakow, "Joined by Dakar")
    join(joined.partnership, dakar)
    titles["joined"] = joined.partnership
    invited = draft_partnership(krakow, "Dakar invited only")
    invite(invited.partnership, dakar)
    titles["invited"] = invited.partnership
    left = published_partnership(montreal, "Dakar left")
    services.participation_leave(participation=join(left.partnership, dakar), by=secretariat())
    titles["left"] = left.partnership
    titles["unrelated"] = draft_partnership(krakow, "Not with Dakar").partnership
    return titles


def test_practice_form_offers_only_the_partnerships_the_city_takes_part_in(
    client, dakar, people, dakar_partnerships
):
    client.force_login(people["partner"])

    content = client.get("/en/my/practices/new/").content.decode()

    select = re.search(r'<select name="partnership".*?</select>', content, re.DOTALL).group(0)
    assert re.findall(r'<option value="(\d*)"[^>]*>([^<]+)</option>', select) == [
        ("", "None"),
        (str(dakar_partnerships["joined"].pk), "Joined by Dakar"),
        (str(dakar_partnerships["led"].pk), "Led by Dakar"),
    ]


@pytest.mark.parametrize("which", ["invited", "left", "unrelated"])
def test_practice_form_refuses_a_partnership_the_city_does_not_take_part_in(
    client, dakar, people, dakar_partnerships, which
):
    client.force_login(people["partner"])

    response = client.post(
        "/en/my/practices/new/",
        practice_form_data(dakar, partnership=dakar_partnerships[which].pk),
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose a partnership your city takes part in." in content
    assert not Practice.objects.exists()


def test_practice_form_saves_a_partnership_the_city_takes_part_in(
    client, dakar, people, dakar_partnerships
):
    client.force_login(people["partner"])

    response = client.post(
        "/en/my/practices/new/",
        practice_form_data(dakar, partnership=dakar_partnerships["joined"].pk),
    )

    assert response.status_code == 302
    assert PracticeRevision.objects.get().partnership == dakar_partnerships["joined"]


def test_practice_form_of_a_person_with_two_cities_checks_the_chosen_city(
    client, krakow, dakar, coordinator, dakar_partnerships
):
    """Kraków's coordinator also coordinates Dakar: the list offers the partnerships of both,
    but a practice of Dakar cannot name one only Kraków takes part in."""
    dakar.coordinators.add(coordinator)
    client.force_login(coordinator)

    response = client.post(
        "/en/my/practices/new/",
        practice_form_data(dakar, partnership=dakar_partnerships["unrelated"].pk),
    )

    assert response.status_code == 200
    assert "Dakar does not take part in this partnership." in response.content.decode()
    assert not Practice.objects.exists()
