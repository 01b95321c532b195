"""Country outlines to draw under the assets, since offline maps have no tile layer.

The outlines are Natural Earth 1:50m from the pinned npm package world-atlas (TopoJSON, read by
GDAL through pyogrio), cut down to the corridor's region so every map embeds only ~40 KB.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pyogrio
import shapely
from shapely.geometry import mapping

from .errors import BuildError

COUNTRIES = "world-atlas/countries-50m.json"
DEFAULT_BBOX: tuple[float, float, float, float] = (55.0, 20.0, 82.0, 40.0)
SIMPLIFY_DEG = 0.005  # ~500 m: invisible at the zooms a corridor map opens at, halves the size
GRID_DEG = 0.001  # coordinates rounded to 3 decimals (~100 m)


def basemap_geojson(modules_dir: Path, bbox: tuple[float, float, float, float] = DEFAULT_BBOX) -> dict[str, Any]:
    """Countries meeting ``bbox`` (west, south, east, north; degrees), clipped to it, as an
    RFC 7946 FeatureCollection whose features carry only ``name``. Returns a fresh dict each call
    (the work is cached per process)."""
    bbox = _check_bbox(bbox)
    return json.loads(_basemap_text(Path(modules_dir) / COUNTRIES, bbox))


def _check_bbox(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in bbox)
    except (TypeError, ValueError):
        raise ValueError(f"bbox must be four numbers (west, south, east, north), got {bbox!r}") from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(f"bbox must be west < east within ±180 and south < north within ±90, got {bbox!r}")
    return west, south, east, north


@functools.lru_cache(maxsize=8)
def _basemap_text(path: Path, bbox: tuple[float, float, float, float]) -> str:
    """The FeatureCollection serialized; cached as text so callers cannot mutate the cache."""
    if not path.is_file():
        raise BuildError("country outlines missing; run `make node_modules` (npm ci)", path=path)
    try:
        df = pyogrio.read_dataframe(path, layer="countries", columns=["name"], bbox=bbox)
    except Exception as e:  # GDAL reports unreadable files with several exception types
        raise BuildError(f"cannot read country outlines: {e}", path=path) from None
    # A few Natural Earth rings self-touch; "structure" repair keeps polygons polygonal.
    geoms = shapely.make_valid(df.geometry.values, method="structure", keep_collapsed=False)
    geoms = shapely.clip_by_rect(geoms, *bbox)
    geoms = shapely.simplify(geoms, SIMPLIFY_DEG, preserve_topology=True)
    geoms = shapely.orient_polygons(shapely.set_precision(geoms, GRID_DEG))  # RFC 7946 ring order
    features = [
        {"type": "Feature", "properties": {"name": str(name)}, "geometry": mapping(geom)}
        for name, geom in sorted(zip(df["name"], geoms, strict=True), key=lambda ng: str(ng[0]))
        if not geom.is_empty
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
