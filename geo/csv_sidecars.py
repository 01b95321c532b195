"""CSV that GDAL, QGIS and spreadsheets read right: typed, georeferenced, with cells a person can read.

A CSV says nothing of its columns' types or its CRS, so GDAL reads every field as text and knows no CRS. Beside
``NAME.csv`` an export writes the GeoCSV sidecars GDAL reads: ``NAME.csvt`` (each column's type: figures Real,
years Integer, flags Integer(Boolean), the ``wkt`` column WKT) and ``NAME.prj`` (WGS84, in a WKT that GDAL
identifies as EPSG:4326). The two long lists, ``sources`` and ``status_history`` (thousands of characters as
JSON), are summarised in the CSV (the main source; the dated statuses) and given whole in ``NAME.sources.csv``
and ``NAME.status_history.csv``, one row per entry, keyed by asset ``id``. ``labelled`` swaps codes
(``under_construction``) for the words people use.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyproj

from .catalog import property_records
from .credits import source_name
from .errors import ExportError
from .files import write_text_atomically
from .schema import NUMERIC_FIELDS, YEAR_FIELDS
from .style import PRECISION_LABELS, PROGRAMME_LABELS, label

DETAILED = ("sources", "status_history")  # summarised in the CSV, whole in NAME.<column>.csv
TRAILING = [("wkt", "WKT"), ("lon", "Real"), ("lat", "Real")]  # the columns the CSV writer adds after the properties
BOM = "\ufeff"  # Excel needs it to read UTF-8; GDAL, QGIS and pandas skip it


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _main_source(sources: Any, more_in: str) -> str | None:
    """The first source as one line: title, who, date, address; and where the others are."""
    if not sources:
        return None
    first = sources[0]
    parts = [first.get("title") or first.get("note"), source_name(first), first.get("date") or first.get("year"),
             first.get("url")]
    text = " | ".join(str(p) for p in parts if p)
    return f"{text} (+{len(sources) - 1} more in {more_in})" if len(sources) > 1 else text


def _history_summary(history: Any) -> str | None:
    """Dated statuses, oldest first: ``2013-07 planned; 2016-05 under construction``."""
    if not history:
        return None
    return "; ".join(f"{entry.get('date')} {label(str(entry.get('status')))}".lower() for entry in history)


def readable(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """``frame`` with the long lists summarised, for the CSV ``NAME.csv`` (``name``: its stem)."""
    out = frame.copy()
    if "sources" in out:
        out["sources"] = [_main_source(s, f"{name}.sources.csv") for s in out["sources"]]
    if "status_history" in out:
        out["status_history"] = [_history_summary(h) for h in out["status_history"]]
    return out


def labelled(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``frame`` with codes as words: statuses, sectors and types ("Under construction"), programmes
    ("Before CPEC") and location precision ("town or district only")."""
    out = frame.copy()
    words = {"programme": PROGRAMME_LABELS, "location_precision": PRECISION_LABELS}
    for column in ("sector", "subtype", "status", "programme", "location_precision"):
        if column in out:
            table = words.get(column)
            out[column] = [v if _is_missing(v) else table.get(v, v) if table else label(v) for v in out[column]]
    return out


def _type(column: str, values: Any) -> str:
    """A column's GDAL type: Real, Integer, Integer(Boolean) or String."""
    if column in NUMERIC_FIELDS:
        return "Real"
    if column in YEAR_FIELDS or column in ("year", "entry"):
        return "Integer"
    present = [v for v in values if not _is_missing(v)]
    return "Integer(Boolean)" if present and all(isinstance(v, bool) for v in present) else "String"


def _csvt(types: list[str]) -> str:
    return ",".join(f'"{t}"' for t in types) + "\n"


def _cell(value: Any) -> str:
    """A sidecar cell: empty for missing, flags as true/false, nested values as JSON text."""
    if _is_missing(value):
        return ""
    if isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _detail_table(frame: gpd.GeoDataFrame, column: str) -> tuple[str, str]:
    """One row per entry of ``column``'s lists: asset id, entry number (from 1), then the entry's fields;
    returns the CSV text and its .csvt."""
    rows = [{"id": rec["id"], "entry": n, **entry}
            for rec in property_records(frame) for n, entry in enumerate(rec.get(column) or [], start=1)]
    fields = list(dict.fromkeys(["id", "entry", *(key for row in rows for key in row)]))
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(fields)
    writer.writerows([_cell(row.get(f)) for f in fields] for row in rows)
    return BOM + text.getvalue(), _csvt([_type(f, [row.get(f) for row in rows]) for f in fields])


def csv_types(frame: gpd.GeoDataFrame) -> list[str]:
    """The .csvt of the CSV export of ``frame``: its property columns, then ``wkt``, ``lon``, ``lat``."""
    columns = [c for c in frame.columns if c != frame.geometry.name]
    return [*(_type(c, frame[c]) for c in columns), *(t for _, t in TRAILING)]


def write_sidecars(frame: gpd.GeoDataFrame, target: Path) -> list[Path]:
    """Write the sidecars of the CSV export of ``frame`` at ``target``, each whole or not at all; returns them."""
    stem = target.stem
    files = {
        target.with_suffix(".csvt"): _csvt(csv_types(readable(frame, stem))),
        target.with_suffix(".prj"): pyproj.CRS.from_epsg(4326).to_wkt("WKT1_GDAL") + "\n",
    }
    for column in DETAILED:
        if column in frame:
            table, types = _detail_table(frame, column)
            files[target.with_name(f"{stem}.{column}.csv")] = table
            files[target.with_name(f"{stem}.{column}.csvt")] = types
    try:
        for path, text in files.items():
            write_text_atomically(path, text)
    except OSError as exc:
        raise ExportError(f"could not write the CSV's sidecar files: {exc.strerror or exc}", path=target) from exc
    return list(files)
