"""What offline maps draw under the assets instead of tiles: land, country outlines and place names.

Outlines are Natural Earth (pinned npm package world-atlas, TopoJSON read by GDAL through pyogrio) in
three levels of detail, so a page stays small yet Gwadar's port sits on land at street zoom:
1:10m along the coast around the corridor's ports, 1:10m generalised to ~500 m over the rest of
Pakistan and its borders, and 1:110m far outside, so zooming out never shows a clipped rectangle.
Place names are GeoNames towns (geo.gazetteer), each with the zoom from which it is labelled.
No registry package ships Pakistan's province outlines (npm and PyPI were searched), so none are drawn.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pyogrio
import shapely
from shapely.geometry import box, mapping

from .errors import BuildError
from .gazetteer import towns

DETAILED = "world-atlas/countries-10m.json"
GENERAL = "world-atlas/countries-110m.json"
Bbox = tuple[float, float, float, float]
DEFAULT_BBOX: Bbox = (59.0, 22.5, 79.0, 38.5)  # Pakistan and its borders, at 1:10m
COAST_BBOX: Bbox = (61.4, 24.0, 68.2, 25.9)  # the Makran and Sindh coast (Gwadar, Karachi, Port Qasim)
WORLD_BBOX: Bbox = (40.0, 8.0, 100.0, 52.0)  # what the map may pan over, at 1:110m
COAST_SIMPLIFY_DEG = 0.0002  # ~20 m: two pixels at zoom 14
INLAND_SIMPLIFY_DEG = 0.005  # ~500 m: invisible until zoom 11, and it halves the size
WORLD_SIMPLIFY_DEG = 0.05
GRID_DEG = 0.0001
# Zoom from which a town of at least this population is labelled (largest first).
LABEL_ZOOMS = ((1_000_000, 5), (250_000, 6), (100_000, 7), (40_000, 9), (15_000, 10), (0, 11))


def basemap_geojson(modules_dir: Path, bbox: Bbox = DEFAULT_BBOX) -> dict[str, Any]:
    """Country outlines as an RFC 7946 FeatureCollection: 1:10m clipped to ``bbox`` (west, south,
    east, north; degrees) with the coast kept fine, then 1:110m around it out to WORLD_BBOX.
    Features carry ``name`` and ``detail`` ("10m" or "110m"). A fresh dict each call (cached per process)."""
    return json.loads(_basemap_text(Path(modules_dir), _check_bbox(bbox)))


def town_labels() -> list[tuple[str, float, float, int]]:
    """(name, lon, lat, zoom from which it is labelled) of every Pakistani town in the gazetteer."""
    return [(t.name, t.lon, t.lat, next(z for floor, z in LABEL_ZOOMS if t.population >= floor)) for t in towns()]


def _check_bbox(bbox: Bbox) -> Bbox:
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise ValueError(f"bbox must be four numbers (west, south, east, north), got {bbox!r}") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(f"bbox must be west < east within ±180 and south < north within ±90, got {bbox!r}")
    return west, south, east, north


def _read(path: Path, bbox: Bbox) -> tuple[list[str], Any]:
    if not path.is_file():
        raise BuildError("country outlines missing; run `make node_modules` (npm ci)", path=path)
    try:
        df = pyogrio.read_dataframe(path, layer="countries", columns=["name"], bbox=bbox)
    except Exception as e:  # GDAL reports unreadable files with several exception types
        raise BuildError(f"cannot read country outlines: {e}", path=path) from None
    # A few Natural Earth rings self-touch; "structure" repair keeps polygons polygonal.
    return [str(n) for n in df["name"]], shapely.make_valid(df.geometry.values, method="structure", keep_collapsed=False)


def _tidy(geoms: Any) -> Any:
    geoms = shapely.make_valid(shapely.set_precision(geoms, GRID_DEG), method="structure", keep_collapsed=False)
    return shapely.orient_polygons(geoms)  # RFC 7946 ring order


@functools.lru_cache(maxsize=8)
def _basemap_text(modules_dir: Path, bbox: Bbox) -> str:
    """The FeatureCollection serialized; cached as text so callers cannot mutate the cache."""
    names, geoms = _read(modules_dir / DETAILED, bbox)
    inland = shapely.simplify(shapely.clip_by_rect(geoms, *bbox), INLAND_SIMPLIFY_DEG, preserve_topology=True)
    coast_box = box(*COAST_BBOX)
    coast = shapely.simplify(shapely.clip_by_rect(geoms, *COAST_BBOX), COAST_SIMPLIFY_DEG, preserve_topology=True)
    detailed = _tidy(shapely.union(shapely.difference(inland, coast_box), coast))
    far_names, far = _read(modules_dir / GENERAL, WORLD_BBOX)
    far = shapely.simplify(shapely.clip_by_rect(far, *WORLD_BBOX), WORLD_SIMPLIFY_DEG, preserve_topology=True)
    far = _tidy(shapely.difference(far, box(*bbox)))
    features = [
        {"type": "Feature", "properties": {"name": name, "detail": detail}, "geometry": mapping(geom)}
        for detail, pairs in (("110m", zip(far_names, far, strict=True)), ("10m", zip(names, detailed, strict=True)))
        for name, geom in sorted(pairs, key=lambda ng: ng[0])
        if not geom.is_empty and geom.geom_type in ("Polygon", "MultiPolygon")
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))


# Short enough for a phone's attribution line; the gazetteer module has the long form.
CREDITS = ("Outlines \u00a9 Natural Earth", "Towns \u00a9 GeoNames (CC BY 4.0)")
