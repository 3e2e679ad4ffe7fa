"""The writes of partnerships: creation, partner organisations, open calls, revisions and the
cities invited to take part."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cities.text import search_key
from partnerships import services
from partnerships.models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    ParticipationRole,
    ParticipationStatus,
    Partnership,
    PartnershipRevision,
    Sector,
)
from rvcu.review import ReviewState
from tests.factories import CityFactory, UserFactory
from tests.partnerships.factories import (
    CONTENT,
    LIBRARY,
    draft_partnership,
    invite,
    join,
    published_partnership,
    submitted_partnership,
)
from tests.practices.factories import _tags, secretariat

pytestmark = pytest.mark.django_db

CALL = {
    "title": "Residencies 2025",
    "opens_on": date(2025, 1, 10),
    "closes_on": date(2025, 2, 10),
    "eligibility": "Writers living in a member city",
    "link": "https://apply.example.org",
}
THEATRE = {"name": "Teatr Stary", "sector": Sector.PUBLIC, "country": "PL", "role": "Stages it"}


@pytest.fixture
def montreal(db):
    """A third member city, the one usually invited to Kraków's partnerships."""
    return CityFactory(name="Montréal", country="CA", field_slug="design")


def coordinator_of(city, **kwargs):
    person = UserFactory(**kwargs)
    city.coordinators.add(person)
    return person


def create(lead_city, by, title="Literary residencies", **content):
    content = {**CONTENT, "fields": [lead_city.field], **content}
    return services.partnership_create(lead_city=lead_city, title=title, by=by, **content)


def organisation_names(revision):
    return [role.organisation.name for role in revision.organisation_roles.all()]


# Creation


def test_partnership_create_makes_the_lead_city_take_part_and_a_first_draft(krakow, coordinator):
    partnership, revision = create(krakow, coordinator)

    participation = Participation.objects.get(partnership=partnership)
    assert participation.city == krakow
    assert participation.role == ParticipationRole.LEAD
    assert participation.status == ParticipationStatus.ACCEPTED
    assert participation.answered_by == coordinator
    assert (revision.number, revision.state) == (1, ReviewState.DRAFT)
    assert revision.partnership == partnership
    assert revision.author == coordinator
    assert partnership.lead_city == krakow
    assert partnership.published_revision is None
    assert list(partnership.cities.all()) == [krakow]
    assert [field.slug for field in revision.fields.all()] == ["literature"]


def test_partnership_create_saves_the_mission_tags(krakow, coordinator):
    _partnership, revision = create(
        krakow,
        coordinator,
        objectives=_tags("objectives", ["access-to-cultural-life"]),
        action_areas=_tags("action_areas", ["exchange-programmes"]),
        sdgs=_tags("sdgs", ["quality-education", "sustainable-cities"]),
    )
    assert [objective.code for objective in revision.objectives.all()] == [
        "access-to-cultural-life"
    ]
    assert [area.code for area in revision.action_areas.all()] == ["exchange-programmes"]
    assert sorted(goal.code for goal in revision.sdgs.all()) == [
        "quality-education",
        "sustainable-cities",
    ]


def publish_new(lead_city, by, title):
    partnership, revision = create(lead_city, by, title=title)
    services.partnership_submit(revision=revision, by=by)
    services.partnership_publish(revision=revision, by=secretariat())
    partnership.refresh_from_db()
    return partnership


def test_partnership_slug_is_ascii_and_unique(krakow, coordinator):
    first = publish_new(krakow, coordinator, "Résidences d’écriture à Kraków")
    second = publish_new(krakow, coordinator, "Résidences d’écriture à Kraków")
    assert first.slug == "residences-decriture-a-krakow"
    assert second.slug == "residences-decriture-a-krakow-2"


def test_partnership_slug_has_a_fallback_when_the_title_has_no_letters(krakow, coordinator):
    assert publish_new(krakow, coordinator, "!!!").slug == "partnership"


def test_partnership_create_refuses_a_coordinator_of_another_city(krakow, dakar):
    with pytest.raises(PermissionDenied):
        create(krakow, coordinator_of(dakar))
    assert not Partnership.objects.exists()


def test_partnership_create_refuses_a_person_without_a_city(krakow, user):
    with pytest.raises(PermissionDenied):
        create(krakow, user)
    assert not Partnership.objects.exists()


def test_partnership_create_refuses_a_city_that_left_the_network(db):
    former = CityFactory(name="Formerville", is_member=False)
    with pytest.raises(ValidationError) as error:
        create(former, coordinator_of(former))
    assert "lead_city" in error.value.message_dict
    assert not Partnership.objects.exists()


def test_partnership_create_refuses_an_end_before_the_start_and_saves_nothing(krakow, coordinator):
    before = Partnership.objects.count()
    with pytest.raises(ValidationError) as error:
        create(krakow, coordinator, start_date=date(2025, 6, 1), end_date=date(2025, 5, 31))
    assert "end_date" in error.value.message_dict
    assert Partnership.objects.count() == before
    assert not Participation.objects.exists()
    assert not PartnershipRevision.objects.exists()


def test_partnership_may_start_and_end_the_same_day(krakow, coordinator):
    _partnership, revision = create(
        krakow, coordinator, start_date=date(2025, 6, 1), end_date=date(2025, 6, 1)
    )
    revision.refresh_from_db()
    assert revision.start_date == revision.end_date == date(2025, 6, 1)


def test_partnership_may_have_no_end(krakow, coordinator):
    _partnership, revision = create(krakow, coordinator, end_date=None)
    revision.refresh_from_db()
    assert revision.end_date is None


# Partner organisations


def test_organisations_are_created_with_their_details(krakow, coordinator):
    _partnership, revision = create(krakow, coordinator, organisations=[LIBRARY])

    organisation = Organisation.objects.get()
    assert (organisation.name, organisation.country.code) == ("Kraków Public Library", "PL")
    role = OrganisationRole.objects.get()
    assert (role.revision, role.organisation, role.sector, role.website, role.role) == (
        revision,
        organisation,
        Sector.PUBLIC,
        "https://library.example.org",
        "Hosts the writers",
    )


def test_a_partnership_naming_a_known_organisation_keeps_its_own_sector_and_website(
    krakow, dakar, coordinator
):
    _partnership, first = create(krakow, coordinator, organisations=[LIBRARY])
    second = draft_partnership(
        dakar,
        "Digital arts lab",
        organisations=[
            {**LIBRARY, "sector": Sector.PRIVATE, "website": "https://elsewhere.example.org"}
        ],
    )

    assert Organisation.objects.count() == 1
    assert list(first.organisation_roles.values_list("sector", "website")) == [
        (Sector.PUBLIC, "https://library.example.org")
    ]
    assert list(second.organisation_roles.values_list("sector", "website")) == [
        (Sector.PRIVATE, "https://elsewhere.example.org")
    ]


def test_a_new_draft_of_a_published_partnership_starts_from_its_organisations(krakow):
    published = published_partnership(
        krakow, organisations=[{**LIBRARY, "sector": Sector.RESEARCH}]
    )

    draft = services.partnership_update(
        partnership=published.partnership, by=secretariat(), title="Renamed"
    )

    assert draft.pk != published.pk
    assert list(draft.organisation_roles.values_list("sector", "website", "role")) == [
        (Sector.RESEARCH, "https://library.example.org", "Hosts the writers")
    ]


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://x.org"]
)
def test_an_organisation_website_other_than_http_is_refused(krakow, coordinator, website):
    with pytest.raises(ValidationError) as error:
        create(krakow, coordinator, organisations=[{**LIBRARY, "website": website}])
    assert error.value.message_dict["website"] == [
        "Give a web address starting with http:// or https://."
    ]
    assert not Partnership.objects.exists()
    assert not OrganisationRole.objects.exists()


def test_an_organisation_of_the_same_name_in_another_case_is_reused(krakow, coordinator):
    create(krakow, coordinator, organisations=[LIBRARY])
    _partnership, revision = create(
        krakow,
        coordinator,
        title="Poetry nights",
        organisations=[{**LIBRARY, "name": "KRAKÓW  public library", "role": "Lends its hall"}],
    )

    assert Organisation.objects.count() == 1
    organisation = Organisation.objects.get()
    assert organisation.name == "Kraków Public Library"  # the existing record, as it was
    assert organisation.roles.count() == 2
    assert organisation_names(revision) == ["Kraków Public Library"]


def test_an_organisation_of_the_same_name_in_another_country_is_another_one(krakow, coordinator):
    create(krakow, coordinator, organisations=[LIBRARY])
    create(
        krakow,
        coordinator,
        title="Poetry nights",
        organisations=[{**LIBRARY, "country": "FR", "website": ""}],
    )

    assert sorted(Organisation.objects.values_list("country", flat=True)) == ["FR", "PL"]


def test_an_organisation_listed_twice_is_refused_and_nothing_is_saved(krakow, coordinator):
    with pytest.raises(ValidationError) as error:
        create(
            krakow,
            coordinator,
            organisations=[LIBRARY, THEATRE, {**LIBRARY, "name": "kraków public library"}],
        )
    assert error.value.code == "duplicate_organisation"
    assert not Partnership.objects.exists()
    assert not Organisation.objects.exists()
    assert not OrganisationRole.objects.exists()


def test_an_update_listing_an_organisation_twice_keeps_the_old_list(krakow, coordinator):
    partnership, revision = create(krakow, coordinator, organisations=[LIBRARY])

    with pytest.raises(ValidationError) as error:
        services.partnership_update(
            partnership=partnership,
            by=coordinator,
            title="Renamed",
            organisations=[THEATRE, THEATRE],
        )
    assert error.value.code == "duplicate_organisation"
    revision.refresh_from_db()
    assert revision.title == "Literary residencies"
    assert organisation_names(revision) == ["Kraków Public Library"]
    assert not Organisation.objects.filter(name="Teatr Stary").exists()


def test_an_organisation_of_an_unknown_sector_is_refused(krakow, coordinator):
    with pytest.raises(ValidationError) as error:
        create(krakow, coordinator, organisations=[{**LIBRARY, "sector": "pirates"}])
    assert "sector" in error.value.message_dict
    assert not Organisation.objects.exists()
    assert not OrganisationRole.objects.exists()
    assert not Partnership.objects.exists()


def test_the_database_refuses_a_second_organisation_of_the_same_name_and_country(db):
    services.organisation_for(name="Kraków Public Library", country="PL")
    duplicate = Organisation(name="kraków public library", country="PL")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "An organisation of this name already exists in this country." in error.value.messages


# Names several times longer once transliterated than the key column (200 characters).
LONG_NAMES = {"eszett": "ß" * 150, "cyrillic": "Ю" * 200, "cjk": "中" * 200}


@pytest.mark.parametrize("name", LONG_NAMES.values(), ids=LONG_NAMES)
def test_a_name_longer_once_transliterated_than_the_key_is_kept_and_found_again(db, name):
    assert len(search_key(name)) > 200
    organisation = services.organisation_for(name=name, country="CN")

    organisation.refresh_from_db()
    assert organisation.name == name
    assert len(organisation.name_key) == 200
    assert services.organisation_for(name=name.lower(), country="CN") == organisation
    assert Organisation.objects.count() == 1


def test_long_names_alike_but_for_their_end_are_two_organisations(db):
    first = services.organisation_for(name="中" * 200, country="CN")
    second = services.organisation_for(name="中" * 199 + "国", country="CN")

    assert first != second
    assert first.name_key != second.name_key
    assert Organisation.objects.count() == 2


def test_organisation_for_tidies_the_spaces_of_a_new_name(db):
    organisation = services.organisation_for(name="  Teatr   Stary ", country="PL")
    assert organisation.name == "Teatr Stary"


# Open calls


def test_open_calls_are_saved_with_the_revision(krakow, coordinator):
    _partnership, revision = create(krakow, coordinator, open_calls=[CALL])
    call = revision.open_calls.get()
    assert (call.title, call.opens_on, call.closes_on) == (
        "Residencies 2025",
        date(2025, 1, 10),
        date(2025, 2, 10),
    )


def test_an_open_call_closing_before_it_opens_is_refused(krakow, coordinator):
    with pytest.raises(ValidationError) as error:
        create(krakow, coordinator, open_calls=[{**CALL, "closes_on": date(2025, 1, 9)}])
    assert "closes_on" in error.value.message_dict
    assert not OpenCall.objects.exists()
    assert not Partnership.objects.exists()


def test_an_open_call_needs_a_link_or_a_contact(krakow, coordinator):
    with pytest.raises(ValidationError) as error:
        create(krakow, coordinator, open_calls=[{**CALL, "link": "", "contact_email": ""}])
    assert "link" in error.value.message_dict
    assert not OpenCall.objects.exists()


def test_an_open_call_with_a_contact_only_is_accepted(krakow, coordinator):
    _partnership, revision = create(
        krakow,
        coordinator,
        open_calls=[{**CALL, "link": "", "contact_email": "calls@krakow.example"}],
    )
    assert revision.open_calls.get().contact_email == "calls@krakow.example"


@pytest.mark.parametrize(
    ("day", "found"),
    [
        (date(2025, 1, 9), False),
        (date(2025, 1, 10), True),
        (date(2025, 1, 20), True),
        (date(2025, 2, 10), True),
        (date(2025, 2, 11), False),
    ],
)
def test_revisions_with_an_open_call_on_a_day(krakow, coordinator, day, found):
    overlapping = {**CALL, "title": "Translators", "opens_on": date(2025, 1, 15)}
    _partnership, revision = create(krakow, coordinator, open_calls=[CALL, overlapping])
    create(krakow, coordinator, title="No call")

    expected = [revision] if found else []
    assert list(PartnershipRevision.objects.with_open_call_on(day)) == expected


# Revisions


@pytest.fixture
def published(krakow, coordinator):
    revision = published_partnership(
        krakow,
        by=coordinator,
        objectives=["access-to-cultural-life"],
        sdgs=["quality-education"],
        organisations=[LIBRARY],
        open_calls=[CALL],
    )
    return revision


def test_editing_a_published_partnership_makes_a_second_draft_copied_from_it(
    published, coordinator
):
    partnership = published.partnership

    new = services.partnership_update(
        partnership=partnership, by=coordinator, title="Literary residencies, now with poets"
    )

    assert (new.number, new.state) == (2, ReviewState.DRAFT)
    assert new.pk != published.pk
    assert [field.slug for field in new.fields.all()] == ["literature"]
    assert [objective.code for objective in new.objectives.all()] == ["access-to-cultural-life"]
    assert [goal.code for goal in new.sdgs.all()] == ["quality-education"]
    assert [(role.organisation.name, role.role) for role in new.organisation_roles.all()] == [
        ("Kraków Public Library", "Hosts the writers")
    ]
    assert [call.title for call in new.open_calls.all()] == ["Residencies 2025"]
    assert OrganisationRole.objects.count() == 2
    assert OpenCall.objects.count() == 2

    published.refresh_from_db()
    partnership.refresh_from_db()
    assert published.state == ReviewState.PUBLISHED
    assert published.title == "Literary residencies"
    assert partnership.published_revision == published
    assert partnership.latest_revision() == new


def test_editing_the_draft_again_does_not_make_a_third_revision(published, coordinator):
    partnership = published.partnership
    first = services.partnership_update(partnership=partnership, by=coordinator, title="Poets")
    second = services.partnership_update(partnership=partnership, by=coordinator, title="Poets!")
    assert first.pk == second.pk
    assert partnership.revisions.count() == 2


def test_publishing_the_second_revision_archives_the_first(published, coordinator):
    partnership = published.partnership
    new = services.partnership_update(partnership=partnership, by=coordinator, title="Poets")
    services.partnership_submit(revision=new, by=coordinator)
    services.partnership_publish(revision=new, by=secretariat())

    published.refresh_from_db()
    partnership.refresh_from_db()
    assert published.state == ReviewState.ARCHIVED
    assert partnership.published_revision == new
    assert Partnership.objects.published().get() == partnership


def test_update_with_organisations_replaces_those_of_the_editable_revision_only(
    published, coordinator
):
    partnership = published.partnership

    new = services.partnership_update(
        partnership=partnership, by=coordinator, organisations=[THEATRE]
    )

    assert organisation_names(new) == ["Teatr Stary"]
    assert organisation_names(published) == ["Kraków Public Library"]
    assert Organisation.objects.count() == 2  # the library is kept for the published revision


def test_update_with_open_calls_replaces_those_of_the_editable_revision_only(
    published, coordinator
):
    partnership = published.partnership
    later = {**CALL, "title": "Residencies 2026", "opens_on": date(2026, 1, 10)}
    later["closes_on"] = date(2026, 2, 10)

    new = services.partnership_update(partnership=partnership, by=coordinator, open_calls=[later])

    assert [call.title for call in new.open_calls.all()] == ["Residencies 2026"]
    assert [call.title for call in published.open_calls.all()] == ["Residencies 2025"]


def test_update_without_organisations_keeps_them(krakow, coordinator):
    partnership, revision = create(krakow, coordinator, organisations=[LIBRARY])
    services.partnership_update(partnership=partnership, by=coordinator, title="Renamed")
    assert organisation_names(revision) == ["Kraków Public Library"]


def test_update_refuses_an_end_before_the_start(krakow, coordinator):
    partnership, revision = create(krakow, coordinator)
    with pytest.raises(ValidationError) as error:
        services.partnership_update(
            partnership=partnership, by=coordinator, end_date=date(2020, 1, 1)
        )
    assert "end_date" in error.value.message_dict
    revision.refresh_from_db()
    assert revision.end_date == CONTENT["end_date"]


def test_a_partnership_under_review_cannot_be_edited(krakow, coordinator):
    revision = submitted_partnership(krakow, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.partnership_update(partnership=revision.partnership, by=coordinator, title="X")
    assert error.value.code == "under_review"
    revision.refresh_from_db()
    assert revision.title == "Literary residencies"


def test_a_withdrawn_partnership_can_be_edited_again(krakow, coordinator):
    revision = submitted_partnership(krakow, by=coordinator)
    services.partnership_withdraw(revision=revision, by=coordinator)
    edited = services.partnership_update(
        partnership=revision.partnership, by=coordinator, title="X"
    )
    assert edited.pk == revision.pk
    assert edited.state == ReviewState.DRAFT


@pytest.mark.parametrize("city", ["partner", "other"])
def test_only_the_lead_city_edits_submits_and_withdraws(krakow, dakar, montreal, city):
    revision = draft_partnership(krakow)
    partnership = revision.partnership
    join(partnership, dakar)
    outsider = coordinator_of(dakar if city == "partner" else montreal)

    with pytest.raises(PermissionDenied):
        services.partnership_update(partnership=partnership, by=outsider, title="Mine now")
    with pytest.raises(PermissionDenied):
        services.partnership_submit(revision=revision, by=outsider)
    services.partnership_submit(revision=revision, by=secretariat())
    with pytest.raises(PermissionDenied):
        services.partnership_withdraw(revision=revision, by=outsider)

    revision.refresh_from_db()
    assert revision.state == ReviewState.SUBMITTED
    assert revision.title == "Literary residencies"


def test_archiving_takes_the_partnership_off_the_portal(published):
    services.partnership_archive(revision=published, by=secretariat())

    published.refresh_from_db()
    published.partnership.refresh_from_db()
    assert published.state == ReviewState.ARCHIVED
    assert published.partnership.published_revision is None
    assert not Partnership.objects.published().exists()


# Cities taking part


@pytest.fixture
def partnership(krakow):
    return draft_partnership(krakow).partnership


def test_a_lead_city_coordinator_invites_a_city(partnership, coordinator, dakar):
    participation = services.city_invite(partnership=partnership, city=dakar, by=coordinator)

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.INVITED
    assert participation.role == ParticipationRole.PARTNER
    assert participation.invited_by == coordinator
    assert participation.answered_by is None
    assert list(Participation.objects.taking_part().filter(partnership=partnership)) == [
        partnership.participations.get(role=ParticipationRole.LEAD)
    ]


@pytest.mark.parametrize("whose", ["invited", "other"])
def test_only_the_lead_city_invites(partnership, dakar, montreal, whose):
    person = coordinator_of(dakar if whose == "invited" else montreal)
    with pytest.raises(PermissionDenied):
        services.city_invite(partnership=partnership, city=dakar, by=person)
    assert not partnership.participations.filter(city=dakar).exists()


def test_a_city_that_left_the_network_cannot_be_invited(partnership, coordinator):
    former = CityFactory(name="Formerville", is_member=False)
    with pytest.raises(ValidationError) as error:
        services.city_invite(partnership=partnership, city=former, by=coordinator)
    assert error.value.code == "not_a_member"
    assert not partnership.participations.filter(city=former).exists()


def test_a_city_cannot_be_invited_twice(partnership, coordinator, dakar):
    invite(partnership, dakar)
    with pytest.raises(ValidationError) as error:
        services.city_invite(partnership=partnership, city=dakar, by=coordinator)
    assert error.value.code == "already_invited"
    assert partnership.participations.filter(city=dakar).count() == 1


def test_a_city_taking_part_cannot_be_invited_again(partnership, coordinator, dakar):
    join(partnership, dakar)
    with pytest.raises(ValidationError) as error:
        services.city_invite(partnership=partnership, city=dakar, by=coordinator)
    assert error.value.code == "already_invited"
    assert partnership.participations.get(city=dakar).status == ParticipationStatus.ACCEPTED


def test_the_lead_city_cannot_be_invited_to_its_own_partnership(partnership, coordinator, krakow):
    with pytest.raises(ValidationError) as error:
        services.city_invite(partnership=partnership, city=krakow, by=coordinator)
    assert error.value.code == "already_invited"
    lead = partnership.participations.get(city=krakow)
    assert (lead.role, lead.status) == (ParticipationRole.LEAD, ParticipationStatus.ACCEPTED)


def test_a_coordinator_of_the_invited_city_accepts(partnership, dakar):
    participation = invite(partnership, dakar)
    person = coordinator_of(dakar)

    services.participation_accept(participation=participation, by=person)

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ACCEPTED
    assert participation.answered_by == person
    assert participation.answered_at is not None
    assert dakar in partnership.cities.all()


@pytest.mark.parametrize("whose", ["lead", "other"])
def test_a_coordinator_of_another_city_cannot_answer_for_the_invited_one(
    partnership, coordinator, dakar, montreal, whose
):
    participation = invite(partnership, dakar)
    person = coordinator if whose == "lead" else coordinator_of(montreal)

    with pytest.raises(PermissionDenied):
        services.participation_accept(participation=participation, by=person)
    with pytest.raises(PermissionDenied):
        services.participation_decline(participation=participation, by=person)

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.INVITED
    assert participation.answered_by is None


def test_an_uninvited_city_cannot_attach_itself_through_another_invitation(
    partnership, dakar, montreal
):
    participation = invite(partnership, dakar)
    intruder = coordinator_of(montreal)

    with pytest.raises(PermissionDenied):
        services.participation_accept(participation=participation, by=intruder)

    assert not partnership.participations.filter(city=montreal).exists()
    assert partnership.participations.get(city=dakar).status == ParticipationStatus.INVITED


def test_a_coordinator_of_the_invited_city_declines(partnership, dakar):
    participation = invite(partnership, dakar)
    person = coordinator_of(dakar)

    services.participation_decline(participation=participation, by=person)

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.DECLINED
    assert participation.answered_by == person
    assert not Participation.objects.taking_part().filter(city=dakar).exists()


def test_a_declined_invitation_cannot_be_accepted(partnership, dakar):
    participation = invite(partnership, dakar)
    person = coordinator_of(dakar)
    services.participation_decline(participation=participation, by=person)

    with pytest.raises(ValidationError) as error:
        services.participation_accept(participation=participation, by=person)
    assert error.value.code == "invalid_answer"
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.DECLINED


def test_a_stale_copy_of_an_answered_invitation_cannot_be_answered_again(partnership, dakar):
    participation = invite(partnership, dakar)
    stale = Participation.objects.get(pk=participation.pk)
    services.participation_decline(participation=participation, by=coordinator_of(dakar))

    with pytest.raises(ValidationError) as error:
        services.participation_accept(participation=stale, by=coordinator_of(dakar))
    assert error.value.code == "invalid_answer"
    assert Participation.objects.get(pk=participation.pk).status == ParticipationStatus.DECLINED


def test_a_partner_city_leaves(partnership, dakar):
    participation = join(partnership, dakar)
    person = coordinator_of(dakar)

    services.participation_leave(participation=participation, by=person)

    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.LEFT
    assert participation.answered_by == person


def test_an_invited_city_cannot_leave_before_accepting(partnership, dakar):
    participation = invite(partnership, dakar)
    with pytest.raises(ValidationError) as error:
        services.participation_leave(participation=participation, by=coordinator_of(dakar))
    assert error.value.code == "invalid_answer"


def test_the_lead_city_cannot_leave(partnership, coordinator):
    lead = partnership.participations.get(role=ParticipationRole.LEAD)
    with pytest.raises(ValidationError) as error:
        services.participation_leave(participation=lead, by=coordinator)
    assert error.value.code == "lead_cannot_leave"
    lead.refresh_from_db()
    assert lead.status == ParticipationStatus.ACCEPTED


@pytest.mark.parametrize("answer", ["decline", "leave"])
def test_a_city_that_declined_or_left_can_be_invited_again(partnership, coordinator, dakar, answer):
    participation = invite(partnership, dakar)
    person = coordinator_of(dakar)
    if answer == "decline":
        services.participation_decline(participation=participation, by=person)
    else:
        services.participation_accept(participation=participation, by=person)
        services.participation_leave(participation=participation, by=person)

    again = services.city_invite(partnership=partnership, city=dakar, by=coordinator)

    again.refresh_from_db()
    assert again.pk == participation.pk
    assert again.status == ParticipationStatus.INVITED
    assert again.invited_by == coordinator
    assert again.answered_by is None
    assert again.answered_at is None
    services.participation_accept(participation=again, by=person)
    assert partnership.participations.get(city=dakar).status == ParticipationStatus.ACCEPTED


def test_taking_part_counts_only_the_cities_that_accepted(partnership, krakow, dakar, montreal):
    join(partnership, dakar)
    invite(partnership, montreal)
    declined = invite(partnership, CityFactory(name="Declinedville"))
    services.participation_decline(participation=declined, by=secretariat())
    left = join(partnership, CityFactory(name="Leftville"))
    services.participation_leave(participation=left, by=secretariat())

    taking_part = Participation.objects.filter(partnership=partnership).taking_part()
    assert sorted(participation.city.name for participation in taking_part) == [
        "Dakar",
        "Kraków",
    ]
    pending = Participation.objects.filter(partnership=partnership).pending()
    assert [participation.city for participation in pending] == [montreal]
