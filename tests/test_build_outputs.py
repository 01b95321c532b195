"""What a build leaves in its folder: exactly the pages of this build, none of an earlier one."""

from __future__ import annotations

from pathlib import Path

from geo import build_maps, load_catalog, select


def pages(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))


def test_an_empty_selection_leaves_no_stale_sector_or_status_pages(small_catalog, tmp_path):
    catalog = load_catalog([small_catalog])
    out = tmp_path / "maps"
    build_maps(catalog, out)
    assert "sector/energy.html" in pages(out) and "status/planned.html" in pages(out)
    built = build_maps(select(catalog, sector="digital"), out)
    assert {b.features for b in built} == {0}
    assert "index.html" in pages(out)
    assert [p for p in pages(out) if p.startswith(("sector/", "status/"))] == []


def test_one_asset_is_said_in_the_singular(small_catalog, tmp_path):
    built = build_maps(select(load_catalog([small_catalog]), id="plant-a"), tmp_path / "one")
    assert built[0].describe().endswith(": 1 asset (1 points)")
    assert ": 1 assets" not in "\n".join(b.describe() for b in built)
