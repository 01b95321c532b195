"""Check raw features against the schema and the data-honesty rules.

Validation yields issues instead of raising, so that one run reports every problem in
every file. Each check is a small function yielding ``Issue`` objects; each issue kind has
a kebab-case slug. Geometry checks run vectorised over the whole catalog (shapely, pyproj).
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import numpy as np
import shapely

from .errors import CatalogError
from .reader import RawFeature, data_files, features_of, read_json
from .rules import geodesic_km, geometry_problems, history_problems, shared_positions
from .schema import PAKISTAN_BBOX, asset_schema, documents, properties_schema, suggest

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
# How deep the coordinates of each geometry type nest, and the fewest positions a part needs.
_DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}
LENGTH_TOLERANCE = 0.20
# A schematic route (towns joined, bends not traced) may be drawn this much shorter than stated.
SCHEMATIC_SHORTFALL = 0.40
MAX_QUOTE_WORDS = 30


@dataclass(frozen=True)
class Issue:
    """One problem: where it is, what kind it is (a slug), and a message saying how to fix it."""

    path: str
    feature: str | int | None
    field: str | None
    type: str
    message: str

    def __str__(self) -> str:
        return str(CatalogError(f"{self.message} [{self.type}]", path=self.path, feature=self.feature, field=self.field))

    def row(self) -> list[Any]:
        return [self.path, self.feature, self.field, self.type, self.message]


@dataclass
class Report:
    """The outcome of a validation run."""

    issues: list[Issue] = field(default_factory=list)
    features: int = 0
    # The shapely geometry of each feature, in order, when every one could be read: parsed once here,
    # so loading the catalog does not parse them again.
    geometries: np.ndarray | None = None

    @property
    def valid(self) -> bool:
        return not self.issues

    def flatten(self) -> list[list[Any]]:
        """[feature, field, type] rows, the form tests compare."""
        return [[i.feature, i.field, i.type] for i in self.issues]


Check = Callable[[RawFeature], Iterator[Issue]]


def _issue(rec: RawFeature, field: str | None, kind: str, message: str) -> Issue:
    return Issue(rec.path, rec.label, field, kind, message)


# --- structure and properties -------------------------------------------------------------


def check_structure(rec: RawFeature) -> Iterator[Issue]:
    """A Feature object with a properties object."""
    data = rec.data
    if not isinstance(data, dict) or data.get("type") != "Feature":
        yield _issue(rec, None, "not-a-feature", "expected a GeoJSON Feature object")
    elif not isinstance(data.get("properties"), dict):
        yield _issue(rec, "properties", "missing-properties", "Feature has no properties object")


@lru_cache(maxsize=1)
def _properties_validator() -> jsonschema.Draft7Validator:
    """Reports every schema error of a feature, with its path; thorough but slow."""
    return jsonschema.Draft7Validator(properties_schema())


@lru_cache(maxsize=1)
def _properties_are_valid() -> Callable[[Any], Any]:
    """The same schema compiled to Python code: a fast yes/no for the common, valid case."""
    return fastjsonschema.compile(properties_schema())


def _schema_issue(rec: RawFeature, error: jsonschema.ValidationError) -> Issue:
    path = [p for p in error.absolute_path]
    fld = ".".join(str(p) for p in path) or None
    top = str(path[0]) if path else None
    if error.validator == "required":
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        name = missing[0] if missing else None
        if top == "sources" or (not path and name == "sources"):
            return _issue(rec, "sources" if not path else fld, "missing-source", error.message)
        return _issue(rec, ".".join([*map(str, path), name]) if name else fld, "missing-field",
                      "required property missing; use null where the value is unknown")
    if error.validator == "enum":
        choices = error.validator_value
        return _issue(rec, fld, "unknown-word", f"{error.instance!r} is not allowed; {suggest(str(error.instance), choices)}")
    if error.validator == "minProperties" and top == "status_history":
        return _issue(rec, fld, "missing-source", "history entry cites nothing: give a source {title, url} or an editors' note")
    if error.validator == "minItems" and top == "sources":
        return _issue(rec, fld, "missing-source", "no source: every asset needs at least one source")
    if error.validator == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return _issue(rec, fld, "wrong-type", f"{error.instance!r} is a {type(error.instance).__name__}, expected {expected}")
    return _issue(rec, fld, "schema", error.message)


def check_properties(rec: RawFeature) -> Iterator[Issue]:
    """The properties against data/asset.schema.json."""
    props = rec.data.get("properties") if isinstance(rec.data, dict) else None
    if not isinstance(props, dict):
        return
    try:
        _properties_are_valid()(props)
        return
    except fastjsonschema.JsonSchemaException as exc:
        refused = exc  # find and describe every error below
    errors = sorted(_properties_validator().iter_errors(props), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        yield _schema_issue(rec, error)
    if not errors:  # the two validators disagree: never let a refused feature through unreported
        yield _issue(rec, None, "schema", str(refused))


def check_years(rec: RawFeature) -> Iterator[Issue]:
    props = rec.data["properties"]
    start, end = props.get("start_year"), props.get("completion_year")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        yield _issue(rec, "completion_year", "years-reversed", f"completion {end} is before start {start}")


def check_history(rec: RawFeature) -> Iterator[Issue]:
    """The status history agrees with itself and with the asset's status and years."""
    for fld, kind, message in history_problems(rec.data["properties"]):
        yield _issue(rec, fld, kind, message)


def check_disputes(rec: RawFeature) -> Iterator[Issue]:
    props = rec.data["properties"]
    known = set(asset_schema()["properties"]["properties"]["properties"])
    disputes = props.get("disputes")
    for i, dispute in enumerate(disputes if isinstance(disputes, list) else []):
        if isinstance(dispute, dict) and (not isinstance(dispute.get("field"), str) or dispute["field"] not in known):
            yield _issue(rec, f"disputes.{i}.field", "unknown-field", f"{dispute.get('field')!r} is not a property")


# --- sources and quotes -------------------------------------------------------------------

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")
_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise_text(text: str) -> str:
    """Text as quotes are compared: markdown escapes undone, typographic marks folded, spaces collapsed."""
    return " ".join(_MD_ESCAPE.sub(r"\1", text).translate(_FOLD).split())


@lru_cache(maxsize=32)
def _document_text(path: Path) -> str:
    return normalise_text(path.read_text(encoding="utf-8", errors="replace"))


def check_sources(documents_dir: Path | None) -> Check:
    """Document sources name a known document and quote it verbatim (when the text is at hand)."""
    docs = documents()

    def check(rec: RawFeature) -> Iterator[Issue]:
        sources = rec.data["properties"].get("sources")
        if not isinstance(sources, list):
            return
        for i, src in enumerate(sources):
            if not isinstance(src, dict) or src.get("kind") != "document":
                continue
            where = f"sources.{i}"
            key, quote = src.get("document"), src.get("quote")
            if key not in docs:
                yield _issue(rec, f"{where}.document", "unknown-document",
                             f"{key!r} is not a key of data/documents.json; {suggest(str(key), list(docs))}")
                continue
            if not isinstance(quote, str) or not quote.strip():
                yield _issue(rec, f"{where}.quote", "missing-quote", "a document source needs a verbatim quote")
                continue
            words = len(quote.split())
            if words >= MAX_QUOTE_WORDS:
                yield _issue(rec, f"{where}.quote", "quote-too-long", f"quote has {words} words; keep it under {MAX_QUOTE_WORDS}")
            text_path = documents_dir / docs[key]["file"] if documents_dir else None
            if text_path and not text_path.is_file():
                yield _issue(rec, f"{where}.document", "missing-document",
                             f"{docs[key]['file']} is not in {documents_dir}, so the quote cannot be checked")
            elif text_path and normalise_text(quote) not in _document_text(text_path):
                yield _issue(rec, f"{where}.quote", "quote-not-found",
                             f"quote does not occur in {docs[key]['file']}: {quote[:60]!r}")

    return check


# --- geometry ---------------------------------------------------------------------------------


COORDINATE_PROBLEMS = {
    "bad-position": "{where}: coordinate {value!r} is not a number",
    "not-finite": "{where}: coordinate {value!r} is not finite",
    "too-precise": "{where}: {value!r} has more than 6 decimals",
}


def _coordinate_problem(value: Any) -> str | None:
    """What is wrong with one coordinate, if anything: the one test of both the fast and the slow path."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "bad-position"
    try:
        if not math.isfinite(value):
            return "not-finite"
    except OverflowError:  # an integer beyond any float
        return "not-finite"
    return "too-precise" if round(value, 6) != value else None


def _walk_positions(coords: Any, depth: int, where: str) -> Iterator[tuple[str, str]]:
    """Structural problems of a coordinates array nested ``depth`` levels above positions."""
    if depth == 0:
        if not isinstance(coords, list) or len(coords) < 2:
            yield "bad-position", f"{where}: a position is [lon, lat], found {coords!r}"[:160]
            return
        if len(coords) > 2:
            yield "3d-coordinates", f"{where}: position has {len(coords)} values; store 2-D [lon, lat] only"
        for value in coords[:2]:
            problem = _coordinate_problem(value)
            if problem:
                yield problem, COORDINATE_PROBLEMS[problem].format(where=where, value=value)
        return
    if not isinstance(coords, list) or not coords:
        yield "empty-geometry", f"{where}: empty coordinates"
        return
    for i, part in enumerate(coords):
        yield from _walk_positions(part, depth - 1, f"{where}[{i}]")


def _positions(coords: Any, depth: int, out: list[Any]) -> bool:
    """Collect the positions under ``coords``; False if a level is not a non-empty list."""
    if depth == 0:
        out.append(coords)
        return True
    if not isinstance(coords, list) or not coords:
        return False
    return all(_positions(part, depth - 1, out) for part in coords)


def _plainly_sound(coords: Any, depth: int) -> bool:
    """A fast yes for the common case: nested right, only finite 2-D numbers of at most 6 decimals.
    Anything else goes through the slow walk that says what is wrong."""
    positions: list[Any] = []
    return _positions(coords, depth, positions) and all(
        type(p) is list and len(p) == 2 and _coordinate_problem(p[0]) is None and _coordinate_problem(p[1]) is None
        for p in positions)


def _ring_problems(gtype: str, coords: list) -> Iterator[tuple[str, str]]:
    """Lines need two positions; polygon rings four, closed."""
    if gtype in ("LineString", "MultiLineString"):
        lines = [coords] if gtype == "LineString" else coords
        for line in lines:
            if len(line) < 2:
                yield "too-few-positions", "a line needs at least 2 positions"
    if gtype in ("Polygon", "MultiPolygon"):
        polygons = [coords] if gtype == "Polygon" else coords
        for polygon in polygons:
            for ring in polygon:
                if len(ring) < 4:
                    yield "too-few-positions", f"a polygon ring needs at least 4 positions, has {len(ring)}"
                elif ring[0] != ring[-1]:
                    yield "ring-not-closed", "polygon ring is not closed (first and last positions differ); run validate --fix"


def check_geometry_structure(rec: RawFeature) -> Iterator[Issue]:
    """Type, nesting, numbers, 2-D, 6 decimals, closed rings."""
    geom = rec.data.get("geometry")
    if geom is None:
        yield _issue(rec, "geometry", "empty-geometry", "geometry is null; every asset needs a location")
        return
    gtype = geom.get("type") if isinstance(geom, dict) else None
    if gtype == "GeometryCollection":
        yield _issue(rec, "geometry", "unsupported-geometry",
                     "GeometryCollection is not supported; split the asset or use a Multi* type")
        return
    if gtype not in GEOMETRY_TYPES:
        yield _issue(rec, "geometry.type", "unsupported-geometry", f"{gtype!r} is not one of {', '.join(GEOMETRY_TYPES)}")
        return
    coords = geom.get("coordinates")
    sound = _plainly_sound(coords, _DEPTH[gtype])
    problems = [] if sound else list(_walk_positions(coords, _DEPTH[gtype], "coordinates"))
    if not problems:
        problems = list(_ring_problems(gtype, coords))
    seen: set[str] = set()
    for kind, message in problems:
        if kind not in seen:  # one line per kind of problem, not one per vertex
            seen.add(kind)
            yield _issue(rec, "geometry", kind, message)


def _check_extent(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    lon0, lat0, lon1, lat1 = PAKISTAN_BBOX
    bounds = shapely.bounds(geoms)
    inside = (bounds[:, 0] >= lon0) & (bounds[:, 1] >= lat0) & (bounds[:, 2] <= lon1) & (bounds[:, 3] <= lat1)
    swapped = (bounds[:, 1] >= lon0) & (bounds[:, 0] >= lat0) & (bounds[:, 3] <= lon1) & (bounds[:, 2] <= lat1)
    for i in np.flatnonzero(~inside):
        rec = recs[i]
        if swapped[i]:
            yield _issue(rec, "geometry", "lonlat-swapped", "coordinates look like [lat, lon]; GeoJSON wants [lon, lat]")
        else:
            yield _issue(rec, "geometry", "outside-pakistan",
                         f"extent {tuple(round(b, 3) for b in bounds[i])} is outside Pakistan {PAKISTAN_BBOX}")


def _check_validity(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    for i in np.flatnonzero(~shapely.is_valid(geoms)):
        reason = shapely.is_valid_reason(geoms[i])
        yield _issue(recs[i], "geometry", "invalid-geometry", f"{reason}; run validate --fix to repair it")


def _check_winding(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    for i in np.flatnonzero(polygonal):
        parts = shapely.get_parts(geoms[i])
        if not all(shapely.is_ccw(shapely.get_exterior_ring(parts))):
            yield _issue(recs[i], "geometry", "winding-order", "exterior ring is clockwise; RFC 7946 wants counter-clockwise")


def _check_lengths(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    lineal = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (1, 5)))
    lengths = geodesic_km(geoms[lineal])
    for i, drawn in zip(lineal, lengths, strict=True):
        stated = recs[i].data["properties"].get("length_km")
        if not isinstance(stated, (int, float)) or isinstance(stated, bool) or stated <= 0:
            continue
        schematic = recs[i].data["properties"].get("schematic_route") is True
        shortfall = SCHEMATIC_SHORTFALL if schematic else LENGTH_TOLERANCE
        if not (1 - shortfall) * stated <= drawn <= (1 + LENGTH_TOLERANCE) * stated:
            allowed = f"{1 - shortfall:.0%} to {1 + LENGTH_TOLERANCE:.0%}" + (" for a schematic route" if schematic else "")
            yield _issue(recs[i], "length_km", "length-mismatch",
                         f"line is drawn {drawn:.0f} km long but length_km says {stated:g} (allowed: {allowed} of it)")


def _check_fit(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    """Each geometry fits its asset: areas, hydropower ends, zones as outlines, routes through their towns."""
    for rec, geom in zip(recs, geoms, strict=True):
        for fld, kind, message in geometry_problems(rec.data["properties"], geom):
            yield _issue(rec, fld, kind, message)


def _check_shared(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    """No two assets on one point: the map could not tell them apart."""
    for i, message in shared_positions([str(r.label) for r in recs], geoms):
        yield _issue(recs[i], "geometry", "shared-position", message)


def parse_geometries(recs: list[RawFeature]) -> np.ndarray:
    """Shapely geometries of the records (missing where GEOS cannot read one), in one vectorised call."""
    return shapely.from_geojson([json.dumps(r.data["geometry"]) for r in recs], on_invalid="ignore")


def check_geometries(recs: list[RawFeature], geoms: np.ndarray) -> Iterator[Issue]:
    """Vectorised checks over the features whose geometry is structurally sound."""
    if not recs:
        return
    parsed = ~shapely.is_missing(geoms)
    for i in np.flatnonzero(~parsed):
        yield _issue(recs[i], "geometry", "invalid-geometry", "GEOS cannot read this geometry")
    recs = [r for r, ok in zip(recs, parsed, strict=False) if ok]
    geoms = geoms[parsed]
    for check in (_check_extent, _check_validity, _check_winding, _check_lengths, _check_fit, _check_shared):
        yield from check(recs, geoms)


def check_unique_ids(recs: Iterable[RawFeature]) -> Iterator[Issue]:
    first: dict[str, RawFeature] = {}
    for rec in recs:
        fid = rec.label
        if not isinstance(fid, str):
            continue
        if fid in first:
            yield _issue(rec, "id", "duplicate-id", f"id already used in {first[fid].path} (feature #{first[fid].index})")
        else:
            first[fid] = rec


# --- the run ----------------------------------------------------------------------------------


def validate_features(records: list[RawFeature], documents_dir: Path | None = None) -> Report:
    """Every issue of the given raw features."""
    report = Report(features=len(records))
    per_feature: list[Check] = [check_properties, check_years, check_history, check_disputes, check_sources(documents_dir)]
    geometry_ok: list[RawFeature] = []
    for rec in records:
        structural = list(check_structure(rec))
        report.issues.extend(structural)
        if structural:
            continue
        for check in per_feature:
            report.issues.extend(check(rec))
        geometry_issues = list(check_geometry_structure(rec))
        report.issues.extend(geometry_issues)
        if not geometry_issues:
            geometry_ok.append(rec)
    geometries = parse_geometries(geometry_ok)
    report.issues.extend(check_geometries(geometry_ok, geometries))
    report.issues.extend(check_unique_ids(r for r in records if isinstance(r.data, dict)))
    if len(geometry_ok) == len(records):
        report.geometries = geometries
    return report


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while parsing and checking: a catalog is millions of
    small acyclic containers, and collecting them repeatedly costs a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                # Move what the pause allocated to the oldest generation unscanned (freeze, then unfreeze into
                # it): otherwise the first young collection after the pause walks millions of objects at once.
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_checked(paths: Iterable[str | Path] | None = None) -> tuple[list[RawFeature], list[Issue]]:
    """Every readable feature, and an issue for each file that is unreadable or holds no feature."""
    records: list[RawFeature] = []
    issues: list[Issue] = []
    for path in data_files(paths):
        try:
            found = list(features_of(read_json(path), path))
        except CatalogError as exc:
            issues.append(Issue(str(path), None, None, "unreadable", exc.message))
            continue
        if not found:
            issues.append(Issue(str(path), None, None, "no-features", "FeatureCollection holds no features"))
        records.extend(found)
    return records, issues


def validate(paths: Iterable[str | Path] | None = None, documents_dir: str | Path | None = None) -> Report:
    """Validate GeoJSON files (default: the shipped data), reporting every problem of every file."""
    with gc_paused():
        records, file_issues = read_checked(paths)
        report = validate_features(records, Path(documents_dir) if documents_dir else None)
    report.issues[:0] = file_issues
    return report
