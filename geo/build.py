"""Build the set of maps: ``index.html`` of the selection, and one map per sector and per status.

Every page is rendered in memory first and written into a temporary folder beside the output;
only when all of them are written is each swapped into place, so a failed build leaves the
earlier maps exactly as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from .errors import BuildError
from .files import write_text_atomically
from .render import render_map
from .schema import SECTORS, STATUSES
from .style import label

GEOMETRY_KINDS = {"Point": "points", "LineString": "lines", "MultiLineString": "lines", "Polygon": "polygons",
                  "MultiPolygon": "polygons"}


@dataclass(frozen=True)
class BuiltMap:
    """One written page and what it shows."""

    path: Path
    features: int
    kinds: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items()))
        return f"{self.path}: {self.features} assets ({kinds or 'none'})"


def _described(path: Path, part: gpd.GeoDataFrame) -> BuiltMap:
    return BuiltMap(path, len(part), dict(Counter(GEOMETRY_KINDS[t] for t in part.geometry.geom_type)))


def write_map(
    frame: gpd.GeoDataFrame, path: str | Path, *, title: str, offline: bool = False, modules_dir: Path | None = None
) -> BuiltMap:
    """Write one map page of ``frame`` (complete or not at all)."""
    path = Path(path)
    html = render_map(frame, title=title, offline=offline, modules_dir=modules_dir)
    try:
        write_text_atomically(path, html)
    except OSError as exc:
        raise BuildError(f"cannot write the map: {exc.strerror or exc}", path=path) from None
    return _described(path, frame)


def plan_pages(frame: gpd.GeoDataFrame) -> list[tuple[str, str, gpd.GeoDataFrame]]:
    """(relative path, title, selection) of every page the build writes."""
    pages = [("index.html", "CPEC assets", frame)]
    for column, words, folder in (("sector", SECTORS, "sector"), ("status", STATUSES, "status")):
        for word in words:
            part = frame[frame[column] == word]
            if len(part):
                pages.append((f"{folder}/{word}.html", f"CPEC assets: {label(word)} {column}", part))
    return pages


def _swap_in(staged: Path, out_dir: Path, names: list[str]) -> None:
    """Move each staged top-level entry over its old counterpart (old folders removed after)."""
    for name in names:
        target, new = out_dir / name, staged / name
        if new.is_dir() and target.exists():
            old = staged / f".old-{name}"
            os.replace(target, old)
        os.replace(new, target)


def build_maps(
    frame: gpd.GeoDataFrame, out_dir: str | Path, *, offline: bool = False, modules_dir: Path | None = None
) -> list[BuiltMap]:
    """Write the maps of ``frame`` to ``out_dir``; returns what was written."""
    out_dir = Path(out_dir)
    pages = [(rel, render_map(part, title=title, offline=offline, modules_dir=modules_dir), part)
             for rel, title, part in plan_pages(frame)]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror or exc}", path=out_dir) from None
    try:
        for rel, html, _ in pages:
            path = staged / rel
            path.parent.mkdir(exist_ok=True)
            path.write_text(html, encoding="utf-8")
        _swap_in(staged, out_dir, sorted({rel.split("/")[0] for rel, _, _ in pages}))
    except OSError as exc:
        raise BuildError(f"cannot write the maps: {exc.strerror or exc}", path=out_dir) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return [_described(out_dir / rel, part) for rel, _, part in pages]
