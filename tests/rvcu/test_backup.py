"""The public data export and import (rvcu.public_data, export_public_data, import_public_data)."""

import copy
import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cities.models import City, CreativeField
from partnerships.models import (
    OpenCall,
    Organisation,
    OrganisationRole,
    Participation,
    Partnership,
    PartnershipRevision,
)
from practices import services as practice_services
from practices.models import (
    ActionArea,
    Objective,
    Practice,
    PracticeAttachment,
    PracticeRevision,
    SustainableDevelopmentGoal,
)
from rvcu.public_data import schema
from rvcu.review import ReviewState
from tests.factories import CityFactory, image_upload, pdf_bytes
from tests.partnerships.factories import LIBRARY, draft_partnership, invite, join
from tests.partnerships.factories import published_partnership as make_published_partnership
from tests.practices.factories import draft_practice, published_practice, secretariat

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()
TODAY = timezone.localdate()
CALL = {
    "title": "Residencies 2026",
    "opens_on": TODAY - timedelta(days=3),
    "closes_on": TODAY + timedelta(days=30),
    "eligibility": "Writers living in a member city.",
    "link": "https://residencies.example.org/apply",
    "contact_email": "residencies@library.example.org",
}


# A small network with something of every kind, public or not.


@pytest.fixture
def montreal(db):
    return CityFactory(name="Montréal", country="CA", field_slug="design")


@pytest.fixture
def small_network(krakow, dakar, montreal, media_root):
    """Kraków (with a picture) leads a published partnership that Dakar joined and Montréal
    is invited to; a published practice of Kraków came from it; plus what the public does not
    see: a draft practice, a newer draft of a published one, an archived practice and a draft
    partnership."""
    krakow.image = image_upload("krakow.png")
    krakow.image_alt = "The Cloth Hall at dusk"
    krakow.image_credit = "Photo: M. Nowak"
    krakow.description = "A city of **literature**."
    krakow.website = "https://krakow.example.org"
    krakow.save()
    partnership = make_published_partnership(
        krakow,
        "Literary residencies",
        objectives=["international-cooperation"],
        organisations=[LIBRARY],
        open_calls=[CALL],
    )
    join(partnership.partnership, dakar)
    invite(partnership.partnership, montreal)
    practice = published_practice(
        krakow,
        "Music in the libraries",
        objectives=["international-cooperation"],
        action_areas=["projects-and-partnerships"],
        sdgs=["quality-education", "sustainable-cities"],
        partnership=partnership.partnership,
        image=image_upload("library.png"),
        image_alt="Children playing the violin",
        image_credit="Photo: City of Kraków",
        documents=[("Annual report", SimpleUploadedFile("report.pdf", PDF, "application/pdf"))],
        links="https://music.example.org\nhttps://library.example.org",
        reaches_vulnerable_groups=True,
        budget_range="10k-100k",
    )
    practice_services.practice_update(
        practice=practice.practice, by=secretariat(), title="A newer title, still a draft"
    )
    published_practice(dakar, "Open-air cinema")
    archived = published_practice(dakar, "A festival that ended")
    practice_services.practice_archive(revision=archived, by=secretariat())
    draft_practice(dakar, "A draft idea")
    draft_partnership(dakar, "A partnership still in draft")
    return {"practice": practice, "partnership": partnership}


def export_text():
    output = io.StringIO()
    call_command("export_public_data", stdout=output)
    return output.getvalue()


def export_document():
    return json.loads(export_text())


def without_date(document):
    return {key: value for key, value in document.items() if key != "exported_at"}


def empty_the_network():
    """Delete what a fresh database does not hold, in an order the protections allow."""
    Practice.objects.all().delete()
    Partnership.objects.all().delete()
    Organisation.objects.all().delete()
    City.objects.all().delete()


def import_document(document, tmp_path):
    path = tmp_path / "network.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    output = io.StringIO()
    call_command("import_public_data", str(path), stdout=output)
    return output.getvalue()


def database_snapshot():
    """Every row the import writes."""
    models = (
        CreativeField,
        Objective,
        ActionArea,
        SustainableDevelopmentGoal,
        City,
        Practice,
        PracticeRevision,
        PracticeAttachment,
        Partnership,
        PartnershipRevision,
        Participation,
        Organisation,
        OrganisationRole,
        OpenCall,
    )
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


# Export: what it holds


def test_export_holds_the_published_content_only(small_network, coordinator):
    document = export_document()

    assert document["format"] == "rvcu-public-data"
    assert document["version"] == 1
    assert [practice["title"] for practice in document["practices"]] == [
        "Music in the libraries",
        "Open-air cinema",
    ]
    assert [partnership["title"] for partnership in document["partnerships"]] == [
        "Literary residencies"
    ]
    text = json.dumps(document)
    for hidden in (
        "A draft idea",
        "A newer title, still a draft",
        "A festival that ended",
        "A partnership still in draft",
        "secretariat@unesco.example",
        coordinator.email,
    ):
        assert hidden not in text


def revision_attachment_name(revision):
    return revision.attachments.get().file.name


def test_export_practice_entry(small_network):
    practice = export_document()["practices"][0]

    assert practice["slug"] == "music-in-the-libraries"
    assert practice["city"] == "krakow"
    assert practice["partnership"] == "literary-residencies"
    assert practice["fields"] == ["literature"]
    assert practice["objectives"] == ["international-cooperation"]
    assert practice["action_areas"] == ["projects-and-partnerships"]
    assert practice["sdgs"] == ["quality-education", "sustainable-cities"]
    assert practice["links"] == "https://music.example.org\nhttps://library.example.org"
    assert practice["reaches_vulnerable_groups"] is True
    assert practice["year_started"] == 2019
    assert practice["image"].startswith("pictures/practicerevision/")
    assert practice["image_alt"] == "Children playing the violin"
    assert practice["image_width"] > 0
    [attachment] = practice["attachments"]
    assert attachment["title"] == "Annual report"
    assert attachment["file"] == revision_attachment_name(small_network["practice"])
    assert attachment["file"].startswith("documents/practices/")
    revision = small_network["practice"]
    assert practice["published_at"] == revision.state_changed_at.isoformat()
    assert practice["created_at"] == revision.practice.created_at.isoformat()


def test_export_partnership_entry_lists_only_the_cities_taking_part(small_network):
    partnership = export_document()["partnerships"][0]

    assert partnership["lead_city"] == "krakow"
    assert partnership["cities"] == [
        {"city": "krakow", "role": "lead", "status": "accepted"},
        {"city": "dakar", "role": "partner", "status": "accepted"},
    ]
    assert partnership["organisations"] == [
        {
            "name": "Kraków Public Library",
            "sector": "public",
            "country": "PL",
            "website": "https://library.example.org",
            "role": "Hosts the writers",
        }
    ]
    [call] = partnership["open_calls"]
    assert call["opens_on"] == CALL["opens_on"].isoformat()
    assert call["contact_email"] == CALL["contact_email"]
    assert partnership["start_date"] == "2024-03-01"
    assert partnership["objectives"] == ["international-cooperation"]


def test_export_city_entry(small_network):
    cities = export_document()["cities"]

    assert [city["slug"] for city in cities] == ["dakar", "krakow", "montreal"]
    krakow = cities[1]
    assert krakow["name"] == "Kraków"
    assert krakow["country"] == "PL"
    assert krakow["field"] == "literature"
    assert krakow["designation_year"] == 2013
    assert krakow["latitude"] == "48.8566"
    assert krakow["image"].startswith("pictures/city/")
    assert krakow["image_credit"] == "Photo: M. Nowak"
    assert "coordinators" not in krakow


def test_export_holds_the_seeded_fields_and_tags(db):
    document = export_document()

    assert [field["slug"] for field in document["creative_fields"]] == sorted(
        CreativeField.objects.values_list("slug", flat=True)
    )
    assert len(document["sdgs"]) == 17
    assert document["cities"] == document["practices"] == document["partnerships"] == []


def test_two_exports_differ_only_by_their_date(small_network):
    first, second = export_text(), export_text()

    def without_date_line(text):
        return [line for line in text.splitlines() if '"exported_at"' not in line]

    assert without_date_line(first) == without_date_line(second)


def test_export_is_indented_json_written_entry_by_entry(small_network):
    text = export_text()

    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"
    assert "Kraków" in text


def test_export_to_a_file_leaves_no_temporary_file(small_network, tmp_path):
    path = tmp_path / "exports" / "network.json"
    path.parent.mkdir()

    call_command("export_public_data", str(path), stdout=io.StringIO())

    assert without_date(json.loads(path.read_text(encoding="utf-8"))) == without_date(
        export_document()
    )
    assert [entry.name for entry in path.parent.iterdir()] == ["network.json"]


def test_export_to_a_missing_directory_fails_clearly(db, tmp_path):
    with pytest.raises(CommandError, match="cannot write the file"):
        call_command("export_public_data", str(tmp_path / "missing" / "network.json"))


def test_export_query_count_does_not_grow_with_the_practices(krakow, dakar):
    partnership = make_published_partnership(krakow, organisations=[LIBRARY], open_calls=[CALL])
    join(partnership.partnership, dakar)

    def add_practice(number):
        published_practice(
            krakow,
            f"Practice {number}",
            sdgs=["quality-education"],
            partnership=partnership.partnership,
            documents=[("Report", SimpleUploadedFile("report.pdf", PDF, "application/pdf"))],
        )

    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            document = export_document()
        return len(queries), len(document["practices"])

    add_practice(0)
    with_one = export_queries()
    for number in range(1, 10):
        add_practice(number)
    with_ten = export_queries()

    assert with_one[1] == 1
    assert with_ten[1] == 10
    assert with_ten[0] == with_one[0]


# Import: a round trip


@pytest.mark.parametrize("batch_size", [1000, 1])
def test_round_trip_gives_back_the_same_document(small_network, tmp_path, monkeypatch, batch_size):
    # With batches of one, every practice and partnership is written before the next is read.
    monkeypatch.setattr("rvcu.public_data.load.BATCH_SIZE", batch_size)
    exported = export_document()
    empty_the_network()

    output = import_document(exported, tmp_path)

    assert "3 cities, 2 practices, 1 partnerships" in output
    assert without_date(export_document()) == without_date(exported)


def test_imported_documents_are_published_revisions_on_the_public_pages(
    small_network, tmp_path, client
):
    exported = export_document()
    empty_the_network()
    import_document(exported, tmp_path)

    practice = Practice.objects.get(slug="music-in-the-libraries")
    revision = practice.published_revision
    assert (revision.number, revision.state) == (1, ReviewState.PUBLISHED)
    assert list(practice.revisions.all()) == [revision]
    assert PracticeRevision.objects.count() == 2
    response = client.get("/en/practices/music-in-the-libraries/")
    assert response.status_code == 200
    assert "Music in the libraries" in response.content.decode()
    assert "Literary residencies" in response.content.decode()
    response = client.get("/en/partnerships/literary-residencies/")
    assert response.status_code == 200
    assert "Kraków Public Library" in response.content.decode()
    assert client.get("/en/practices/a-draft-idea/").status_code == 404


def test_imported_revisions_have_the_search_document_save_computes(small_network, tmp_path):
    exported = export_document()
    empty_the_network()
    import_document(exported, tmp_path)

    for revision in [*PracticeRevision.objects.all(), *PartnershipRevision.objects.all()]:
        imported = revision.search_document
        revision.save()
        assert imported
        assert revision.search_document == imported


def test_imported_cities_have_their_derived_columns(small_network, tmp_path):
    exported = export_document()
    empty_the_network()
    import_document(exported, tmp_path)

    krakow = City.objects.get(slug="krakow")
    assert krakow.region == "europe-north-america"
    assert "krakow" in krakow.search_text
    assert krakow.coordinators.count() == 0


def test_import_reuses_organisations_left_in_the_database(small_network, tmp_path):
    exported = export_document()
    exported["partnerships"][0]["organisations"][0]["sector"] = "research"
    Practice.objects.all().delete()
    Partnership.objects.all().delete()
    City.objects.all().delete()
    library = Organisation.objects.get(name="Kraków Public Library")

    import_document(exported, tmp_path)

    assert Organisation.objects.get() == library
    role = OrganisationRole.objects.get()
    assert (role.organisation, role.sector) == (library, "research")


def test_import_keeps_what_each_partnership_says_of_a_shared_organisation(small_network, tmp_path):
    exported = export_document()
    other = copy.deepcopy(exported["partnerships"][0])
    other["slug"] = "library-nights"
    other["organisations"][0].update(sector="private", website="https://nights.example.org")
    exported["partnerships"].insert(0, other)  # the export lists them by slug
    empty_the_network()

    import_document(exported, tmp_path)

    assert Organisation.objects.count() == 1
    assert sorted(
        OrganisationRole.objects.values_list("revision__partnership__slug", "sector", "website")
    ) == [
        ("library-nights", "private", "https://nights.example.org"),
        ("literary-residencies", "public", "https://library.example.org"),
    ]
    assert export_document()["partnerships"] == exported["partnerships"]


def test_import_then_load_network_changes_no_city(small_network, tmp_path):
    exported = export_document()
    empty_the_network()
    import_document(exported, tmp_path)
    before = list(City.objects.order_by("pk").values("pk", "slug", "field", "designation_year"))

    call_command("load_network", stdout=io.StringIO())

    after = City.objects.order_by("pk").values("pk", "slug", "field", "designation_year")
    assert list(after)[: len(before)] == before


def test_import_updates_the_seeded_field_texts(db, tmp_path):
    exported = export_document()
    music = next(field for field in exported["creative_fields"] if field["slug"] == "music")
    music["name_fr"] = "Musique (nouveau nom)"
    exported["objectives"][0]["name_en"] = "A reworded objective"

    import_document(exported, tmp_path)

    assert CreativeField.objects.get(slug="music").name_fr == "Musique (nouveau nom)"
    assert Objective.objects.get(code=exported["objectives"][0]["code"]).name_en == (
        "A reworded objective"
    )


# Import: refusals


def test_import_refuses_a_database_that_holds_the_network(small_network, tmp_path):
    exported = export_document()
    before = database_snapshot()

    with pytest.raises(CommandError, match="already holds 3 cities, 4 practices, 2 partnerships"):
        import_document(exported, tmp_path)

    assert database_snapshot() == before


def test_import_reads_standard_input(small_network, monkeypatch):
    exported = export_document()
    empty_the_network()
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(exported)))

    call_command("import_public_data", "-", stdout=io.StringIO())

    assert without_date(export_document()) == without_date(exported)


def test_import_refuses_a_file_that_is_not_json(db, tmp_path):
    path = tmp_path / "network.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="not a JSON document"):
        call_command("import_public_data", str(path))


def test_import_refuses_a_file_that_is_not_an_object(db, tmp_path):
    path = tmp_path / "network.json"
    path.write_text("[1, 2]", encoding="utf-8")

    with pytest.raises(CommandError, match="does not hold a JSON object"):
        call_command("import_public_data", str(path))


def test_import_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        call_command("import_public_data", str(tmp_path / "missing.json"))


def practice_named(document, slug):
    return next(entry for entry in document["practices"] if entry["slug"] == slug)


def partnership_named(document, slug):
    return next(entry for entry in document["partnerships"] if entry["slug"] == slug)


def _set(path, value):
    def change(document):
        *parents, last = path
        target = document
        for key in parents:
            target = target[key]
        target[last] = value

    return change


def _drop(path):
    def change(document):
        *parents, last = path
        target = document
        for key in parents:
            target = target[key]
        del target[last]

    return change


# Practices are sorted by slug: 0 is music-in-the-libraries, 1 open-air-cinema.
BAD_FILES = {
    "wrong format": (_set(["format"], "something-else"), "format is 'something-else'"),
    "unknown version": (_set(["version"], 2), "unknown version 2"),
    "missing section": (_drop(["cities"]), "missing key 'cities'"),
    "section not a list": (_set(["practices"], {}), "'practices' is not a list"),
    "missing key": (
        _drop(["practices", 1, "summary"]),
        "practices[1] (slug 'open-air-cinema'): missing key 'summary'",
    ),
    "unknown city": (
        _set(["practices", 1, "city"], "atlantis"),
        "practices[1] (slug 'open-air-cinema'): unknown city 'atlantis'",
    ),
    "unknown field": (
        _set(["cities", 0, "field"], "poetry"),
        "cities[0] (slug 'dakar'): unknown creative field 'poetry'",
    ),
    "unknown tag": (
        _set(["practices", 0, "sdgs"], ["sdg-99"]),
        "practices[0] (slug 'music-in-the-libraries'): sdgs: unknown Sustainable "
        "Development Goal 'sdg-99'",
    ),
    "unknown partnership": (
        _set(["practices", 0, "partnership"], "lost-partnership"),
        "practices[0] (slug 'music-in-the-libraries'): unknown partnership 'lost-partnership'",
    ),
    "invalid value": (
        _set(["practices", 1, "year_started"], 1850),
        "practices[1] (slug 'open-air-cinema'): year_started:",
    ),
    "invalid choice": (
        _set(["partnerships", 0, "kind"], "party"),
        "partnerships[0] (slug 'literary-residencies'): kind: Value 'party'",
    ),
    "invalid date": (
        _set(["partnerships", 0, "open_calls", 0, "closes_on"], "2020-01-01"),
        "partnerships[0] (slug 'literary-residencies'): open_calls[0]: closes_on: "
        "The closing date cannot be before the opening date.",
    ),
    "picture without alt text": (
        _set(["cities", 1, "image_alt"], ""),
        "cities[1] (slug 'krakow'): image_alt: Describe the picture",
    ),
    "bad link": (
        _set(["practices", 0, "links"], "not a link"),
        "practices[0] (slug 'music-in-the-libraries'): links:",
    ),
    "duplicate slug": (
        _set(["practices", 1, "slug"], "music-in-the-libraries"),
        "practices[1] (slug 'music-in-the-libraries'): the slug 'music-in-the-libraries' is "
        "listed twice",
    ),
    "duplicate city slug": (
        _set(["cities", 2, "slug"], "krakow"),
        "cities[2] (slug 'krakow'): the slug 'krakow' is listed twice",
    ),
    "same city twice": (
        lambda document: document["cities"][2].update(name="Kraków", country="PL"),
        "cities[2] (slug 'montreal'): the city (name, country) ('Kraków', 'PL') is listed twice",
    ),
    "lead city not taking part": (
        _drop(["partnerships", 0, "cities", 0]),
        "partnerships[0] (slug 'literary-residencies'): 'cities' must list the lead city 'krakow'",
    ),
    "unknown participating city": (
        _set(["partnerships", 0, "cities", 1, "city"], "atlantis"),
        "partnerships[0] (slug 'literary-residencies'): cities[1]: unknown city 'atlantis'",
    ),
    "attachment without file name": (
        _drop(["practices", 0, "attachments", 0, "file"]),
        "practices[0] (slug 'music-in-the-libraries'): attachments[0]: missing key 'file'",
    ),
    "practice without an address": (
        _set(["practices", 0, "slug"], None),
        "practices[0]: slug: an address is needed",
    ),
    "partnership with an empty address": (
        _set(["partnerships", 0, "slug"], ""),
        "partnerships[0] (slug ''): slug: an address is needed",
    ),
    "entry not an object": (
        _set(["practices", 1], "open-air-cinema"),
        "practices[1]: not a JSON object",
    ),
    "bad field colour": (
        _set(["creative_fields", 0, "colour"], "#ffffff"),
        "creative_fields[0] (slug 'architecture'): colour:",
    ),
}


@pytest.mark.parametrize("problem", BAD_FILES)
def test_import_of_a_bad_file_names_the_entry_and_changes_nothing(small_network, tmp_path, problem):
    exported = export_document()
    empty_the_network()
    before = database_snapshot()
    change, message = BAD_FILES[problem]
    document = copy.deepcopy(exported)
    change(document)

    with pytest.raises(CommandError) as refused:
        import_document(document, tmp_path)

    assert "nothing was imported" in str(refused.value)
    assert message in str(refused.value)
    assert database_snapshot() == before


# The document's keys against the models: every field is exported or left out on purpose.

LEFT_OUT = {
    City: {
        "id",
        "region",  # derived from the country or region_override by City.save()
        "search_text",  # derived
        "coordinators",  # people
        "created_at",
        "updated_at",
    },
    Practice: {"id", "created_by", "published_revision"},
    PracticeRevision: {
        "id",
        "practice",
        "number",  # always 1 on import
        "author",  # a person
        "state",  # always published
        "search_document",  # derived by Revision.save()
        "created_at",
        "updated_at",
        "version",  # counts the saves of the content on this portal
    },
    PracticeAttachment: {"id", "revision"},
    Partnership: {"id", "created_by", "published_revision"},
    PartnershipRevision: {
        "id",
        "partnership",
        "number",
        "author",
        "state",
        "search_document",
        "version",
        "created_at",
        "updated_at",
    },
    Participation: {
        "id",
        "partnership",
        "invited_by",  # people
        "answered_by",
        "answered_at",  # the history of the invitation
        "created_at",
    },
    Organisation: {"id", "name_key", "created_at"},
    OrganisationRole: {"id", "revision"},
    OpenCall: {"id", "revision"},
}

EXPORTED = {
    City: {*schema.CITY_KEYS, "field"},
    Practice: {*schema.PRACTICE_KEYS, "city"},
    PracticeRevision: {
        *schema.PRACTICE_REVISION_KEYS,
        *schema.TAG_SECTIONS,
        "state_changed_at",  # as published_at
        "partnership",
    },
    PracticeAttachment: set(schema.ATTACHMENT_KEYS),
    Partnership: {*schema.PARTNERSHIP_KEYS, "lead_city", "cities"},
    PartnershipRevision: {
        *schema.PARTNERSHIP_REVISION_KEYS,
        *schema.TAG_SECTIONS,
        "state_changed_at",
    },
    Participation: {*schema.PARTICIPATION_KEYS, "city"},
    Organisation: set(schema.ORGANISATION_KEYS),
    OrganisationRole: {*schema.ORGANISATION_ROLE_KEYS, "organisation"},
    OpenCall: set(schema.OPEN_CALL_KEYS),
}


@pytest.mark.parametrize("model", list(EXPORTED), ids=lambda model: model.__name__)
def test_every_model_field_is_exported_or_left_out_on_purpose(model):
    # Columns the database computes (generated fields) are never written, so never exported.
    own_fields = {
        field.name
        for field in model._meta.get_fields()
        if (field.concrete and not field.generated)
        or (field.many_to_many and not field.auto_created)
    }

    assert own_fields == EXPORTED[model] | LEFT_OUT[model]
    assert not EXPORTED[model] & LEFT_OUT[model]
