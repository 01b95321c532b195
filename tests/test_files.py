"""geo.files: the one GeoJSON writer, and atomic writes that keep a file's mode."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import collection, make_feature

from geo.files import dump_geojson, write_text_atomically


def outside_coordinates(text: str) -> str:
    """``text`` with the value of every "coordinates" member cut out (brackets matched), to compare the rest."""
    out, at = [], 0
    while (found := text.find('"coordinates": ', at)) >= 0:
        start = found + len('"coordinates": ')
        out.append(text[at:start])
        depth, at = 0, start
        while at == start or depth:
            depth += {"[": 1, "]": -1}.get(text[at], 0)
            at += 1
    return "".join(out) + text[at:]


def test_indented_layout_touches_only_coordinates():
    feature = make_feature("a", notes="cost revised [2015,2017]", years=[2015, 2017],
                           geometry={"type": "LineString", "coordinates": [[67.0, 25.0], [67.5, 25.5]]})
    document = collection(feature)
    text = dump_geojson(document)
    assert '"notes": "cost revised [2015,2017]"' in text
    assert '"coordinates": [\n          [67.0, 25.0],\n          [67.5, 25.5]\n        ]' in text
    assert json.loads(text) == document
    # outside the coordinates, every byte is json.dumps' (a property list [2015, 2017] included)
    assert outside_coordinates(text) == outside_coordinates(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def test_layouts_of_one_collection_hold_the_same_features():
    document = collection(make_feature("a"), make_feature("b"))
    for layout in ("indented", "features"):
        assert json.loads(dump_geojson(document, layout)) == document
    assert [json.loads(line) for line in dump_geojson(document, "lines").splitlines()] == document["features"]


def test_non_finite_numbers_are_refused():
    with pytest.raises(ValueError):
        dump_geojson(collection(make_feature("a", capacity_mw=float("inf"))), "features")


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_rewrite_keeps_the_mode(tmp_path: Path, mode: int):
    path = tmp_path / "kept.txt"
    path.write_text("old")
    path.chmod(mode)
    write_text_atomically(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_new_file_follows_the_umask(tmp_path: Path):
    old = os.umask(0o027)
    try:
        write_text_atomically(tmp_path / "new.txt", "text")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
