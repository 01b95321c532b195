"""Progress charts: by year, the generating capacity in operation and under construction and the km of
road and rail opened, computed from each asset's status history; written as ``timeline.html``.

The figures come from ``geo.history.as_of`` taken at the end of every year, so a chart says exactly
what the maps would show as of that year: one rule for dates everywhere. Chart.js draws them (the
pinned npm package, inlined by ``geo.offline`` for offline pages); the numbers also go into a table
under each chart, so they can be read without the picture and checked by tests.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
import jinja2

from .credits import catalog_date
from .history import Change, as_of, changes, history_years
from .offline import find_modules_dir, inline_assets
from .payload import to_script_json
from .style import label

# Generation only: a transmission line's capacity_mw is what it carries, not what it adds.
MW_SUBTYPES = ("coal", "hydro", "nuclear", "solar", "wind")
KM_SUBTYPES = ("motorway", "highway", "railway", "metro")
# Okabe-Ito colours: told apart by people with the common colour-vision deficiencies.
SUBTYPE_COLOURS = {"coal": "#555555", "hydro": "#0072B2", "nuclear": "#CC79A7", "solar": "#E69F00",
                   "wind": "#56B4E9", "motorway": "#D55E00", "highway": "#E69F00", "railway": "#009E73",
                   "metro": "#CC79A7"}
CHART_JS = "https://cdn.jsdelivr.net/npm/chart.js@4.5.1/dist/chart.umd.min.js"  # pinned in package.json
DECIMALS = 2


# A route whose line runs this close to a route of its own kind opened in an earlier year, over this
# share of its length, rebuilds it (the KKH's northern section, rebuilt by 2013, is the KKH of 1978):
# its km are not opened again. A motorway beside a highway is a new road, and counts.
REBUILT_WITHIN_M = 3000
REBUILT_SHARE = 0.9


@dataclass(frozen=True)
class Chart:
    """One chart's figures: a value per year for each subtype (subtypes that stay zero are left out).
    ``flow``: each year's own figure (km opened), not a running state, so empty years say nothing.
    ``notes``: what the figures leave out, and why."""

    key: str
    title: str
    unit: str
    years: list[int]
    values: dict[str, list[float]]
    flow: bool = False
    notes: tuple[str, ...] = ()

    def totals(self) -> list[float]:
        return [round(sum(series[i] for series in self.values.values()), DECIMALS) for i in range(len(self.years))]

    def rows(self) -> list[tuple[int, list[float], float]]:
        """The table under the chart: each year, its value per subtype, and their total (years of a
        flow with nothing in them left out)."""
        cells = [[series[i] for series in self.values.values()] for i in range(len(self.years))]
        return [row for row in zip(self.years, cells, self.totals(), strict=True) if row[2] or not self.flow]

    def to_dict(self) -> dict[str, Any]:
        """What the page's script hands to Chart.js."""
        return {"id": self.key, "unit": self.unit, "years": self.years,
                "series": [{"label": label(s), "colour": SUBTYPE_COLOURS[s], "values": v} for s, v in self.values.items()]}


def _yearly_status(frame: gpd.GeoDataFrame, years: range) -> dict[int, dict[str, str]]:
    """Each year's status of every asset announced by its end (id -> status)."""
    return {year: dict(zip(snapshot["id"], snapshot["status"], strict=True))
            for year in years for snapshot in [as_of(frame, str(year))]}


def _chart(key: str, title: str, unit: str, years: range, found: dict[str, Counter[int]], order: tuple[str, ...],
           flow: bool = False, notes: tuple[str, ...] = ()) -> Chart:
    values = {s: [round(float(found[s][y]), DECIMALS) for y in years] for s in order if s in found and any(found[s].values())}
    return Chart(key, title, unit, list(years), values, flow, notes)


def _rebuilds(route: Any, earlier: list[Any]) -> Any | None:
    """The earlier-opened route of its kind this route rebuilds (see REBUILT_SHARE), if any; geometries
    are in a metric CRS."""
    line = route.geometry
    for old in earlier:
        if old.subtype == route.subtype and line.length and \
                line.intersection(old.geometry.buffer(REBUILT_WITHIN_M)).length >= REBUILT_SHARE * line.length:
            return old
    return None


def _trimmed(charts: list[Chart]) -> list[Chart]:
    """The charts from the first year any of them shows something: decades of zeros say nothing."""
    first = min((y for c in charts for y, total in zip(c.years, c.totals(), strict=True) if total), default=None)
    if first is None:
        return [replace(c, years=[], values={}) for c in charts]
    cut = charts[0].years.index(first)  # the charts of a group share their years
    return [replace(c, years=c.years[cut:], values={s: v[cut:] for s, v in c.values.items()}) for c in charts]


def progress(frame: gpd.GeoDataFrame) -> list[Chart]:
    """The three charts: MW in operation and MW under construction at the end of each year (a plant's
    whole capacity_mw, from the year it reaches that status), and km of road and rail opened in each
    year (length_km, in the first year the asset is operational; none for a rebuild, which the chart's
    notes name)."""
    span = history_years(frame)
    years = range(span[0], span[1] + 1) if span else range(0)
    plants = frame[frame["subtype"].isin(MW_SUBTYPES) & frame["capacity_mw"].notna()]
    routes = frame[frame["subtype"].isin(KM_SUBTYPES) & frame["length_km"].notna()]
    mw: dict[str, dict[str, Counter[int]]] = {"operational": defaultdict(Counter), "under_construction": defaultdict(Counter)}
    plant_of = {row.id: row for row in plants.itertuples()}
    for year, statuses in _yearly_status(plants, years).items():
        for fid, status in statuses.items():
            if status in mw:
                mw[status][plant_of[fid].subtype][year] += float(plant_of[fid].capacity_mw)
    km: dict[str, Counter[int]] = defaultdict(Counter)
    metric = routes.to_crs(routes.estimate_utm_crs()) if len(routes) else routes
    route_of = {row.id: row for row in metric.itertuples()}
    opened: dict[str, int] = {}
    rebuilt: list[str] = []
    for year, statuses in _yearly_status(routes, years).items():
        earlier = [route_of[fid] for fid, when in opened.items() if when < year]
        for fid in [fid for fid, status in statuses.items() if status == "operational" and fid not in opened]:
            opened[fid] = year
            route, old = route_of[fid], _rebuilds(route_of[fid], earlier)
            if old is None:
                km[route.subtype][year] += float(route.length_km)
            else:
                rebuilt.append(f"{route.name} ({number(float(route.length_km))} km, {year}) rebuilds the "
                               f"{old.name}, open since {opened[old.id]}: its km are not counted again.")
    capacity = _trimmed([
        _chart("mw-operational", "Generating capacity in operation", "MW", years, mw["operational"], MW_SUBTYPES),
        _chart("mw-under-construction", "Generating capacity under construction", "MW", years,
               mw["under_construction"], MW_SUBTYPES),
    ])
    return [*capacity, *_trimmed([_chart("km-opened", "Road and rail opened", "km", years, km, KM_SUBTYPES, flow=True,
                                         notes=tuple(rebuilt))])]


def yearly_changes(frame: gpd.GeoDataFrame) -> list[tuple[int, list[Change]]]:
    """Every year's status changes, newest year first (years without any left out)."""
    span = history_years(frame)
    found = [(year, changes(frame, str(year), str(year))) for year in range(span[0], span[1] + 1)] if span else []
    return [(year, found_in) for year, found_in in reversed(found) if found_in]


def number(value: float) -> str:
    """A figure as the tables print it: thousands separated, no trailing zeros."""
    return f"{value:,.{DECIMALS}f}".rstrip("0").rstrip(".")


def _link(source: str) -> dict[str, str] | None:
    """A change's source as a link, when it is a web address (editors' notes stay text)."""
    parts = urlsplit(source)
    return {"href": source, "text": parts.hostname or source} if parts.scheme in ("http", "https") else None


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    text = resources.files("geo").joinpath("static", "timeline.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = number
    env.filters["label"] = label
    env.filters["link"] = _link
    return env.from_string(text)


def render_timeline(frame: gpd.GeoDataFrame, *, title: str, page: dict[str, Any], offline: bool = False,
                    modules_dir: Path | None = None) -> str:
    """The HTML of the progress page of ``frame``; ``page``: the links to the maps (``build.page_links``).
    Offline pages carry Chart.js inlined and fetch nothing."""
    charts = progress(frame)
    script = resources.files("geo").joinpath("static", "timeline.js").read_text(encoding="utf-8")
    html = _template().render(
        title=f"{title}: progress by year", date=catalog_date(frame), charts=charts, changes=yearly_changes(frame),
        links=page["links"], offline_copy=page.get("offlineCopy"), assets=len(frame),
        outside=int((frame["programme"] != "CPEC").sum()), chart_js=CHART_JS,
        data=to_script_json({"charts": [c.to_dict() for c in charts if c.years]}), script=script,
    )
    return inline_assets(html, modules_dir or find_modules_dir()) if offline else html
