"""The server-drawn SVG map: projection and close-up frame."""

import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from cities.maps import MAP_HEIGHT, MAP_WIDTH, NetworkMap, project
from tests.factories import CityFactory

WORLD_SVG = Path(settings.BASE_DIR) / "static" / "img" / "world.svg"


def place(latitude, longitude):
    return SimpleNamespace(latitude=Decimal(str(latitude)), longitude=Decimal(str(longitude)))


def parse_view_box(view_box):
    left, top, width, height = (float(part) for part in view_box.split())
    return left, top, width, height


def test_project_puts_origin_at_map_centre():
    x, y = project(0, 0)

    assert x == pytest.approx(MAP_WIDTH / 2, abs=0.1)
    assert y == pytest.approx(MAP_HEIGHT / 2, abs=0.5)


@pytest.mark.parametrize(("longitude", "x"), [(180, MAP_WIDTH), (-180, 0)])
def test_project_puts_antimeridian_at_map_edges(longitude, x):
    assert project(0, longitude) == (pytest.approx(x, abs=0.1), project(0, 0)[1])


def test_project_puts_east_right_and_north_up():
    centre_x, centre_y = project(0, 0)

    assert project(0, 30)[0] > centre_x > project(0, -30)[0]
    assert project(45, 0)[1] < centre_y < project(-45, 0)[1]
    assert project(60, 0)[1] < project(30, 0)[1]


@pytest.mark.parametrize(("latitude", "y"), [(90, 0), (-90, MAP_HEIGHT)])
def test_project_puts_poles_at_top_and_bottom_edges(latitude, y):
    assert project(latitude, 0)[1] == pytest.approx(y, abs=0.5)


def test_world_outline_fits_the_map():
    svg = WORLD_SVG.read_text()
    numbers = [float(number) for number in re.findall(r"-?\d+(?:\.\d+)?", svg.split(' d="')[1])]
    xs, ys = numbers[0::2], numbers[1::2]

    assert f'viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}"' in svg
    assert 0 <= min(xs) and max(xs) <= MAP_WIDTH
    assert 0 <= min(ys) and max(ys) <= MAP_HEIGHT


def test_project_accepts_decimals():
    assert project(Decimal("50.0833"), Decimal("19.9167")) == project(50.0833, 19.9167)


def test_network_map_without_focus_shows_whole_map():
    network_map = NetworkMap([])

    assert network_map.view_box == f"0 0 {MAP_WIDTH} {MAP_HEIGHT}"


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(0, 0), (89, -179), (-89, 179), (89, 179), (-89, -179), (90, 180), (-90, -180)],
)
def test_network_map_focus_view_box_stays_within_map(latitude, longitude):
    network_map = NetworkMap([], focus=place(latitude, longitude))

    left, top, width, height = parse_view_box(network_map.view_box)
    assert width == NetworkMap.FOCUS_WIDTH
    assert 0 < height < width
    assert 0 <= left and left + width <= MAP_WIDTH
    assert 0 <= top and top + height <= MAP_HEIGHT


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (50.0833, 19.9167),  # Kraków
        (66.5, 25.7167),  # Rovaniemi, the northernmost member
        (-45.8742, 170.5036),  # Dunedin, the southernmost member
        (21.3069, -157.8583),  # near the antimeridian
        (-0.2298, -78.525),  # Quito
    ],
)
def test_network_map_focus_view_box_contains_the_city(latitude, longitude):
    network_map = NetworkMap([], focus=place(latitude, longitude))

    left, top, width, height = parse_view_box(network_map.view_box)
    x, y = project(latitude, longitude)
    assert left <= x <= left + width
    assert top <= y <= top + height


@pytest.mark.django_db
def test_network_map_groups_points_by_field_in_field_order():
    music = CityFactory.create_batch(2, field_slug="music")
    crafts = CityFactory(field_slug="crafts-folk-art")

    network_map = NetworkMap([*music, crafts])

    groups = [
        (field.slug, [point.city for point in points]) for field, points in network_map.groups
    ]
    assert groups == [("crafts-folk-art", [crafts]), ("music", music)]


def test_whole_map_links_cities_relative_to_the_directory_in_whole_units(krakow):
    network_map = NetworkMap([krakow], page_path="/en/cities/")

    (point,) = network_map.points
    assert point.href == "krakow/"
    assert isinstance(point.x, int) and isinstance(point.y, int)


def test_close_up_keeps_decimals_and_full_links(krakow):
    network_map = NetworkMap([krakow], focus=krakow)

    (point,) = network_map.points
    assert point.href == "/en/cities/krakow/"
    assert (point.x, point.y) == project(krakow.latitude, krakow.longitude)
