"""Partnerships made through the services, so that every row is what the portal itself writes."""

from datetime import date

from partnerships import services
from partnerships.models import PartnershipKind, Progress, Sector
from tests.practices.factories import _tags, secretariat

CONTENT = {
    "kind": PartnershipKind.EXCHANGE,
    "summary": "Writers of member cities spend a month in each other's city.",
    "description": "Each year, **four writers** travel between the cities.",
    "start_date": date(2024, 3, 1),
    "end_date": date(2026, 12, 31),
    "progress": Progress.ONGOING,
}

LIBRARY = {
    "name": "Kraków Public Library",
    "sector": Sector.PUBLIC,
    "country": "PL",
    "website": "https://library.example.org",
    "role": "Hosts the writers",
}


def draft_partnership(lead_city, title="Literary residencies", *, by=None, **content):
    """A new partnership led by `lead_city`, its first revision a draft. Tags may be given as
    slugs/codes; the creative fields default to the lead city's own field."""
    content = {**CONTENT, **content}
    content.setdefault("fields", [lead_city.field])
    for name in ("fields", "objectives", "action_areas", "sdgs"):
        if name in content:
            content[name] = _tags(name, content[name])
    _partnership, revision = services.partnership_create(
        lead_city=lead_city, title=title, by=by or secretariat(), **content
    )
    return revision


def submitted_partnership(lead_city, title="Literary residencies", *, by=None, **content):
    revision = draft_partnership(lead_city, title, by=by, **content)
    services.partnership_submit(revision=revision, by=by or secretariat())
    return revision


def published_partnership(lead_city, title="Literary residencies", *, by=None, **content):
    """A partnership created and submitted by `by` (the secretariat by default), then
    published by the secretariat."""
    revision = submitted_partnership(lead_city, title, by=by, **content)
    services.partnership_publish(revision=revision, by=secretariat())
    revision.refresh_from_db()
    return revision


def invite(partnership, city):
    """`city` invited by the secretariat on behalf of the lead city; returns the invitation."""
    return services.city_invite(partnership=partnership, city=city, by=secretariat())


def join(partnership, city):
    """`city` invited and taking part (accepted by the secretariat on its behalf)."""
    participation = invite(partnership, city)
    return services.participation_accept(participation=participation, by=secretariat())
