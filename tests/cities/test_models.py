"""City and CreativeField: derived columns, database constraints, validation, search."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cities.models import City, CreativeField
from tests.factories import CityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("PL", "europe-north-america"),
        ("MA", "arab-states"),
        ("SN", "africa"),
        ("BR", "latin-america-caribbean"),
        ("JP", "asia-pacific"),
    ],
)
def test_city_region_follows_country(country, region):
    city = CityFactory(country=country)

    city.refresh_from_db()
    assert city.region == region


def test_city_region_override_wins_over_country():
    city = CityFactory(country="MA", region_override="europe-north-america")

    city.refresh_from_db()
    assert city.region == "europe-north-america"


def test_city_region_follows_country_change_on_save():
    city = CityFactory(country="PL")

    city.country = "JP"
    city.save()

    city.refresh_from_db()
    assert city.region == "asia-pacific"


@pytest.mark.parametrize(
    "values",
    [
        {"designation_year": 2003},
        {"latitude": Decimal("91")},
        {"latitude": Decimal("-90.5")},
        {"longitude": Decimal("180.5")},
    ],
    ids=["year-2003", "latitude-91", "latitude-minus-90.5", "longitude-180.5"],
)
def test_city_database_refuses_out_of_range_value(values):
    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(**values)


def test_city_database_refuses_duplicate_slug():
    CityFactory(name="Granada", country="ES", slug="granada")

    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(name="Granada", country="NI", slug="granada")


def test_city_database_refuses_same_name_in_same_country():
    CityFactory(name="Granada", country="ES", slug="granada")

    with pytest.raises(IntegrityError), transaction.atomic():
        CityFactory(name="Granada", country="ES", slug="granada-2")


def test_city_same_name_in_other_country_is_allowed():
    CityFactory(name="Granada", country="ES", slug="granada-spain")
    CityFactory(name="Granada", country="NI", slug="granada-nicaragua")

    assert City.objects.filter(name="Granada").count() == 2


def test_city_full_clean_refuses_future_year():
    city = CityFactory.build(designation_year=timezone.now().year + 1)

    with pytest.raises(ValidationError) as raised:
        city.full_clean()

    assert list(raised.value.error_dict) == ["designation_year"]


def test_city_full_clean_accepts_current_year():
    city = CityFactory.build(designation_year=timezone.now().year)

    city.full_clean()


def test_city_clean_refuses_image_without_alt_text_or_credit():
    city = CityFactory.build(image="cities/krakow.jpg", image_alt="", image_credit=" ")

    with pytest.raises(ValidationError) as raised:
        city.clean()

    assert set(raised.value.error_dict) == {"image_alt", "image_credit"}


def test_city_clean_accepts_image_with_alt_text_and_credit():
    city = CityFactory.build(
        image="cities/krakow.jpg", image_alt="The Cloth Hall at dusk", image_credit="M. Nowak"
    )

    city.clean()


def build_field(colour):
    return CreativeField(
        slug="poetry",
        name_en="Poetry",
        name_fr="Poésie",
        description_en="Cities of poems.",
        description_fr="Des villes de poèmes.",
        colour=colour,
    )


@pytest.mark.parametrize("colour", ["#ffff00", "#FFFFFF", "#7fbf7f", "#fff", "navy"])
def test_creative_field_full_clean_refuses_bad_colour(colour):
    with pytest.raises(ValidationError) as raised:
        build_field(colour).full_clean()

    assert list(raised.value.error_dict) == ["colour"]


@pytest.mark.parametrize("colour", ["#1F3A93", "#000000", "#8b1e2d"])
def test_creative_field_full_clean_accepts_dark_colour(colour):
    build_field(colour).full_clean()


def test_creative_field_database_refuses_colour_that_is_not_hex():
    with pytest.raises(IntegrityError), transaction.atomic():
        build_field("navy").save()


def test_creative_field_seeded_colours_are_valid():
    fields = CreativeField.objects.all()

    assert len(fields) == 8
    for field in fields:
        field.full_clean()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("krakow", ["krakow"]),
        ("Kraków", ["krakow"]),
        ("KRAKOW", ["krakow"]),
        ("pologne", ["krakow"]),
        ("poland", ["krakow"]),
        ("  krakow   pologne ", ["krakow"]),
        ("krakow france", []),
        ("lodz", ["lodz"]),
        ("senegal", ["dakar"]),
        ("sénégal", ["dakar"]),
        ("a", ["dakar", "krakow", "lodz"]),
        ("japon", ["lodz"]),
    ],
)
def test_city_search_ignores_accents_case_and_language(text, expected):
    CityFactory(name="Kraków", country="PL")
    CityFactory(name="Łódź", country="JP")
    CityFactory(name="Dakar", country="SN")

    found = City.objects.search(text).order_by("slug").values_list("slug", flat=True)

    assert list(found) == expected


def test_city_str_names_city_and_country():
    assert str(CityFactory.build(name="Kraków", country="PL")) == "Kraków (PL)"
