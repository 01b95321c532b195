"""Generated GeoJSON, valid and subtly invalid, through the whole chain: validate, load, export and build
each return a result or one clear error line, never another exception, and agree with each other."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from conftest import make_feature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import build_maps, export, load_catalog, validate
from geo.errors import CatalogError

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                         st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                                   st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                           max_leaves=12)
lon = st.floats(55, 82, allow_nan=False)
lat = st.floats(20, 40, allow_nan=False)
position = st.one_of(st.tuples(lon, lat).map(list), st.lists(st.floats(allow_nan=True), max_size=4), json_values)
line = st.lists(position, max_size=6)
geometries = st.one_of(
    st.none(),
    st.builds(lambda c: {"type": "Point", "coordinates": c}, position),
    st.builds(lambda c: {"type": "LineString", "coordinates": c}, line),
    st.builds(lambda c: {"type": "MultiLineString", "coordinates": c}, st.lists(line, max_size=3)),
    st.builds(lambda c: {"type": "Polygon", "coordinates": c}, st.lists(line, max_size=2)),
    st.builds(lambda c: {"type": "MultiPolygon", "coordinates": c}, st.lists(st.lists(line, max_size=2), max_size=2)),
    st.builds(lambda t, c: {"type": t, "coordinates": c}, st.sampled_from(["GeometryCollection", "Circle", ""]), json_values),
    json_values,
)
property_names = st.sampled_from(["id", "name", "aliases", "sector", "status", "province", "capacity_mw", "length_km",
                                  "start_year", "location_precision", "sources", "disputes", "schematic_route", "extra"])


@st.composite
def features(draw):
    feature = make_feature(draw(st.sampled_from(["a", "b", "c"])), geometry=draw(geometries))
    for name, value in draw(st.dictionaries(property_names, json_values, max_size=3)).items():
        feature["properties"][name] = value
    if draw(st.booleans()):
        feature[draw(st.sampled_from(["type", "properties", "geometry"]))] = draw(json_values)
    return feature


# Features that are valid but for a value or two, so the chain past validation (export, build) is exercised.
figures = st.one_of(st.none(), st.integers(1, 10**18), st.floats(1e-6, 1e300), st.floats(allow_nan=True))
near_valid = st.builds(
    lambda fid, lon, lat, mw, year, name: make_feature(fid, geometry={"type": "Point", "coordinates": [round(lon, 6),
                                                                                                      round(lat, 6)]},
                                                       capacity_mw=mw, start_year=year, name=name),
    st.sampled_from(["a", "b", "c\n", "d"]), st.floats(61, 77), st.floats(24, 36), figures,
    st.one_of(st.none(), st.integers(1940, 2110), st.just(2015.0)), st.text(min_size=1, max_size=30))

documents = st.one_of(
    st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(near_valid, min_size=1, max_size=3)),
    st.builds(lambda fs: {"type": "FeatureCollection", "features": fs}, st.lists(features(), max_size=4)),
    st.lists(features(), max_size=3),
    features(),
    json_values,
)


def _check(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.geojson"
        path.write_bytes(content)
        report = validate([path])
        for issue in report.issues:
            assert str(issue).startswith(f"{path}: ") and "\n" not in str(issue), str(issue)
        try:
            frame = load_catalog([path])
        except CatalogError as exc:
            assert "\n" not in str(exc)
            assert not report.valid
            assert str(exc).startswith(str(report.issues[0]))
            return
        assert report.valid and len(frame) == report.features
        # export: strict JSON (no Infinity or NaN), the same features, figures as reals
        result = export(frame, Path(folder) / "out.geojson")
        text = (Path(folder) / "out.geojson").read_text(encoding="utf-8")
        back = json.loads(text, parse_constant=lambda name: pytest.fail(f"export wrote {name}"))
        assert result.count == len(back["features"]) == len(frame)
        assert [f["properties"]["id"] for f in back["features"]] == list(frame["id"])
        for feature in back["features"]:
            mw = feature["properties"]["capacity_mw"]
            assert mw is None or isinstance(mw, float)
        # build: every asset on the index page
        built = build_maps(frame, Path(folder) / "maps")
        assert built[0].path.name == "index.html" and built[0].features == len(frame)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_documents_never_crash(document):
    _check(json.dumps(document, allow_nan=True).encode())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(content):
    _check(content)
