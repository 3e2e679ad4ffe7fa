"""Draw static/img/world.svg from Natural Earth's 1:110m land (public domain).

The input is `land-110m.json` from the npm package world-atlas (TopoJSON):
    npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/build_world_map.py package/land-110m.json static/img/world.svg
Run it from the project root; the output is committed, so the portal never needs the input.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cities.maps import MAP_HEIGHT, MAP_WIDTH, project  # noqa: E402


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def ring_path(points, *, split_at_antimeridian=True):
    """An SVG path of a ring; a new sub-path starts where the ring crosses the antimeridian."""
    commands = []
    previous_longitude = None
    previous = None
    for longitude, latitude in points:
        x, y = project(latitude, longitude)
        crosses = split_at_antimeridian and abs(longitude - (previous_longitude or 0)) > 180
        if previous_longitude is None or crosses:
            commands.append(f"M{x:g} {y:g}")
        elif (x, y) != previous:
            commands.append(f"L{x:g} {y:g}")
        previous_longitude, previous = longitude, (x, y)
    return "".join(commands) + "Z"


def main(source, target):
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    paths = []
    for geometry in topology["objects"]["land"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                paths.append(ring_path(ring_points(ring, arcs)))
    outline = ring_path(
        [(-180, lat) for lat in range(-90, 91, 5)] + [(180, lat) for lat in range(90, -91, -5)],
        split_at_antimeridian=False,
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {MAP_WIDTH} {MAP_HEIGHT}">'
        f'<path fill="#dbe9f4" d="{outline}"/>'
        f'<path fill="#f4f1ea" stroke="#8a8f98" stroke-width="0.4" d="{"".join(paths)}"/>'
        "</svg>\n"
    )
    Path(target).write_text(svg)
    print(f"{target}: {len(svg)} bytes, {len(paths)} rings")


if __name__ == "__main__":
    main(*sys.argv[1:3])
