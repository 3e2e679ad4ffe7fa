"""Practices made through the services, so that every row is what the portal itself writes."""

from cities.models import CreativeField
from practices import services
from practices.models import ActionArea, Objective, SustainableDevelopmentGoal
from tests.factories import UserFactory, acting_staff, with_permissions

SECRETARIAT_EMAIL = "secretariat@unesco.example"

CONTENT = {
    "summary": "Free music lessons in every district library.",
    "challenge": "Few children could afford music lessons.",
    "actions": "Libraries lend instruments and host teachers.",
    "results": "1,200 children learned an instrument in two years.",
    "transferability": "Any city with a library network can start with ten instruments.",
    "year_started": 2019,
}

_TAGS = {
    "fields": (CreativeField, "slug"),
    "objectives": (Objective, "code"),
    "action_areas": (ActionArea, "code"),
    "sdgs": (SustainableDevelopmentGoal, "code"),
}


def secretariat():
    """The one member of the secretariat who reviews, and writes drafts for any city on the
    coordinator pages (created on first use)."""
    staff = UserFactory._meta.model.objects.filter(email=SECRETARIAT_EMAIL).first()
    return staff or with_permissions(
        acting_staff(email=SECRETARIAT_EMAIL),
        "practices.review_practicerevision",
        "partnerships.review_partnershiprevision",
    )


def _tags(name, values):
    model, key = _TAGS[name]
    return [
        value if isinstance(value, model) else model.objects.get(**{key: value}) for value in values
    ]


def draft_practice(city, title="Music in the libraries", *, by=None, **content):
    """A new practice of `city`, its first revision a draft. Tags may be given as slugs/codes;
    the creative fields default to the city's own field."""
    content = {**CONTENT, **content}
    content.setdefault("fields", [city.field])
    for name in _TAGS:
        if name in content:
            content[name] = _tags(name, content[name])
    _practice, revision = services.practice_create(
        city=city, title=title, by=by or secretariat(), **content
    )
    return revision


def submitted_practice(city, title="Music in the libraries", *, by=None, **content):
    revision = draft_practice(city, title, by=by, **content)
    services.practice_submit(revision=revision, by=by or secretariat())
    return revision


def sent_back_practice(
    city, title="Music in the libraries", *, by=None, message="Add figures, please.", **content
):
    """A practice the secretariat sent back with `message` (state changes_requested)."""
    revision = submitted_practice(city, title, by=by, **content)
    services.practice_request_changes(revision=revision, by=secretariat(), message=message)
    return revision


def published_practice(city, title="Music in the libraries", *, by=None, **content):
    """A practice created and submitted by `by` (the secretariat by default), then published
    by the secretariat."""
    revision = submitted_practice(city, title, by=by, **content)
    services.practice_publish(revision=revision, by=secretariat())
    revision.refresh_from_db()
    return revision
