"""Building maps: the pages written, deterministic bytes, and nothing lost on failure."""

from __future__ import annotations

import hashlib
import re

import pytest
from conftest import NODE_MODULES, collection, map_features

from geo import build as build_module
from geo import load_catalog
from geo.build import build_maps
from geo.errors import BuildError


@pytest.fixture
def frame(write_catalog):
    return load_catalog([write_catalog(collection(*map_features()))])


def tree_digest(folder):
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_pages_and_counts(frame, tmp_path):
    tmp_path = tmp_path / "out"
    built = build_maps(frame, tmp_path)
    names = sorted(str(b.path.relative_to(tmp_path)) for b in built)
    assert names == sorted(["index.html", "timeline.html"] + [f"sector/{s}.html" for s in set(frame["sector"])]
                           + [f"status/{s}.html" for s in set(frame["status"])])
    index = next(b for b in built if b.path.name == "index.html")
    assert index.kinds == {"points": 3, "lines": 3, "polygons": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "sector", "status", "timeline.html"]  # no temp left


def test_online_build_uses_tiles_offline_build_fetches_nothing(frame, tmp_path):
    build_maps(frame, tmp_path / "on")
    build_maps(frame, tmp_path / "off", offline=True, modules_dir=NODE_MODULES)
    online = (tmp_path / "on" / "index.html").read_text()
    offline = (tmp_path / "off" / "index.html").read_text()
    assert "tile.openstreetmap.org" in online and "supercluster@9.1.0" in online
    assert "jquery" not in online.lower() and "bootstrap" not in online.lower()  # never used by these pages
    assert 'user-scalable=no' not in online and 'user-scalable=no' not in offline
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", offline)
    assert "tile.openstreetmap.org" not in offline


def test_two_builds_are_byte_identical(frame, tmp_path):
    build_maps(frame, tmp_path / "a", offline=True, modules_dir=NODE_MODULES)
    build_maps(frame, tmp_path / "b", offline=True, modules_dir=NODE_MODULES)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_failed_build_leaves_earlier_maps_intact(frame, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    build_maps(frame, tmp_path)
    before = tree_digest(tmp_path)
    real = build_module.render_map
    calls = []

    def flaky(part, **kwargs):
        calls.append(1)
        if len(calls) == 4:
            raise BuildError("injected failure")
        return real(part, **kwargs)

    monkeypatch.setattr(build_module, "render_map", flaky)
    with pytest.raises(BuildError, match="injected"):
        build_maps(frame.iloc[:3], tmp_path)
    assert tree_digest(tmp_path) == before


def test_failure_while_writing_leaves_earlier_maps_intact(frame, tmp_path, monkeypatch):
    tmp_path = tmp_path / "out"
    build_maps(frame, tmp_path)
    before = tree_digest(tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_module.Path, "write_text", disk_full)
    with pytest.raises(BuildError, match="No space left on device"):
        build_maps(frame.iloc[:2], tmp_path)
    assert tree_digest(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "sector", "status", "timeline.html"]


def test_output_folder_that_is_a_file(frame, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(BuildError, match="cannot create the output folder"):
        build_maps(frame, target)
