"""Shared fixtures: a tiny valid catalog built in memory, written to tmp_path as needed."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
SEED_QUOTE = "the 1,320 MW Sahiwal Coal-Fired Power Plant"


def make_feature(fid: str = "test-plant", **overrides: Any) -> dict[str, Any]:
    """A valid asset Feature; keyword overrides replace properties, ``geometry=`` the geometry."""
    geometry = overrides.pop("geometry", {"type": "Point", "coordinates": [73.0, 30.5]})
    props: dict[str, Any] = {
        "id": fid,
        "name": fid.replace("-", " ").title(),
        "aliases": [],
        "sector": "energy",
        "subtype": "coal",
        "status": "operational",
        "status_as_of": "2025",
        "province": ["Punjab"],
        "capacity_mw": 1320,
        "length_km": None,
        "cost_usd_m": None,
        "start_year": 2015,
        "completion_year": 2017,
        "location_precision": "exact",
        "sources": [
            {
                "kind": "document",
                "document": "muhammad-2025-pak-china",
                "title": "How to Develop Pak-China Relations",
                "author": "Imraz Muhammad et al.",
                "year": 2025,
                "url": None,
                "doi": None,
                "quote": SEED_QUOTE,
                "supports": ["existence", "capacity_mw"],
            }
        ],
    }
    props.update(overrides)
    return {"type": "Feature", "geometry": geometry, "properties": props}


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [copy.deepcopy(f) for f in features]}


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[..., Path]:
    """Write features (or any JSON-able object, or raw bytes) to a file in tmp_path."""

    def write(content: Any, name: str = "catalog.geojson") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            if isinstance(content, dict) and content.get("type") == "Feature":
                content = collection(content)
            path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


@pytest.fixture
def small_catalog(write_catalog: Callable[..., Path]) -> Path:
    """Three assets of different sectors, statuses and provinces."""
    line = {"type": "LineString", "coordinates": [[71.47, 30.2], [70.3, 28.4], [68.86, 27.7]]}
    zone = {"type": "Polygon", "coordinates": [[[67.5, 24.9], [67.6, 24.9], [67.6, 25.0], [67.5, 25.0], [67.5, 24.9]]]}
    return write_catalog(
        collection(
            make_feature("plant-a"),
            make_feature("road-b", sector="transport", subtype="motorway", status="planned",
                         province=["Punjab", "Sindh"], capacity_mw=None, length_km=395, geometry=line),
            make_feature("zone-c", sector="industry", subtype="sez", status="under_construction",
                         province=["Sindh"], capacity_mw=None, geometry=zone),
        )
    )
