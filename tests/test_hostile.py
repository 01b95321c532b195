"""Hostile data: nothing from the data runs in the browser, and every command meets bad input
with one line and the right exit status."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import NODE_MODULES, collection, make_feature

from geo import load_catalog
from geo.build import build_maps
from geo.cli import main

SCRIPT_NAME = "<script>window.__pwned = 1</script> Plant"
IMG_NAME = '<img src=x onerror="window.__pwned = 2"> & "Port" \'quoted\''


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    evil_source = {
        "kind": "document", "document": "muhammad-2025-pak-china", "title": "<b onmouseover=alert(1)>Title</b>",
        "author": "</script><script>window.__pwned = 3</script>", "year": 2025, "url": "javascript:window.__pwned = 4",
        "doi": None, "quote": "\"'><svg onload=\"window.__pwned = 5\">", "supports": ["existence"],
    }
    good_source = {**evil_source, "title": "Safe link", "url": "https://example.org/?a=\"b\"&c=<d>"}
    features = [
        make_feature("evil-a", name=SCRIPT_NAME, aliases=["<svg/onload=window.__pwned=6>"], sources=[evil_source, good_source],
                     notes="<iframe src=javascript:window.__pwned=7></iframe>"),
        make_feature("evil-b", name=IMG_NAME, geometry={"type": "Point", "coordinates": [67.0, 25.0]}),
    ]
    src = folder / "hostile.geojson"
    src.write_text(json.dumps(collection(*features)), encoding="utf-8")
    build_maps(load_catalog([src]), folder / "out", offline=True, modules_dir=NODE_MODULES)
    return folder / "out" / "index.html"


def test_no_script_from_data_runs(hostile_map, open_map):
    mp = open_map(hostile_map)
    page = mp.page
    for i in range(2):
        page.evaluate(f"window.cpecMapper.views[0].openPopup(window.cpecMapper.views[0].assets[{i}]), null")
        page.wait_for_timeout(100)
    mp.hover("evil-a")
    assert page.evaluate("window.__pwned") is None
    assert mp.dialogs == []
    assert mp.problems == []


def test_data_text_shows_literally(hostile_map, open_map):
    mp = open_map(hostile_map)
    page = mp.page
    page.evaluate("window.cpecMapper.views[0].openPopup('evil-a'), null")
    popup = page.locator(".leaflet-popup-content .cpec-popup")
    assert popup.locator("h4").inner_text() == SCRIPT_NAME
    text = popup.inner_text()
    assert "<iframe src=javascript:window.__pwned=7></iframe>" in text
    assert "<b onmouseover=alert(1)>Title</b>" in text
    links = popup.locator("a")
    assert links.count() == 1  # the javascript: URL is text, not a link
    assert links.first.get_attribute("href") == 'https://example.org/?a="b"&c=<d>'
    page.keyboard.press("Escape")
    page.locator(".leaflet-popup").wait_for(state="detached")
    mp.hover("evil-a")
    assert page.locator(".leaflet-tooltip").last.inner_text().splitlines()[0] == SCRIPT_NAME  # then sector · status
    # the search lists names as text too
    page.locator("#cpec-search-input").fill("img")
    hit = page.locator(".cpec-results li").first
    hit.wait_for()
    assert hit.inner_text().startswith(IMG_NAME)
    assert page.evaluate("window.__pwned") is None
    assert mp.problems == []


BAD_FILES = {
    "not-json": (b"hello", "not valid JSON"),
    "truncated": (b'{"type": "FeatureCollection", "features": [{"type": "Feature"', "truncated"),
    "bom": (b'\xef\xbb\xbf{"type": "FeatureCollection", "features": []}', "byte order mark"),
    "latin-1": ('{"type": "FeatureCollection", "name": "caf\xe9"}'.encode("latin-1"), "not UTF-8"),
    "empty": (b"", "file is empty"),
    "zero-features": (b'{"type": "FeatureCollection", "features": []}', "holds no features"),
    "nan": (b'{"type": "FeatureCollection", "features": [NaN]}', "NaN"),
    "infinite": (json.dumps(collection(make_feature("a", capacity_mw=1234.5))).replace("1234.5", "1e400").encode(),
                 "number 1e400 is out of range"),
}


@pytest.mark.parametrize("command", [["validate"], ["list", "--data"], ["build", "--out", "OUT", "--data"],
                                     ["export", "-o", "OUT.geojson", "--data"], ["export", "-o", "-", "--data"]])
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_every_command_meets_bad_files_with_one_line(command, case, tmp_path):
    content, fragment = BAD_FILES[case]
    bad = tmp_path / f"{case}.geojson"
    bad.write_bytes(content)
    args = [str(tmp_path / ("out" + a[3:])) if a.startswith("OUT") else a for a in command] + [str(bad)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert fragment in result.output
    assert str(bad) in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [bad.name]  # nothing written


@pytest.mark.parametrize("command", [["validate"], ["list", "--data"], ["export", "-o", "-", "--data"]])
def test_missing_file_and_folder(command, tmp_path):
    result = CliRunner().invoke(main, [*command, str(tmp_path / "missing.geojson")])
    assert result.exit_code == 1
    assert "missing.geojson: no such file" in result.output
    result = CliRunner().invoke(main, [*command, str(tmp_path)])
    assert result.exit_code == 1
    assert "folder holds no *.geojson file" in result.output


def test_duplicate_ids_across_files_stop_a_build(write_catalog, tmp_path):
    one = write_catalog(collection(make_feature("same")), "one.geojson")
    two = write_catalog(collection(make_feature("same")), "two.geojson")
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path / "out"), "--data", str(one), "--data", str(two)])
    assert result.exit_code == 1
    assert f"{two}: feature 'same': id: id already used in {one}" in result.output
