"""The official portfolio is covered, and data/README.md tells the coverage as it is."""

from __future__ import annotations

import dataclasses

from conftest import REPO

from geo import load_catalog
from geo.coverage import coverage_table, portfolio, unaccounted


def test_every_official_project_is_drawn_or_excluded_with_a_reason():
    catalog, projects = load_catalog(), portfolio()
    assert len(projects) == 83 and len({p.row for p in projects}) == 83
    assert unaccounted(projects, catalog) == []
    assert sum(p.asset in set(catalog["id"]) for p in projects) >= 75


def test_a_project_whose_asset_is_gone_is_reported():
    catalog, projects = load_catalog(), portfolio()
    assert [p.row for p in unaccounted(projects, catalog[catalog["id"] != "karot-hydropower-project"])] == [16]
    excused = [dataclasses.replace(p, excluded="no site") if p.row == 16 else p for p in projects]
    assert unaccounted(excused, catalog[catalog["id"] != "karot-hydropower-project"]) == []


def test_official_projects_have_features_of_their_own():
    ids = [p.asset for p in portfolio() if p.asset]
    assert len(ids) == len(set(ids)), "two official projects share one feature"


def test_readme_coverage_table_is_the_computed_one():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert coverage_table(portfolio(), load_catalog()) in readme
