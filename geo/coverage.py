"""How much of the official CPEC portfolio the catalog covers, and how precisely: the table that
data/README.md shows, computed so that it cannot drift from the data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from .schema import DATA_DIR, PRECISIONS

PORTFOLIO_FILE = "official-portfolio.json"


@dataclass(frozen=True)
class Project:
    """One row of the official list and the catalog asset that stands for it (None: left out, with why)."""

    row: int
    project: str
    group: str
    asset: str | None
    excluded: str | None = None


def portfolio(data_dir: Path = DATA_DIR) -> list[Project]:
    """The official portfolio with its mapping to catalog ids."""
    document = json.loads((data_dir / PORTFOLIO_FILE).read_text(encoding="utf-8"))
    return [Project(p["row"], p["project"], p["group"], p.get("asset"), p.get("excluded")) for p in document["projects"]]


def unaccounted(projects: list[Project], catalog: gpd.GeoDataFrame) -> list[Project]:
    """Projects neither drawn by an asset in the catalog nor excluded with a reason."""
    ids = set(catalog["id"])
    return [p for p in projects if p.asset not in ids and not p.excluded]


def coverage_table(projects: list[Project], catalog: gpd.GeoDataFrame) -> str:
    """A Markdown table: per group, official projects, those with a feature of their own, and how
    precisely those are located."""
    precision = dict(zip(catalog["id"], catalog["location_precision"], strict=True))
    groups = list(dict.fromkeys(p.group for p in projects))
    header = ["group", "official", "in the catalog", *PRECISIONS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for group in [*groups, None]:
        chosen = [p for p in projects if group is None or p.group == group]
        found = [precision[p.asset] for p in chosen if p.asset in precision]
        cells = [group or "**all**", str(len(chosen)), str(len(found)), *(str(found.count(k)) for k in PRECISIONS)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
