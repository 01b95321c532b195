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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from .errors import BuildError
from .files import write_text_atomically
from .render import render_map
from .schema import SECTORS, STATUSES
from .style import label
from .timeline import render_timeline

GEOMETRY_KINDS = {"Point": "points", "MultiPoint": "points", "LineString": "lines", "MultiLineString": "lines",
                  "Polygon": "polygons", "MultiPolygon": "polygons"}
DEFAULT_TITLE = "CPEC assets"
TIMELINE = "timeline.html"  # written by the timeline command, beside index.html


@dataclass(frozen=True)
class BuiltMap:
    """One written page and what it shows."""

    path: Path
    features: int
    kinds: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items()))
        return f"{self.path}: {self.features} asset{'' if self.features == 1 else 's'} ({kinds or 'none'})"


def _described(path: Path, part: gpd.GeoDataFrame) -> BuiltMap:
    return BuiltMap(path, len(part), dict(Counter(GEOMETRY_KINDS[t] for t in part.geometry.geom_type)))


def map_title(sector: Iterable[str] = (), status: Iterable[str] = (), province: Iterable[str] = (),
              bbox: str | None = None, ids: Iterable[str] = (), **_: object) -> str:
    """A title that says what a selection keeps: ``CPEC assets: Energy sector, Punjab``."""
    parts = []
    for words, noun in ((list(sector), "sector"), (list(status), "status")):
        if words:
            parts.append(" or ".join(label(w) for w in words) + f" {noun}")
    if list(province):
        parts.append(" or ".join(province))
    if bbox:
        parts.append(f"within {bbox}")
    ids = list(ids)
    if ids:
        parts.append(f"{len(ids)} chosen asset{'s' if len(ids) > 1 else ''}")
    return DEFAULT_TITLE + (": " + ", ".join(parts) if parts else "")


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


def plan_pages(frame: gpd.GeoDataFrame, title: str = DEFAULT_TITLE) -> list[tuple[str, str, gpd.GeoDataFrame]]:
    """(relative path, title, selection) of every page the build writes."""
    pages = [("index.html", title, frame)]
    for column, words, folder in (("sector", SECTORS, "sector"), ("status", STATUSES, "status")):
        for word in words:
            part = frame[frame[column] == word]
            if len(part):
                pages.append((f"{folder}/{word}.html", f"{title}: {label(word)} {column}", part))
    return pages


def page_links(pages: list[tuple[str, str, gpd.GeoDataFrame]], rel: str, offline: bool) -> dict[str, object]:
    """What one page links to, relative to it: every page of the build, the timeline, and (online
    pages) the offline copy that ``make maps`` writes into ``offline/``."""
    up = "../" * rel.count("/")
    groups: dict[str, list[dict[str, object]]] = {"Maps": [], "Sector": [], "Status": []}
    for other, _, part in pages:
        folder, _, name = other.rpartition("/")
        group = {"": "Maps", "sector": "Sector", "status": "Status"}[folder]
        text = "All assets" if other == "index.html" else label(name.removesuffix(".html"))
        groups[group].append({"href": up + other, "text": text, "count": len(part), "current": other == rel})
    groups["Maps"].append({"href": up + TIMELINE, "text": "Timeline", "current": False})
    return {"links": [{"group": g, "items": items} for g, items in groups.items() if items],
            "offlineCopy": None if offline else f"{up}offline/{rel}"}


def _swap_in(staged: Path, out_dir: Path, names: list[str]) -> None:
    """Move each staged top-level entry over its old counterpart (old folders removed after)."""
    for name in names:
        target, new = out_dir / name, staged / name
        if new.is_dir() and target.exists():
            old = staged / f".old-{name}"
            os.replace(target, old)
        os.replace(new, target)


def build_maps(
    frame: gpd.GeoDataFrame, out_dir: str | Path, *, offline: bool = False, modules_dir: Path | None = None,
    title: str = DEFAULT_TITLE,
) -> list[BuiltMap]:
    """Write the maps of ``frame`` to ``out_dir``; returns what was written."""
    out_dir = Path(out_dir)
    plan = plan_pages(frame, title)
    pages = [(rel, render_map(part, title=page_title, offline=offline, modules_dir=modules_dir,
                              page=page_links(plan, rel, offline)), part)
             for rel, page_title, part in plan]
    pages.append((TIMELINE, render_timeline(frame, title=title, page=page_links(plan, TIMELINE, offline), offline=offline,
                                            modules_dir=modules_dir), frame))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror or exc}", path=out_dir) from None
    folders = ("sector", "status")  # always replaced, even empty, so no page of an earlier build is left behind
    try:
        for folder in folders:
            (staged / folder).mkdir()
        for rel, html, _ in pages:
            path = staged / rel
            path.parent.mkdir(exist_ok=True)
            path.write_text(html, encoding="utf-8")
        _swap_in(staged, out_dir, sorted({*folders, *(rel.split("/")[0] for rel, _, _ in pages)}))
    except OSError as exc:
        raise BuildError(f"cannot write the maps: {exc.strerror or exc}", path=out_dir) from None
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return [_described(out_dir / rel, part) for rel, _, part in pages]
