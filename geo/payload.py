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
from .credits import catalog_date
from .history import period
from .style import style_table

PRECISION = 5  # decimals kept on the map: about 1 m, finer than any location_precision
CODED = ("sector", "status", "subtype", "province", "location_precision", "programme")
# Properties the map shows; anything else stays out of the page.
MAP_FIELDS = (
    "id", "name", "aliases", "sector", "subtype", "status", "status_as_of", "province", "capacity_mw",
    "length_km", "cost_usd_m", "start_year", "completion_year", "location_precision", "programme", "notes",
    "disputes", "sources", "mentions", "documents", "document_count",
)
KIND = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 3, "MultiPolygon": 4, "MultiPoint": 5}
DRAW_ORDER = {0: 2, 5: 2, 1: 1, 2: 1, 3: 0, 4: 0}  # polygons under lines under points
# A source's fields that name its document: stored once per document, not once per quote.
DOCUMENT_FIELDS = ("kind", "document", "title", "author", "year", "url", "doi")


def _deltas(coords: np.ndarray, scale: int) -> list[int]:
    ints = np.round(coords[:, :2] * scale).astype(np.int64)
    return np.diff(ints, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel().tolist()


def encode_geometry(geom: shapely.Geometry, scale: int) -> tuple[int, Any]:
    """(kind code, nested integer-delta coordinates) of one geometry."""
    kind = KIND[geom.geom_type]
    if kind == 0:
        return kind, [round(geom.x * scale), round(geom.y * scale)]
    if kind in (1, 5):
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


def _anchor(geom: shapely.Geometry, scale: int) -> list[int] | None:
    """Where an area's symbol stands (inside it), so a polygon too can be clustered, hovered and found."""
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        return None
    point = geom.point_on_surface()
    return [round(point.x * scale), round(point.y * scale)]


def _history(value: Any, code: dict[str, int]) -> list[list[int]] | None:
    """A status history as [year, status code] pairs, in the catalog's order."""
    if not isinstance(value, list) or not value:
        return None
    # a date counts within its year: the slider shows the state at the end of each year, as geo.history.as_of does
    pairs = [[period(entry["date"])[1].year, entry["status"]] for entry in value]
    return [[y, code.setdefault(s, len(code))] for y, s in pairs] or None


def _split_sources(column: list[Any]) -> tuple[list[list[int]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Sources as indexes into a table of distinct sources, whose document fields index a table of documents."""
    documents: dict[str, int] = {}
    sources: dict[str, int] = {}
    coded = []
    for value in column:
        row = []
        for source in value or []:
            doc = {k: source[k] for k in DOCUMENT_FIELDS if k in source}
            rest = {k: v for k, v in source.items() if k not in DOCUMENT_FIELDS}
            rest["doc"] = documents.setdefault(json.dumps(doc, sort_keys=True, ensure_ascii=False), len(documents))
            row.append(sources.setdefault(json.dumps(rest, sort_keys=True, ensure_ascii=False), len(sources)))
        coded.append(row)
    return coded, [json.loads(s) for s in sources], [json.loads(d) for d in documents]


def build_payload(frame: gpd.GeoDataFrame, title: str, page: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-ready payload for one map of ``frame``; ``page`` carries what the page itself needs
    (links to the other maps, credits, the offline copy) to the script unchanged."""
    scale = 10**PRECISION
    encoded = [encode_geometry(g, scale) for g in frame.geometry.values]
    records = property_records(frame)
    # Drawing order: areas under lines under points; within each, by sector and status.
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
    sources: list[dict[str, Any]] = []
    documents: list[dict[str, Any]] = []
    if "sources" in columns:
        columns["sources"], sources, documents = _split_sources(columns["sources"])
    status_code = {word: n for n, word in enumerate(dictionaries.get("status", []))}
    history = [_history(row.get("status_history"), status_code) for row in rows]
    if "status" in dictionaries:
        dictionaries["status"] = list(status_code)
    years = [y for h in history if h for y, _ in h]
    bounds = [round(b, PRECISION) for b in frame.total_bounds] if len(frame) else None
    geoms = frame.geometry.values
    return {
        "title": title,
        "date": catalog_date(frame),
        "page": page or {},
        "style": style_table(),
        "precision": PRECISION,
        "bounds": bounds,
        "dict": dictionaries,
        "sources": sources,
        "documents": documents,
        "columns": columns,
        "history": history if years else None,
        "years": [min(years), max(years)] if years else None,
        "kinds": [encoded[i][0] for i in order],
        "coords": [encoded[i][1] for i in order],
        "anchors": [_anchor(geoms[i], scale) for i in order],
    }


def to_script_json(payload: dict[str, Any]) -> str:
    """JSON that is safe inside an HTML <script>: no '<', '>' or '&' can close the element."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")
