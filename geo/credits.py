"""What a map or an export says about the data it shows: the catalog's date and whose reporting it rests on.

Figures, GeoPackage layer descriptions and KML balloons all credit the data the same way, from here.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import geopandas as gpd

from .history import period


def catalog_date(frame: gpd.GeoDataFrame) -> str | None:
    """The newest ``status_as_of`` in ``frame`` (YYYY, YYYY-MM or YYYY-MM-DD as written), None when empty:
    the date up to which the selection's statuses were checked."""
    dates = [d for d in frame["status_as_of"] if isinstance(d, str) and d]
    return max(dates, key=lambda d: (period(d)[1], len(d))) if dates else None


def source_name(source: dict[str, Any]) -> str:
    """Who a source is: its publisher or author, else its title (editors' notes: "editors")."""
    if source.get("kind") == "editor":
        return "editors"
    return str(source.get("publisher") or source.get("author") or source.get("title") or "unnamed source")


def source_names(frame: gpd.GeoDataFrame, limit: int = 5) -> tuple[list[str], int]:
    """The ``limit`` most-cited source names in ``frame`` (ties by name) and how many distinct names there are."""
    counts = Counter(source_name(s) for sources in frame["sources"] for s in (sources or ()))
    ranked = sorted(counts, key=lambda name: (-counts[name], name))
    return ranked[:limit], len(ranked)
