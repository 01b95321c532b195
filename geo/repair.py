"""Repair what can be repaired mechanically in a catalog file (``cpec-map validate --fix``).

Only geometry is touched, and only in ways that keep the asset where it was: unclosed rings are
closed, invalid polygons go through shapely's make_valid (keeping the polygonal parts), and
exterior rings are turned counter-clockwise. The file is rewritten atomically; every change is
reported so the curator can review it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

from .errors import CatalogError
from .files import dump_geojson, write_text_atomically
from .reader import features_of, read_json

POLYGONAL = ("Polygon", "MultiPolygon")


def _close_rings(geometry: dict[str, Any]) -> bool:
    """Close open rings in place; True if any was open."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    changed = False
    for polygon in polygons:
        for ring in polygon:
            if isinstance(ring, list) and len(ring) >= 3 and ring[0] != ring[-1]:
                ring.append(list(ring[0]))
                changed = True
    return changed


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, 6) for c in coords[:2]]
    return [_round(c) for c in coords]


def repair_geometry(geometry: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The repaired geometry and what was changed (empty list: nothing to do)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONAL:
        return geometry, []
    geometry = json.loads(json.dumps(geometry))
    changes = ["closed an open ring"] if _close_rings(geometry) else []
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError):
        return geometry, changes
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        fixed = shapely.make_valid(geom)
        parts = [p for p in shapely.get_parts(fixed) if p.geom_type in POLYGONAL]
        geom = shapely.union_all(parts) if parts else geom
        changes.append(f"made valid ({reason}) -> {geom.geom_type} of area {geom.area:.6f} sq deg")
    oriented = shapely.orient_polygons(geom)
    if not oriented.equals_exact(geom, 0):
        changes.append("turned exterior rings counter-clockwise")
    if changes:
        fixed = mapping(oriented)
        return {"type": fixed["type"], "coordinates": _round(json.loads(json.dumps(fixed["coordinates"])))}, changes
    return geometry, []


def repair_file(path: str | Path) -> list[str]:
    """Repair the polygons of one GeoJSON file in place; returns one line per change."""
    path = Path(path)
    document = read_json(path)
    report = []
    for rec in features_of(document, path):
        if not isinstance(rec.data, dict) or "geometry" not in rec.data:
            continue
        fixed, changes = repair_geometry(rec.data["geometry"])
        if changes:
            rec.data["geometry"] = fixed
            report.extend(f"{path}: feature {rec.label!r}: geometry: {change}" for change in changes)
    if report:
        _write_atomically(path, dump_geojson(document))
    return report


def _write_atomically(path: Path, text: str) -> None:
    try:
        write_text_atomically(path, text)
    except OSError as exc:
        raise CatalogError(f"cannot rewrite the file: {exc.strerror or exc}", path=path) from None
