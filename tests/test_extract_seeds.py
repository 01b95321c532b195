"""The extractor against hand labels: the seed documents its rules were written from (precision and
recall 1.0, mention by mention) and, reported separately, two held-out sets: the first, whose misses the
rules were then adjusted to, and the second, written before that adjustment (the honest test)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from conftest import REPO, SEEDS

from geo import load_catalog
from geo.extract import Matcher, read_document
from geo.extract.evaluate import score

FIXTURES = REPO / "tests" / "fixtures"
LABELS = json.loads((FIXTURES / "seed_labels.json").read_text(encoding="utf-8"))
FILES = sorted(name for name in LABELS if not name.startswith("_"))
HELDOUT = FIXTURES / "heldout"
HELDOUT_LABELS = HELDOUT / "labels.json"
HELDOUT2 = FIXTURES / "heldout2"
HELDOUT2_LABELS = HELDOUT2 / "labels.json"

seeds_only = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed documents not found at {SEEDS}")


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_catalog())


@seeds_only
def test_every_seed_is_labelled():
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == FILES


def test_labels_use_catalog_ids(matcher):
    tables = [LABELS, *(json.loads(p.read_text(encoding="utf-8")) for p in (HELDOUT_LABELS, HELDOUT2_LABELS))]
    labelled = {asset for table in tables for name, entry in table.items() if not name.startswith("_")
                for asset in entry["mentions"]}
    assert labelled <= set(matcher.subtype)


@seeds_only
def test_seed_precision_and_recall(matcher):
    result = score(matcher, SEEDS, FIXTURES / "seed_labels.json")
    print(f"seeds: precision {result.precision:.3f}, recall {result.recall:.3f}")
    assert (result.missed, result.false) == ((), ())


@seeds_only
@pytest.mark.parametrize("name", FILES)
def test_every_mention_on_its_line(matcher, name):
    result = matcher.extract(read_document(SEEDS / name), name)
    expected = Counter((asset, line) for asset, lines in LABELS[name]["mentions"].items() for line in lines)
    assert Counter((m.asset_id, m.line) for m in result.mentions) == expected


@seeds_only
@pytest.mark.parametrize("name", FILES)
def test_ambiguous_and_unmatched_are_as_labelled(matcher, name):
    result = matcher.extract(read_document(SEEDS / name), name)
    assert [a.text for a in result.ambiguous] == LABELS[name]["ambiguous"]
    assert [c.text for c in result.unmatched] == LABELS[name]["unmatched"]


def test_heldout_meets_the_target(matcher):
    """Issue 15's target on the first held-out set. Not an honest test: the description rule was adjusted
    after its four misses were seen (0.875 before, 1.0 after)."""
    result = score(matcher, HELDOUT, HELDOUT_LABELS)
    print(f"held-out 1: precision {result.precision:.3f}, recall {result.recall:.3f}; missed {result.missed}")
    assert result.false == ()
    assert result.recall >= 0.9


def test_heldout2_names_no_false_asset_and_keeps_its_recall(matcher):
    """Written before the adjustment: 0.537 before it, 0.707 with two false assets when first measured after
    it, 28/41 = 0.683 and none false once a far noun had to open a phrase and take only its nearest place."""
    result = score(matcher, HELDOUT2, HELDOUT2_LABELS)
    print(f"held-out 2: precision {result.precision:.3f}, recall {result.recall:.3f}; missed {result.missed}")
    assert result.false == ()
    assert result.recall >= 28 / 41


@pytest.mark.xfail(strict=True, reason="issue 15's target, not met on the honest set: recall 0.683; misses are "
                                       "plurals ('the Azad Pattan and Mahl plants'), lists cued after their items, "
                                       "a generic noun with a figure, an Urdu spelling, 'stretch', 'realignment'")
def test_heldout2_recall_meets_the_target(matcher):
    assert score(matcher, HELDOUT2, HELDOUT2_LABELS).recall >= 0.9
