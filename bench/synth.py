"""Seeded synthetic catalogs that pass ``geo.validate``, for measuring the tool at scale.

Why synthetic: the real catalog has 28 assets; users will load ours next to catalogs of thousands.
The features look like real ones so that sizes and timings mean something: each is anchored on a
real Pakistani town (name and province come from it), about 70 % are points, 25 % lines of 5-50
vertices drawn as a noisy route between two towns (or inside one city for metro and BRT lines), 5 %
star-shaped counter-clockwise polygons; every schema field is filled the way curators fill it, and
sources quote the shipped catalog's own verbatim quotes, so most features cite one of two documents.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import shape

from geo.basemap import basemap_geojson
from geo.rules import AREA_SUBTYPES
from geo.schema import DATA_DIR, PAKISTAN_BBOX, SECTORS

GEOD = Geod(ellps="WGS84")
KM_PER_DEG = 111.0

PB, SD, PJ, KP, GB, AJK, ICT = ("Balochistan", "Sindh", "Punjab", "Khyber Pakhtunkhwa", "Gilgit-Baltistan",
                                 "Azad Jammu and Kashmir", "Islamabad Capital Territory")

# (name, lon, lat, province): real towns, coordinates to about 1 km.
TOWNS: tuple[tuple[str, float, float, str], ...] = (
    ("Gwadar", 62.32, 25.13, PB), ("Pasni", 63.47, 25.26, PB), ("Ormara", 64.64, 25.21, PB),
    ("Jiwani", 61.77, 25.05, PB), ("Turbat", 63.05, 26.00, PB), ("Panjgur", 64.10, 26.97, PB),
    ("Quetta", 67.00, 30.18, PB), ("Khuzdar", 66.61, 27.81, PB), ("Hub", 66.90, 25.05, PB),
    ("Uthal", 66.62, 25.81, PB), ("Sibi", 67.88, 29.55, PB), ("Zhob", 69.45, 31.34, PB),
    ("Dalbandin", 64.40, 28.89, PB), ("Saindak", 61.58, 29.27, PB), ("Nokkundi", 62.75, 28.82, PB),
    ("Kalat", 66.59, 29.03, PB), ("Dera Murad Jamali", 68.14, 28.55, PB), ("Karachi", 67.01, 24.86, SD),
    ("Port Qasim", 67.35, 24.78, SD), ("Thatta", 67.92, 24.75, SD), ("Keti Bandar", 67.45, 24.14, SD),
    ("Hyderabad", 68.37, 25.40, SD), ("Jamshoro", 68.28, 25.43, SD), ("Thar", 70.18, 24.70, SD),
    ("Mithi", 69.80, 24.74, SD), ("Umerkot", 69.74, 25.36, SD), ("Badin", 68.84, 24.66, SD),
    ("Nawabshah", 68.41, 26.25, SD), ("Sukkur", 68.86, 27.70, SD), ("Larkana", 68.21, 27.56, SD),
    ("Jacobabad", 68.44, 28.28, SD), ("Khairpur", 68.76, 27.53, SD), ("Ghotki", 69.32, 28.01, SD),
    ("Dhabeji", 67.52, 24.79, SD), ("Nooriabad", 67.67, 25.18, SD), ("Jhimpir", 68.02, 25.02, SD),
    ("Gharo", 67.58, 24.74, SD), ("Multan", 71.47, 30.20, PJ), ("Bahawalpur", 71.68, 29.40, PJ),
    ("Rahim Yar Khan", 70.30, 28.42, PJ), ("Dera Ghazi Khan", 70.64, 30.05, PJ), ("Sahiwal", 73.10, 30.66, PJ),
    ("Faisalabad", 73.08, 31.42, PJ), ("Lahore", 74.34, 31.52, PJ), ("Gujranwala", 74.19, 32.16, PJ),
    ("Sialkot", 74.53, 32.49, PJ), ("Sargodha", 72.67, 32.08, PJ), ("Jhang", 72.33, 31.27, PJ),
    ("Okara", 73.45, 30.81, PJ), ("Pindi Bhattian", 73.27, 31.90, PJ), ("Jhelum", 73.73, 32.94, PJ),
    ("Rawalpindi", 73.05, 33.60, PJ), ("Taxila", 72.81, 33.75, PJ), ("Attock", 72.36, 33.77, PJ),
    ("Mianwali", 71.54, 32.58, PJ), ("Chashma", 71.45, 32.39, PJ), ("Bhakkar", 71.07, 31.63, PJ),
    ("Layyah", 70.94, 30.96, PJ), ("Islamabad", 73.05, 33.69, ICT), ("Dera Ismail Khan", 70.90, 31.83, KP),
    ("Bannu", 70.60, 32.99, KP), ("Kohat", 71.44, 33.58, KP), ("Peshawar", 71.58, 34.01, KP),
    ("Nowshera", 71.98, 34.01, KP), ("Rashakai", 72.03, 34.08, KP), ("Mardan", 72.04, 34.20, KP),
    ("Mingora", 72.36, 34.77, KP), ("Abbottabad", 73.21, 34.15, KP), ("Mansehra", 73.20, 34.33, KP),
    ("Thakot", 72.92, 34.87, KP), ("Besham", 72.87, 34.93, KP), ("Dasu", 73.29, 35.29, KP),
    ("Tarbela", 72.69, 34.09, KP), ("Chitral", 71.79, 35.85, KP), ("Chilas", 74.10, 35.42, GB),
    ("Bunji", 74.63, 35.67, GB), ("Gilgit", 74.31, 35.92, GB), ("Karimabad", 74.66, 36.32, GB),
    ("Sost", 74.81, 36.69, GB), ("Khunjerab", 75.42, 36.85, GB), ("Skardu", 75.63, 35.30, GB),
    ("Muzaffarabad", 73.47, 34.37, AJK), ("Kohala", 73.50, 34.10, AJK), ("Mirpur", 73.75, 33.15, AJK),
    ("Karot", 73.60, 33.61, AJK), ("Mangla", 73.64, 33.13, AJK),
)
COAST = ("Gwadar", "Pasni", "Ormara", "Jiwani", "Karachi", "Port Qasim", "Keti Bandar", "Hub")
NORTH_RIVERS = ("Dasu", "Bunji", "Kohala", "Karot", "Mangla", "Thakot", "Chilas", "Skardu", "Muzaffarabad",
                "Mingora", "Chitral", "Tarbela", "Gilgit")
WIND = ("Jhimpir", "Gharo", "Thatta", "Keti Bandar")
COAL = ("Thar", "Sahiwal", "Port Qasim", "Hub", "Gwadar", "Jamshoro", "Thatta")
NUCLEAR = ("Chashma", "Karachi")
CITIES = ("Lahore", "Karachi", "Islamabad", "Rawalpindi", "Peshawar", "Multan", "Quetta", "Faisalabad")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
COLOURS = ("Orange", "Green", "Blue", "Red", "Yellow", "Purple")


@dataclass(frozen=True)
class Kind:
    """One kind of asset: its sector, subtype, where it sits, and how it is named."""

    sector: str
    subtype: str
    weight: float
    anchors: tuple[str, ...] | None = None  # towns it can sit at (None: any)


POINT_KINDS = (
    Kind("energy", "coal", 8, COAL), Kind("energy", "hydro", 8, NORTH_RIVERS), Kind("energy", "solar", 6),
    Kind("energy", "wind", 6, WIND), Kind("energy", "nuclear", 1, NUCLEAR), Kind("transport", "airport", 3),
    Kind("port", "seaport", 2, COAST), Kind("port", "fishery", 2, COAST), Kind("industry", "sez", 8),
    Kind("industry", "heavy_industry", 4), Kind("industry", "mining", 3), Kind("water", "desalination", 3, COAST),
    Kind("water", "sanitation", 3), Kind("social", "cultural_centre", 2),
)
LINE_KINDS = (
    Kind("energy", "transmission", 5), Kind("energy", "oil_pipeline", 2), Kind("transport", "motorway", 5),
    Kind("transport", "highway", 5), Kind("transport", "railway", 4), Kind("transport", "metro", 1, CITIES),
    Kind("transport", "bus_rapid_transit", 1, CITIES), Kind("digital", "fibre", 3),
)
POLYGON_KINDS = (
    Kind("industry", "sez", 4), Kind("industry", "free_zone", 2), Kind("port", "free_zone", 1, COAST),
    Kind("port", "smart_city", 2, COAST), Kind("energy", "solar", 2), Kind("transport", "airport", 1),
    Kind("port", "seaport", 1, COAST),
)
CAPACITY = {"coal": (300, 1320), "hydro": (50, 4500), "solar": (50, 1000), "wind": (50, 100), "nuclear": (1100, 1100)}
STATUS_WEIGHTS = {"planned": 0.3, "under_construction": 0.2, "operational": 0.35, "stalled": 0.1, "cancelled": 0.05}
PRECISION_WEIGHTS = {"exact": 0.15, "approximate": 0.45, "locality": 0.35, "province": 0.05}
SUPPORTS = (["existence"], ["existence", "province"], ["existence", "capacity_mw"], ["existence", "status"],
            ["existence", "cost_usd_m", "start_year"])
EDITOR_NOTES = (
    "Site from published project coordinates near {town}.",
    "Status per public reporting as of {year}; the documents give no date.",
    "Capacity from the sponsor's filings; the documents do not state it.",
    "Located at the {town} industrial estate per the provincial board of investment.",
)
ROUTE_NOTE = "Route drawn through the towns it passes ({town} and others); bends not traced."
NOTES = (
    "Sources disagree on the cost: {a} or {b} million USD; the higher figure includes financing.",
    "Completion was announced for {year} and later postponed.",
    "No source gives the capacity; left empty.",
    "Location is the centre of {town}; the exact site is not published.",
    "Phase {roman} only; later phases are listed separately.",
    "Construction paused in {year} pending a revised feasibility study.",
)


def slug(text: str) -> str:
    """An id-shaped slug (``^[a-z0-9]+(-[a-z0-9]+)*$``)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@lru_cache(maxsize=1)
def document_sources() -> tuple[dict[str, Any], ...]:
    """The shipped catalog's document sources (verbatim quotes), the pool synthetic features cite."""
    pool: dict[str, dict[str, Any]] = {}
    for path in sorted(DATA_DIR.glob("*.geojson")):
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            for src in feature["properties"]["sources"]:
                if src["kind"] == "document":
                    pool.setdefault(src["quote"], {k: v for k, v in src.items() if k not in ("supports", "note")})
    return tuple(pool[q] for q in sorted(pool))


@lru_cache(maxsize=1)
def _land(modules_dir: Path) -> shapely.Geometry:
    """Pakistan's outline, grown by ~8 km so that coastal towns (Gwadar) sit on 'land'."""
    countries = basemap_geojson(modules_dir)["features"]
    pakistan = next(shape(f["geometry"]) for f in countries if f["properties"]["name"] == "Pakistan")
    lon0, lat0, lon1, lat1 = PAKISTAN_BBOX
    land = shapely.clip_by_rect(pakistan.buffer(0.08), lon0 + 0.01, lat0 + 0.01, lon1 - 0.01, lat1 - 0.01)
    shapely.prepare(land)
    return land


class Generator:
    """Draws features one by one from a seeded RNG; ``catalog(n)`` is deterministic for a seed."""

    def __init__(self, modules_dir: Path, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.land = _land(modules_dir)
        self.towns = {t[0]: t for t in TOWNS}
        self.town_xy = np.array([(t[1], t[2]) for t in TOWNS])
        self.quotes = document_sources()
        self.ids: dict[str, int] = defaultdict(int)

    # --- small draws ---------------------------------------------------------------------------

    def pick(self, items: tuple[Any, ...] | list[Any], weights: list[float] | None = None) -> Any:
        p = None if weights is None else np.asarray(weights, float) / sum(weights)
        return items[int(self.rng.choice(len(items), p=p))]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def town(self, kind: Kind) -> tuple[str, float, float, str]:
        return self.towns[self.pick(kind.anchors)] if kind.anchors else self.pick(TOWNS)

    def province_of(self, xy: np.ndarray) -> list[str]:
        """Provinces of the nearest town of each vertex, in first-seen order."""
        d = ((xy[:, None, :] - self.town_xy[None, :, :]) ** 2).sum(axis=2)
        return list(dict.fromkeys(TOWNS[i][3] for i in d.argmin(axis=1)))

    def inside(self, xy: np.ndarray) -> bool:
        return bool(shapely.contains_xy(self.land, xy[:, 0], xy[:, 1]).all())

    # --- geometries ----------------------------------------------------------------------------

    def point_near(self, town: tuple[str, float, float, str], spread: float) -> np.ndarray:
        for _ in range(50):
            xy = np.round(np.array([[town[1], town[2]]]) + self.rng.normal(0, spread, (1, 2)), 6)
            if self.inside(xy):
                return xy
        return np.round(np.array([[town[1], town[2]]]), 5)

    def route(self, a: np.ndarray, b: np.ndarray, vertices: int) -> np.ndarray:
        """A noisy route from a to b: a Brownian bridge across the straight line, so it bends like a road."""
        t = np.linspace(0, 1, vertices)
        steps = self.rng.normal(0, 1, vertices)
        walk = np.cumsum(steps) - t * np.sum(steps)
        walk -= walk[0]
        span = b - a
        normal = np.array([-span[1], span[0]])
        amplitude = 0.25 / max(np.sqrt(vertices), 1)
        xy = a + t[:, None] * span + (walk * amplitude)[:, None] * normal
        return np.round(xy, 5)

    def line(self, kind: Kind) -> tuple[dict[str, Any], np.ndarray, str, str]:
        """(geometry, all vertices, from-town, to-town) of a line asset."""
        start = self.town(kind)
        vertices = int(self.rng.integers(5, 51))
        if kind.subtype in ("metro", "bus_rapid_transit"):
            a = self.point_near(start, 0.02)[0]
            b = a + self.rng.normal(0, 0.08, 2)
            xy = self.route(a, b, vertices)
            return {"type": "LineString", "coordinates": xy.tolist()}, xy, start[0], start[0]
        for _ in range(20):
            end = self.pick(TOWNS)
            dist = np.hypot(end[1] - start[1], end[2] - start[2])
            if end[0] == start[0] or not 0.4 <= dist <= 6:
                continue
            a, b = np.array(start[1:3]), np.array(end[1:3])
            if self.chance(0.06):  # a route in two sections
                mid = vertices // 2 + 2
                m = np.round(a + (b - a) * self.rng.uniform(0.4, 0.6), 5)
                parts = [self.route(a, m, mid), self.route(m + (b - a) * 0.02, b, max(vertices - mid, 3))]
                xy = np.vstack(parts)
                if self.inside(xy):
                    return {"type": "MultiLineString", "coordinates": [p.tolist() for p in parts]}, xy, start[0], end[0]
                continue
            xy = self.route(a, b, vertices)
            if self.inside(xy):
                return {"type": "LineString", "coordinates": xy.tolist()}, xy, start[0], end[0]
        xy = self.route(np.array(start[1:3]), np.array(start[1:3]) + 0.3, vertices)
        return {"type": "LineString", "coordinates": xy.tolist()}, xy, start[0], start[0]

    def polygon(self, centre: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
        """A star-shaped ring, angles increasing (counter-clockwise), closed, valid after rounding."""
        n = int(self.rng.integers(6, 17))
        radius = self.rng.uniform(0.006, 0.05)
        angles = np.sort(self.rng.uniform(0, 2 * np.pi, n))
        angles = np.linspace(0, 2 * np.pi, n, endpoint=False) * 0.5 + angles * 0.5  # keep vertices apart
        r = radius * self.rng.uniform(0.6, 1.0, n)
        ring = np.round(centre + np.c_[np.cos(angles) * r, np.sin(angles) * r], 6)
        ring = np.vstack([ring, ring[:1]])
        return {"type": "Polygon", "coordinates": [ring.tolist()]}, ring

    # --- properties ----------------------------------------------------------------------------

    def name(self, kind: Kind, town: str, to: str, capacity: float | None) -> tuple[str, list[str]]:
        """A real-looking name and 0-2 aliases."""
        s, r = kind.subtype, self.pick(ROMAN)
        mw = f"{capacity:g} MW " if capacity else ""
        names = {
            "coal": [f"{town} {mw}Coal Power Plant", f"{town} Block-{r} {mw}Coal Power Plant"],
            "hydro": [f"{town} {mw}Hydropower Project", f"{town} Dam"],
            "solar": [f"{town} {mw}Solar Power Project", f"{town} Solar Park Phase {r}"],
            "wind": [f"{town} {mw}Wind Farm", f"{town} Wind Power Project {r}"],
            "nuclear": [f"{town} Nuclear Power Plant Unit-{self.rng.integers(1, 6)}"],
            "transmission": [f"{town}-{to} {self.pick((220, 500, 660))} kV Transmission Line"],
            "oil_pipeline": [f"{town}-{to} Oil Pipeline"],
            "motorway": [f"{town}-{to} Motorway (M-{self.rng.integers(1, 15)})"],
            "highway": [f"{town}-{to} Highway (N-{self.pick((5, 25, 35, 40, 55, 70, 85))})"],
            "railway": [f"{town}-{to} Railway Upgradation", f"ML-{self.rng.integers(1, 4)} {town}-{to} Section"],
            "metro": [f"{town} {self.pick(COLOURS)} Line Metro Train"],
            "bus_rapid_transit": [f"{town} {self.pick(COLOURS)} Line BRT"],
            "fibre": [f"{town}-{to} Optical Fibre Cable"],
            "airport": [f"New {town} International Airport", f"{town} Airport Expansion"],
            "seaport": [f"{town} Port Phase {r}", f"{town} Deep-Sea Port"],
            "fishery": [f"{town} Fish Landing Jetty", f"{town} Fish Harbour"],
            "free_zone": [f"{town} Free Zone {r}"],
            "smart_city": [f"{town} Smart City"],
            "sez": [f"{town} Special Economic Zone", f"{town} Industrial Park Phase {r}"],
            "heavy_industry": [f"{town} Steel Mill", f"Heavy Mechanical Complex {town}"],
            "mining": [f"{town} Copper-Gold Project", f"{town} Coal Mining Block-{r}"],
            "desalination": [f"{town} {self.rng.integers(1, 6)} MGD Desalination Plant"],
            "sanitation": [f"{town} Environmental Sanitation Project"],
            "cultural_centre": [f"Pak-China Friendship Centre {town}"],
        }[s]
        name = self.pick(names)
        aliases = [a for a in names if a != name][: int(self.rng.integers(0, 2))]
        if self.chance(0.3):
            aliases.append(re.sub(r"\b(Project|Plant|Park|Line)\b", "", name).replace("  ", " ").strip() + " scheme")
        return name, aliases

    def sources(self, town: str, year: int, line: bool) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if self.chance(0.85):
            src = dict(self.pick(self.quotes))
            out.append({**src, "supports": list(self.pick(SUPPORTS))})
        if not out or self.chance(0.4):
            out.append({
                "kind": "editor", "title": "cpec-mapper editors' knowledge", "author": "cpec-mapper editors",
                "year": 2026, "url": None, "doi": None, "supports": [*self.pick(SUPPORTS[:2]), "geometry"],
                "note": (ROUTE_NOTE if line and self.chance(0.5) else self.pick(EDITOR_NOTES)).format(town=town, year=year),
            })
        return out

    def feature(self, geometry_kind: str) -> dict[str, Any]:
        kinds = {"point": POINT_KINDS, "line": LINE_KINDS, "polygon": POLYGON_KINDS}[geometry_kind]
        kind = self.pick(kinds, [k.weight for k in kinds])
        to = ""
        length_km: float | None = None
        schematic = False
        if geometry_kind == "line":
            geometry, xy, town, to = self.line(kind)
            drawn = GEOD.geometry_length(shapely.geometry.shape(geometry)) / 1000
            if self.chance(0.03):
                schematic, length_km = True, round(drawn / self.rng.uniform(0.7, 0.85), 1)
            elif self.chance(0.85):
                length_km = round(drawn * self.rng.uniform(0.92, 1.08), 1)
        else:
            anchor = self.town(kind)
            town = anchor[0]
            xy = self.point_near(anchor, 0.03 if kind.anchors == COAST else 0.12)
            if geometry_kind == "point" and kind.subtype == "hydro":  # dam and powerhouse, a few km apart
                xy = np.round(np.vstack([xy[0], xy[0] + self.rng.normal(0, 0.05, 2)]), 6)
                geometry = {"type": "MultiPoint", "coordinates": xy.tolist()}
            elif geometry_kind == "point":
                geometry = {"type": "Point", "coordinates": xy[0].tolist()}
            else:
                geometry, xy = self.polygon(xy[0])
        cap_range = CAPACITY.get(kind.subtype)
        capacity = None
        if cap_range and self.chance(0.85):
            capacity = float(round(self.rng.uniform(*cap_range) / 10) * 10) or float(cap_range[0])
        name, aliases = self.name(kind, town, to, capacity)
        base = slug(name)
        self.ids[base] += 1
        fid = base if self.ids[base] == 1 else f"{base}-{self.ids[base]}"
        start = int(self.rng.integers(2000, 2026)) if self.chance(0.7) else None
        completion = start + int(self.rng.integers(1, 7)) if start and self.chance(0.6) else None
        status_year = int(self.rng.integers(2019, 2026))
        props: dict[str, Any] = {
            "id": fid,
            "name": name,
            "aliases": aliases,
            "sector": kind.sector,
            "subtype": kind.subtype,
            "status": self.pick(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())),
            "status_as_of": str(status_year) if self.chance(0.6) else f"{status_year}-{self.rng.integers(1, 13):02d}",
            "province": self.province_of(xy),
            "capacity_mw": capacity,
            "length_km": length_km,
            "cost_usd_m": round(float(self.rng.lognormal(5.5, 1.0)), 1) if self.chance(0.55) else None,
            "start_year": start,
            "completion_year": completion,
            "location_precision": self.pick(list(PRECISION_WEIGHTS), list(PRECISION_WEIGHTS.values())),
        }
        if geometry_kind == "point" and kind.subtype in AREA_SUBTYPES:  # a zone drawn as a point: only its town is known
            props["location_precision"] = self.pick(["locality", "province"], [0.9, 0.1])
        elif geometry_kind != "point" and props["location_precision"] == "exact":  # only a published coordinate is exact
            props["location_precision"] = "approximate"
        roll = self.rng.random()
        props["programme"] = "CPEC" if roll < 0.75 else "pre-CPEC" if roll < 0.9 else "outside-CPEC"
        props["geometry_source"] = geometry_source(geometry_kind, props["location_precision"], town, to, fid)
        props["status_history"] = status_history(props, status_year)
        if schematic:
            props["schematic_route"] = True
            props["notes"] = f"Schematic route: joins {town} and {to} without tracing the valley's bends."
        elif self.chance(0.35):
            a = round(float(self.rng.uniform(100, 900)))
            props["notes"] = self.pick(NOTES).format(a=a, b=a + 150, year=status_year, town=town, roman=self.pick(ROMAN))
        if self.chance(0.05):
            field = "cost_usd_m" if props["cost_usd_m"] else "start_year"
            value = round(float(self.rng.uniform(100, 2000)), 1) if field == "cost_usd_m" else 2015
            props["disputes"] = [{"field": field, "value": value, "source": self.pick(self.quotes)["document"],
                                  "note": "The article gives a different figure."}]
        props["sources"] = self.sources(town, status_year, geometry_kind == "line")
        return {"type": "Feature", "geometry": geometry, "properties": props}

    def catalog(self, n: int) -> list[dict[str, Any]]:
        """n features: 70 % points, 25 % lines, 5 % polygons, in a shuffled order."""
        counts = {"point": round(n * 0.70), "line": round(n * 0.25)}
        counts["polygon"] = n - counts["point"] - counts["line"]
        order = [k for k, c in counts.items() for _ in range(c)]
        self.rng.shuffle(order)
        return [self.feature(k) for k in order]


def geometry_source(geometry_kind: str, precision: str, town: str, to: str, fid: str) -> dict[str, Any]:
    """How a synthetic geometry 'was made', the way curators say it."""
    if geometry_kind == "line":
        return {"method": "traced", "detail": f"Drawn through {town} and {to or town}; bends not traced."}
    if geometry_kind == "polygon":
        return {"method": "sketched_outline", "detail": f"Outline sketched around the site near {town}."}
    if precision == "exact":
        return {"method": "published_coordinate", "detail": f"Coordinate from the project page of {fid}.",
                "url": f"https://example.org/projects/{fid}"}
    method = {"locality": "locality", "province": "province"}.get(precision, "editor_estimate")
    return {"method": method, "detail": f"Placed at or near {town} from public descriptions."}


def status_history(props: dict[str, Any], status_year: int) -> list[dict[str, Any]]:
    """A history that agrees with the feature's status and years, as the validator requires: steps later than
    the current status's date are left out, start/completion years without a step stay plan targets, and
    years with a step are set to it."""
    if props["status"] != "planned" and (props["start_year"] or 0) > status_year:  # begun, so not in a later year
        props["start_year"] = None
    start, completion = props["start_year"], props["completion_year"]
    steps = []
    if start and start <= status_year and props["status"] != "planned":
        steps.append((str(start), "under_construction"))
    if completion and start and completion <= status_year and props["status"] == "operational":
        steps.append((str(completion), "operational"))
    first = min([status_year, *(int(d) for d, _ in steps)]) - 1
    steps = [(str(first), "planned"), *steps, (props["status_as_of"], props["status"])]
    history = [{"date": d, "status": st, "event": st.replace("_", " "), "note": "synthetic: generated for the benchmark"}
               for d, st in steps]
    for field, status in (("start_year", "under_construction"), ("completion_year", "operational")):
        dated = [e["date"] for e in history if e["status"] == status]
        if dated:  # the years are those of the history's first such step
            props[field] = int(dated[0][:4])
    return history


def write_catalog(n: int, folder: Path, modules_dir: Path, seed: int = 2015) -> list[Path]:
    """Write a synthetic catalog of ``n`` features as one GeoJSON file per sector, like data/; returns the paths."""
    features = Generator(modules_dir, seed + n).catalog(n)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.geojson"):
        old.unlink()
    paths = []
    for sector in SECTORS:
        chosen = [f for f in features if f["properties"]["sector"] == sector]
        if chosen:
            path = folder / f"{sector}.geojson"
            path.write_text(json.dumps({"type": "FeatureCollection", "features": chosen}, ensure_ascii=False),
                            encoding="utf-8")
            paths.append(path)
    return paths
