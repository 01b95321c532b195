"""Shared fixtures: a tiny valid catalog built in memory, written to tmp_path as needed."""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geo.schema import STATUSES

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
SEED_QUOTE = "the 1,320 MW Sahiwal Coal-Fired Power Plant"

# Prerequisites that `make test` installs and CI has (../shared beside the clone): a test skipped for want of one
# would pass in silence without ever running, so such a skip is turned into a failure that says what is missing.
PREREQUISITES = ("node_modules", "seed", "../shared", "ogrinfo", "gdal-bin", "pdftoppm", "poppler", "shipped data")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    reason = report.longrepr[2] if report.skipped and isinstance(report.longrepr, tuple) else ""
    if any(word in reason for word in PREREQUISITES):
        report.outcome = "failed"
        report.longrepr = f"missing prerequisite, not skipped: {reason.removeprefix('Skipped: ')}"


def make_feature(fid: str = "test-plant", **overrides: Any) -> dict[str, Any]:
    """A valid asset Feature; keyword overrides replace properties, ``geometry=`` the geometry."""
    # Each fixture asset on its own point: the validator refuses two assets on one position.
    spread = zlib.crc32(fid.encode()) % 9973 / 100000
    geometry = overrides.pop("geometry", {"type": "Point", "coordinates": [round(73.0 + spread, 6), 30.5]})
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
        "programme": "CPEC",
        "geometry_source": {"method": "published_coordinate", "detail": "test fixture", "url": "https://example.org/plant"},
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
    props.setdefault("status_history", fixture_history(props))
    return {"type": "Feature", "geometry": geometry, "properties": props}


def fixture_history(props: dict[str, Any]) -> list[dict[str, Any]]:
    """A history that agrees with the fixture's status and years, as the validator requires."""
    status, start, end = props.get("status"), props.get("start_year"), props.get("completion_year")
    steps = [(str(min(2014, start or 2014)), "planned")]
    if isinstance(start, int) and status != "planned":
        steps.append((str(start), "under_construction"))
    if isinstance(end, int) and status == "operational":
        steps.append((str(end), "operational"))
    steps.append((props.get("status_as_of") or "2025", status if status in STATUSES else "planned"))
    steps.sort(key=lambda step: step[0])
    return [{"date": d, "status": s, "event": "fixture step", "note": "test fixture"} for d, s in steps]


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


# --- maps in a real browser ---------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = REPO / "node_modules"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--disable-gpu"]


def _line(*points: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def _square(lon: float, lat: float, size: float = 0.2) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def map_features() -> list[dict[str, Any]]:
    """Eight assets covering every geometry kind and several sectors and statuses."""
    point = lambda lon, lat: {"type": "Point", "coordinates": [lon, lat]}  # noqa: E731
    return [
        make_feature("sahiwal-plant", name="Sahiwal Coal Power Plant", aliases=["Sahiwal Coal-Fired Power Plant"],
                     geometry=point(73.0, 30.6)),
        make_feature("gwadar-coal", name="Gwadar Coal Plant", status="planned", geometry=point(62.3, 25.2)),
        make_feature("ml1", name="ML-1 Railway", sector="transport", subtype="railway", status="planned",
                     capacity_mw=None, province=["Punjab", "Sindh"], geometry=_line((74.3, 31.5), (71.5, 30.2), (67.0, 24.9))),
        make_feature("m5", name="Multan-Sukkur Motorway", sector="transport", subtype="motorway", capacity_mw=None,
                     province=["Punjab", "Sindh"], geometry=_line((71.47, 30.2), (68.86, 27.7))),
        make_feature("rashakai", name="Rashakai SEZ", sector="industry", subtype="sez", status="under_construction",
                     capacity_mw=None, province=["Khyber Pakhtunkhwa"], geometry=_square(72.0, 34.0)),
        make_feature("gwadar-port", name="Gwadar Port", sector="port", subtype="seaport", capacity_mw=None,
                     province=["Balochistan"], geometry=_square(62.3, 25.0, 0.1)),
        make_feature("gwadar-water", name="Gwadar Desalination Plant", sector="water", subtype="desalination",
                     status="stalled", capacity_mw=None, province=["Balochistan"], geometry=point(62.4, 25.15)),
        make_feature("fibre", name="Khunjerab Fibre", sector="digital", subtype="fibre", capacity_mw=None,
                     province=["Gilgit-Baltistan"], geometry=_line((75.4, 36.8), (74.3, 35.9), (73.1, 33.6))),
    ]


class MapPage:
    """A map opened from file:// with every console error, page error and outside request recorded."""

    OURS_READY = "window.cpecMapper && window.cpecMapper.views.length > 0 && !window.cpecMapper.views[0].map._animatingZoom"
    ANY_MAP_READY = "typeof L !== 'undefined' && Object.values(window).some(v => v instanceof L.Map && !v._animatingZoom)"

    def __init__(self, browser: Any, path: Path, viewport: dict[str, int] | None = None, ready: str = OURS_READY) -> None:
        self.page = browser.new_page(viewport=viewport or {"width": 1280, "height": 800})
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:"))
                     else self.problems.append(f"request: {r.url}"))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(ready)

    def visible(self) -> dict[str, Any]:
        """What Leaflet has on the map, by kind, with the ids."""
        return self.page.evaluate("window.cpecMapper.views[0].visible()")

    def drawn_paths(self) -> int:
        """SVG paths Leaflet really drew (every feature is one path in SVG mode)."""
        return self.page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()

    def screen_point(self, fid: str) -> tuple[float, float]:
        """Where a feature (a point, or a line's middle vertex) stands on the screen."""
        return tuple(self.page.evaluate(
            """id => { const v = window.cpecMapper.views[0];
                       const l = v.layers.find(x => x.feature.properties.id === id);
                       const flat = l.getLatLng ? [l.getLatLng()] : [l.getLatLngs()].flat(3);
                       const p = v.map.latLngToContainerPoint(flat[Math.floor(flat.length / 2)]);
                       const box = v.map.getContainer().getBoundingClientRect();
                       return [box.left + p.x, box.top + p.y]; }""", fid))

    def hover(self, fid: str) -> None:
        self.page.mouse.move(*self.screen_point(fid))

    def click(self, fid: str) -> None:
        self.page.mouse.click(*self.screen_point(fid))

    def tick(self, group: str, value: str, on: bool) -> None:
        box = self.page.locator(f'.cpec-control input[data-group="{group}"][value="{value}"]')
        box.set_checked(on)


@pytest.fixture(scope="session")
def browser() -> Any:
    """One Debian Chromium for the session (Playwright cannot download its own browser here)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing at /usr/bin/chromium: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_map(browser: Any) -> Any:
    pages: list[MapPage] = []

    def open_(path: Path, **kwargs: Any) -> MapPage:
        pages.append(MapPage(browser, path, **kwargs))
        return pages[-1]

    yield open_
    for mp in pages:
        mp.page.close()
