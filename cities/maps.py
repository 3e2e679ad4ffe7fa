"""Server-rendered SVG maps of the network (no tiles, no third-party request).

Positions use the Natural Earth projection (Šavrič, Jenny, Patterson and Jenny, 2011); the world
outline in static/img/world.svg was drawn with the same function by scripts/build_world_map.py.
"""

import math
from dataclasses import dataclass

MAP_WIDTH = 1000
_X_EXTENT = math.pi * 0.8707  # x of longitude 180° on the equator
_Y_EXTENT = 1.4223905067305960  # y of latitude 90°
SCALE = MAP_WIDTH / (2 * _X_EXTENT)
MAP_HEIGHT = round(2 * _Y_EXTENT * SCALE)


def project(latitude, longitude):
    """SVG coordinates (x right, y down) of a point given in degrees."""
    phi = math.radians(float(latitude))
    lam = math.radians(float(longitude))
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return round((x + _X_EXTENT) * SCALE, 1), round((_Y_EXTENT - y) * SCALE, 1)


@dataclass(frozen=True)
class MapPoint:
    x: float
    y: float
    city: object
    href: str


class NetworkMap:
    """Cities placed on the world map; with `focus`, a close-up around that city."""

    FOCUS_WIDTH = 160  # SVG units: about 60° of longitude near the equator

    def __init__(self, cities, *, focus=None, page_path=""):
        """`page_path`: the address of the page showing the map; links to cities below it are
        written relative to it, which keeps a map of the 400 cities of the network light."""
        self.focus = focus
        self.points = [self._point(city, page_path) for city in cities]

    def _point(self, city, page_path):
        x, y = project(city.latitude, city.longitude)
        if self.focus is None:
            # A whole-world map is at most about 1,200 pixels wide: whole units are enough.
            x, y = round(x), round(y)
        href = city.get_absolute_url()
        if page_path and href.startswith(page_path) and href != page_path:
            href = href[len(page_path) :]
        return MapPoint(x, y, city, href)

    @property
    def groups(self):
        """The points grouped by creative field (one SVG group per colour), in field order."""
        groups = {}
        for point in self.points:
            groups.setdefault(point.city.field, []).append(point)
        return sorted(groups.items(), key=lambda item: (item[0].position, item[0].slug))

    @property
    def width(self):
        return MAP_WIDTH

    @property
    def height(self):
        return MAP_HEIGHT

    @property
    def view_box(self):
        if self.focus is None:
            return f"0 0 {MAP_WIDTH} {MAP_HEIGHT}"
        width = self.FOCUS_WIDTH
        height = round(width * 0.6)
        x, y = project(self.focus.latitude, self.focus.longitude)
        left = min(max(x - width / 2, 0), MAP_WIDTH - width)
        top = min(max(y - height / 2, 0), MAP_HEIGHT - height)
        return f"{left:g} {top:g} {width} {height}"
