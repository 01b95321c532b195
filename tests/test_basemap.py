"""geo.basemap: Natural Earth outlines around the corridor (fine on the coast, coarse far away) and towns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geo.basemap import DEFAULT_BBOX, WORLD_BBOX, basemap_geojson, town_labels
from geo.errors import BuildError

MODULES = Path(__file__).resolve().parent.parent / "node_modules"

pytestmark = pytest.mark.skipif(
    not (MODULES / "world-atlas").is_dir(), reason="node_modules absent: run `make node_modules` (npm ci)"
)
# Gwadar Port's berths and the South Free Zone, on the East Bay of the hammerhead (OpenStreetMap).
GWADAR_ON_LAND = [(62.344986, 25.110876), (62.335225, 25.109793), (62.3425, 25.116), (62.3301, 25.1087)]


@pytest.fixture(scope="module")
def basemap() -> dict:
    return basemap_geojson(MODULES)


def by_name(fc: dict, detail: str = "10m") -> dict:
    return {f["properties"]["name"]: shape(f["geometry"]) for f in fc["features"] if f["properties"]["detail"] == detail}


def test_pakistan_and_its_neighbours(basemap: dict) -> None:
    countries = by_name(basemap)
    assert {"Pakistan", "India", "Afghanistan", "Iran", "China"} <= countries.keys()
    pakistan = countries["Pakistan"]
    assert pakistan.contains(Point(74.34, 31.55))  # Lahore
    assert pakistan.contains(Point(67.01, 24.86))  # Karachi
    assert not pakistan.contains(Point(77.21, 28.61))  # Delhi
    assert countries["Afghanistan"].contains(Point(69.17, 34.53))  # Kabul


def test_gwadar_port_sits_on_land(basemap: dict) -> None:
    pakistan = by_name(basemap)["Pakistan"]
    for lon, lat in GWADAR_ON_LAND:
        assert pakistan.contains(Point(lon, lat)), (lon, lat)
    assert not pakistan.contains(Point(62.36, 25.08))  # the bay south of the port is sea


def test_far_outlines_fill_the_pannable_area_outside_the_detailed_box(basemap: dict) -> None:
    far = by_name(basemap, "110m")
    assert {"India", "Iran", "China", "Oman"} <= far.keys()
    west, south, east, north = DEFAULT_BBOX
    for geom in far.values():
        assert geom.intersection(shape({"type": "Polygon", "coordinates": [[[west + 0.1, south + 0.1], [east - 0.1, south + 0.1],
                                 [east - 0.1, north - 0.1], [west + 0.1, north - 0.1], [west + 0.1, south + 0.1]]]})).area < 1e-6
        minx, miny, maxx, maxy = geom.bounds
        assert WORLD_BBOX[0] <= minx and maxx <= WORLD_BBOX[2] and WORLD_BBOX[1] <= miny and maxy <= WORLD_BBOX[3]


def test_geometries_are_valid_and_oriented(basemap: dict) -> None:
    for feature in basemap["features"]:
        geom = shape(feature["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid and not geom.is_empty
        assert all(p.exterior.is_ccw for p in getattr(geom, "geoms", [geom]))  # RFC 7946 right-hand rule


def test_small_enough_to_embed_in_every_map(basemap: dict) -> None:
    assert len(json.dumps(basemap, separators=(",", ":"))) < 150_000


def test_towns_labelled_by_zoom() -> None:
    towns = {name: zoom for name, _, _, zoom in town_labels()}
    assert towns["Karachi"] == 5 and towns["Lahore"] == 5
    assert "Gwadar" in towns and towns["Gwadar"] > 5
    assert all(4 <= z <= 12 for z in towns.values())


@pytest.mark.parametrize("bbox", [(82.0, 20.0, 55.0, 40.0), (55.0, 20.0, 82.0), (0, 0, 200, 10), ("a", 0, 1, 1)])
def test_bad_bbox_is_a_value_error(bbox: tuple) -> None:
    with pytest.raises(ValueError, match="bbox"):
        basemap_geojson(MODULES, bbox)


def test_missing_world_atlas_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="npm ci"):
        basemap_geojson(tmp_path)
