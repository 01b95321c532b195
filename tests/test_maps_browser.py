"""The maps in a real browser (Chromium), at a desktop and a phone size: every asset reachable,
filters, counts and totals, search, table, permalink, downloads, titles and credits, navigation,
print, and the online page failing gracefully without its CDN."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import NODE_MODULES, REPO, SEEDS, MapPage, collection, make_feature, map_features

from geo import load_catalog
from geo.build import build_maps, map_title

KIND = {"Point": "point", "MultiPoint": "point", "LineString": "line", "MultiLineString": "line", "Polygon": "polygon",
        "MultiPolygon": "polygon"}
VIEWPORTS = {"wide": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}
SHOTS = Path(tempfile.gettempdir()) / "cpec-map-shots"  # screenshots to look at; never maps_out/
GWADAR = [62.33, 25.12]
NEARBY = [62.33002, 25.12001]  # ~2 m apart: one pixel even at the deepest zoom
NEXT = [62.33, 25.12002]
VIEW = "window.cpecMapper.views[0]"


def _point(lon: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def features() -> list[dict[str, Any]]:
    """The shared eight, three assets within metres of each other, two close parallel lines, a pre-CPEC asset."""
    extra = [
        make_feature("gw-a", name="Gwadar Alpha Works", sector="port", subtype="seaport", capacity_mw=None,
                     province=["Balochistan"], geometry=_point(*GWADAR)),
        make_feature("gw-b", name="Gwadar Beta Yard", sector="port", subtype="fishery", capacity_mw=None,
                     province=["Balochistan"], geometry=_point(*NEARBY)),
        make_feature("gw-c", name="Gwadar Gamma Plant", capacity_mw=300, province=["Balochistan"], geometry=_point(*NEXT),
                     notes="capacity_mw is from the 2019 report; start_year is uncertain."),
        make_feature("line-a", name="Alpha Pipeline", sector="energy", subtype="oil_pipeline", capacity_mw=None,
                     length_km=100, geometry={"type": "LineString", "coordinates": [[66.0, 28.0], [67.0, 28.0]]}),
        make_feature("line-b", name="Beta Cable", sector="digital", subtype="fibre", capacity_mw=None, length_km=100,
                     geometry={"type": "LineString", "coordinates": [[66.0, 28.2], [67.0, 28.2]]}),
        make_feature("old-mill", name="Old Steel Mill", sector="industry", subtype="heavy_industry", capacity_mw=None,
                     programme="pre-CPEC", cost_usd_m=250, province=["Sindh"], geometry=_point(67.3, 24.8)),
    ]
    return map_features() + extra


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Any]:
    """Offline maps of the fixture catalog."""
    folder = tmp_path_factory.mktemp("maps")
    src = folder / "catalog.geojson"
    src.write_text(json.dumps(collection(*features())), encoding="utf-8")
    frame = load_catalog([src])
    build_maps(frame, folder / "out", offline=True, modules_dir=NODE_MODULES)
    return folder / "out", frame


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[Path, Any]:
    """Offline maps of the shipped catalog."""
    if not (REPO / "data" / "energy.geojson").exists():
        pytest.skip("shipped data not present")
    frame = load_catalog(documents_dir=SEEDS if SEEDS.is_dir() else None)
    out = tmp_path_factory.mktemp("shipped")
    build_maps(frame, out, offline=True, modules_dir=NODE_MODULES)
    return out, frame


def expected(frame, keep=lambda row: True) -> dict:
    rows = [row for _, row in frame.iterrows() if keep(row)]
    counts = Counter(KIND[row.geometry.geom_type] for row in rows)
    return {"point": counts["point"], "line": counts["line"], "polygon": counts["polygon"], "ids": sorted(r["id"] for r in rows)}


def seen(mp: MapPage) -> dict:
    got = mp.visible()
    got["ids"] = sorted(got["ids"])
    return got


def shot(mp: MapPage, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    mp.page.wait_for_timeout(300)
    mp.page.screenshot(path=str(SHOTS / f"{name}.png"))


def popup_title(mp: MapPage) -> str:
    heading = mp.page.locator(".leaflet-popup-content .cpec-popup h4")
    heading.wait_for()
    return heading.inner_text()


def close_popup(mp: MapPage) -> None:
    """Escape closes the popup; Leaflet fades it out and removes it 200 ms later, so wait until it is gone
    (a fading popup would otherwise answer for the next one)."""
    mp.page.keyboard.press("Escape")
    mp.page.locator(".leaflet-popup").wait_for(state="detached")


def settled_point(mp: MapPage, fid: str) -> tuple[float, float]:
    """Where a feature stands once the map has stopped moving (a popup's auto-pan is animated)."""
    last = mp.screen_point(fid)
    for _ in range(50):
        mp.page.wait_for_timeout(60)
        now = mp.screen_point(fid)
        if now == last:
            return now
        last = now
    raise AssertionError(f"{fid} never stopped moving")


def expand_panel(mp: MapPage) -> None:
    if mp.page.locator(".cpec-toggle").get_attribute("aria-expanded") == "false":
        mp.page.locator(".cpec-toggle").click()


def counts_shown(mp: MapPage, group: str) -> dict[str, int]:
    labels = mp.page.locator(f'.cpec-control fieldset[data-group="{group}"] label')
    return {labels.nth(i).locator("input").get_attribute("value"): int(labels.nth(i).locator(".cpec-count").inner_text())
            for i in range(labels.count())}


def search(mp: MapPage, text: str) -> Any:
    box = mp.page.locator("#cpec-search-input")
    box.fill("")
    box.press_sequentially(text, delay=10)
    return mp.page.locator(".cpec-results li")


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> tuple[str, dict[str, int]]:
    return request.param, VIEWPORTS[request.param]


# 1 --------------------------------------------------------------------------------------------

def test_loads_clean_with_every_asset(built, open_map, viewport):
    out, frame = built
    name, size = viewport
    mp = open_map(out / "index.html", viewport=size)
    assert seen(mp) == expected(frame)
    assert mp.problems == []
    shot(mp, f"fixture-{name}")


def test_colocated_assets_cluster_then_spread_and_each_opens(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    page = mp.page
    # at the opening zoom the three share one cluster that counts them
    parent = ("id => { const v = " + VIEW + "; const m = v.find(id).markers[0];"
              " return v.map.hasLayer(m) ? null : v.cluster.getVisibleParent(m); }")
    count = page.evaluate(f"({parent})('gw-a') && ({parent})('gw-a').getChildCount ? ({parent})('gw-a').getChildCount() : 0")
    assert count >= 3
    for _ in range(25):  # click the cluster until it spreads (zooms in, then spiderfies)
        spread = page.evaluate(f"""(() => {{ const v = {VIEW};
            return ['gw-a','gw-b','gw-c'].every(id => v.map.hasLayer(v.find(id).markers[0])); }})()""")
        if spread:
            break
        box = page.evaluate(f"""(() => {{ const p = ({parent})('gw-a'); const r = p.getElement().getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        page.mouse.click(*box)
        page.wait_for_timeout(350)
    assert spread
    points = {fid: mp.screen_point(fid) for fid in ("gw-a", "gw-b", "gw-c")}
    assert len({(round(x), round(y)) for x, y in points.values()}) == 3  # spread apart
    names = {"gw-a": "Gwadar Alpha Works", "gw-b": "Gwadar Beta Yard", "gw-c": "Gwadar Gamma Plant"}
    for fid in points:
        close_popup(mp)
        page.mouse.click(*settled_point(mp, fid))  # afresh: the last popup may have panned the map
        assert popup_title(mp) == names[fid]
        assert page.evaluate(f"{VIEW}.map.hasLayer({VIEW}.find('gw-a').markers[0])")  # still spread
    assert mp.problems == []
    shot(mp, f"spiderfied-{viewport[0]}")


def test_cluster_counts_assets_opens_by_keyboard_and_spreads(tmp_path, open_map):
    """A scheme drawn as two symbols counts once; Enter on a cluster zooms in, past the zoom where the
    index's deeper levels are built on first use, until the symbols spread and each opens."""
    dam, powerhouse, yard = [72.100, 34.100], [72.103, 34.1005], [72.1015, 34.0985]
    hydro = make_feature("hy-1", name="Hydro One", sector="energy", subtype="hydro", capacity_mw=100,
                         province=["Khyber Pakhtunkhwa"], location_precision="approximate",
                         geometry={"type": "MultiPoint", "coordinates": [dam, powerhouse]})
    depot = make_feature("dp-1", name="Depot One", sector="transport", subtype="dry_port", capacity_mw=None,
                         province=["Khyber Pakhtunkhwa"], location_precision="approximate", geometry=_point(*yard))
    far = make_feature("far-1", name="Far Plant", geometry=_point(67.0, 25.0))
    alone = make_feature("hy-2", name="Hydro Two", sector="energy", subtype="hydro", capacity_mw=50,
                         province=["Khyber Pakhtunkhwa"], location_precision="approximate",
                         geometry={"type": "MultiPoint", "coordinates": [[73.5, 35.0], [73.503, 35.0005]]})
    src = tmp_path / "catalog.geojson"
    src.write_text(json.dumps(collection(hydro, depot, far, alone)), encoding="utf-8")
    frame = load_catalog([src])
    build_maps(frame, tmp_path / "out", offline=True, modules_dir=NODE_MODULES)
    mp = open_map(tmp_path / "out" / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    icon = page.locator(".cpec-cluster")
    assert icon.count() == 1 and icon.inner_text() == "2"  # two assets, three symbols
    # a scheme alone shows its own symbols, not a cluster of "1"
    assert page.evaluate(f"{VIEW}.find('hy-2').markers.every(m => {VIEW}.map.hasLayer(m))")
    for _ in range(16):
        if page.evaluate(f"{VIEW}.cluster.getVisibleParent({VIEW}.find('dp-1').markers[0]) === {VIEW}.find('dp-1').markers[0]"):
            break
        page.locator(".cpec-cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("!document.querySelector('.leaflet-zoom-anim')")  # Leaflet's zoom animation is over
    zoom = page.evaluate(f"{VIEW}.map.getZoom()")
    assert zoom > 12
    symbols = page.evaluate(f"""(v => ['hy-1', 'dp-1'].flatMap(id => v.find(id).markers)
        .filter(m => v.map.hasLayer(m)).length)({VIEW})""")
    assert symbols == 3
    for fid, name in (("dp-1", "Depot One"), ("hy-1", "Hydro One")):
        close_popup(mp)
        page.mouse.click(*settled_point(mp, fid))
        assert popup_title(mp) == name
    assert mp.problems == []


def test_filters_keep_working_with_clusters(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    expand_panel(mp)
    mp.tick("sector", "port", False)
    assert seen(mp) == expected(frame, lambda r: r["sector"] != "port")
    gone = mp.page.evaluate(f"{VIEW}.cluster.hasLayer({VIEW}.find('gw-a').markers[0])")
    assert gone is False
    mp.tick("sector", "port", True)
    assert seen(mp) == expected(frame)


# 2 --------------------------------------------------------------------------------------------

def test_basemap_has_detailed_coast_town_labels_and_limits(built, open_map):
    out, _ = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    options = page.evaluate(f"(m => [m.getMinZoom(), m.getMaxZoom(), !!m.options.maxBounds])({VIEW}.map)")
    assert options[0] >= 4 and options[1] >= 14 and options[2]
    page.evaluate(f"{VIEW}.map.setView([25.12, 62.33], 9, {{animate: false}}), null")
    page.wait_for_timeout(200)
    towns = page.locator(".cpec-town").all_inner_texts()
    assert "Gwadar" in towns
    page.evaluate(f"{VIEW}.map.setView([25.12, 62.33], 14, {{animate: false}}), null")
    shot(mp, "gwadar-zoom14")
    page.evaluate(f"{VIEW}.map.setZoom(1, {{animate: false}}), null")
    assert page.evaluate(f"{VIEW}.map.getZoom()") >= 4
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert "GeoNames" in page.locator(".leaflet-control-attribution").inner_text()


# 3 --------------------------------------------------------------------------------------------

def test_phone_panel_collapses_popups_and_results_draw_above(built, open_map, viewport):
    out, _ = built
    name, size = viewport
    mp = open_map(out / "index.html", viewport=size)
    page = mp.page
    toggle = page.locator(".cpec-toggle")
    assert toggle.get_attribute("aria-expanded") == ("false" if name == "phone" else "true")
    assert page.locator(".cpec-body").is_visible() == (name == "wide")
    toggle.click()
    assert page.locator(".cpec-body").is_visible() == (name == "phone")
    expand_panel(mp)
    page.evaluate(f"{VIEW}.openPopup('sahiwal-plant')")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_timeout(400)
    box = popup.bounding_box()
    on_top = page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup')",
                           [box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 40)])
    assert on_top
    shot(mp, f"popup-{name}")
    close_popup(mp)
    expand_panel(mp)
    results = search(mp, "Gwadar")
    results.first.wait_for()
    box = results.first.bounding_box()
    assert page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.cpec-results')",
                         [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    shot(mp, f"search-{name}")
    viewport_meta = page.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in viewport_meta and "maximum-scale" not in viewport_meta


def test_tooltip_closes_after_a_tap(built, browser):
    out, _ = built
    page = browser.new_page(viewport=VIEWPORTS["phone"], has_touch=True, is_mobile=True)
    page.goto((out / "index.html").as_uri())
    page.wait_for_function(MapPage.OURS_READY)
    at = page.evaluate(f"""(() => {{ const v = {VIEW}; const l = v.find('m5').main;
        const flat = l.getLatLngs(); const p = v.map.latLngToContainerPoint(flat[Math.floor(flat.length / 2)]);
        const r = v.map.getContainer().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }})()""")
    page.touchscreen.tap(*at)
    page.locator(".leaflet-popup-content h4").wait_for()
    page.wait_for_timeout(300)
    assert page.locator(".leaflet-tooltip").count() == 0
    page.close()


def test_scale_bar_is_not_under_the_credits(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    boxes = [mp.page.locator(sel).bounding_box() for sel in (".leaflet-control-scale", ".leaflet-control-attribution")]
    scale, credits = boxes
    overlap_x = min(scale["x"] + scale["width"], credits["x"] + credits["width"]) - max(scale["x"], credits["x"])
    overlap_y = min(scale["y"] + scale["height"], credits["y"] + credits["height"]) - max(scale["y"], credits["y"])
    assert overlap_x <= 0 or overlap_y <= 0


# 4 --------------------------------------------------------------------------------------------

def test_keyboard_reaches_an_asset_and_controls_are_labelled(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    page = mp.page
    unlabelled = page.evaluate("""[...document.querySelectorAll(
        '.cpec-control input, .cpec-control button, .cpec-search input, .cpec-table button')]
        .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map(e => e.outerHTML)""")
    assert unlabelled == []
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "cpec-search-input":
            break
    assert page.evaluate("document.activeElement.id") == "cpec-search-input"
    page.keyboard.type("multan", delay=10)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert popup_title(mp) == "Multan-Sukkur Motorway"
    assert page.locator("#cpec-search-input").is_visible()  # Enter does not hide the search box
    assert mp.problems == []


# 5 --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "first"), [("Sahival", "Sahiwal Coal Power Plant"), ("ml1", "ML-1 Railway"),
                                              ("M 5", "Multan-Sukkur Motorway"), ("coal-fired", "Sahiwal Coal Power Plant")])
def test_search_forgives_typos_and_spacing(built, open_map, query, first):
    out, _ = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    results = search(mp, query)
    results.first.wait_for()
    assert results.first.locator(".cpec-result-name").inner_text() == first
    assert "|" not in results.first.inner_text()
    meta = results.first.locator(".cpec-result-meta").inner_text()
    assert "·" in meta  # sector · status


def test_search_says_no_match_and_finds_filtered_out_assets(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    page = mp.page
    search(mp, "Xylophone Works")
    assert "No match" in page.locator(".cpec-search-status").inner_text()
    expand_panel(mp)
    mp.tick("sector", "energy", False)
    results = search(mp, "Sahiwal")
    results.first.wait_for()
    assert "filtered out" in results.first.inner_text()
    assert "cpec-filtered" in results.first.get_attribute("class")
    results.first.click()
    assert popup_title(mp) == "Sahiwal Coal Power Plant"
    assert page.locator('.cpec-control input[data-group="sector"][value="energy"]').is_checked()
    assert "sahiwal-plant" in mp.visible()["ids"]


# 6 --------------------------------------------------------------------------------------------

def test_counts_follow_the_other_groups_and_totals_follow_the_map(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    assert counts_shown(mp, "status") == dict(Counter(frame["status"]))
    mp.tick("sector", "transport", False)
    rest = frame[frame["sector"] != "transport"]
    assert counts_shown(mp, "status") == {s: int((rest["status"] == s).sum()) for s in counts_shown(mp, "status")}
    assert counts_shown(mp, "sector")["transport"] == int((frame["sector"] == "transport").sum())  # its own group not
    totals = mp.page.locator(".cpec-totals").inner_text()
    assert f"{len(rest)} of {len(frame)} assets shown" in totals
    assert f"{int(rest['capacity_mw'].fillna(0).sum()):,} MW" in totals
    assert f"{int(rest['length_km'].fillna(0).sum()):,} km" in totals
    assert f"USD {int(rest['cost_usd_m'].fillna(0).sum()):,} m" in totals


# 7 --------------------------------------------------------------------------------------------

def test_table_sorts_follows_filters_and_opens_rows(built, open_map, viewport):
    out, frame = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    page = mp.page
    expand_panel(mp)
    page.locator(".cpec-table-button").click()
    rows = page.locator(".cpec-table tbody tr")
    assert rows.count() == len(frame)
    names = rows.locator("th").all_inner_texts()
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    for key in ("sector", "status", "province", "capacity_mw", "cost_usd_m"):
        page.locator(f'.cpec-table thead button[data-sort="{key}"]').click()
        header = page.locator(f'.cpec-table thead button[data-sort="{key}"]').locator("..")
        assert header.get_attribute("aria-sort") == "ascending"
    page.locator('.cpec-table thead button[data-sort="capacity_mw"]').click()
    page.locator('.cpec-table thead button[data-sort="capacity_mw"]').click()  # descending
    first = rows.first.get_attribute("data-id")
    assert first == frame.loc[frame["capacity_mw"].astype(float).idxmax(), "id"]
    shot(mp, f"table-{viewport[0]}")
    expand_panel(mp)
    mp.tick("sector", "energy", False)
    page.locator(".cpec-table-button").click() if page.locator(".cpec-table").is_hidden() else None
    assert rows.count() == int((frame["sector"] != "energy").sum())
    page.locator('.cpec-table tbody tr[data-id="m5"] button').click()
    assert popup_title(mp) == "Multan-Sukkur Motorway"


# 8 --------------------------------------------------------------------------------------------

def test_permalink_round_trips(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    page = mp.page
    expand_panel(mp)
    mp.tick("sector", "digital", False)
    mp.tick("programme", "pre-CPEC", False)
    page.evaluate(f"{VIEW}.setYear(2016)")
    page.evaluate(f"{VIEW}.map.setView([30.1, 71.2], 8, {{animate: false}}), null")
    page.wait_for_timeout(600)  # the hash is written once the view settles
    url = page.url
    assert "year=2016" in url and "sector=" in url and "map=8/30.1" in url
    shown = sorted(mp.visible()["ids"])
    again = open_map(Path(url.split("#")[0].removeprefix("file://")), viewport=viewport[1])
    again.page.goto(url)
    again.page.reload()
    again.page.wait_for_function(MapPage.OURS_READY)
    assert sorted(again.visible()["ids"]) == shown
    assert again.page.evaluate(f"{VIEW}.year") == 2016
    assert again.page.evaluate(f"{VIEW}.map.getZoom()") == 8
    assert not again.page.locator('.cpec-control input[data-group="sector"][value="digital"]').is_checked()


# 9 --------------------------------------------------------------------------------------------

def test_downloads_geojson_and_csv_of_the_selection(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    page = mp.page
    expand_panel(mp)
    mp.tick("sector", "transport", False)
    with page.expect_download() as info:
        page.locator(".cpec-download-geojson").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["id"] for f in data["features"]) == sorted(mp.visible()["ids"])
    from shapely.geometry import shape

    for feature in data["features"]:
        assert shape(feature["geometry"]).is_valid
    expand_panel(mp)
    with page.expect_download() as info:
        page.locator(".cpec-download-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert sorted(r["id"] for r in rows) == sorted(mp.visible()["ids"])
    assert all(r["lon"] and r["lat"] for r in rows)
    assert mp.problems == []


# 10 -------------------------------------------------------------------------------------------

def test_title_names_the_filters_and_date_and_credits_show(built, tmp_path, open_map):
    _, frame = built
    title = map_title(sector=["energy"], province=["Punjab"])
    assert title == "CPEC assets: Energy sector, Punjab"
    part = frame[frame["sector"] == "energy"]
    build_maps(part, tmp_path, offline=True, modules_dir=NODE_MODULES, title=title)
    mp = open_map(tmp_path / "index.html", viewport=VIEWPORTS["wide"])
    assert mp.page.title() == title
    assert mp.page.locator(".cpec-title").inner_text() == title
    assert mp.page.locator(".cpec-date").inner_text() == f"Catalog as of {max(part['status_as_of'])}"


def test_cli_title_option(tmp_path):
    from click.testing import CliRunner

    from geo.cli import main

    catalog = tmp_path / "c.geojson"
    catalog.write_text(json.dumps(collection(*features())), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--data", str(catalog), "--out", str(tmp_path / "o"), "--title", "Mine <b>"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "o" / "index.html").read_text(encoding="utf-8")
    assert "<title>Mine &lt;b&gt;</title>" in html
    result = CliRunner().invoke(main, ["build", "--data", str(catalog), "--out", str(tmp_path / "p"), "--sector", "energy"])
    assert "CPEC assets: Energy sector" in (tmp_path / "p" / "index.html").read_text(encoding="utf-8")


# 11 -------------------------------------------------------------------------------------------

def test_programme_filter_and_non_cpec_style(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    assert counts_shown(mp, "programme") == dict(Counter(frame["programme"]))
    fills = mp.page.evaluate(f"['old-mill', 'sahiwal-plant'].map(id => {VIEW}.find(id).markers[0].options.fillColor)")
    assert fills[0] == "#ffffff" and fills[1] != "#ffffff"  # hollow: never passes for CPEC
    mp.tick("programme", "pre-CPEC", False)
    assert seen(mp) == expected(frame, lambda r: r["programme"] != "pre-CPEC")


# 12 -------------------------------------------------------------------------------------------

def test_lines_show_their_kind_and_hover_picks_the_nearest(built, open_map):
    out, _ = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    legend = page.locator(".cpec-key-line").all_inner_texts()
    assert {"Railway or metro", "Cable", "Pipeline", "Road or motorway"} <= set(legend)
    styles = page.evaluate(f"""['ml1', 'fibre', 'line-a'].map(id =>
        {VIEW}.find(id).shapes.map(s => [s.options.dashArray, !!s.options.ticks]))""")
    assert [t for _, t in styles[0] if t] == [True]  # rail: ticks under the line
    assert styles[1][0][0] and styles[2][0][0] and styles[1][0][0] != styles[2][0][0]  # cable and pipeline dashed, differently
    page.evaluate(f"{VIEW}.map.setView([28.1, 66.5], 6, {{animate: false}}), null")  # lines 10 px apart: both within reach
    page.wait_for_timeout(200)
    a, b = mp.screen_point("line-a"), mp.screen_point("line-b")
    for share, name in ((0.3, "Alpha Pipeline"), (0.7, "Beta Cable")):
        page.mouse.move(a[0] + (b[0] - a[0]) * share - 20, a[1] + (b[1] - a[1]) * share)
        tip = page.locator(".leaflet-tooltip")
        tip.wait_for()
        assert name in tip.inner_text()
    page.mouse.click(a[0] - 20, a[1] + (b[1] - a[1]) * 0.3)
    assert popup_title(mp) == "Alpha Pipeline"


# 13 -------------------------------------------------------------------------------------------

def test_popup_facts_and_sources_first_aliases_folded_notes_for_people(built, open_map):
    out, _ = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    page.evaluate(f"{VIEW}.openPopup('sahiwal-plant')")
    popup = page.locator(".leaflet-popup-content .cpec-popup")
    popup.wait_for()
    headings = popup.locator("h5").all_inner_texts()
    assert headings[0].lower() == "sources"
    assert popup.locator("details.cpec-aka").count() == 1
    assert not popup.locator("details.cpec-aka").evaluate("d => d.open")
    assert "1,320 MW Sahiwal" in popup.locator("q").first.inner_text()
    page.evaluate(f"{VIEW}.openPopup('gw-c')")
    text = page.locator(".leaflet-popup-content .cpec-popup").inner_text()
    assert "capacity is from the 2019 report" in text and "start year" in text
    assert "_mw" not in text and "_year" not in text and "capacity_mw" not in text


# 14 -------------------------------------------------------------------------------------------

def test_every_page_links_to_the_others(built, open_map):
    out, _ = built
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.name != "timeline.html")
    for rel in pages:
        mp = open_map(out / rel, viewport=VIEWPORTS["wide"])
        links = mp.page.evaluate("[...document.querySelectorAll('.cpec-links a')].map(a => [a.textContent, a.href])")
        targets = {Path(href.removeprefix("file://")).resolve() for _, href in links}
        assert {(out / p).resolve() for p in pages} <= targets
        named = [(text, Path(href.removeprefix("file://")).resolve()) for text, href in links]
        assert ("Timeline", (out / "timeline.html").resolve()) in named
        assert mp.problems == []
        mp.page.close()


def test_online_page_without_network_says_so_and_points_offline(built, tmp_path, browser):
    _, frame = built
    build_maps(frame, tmp_path)
    page = browser.new_page()
    page.route("http*://**", lambda route: route.abort())
    page.goto((tmp_path / "sector" / "energy.html").as_uri())
    notice = page.locator(".cpec-failure")
    notice.wait_for()
    assert "could not load" in notice.inner_text()
    assert notice.locator("a").get_attribute("href") == "../offline/sector/energy.html"
    page.close()


def test_print_fits_the_map_and_hides_the_controls(built, open_map):
    out, _ = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    page.emulate_media(media="print")
    assert not page.locator(".cpec-control").is_visible()
    assert not page.locator(".cpec-search").is_visible()
    box = page.locator(".folium-map").bounding_box()
    assert box["width"] == pytest.approx(1400, abs=2) and box["height"] == pytest.approx(900, abs=2)


# 15 -------------------------------------------------------------------------------------------

def test_renderer_extends_leaflet_without_patching_it(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    assert page.evaluate("""(() => { const own = (C, k) => Object.prototype.hasOwnProperty.call(C.prototype, k);
        return ['_joinBatch', '_flushBatch', '_updateSymbol', '_updateLine']
          .some(k => own(L.Canvas, k) || own(L.SVG, k) || own(L.Path, k)); })()""") is False  # Leaflet's own classes untouched
    assert page.evaluate(f"""(v => v.renderer instanceof L.SVG
        && v.assets.every(a => a.layers.every(l => l.options.renderer === v.renderer)))({VIEW})""")
    assert seen(mp) == expected(frame)
    paths = f"{VIEW}.renderer.getPane().querySelectorAll('svg path').length"
    drawn = page.evaluate(paths)
    assert drawn > 0
    mp.tick("status", "operational", False)
    assert seen(mp) == expected(frame, lambda r: r["status"] != "operational")
    assert page.evaluate(paths) < drawn
    assert mp.problems == []


# the shipped catalog ----------------------------------------------------------------------------

def test_shipped_catalog_every_asset_through_search_and_table(shipped, open_map, viewport):
    out, frame = shipped
    name, size = viewport
    mp = open_map(out / "index.html", viewport=size)
    assert seen(mp) == expected(frame)
    assert mp.problems == []
    shot(mp, f"shipped-{name}")
    page = mp.page
    for _, row in frame.iterrows():
        mp.page.locator("#cpec-search-input").fill(row["name"])
        page.locator(f'.cpec-results li[data-id="{row["id"]}"]').click()
        assert popup_title(mp) == row["name"]
        close_popup(mp)
    shot(mp, f"shipped-last-search-{name}")
    for _, row in frame.iterrows():
        if page.locator(".cpec-table").is_hidden():
            expand_panel(mp)
            page.locator(".cpec-table-button").click()
        page.locator(f'.cpec-table tbody tr[data-id="{row["id"]}"] button').click()
        assert popup_title(mp) == row["name"]
        close_popup(mp)
    assert mp.problems == []


def test_a_planning_area_is_an_outline_that_leaves_the_coast_readable(shipped, open_map):
    out, _ = shipped
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    fill = f"(id => {VIEW}.find(id).shapes[0].getElement().getAttribute('fill-opacity'))"
    mp.page.evaluate(f"{VIEW}.map.setView([25.2, 62.36], 10, {{animate: false}}), null")
    plan, zone = (float(mp.page.evaluate(f"{fill}('{fid}')")) for fid in ("gwadar-smart-port-city", "gwadar-free-zone-north"))
    assert plan < 0.1 <= zone
    shot(mp, "gwadar-plan-outline")


def test_year_slider_matches_as_of(shipped, open_map):
    from geo.history import as_of

    out, frame = shipped
    mp = open_map(out / "index.html", viewport=VIEWPORTS["wide"])
    page = mp.page
    first, last = page.evaluate(f"{VIEW}.data.years")
    for year in range(first, last + 1):
        page.locator("#cpec-year-input").fill(str(year))
        then = as_of(frame, str(year))
        assert sorted(mp.visible()["ids"]) == sorted(then["id"]), year
        statuses = dict(page.evaluate(f"{VIEW}.shownAssets().map(a => [a.feature.properties.id, a.effStatus])"))
        assert statuses == dict(zip(then["id"], then["status"], strict=True)), year
        if year == 2016:
            shot(mp, "year-2016")
            assert page.locator(".cpec-totals").inner_text().startswith(f"{len(then)} of {len(frame)}")
    page.locator("#cpec-year-input").fill(str(last + 1))
    assert seen(mp) == expected(frame)


def test_extract_map_shows_named_assets_with_their_mentions(built, tmp_path, open_map):
    from click.testing import CliRunner

    from geo.cli import main

    out, _ = built
    text = tmp_path / "report.txt"
    text.write_text("Power flows from the Sahiwal Coal Power Plant.\nThe ML-1 Railway is still planned.\n", encoding="utf-8")
    catalog = out.parent / "catalog.geojson"
    page = tmp_path / "named.html"
    result = CliRunner().invoke(main, ["extract", str(text), "--data", str(catalog), "--map", str(page), "--offline"])
    assert result.exit_code == 0, result.output
    mp = open_map(page)
    assert sorted(mp.visible()["ids"]) == ["ml1", "sahiwal-plant"]
    mp.page.evaluate(f"{VIEW}.openPopup('ml1')")
    mentions = mp.page.locator(".leaflet-popup-content .cpec-mentions li")
    assert mentions.count() == 1
    quoted = mentions.first.inner_text()
    assert quoted.startswith(f"{text}, line 2: ") and quoted.endswith("The ML-1 Railway is still planned.")
    assert mp.problems == []


def test_extract_map_sizes_assets_by_the_documents_that_name_them(built, tmp_path, open_map):
    from click.testing import CliRunner

    from geo.cli import main

    out, _ = built
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("The Sahiwal Coal Power Plant runs.\nThe Gwadar Alpha Works are busy.\n", encoding="utf-8")
    second.write_text("Power flows from the Sahiwal Coal Power Plant.\n", encoding="utf-8")
    page = tmp_path / "named.html"
    result = CliRunner().invoke(main, ["extract", str(first), str(second), "--data", str(out.parent / "catalog.geojson"),
                                       "--map", str(page), "--offline"])
    assert result.exit_code == 0, result.output
    mp = open_map(page)
    radius = mp.page.evaluate(f"""(() => {{ const v = {VIEW};
        return Object.fromEntries(['sahiwal-plant', 'gw-a'].map(id => [id, v.find(id).markers[0].getRadius()])); }})()""")
    assert radius["sahiwal-plant"] > radius["gw-a"]
    mp.page.evaluate(f"{VIEW}.openPopup('sahiwal-plant'), null")
    named = mp.page.locator(".leaflet-popup-content .cpec-documents").inner_text()
    assert named.startswith("Named in 2 documents") and "a.txt" in named and "b.txt" in named
    assert mp.problems == []


def test_escape_closes_the_popup_a_search_opened(built, open_map, viewport):
    out, _ = built
    mp = open_map(out / "index.html", viewport=viewport[1])
    mp.page.locator("#cpec-search-input").fill("Sahiwal")
    mp.page.locator('.cpec-results li[data-id="sahiwal-plant"]').click()
    assert popup_title(mp) == "Sahiwal Coal Power Plant"
    mp.page.keyboard.press("Escape")
    mp.page.locator(".leaflet-popup").wait_for(state="detached", timeout=2000)
