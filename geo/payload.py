"""Turn a catalog frame into the compact payload the map script draws.

The payload is columnar: repeated words (sector, status, subtype, province, ...) become small
integer codes into a dictionary, identical sources are stored once, and coordinates become
integer deltas at a fixed precision. That keeps a map of many features a fraction of the size of
plain GeoJSON, while the popups still show every attribute.
"""

from __future__ import annotations

import json
import math
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from .catalog import property_records
from .style import style_table

PRECISION = 5  # decimals kept on the map: about 1 m, finer than any location_precision
CODED = ("sector", "status", "subtype", "province", "location_precision", "programme")
# Properties the map shows; anything else stays out of the page.
MAP_FIELDS = (
    "id", "name", "aliases", "sector", "subtype", "status", "status_as_of", "province", "capacity_mw",
    "length_km", "cost_usd_m", "start_year", "completion_year", "location_precision", "programme", "notes",
    "disputes", "sources", "mentions",
)
KIND = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 3, "MultiPolygon": 4}
DRAW_ORDER = {0: 2, 1: 1, 2: 1, 3: 0, 4: 0}  # polygons under lines under points


def _deltas(coords: np.ndarray, scale: int) -> list[int]:
    ints = np.round(coords[:, :2] * scale).astype(np.int64)
    return np.diff(ints, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel().tolist()


def encode_geometry(geom: shapely.Geometry, scale: int) -> tuple[int, Any]:
    """(kind code, nested integer-delta coordinates) of one geometry."""
    kind = KIND[geom.geom_type]
    if kind == 0:
        return kind, [round(geom.x * scale), round(geom.y * scale)]
    if kind == 1:
        return kind, _deltas(shapely.get_coordinates(geom), scale)
    if kind == 2:
        return kind, [_deltas(shapely.get_coordinates(g), scale) for g in geom.geoms]
    polygons = [geom] if kind == 3 else list(geom.geoms)
    rings = [[_deltas(shapely.get_coordinates(r), scale) for r in (p.exterior, *p.interiors)] for p in polygons]
    return kind, rings[0] if kind == 3 else rings


def _dictionary_encode(values: list[Any]) -> tuple[list[Any], list[str]]:
    """Words (or lists of words) as integer codes, and the dictionary that decodes them."""
    words: dict[str, int] = {}

    def code(word: str) -> int:
        return words.setdefault(word, len(words))

    coded = [None if v is None else [code(w) for w in v] if isinstance(v, list) else code(v) for v in values]
    return coded, list(words)


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == "" or (isinstance(value, float) and math.isnan(value))


def build_payload(frame: gpd.GeoDataFrame, title: str) -> dict[str, Any]:
    """The JSON-ready payload for one map of ``frame``."""
    scale = 10**PRECISION
    encoded = [encode_geometry(g, scale) for g in frame.geometry.values]
    records = property_records(frame)
    # Drawing order: polygons, lines, points; within each, features of one look together (canvas batches them).
    order = sorted(range(len(frame)),
                   key=lambda i: (DRAW_ORDER[encoded[i][0]], records[i]["sector"], records[i]["status"], i))
    rows = [records[i] for i in order]
    columns: dict[str, list[Any]] = {}
    dictionaries: dict[str, list[str]] = {}
    for field in MAP_FIELDS:
        values = [row.get(field) for row in rows]
        if field != "id" and all(_is_empty(v) for v in values):
            continue  # nothing to show: leave the column out
        if field in CODED:
            values, dictionaries[field] = _dictionary_encode(values)
        columns[field] = values
    sources: dict[str, int] = {}
    if "sources" in columns:
        columns["sources"] = [
            [sources.setdefault(json.dumps(s, sort_keys=True, ensure_ascii=False), len(sources)) for s in (v or [])]
            for v in columns["sources"]
        ]
    bounds = [round(b, PRECISION) for b in frame.total_bounds] if len(frame) else None
    return {
        "title": title,
        "style": style_table(),
        "precision": PRECISION,
        "bounds": bounds,
        "dict": dictionaries,
        "sources": [json.loads(s) for s in sources],
        "columns": columns,
        "kinds": [encoded[i][0] for i in order],
        "coords": [encoded[i][1] for i in order],
    }


def to_script_json(payload: dict[str, Any]) -> str:
    """JSON that is safe inside an HTML <script>: no '<', '>' or '&' can close the element."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")
