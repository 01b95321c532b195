"""The asset schema: vocabularies and required fields, read from ``data/asset.schema.json``.

The JSON Schema file is the single source of truth; this module only exposes it in the
shapes the validator, selector and renderer need.
"""

from __future__ import annotations

import difflib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("CPEC_DATA_DIR", REPO_DIR / "data"))
SCHEMA_PATH = REPO_DIR / "data" / "asset.schema.json"
DOCUMENTS_PATH = REPO_DIR / "data" / "documents.json"

# Pakistan's extent with a small margin (lon_min, lat_min, lon_max, lat_max); a point outside it
# is either not a CPEC asset or has its lon/lat swapped.
PAKISTAN_BBOX = (60.5, 23.4, 77.9, 37.2)

NUMERIC_FIELDS = ("capacity_mw", "length_km", "cost_usd_m")
YEAR_FIELDS = ("start_year", "completion_year")
LIST_FIELDS = ("aliases", "province", "sources", "disputes", "geometry_source", "status_history", "external_ids", "names")


@lru_cache(maxsize=1)
def asset_schema() -> dict[str, Any]:
    """The JSON Schema of one asset Feature."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _property_schemas() -> dict[str, Any]:
    return asset_schema()["properties"]["properties"]["properties"]


def required_properties() -> list[str]:
    return list(asset_schema()["properties"]["properties"]["required"])


def vocabulary(field: str) -> list[str]:
    """The allowed words of an enumerated property (province: of its items)."""
    spec = _property_schemas()[field]
    spec = spec.get("items", spec)
    return list(spec["enum"])


SECTORS: tuple[str, ...] = tuple(vocabulary("sector"))
STATUSES: tuple[str, ...] = tuple(vocabulary("status"))
PROVINCES: tuple[str, ...] = tuple(vocabulary("province"))
PRECISIONS: tuple[str, ...] = tuple(vocabulary("location_precision"))


def suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    """A 'did you mean' tail naming the nearest valid word, or listing them all."""
    normalised = {c.lower().replace("_", " "): c for c in choices}
    near = difflib.get_close_matches(str(word).lower().replace("_", " "), list(normalised), n=1, cutoff=0.5)
    if near:
        return f"did you mean {normalised[near[0]]!r}?"
    return "expected one of " + ", ".join(choices)


@lru_cache(maxsize=1)
def documents() -> dict[str, dict[str, Any]]:
    """The documents sources may cite, by key."""
    return json.loads(DOCUMENTS_PATH.read_text(encoding="utf-8"))
