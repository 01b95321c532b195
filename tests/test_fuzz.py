"""Generated GeoJSON, valid and subtly invalid: the loader and validator return a result or a
CatalogError, never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from conftest import make_feature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo import load_catalog, validate
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


documents = st.one_of(
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
        assert all(isinstance(str(issue), str) for issue in report.issues)
        try:
            frame = load_catalog([path])
        except CatalogError as exc:
            assert "\n" not in str(exc)
            assert not report.valid
        else:
            assert report.valid and len(frame) == report.features


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_generated_documents_never_crash(document):
    _check(json.dumps(document, allow_nan=True).encode())


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_never_crash(content):
    _check(content)
