"""`geo.export`: every format reads back through GDAL with the same features, and a failed write changes nothing."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import pytest
import shapely
from conftest import collection, make_feature

from geo import ExportError, export, load_catalog, select
from geo.catalog import property_records
from geo.csv_sidecars import DETAILED
from geo.export import FORMATS
from geo.schema import LIST_FIELDS

EXTENSION = {name: fmt.extension for name, fmt in FORMATS.items()}


@pytest.fixture
def needs_ogrinfo() -> None:
    """GDAL's command-line tools are a prerequisite: missing, the test fails (it never skips in silence)."""
    if shutil.which("ogrinfo") is None:
        pytest.fail("needs ogrinfo from Debian's gdal-bin: run `make test`, which installs it")


@pytest.fixture
def catalog(small_catalog: Path) -> gpd.GeoDataFrame:
    return load_catalog([small_catalog])


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for exports (tmp_path itself holds the catalog file)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def read_back(path: Path) -> gpd.GeoDataFrame:
    """Every layer of an export as GDAL reads it, with JSON-text lists decoded the way the README tells users to."""
    parts = []
    for name, _ in pyogrio.list_layers(path):
        if name == "layer_styles":  # a GeoPackage's QGIS styles, not assets
            continue
        part = pyogrio.read_dataframe(path, layer=name)
        info = pyogrio.read_info(path, layer=name)
        for field in info["fields"][info["dtypes"] == "bool"]:  # pyogrio reads a Boolean field with NULLs as 1.0/NaN
            part[field] = part[field].map(lambda v: None if pd.isna(v) else bool(v)).astype(object)
        parts.append(part)
    frame = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)
    frame = frame.rename(columns={"Name": "name"})  # LIBKML reads the Placemark <name> back as Name
    for column in LIST_FIELDS:
        if column in frame:
            frame[column] = frame[column].map(lambda v: json.loads(v) if isinstance(v, str) and v.startswith(("[", "{"))
                                              else v)  # CSV summarises sources and status_history
    frame.geometry = shapely.force_2d(frame.geometry.to_numpy())  # KML adds altitude 0
    return frame


def plain(value: Any) -> Any:
    """One value as a comparable plain value, its type kept: a real and an integer of the same value differ
    (a reader that gets 1320 where the catalog has 1320.0 types the field Integer)."""
    if isinstance(value, np.ndarray | list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or value in ("true", "false"):  # CSV writes flags as true/false
        return value in (True, "true")
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, int | float):
        return (type(value).__name__, value)
    return str(value)


def by_id(frame: gpd.GeoDataFrame) -> dict[str, dict[str, Any]]:
    return {rec["id"]: {k: plain(v) for k, v in rec.items()} for rec in property_records(frame)}


def geometries(frame: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    return dict(zip(frame["id"], frame.geometry.to_numpy(), strict=True))


def ogrinfo(path: Path | str, stdin: bytes | None = None) -> str:
    done = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], input=stdin, capture_output=True, check=True)
    return done.stdout.decode()


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_reads_back_with_gdal(catalog, tmp_path, fmt):
    catalog = catalog.assign(schematic_route=[None, True, False])
    path = tmp_path / f"cpec{EXTENSION[fmt]}"
    result = export(catalog, path)
    assert (result.path, result.format, result.count) == (str(path), fmt, 3)
    back = read_back(path)
    assert sorted(back["id"]) == ["plant-a", "road-b", "zone-c"]
    assert back.crs.to_epsg() == 4326  # CSV: from its .prj sidecar
    assert set(catalog.columns) <= set(back.columns)
    got, expected = geometries(back), geometries(catalog)
    for fid, geom in expected.items():
        assert shapely.equals_exact(got[fid], geom, tolerance=1e-6), (fid, got[fid])
    got_props = by_id(back)
    summarised = DETAILED if fmt == "csv" else ()  # whole in the CSV's sidecars (tests/test_export_styles.py)
    for fid, props in by_id(catalog).items():
        assert {k: got_props[fid][k] for k in props if k not in summarised} == {
            k: v for k, v in props.items() if k not in summarised}
    assert got_props["road-b"]["province"] == ["Punjab", "Sindh"]
    if fmt != "csv":
        assert got_props["plant-a"]["sources"][0]["supports"] == ["existence", "capacity_mw"]
    assert [got_props[fid]["schematic_route"] for fid in ("plant-a", "road-b", "zone-c")] == [None, True, False]


def test_geojson_is_rfc7946(tmp_path):
    clockwise_with_hole = shapely.Polygon(
        [(67.0, 25.0), (67.0, 25.5), (67.5, 25.5), (67.5, 25.0)],
        holes=[[(67.1, 25.1), (67.2, 25.1), (67.2, 25.2), (67.1, 25.2)]],
    )
    frame = gpd.GeoDataFrame(
        {"id": ["zone", "plant"], "aliases": [["Zone", "Ẓone"], []]},
        geometry=[clockwise_with_hole, shapely.Point(73.123456789, 30.987654321)],
        crs=4326,
    )
    path = tmp_path / "out.geojson"
    export(frame, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"type", "features"}  # no crs member: RFC 7946 is WGS84 always
    zone, plant = data["features"]
    assert list(zone) == ["type", "geometry", "properties"]
    assert plant["geometry"]["coordinates"] == [73.123457, 30.987654]
    exterior, hole = zone["geometry"]["coordinates"]
    assert shapely.is_ccw(shapely.LinearRing(exterior)) and not shapely.is_ccw(shapely.LinearRing(hole))
    assert zone["properties"]["aliases"] == ["Zone", "Ẓone"] and plant["properties"]["aliases"] == []
    assert "Ẓone" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    decimals = re.findall(r"\d+\.(\d+)", json.dumps([f["geometry"] for f in data["features"]]))
    assert max(map(len, decimals)) == 6


def test_geojson_lines_holds_the_same_features(catalog, tmp_path):
    export(catalog, tmp_path / "a.geojson")
    export(catalog, tmp_path / "a.ndjson")
    lines = (tmp_path / "a.ndjson").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == json.loads((tmp_path / "a.geojson").read_text())["features"]


def test_other_crs_is_reprojected_to_wgs84(catalog, tmp_path):
    export(catalog.to_crs(3857), tmp_path / "a.fgb")
    back = geometries(read_back(tmp_path / "a.fgb"))
    for fid, geom in geometries(catalog).items():
        assert shapely.equals_exact(back[fid], geom, tolerance=1e-6)


def test_gpkg_has_one_layer_per_geometry_type(catalog, tmp_path):
    path = tmp_path / "cpec.gpkg"
    result = export(catalog, path)
    assert result.layers == ("cpec_points", "cpec_lines", "cpec_polygons")
    assert pyogrio.list_layers(path).tolist() == [
        ["cpec_points", "Point"], ["cpec_lines", "LineString"], ["cpec_polygons", "Polygon"], ["layer_styles", None]]
    assert {pyogrio.read_info(path, layer=name)["crs"] for name in result.layers} == {"EPSG:4326"}
    assert int.from_bytes(path.read_bytes()[60:64], "big") == 10200  # GeoPackage 1.2: older GDAL reads it quietly


def test_gpkg_lines_layer_takes_single_and_multi_lines(catalog, tmp_path):
    multi = shapely.MultiLineString([[(70, 29), (70.5, 29.5)], [(71, 30), (71.5, 30.5)]])
    frame = pd.concat([catalog, catalog.iloc[[1]].assign(id="road-m", geometry=[multi])], ignore_index=True)
    export(frame, tmp_path / "cpec.gpkg")
    assert dict(pyogrio.list_layers(tmp_path / "cpec.gpkg"))["cpec_lines"] == "MultiLineString"
    lines = pyogrio.read_dataframe(tmp_path / "cpec.gpkg", layer="cpec_lines")
    assert shapely.equals_exact(lines.geometry.iloc[1], multi, tolerance=1e-6)


@pytest.mark.usefixtures("needs_ogrinfo")
@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "geojson"])
def test_ogrinfo_reads_count_and_crs(catalog, tmp_path, fmt):
    path = tmp_path / f"cpec{EXTENSION[fmt]}"
    export(catalog, path)
    info = ogrinfo(path).split("Layer name: layer_styles")[0]  # a GeoPackage's styles come last
    assert sum(map(int, re.findall(r"^Feature Count: (\d+)$", info, re.M))) == 3
    assert 'ID["EPSG",4326]' in info


def test_round_trip_geojson_gpkg_geojson_loses_nothing(write_catalog, tmp_path):
    line = {"type": "LineString", "coordinates": [[71.47, 30.2], [70.3, 28.4], [68.86, 27.7]]}
    zone = {"type": "Polygon", "coordinates": [[[67.5, 24.9], [67.6, 24.9], [67.6, 25.0], [67.5, 25.0], [67.5, 24.9]]]}
    every = {"notes": "", "schematic_route": False, "disputes": []}
    source = write_catalog(collection(
        make_feature("plant-a", **{**every, "aliases": ["Sāhīwal plant", "SCPP"], "cost_usd_m": 1912.5,
                                   "disputes": [{"field": "capacity_mw", "value": 1300, "source": "editor"}]}),
        make_feature("road-b", sector="transport", subtype="motorway", status="planned", province=["Punjab", "Sindh"],
                     capacity_mw=None, length_km=395, geometry=line,
                     **{**every, "schematic_route": True, "notes": "drawn through the towns it passes"}),
        make_feature("zone-c", sector="industry", subtype="sez", capacity_mw=None, start_year=None, geometry=zone, **every),
    ))
    export(load_catalog([source]), tmp_path / "cpec.gpkg")
    export(read_back(tmp_path / "cpec.gpkg"), tmp_path / "back.geojson")
    original = json.loads(source.read_text(encoding="utf-8"))
    assert json.loads((tmp_path / "back.geojson").read_text(encoding="utf-8")) == original


def test_csv_is_utf8_with_wkt_and_a_point(catalog, tmp_path):
    path = tmp_path / "cpec.csv"
    export(catalog.assign(name=["Sāhīwal", "M-5", "Zone"]), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # byte-order mark, so Excel reads UTF-8
    header, first, *_ = raw.decode("utf-8-sig").splitlines()
    assert header.split(",")[-3:] == ["wkt", "lon", "lat"]
    point = catalog.geometry.iloc[0]
    assert first.startswith("plant-a,Sāhīwal,[],energy,")
    assert first.endswith(f",POINT ({point.x:.10g} {point.y:.10g}),{point.x:.10g},{point.y:.10g}")
    assert ",1320.0,,,2015,2017," in first  # a figure is a real, a year an integer, a missing value empty
    zone = pyogrio.read_dataframe(path).iloc[2]
    assert shapely.contains(zone.geometry, shapely.Point(float(zone["lon"]), float(zone["lat"])))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_empty_selection_writes_a_valid_empty_file(catalog, tmp_path, fmt):
    path = tmp_path / f"none{EXTENSION[fmt]}"
    result = export(select(catalog, sector="digital"), path)
    assert result.count == 0
    if fmt == "geojsonl":
        assert path.read_bytes() == b""  # a sequence of no texts (RFC 8142); GDAL cannot open an empty file
        return
    assert len(pyogrio.read_dataframe(path)) == 0
    if fmt == "geojson":
        assert json.loads(path.read_text()) == {"type": "FeatureCollection", "features": []}
    if fmt == "gpkg":
        assert result.layers == ("cpec_assets",)
        assert pyogrio.read_info(path)["crs"] == "EPSG:4326"


def test_dash_writes_geojson_to_stdout(catalog, capsys):
    result = export(catalog, "-")
    assert (result.path, result.format, result.count) == ("-", "geojson", 3)
    data = json.loads(capsys.readouterr().out)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in data["features"]] == ["plant-a", "road-b", "zone-c"]


@pytest.mark.parametrize(
    ("path", "fmt", "fragment"),
    [
        ("cpec.shp", None, "cannot tell the format from '.shp'; use one of .geojson"),
        ("cpec", None, "cannot tell the format from no extension"),
        ("cpec.gpkg", "shapefile", "unknown format 'shapefile'; expected one of geojson, gpkg"),
        ("-", "gpkg", "GeoPackage cannot go to standard output"),
    ],
)
def test_unknown_format_is_refused_before_writing(catalog, out_dir, path, fmt, fragment):
    target = out_dir / path if path != "-" else path
    with pytest.raises(ExportError, match=re.escape(fragment)):
        export(catalog, target, format=fmt)
    assert list(out_dir.iterdir()) == []


def test_missing_folder_is_refused(catalog, out_dir):
    with pytest.raises(ExportError, match=r"folder .* does not exist") as caught:
        export(catalog, out_dir / "nowhere" / "cpec.gpkg")
    assert isinstance(caught.value, OSError) and "\n" not in str(caught.value)
    assert list(out_dir.iterdir()) == []


def test_folder_as_target_is_refused(catalog, tmp_path):
    (tmp_path / "out.gpkg").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export(catalog, tmp_path / "out.gpkg")


def test_read_only_target_is_refused_before_writing(catalog, out_dir, monkeypatch):
    path = out_dir / "cpec.geojson"
    path.write_text("earlier export")
    path.chmod(0o444)
    if os.access(path, os.W_OK):  # root ignores file modes: show export what they mean to everyone else
        monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != path)
    with pytest.raises(ExportError, match="is read-only; make it writable"):
        export(catalog, path)
    assert path.read_text() == "earlier export"
    assert os.listdir(out_dir) == ["cpec.geojson"]


def test_failure_mid_write_keeps_the_earlier_file(catalog, out_dir, monkeypatch):
    """The second GeoPackage layer fails after the first was written: the earlier file stays, no scratch is left."""
    path = out_dir / "cpec.gpkg"
    export(catalog.iloc[:1], path)
    before = path.read_bytes()
    real_write = pyogrio.write_dataframe
    calls = []

    def fail_second_layer(*args: Any, **kwargs: Any) -> None:
        calls.append(kwargs["layer"])
        if len(calls) == 2:
            raise pyogrio.errors.DataSourceError("disk full")
        real_write(*args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", fail_second_layer)
    with pytest.raises(ExportError, match="GDAL could not write GeoPackage: disk full"):
        export(catalog, path)
    assert calls == ["cpec_points", "cpec_lines"]
    assert path.read_bytes() == before
    assert os.listdir(out_dir) == ["cpec.gpkg"]


@pytest.mark.parametrize("fmt", ["geojson", "csv"])
def test_failed_rename_keeps_the_earlier_file(catalog, out_dir, monkeypatch, fmt):
    path = out_dir / f"cpec{EXTENSION[fmt]}"
    path.write_text("earlier export")

    def refuse(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match=r"could not write .*: Permission denied$"):
        export(catalog, path)
    assert path.read_text() == "earlier export"
    assert os.listdir(out_dir) == [path.name]


def test_shipped_catalog_exports(tmp_path):
    catalog = load_catalog()
    result = export(catalog, tmp_path / "cpec.gpkg")
    assert sum(len(pyogrio.read_dataframe(result.path, layer=name)) for name in result.layers) == len(catalog)


@pytest.mark.parametrize("fmt", ["geojson", "geojsonl", "gpkg", "fgb"])
def test_field_types_do_not_depend_on_the_selection(catalog, tmp_path, fmt):
    """Figures are reals and years integers whether the selected values happen to be whole or not.
    (A field that is null in every selected feature has no type in GeoJSON, so each figure has a value here.)"""
    whole = select(catalog.assign(cost_usd_m=[1995, 10, 20]), id="plant-a")  # integers, as the data files have them
    fractional = catalog.assign(capacity_mw=[1320.5, None, None], cost_usd_m=[1912.2, 10.0, None])
    for name, frame in (("whole", whole), ("fractional", fractional)):
        path = tmp_path / f"{name}{EXTENSION[fmt]}"
        export(frame, path)
        info = pyogrio.read_info(path, layer=pyogrio.list_layers(path)[0][0])
        types = dict(zip(info["fields"], info["dtypes"], strict=True))
        assert [types[f] for f in ("capacity_mw", "cost_usd_m")] == ["float64"] * 2, (name, types)
        assert types["start_year"].startswith("int") and types["completion_year"].startswith("int"), (name, types)


def test_geojson_writes_whole_figures_as_reals(catalog, tmp_path):
    path = tmp_path / "one.geojson"
    export(select(catalog, id="plant-a"), path)
    props = json.loads(path.read_text())["features"][0]["properties"]
    assert (props["capacity_mw"], props["start_year"]) == (1320.0, 2015)
    assert isinstance(props["capacity_mw"], float) and isinstance(props["start_year"], int)
    assert '"capacity_mw": 1320.0' in path.read_text()


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_export_keeps_the_mode_of_the_file_it_replaces(catalog, out_dir, fmt):
    path = out_dir / f"cpec{EXTENSION[fmt]}"
    export(catalog, path)
    path.chmod(0o664)  # not what a new file gets (0644 under the usual umask)
    export(catalog, path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
