"""Data rules the JSON Schema cannot say: a history that agrees with the asset's other facts, and a
geometry that fits the asset (areas as stated, both ends of a hydropower scheme, routes through their
towns, no two assets on one point, 'exact' only with a published coordinate)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely
from pyproj import Geod

from .gazetteer import km_from, lookup
from .history import period
from .schema import STATUSES

SQUARE_METRES_PER_ACRE = 4046.8564224
# A drawn zone may differ from its stated area by this factor either way.
AREA_FACTOR = 1.5
# A traced route passes within this distance of every town it names in geometry_source.via.
VIA_KM = 5.0
# Assets that occupy an area: drawn as polygons unless only their town or province is known.
AREA_SUBTYPES = frozenset({"sez", "free_zone", "airport", "solar", "smart_city"})
VAGUE_PRECISIONS = frozenset({"locality", "province"})
_GEOD = Geod(ellps="WGS84")

Found = tuple[str, str, str]  # field, issue slug, message


def history_problems(props: dict[str, Any]) -> Iterator[Found]:
    """Dates valid and in order; the last entry is the current status; years agree with the entries."""
    history = props.get("status_history")
    if not isinstance(history, list) or not history or not all(isinstance(e, dict) for e in history):
        return  # the schema reports the shape
    starts = []
    for i, entry in enumerate(history):
        try:
            starts.append(period(entry.get("date", ""))[0])
        except ValueError:
            yield f"status_history.{i}.date", "bad-date", f"{entry.get('date')!r} is not a real calendar date"
            return
    for i in range(1, len(starts)):
        if starts[i] < starts[i - 1]:
            yield (f"status_history.{i}.date", "history-order",
                   f"{history[i]['date']} comes after {history[i - 1]['date']}; list entries oldest first")
    last = history[-1]
    if props.get("status") in STATUSES and last.get("status") != props.get("status"):  # a wrong word: the schema says so
        yield ("status", "history-disagrees",
               f"status is {props.get('status')!r} but the last history entry says {last.get('status')!r}")
    if last.get("date") != props.get("status_as_of"):
        yield ("status_as_of", "history-disagrees",
               f"status_as_of is {props.get('status_as_of')!r} but the last history entry is dated {last.get('date')!r}")
    for field, status in (("start_year", "under_construction"), ("completion_year", "operational")):
        dated = [e["date"] for e in history if e.get("status") == status]
        year = props.get(field)
        if dated and isinstance(year, int) and year != int(dated[0][:4]):
            yield (field, "history-disagrees",
                   f"{field} is {year} but the history first says {status.replace('_', ' ')} in {dated[0]}")


def _acres(geom: shapely.Geometry) -> float:
    return abs(_GEOD.geometry_area_perimeter(geom)[0]) / SQUARE_METRES_PER_ACRE


def geodesic_km(lines: np.ndarray) -> np.ndarray:
    """The geodesic length of each (multi)line in km: every segment of every line in one pyproj call,
    summed per line (what Geod.geometry_length gives line by line, many times faster for many lines)."""
    parts, owner = shapely.get_parts(lines, return_index=True)
    coords, part = shapely.get_coordinates(parts, return_index=True)
    joined = part[1:] == part[:-1]  # consecutive vertices of one part make a segment
    a, b = coords[:-1][joined], coords[1:][joined]
    metres = _GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2] if len(a) else np.zeros(0)
    per_part = np.bincount(part[1:][joined], weights=metres, minlength=len(parts))
    return np.bincount(owner, weights=per_part, minlength=len(lines)) / 1000


def geometry_problems(props: dict[str, Any], geom: shapely.Geometry) -> Iterator[Found]:
    """One asset's geometry against what it is."""
    kind = shapely.get_type_id(geom)  # 0 point, 1 line, 3 polygon, 4 multipoint, 5 multiline, 6 multipolygon
    source = props.get("geometry_source") if isinstance(props.get("geometry_source"), dict) else {}
    precision, subtype = props.get("location_precision"), props.get("subtype")
    if precision == "exact" and (source.get("method") != "published_coordinate" or not source.get("url")):
        yield ("location_precision", "exact-without-source",
               "'exact' needs geometry_source.method 'published_coordinate' and the url of the page that gives it")
    stated = props.get("area_acres")
    if kind in (3, 6) and isinstance(stated, int | float) and not isinstance(stated, bool) and stated > 0:
        drawn = _acres(geom)
        if not stated / AREA_FACTOR <= drawn <= stated * AREA_FACTOR:
            yield ("area_acres", "area-mismatch",
                   f"polygon covers {drawn:,.0f} acres but area_acres says {stated:,.0f} (allowed: a factor of {AREA_FACTOR})")
    if subtype in AREA_SUBTYPES and precision not in VAGUE_PRECISIONS and kind not in (3, 6):
        yield ("geometry", "zone-not-polygon",
               f"the site of this {subtype.replace('_', ' ')} is known, so draw its outline (Polygon), not a point")
    if subtype == "hydro" and kind == 0:
        yield ("geometry", "hydro-one-end",
               "a hydropower scheme covers its dam or weir and its powerhouse: a MultiPoint of both, or a line between them")
    via = source.get("via") if isinstance(source.get("via"), list) else []
    for town in via:
        places = lookup(str(town))
        if not places:
            yield "geometry_source.via", "unknown-town", f"{town!r} is not in the GeoNames gazetteer; name it in detail instead"
        elif kind not in (1, 5):
            yield "geometry_source.via", "via-not-line", "only a line passes through towns; drop via"
        else:
            km = min(km_from(geom, t) for t in places)
            if km > VIA_KM:
                yield ("geometry", "misses-town",
                       f"the line passes {km:.1f} km from {town}, which it serves; draw it within {VIA_KM:g} km")


def shared_positions(ids: list[str], geoms: np.ndarray) -> Iterator[tuple[int, str]]:
    """(index, message) for each point-like asset placed on a position another asset already holds."""
    first: dict[tuple[float, float], str] = {}
    for i, (fid, geom) in enumerate(zip(ids, geoms, strict=True)):
        if shapely.get_type_id(geom) not in (0, 4):
            continue
        for lon, lat in {tuple(c) for c in shapely.get_coordinates(geom).tolist()}:
            owner = first.setdefault((lon, lat), fid)
            if owner != fid:
                yield i, f"[{lon}, {lat}] is also {owner}'s position; give each asset its own site"
                break
