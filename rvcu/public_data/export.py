"""Reading the public data out of the database, in a bounded number of queries."""

import json
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Prefetch
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django_countries.fields import Country

from cities.models import City, CreativeField
from partnerships.models import OrganisationRole, Participation, Partnership
from practices.models import ActionArea, Objective, Practice, SustainableDevelopmentGoal

from .schema import (
    ATTACHMENT_KEYS,
    CITY_KEYS,
    CREATIVE_FIELD_KEYS,
    FORMAT,
    MISSION_TAG_KEYS,
    OPEN_CALL_KEYS,
    ORGANISATION_KEYS,
    ORGANISATION_ROLE_KEYS,
    PARTICIPATION_KEYS,
    PARTNERSHIP_KEYS,
    PARTNERSHIP_REVISION_KEYS,
    PRACTICE_KEYS,
    PRACTICE_REVISION_KEYS,
    TAG_SECTIONS,
    VERSION,
)

# Documents are read this many at a time, each batch with its own prefetch queries.
CHUNK_SIZE = 2000


def public_data_export(*, write):
    """Write the network's public data as one JSON document through `write` (a function that
    takes text). Every list is sorted by slug or code, so two exports of the same data differ
    only by `exported_at`. Entries are written one at a time: neither the whole text nor every
    practice is held in memory at once."""
    with _one_snapshot():
        _write_json(_document(), write)


def _document():
    """The document, its long lists as iterators read as they are written."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "creative_fields": [
            _values(field, CREATIVE_FIELD_KEYS) for field in CreativeField.objects.order_by("slug")
        ],
        "objectives": _mission_tags(Objective),
        "action_areas": _mission_tags(ActionArea),
        "sdgs": _mission_tags(SustainableDevelopmentGoal),
        "cities": [_city(city) for city in City.objects.select_related("field").order_by("slug")],
        "partnerships": map(_partnership, _published_partnerships()),
        "practices": map(_practice, _published_practices()),
    }


@contextmanager
def _one_snapshot():
    """One view of the database for the whole export, so that a practice published meanwhile
    cannot name a city the export read before it was created: on PostgreSQL, a read-only
    repeatable-read transaction (when the export opens the transaction itself)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _write_json(document, write):
    """`document` as indented JSON, its lists (or iterators) one entry at a time. JSON escapes
    the line breaks inside strings, so each line of an entry can be indented."""
    write("{")
    for position, (key, value) in enumerate(document.items()):
        write(",\n " if position else "\n ")
        write(f"{json.dumps(key)}: ")
        if isinstance(value, str | int):
            write(_json(value))
            continue
        opening = "["
        for entry in value:
            write(opening + "\n  " + _json(entry).replace("\n", "\n  "))
            opening = ","
        write("[]" if opening == "[" else "\n ]")
    write("\n}\n")


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=1)


def _mission_tags(model):
    return [_values(tag, MISSION_TAG_KEYS) for tag in model.objects.order_by("code")]


def _city(city):
    return {**_values(city, CITY_KEYS), "field": city.field.slug}


def _published_practices():
    return (
        Practice.objects.published()
        .select_related("city", "published_revision__partnership")
        .prefetch_related(
            *(f"published_revision__{name}" for name in TAG_SECTIONS),
            "published_revision__attachments",
        )
        .order_by("slug")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _practice(practice):
    revision = practice.published_revision
    partnership = revision.partnership
    return {
        **_values(practice, PRACTICE_KEYS),
        "city": practice.city.slug,
        "published_at": _json_value(revision.state_changed_at),
        **_values(revision, PRACTICE_REVISION_KEYS),
        **_tags(revision),
        # The practice page links only to a published partnership, the only kind exported.
        "partnership": (
            partnership.slug if partnership and partnership.published_revision_id else None
        ),
        "attachments": [
            _values(attachment, ATTACHMENT_KEYS) for attachment in revision.attachments.all()
        ],
    }


def _published_partnerships():
    return (
        Partnership.objects.published()
        .select_related("lead_city", "published_revision")
        .prefetch_related(
            *(f"published_revision__{name}" for name in TAG_SECTIONS),
            Prefetch(
                "published_revision__organisation_roles",
                queryset=OrganisationRole.objects.select_related("organisation"),
            ),
            "published_revision__open_calls",
            Prefetch(
                "participations",
                queryset=Participation.objects.taking_part()
                .select_related("city")
                .order_by("role", "city__slug"),
            ),
        )
        .order_by("slug")
        .iterator(chunk_size=CHUNK_SIZE)
    )


def _partnership(partnership):
    revision = partnership.published_revision
    return {
        **_values(partnership, PARTNERSHIP_KEYS),
        "lead_city": partnership.lead_city.slug,
        "published_at": _json_value(revision.state_changed_at),
        **_values(revision, PARTNERSHIP_REVISION_KEYS),
        **_tags(revision),
        # Only the cities taking part are public; invitations and refusals are not.
        "cities": [
            {"city": participation.city.slug, **_values(participation, PARTICIPATION_KEYS)}
            for participation in partnership.participations.all()
        ],
        "organisations": [
            {
                **_values(role.organisation, ORGANISATION_KEYS),
                **_values(role, ORGANISATION_ROLE_KEYS),
            }
            for role in revision.organisation_roles.all()
        ],
        "open_calls": [_values(call, OPEN_CALL_KEYS) for call in revision.open_calls.all()],
    }


def _tags(revision):
    return {
        name: sorted(getattr(tag, key) for tag in getattr(revision, name).all())
        for name, (_section, key) in TAG_SECTIONS.items()
    }


def _values(instance, keys):
    return {key: _json_value(getattr(instance, key)) for key in keys}


def _json_value(value):
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Country):
        return value.code
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
