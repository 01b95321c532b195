"""load_catalog returns a validated GeoDataFrame, or one clear error."""

from __future__ import annotations

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
    assert "and 1 more problems" in message


def test_shipped_data_is_valid_and_sourced():
    frame = load_catalog(documents_dir=SEEDS if SEEDS.is_dir() else None)
    assert frame["id"].is_unique
    assert len(frame) >= 25
    for sources in frame["sources"]:
        assert sources and all(s.get("kind") in ("document", "editor") for s in sources)
