"""`cpec-map export`: the selection `list` shows, in the file asked for; one line and exit 1 when it cannot write."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyogrio
import pytest
from click.testing import CliRunner
from conftest import collection, make_feature

from geo.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def exported_ids(path: Path) -> list[str]:
    return [f["properties"]["id"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([], ["plant-a", "road-b", "zone-c"]),
        (["--sector", "energy", "--sector", "transport"], ["plant-a", "road-b"]),  # OR within an option
        (["--sector", "energy", "--sector", "transport", "--status", "planned"], ["road-b"]),  # AND across
        (["--province", "Sindh"], ["road-b", "zone-c"]),
        (["--province", "Sindh", "--sector", "industry"], ["zone-c"]),
        (["--bbox", "67,24,68,26"], ["zone-c"]),
        (["--id", "zone-c", "--id", "plant-a"], ["plant-a", "zone-c"]),
    ],
)
def test_filters_select_what_list_shows(small_catalog, out_dir, filters, expected):
    path = out_dir / "sel.geojson"
    result = run("export", "--data", str(small_catalog), "-o", str(path), *filters)
    assert result.exit_code == 0, result.output
    assert exported_ids(path) == expected
    listed = run("list", "--data", str(small_catalog), "--format", "json", *filters)
    assert [row["id"] for row in json.loads(listed.stdout)] == expected
    assert result.stderr == f"wrote {len(expected)} feature{'s' if len(expected) > 1 else ''} to {path} (GeoJSON; layers: sel)\n"


def test_gpkg_reports_its_layers(small_catalog, out_dir):
    path = out_dir / "cpec.gpkg"
    result = run("export", "--data", str(small_catalog), "-o", str(path))
    assert result.exit_code == 0, result.output
    assert "wrote 3 features" in result.stderr and "layers: cpec_points, cpec_lines, cpec_polygons" in result.stderr
    assert [name for name, _ in pyogrio.list_layers(path)] == ["cpec_points", "cpec_lines", "cpec_polygons", "layer_styles"]


def test_format_option_overrides_the_extension(small_catalog, out_dir):
    path = out_dir / "cpec.txt"
    result = run("export", "--data", str(small_catalog), "-o", str(path), "--format", "GeoJSONL", "--sector", "energy")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["properties"]["id"] for line in path.read_text().splitlines()] == ["plant-a"]


def test_dash_writes_a_feature_collection_to_stdout(small_catalog):
    result = run("export", "--data", str(small_catalog), "-o", "-", "--province", "Sindh")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["id"] for f in data["features"]] == ["road-b", "zone-c"]
    assert result.stderr == "wrote 2 features to standard output (GeoJSON)\n"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="needs ogrinfo from Debian's gdal-bin")
def test_stdout_pipes_into_gdal(small_catalog):
    result = run("export", "--data", str(small_catalog), "-o", "-")
    info = subprocess.run(["ogrinfo", "-ro", "-so", "-al", "/vsistdin/"], input=result.stdout_bytes,
                          capture_output=True, check=True).stdout.decode()
    assert "Feature Count: 3" in info


def test_empty_selection_writes_an_empty_file_and_says_so(small_catalog, out_dir):
    path = out_dir / "none.geojson"
    result = run("export", "--data", str(small_catalog), "-o", str(path), "--sector", "energy", "--status", "planned")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("empty selection: wrote 0 features to ")
    assert json.loads(path.read_text()) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["-o", "cpec.shp"], "cannot tell the format from '.shp'; use one of .geojson, .json, .gpkg"),
        (["-o", "cpec.gpkg", "--format", "shapefile"], "'shapefile' is not one of"),
        (["-o", "-", "--format", "gpkg"], "GeoPackage cannot go to standard output"),
        (["-o", "cpec.gpkg", "--status", "operating"], "did you mean 'operational'"),
    ],
)
def test_wrong_command_line_exits_two(small_catalog, out_dir, monkeypatch, args, fragment):
    monkeypatch.chdir(out_dir)
    result = run("export", "--data", str(small_catalog), *args)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert list(out_dir.iterdir()) == []


def test_missing_folder_exits_one_with_one_line(small_catalog, out_dir):
    path = out_dir / "nowhere" / "cpec.gpkg"
    result = run("export", "--data", str(small_catalog), "-o", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: folder '{path.parent}' does not exist; create it first or write elsewhere\n"
    assert list(out_dir.iterdir()) == []


def test_read_only_target_exits_one_and_keeps_the_earlier_file(small_catalog, out_dir, monkeypatch):
    path = out_dir / "cpec.gpkg"
    assert run("export", "--data", str(small_catalog), "-o", str(path), "--id", "plant-a").exit_code == 0
    before = path.read_bytes()
    path.chmod(0o444)
    out_dir.chmod(0o555)
    try:
        if os.access(path, os.W_OK):  # root ignores file modes: make the rename fail as it would for a user

            def refuse(src: Any, dst: Any) -> None:
                raise PermissionError(errno.EACCES, "Permission denied")

            monkeypatch.setattr(os, "replace", refuse)
        result = run("export", "--data", str(small_catalog), "-o", str(path))
    finally:
        out_dir.chmod(0o755)
        path.chmod(0o644)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: ") and result.stderr.count("\n") == 1
    assert "writable" in result.stderr or "Permission denied" in result.stderr
    assert path.read_bytes() == before
    assert os.listdir(out_dir) == ["cpec.gpkg"]


def test_extract_writes_geojson_as_export_does(write_catalog, tmp_path):
    """One GeoJSON writer: the assets a document names come out as ``export -o -`` writes them, plus their mentions
    (figures as reals, no top-level id)."""
    catalog = write_catalog(collection(make_feature("sahiwal", name="Sahiwal Coal Power Plant"),
                                       make_feature("port-qasim", name="Port Qasim Coal Power Plant", capacity_mw=1320.5)))
    document = tmp_path / "report.txt"
    document.write_text("The Port Qasim Coal Power Plant and the Sahiwal Coal Power Plant.", encoding="utf-8")
    extracted = run("extract", str(document), "--data", str(catalog), "--format", "geojson")
    assert extracted.exit_code == 0, extracted.output
    named = json.loads(extracted.stdout)["features"]
    assert [f["properties"]["id"] for f in named] == ["port-qasim", "sahiwal"]  # in order of first mention
    exported = run("export", "--data", str(catalog), "-o", "-")
    assert exported.exit_code == 0, exported.output
    plain = {f["properties"]["id"]: f for f in json.loads(exported.stdout)["features"]}
    for found in named:
        assert found["properties"].pop("mentions")
        assert found == plain[found["properties"]["id"]]
    assert '"capacity_mw": 1320.0' in extracted.stdout
