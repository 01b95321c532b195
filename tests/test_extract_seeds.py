"""The extractor against hand labels of the seed documents: recall and precision 1.0, mention by mention."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import REPO, SEEDS

from geo import load_catalog
from geo.extract import Matcher, read_document

LABELS = json.loads((REPO / "tests" / "fixtures" / "seed_labels.json").read_text(encoding="utf-8"))
FILES = sorted(name for name in LABELS if not name.startswith("_"))

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_catalog())


def test_every_seed_is_labelled():
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == FILES


def test_labels_use_catalog_ids(matcher):
    labelled = {asset for name in FILES for asset in LABELS[name]["mentions"]}
    assert labelled <= set(matcher.subtype)


@pytest.mark.parametrize("name", FILES)
def test_assets_named_recall_and_precision(matcher, name):
    result = matcher.extract(read_document(SEEDS / name), name)
    expected = set(LABELS[name]["mentions"])
    reported = {m.asset_id for m in result.mentions}
    assert expected - reported == set(), "missed (recall < 1)"
    assert reported - expected == set(), "false (precision < 1)"


@pytest.mark.parametrize("name", FILES)
def test_every_mention_on_its_line(matcher, name):
    result = matcher.extract(read_document(SEEDS / name), name)
    expected = Counter((asset, line) for asset, lines in LABELS[name]["mentions"].items() for line in lines)
    assert Counter((m.asset_id, m.line) for m in result.mentions) == expected


@pytest.mark.parametrize("name", FILES)
def test_unmatched_are_the_real_projects_the_catalog_lacks(matcher, name):
    result = matcher.extract(read_document(SEEDS / name), name)
    assert [c.text for c in result.unmatched] == LABELS[name]["unmatched"]
