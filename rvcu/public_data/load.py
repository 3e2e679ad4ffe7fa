"""Loading a public data document into an empty database, all or nothing.

Every entry is checked with its model's `full_clean` before anything is written; a bad entry
stops the import with a message that names it (`practices[12] (slug 'x'): unknown city 'y'`),
inside one transaction, so nothing is left behind. Practices and partnerships, which may be
tens of thousands, are written with bulk operations: what their `save()` would compute (the
search document, an organisation's name key) is computed here, and the uniqueness that
`full_clean` would look up row by row is checked in memory (the database holds none of them
yet). The database's own constraints still stand behind these checks.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db import DatabaseError, transaction

from cities.models import City, CreativeField
from partnerships.models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    ParticipationRole,
    Partnership,
)
from practices.models import (
    ActionArea,
    Objective,
    Practice,
    PracticeAttachment,
    SustainableDevelopmentGoal,
)
from rvcu.review import ReviewState

from .entries import (
    PublicDataError,
    about,
    check,
    entries,
    list_in,
    lookup,
    pick,
    refuse_twice,
)
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
    SECTIONS,
    TAG_SECTIONS,
    VERSION,
)

BATCH_SIZE = 1000

TAG_MODELS = {
    "creative_fields": (CreativeField, CREATIVE_FIELD_KEYS),
    "objectives": (Objective, MISSION_TAG_KEYS),
    "action_areas": (ActionArea, MISSION_TAG_KEYS),
    "sdgs": (SustainableDevelopmentGoal, MISSION_TAG_KEYS),
}


@dataclass
class PublicDataImportReport:
    creative_fields: int
    cities: int
    partnerships: int
    practices: int
    organisations: int


def public_data_import(*, document):
    """Load `document` (a parsed export) into a database that holds no city, practice or
    partnership yet. The creative fields and mission tags the migrations seeded are matched
    by slug or code and take the texts of the document. Raises PublicDataError, and then
    changes nothing."""
    _check_header(document)
    try:
        with transaction.atomic():
            _refuse_a_database_in_use()
            tags = {
                name: _load_tags(document, section, key)
                for name, (section, key) in TAG_SECTIONS.items()
            }
            cities = _load_cities(document, tags["fields"])
            partnerships, organisations = _load_partnerships(document, cities, tags)
            practices = _load_practices(document, cities, tags, partnerships)
    except DatabaseError as error:
        raise PublicDataError(f"the database refused the data: {error}") from error
    return PublicDataImportReport(
        creative_fields=len(document["creative_fields"]),
        cities=len(cities),
        partnerships=len(partnerships),
        practices=practices,
        organisations=organisations,
    )


def _check_header(document):
    if not isinstance(document, dict):
        raise PublicDataError("the file does not hold a JSON object")
    if document.get("format") != FORMAT:
        raise PublicDataError(
            f"not an RVCU public data file: its format is {document.get('format')!r}, "
            f"expected '{FORMAT}'"
        )
    if document.get("version") != VERSION:
        raise PublicDataError(
            f"unknown version {document.get('version')!r} of the format "
            f"(this portal reads version {VERSION})"
        )
    for section in SECTIONS:
        if section not in document:
            raise PublicDataError(f"missing key '{section}'")
        if not isinstance(document[section], list):
            raise PublicDataError(f"'{section}' is not a list")


def _refuse_a_database_in_use():
    counts = {
        "cities": City.objects.count(),
        "practices": Practice.objects.count(),
        "partnerships": Partnership.objects.count(),
    }
    held = [f"{count} {name}" for name, count in counts.items() if count]
    if held:
        raise PublicDataError(
            f"the database already holds {', '.join(held)}: the public data is imported only "
            "into a database just migrated, with no city, practice or partnership yet"
        )


def _load_tags(document, section, key):
    """The rows of a tag model by slug or code: those seeded, updated from the document, and
    those the document adds."""
    model, keys = TAG_MODELS[section]
    known = {getattr(tag, key): tag for tag in model.objects.all()}
    seen = set()
    for label, entry in entries(document, section, key):
        with about(label):
            values = pick(entry, keys)
            tag = known.get(values[key]) if isinstance(values[key], str) else None
            tag = tag or model()
            for name, value in values.items():
                setattr(tag, name, value)
            tag.full_clean()
            refuse_twice(seen, getattr(tag, key), key)
            seen.add(getattr(tag, key))
            tag.save()
            known[getattr(tag, key)] = tag
    return known


def _load_cities(document, fields):
    """Cities are few: each is saved on its own, so that City.save() derives its region and
    search text."""
    cities = {}
    names = set()
    for label, entry in entries(document, "cities"):
        with about(label):
            values = pick(entry, (*CITY_KEYS, "field"))
            field = lookup(fields, values.pop("field"), CreativeField)
            city = City(field=field, **values)
            check(city, exclude=["field"])
            refuse_twice(cities, city.slug, "slug")
            refuse_twice(names, (city.name, city.country.code), "city (name, country)")
            city.save()
            cities[city.slug] = city
            names.add((city.name, city.country.code))
    return cities


def _load_partnerships(document, cities, tags):
    """The published partnerships by slug, and the number of organisations created."""
    batch = _Batch(Partnership)
    organisations = _OrganisationPool()
    partnerships = {}
    for label, entry in entries(document, "partnerships"):
        with about(label):
            values = pick(entry, (*PARTNERSHIP_KEYS, "lead_city"))
            lead_city = lookup(cities, values.pop("lead_city"), City)
            partnership = _document(Partnership, values, partnerships, lead_city=lead_city)
            revision = _published_revision(
                batch, partnership, entry, PARTNERSHIP_REVISION_KEYS, tags
            )
            batch.rows[Participation].extend(_participations(entry, partnership, cities))
            batch.rows[OrganisationRole].extend(_organisation_roles(entry, revision, organisations))
            batch.rows[OpenCall].extend(
                _child_rows(
                    entry, revision, section="open_calls", model=OpenCall, keys=OPEN_CALL_KEYS
                )
            )
            partnerships[partnership.slug] = partnership
        if batch.is_full():
            organisations.write()
            batch.write()
    organisations.write()
    batch.write()
    return partnerships, organisations.created


def _load_practices(document, cities, tags, partnerships):
    """The number of practices created."""
    batch = _Batch(Practice)
    slugs = set()
    for label, entry in entries(document, "practices"):
        with about(label):
            values = pick(entry, (*PRACTICE_KEYS, "city", "partnership"))
            city = lookup(cities, values.pop("city"), City)
            partnership_slug = values.pop("partnership")
            practice = _document(Practice, values, slugs, city=city)
            revision = _published_revision(batch, practice, entry, PRACTICE_REVISION_KEYS, tags)
            if partnership_slug is not None:
                revision.partnership = lookup(partnerships, partnership_slug, Partnership)
            batch.rows[PracticeAttachment].extend(
                _child_rows(
                    entry,
                    revision,
                    section="attachments",
                    model=PracticeAttachment,
                    keys=ATTACHMENT_KEYS,
                )
            )
            slugs.add(practice.slug)
        if batch.is_full():
            batch.write()
    batch.write()
    return len(slugs)


def _document(model, values, taken, **parents):
    """A new practice or partnership from `values`, its slug not `taken`."""
    document = model(**parents, **values)
    check(document, exclude=[*parents, "created_by", "published_revision"])
    if document.created_at is None:
        raise PublicDataError("created_at: a date is needed")
    if not document.slug:
        # Every item of the public data is published, and a published item has its address.
        raise PublicDataError("slug: an address is needed")
    refuse_twice(taken, document.slug, "slug")
    return document


def _published_revision(batch, document, entry, keys, tags):
    """The document's published revision, number 1, added to `batch` with its tags."""
    model = batch.revision_model
    values = pick(entry, (*keys, "published_at"))
    revision = model(
        **{model.document_field: document},
        number=1,
        state=ReviewState.PUBLISHED,
        state_changed_at=values.pop("published_at"),
        **values,
    )
    check(revision, exclude=[model.document_field, "author", "partnership"])
    # What Revision.save() stores; bulk_create does not call save().
    revision.search_document = revision.build_search_document()
    batch.add(document, revision)
    for name in TAG_SECTIONS:
        with about(name):
            codes = list_in(entry, name)
            chosen = [lookup(tags[name], code, _tag_model(name)) for code in codes]
            if len(set(codes)) < len(codes):
                raise PublicDataError("a tag is listed twice")
        batch.tags.extend((revision, name, tag) for tag in chosen)
    return revision


def _participations(entry, partnership, cities):
    participations = {}
    for index, item in enumerate(list_in(entry, "cities")):
        with about(f"cities[{index}]"):
            values = pick(item, ("city", *PARTICIPATION_KEYS))
            city = lookup(cities, values.pop("city"), City)
            refuse_twice(participations, city.slug, "city")
            participation = Participation(partnership=partnership, city=city, **values)
            check(participation, exclude=["partnership", "city", "invited_by", "answered_by"])
            participations[city.slug] = participation
    leads = [slug for slug, item in participations.items() if item.role == ParticipationRole.LEAD]
    if leads != [partnership.lead_city.slug]:
        raise PublicDataError(
            f"'cities' must list the lead city '{partnership.lead_city.slug}' once with the "
            f"role '{ParticipationRole.LEAD}', and no other city with that role"
        )
    return participations.values()


def _organisation_roles(entry, revision, organisations):
    roles = []
    for index, item in enumerate(list_in(entry, "organisations")):
        with about(f"organisations[{index}]"):
            values = pick(item, (*ORGANISATION_KEYS, *ORGANISATION_ROLE_KEYS))
            organisation = organisations.get({key: values.pop(key) for key in ORGANISATION_KEYS})
            if any(role.organisation is organisation for role in roles):
                raise PublicDataError(f"'{organisation.name}' is listed twice")
            role = OrganisationRole(revision=revision, organisation=organisation, **values)
            check(role, exclude=["revision", "organisation"])
            roles.append(role)
    return roles


def _child_rows(entry, revision, *, section, model, keys):
    """The rows of `model` listed under `section` of `entry` (open calls, attachments), each
    checked, hanging from `revision`."""
    rows = []
    for index, item in enumerate(list_in(entry, section)):
        with about(f"{section}[{index}]"):
            row = model(revision=revision, **pick(item, keys))
            check(row, exclude=["revision"])
            rows.append(row)
    return rows


class _Batch:
    """Documents of one model, their published revisions, tags and the rows hanging from the
    revisions, written in bulk a thousand documents at a time, so that the rows already
    written can be let go (the transaction still makes the import all or nothing)."""

    def __init__(self, document_model):
        self.document_model = document_model
        self.revision_model = document_model._meta.get_field("published_revision").related_model
        self._empty()

    def _empty(self):
        self.documents = []
        self.revisions = []
        self.tags = []  # (revision, relation name, tag)
        self.rows = defaultdict(list)  # model -> rows, written in this order

    def add(self, document, revision):
        self.documents.append(document)
        self.revisions.append(revision)

    def is_full(self):
        return len(self.documents) >= BATCH_SIZE

    def write(self):
        # bulk_create stamps auto_now_add dates with the time of the import: the documents'
        # own creation dates are put back afterwards.
        created_at = [document.created_at for document in self.documents]
        self.document_model.objects.bulk_create(self.documents, batch_size=BATCH_SIZE)
        self.revision_model.objects.bulk_create(self.revisions, batch_size=BATCH_SIZE)
        for document, revision, created in zip(
            self.documents, self.revisions, created_at, strict=True
        ):
            document.published_revision = revision
            document.created_at = created
        self.document_model.objects.bulk_update(
            self.documents, ["published_revision", "created_at"], batch_size=BATCH_SIZE
        )
        self._write_tags()
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self._empty()

    def _write_tags(self):
        through_rows = defaultdict(list)
        for revision, name, tag in self.tags:
            relation = self.revision_model._meta.get_field(name)
            through = relation.remote_field.through
            through_rows[through].append(
                through(
                    **{
                        f"{relation.m2m_field_name()}_id": revision.pk,
                        f"{relation.m2m_reverse_field_name()}_id": tag.pk,
                    }
                )
            )
        for through, rows in through_rows.items():
            through.objects.bulk_create(rows, batch_size=BATCH_SIZE)


class _OrganisationPool:
    """The partner organisations named in the document, one per name (case and accents
    ignored) and country, as the portal keeps them (partnerships.services.organisation_for).
    Rows left in the database are reused."""

    def __init__(self):
        self.by_key = {
            (organisation.name_key, organisation.country.code): organisation
            for organisation in Organisation.objects.all()
        }
        self.created = 0
        self.new = []

    def get(self, values):
        candidate = Organisation(**values)
        # Not full_clean: Organisation.clean() looks for duplicates in the database, one query
        # per organisation; the pool finds them in memory.
        candidate.clean_fields(exclude=["name_key"])
        candidate.name = " ".join(candidate.name.split())
        key = (Organisation.key_of(candidate.name), candidate.country.code)
        organisation = self.by_key.get(key)
        if organisation is None:
            candidate.name_key = key[0]
            self.by_key[key] = organisation = candidate
            self.new.append(candidate)
        return organisation

    def write(self):
        """Write the organisations met since the last call."""
        Organisation.objects.bulk_create(self.new, batch_size=BATCH_SIZE)
        self.created += len(self.new)
        self.new = []


def _tag_model(name):
    return TAG_MODELS[TAG_SECTIONS[name][0]][0]
