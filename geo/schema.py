"""The asset schema: vocabularies and required fields, read from ``data/asset.schema.json``.

The JSON Schema file is the single source of truth; this module only exposes it in the
shapes the validator, selector and renderer need.

``data/`` is where people edit the catalog. A built package carries a copy of it as package data
(``geo/data``, see pyproject.toml), so an installed ``cpec-map`` needs no checkout; in a checkout,
which has no ``geo/data``, the repository's ``data/`` is read directly.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


def _shipped_data_dir() -> Path:
    """The package's own copy of data/ when installed, else the checkout's data/ beside the package."""
    packaged = resources.files("geo") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


SHIPPED_DATA_DIR = _shipped_data_dir()
DATA_DIR = Path(os.environ.get("CPEC_DATA_DIR", SHIPPED_DATA_DIR))
SCHEMA_PATH = SHIPPED_DATA_DIR / "asset.schema.json"
DOCUMENTS_PATH = SHIPPED_DATA_DIR / "documents.json"

# Pakistan's extent with a small margin (lon_min, lat_min, lon_max, lat_max); a point outside it
# is either not a CPEC asset or has its lon/lat swapped.
PAKISTAN_BBOX = (60.5, 23.4, 77.9, 37.2)

LIST_FIELDS = ("aliases", "province", "sources", "disputes", "geometry_source", "status_history", "external_ids", "names")


@lru_cache(maxsize=1)
def asset_schema() -> dict[str, Any]:
    """The JSON Schema of one asset Feature."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


def _anchored(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _UNESCAPED_DOLLAR.sub(r"\\Z", value) if key == "pattern" and isinstance(value, str) else _anchored(value)
                for key, value in node.items()}
    return [_anchored(value) for value in node] if isinstance(node, list) else node


@lru_cache(maxsize=1)
def properties_schema() -> dict[str, Any]:
    """The schema of an asset's properties, for both validators, with every pattern's ``$`` read as JSON Schema
    (ECMA-262) means it: the very end. Python's ``$`` also matches before a final newline, so "plant-a\\n"
    would pass ``^[a-z-]+$``; ``\\Z`` does not (fastjsonschema makes the same substitution)."""
    return _anchored(asset_schema()["properties"]["properties"])


def _property_schemas() -> dict[str, Any]:
    return asset_schema()["properties"]["properties"]["properties"]


def required_properties() -> list[str]:
    return list(asset_schema()["properties"]["properties"]["required"])


def vocabulary(field: str) -> list[str]:
    """The allowed words of an enumerated property (province: of its items)."""
    spec = _property_schemas()[field]
    spec = spec.get("items", spec)
    return list(spec["enum"])


def _typed(json_type: str) -> tuple[str, ...]:
    """The properties whose schema type is ``json_type`` (or it and null)."""
    return tuple(name for name, spec in _property_schemas().items()
                 if json_type in (spec.get("type") if isinstance(spec.get("type"), list) else [spec.get("type")]))


# Figures are always reals and years always integers, in every output, whatever the values happen to be.
NUMERIC_FIELDS: tuple[str, ...] = _typed("number")
YEAR_FIELDS: tuple[str, ...] = _typed("integer")
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
