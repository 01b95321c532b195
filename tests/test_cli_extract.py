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


def test_json_lists_mentions_and_unmatched_per_document(catalog, document):
    result = run(document, "--data", catalog, "--format", "json")
    assert result.exit_code == 0, result.output
    (doc,) = json.loads(result.stdout)["documents"]
    assert doc["source"] == str(document)
    assert [(m["asset_id"], m["text"], m["line"], m["source"], m["rule"]) for m in doc["mentions"]] == [
        ("sahiwal-coal-power-plant", "Sahiwal Coal-Fired Power Plant", 1, str(document), "alias"),
        ("gwadar-port", "Gwadar Port", 2, str(document), "name"),
    ]
    assert doc["mentions"][1]["sentence"] == "The 1,320 MW Sahiwal Coal-Fired Power Plant and the Gwadar Port opened."
    assert [c["text"] for c in doc["unmatched"]] == ["Dasu Dam"]
    assert doc["ambiguous"] == []


def test_table_rows_then_unmatched(catalog, document):
    result = run(document, "--data", catalog)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"== {document}: 2 mentions of 2 assets"
    assert lines[1].split() == ["where", "asset", "rule", "confidence", "matched"]
    assert lines[2].split()[:4] == [f"{document}:1:14", "sahiwal-coal-power-plant", "alias", "0.95"]
    assert lines[3].split()[:4] == [f"{document}:2:1", "gwadar-port", "name", "1.00"]
    assert "unmatched candidates" in lines[4]
    assert lines[6].split()[:3] == [f"{document}:2:25", "Dasu", "Dam"]
    assert "2 mentions of 2 assets in 1 files; 0 ambiguous; 1 unmatched candidates" in result.stderr


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
    (doc,) = json.loads(result.stdout)["documents"]
    assert [(m["asset_id"], m["source"]) for m in doc["mentions"]] == [("gwadar-port", "<stdin>")]


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
    (doc,) = json.loads(run(path, "--data", catalog, "--format", "json").stdout)["documents"]
    assert [(m["line"], m["column"]) for m in doc["mentions"]] == [(1, 1)]


def test_files_are_required():
    result = run()
    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_help_teaches_by_example():
    result = run("--help")
    assert "Example:" in result.stdout and "cpec-map extract" in result.stdout


@pytest.fixture
def folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "more").mkdir(parents=True)
    (docs / "a.txt").write_text("Gwadar Port grew. The Sahiwal Coal Power Plant too.\n", encoding="utf-8")
    (docs / "more" / "b.md").write_text("Ships at Gwadar Port.\n", encoding="utf-8")
    (docs / "c.txt").write_text("Nothing here.\n", encoding="utf-8")
    (docs / "notes.pdf").write_bytes(b"%PDF")
    return docs


def test_a_folder_gives_results_per_document_and_a_csv_matrix(catalog, folder, tmp_path):
    matrix = tmp_path / "named.csv"
    result = run(folder, "--data", catalog, "--format", "json", "--matrix", matrix)
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)["documents"]
    a, c, b = (str(folder / "a.txt"), str(folder / "c.txt"), str(folder / "more" / "b.md"))
    assert [(d["source"], [m["asset_id"] for m in d["mentions"]]) for d in docs] == [
        (a, ["gwadar-port", "sahiwal-coal-power-plant"]), (c, []), (b, ["gwadar-port"])]
    assert matrix.read_text(encoding="utf-8").splitlines() == [
        f"asset,{a},{c},{b},documents", "gwadar-port,1,0,1,2", "sahiwal-coal-power-plant,1,0,0,1"]
    assert "3 files" in result.stderr


def test_several_files_and_a_json_matrix(catalog, folder, tmp_path):
    matrix = tmp_path / "named.json"
    a, b = folder / "a.txt", folder / "more" / "b.md"
    result = run(a, b, "--data", catalog, "--matrix", matrix)
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if line.startswith("==")] == [
        f"== {a}: 2 mentions of 2 assets", f"== {b}: 1 mentions of 1 assets"]
    assert json.loads(matrix.read_text(encoding="utf-8")) == {
        "documents": [str(a), str(b)],
        "assets": {"gwadar-port": {str(a): 1, str(b): 1}, "sahiwal-coal-power-plant": {str(a): 1, str(b): 0}}}


def test_a_matrix_with_another_extension_is_refused(catalog, document, tmp_path):
    result = run(document, "--data", catalog, "--matrix", tmp_path / "named.xlsx")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and ".csv or .json" in result.stderr
    assert not (tmp_path / "named.xlsx").exists()


def test_an_empty_folder_is_one_line(catalog, tmp_path):
    (tmp_path / "empty").mkdir()
    result = run(tmp_path / "empty", "--data", catalog)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'empty'}: folder holds no .txt or .md files\n"


def test_min_confidence_filters_mentions(catalog, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("The Gwadar Port and the coal plant near Sahiwal.\n", encoding="utf-8")
    every = json.loads(run(path, "--data", catalog, "--format", "json").stdout)["documents"][0]["mentions"]
    sure = json.loads(run(path, "--data", catalog, "--format", "json", "--min-confidence", "0.9").stdout)
    assert [(m["asset_id"], m["rule"]) for m in every] == [("gwadar-port", "name"),
                                                           ("sahiwal-coal-power-plant", "description")]
    assert [m["asset_id"] for m in sure["documents"][0]["mentions"]] == ["gwadar-port"]
    assert run(path, "--data", catalog, "--min-confidence", "2").exit_code == 2


def test_the_map_sizes_assets_by_documents_and_lists_them(catalog, folder, tmp_path):
    from geo import load_catalog
    from geo.extract import extract_files, mentioned_frame

    frame = load_catalog([catalog])
    named = mentioned_frame(extract_files([folder], frame), frame).set_index("id")
    assert named.loc["gwadar-port", "document_count"] == 2
    assert named.loc["gwadar-port", "documents"] == [str(folder / "a.txt"), str(folder / "more" / "b.md")]
    assert named.loc["sahiwal-coal-power-plant", "document_count"] == 1
    assert [m.split(",")[0] for m in named.loc["gwadar-port", "mentions"]] == [str(folder / "a.txt"),
                                                                            str(folder / "more" / "b.md")]
    out = tmp_path / "named.html"
    result = run(folder, "--data", catalog, "--map", out, "--offline")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and out.exists()
