"""`cpec-map validate`: one line per problem, exit 1 for bad data, 2 for a bad command line."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner
from conftest import collection, make_feature

from geo.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_clean_file_exits_zero(small_catalog):
    result = run("validate", str(small_catalog))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_problems_one_line_each(write_catalog):
    swapped = make_feature("b", geometry={"type": "Point", "coordinates": [30.5, 73.0]})
    path = write_catalog(collection(make_feature("a", status="operating"), swapped))
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{path}: feature 'a': status: 'operating' is not allowed; did you mean 'operational'? [unknown-word]",
        f"{path}: feature 'b': geometry: coordinates look like [lat, lon]; GeoJSON wants [lon, lat] [lonlat-swapped]",
    ]


def test_json_report(write_catalog):
    path = write_catalog(collection(make_feature("a", sources=[])))
    result = run("validate", "--json", str(path))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [(i["feature"], i["field"], i["type"]) for i in report["issues"]] == [("a", "sources", "missing-source")]


def test_unreadable_inputs_never_traceback(write_catalog, tmp_path):
    bad = write_catalog(b"\x00\x01garbage", "bad.geojson")
    result = run("validate", str(bad), str(tmp_path / "missing.geojson"))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{bad}: not valid JSON" in result.stdout
    assert "missing.geojson: no such file" in result.stdout


def test_bad_option_exits_two():
    assert run("validate", "--nope").exit_code == 2


def test_fix_repairs_polygons_and_says_what_changed(write_catalog):
    open_ring = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.1, 25.0], [67.1, 25.1], [67.0, 25.1]]]}
    bowtie = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.1, 25.1], [67.1, 25.0], [67.0, 25.1], [67.0, 25.0]]]}
    clockwise = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.0, 25.1], [67.1, 25.1], [67.1, 25.0], [67.0, 25.0]]]}
    path = write_catalog(collection(make_feature("a", geometry=open_ring), make_feature("b", geometry=bowtie),
                                    make_feature("c", geometry=clockwise), make_feature("d", odd="kept")))
    assert run("validate", str(path)).exit_code == 1
    result = run("validate", "--fix", str(path))
    assert result.exit_code == 0, result.output
    assert f"fixed: {path}: feature 'a': geometry: closed an open ring" in result.stderr
    assert "feature 'b': geometry: made valid (Self-intersection" in result.stderr
    assert "feature 'c': geometry: turned exterior rings counter-clockwise" in result.stderr
    fixed = json.loads(path.read_text())
    assert fixed["features"][1]["geometry"]["type"] == "MultiPolygon"  # the bow-tie's two triangles
    assert fixed["features"][3]["properties"]["odd"] == "kept"
    assert run("validate", "--fix", str(path)).stderr.count("fixed:") == 0  # nothing left to do


def test_fix_keeps_text_outside_coordinates_byte_for_byte(write_catalog):
    from test_files import outside_coordinates

    clockwise = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.0, 25.1], [67.1, 25.1], [67.1, 25.0], [67.0, 25.0]]]}
    feature = make_feature("b", geometry=clockwise, notes="cost revised [2015,2017]", years=[2015, 2017])
    feature["properties"]["sources"][0]["quote"] = "the [1320, 1320] MW plant"  # a quote must keep matching its text
    before = json.dumps(collection(feature), indent=2, ensure_ascii=False) + "\n"
    path = write_catalog(before.encode())
    assert run("validate", "--fix", str(path)).exit_code == 0
    after = path.read_text(encoding="utf-8")
    assert outside_coordinates(after) == outside_coordinates(before)
    assert "            [67.1, 25.0],\n" in after  # turned counter-clockwise, one position per line


def test_fix_keeps_the_file_mode(write_catalog):
    clockwise = {"type": "Polygon", "coordinates": [[[67.0, 25.0], [67.0, 25.1], [67.1, 25.1], [67.1, 25.0], [67.0, 25.0]]]}
    path = write_catalog(collection(make_feature("c", geometry=clockwise)))
    path.chmod(0o644)
    assert run("validate", "--fix", str(path)).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_missing_documents_folder_is_a_command_line_error(small_catalog, tmp_path):
    result = run("validate", str(small_catalog), "--documents", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_document_missing_from_the_folder_is_reported(small_catalog, tmp_path):
    result = run("validate", str(small_catalog), "--documents", str(tmp_path))
    assert result.exit_code == 1
    assert f"{small_catalog}: feature 'plant-a': sources.0.document: " in result.stdout
    assert "[missing-document]" in result.stdout


@pytest.mark.parametrize(("value", "text"), [(1e400, "1e400"), (-1e400, "-1e400"), (10**400, str(10**400))])
def test_numbers_that_overflow_to_infinity_are_refused(write_catalog, value, text):
    raw = json.dumps(collection(make_feature("a", capacity_mw=1234.5))).replace("1234.5", text)
    path = write_catalog(raw.encode())
    result = run("validate", str(path))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{path}: not valid JSON: number ") and "out of range" in line


@pytest.mark.parametrize("fid", ["plant-a\n", "plant-a\r\n", "\nplant-a"])
def test_an_id_with_a_newline_is_reported(write_catalog, fid):
    path = write_catalog(collection(make_feature(fid)))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "[schema]" in result.stdout and ": id: " in result.stdout
