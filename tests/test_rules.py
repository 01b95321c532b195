"""The data rules beyond the schema: histories that agree with the asset, geometries that fit it."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from conftest import collection, make_feature

from geo import validate
from geo.gazetteer import lookup


def kinds(write_catalog, *features) -> list[list]:
    return validate([write_catalog(collection(*features))]).flatten()


def _entry(date: str, status: str) -> dict:
    return {"date": date, "status": status, "event": "e", "note": "editors: fixture"}


def test_history_must_end_at_the_current_status(write_catalog):
    wrong = make_feature("a", status="operational", status_as_of="2025",
                         status_history=[_entry("2015", "under_construction"), _entry("2017", "operational"),
                                         _entry("2024", "stalled")])
    assert kinds(write_catalog, wrong) == [["a", "status", "history-disagrees"], ["a", "status_as_of", "history-disagrees"]]


def test_history_dates_in_order_and_real(write_catalog):
    shuffled = make_feature("a", status_history=[_entry("2015", "under_construction"), _entry("2014", "planned"),
                                                 _entry("2017", "operational"), _entry("2025", "operational")])
    assert ["a", "status_history.1.date", "history-order"] in kinds(write_catalog, shuffled)
    unreal = make_feature("b", status_history=[_entry("2015-02-30", "under_construction"), _entry("2025", "operational")])
    assert ["b", "status_history.0.date", "bad-date"] in kinds(write_catalog, unreal)


def test_history_agrees_with_start_and_completion_years(write_catalog):
    late = make_feature("a", start_year=2016, completion_year=2018)  # fixture history says 2015 and 2017
    assert kinds(write_catalog, late) == []
    history = [_entry("2014", "planned"), _entry("2015", "under_construction"), _entry("2017", "operational"),
               _entry("2025", "operational")]
    off = make_feature("b", start_year=2016, completion_year=2018, status_history=history)
    assert kinds(write_catalog, off) == [["b", "start_year", "history-disagrees"], ["b", "completion_year", "history-disagrees"]]


def test_every_history_entry_cites_a_page_or_the_editors(write_catalog):
    bare = {"date": "2025", "status": "operational", "event": "still running"}
    uncited = make_feature("a", status_history=[_entry("2015", "under_construction"), _entry("2017", "operational"), bare])
    assert kinds(write_catalog, uncited) == [["a", "status_history.2", "missing-source"]]
    no_url = dict(bare, source={"title": "a page"})
    unlinked = make_feature("b", status_history=[_entry("2015", "under_construction"), _entry("2017", "operational"), no_url])
    assert kinds(write_catalog, unlinked) == [["b", "status_history.2.source.url", "missing-field"]]


def _square(lon: float, lat: float, side_deg: float) -> dict:
    ring = [[lon, lat], [lon + side_deg, lat], [lon + side_deg, lat + side_deg], [lon, lat + side_deg], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def test_zone_area_must_match_the_stated_acreage(write_catalog):
    # about 0.02 degrees square at 30N: 2.22 km x 1.93 km, about 1,060 acres
    fits = make_feature("a", subtype="sez", sector="industry", capacity_mw=None, area_acres=1000, geometry=_square(73, 30, 0.02))
    far = make_feature("b", subtype="sez", sector="industry", capacity_mw=None, area_acres=3000, geometry=_square(74, 30, 0.02))
    assert kinds(write_catalog, fits, far) == [["b", "area_acres", "area-mismatch"]]


def test_a_known_zone_is_an_outline_and_a_hydro_scheme_both_ends(write_catalog):
    zone = make_feature("zone", subtype="sez", sector="industry", capacity_mw=None, location_precision="approximate")
    town_zone = make_feature("town-zone", subtype="sez", sector="industry", capacity_mw=None, location_precision="locality")
    dam = make_feature("dam", subtype="hydro", location_precision="approximate")
    both = make_feature("both", subtype="hydro", location_precision="approximate",
                        geometry={"type": "MultiPoint", "coordinates": [[73.5, 34.1], [73.6, 34.0]]})
    assert kinds(write_catalog, zone, town_zone, dam, both) == [["zone", "geometry", "zone-not-polygon"],
                                                                ["dam", "geometry", "hydro-one-end"]]


def test_exact_needs_a_published_coordinate(write_catalog):
    guessed = make_feature("a", geometry_source={"method": "editor_estimate", "detail": "from a description"})
    unnamed = make_feature("b", geometry_source={"method": "published_coordinate", "detail": "somewhere"})
    assert kinds(write_catalog, guessed, unnamed) == [["a", "location_precision", "exact-without-source"],
                                                      ["b", "location_precision", "exact-without-source"]]


def test_no_two_assets_share_a_point(write_catalog):
    here = {"type": "Point", "coordinates": [62.33, 25.11]}
    pair = {"type": "MultiPoint", "coordinates": [[62.4, 25.2], [62.33, 25.11]]}
    hydro = make_feature("b", geometry=pair, subtype="hydro", location_precision="approximate")
    found = kinds(write_catalog, make_feature("a", geometry=here), hydro)
    assert found == [["b", "geometry", "shared-position"]]


def _road(*points: tuple[float, float], via: list[str]) -> dict:
    return make_feature("road", sector="transport", subtype="motorway", capacity_mw=None, length_km=None,
                        location_precision="approximate",
                        geometry={"type": "LineString", "coordinates": [list(p) for p in points]},
                        geometry_source={"method": "traced", "detail": "fixture", "via": via})


def test_a_route_passes_within_5_km_of_each_town_it_names(write_catalog):
    multan, = (t for t in lookup("Multan") if t.population > 1_000_000)
    near = _road((multan.lon - 0.2, multan.lat + 0.03), (multan.lon + 0.2, multan.lat + 0.03), via=["Multan"])  # ~3.3 km
    assert kinds(write_catalog, near) == []
    far = _road((multan.lon - 0.2, multan.lat + 0.06), (multan.lon + 0.2, multan.lat + 0.06), via=["Multan"])  # ~6.6 km
    assert kinds(write_catalog, far) == [["road", "geometry", "misses-town"]]
    nowhere = _road((71.0, 30.0), (71.5, 30.5), via=["Atlantis"])
    assert kinds(write_catalog, nowhere) == [["road", "geometry_source.via", "unknown-town"]]


@pytest.mark.parametrize("missing", ["programme", "geometry_source", "status_history"])
def test_new_fields_are_required(write_catalog, missing):
    feature = make_feature("a")
    del feature["properties"][missing]
    assert ["a", missing, "missing-field"] in kinds(write_catalog, feature)


def test_geodesic_lengths_of_many_lines_equal_pyproj_line_by_line():
    from pyproj import Geod

    from geo.rules import geodesic_km

    rng = np.random.default_rng(7)
    lines = [shapely.LineString(rng.uniform([60, 24], [77, 37], (int(rng.integers(2, 30)), 2))) for _ in range(200)]
    lines += [shapely.MultiLineString([rng.uniform([60, 24], [77, 37], (3, 2)), rng.uniform([60, 24], [77, 37], (2, 2))])
              for _ in range(50)]
    geod = Geod(ellps="WGS84")
    expected = np.array([geod.geometry_length(g) / 1000 for g in lines])
    assert np.allclose(geodesic_km(np.array(lines, dtype=object)), expected, rtol=1e-12, atol=0)
    assert geodesic_km(np.array([], dtype=object)).shape == (0,)
