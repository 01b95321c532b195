"""The compact map shows exactly what a plain Folium map of the same frame shows: the same features
per geometry kind, carrying the same properties into their popups."""

from __future__ import annotations

import ast

import pytest
from conftest import NODE_MODULES, MapPage, collection, map_features

from geo import load_catalog
from geo.build import build_maps
from geo.offline import inline_assets
from geo.payload import MAP_FIELDS

FEATURES_JS = """(() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const out = [];
  map.eachLayer(l => { if (l.feature && l.feature.properties && l.feature.properties.id) out.push(l); });  // not the basemap
  return out.map(l => ({kind: l.feature.geometry ? l.feature.geometry.type : l.cpecKind, props: l.feature.properties}));
})()"""
KIND = {"Point": "point", "LineString": "line", "MultiLineString": "line", "Polygon": "polygon", "MultiPolygon": "polygon"}


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    path = tmp_path_factory.mktemp("cmp") / "catalog.geojson"
    import json

    path.write_text(json.dumps(collection(*map_features())), encoding="utf-8")
    return load_catalog([path])


def _layers(mp) -> dict[str, tuple[str, dict]]:
    return {item["props"]["id"]: (KIND.get(item["kind"], item["kind"]), item["props"]) for item in mp.page.evaluate(FEATURES_JS)}


def test_same_features_and_properties_as_plain_folium(frame, tmp_path, open_map):
    plain_path = tmp_path / "plain.html"
    plain_html = frame.explore(tiles=None, popup=True, tooltip="name").get_root().render()
    plain_path.write_text(inline_assets(plain_html, NODE_MODULES), encoding="utf-8")
    build_maps(frame, tmp_path / "ours", offline=True, modules_dir=NODE_MODULES)

    plain = _layers(open_map(plain_path, ready=MapPage.ANY_MAP_READY))
    ours_page = open_map(tmp_path / "ours" / "index.html")
    ours = {item["props"]["id"]: (item["kind"], item["props"]) for item in ours_page.page.evaluate(
        "window.cpecMapper.views[0].assets.map(a => ({kind: a.kindName, props: a.feature.properties}))")}
    assert {i: k for i, (k, _) in ours.items()} == {i: k for i, (k, _) in plain.items()}
    for fid, (_, props) in plain.items():
        for field in MAP_FIELDS:
            if field in props and props[field] is not None:
                value = props[field]
                if isinstance(ours[fid][1][field], list):  # explore() writes lists as their Python repr
                    value = ast.literal_eval(value)
                assert ours[fid][1][field] == value, (fid, field)
    # and the popup really shows them
    page = ours_page.page
    for fid, (_, props) in plain.items():
        page.evaluate(f"window.cpecMapper.views[0].openPopup({fid!r})")
        text = page.locator(".leaflet-popup-content .cpec-popup").inner_text()
        assert props["name"] in text
        assert all(source["title"] in text for source in ast.literal_eval(props["sources"]))
