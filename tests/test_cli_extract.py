"""`cpec-map extract`: table, json and geojson output, standard input, and one-line errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import collection, make_feature

from geo.cli import main

TEXT = "The 1,320 MW Sahiwal Coal-Fired Power Plant and the\nGwadar Port opened. The Dasu Dam is planned.\n"


@pytest.fixture
def catalog(write_catalog):
    return write_catalog(collection(
        make_feature("sahiwal-coal-power-plant", name="Sahiwal Coal Power Plant",
                     aliases=["Sahiwal Coal-Fired Power Plant"]),
        make_feature("gwadar-port", name="Gwadar Port", sector="port", subtype="seaport", province=["Balochistan"],
                     capacity_mw=None, geometry={"type": "Point", "coordinates": [62.33, 25.11]}),
    ))


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def run(*args, **kwargs):
    return CliRunner().invoke(main, ["extract", *map(str, args)], **kwargs)


def test_json_lists_mentions_and_unmatched(catalog, document):
    result = run(document, "--data", catalog, "--format", "json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert [(m["asset_id"], m["text"], m["line"], m["source"]) for m in out["mentions"]] == [
        ("sahiwal-coal-power-plant", "Sahiwal Coal-Fired Power Plant", 1, str(document)),
        ("gwadar-port", "Gwadar Port", 2, str(document)),
    ]
    assert [c["text"] for c in out["unmatched"]] == ["Dasu Dam"]


def test_table_rows_then_unmatched(catalog, document):
    result = run(document, "--data", catalog)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["where", "asset", "matched", "snippet"]
    assert lines[1].split()[:2] == [f"{document}:1:14", "sahiwal-coal-power-plant"]
    assert lines[2].split()[:2] == [f"{document}:2:1", "gwadar-port"]
    assert "unmatched candidates" in lines[4]
    assert lines[6].split()[:3] == [f"{document}:2:25", "Dasu", "Dam"]
    assert "2 mentions of 2 assets in 1 files; 1 unmatched candidates" in result.stderr


def test_geojson_holds_the_named_features_with_their_mentions(catalog, document):
    result = run(document, "--data", catalog, "--format", "geojson")
    assert result.exit_code == 0, result.output
    features = json.loads(result.stdout)["features"]
    assert [f["properties"]["id"] for f in features] == ["sahiwal-coal-power-plant", "gwadar-port"]
    assert features[1]["geometry"]["coordinates"] == [62.33, 25.11]
    assert [m["snippet"] for m in features[1]["properties"]["mentions"]] == [
        "\u2026MW Sahiwal Coal-Fired Power Plant and the Gwadar Port opened. The Dasu Dam is planned."]


def test_dash_reads_standard_input(catalog):
    result = run("-", "--data", catalog, "--format", "json", input=b"Gwadar Port\n")
    assert result.exit_code == 0, result.output
    assert [(m["asset_id"], m["source"]) for m in json.loads(result.stdout)["mentions"]] == [("gwadar-port", "<stdin>")]


def test_missing_file_is_one_line(catalog, tmp_path):
    result = run(tmp_path / "nope.txt", "--data", catalog)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'nope.txt'}: no such file\n"


def test_text_that_is_not_utf8_is_one_line(catalog, tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Gwadar Port\nQuaid-e-Azam caf\u00e9".encode("latin-1"))
    result = run(path, "--data", catalog)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "not UTF-8 (byte 0xe9 on line 2)" in result.stderr


def test_a_byte_order_mark_is_dropped(catalog, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfGwadar Port")
    out = json.loads(run(path, "--data", catalog, "--format", "json").stdout)
    assert [(m["line"], m["column"]) for m in out["mentions"]] == [(1, 1)]


def test_files_are_required():
    result = run()
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_help_teaches_by_example():
    result = run("--help")
    assert "Example:" in result.stdout and "cpec-map extract" in result.stdout
