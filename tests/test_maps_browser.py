"""The offline maps in a real browser: they load cleanly, hold the right features, and filter."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import NODE_MODULES, REPO, SEEDS, collection, map_features

from geo import load_catalog
from geo.build import build_maps

KIND = {"Point": "point", "LineString": "line", "MultiLineString": "line", "Polygon": "polygon", "MultiPolygon": "polygon"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, object]:
    """Offline maps of the eight-asset fixture catalog."""
    folder = tmp_path_factory.mktemp("maps")
    src = folder / "catalog.geojson"
    import json

    src.write_text(json.dumps(collection(*map_features())), encoding="utf-8")
    frame = load_catalog([src])
    build_maps(frame, folder / "out", offline=True, modules_dir=NODE_MODULES)
    return folder / "out", frame


def expected(frame, keep=lambda row: True) -> dict:
    rows = [row for _, row in frame.iterrows() if keep(row)]
    counts = Counter(KIND[row.geometry.geom_type] for row in rows)
    return {"point": counts["point"], "line": counts["line"], "polygon": counts["polygon"], "ids": sorted(r["id"] for r in rows)}


def seen(mp) -> dict:
    got = mp.visible()
    got["ids"] = sorted(got["ids"])
    return got


def test_index_loads_clean_and_holds_every_feature(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html")
    assert seen(mp) == expected(frame)
    assert mp.drawn_paths() == len(frame)
    assert mp.problems == []


def test_unticking_a_sector_hides_exactly_its_features(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html")
    mp.tick("sector", "transport", False)
    assert seen(mp) == expected(frame, lambda r: r["sector"] != "transport")
    assert mp.drawn_paths() == len(frame) - int((frame["sector"] == "transport").sum())
    mp.tick("sector", "transport", True)
    assert seen(mp) == expected(frame)
    assert mp.drawn_paths() == len(frame)
    assert mp.problems == []


def test_sector_and_status_filters_combine_as_and(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html")
    for sector in ("industry", "port", "water", "digital"):
        mp.tick("sector", sector, False)
    mp.tick("status", "planned", False)
    # Left: energy or transport, and not planned.
    assert seen(mp) == expected(frame, lambda r: r["sector"] in ("energy", "transport") and r["status"] != "planned")
    assert mp.page.locator(".cpec-shown").inner_text() == "2 of 8 assets shown"


def test_control_counts_and_legend(built, open_map):
    out, frame = built
    mp = open_map(out / "index.html")
    control = mp.page.locator(".cpec-control")
    for group in ("sector", "status"):
        labels = control.locator(f'fieldset[data-group="{group}"] label')
        shown = {labels.nth(i).locator("input").get_attribute("value"): int(labels.nth(i).locator(".cpec-count").inner_text())
                 for i in range(labels.count())}
        assert shown == dict(Counter(frame[group]))
        # every entry carries its symbol: the legend is the control
        assert labels.locator("svg.cpec-symbol").count() == labels.count()
    assert "planned" in control.locator(".cpec-key").inner_text()


def test_search_finds_by_name_and_alias_and_opens_popup(built, open_map):
    out, _ = built
    mp = open_map(out / "index.html")
    page = mp.page
    page.locator(".leaflet-control-search .search-button").click()
    page.locator(".leaflet-control-search input").press_sequentially("Coal-Fired", delay=20)
    tip = page.locator(".leaflet-control-search .search-tip").first
    tip.wait_for()
    assert "Sahiwal Coal Power Plant" in tip.inner_text()
    tip.click()
    popup = page.locator(".leaflet-popup-content .cpec-popup")
    popup.wait_for()
    assert popup.locator("h4").inner_text() == "Sahiwal Coal Power Plant"
    assert "Operational" in popup.inner_text()
    assert "1,320 MW Sahiwal" in popup.locator("q").first.inner_text()
    assert mp.problems == []


def test_per_value_maps(built, open_map):
    out, frame = built
    for group in ("sector", "status"):
        for value in sorted(set(frame[group])):
            mp = open_map(out / group / f"{value}.html")
            assert seen(mp) == expected(frame, lambda r, g=group, v=value: r[g] == v)
            assert mp.problems == []
            mp.page.close()


@pytest.mark.skipif(not (REPO / "data" / "energy.geojson").exists(), reason="shipped data not present")
def test_shipped_catalog_map_and_screenshot(tmp_path, open_map):
    frame = load_catalog(documents_dir=SEEDS if SEEDS.is_dir() else None)
    build_maps(frame, tmp_path, offline=True, modules_dir=NODE_MODULES)
    mp = open_map(tmp_path / "index.html")
    assert seen(mp) == expected(frame)
    assert mp.problems == []
    (REPO / "maps_out").mkdir(exist_ok=True)
    mp.page.screenshot(path=str(REPO / "maps_out" / "screenshot.png"))
    # Searching "Sahiwal" finds the plant and opens its popup.
    mp.page.locator(".leaflet-control-search .search-button").click()
    mp.page.locator(".leaflet-control-search input").press_sequentially("Sahiwal", delay=20)
    mp.page.locator(".leaflet-control-search .search-tip").first.click()
    mp.page.locator(".leaflet-popup-content .cpec-popup h4").wait_for()
    assert "Sahiwal" in mp.page.locator(".leaflet-popup-content .cpec-popup h4").inner_text()
    mp.page.wait_for_timeout(400)  # let the popup fade in before the picture
    mp.page.screenshot(path=str(REPO / "maps_out" / "screenshot-search.png"))


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
    mp.page.evaluate("window.cpecMapper.views[0].openPopup('ml1')")
    mentions = mp.page.locator(".leaflet-popup-content .cpec-mentions li")
    assert mentions.count() == 1
    quoted = mentions.first.inner_text()
    assert quoted.startswith(f"{text}, line 2: ") and quoted.endswith("The ML-1 Railway is still planned.")
    assert mp.problems == []


def test_canvas_rendering_holds_and_filters_the_same_features(built, tmp_path, monkeypatch, open_map):
    from geo import render

    _, frame = built
    monkeypatch.setattr(render, "CANVAS_THRESHOLD", 0)  # large catalogs draw on a canvas
    build_maps(frame, tmp_path, offline=True, modules_dir=NODE_MODULES)
    mp = open_map(tmp_path / "index.html")
    assert mp.drawn_paths() == 0
    assert mp.page.locator(".leaflet-overlay-pane canvas").count() == 1
    assert seen(mp) == expected(frame)
    pixels = "document.querySelector('.leaflet-overlay-pane canvas').toDataURL()"
    mp.page.wait_for_timeout(100)  # let the first frame draw
    drawn = mp.page.evaluate(pixels)
    mp.tick("status", "operational", False)
    assert seen(mp) == expected(frame, lambda r: r["status"] != "operational")
    mp.page.wait_for_timeout(100)
    without = mp.page.evaluate(pixels)
    assert without != drawn  # really redrawn without them
    mp.tick("status", "operational", True)
    mp.page.wait_for_timeout(100)
    assert mp.page.evaluate(pixels) != without  # and drawn again (on top, so not byte-equal to the first frame)
    assert mp.problems == []


def test_real_mouse_hover_shows_tooltip_and_click_opens_popup(built, open_map):
    out, _ = built
    mp = open_map(out / "index.html")
    for fid, name in (("gwadar-water", "Gwadar Desalination Plant"), ("m5", "Multan-Sukkur Motorway")):
        mp.hover(fid)
        tooltip = mp.page.locator(".leaflet-tooltip")
        tooltip.wait_for()
        assert tooltip.inner_text() == name
        mp.click(fid)
        heading = mp.page.locator(".leaflet-popup-content .cpec-popup h4")
        heading.wait_for()
        assert heading.inner_text() == name
        mp.page.keyboard.press("Escape")
    assert mp.problems == []
