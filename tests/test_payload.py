"""The compact payload decodes back to the catalog, and is safe inside <script>."""

from __future__ import annotations

import json

import numpy as np
import shapely
from conftest import collection, map_features

from geo import load_catalog
from geo.catalog import property_records
from geo.payload import PRECISION, build_payload, to_script_json


def decode(payload: dict) -> list[dict]:
    """A Python twin of the map script's decoder (cpec-map.js), to check the encoding is lossless."""
    scale = 10 ** payload["precision"]

    def part(flat):
        pts = np.cumsum(np.asarray(flat, dtype=float).reshape(-1, 2), axis=0) / scale
        return pts.tolist()

    def nested(c, depth):
        return part(c) if depth == 0 else [nested(p, depth - 1) for p in c]

    out = []
    cols, dicts = payload["columns"], payload["dict"]
    for i, kind in enumerate(payload["kinds"]):
        row = {}
        for key, values in cols.items():
            value = values[i]
            if key in dicts and value is not None:
                value = [dicts[key][v] for v in value] if isinstance(value, list) else dicts[key][value]
            row[key] = value
        row["sources"] = [{**payload["documents"][payload["sources"][s]["doc"]],
                           **{k: v for k, v in payload["sources"][s].items() if k != "doc"}} for s in row.get("sources", [])]
        c = payload["coords"][i]
        if kind == 0:
            geom = shapely.Point(c[0] / scale, c[1] / scale)
        elif kind == 1:
            geom = shapely.LineString(part(c))
        elif kind == 2:
            geom = shapely.MultiLineString(nested(c, 1))
        elif kind == 3:
            rings = nested(c, 1)
            geom = shapely.Polygon(rings[0], rings[1:])
        else:
            geom = shapely.MultiPolygon([(p[0], p[1:]) for p in nested(c, 2)])
        out.append((row, geom))
    return out


def test_payload_decodes_to_the_catalog(write_catalog):
    frame = load_catalog([write_catalog(collection(*map_features()))])
    payload = build_payload(frame, "t")
    decoded = {row["id"]: (row, geom) for row, geom in decode(payload)}
    assert set(decoded) == set(frame["id"])
    for original, geometry in zip(property_records(frame), frame.geometry, strict=True):
        row, geom = decoded[original["id"]]
        for key in ("name", "sector", "status", "subtype", "province", "aliases", "sources", "capacity_mw"):
            assert row[key] == original[key], key
        assert shapely.equals_exact(geom, geometry, tolerance=10**-PRECISION)


def test_points_are_drawn_last(write_catalog):
    frame = load_catalog([write_catalog(collection(*map_features()))])
    kinds = build_payload(frame, "t")["kinds"]
    assert kinds == sorted(kinds, key=lambda k: {3: 0, 4: 0, 1: 1, 2: 1, 0: 2}[k])


def test_identical_sources_are_stored_once(write_catalog):
    frame = load_catalog([write_catalog(collection(*map_features()))])
    payload = build_payload(frame, "t")
    assert len(payload["sources"]) == 1 and len(payload["documents"]) == 1
    assert payload["columns"]["sources"] == [[0]] * len(frame)


def test_history_years_and_polygon_anchors(write_catalog):
    frame = load_catalog([write_catalog(collection(*map_features()))])
    payload = build_payload(frame, "t")
    years = [int(e["date"][:4]) for h in frame["status_history"] for e in h]
    assert payload["years"] == [min(years), max(years)]
    statuses = payload["dict"]["status"]
    histories = dict(zip(frame["id"], frame["status_history"], strict=True))
    for fid, history in zip(payload["columns"]["id"], payload["history"], strict=True):
        assert [[y, statuses[s]] for y, s in history] == [[int(e["date"][:4]), e["status"]] for e in histories[fid]]
    for kind, anchor, coords in zip(payload["kinds"], payload["anchors"], payload["coords"], strict=True):
        assert (anchor is not None) == (kind in (3, 4))
        if anchor:
            ring = np.cumsum(np.asarray(coords[0]).reshape(-1, 2), axis=0)
            assert shapely.Polygon(ring).contains(shapely.Point(anchor))  # inside the area it stands for
    assert payload["date"] == "2025"


def test_script_json_cannot_close_the_script_element():
    text = to_script_json({"name": "</script><script>alert(1)</script> & <!-- \u2028"})
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text)["name"].startswith("</script>")
