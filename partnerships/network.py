"""Figures of how the member cities cooperate, from the published partnerships.

`network_figures()` reads what it needs in six queries whatever the number of partnerships,
cities and organisations, and counts in Python. Only published partnerships count, and in them
only the cities taking part (an invitation not accepted, declined or left does not count).

The drawings of the network page (a heat matrix, bar charts) are laid out here too, so that the
templates only write numbers into SVG attributes.
"""

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations
from urllib.parse import urlencode

from django.urls import reverse

from cities.models import City, CreativeField
from cities.regions import Region

from .models import Participation, Partnership, Sector

CITY_PAIR_LIMIT = 20

# Heat matrix: the SVG user units of its parts, and how many shades the cells take.
MATRIX_LABEL_WIDTH = 250
MATRIX_HEADER_HEIGHT = 175
MATRIX_CELL = 70
MATRIX_SHADES = 4  # shades 1 to 4 for non-zero cells, 0 for empty ones
MATRIX_DARK_FROM = 3  # from this shade on, the number is written in white

# Bar charts: each row is a label above its bar, the value written after the bar's end.
BAR_CHART_WIDTH = 400
BAR_LENGTH_MAX = 340
BAR_ROW_HEIGHT = 46


@dataclass(frozen=True)
class MatrixCell:
    row: Region
    column: Region
    value: int
    shade: int  # 0 (no partnership) to MATRIX_SHADES (the largest value of the matrix)
    x: int
    y: int

    @property
    def is_dark(self):
        return self.shade >= MATRIX_DARK_FROM

    @property
    def text_x(self):
        return self.x + MATRIX_CELL // 2

    @property
    def text_y(self):
        return self.y + MATRIX_CELL // 2


@dataclass(frozen=True)
class MatrixRow:
    region: Region
    cells: list[MatrixCell]

    @property
    def values(self):
        return [cell.value for cell in self.cells]

    @property
    def label_y(self):
        return self.cells[0].y + MATRIX_CELL // 2


@dataclass(frozen=True)
class MatrixColumn:
    region: Region
    x: int  # where its rotated label starts, above the middle of the column


@dataclass(frozen=True)
class RegionMatrix:
    """Published partnerships joining a city of the row's region with a city of the column's
    region; on the diagonal, those with at least two cities of the same region. Symmetric."""

    rows: list[MatrixRow]
    columns: list[MatrixColumn]
    label_x: int = MATRIX_LABEL_WIDTH - 10
    header_y: int = MATRIX_HEADER_HEIGHT - 10
    cell_size: int = MATRIX_CELL
    width: int = MATRIX_LABEL_WIDTH + MATRIX_CELL * len(Region)
    height: int = MATRIX_HEADER_HEIGHT + MATRIX_CELL * len(Region)

    def value(self, row, column):
        return self.rows[Region.values.index(row)].cells[Region.values.index(column)].value


@dataclass(frozen=True)
class BarRow:
    key: str  # the sector or region value, the field slug
    label: str
    value: int
    percent: float  # of the chart's maximum, 0 to 100
    url: str
    y: int  # top of the row in the SVG

    @property
    def length(self):
        return round(self.percent * BAR_LENGTH_MAX / 100, 1)

    @property
    def bar_y(self):
        return self.y + 22

    @property
    def label_y(self):
        return self.y + 16

    @property
    def value_x(self):
        return self.length + 8

    @property
    def value_y(self):
        return self.y + 36


@dataclass(frozen=True)
class BarChart:
    rows: list[BarRow]
    max: int  # the value of a full-length bar
    width: int = BAR_CHART_WIDTH
    track_length: int = BAR_LENGTH_MAX

    @property
    def height(self):
        return BAR_ROW_HEIGHT * len(self.rows) + 4


@dataclass(frozen=True)
class CityPair:
    first: City  # the two cities in the order of their names
    second: City
    count: int  # published partnerships both take part in


@dataclass(frozen=True)
class RegionCities:
    region: Region
    cities: list[City]  # by name


@dataclass(frozen=True)
class NetworkFigures:
    partnership_count: int
    city_count: int  # cities taking part in at least one published partnership
    region_matrix: RegionMatrix
    city_pairs: list[CityPair]  # the CITY_PAIR_LIMIT pairs that share the most partnerships
    city_pair_count: int  # every pair of cities that share at least one partnership
    sectors: BarChart  # one row per Sector, zero rows included
    no_organisation_count: int  # published partnerships with no partner organisation
    by_field: BarChart  # one row per creative field
    by_region: BarChart  # one row per region
    # Member cities taking part in no published partnership, in the regions that have some
    # (a city always has a region: City.clean() asks for one when its country has none).
    cities_without: list[RegionCities]
    cities_without_count: int

    @property
    def more_city_pairs(self):
        return self.city_pair_count - len(self.city_pairs)


def network_figures():
    """How the member cities cooperate, in six queries (see the module's docstring)."""
    cities_of = _cities_by_partnership()
    sectors_of, partnership_ids = _sectors_by_partnership()
    fields_of = _fields_by_partnership()
    creative_fields = list(CreativeField.objects.all())
    cities_without = list(
        City.objects.members()
        .exclude(pk__in=_taking_part().values("city"))
        .only("pk", "name", "slug", "country", "region")
        .order_by("name", "country")
    )

    count = len(partnership_ids)
    list_url = reverse("partnerships:partnership-list")

    def link(name, value):
        return f"{list_url}?{urlencode({name: value})}"

    region_counts = Counter(
        region for cities in cities_of.values() for region in {city.region for city in cities}
    )
    sector_counts = Counter(sector for sectors in sectors_of.values() for sector in sectors)
    field_counts = Counter(field_id for ids in fields_of.values() for field_id in ids)
    pairs, pair_count = _city_pairs(cities_of)
    return NetworkFigures(
        partnership_count=count,
        city_count=len({city.pk for cities in cities_of.values() for city in cities}),
        region_matrix=_region_matrix(cities_of),
        city_pairs=pairs,
        city_pair_count=pair_count,
        sectors=_bar_chart(
            [
                (
                    sector.value,
                    sector.label,
                    sector_counts[sector.value],
                    link("sector", sector.value),
                )
                for sector in Sector
            ],
            maximum=count,
        ),
        no_organisation_count=count - sum(1 for sectors in sectors_of.values() if sectors),
        by_field=_bar_chart(
            [
                (item.slug, item.name, field_counts[item.pk], link("field", item.slug))
                for item in creative_fields
            ],
            maximum=count,
        ),
        by_region=_bar_chart(
            [
                (
                    region.value,
                    region.label,
                    region_counts[region.value],
                    link("region", region.value),
                )
                for region in Region
            ],
            maximum=count,
        ),
        cities_without=[
            RegionCities(region, cities)
            for region in Region
            if (cities := [city for city in cities_without if city.region == region])
        ],
        cities_without_count=sum(1 for city in cities_without if city.region in Region.values),
    )


def _taking_part():
    """Cities taking part in published partnerships."""
    return (
        Participation.objects.taking_part()
        .filter(partnership__published_revision__isnull=False)
        .order_by()
    )


def _cities_by_partnership():
    """{partnership id: [City, ...]}, one City object per city (thousands of participations
    are read as pairs of ids: building a model instance for each would cost more than the
    rest of the page)."""
    city_ids_of = defaultdict(list)
    for partnership_id, city_id in _taking_part().values_list("partnership_id", "city_id"):
        city_ids_of[partnership_id].append(city_id)
    cities = City.objects.filter(pk__in=_taking_part().values("city")).only(
        "name", "slug", "region", "country"
    )
    city_by_id = {city.pk: city for city in cities}
    return {
        partnership_id: [city_by_id[city_id] for city_id in city_ids]
        for partnership_id, city_ids in city_ids_of.items()
    }


def _sectors_by_partnership():
    """({partnership id: {sector, ...}}, every published partnership's id); the set is empty
    for a partnership with no partner organisation."""
    rows = (
        Partnership.objects.published()
        .order_by()
        .values_list("pk", "published_revision__organisation_roles__sector")
    )
    sectors_of = {}
    for partnership_id, sector in rows:
        sectors = sectors_of.setdefault(partnership_id, set())
        if sector is not None:
            sectors.add(sector)
    return sectors_of, set(sectors_of)


def _fields_by_partnership():
    """{partnership id: {creative field id, ...}} of the published revisions."""
    rows = (
        Partnership.objects.published()
        .filter(published_revision__fields__isnull=False)
        .order_by()
        .values_list("pk", "published_revision__fields")
    )
    fields_of = defaultdict(set)
    for partnership_id, field_id in rows:
        fields_of[partnership_id].add(field_id)
    return fields_of


def _region_matrix(cities_of):
    size = len(Region)
    index = {region.value: position for position, region in enumerate(Region)}
    values = [[0] * size for _ in range(size)]
    for cities in cities_of.values():
        per_region = Counter(index[city.region] for city in cities if city.region in index)
        for row, column in combinations(sorted(per_region), 2):
            values[row][column] += 1
            values[column][row] += 1
        for position, number in per_region.items():
            if number >= 2:
                values[position][position] += 1
    largest = max(max(row) for row in values)
    regions = list(Region)
    rows = [
        MatrixRow(
            region=regions[row],
            cells=[
                MatrixCell(
                    row=regions[row],
                    column=regions[column],
                    value=value,
                    shade=math.ceil(value * MATRIX_SHADES / largest) if value else 0,
                    x=MATRIX_LABEL_WIDTH + column * MATRIX_CELL,
                    y=MATRIX_HEADER_HEIGHT + row * MATRIX_CELL,
                )
                for column, value in enumerate(values[row])
            ],
        )
        for row in range(size)
    ]
    columns = [
        MatrixColumn(region, MATRIX_LABEL_WIDTH + position * MATRIX_CELL + MATRIX_CELL // 2)
        for position, region in enumerate(regions)
    ]
    return RegionMatrix(rows=rows, columns=columns)


def _city_pairs(cities_of):
    """The CITY_PAIR_LIMIT pairs sharing the most partnerships (then by names), and how many
    pairs there are in all."""
    cities = {
        city.pk: city for partnership_cities in cities_of.values() for city in partnership_cities
    }
    name_order = {pk: _by_name(city) for pk, city in cities.items()}
    shared = Counter()
    for partnership_cities in cities_of.values():
        ids = sorted((city.pk for city in partnership_cities), key=name_order.__getitem__)
        shared.update(combinations(ids, 2))
    ranked = heapq.nsmallest(
        CITY_PAIR_LIMIT,
        shared.items(),
        key=lambda item: (-item[1], name_order[item[0][0]], name_order[item[0][1]]),
    )
    pairs = [CityPair(cities[first], cities[second], count) for (first, second), count in ranked]
    return pairs, len(shared)


def _by_name(city):
    return (city.name.casefold(), city.name, city.pk)


def _bar_chart(items, *, maximum):
    """A chart of (key, label, value, url) items whose full-length bar is `maximum`."""
    rows = [
        BarRow(
            key=key,
            label=label,
            value=value,
            percent=round(value * 100 / maximum, 1) if maximum else 0,
            url=url,
            y=position * BAR_ROW_HEIGHT,
        )
        for position, (key, label, value, url) in enumerate(items)
    ]
    return BarChart(rows=rows, max=maximum)
