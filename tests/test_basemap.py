"""geo.basemap: Natural Earth outlines around the corridor, small and in lon/lat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from geo.basemap import DEFAULT_BBOX, basemap_geojson
from geo.errors import BuildError

MODULES = Path(__file__).resolve().parent.parent / "node_modules"

pytestmark = pytest.mark.skipif(
    not (MODULES / "world-atlas").is_dir(), reason="node_modules absent: run `make node_modules` (npm ci)"
)


@pytest.fixture(scope="module")
def basemap() -> dict:
    return basemap_geojson(MODULES)


def by_name(fc: dict) -> dict:
    return {f["properties"]["name"]: shape(f["geometry"]) for f in fc["features"]}


def test_pakistan_and_its_neighbours(basemap: dict) -> None:
    countries = by_name(basemap)
    assert {"Pakistan", "India", "Afghanistan", "Iran", "China"} <= countries.keys()
    assert "France" not in countries and "Brazil" not in countries
    pakistan = countries["Pakistan"]
    rep = pakistan.representative_point()
    assert 67 < rep.x < 72 and 28 < rep.y < 32  # lon/lat, not swapped, not quantized integers
    assert pakistan.contains(Point(74.34, 31.55))  # Lahore
    assert pakistan.contains(Point(67.01, 24.86))  # Karachi
    assert not pakistan.contains(Point(77.21, 28.61))  # Delhi
    assert countries["Afghanistan"].contains(Point(69.17, 34.53))  # Kabul
    assert countries["China"].contains(Point(75.99, 39.47))  # Kashgar, the corridor's northern end


def test_geometries_are_valid_clipped_and_rounded(basemap: dict) -> None:
    west, south, east, north = DEFAULT_BBOX
    assert basemap["type"] == "FeatureCollection"
    for feature in basemap["features"]:
        assert feature["type"] == "Feature"
        assert feature["properties"].keys() == {"name"}
        geom = shape(feature["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid and not geom.is_empty
        minx, miny, maxx, maxy = geom.bounds
        assert west <= minx and maxx <= east and south <= miny and maxy <= north
        polygons = getattr(geom, "geoms", [geom])
        assert all(p.exterior.is_ccw for p in polygons)  # RFC 7946 right-hand rule
        for x, y in (c for p in polygons for c in p.exterior.coords):
            assert round(x, 3) == x and round(y, 3) == y


def test_small_enough_to_embed_in_every_map(basemap: dict) -> None:
    assert len(json.dumps(basemap, separators=(",", ":"))) < 150_000


def test_other_bbox_and_fresh_copies() -> None:
    small = basemap_geojson(MODULES, (70.0, 30.0, 75.0, 35.0))
    assert "Iran" not in by_name(small) and "Pakistan" in by_name(small)
    small["features"].clear()  # the caller's copy is its own; the cache is untouched
    assert basemap_geojson(MODULES, (70.0, 30.0, 75.0, 35.0))["features"]


@pytest.mark.parametrize("bbox", [(82.0, 20.0, 55.0, 40.0), (55.0, 20.0, 82.0), (0, 0, 200, 10), ("a", 0, 1, 1)])
def test_bad_bbox_is_a_value_error(bbox: tuple) -> None:
    with pytest.raises(ValueError, match="bbox"):
        basemap_geojson(MODULES, bbox)


def test_missing_world_atlas_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="npm ci"):
        basemap_geojson(tmp_path)
