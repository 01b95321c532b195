"""The progress page: yearly figures from the status histories, and the page itself in Chromium.

The expected numbers below were worked out by hand from the fixture's histories, year by year, with
the rule that an entry counts by the end of the period its date names (``2019`` by 31 December 2019).
"""

from __future__ import annotations

import re
import zlib
from html.parser import HTMLParser
from typing import Any

import pytest
from conftest import NODE_MODULES, collection, make_feature

from geo import load_catalog
from geo.build import build_maps
from geo.timeline import CHART_JS, progress, yearly_changes

HOSTILE_NAME = 'Motorway <img src=x onerror="alert(1)">'
HOSTILE_EVENT = "opened </li><script>alert(2)</script>"
QUOTE_URL = 'https://news.example.org/a"onmouseover="alert(3)'


def _line(fid: str, km: float) -> dict[str, Any]:
    """A north-south line about ``km`` long (a degree of latitude is about 110.9 km here), each on its own meridian."""
    lon = 70 + zlib.crc32(fid.encode()) % 500 / 100
    return {"type": "LineString", "coordinates": [[lon, 29.0], [lon, round(29.0 + km / 110.9, 6)]]}


def asset(fid: str, subtype: str, steps: list[tuple[str, str]], *, mw: float | None = None, km: float | None = None,
          sector: str = "energy", **extra: Any) -> dict[str, Any]:
    """A valid asset whose history is ``steps`` (date, status), each cited to its own page."""
    history = [{"date": d, "status": s, "event": f"{fid} {s}", "source": {"title": "Report", "url": f"https://news.example.org/{fid}/{i}"}}
               for i, (d, s) in enumerate(steps)]
    first = {s: int(d[:4]) for d, s in reversed(steps)}
    return make_feature(fid, sector=sector, subtype=subtype, status=steps[-1][1], status_as_of=steps[-1][0],
                        status_history=history, capacity_mw=mw, length_km=km, start_year=first.get("under_construction"),
                        completion_year=first.get("operational"), **({"geometry": _line(fid, km)} if km else {}),
                        **extra)


def fixture_features() -> list[dict[str, Any]]:
    roads = {"sector": "transport", "province": ["Punjab"]}
    highway = asset("highway-h", "highway", [("2016", "under_construction"), ("2019", "operational"), ("2020", "stalled"),
                                             ("2021", "operational")], km=50, **roads)
    motorway = asset("motorway-r", "motorway", [("2014", "planned"), ("2015", "under_construction"), ("2017-08", "operational")],
                     km=100, name=HOSTILE_NAME, **roads)
    motorway["properties"]["status_history"][2]["event"] = HOSTILE_EVENT
    motorway["properties"]["status_history"][1]["source"]["url"] = QUOTE_URL
    wind = asset("wind-b", "wind", [("2016", "planned"), ("2017-05-10", "under_construction"), ("2019", "operational")], mw=50)
    del wind["properties"]["status_history"][2]["source"]
    wind["properties"]["status_history"][2]["note"] = "date from the company's annual report"
    return [
        asset("coal-a", "coal", [("2015", "planned"), ("2016-03", "under_construction"), ("2018-06", "operational")], mw=1000),
        wind,
        asset("nuclear-c", "nuclear", [("2017-11", "planned"), ("2018-12-31", "under_construction"),
                                       ("2021-06-30", "under_construction")], mw=1100),
        asset("coal-d", "coal", [("2016", "planned"), ("2019-02", "under_construction"), ("2020", "stalled"),
                                 ("2021-03", "planned")], mw=300),
        # transmission: its MW is carried, not generated; it is no road either
        asset("hvdc-e", "transmission", [("2017", "planned"), ("2019-05", "operational")], mw=4000, km=100),
        motorway,
        highway,
        asset("metro-m", "metro", [("2018", "under_construction"), ("2021-01-15", "operational")], km=25.4, **roads),
        asset("railway-p", "railway", [("2016", "planned")], km=200, **roads),
    ]


@pytest.fixture
def frame(write_catalog):
    return load_catalog([write_catalog(collection(*fixture_features()))])


# Worked out by hand: year -> figures, in the order coal, hydro, nuclear, solar, wind / motorway, highway, railway, metro.
EXPECTED = {
    "mw-operational": {"years": [2016, 2017, 2018, 2019, 2020, 2021],
                       "values": {"coal": [0, 0, 1000, 1000, 1000, 1000], "wind": [0, 0, 0, 50, 50, 50]}},
    "mw-under-construction": {"years": [2016, 2017, 2018, 2019, 2020, 2021],
                              "values": {"coal": [1000, 1000, 0, 300, 0, 0], "nuclear": [0, 0, 1100, 1100, 1100, 1100],
                                         "wind": [0, 50, 50, 0, 0, 0]}},
    "km-opened": {"years": [2017, 2018, 2019, 2020, 2021],
                  "values": {"motorway": [100, 0, 0, 0, 0], "highway": [0, 0, 50, 0, 0], "metro": [0, 0, 0, 0, 25.4]}},
}
# The tables: header row, then (year, cells..., total); km leaves out the years nothing opened.
EXPECTED_TABLES = {
    "mw-operational": [["Year", "Coal", "Wind", "Total"], ["2016", "0", "0", "0"], ["2017", "0", "0", "0"],
                       ["2018", "1,000", "0", "1,000"], ["2019", "1,000", "50", "1,050"], ["2020", "1,000", "50", "1,050"],
                       ["2021", "1,000", "50", "1,050"]],
    "mw-under-construction": [["Year", "Coal", "Nuclear", "Wind", "Total"], ["2016", "1,000", "0", "0", "1,000"],
                              ["2017", "1,000", "0", "50", "1,050"], ["2018", "0", "1,100", "50", "1,150"],
                              ["2019", "300", "1,100", "0", "1,400"], ["2020", "0", "1,100", "0", "1,100"],
                              ["2021", "0", "1,100", "0", "1,100"]],
    "km-opened": [["Year", "Motorway", "Highway", "Metro", "Total"], ["2017", "100", "0", "0", "100"],
                  ["2019", "0", "50", "0", "50"], ["2021", "0", "0", "25.4", "25.4"]],
}


def test_yearly_figures_follow_the_histories(frame):
    found = {c.key: {"years": c.years, "values": c.values} for c in progress(frame)}
    assert found == EXPECTED


def test_a_rebuilt_road_is_not_opened_twice(write_catalog):
    """A highway rebuilt along an older highway adds no km; a motorway beside it is a new road and does."""
    roads = {"sector": "transport", "province": ["Punjab"]}
    old = asset("old-road", "highway", [("1975", "under_construction"), ("1978", "operational")], km=200, **roads)
    lon = old["geometry"]["coordinates"][0][0]
    section = asset("old-road-rebuilt", "highway", [("2010", "under_construction"), ("2013", "operational")], km=100, **roads)
    beside = asset("new-motorway", "motorway", [("2016", "under_construction"), ("2020", "operational")], km=100, **roads)
    for feature, shift in ((section, 0.01), (beside, 0.02)):  # along the old road, a kilometre or two off it
        x = round(lon + shift, 6)
        feature["geometry"] = {"type": "LineString", "coordinates": [[x, 29.2], [x, 30.1]]}
    (km,) = [c for c in progress(load_catalog([write_catalog(collection(old, section, beside))])) if c.key == "km-opened"]
    opened = {year: total for year, _, total in km.rows()}
    assert opened == {1978: 200, 2020: 100}
    assert len(km.notes) == 1 and "Old Road Rebuilt (100 km, 2013) rebuilds the Old Road, open since 1978" in km.notes[0]


def test_nothing_to_chart_gives_empty_charts(frame):
    assert [c.years for c in progress(frame[frame["id"] == "railway-p"])] == [[], [], []]


def test_changes_grouped_by_year_newest_first(frame):
    found = yearly_changes(frame)
    assert [year for year, _ in found] == [2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014]
    in_2019 = dict(found)[2019]
    assert [(c.id, c.before, c.after) for c in in_2019] == [
        ("coal-d", "planned", "under_construction"), ("hvdc-e", "planned", "operational"),
        ("highway-h", "under_construction", "operational"), ("wind-b", "under_construction", "operational")]
    assert [(c.id, c.before) for c in dict(found)[2014]] == [("motorway-r", None)]


class _Page(HTMLParser):
    """The parts of the page the tests read: tables' cells, links, and text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.text: list[str] = []
        self._figure: str | None = None
        self._cell: list[str] | None = None
        self._tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tags.append(tag)
        attr = dict(attrs)
        if tag == "figure":
            self._figure = attr["id"]
        elif tag == "tr" and self._figure:
            self.tables.setdefault(self._figure, []).append([])
        elif tag in ("td", "th") and self._figure:
            self._cell = []
        elif tag == "a":
            self.links.append(attr["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._figure:
            self.tables[self._figure][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "figure":
            self._figure = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if not self._tags or self._tags[-1] not in ("script", "style"):
            self.text.append(data)


def _parsed(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def test_page_has_figures_links_and_escaped_text(frame, tmp_path):
    built = {b.path.name for b in build_maps(frame, tmp_path)}
    assert "timeline.html" in built
    html = (tmp_path / "timeline.html").read_text(encoding="utf-8")
    page = _parsed(html)
    assert page.tables == EXPECTED_TABLES
    text = re.sub(r"\s+", " ", "".join(page.text))
    # the newest date: a year-only entry ("2021") runs to 31 December, after 2021-06-30
    assert "CPEC assets: progress by year" in text and "Catalog as of 2021 " in text
    assert "length_km" in text and "commissioning of the whole asset" in text
    # the hostile strings arrive as text, never as markup
    assert HOSTILE_NAME in text and HOSTILE_EVENT in text
    assert "<img src=x" not in html and "<script>alert" not in html and 'onmouseover="alert' not in html
    assert QUOTE_URL in page.links
    assert "editors: date from the company's annual report" in text
    local = [href for href in page.links if not href.startswith("https://")]
    assert {"index.html", "sector/energy.html", "sector/transport.html", "status/operational.html"} <= set(local)
    assert "offline/timeline.html" in local  # the copy `make maps` builds beside
    assert all((tmp_path / href).is_file() for href in local if not href.startswith("offline/")), local
    assert CHART_JS in html  # the online page loads the pinned Chart.js from the CDN


def test_offline_page_is_one_file(frame, tmp_path):
    build_maps(frame, tmp_path, offline=True, modules_dir=NODE_MODULES)
    html = (tmp_path / "timeline.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html)
    assert "Chart.js v4.5.1" in html  # the pinned library, inlined
    local = [href for href in _parsed(html).links if not href.startswith("https://")]
    assert "index.html" in local and all((tmp_path / href).is_file() for href in local), local


def _table_numbers(page: Any, key: str) -> list[list[str]]:
    return page.evaluate("""key => [...document.querySelectorAll(`#${key} tr`)]
        .map(tr => [...tr.children].map(cell => cell.textContent.trim()))""", key)


def _drawn(page: Any) -> list[dict[str, Any]]:
    """What Chart.js holds and drew: each chart's labels, datasets, and the canvas's painted pixels."""
    return page.evaluate("""() => window.cpecTimeline.charts.map(chart => {
        const canvas = chart.canvas, pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
        return {id: canvas.id, years: chart.data.labels.map(Number), width: canvas.getBoundingClientRect().width,
                series: Object.fromEntries(chart.data.datasets.map(d => [d.label.toLowerCase(), d.data])),
                bars: chart.data.datasets.flatMap((d, i) => chart.getDatasetMeta(i).data.map(bar => bar.height)),
                painted: painted / (canvas.width * canvas.height)};
    })""")


@pytest.mark.parametrize("viewport", [{"width": 1400, "height": 900}, {"width": 390, "height": 844}])
def test_offline_page_in_chromium(frame, tmp_path, open_map, viewport):
    build_maps(frame, tmp_path, offline=True, modules_dir=NODE_MODULES)
    shown = open_map(tmp_path / "timeline.html", viewport=viewport, ready="window.cpecTimeline !== undefined")
    page = shown.page
    drawn = _drawn(page)
    assert [d["id"] for d in drawn] == [f"{key}-canvas" for key in EXPECTED]
    for chart in drawn:
        expected = EXPECTED[chart["id"].removesuffix("-canvas")]
        assert chart["years"] == expected["years"]
        assert chart["series"] == expected["values"]
        assert chart["painted"] > 0.02  # axes, labels and bars, not a blank canvas
        assert sum(h > 1 for h in chart["bars"]) == sum(v > 0 for s in expected["values"].values() for v in s)
        assert chart["width"] <= viewport["width"]
    for key, rows in EXPECTED_TABLES.items():
        assert _table_numbers(page, key) == rows
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]  # wide tables scroll in place
    page.screenshot(path=str(tmp_path / f"timeline-{viewport['width']}.png"), full_page=True)
    assert shown.problems == [] and shown.dialogs == []


def test_online_page_fetches_only_pinned_chart_js(frame, tmp_path, browser):
    build_maps(frame, tmp_path)
    page = browser.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith("file:") else requested.append(r.url))
    local = NODE_MODULES / "chart.js" / "dist" / "chart.umd.min.js"
    page.route(lambda url: url.startswith(("http:", "https:")),
               lambda route: route.fulfill(path=str(local), content_type="text/javascript")
               if route.request.url == CHART_JS else route.abort())
    try:
        page.goto((tmp_path / "timeline.html").as_uri())
        page.wait_for_function("window.cpecTimeline !== undefined")
        assert [d["series"] for d in _drawn(page)] == [e["values"] for e in EXPECTED.values()]
    finally:
        page.close()
    assert requested == [CHART_JS] and problems == []
