"""The measurements themselves: timers, the explore() baseline, the floor payload, extract text, profiles.

Kept apart from ``run.py`` (which only orders them and collects figures) so each figure says in
one place exactly what it times.
"""

from __future__ import annotations

import cProfile
import gzip
import io
import json
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import mapping

from geo.offline import inline_assets

FLOOR_FIELDS = ("id", "name", "status", "sector")
FLOOR_DECIMALS = 5


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time (time.perf_counter) of ``repeats`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


@contextmanager
def one_core() -> Iterator[int]:
    """Pin this thread to one CPU, so "on one core" is literally true; restored afterwards."""
    before = os.sched_getaffinity(0)
    core = min(before)
    os.sched_setaffinity(0, {core})
    try:
        yield core
    finally:
        os.sched_setaffinity(0, before)


def write_text(path: Path, text: str) -> int:
    """Write UTF-8 text; returns its size in bytes."""
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def gzip_size(path: Path) -> int:
    """Bytes after gzip -6: what a slow connection would carry if the page were served compressed."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


# --- baselines -------------------------------------------------------------------------------------


def explore_html(frame: gpd.GeoDataFrame, modules_dir: Path) -> str:
    """What a user would otherwise do: ``explore(tiles=None)``, rendered, made offline by our inliner."""
    fmap = frame.explore(tiles=None)
    return inline_assets(fmap.get_root().render(), modules_dir)


def _round(coords: Any) -> Any:
    if isinstance(coords[0], float):
        return [round(v, FLOOR_DECIMALS) for v in coords]
    return [_round(c) for c in coords]


def floor_geojson(frame: gpd.GeoDataFrame) -> str:
    """The least a map of these features must carry: RFC 7946 GeoJSON, 5 decimals, id/name/status/sector only."""
    props = frame[list(FLOOR_FIELDS)].to_dict(orient="records")
    features = []
    for p, geom in zip(props, frame.geometry.values, strict=True):
        g = mapping(geom)
        features.append({"type": "Feature", "properties": p,
                         "geometry": {"type": g["type"], "coordinates": _round(g["coordinates"])}})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":"))


def read_plain(paths: list[Path]) -> gpd.GeoDataFrame:
    """Plain geopandas reading of the same files (pyogrio, no validation): the load baseline."""
    return pd.concat([gpd.read_file(p, engine="pyogrio") for p in paths], ignore_index=True)


def export_plain(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Plain ``to_file`` GeoPackage (one layer; lists and dicts as JSON text, as GPKG needs): the export baseline."""
    plain = frame.copy()
    for col in plain.columns:
        if col != plain.geometry.name and plain[col].map(lambda v: isinstance(v, (list, dict))).any():
            plain[col] = plain[col].map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
    if path.exists():
        path.unlink()
    plain.to_file(path, driver="GPKG", engine="pyogrio")


# --- extract text ------------------------------------------------------------------------------------

FILLER = (
    "Officials met in {place} on Tuesday to review progress on the corridor.",
    "The committee noted that financing terms for projects near {place} remain under discussion.",
    "Critics argue that the benefits to communities around {place} have been limited, and that more transparency is needed.",
    "Trade between the two countries grew by {n} percent last year, according to the ministry.",
    "{place} is a growing city; its population has doubled since {year}.",
    "Security arrangements along the route from {place} were strengthened in {year}.",
)
NAMING = (
    "Work on the {name} resumed in {year} after a pause.",
    "The {name} was inaugurated by the prime minister.",
    "According to the report, the {name} will cost more than first announced.",
    "Local residents near the {name} were consulted in {year}.",
)
PLACES = ("Gwadar", "Lahore", "Karachi", "Islamabad", "Peshawar", "Multan", "Quetta", "Sukkur", "Gilgit", "Thar")


def extract_text(frame: gpd.GeoDataFrame, size: int, seed: int = 7) -> str:
    """About ``size`` bytes of news-like prose: one sentence in five names an asset (by name or alias)."""
    rng = np.random.default_rng(seed)
    names = frame["name"].tolist()
    aliases = [a for row in frame["aliases"] for a in (row if isinstance(row, list) else [])]
    pool = names + aliases
    parts: list[str] = []
    total = 0
    while total < size:
        paragraph = []
        for _ in range(int(rng.integers(3, 9))):
            if rng.random() < 0.2:
                s = NAMING[int(rng.integers(len(NAMING)))].format(name=pool[int(rng.integers(len(pool)))],
                                                                   year=int(rng.integers(2010, 2026)))
            else:
                s = FILLER[int(rng.integers(len(FILLER)))].format(place=PLACES[int(rng.integers(len(PLACES)))],
                                                                   n=int(rng.integers(2, 30)),
                                                                   year=int(rng.integers(1990, 2026)))
            paragraph.append(s)
        text = " ".join(paragraph) + "\n\n"
        parts.append(text)
        total += len(text.encode("utf-8"))
    return "".join(parts)


# --- profiles ----------------------------------------------------------------------------------------


def cprofile(fn: Callable[[], Any], lines: int = 14) -> str:
    """cProfile of one call: the top functions by own time, then by cumulative time (paths shortened)."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)
    text = out.getvalue()
    text = re.sub(r"/[^\s:]*/site-packages/", "", text)
    text = re.sub(r"/[^\s:]*/lib/python3\.\d+/", "", text)
    text = re.sub(r"/[^\s:]*?/(geo|bench)/", r"\1/", text)
    keep = [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("List reduced")]
    return "\n".join(keep)


_BLOCK_RE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_SIGNATURES = (  # (tag, label, text near the start); first match wins, so our own files come first
    ("script", "cpec-map.js", "cpec-map: draws"), ("style", "cpec-map.css", ".cpec-"),
    ("script", "Leaflet.Search JS", "Leaflet Control Search"), ("style", "Leaflet.Search CSS", "leaflet-control-search"),
    ("script", "Leaflet JS", "Leaflet 1."), ("style", "Leaflet CSS", ".leaflet-pane"), ("script", "jQuery", "jQuery v"),
    ("script", "Bootstrap JS", "Bootstrap v"), ("style", "Bootstrap CSS", "Bootstrap v"),
)


def _label(kind: str, attrs: str, body: str) -> str:
    if "application/json" in attrs:
        return "catalog payload (JSON data block)"
    head = body[:3000]
    label = next((name for tag, name, sig in _SIGNATURES if tag == kind.lower() and sig in head), None)
    if label is not None:
        return label
    if "cpecMapper.show(" in body:
        return "map script (basemap, cpecMapper.show call)"
    if "L.geoJson(" in body or "geo_json_" in body:
        return "map script (GeoJSON data + styling)"
    return f"{kind}: {' '.join(head.split())[:40]}"


def html_blocks(html: str) -> list[tuple[str, int]]:
    """The page's inline <script>/<style> blocks by size (bytes), labelled by what they hold."""
    blocks = [(_label(m.group(1), m.group(2), m.group(3)), len(m.group(3).encode("utf-8"))) for m in _BLOCK_RE.finditer(html)]
    blocks.sort(key=lambda b: -b[1])
    total = len(html.encode("utf-8"))
    blocks.append(("everything else (markup)", total - sum(b for _, b in blocks)))
    return blocks


def payload_parts(frame: gpd.GeoDataFrame, modules_dir: Path) -> list[tuple[str, int]]:
    """Our page's data by part (bytes of compact JSON): each payload key, each column, and the basemap."""
    from geo.basemap import basemap_geojson
    from geo.payload import build_payload

    payload = build_payload(frame, "CPEC assets")
    parts = [(f"payload.columns.{k}", _json_size(v)) for k, v in payload["columns"].items()]
    parts += [(f"payload.{k}", _json_size(v)) for k, v in payload.items() if k != "columns"]
    parts.append(("basemap (country outlines)", _json_size(basemap_geojson(modules_dir))))
    parts.sort(key=lambda p: -p[1])
    return parts


def _json_size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def explore_parts(frame: gpd.GeoDataFrame) -> list[tuple[str, int]]:
    """explore()'s GeoJSON by part: geometry and each property column, as geopandas writes them."""
    feats = json.loads(frame.to_json(na="null"))["features"]
    parts = [("geometry", _json_size([f["geometry"] for f in feats]))]
    parts += [(f"properties.{col}", _json_size([f["properties"].get(col) for f in feats])) for col in feats[0]["properties"]]
    parts.sort(key=lambda p: -p[1])
    return parts


def js_profile_top(profile: dict[str, Any], html_path: Path, lines: int = 12) -> list[tuple[str, float]]:
    """Self time (ms) by function from a CDP CPU profile, labelled with the inline block that holds it."""
    html = html_path.read_text(encoding="utf-8")
    blocks = [(html.count("\n", 0, m.start()), _label(m.group(1), m.group(2), m.group(3))) for m in _BLOCK_RE.finditer(html)]
    own: dict[int, float] = {}
    for node_id, dt in zip(profile.get("samples", []), profile.get("timeDeltas", []), strict=False):
        own[node_id] = own.get(node_id, 0.0) + dt / 1000
    totals: dict[str, float] = {}
    for node in profile["nodes"]:
        ms = own.get(node["id"], 0.0)
        if not ms:
            continue
        call = node["callFrame"]
        name = call["functionName"] or "(anonymous)"
        line = call.get("lineNumber", -1)
        where = ""
        if line >= 0 and call.get("url", "").startswith("file:"):
            block = [label for start, label in blocks if start <= line]
            where = f" [{block[-1]}]" if block else ""
        totals[name + where] = totals.get(name + where, 0.0) + ms
    return sorted(totals.items(), key=lambda kv: -kv[1])[:lines]
