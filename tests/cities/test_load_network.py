"""The load_network command and the network_load importer behind it."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.utils import timezone

from cities.models import City

HEADER = "city,country_code,creative_field,designation_year,latitude,longitude"
KRAKOW = "Kraków,PL,literature,2013,50.0833,19.9167"
DAKAR = "Dakar,SN,media-arts,2014,14.6928,-17.4467"
GRANADA = "Granada,ES,literature,2014,37.1882,-3.6067"
GOOD_ROWS = (KRAKOW, DAKAR, GRANADA)
# Kraków with another year: a bad file below also carries this change, which must not land.
KRAKOW_CHANGED = "Kraków,PL,literature,2019,50.0833,19.9167"
NEXT_YEAR = timezone.now().year + 1

FIELD_COUNTS = {
    "architecture": 5,
    "crafts-folk-art": 77,
    "design": 53,
    "film": 30,
    "gastronomy": 66,
    "literature": 63,
    "media-arts": 27,
    "music": 84,
}


@pytest.fixture
def write_csv(tmp_path):
    """Write a member file to tmp_path: the header, then one line per row."""

    def write(*rows, header=HEADER, name="cities.csv"):
        path = tmp_path / name
        path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
        return path

    return write


def load(path=None):
    """Run the command (on the shipped file when path is None); return what it printed."""
    output = io.StringIO()
    call_command("load_network", *([str(path)] if path else []), stdout=output)
    return output.getvalue()


def database_snapshot():
    """Every column of every city, updated_at included."""
    return list(City.objects.order_by("pk").values())


@pytest.mark.django_db
def test_load_network_real_file_creates_every_member():
    output = load()

    assert "405 created, 0 updated, 0 unchanged." in output
    assert City.objects.count() == 405
    assert City.objects.members().count() == 405
    assert not City.objects.filter(region="").exists()
    assert not City.objects.filter(search_text="").exists()


def test_load_network_real_file_counts_per_field(network):
    counts = dict(City.objects.values_list("field__slug").annotate(count=Count("id")))

    assert counts == FIELD_COUNTS


def test_load_network_rerun_changes_nothing(network):
    before = database_snapshot()

    output = load()

    assert "0 created, 0 updated, 405 unchanged." in output
    assert "not in the file" not in output
    assert database_snapshot() == before


def test_load_network_real_file_slugs_are_readable_and_unique(network):
    slugs = {
        (name, country): slug
        for name, country, slug in City.objects.filter(
            name__in=["Granada", "Kraków", "Łódź"]
        ).values_list("name", "country", "slug")
    }

    assert slugs == {
        ("Granada", "ES"): "granada-spain",
        ("Granada", "NI"): "granada-nicaragua",
        ("Kraków", "PL"): "krakow",
        ("Łódź", "PL"): "lodz",
    }
    assert City.objects.values("slug").distinct().count() == 405


@pytest.mark.django_db
def test_load_network_small_file_creates_cities_with_derived_columns(write_csv):
    output = load(write_csv(*GOOD_ROWS))

    assert "3 created, 0 updated, 0 unchanged." in output
    krakow = City.objects.get(slug="krakow")
    assert krakow.name == "Kraków"
    assert krakow.country.code == "PL"
    assert krakow.field.slug == "literature"
    assert krakow.designation_year == 2013
    assert str(krakow.latitude) == "50.0833"
    assert str(krakow.longitude) == "19.9167"
    assert krakow.region == "europe-north-america"
    assert City.objects.get(slug="dakar").region == "africa"


@pytest.mark.django_db
def test_load_network_changed_row_updates_that_city_only(write_csv):
    load(write_csv(*GOOD_ROWS))
    before = {city["slug"]: city for city in database_snapshot()}

    output = load(write_csv(KRAKOW, "Dakar,SN,media-arts,2016,14.6928,-17.4467", GRANADA))

    assert "0 created, 1 updated, 2 unchanged." in output
    after = {city["slug"]: city for city in database_snapshot()}
    assert after.keys() == before.keys()
    assert after["dakar"]["designation_year"] == 2016
    assert after["dakar"]["updated_at"] > before["dakar"]["updated_at"]
    assert after["krakow"] == before["krakow"]
    assert after["granada"] == before["granada"]


@pytest.mark.django_db
def test_load_network_new_row_creates_that_city_only(write_csv):
    load(write_csv(KRAKOW, DAKAR))
    before = database_snapshot()

    output = load(write_csv(*GOOD_ROWS))

    assert "1 created, 0 updated, 2 unchanged." in output
    assert database_snapshot()[:2] == before
    assert City.objects.get(name="Granada").slug == "granada"


@pytest.mark.django_db
def test_load_network_city_missing_from_file_is_kept_and_reported(write_csv):
    load(write_csv(*GOOD_ROWS))

    output = load(write_csv(KRAKOW, GRANADA))

    assert "1 cities are not in the file: Dakar (SN)" in output
    assert City.objects.filter(slug="dakar", is_member=True).exists()


@pytest.mark.django_db
def test_load_network_name_shared_by_two_countries_gets_country_slugs(write_csv):
    load(write_csv(GRANADA, "Granada,NI,design,2023,11.9299,-85.9560"))

    assert set(City.objects.values_list("slug", flat=True)) == {
        "granada-spain",
        "granada-nicaragua",
    }


@pytest.mark.django_db
def test_load_network_file_with_byte_order_mark_loads(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("\n".join([HEADER, KRAKOW]) + "\n", encoding="utf-8-sig")

    output = load(path)

    assert "1 created" in output
    assert City.objects.get().slug == "krakow"


BAD_FILES = [
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,poetry,2008,45.7640,4.8357"],
        ["line 4", "unknown creative field 'poetry'"],
        id="unknown-field",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, "Lyon,XX,gastronomy,2008,45.7640,4.8357", DAKAR],
        ["line 3", "unknown country code 'XX'"],
        id="unknown-country-code",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,France,gastronomy,2008,45.7640,4.8357"],
        ["line 4", "unknown country code 'France'"],
        id="country-name-instead-of-code",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "McMurdo,AQ,music,2008,-77.8419,166.6863"],
        ["line 4", "no UNESCO region is known for country 'AQ'"],
        id="country-without-region",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,soon,45.7640,4.8357"],
        ["line 4", "bad designation year 'soon'"],
        id="year-not-a-number",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,2003,45.7640,4.8357"],
        ["line 4", "bad designation year '2003'", "from 2004"],
        id="year-before-the-network",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, f"Lyon,FR,gastronomy,{NEXT_YEAR},45.7640,4.8357"],
        ["line 4", f"bad designation year '{NEXT_YEAR}'"],
        id="year-in-the-future",
    ),
    pytest.param(
        "city,country_code,creative_field,designation_year,longitude",
        ["Kraków,PL,literature,2019,19.9167"],
        ["line 1", "missing column(s): latitude"],
        id="missing-column",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "DAKAR,SN,music,2016,14.6928,-17.4467"],
        ["line 4", "duplicate city 'DAKAR' (SN), already on line 3"],
        id="duplicate-city",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,2008,91,4.8357"],
        ["line 4", "bad latitude '91'"],
        id="latitude-out-of-range",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,2008,north,4.8357"],
        ["line 4", "bad latitude 'north'"],
        id="latitude-not-a-number",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,2008,,4.8357"],
        ["line 4", "bad latitude ''"],
        id="latitude-empty",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,2008,NaN,4.8357"],
        ["line 4", "bad latitude 'NaN'"],
        id="latitude-nan",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, "Lyon,FR,gastronomy,2008,45.7640,-180.5"],
        ["line 4", "bad longitude '-180.5'"],
        id="longitude-out-of-range",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, ",FR,gastronomy,2008,45.7640,4.8357"],
        ["line 4", "the city name is empty"],
        id="empty-name",
    ),
    pytest.param(
        HEADER,
        [KRAKOW_CHANGED, DAKAR, f"{'Llan' * 31},GB,music,2008,53.2,-4.2"],
        ["line 4", "name"],
        id="name-longer-than-the-column",
    ),
    pytest.param(HEADER, [], ["the file has no city"], id="no-city"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("header", "rows", "expected"), BAD_FILES)
def test_load_network_bad_file_names_the_problem_and_changes_nothing(
    write_csv, header, rows, expected
):
    load(write_csv(*GOOD_ROWS, name="good.csv"))
    before = database_snapshot()

    with pytest.raises(CommandError) as raised:
        load(write_csv(*rows, header=header, name="bad.csv"))

    message = str(raised.value)
    assert "bad.csv: nothing was loaded." in message
    for fragment in expected:
        assert fragment in message
    assert database_snapshot() == before


@pytest.mark.django_db
def test_load_network_bad_file_lists_every_bad_line(write_csv):
    path = write_csv(
        "Lyon,FR,poetry,2008,45.7640,4.8357",
        DAKAR,
        "Turin,IT,design,2002,45.0703,7.6869",
    )

    with pytest.raises(CommandError) as raised:
        load(path)

    message = str(raised.value)
    assert "line 2: unknown creative field 'poetry'" in message
    assert "line 4: bad designation year '2002'" in message
    assert "line 3" not in message
    assert not City.objects.exists()


@pytest.mark.django_db
def test_load_network_missing_file_raises_command_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read the file"):
        load(tmp_path / "nowhere.csv")


@pytest.mark.django_db
def test_load_network_file_not_utf8_raises_command_error(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_text("\n".join([HEADER, KRAKOW]) + "\n", encoding="latin-1")

    with pytest.raises(CommandError, match="not UTF-8"):
        load(path)
    assert not City.objects.exists()
