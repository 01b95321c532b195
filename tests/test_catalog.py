"""load_catalog returns a validated GeoDataFrame, or one clear error."""

from __future__ import annotations

import json
import math

import pytest
from conftest import SEEDS, collection, make_feature

from geo import load_catalog
from geo.catalog import property_records
from geo.errors import CatalogError


def test_frame_shape(small_catalog):
    frame = load_catalog([small_catalog])
    assert frame.crs.to_epsg() == 4326
    assert list(frame["id"]) == ["plant-a", "road-b", "zone-c"]
    assert list(frame.geometry.geom_type) == ["Point", "LineString", "Polygon"]
    assert frame.loc[1, "province"] == ["Punjab", "Sindh"]
    records = property_records(frame)
    assert records[1]["capacity_mw"] is None
    assert records[0]["start_year"] == 2015 and isinstance(records[0]["start_year"], int)
    assert not any(isinstance(v, float) and math.isnan(v) for r in records for v in r.values())


def test_unknown_extra_properties_are_kept(write_catalog):
    path = write_catalog(collection(make_feature("a", operator="Huaneng Shandong Ruyi")))
    assert load_catalog([path]).loc[0, "operator"] == "Huaneng Shandong Ruyi"


def test_invalid_catalog_raises_one_line(write_catalog):
    path = write_catalog(collection(make_feature("a", status="operating"), make_feature("a")))
    with pytest.raises(CatalogError) as info:
        load_catalog([path])
    message = str(info.value)
    assert message.startswith(f"{path}: feature 'a': status: 'operating' is not allowed")
    assert message.endswith("(and 1 more problem; run `cpec-map validate`)")


def test_shipped_data_is_valid_and_sourced():
    frame = load_catalog(documents_dir=SEEDS if SEEDS.is_dir() else None)
    assert frame["id"].is_unique
    assert len(frame) >= 90
    for sources in frame["sources"]:
        assert sources and all(s.get("kind") in ("document", "web", "editor") for s in sources)
    # every status rests on a dated page: the last history entry cites a URL and its date
    assert all("url" in history[-1].get("source", {}) and "date" in history[-1]["source"] for history in frame["status_history"])


def test_shipped_files_keep_the_diff_friendly_layout():
    from conftest import REPO

    from geo.files import dump_geojson

    for path in sorted((REPO / "data").glob("*.geojson")):
        text = path.read_text(encoding="utf-8")
        assert dump_geojson(json.loads(text)) == text, f"{path.name}: rewrite it with geo.files.dump_geojson"


REQUIRED_ASSETS = [
    "gwadar-port", "gwadar-free-zone-south", "gwadar-free-zone-north", "gwadar-smart-port-city",
    "new-gwadar-international-airport", "gwadar-desalination-plant", "gwadar-fish-landing-jetties",
    "gwadar-coal-power-plant", "makran-coastal-highway", "sahiwal-coal-power-plant", "kohala-hydropower-project",
    "quaid-e-azam-solar-park", "bunji-hydropower-project", "karachi-nuclear-power-plant-k2",
    "karachi-nuclear-power-plant-k3", "rashakai-sez", "dhabeji-sez", "allama-iqbal-industrial-city",
    "multan-sukkur-motorway", "peshawar-di-khan-motorway", "ml-1-railway", "lahore-orange-line", "lahore-metro-bus",
    "karakoram-highway", "khunjerab-rawalpindi-optical-fibre-cable",
]


def test_list_shows_every_asset_the_issue_names():
    from click.testing import CliRunner

    from geo.cli import main

    result = CliRunner().invoke(main, ["list", "--format", "json"])
    listed = {row["id"] for row in json.loads(result.stdout)}
    assert set(REQUIRED_ASSETS) <= listed
