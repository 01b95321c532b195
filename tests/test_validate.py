"""Each rule of the validator catches what it should, and a clean catalog passes."""

from __future__ import annotations

import pytest
from conftest import SEEDS, collection, make_feature

from geo.reader import RawFeature
from geo.validate import normalise_text, validate, validate_features


def issues_of(*features, documents_dir=None):
    records = [RawFeature("t.geojson", i, f) for i, f in enumerate(features)]
    return validate_features(records, documents_dir).flatten()


def test_valid_feature_has_no_issue():
    assert issues_of(make_feature()) == []


def test_small_catalog_is_valid(small_catalog):
    report = validate([small_catalog])
    assert report.valid, [str(i) for i in report.issues]
    assert report.features == 3


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"status": "operating"}, ["a", "status", "unknown-word"]),
        ({"sector": "power"}, ["a", "sector", "unknown-word"]),
        ({"province": ["Punjab", "Panjab"]}, ["a", "province.1", "unknown-word"]),
        ({"sources": []}, ["a", "sources", "missing-source"]),
        ({"capacity_mw": "1320"}, ["a", "capacity_mw", "wrong-type"]),
        ({"start_year": 2019, "completion_year": 2017}, ["a", "completion_year", "years-reversed"]),
        ({"location_precision": "good"}, ["a", "location_precision", "unknown-word"]),
    ],
)
def test_property_rules(overrides, expected):
    assert issues_of(make_feature("a", **overrides)) == [expected]


def test_unknown_word_suggests_the_nearest():
    records = [RawFeature("t.geojson", 0, make_feature("a", status="under construction"))]
    (issue,) = validate_features(records).issues
    assert "did you mean 'under_construction'?" in issue.message


def test_missing_field_is_named():
    feature = make_feature("a")
    del feature["properties"]["status"]
    assert issues_of(feature) == [["a", "status", "missing-field"]]


def test_swapped_coordinates_are_caught():
    feature = make_feature("a", geometry={"type": "Point", "coordinates": [30.5, 73.0]})
    assert issues_of(feature) == [["a", "geometry", "lonlat-swapped"]]


def test_point_outside_pakistan():
    feature = make_feature("a", geometry={"type": "Point", "coordinates": [2.35, 48.85]})
    assert issues_of(feature) == [["a", "geometry", "outside-pakistan"]]


def test_broken_polygon_is_caught():
    bowtie = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.1, 25.1], [67.1, 25.0], [67.0, 25.1], [67.0, 25.0]]]}
    assert issues_of(make_feature("a", geometry=bowtie)) == [["a", "geometry", "invalid-geometry"]]


def test_unclosed_ring_is_caught():
    ring = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.1, 25.0], [67.1, 25.1], [67.0, 25.1]]]}
    assert issues_of(make_feature("a", geometry=ring)) == [["a", "geometry", "ring-not-closed"]]


def test_clockwise_polygon_is_caught():
    ring = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.0, 25.1], [67.1, 25.1], [67.1, 25.0], [67.0, 25.0]]]}
    assert issues_of(make_feature("a", geometry=ring)) == [["a", "geometry", "winding-order"]]


def test_too_many_decimals_and_3d():
    assert issues_of(make_feature("a", geometry={"type": "Point", "coordinates": [73.1234567, 30.5]})) == [
        ["a", "geometry", "too-precise"]
    ]
    assert issues_of(make_feature("a", geometry={"type": "Point", "coordinates": [73.1, 30.5, 100]})) == [
        ["a", "geometry", "3d-coordinates"]
    ]


def test_null_geometry_and_collection():
    assert issues_of(make_feature("a", geometry=None)) == [["a", "geometry", "empty-geometry"]]
    gc = {"type": "GeometryCollection", "geometries": []}
    assert issues_of(make_feature("a", geometry=gc)) == [["a", "geometry", "unsupported-geometry"]]


def test_line_length_must_agree_with_length_km():
    line = {"type": "LineString", "coordinates": [[71.47, 30.2], [68.86, 27.7]]}  # about 370 km
    ok = make_feature("a", subtype="motorway", sector="transport", length_km=370, geometry=line)
    bad = make_feature("b", subtype="motorway", sector="transport", length_km=900, geometry=line)
    assert issues_of(ok, bad) == [["b", "length_km", "length-mismatch"]]


def test_schematic_route_may_be_drawn_shorter_but_not_longer():
    line = {"type": "LineString", "coordinates": [[71.47, 30.2], [68.86, 27.7]]}  # about 370 km
    common = {"subtype": "highway", "sector": "transport", "geometry": line, "schematic_route": True}
    winding = make_feature("a", length_km=520, **common)  # drawn at 71 %: fine for a schematic route
    too_short = make_feature("b", length_km=700, **common)  # drawn at 53 %
    too_long = make_feature("c", length_km=280, **common)
    plain = make_feature("d", length_km=520, **{**common, "schematic_route": False})
    assert issues_of(winding, too_short, too_long, plain) == [
        ["b", "length_km", "length-mismatch"], ["c", "length_km", "length-mismatch"], ["d", "length_km", "length-mismatch"]
    ]


def test_duplicate_ids_across_files():
    records = [RawFeature("one.geojson", 0, make_feature("a")), RawFeature("two.geojson", 0, make_feature("a"))]
    (issue,) = validate_features(records).issues
    assert (issue.path, issue.type) == ("two.geojson", "duplicate-id")
    assert "one.geojson" in issue.message


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents live in ../shared/seeds")
def test_quote_must_occur_in_its_document():
    good = make_feature("a")
    bad = make_feature("b")
    bad["properties"]["sources"][0]["quote"] = "the 2,640 MW Sahiwal Coal-Fired Power Plant"
    assert issues_of(good, bad, documents_dir=SEEDS) == [["b", "sources.0.quote", "quote-not-found"]]


def test_document_source_needs_known_document_and_quote():
    feature = make_feature("a")
    feature["properties"]["sources"][0]["document"] = "muhammad-2024"
    assert issues_of(feature) == [["a", "sources.0.document", "unknown-document"]]
    feature = make_feature("a")
    del feature["properties"]["sources"][0]["quote"]
    assert issues_of(feature) == [["a", "sources.0.quote", "missing-quote"]]


def test_normalise_text_folds_markdown_and_typography():
    assert normalise_text("cost \\$248  million \u2013\n\u201croughly\u201d") == 'cost $248 million - "roughly"'


def test_empty_collection_and_unreadable_file_are_reported(write_catalog):
    empty = write_catalog(collection(), "empty.geojson")
    broken = write_catalog(b'{"type": "FeatureCollection", "features": [', "broken.geojson")
    report = validate([empty, broken])
    assert [(i.path, i.type) for i in report.issues] == [(str(empty), "no-features"), (str(broken), "unreadable")]
