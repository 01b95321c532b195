"""Every way a file can be unreadable gives one clear line naming the file."""

from __future__ import annotations

import pytest
from conftest import make_feature

from geo.errors import CatalogError
from geo.reader import MAX_FILE_BYTES, data_files, features_of, read_json


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"not json at all", "not valid JSON"),
        (b'{"type": "FeatureCollection", "features": [', "truncated"),
        (b'\xef\xbb\xbf{"type": "FeatureCollection", "features": []}', "byte order mark"),
        ('{"name": "Quaid-e-Azam caf\xe9"}'.encode("latin-1"), "not UTF-8"),
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"type": "Point", "coordinates": [NaN, 1]}', "NaN"),
        (b'{"a": Infinity}', "Infinity"),
        (b'{"capacity_mw": 1e400}', "number 1e400 is out of range"),
        (b'{"capacity_mw": -2.5E+999}', "number -2.5E+999 is out of range"),
        (b'{"capacity_mw": 1' + b"0" * 400 + b"}", "is out of range"),
    ],
)
def test_bad_files(write_catalog, content, fragment):
    path = write_catalog(content)
    with pytest.raises(CatalogError) as info:
        read_json(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert fragment in message
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(CatalogError, match="no such file"):
        read_json(tmp_path / "nope.geojson")
    with pytest.raises(CatalogError, match="is a folder"):
        read_json(tmp_path)


def test_oversized_file_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.geojson"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(CatalogError, match="over the 100 MB limit"):
        read_json(big)


def test_features_of_accepts_collection_feature_and_list(tmp_path):
    feature = make_feature()
    assert len(list(features_of({"type": "FeatureCollection", "features": [feature, feature]}, "x"))) == 2
    assert len(list(features_of(feature, "x"))) == 1
    assert len(list(features_of([feature], "x"))) == 1
    with pytest.raises(CatalogError, match="expected a GeoJSON FeatureCollection, found 'Point'"):
        list(features_of({"type": "Point", "coordinates": [0, 0]}, "x"))


def test_folder_without_geojson(tmp_path):
    with pytest.raises(CatalogError, match=r"no \*\.geojson"):
        data_files([tmp_path])
