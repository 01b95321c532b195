"""`cpec-map list` prints the selection in table, csv and json."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from geo.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_json_lists_selected_assets(small_catalog):
    result = run("list", "--data", str(small_catalog), "--province", "Sindh", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["road-b", "zone-c"]
    assert rows[0]["province"] == ["Punjab", "Sindh"]
    assert rows[0]["capacity_mw"] is None


def test_csv_has_header_and_rows(small_catalog):
    result = run("list", "--data", str(small_catalog), "--status", "planned", "--status", "operational", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == ["plant-a", "road-b"]
    assert rows[1]["province"] == "Punjab; Sindh"
    assert rows[0]["capacity_mw"] == "1320"


def test_table(small_catalog):
    result = run("list", "--data", str(small_catalog), "--sector", "industry")
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "name", "sector"]
    assert [line.split()[0] for line in lines[1:]] == ["zone-c"]


def test_unknown_status_is_a_usage_error(small_catalog):
    result = run("list", "--data", str(small_catalog), "--status", "operating")
    assert result.exit_code == 2
    assert "did you mean 'operational'" in result.output


def test_bad_data_exits_one(write_catalog):
    path = write_catalog(b"{", "bad.geojson")
    result = run("list", "--data", str(path))
    assert result.exit_code == 1
    assert f"Error: {path}: not valid JSON" in result.output
