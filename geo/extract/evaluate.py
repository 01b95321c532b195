"""Precision and recall against hand labels, as (asset id, line) pairs: how tests and ``make bench``
judge the extractor, on the documents its rules were written from and on held-out texts alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .documents import read_document
from .scan import Matcher


@dataclass(frozen=True)
class Score:
    """Pairs found and labelled; ``missed`` and ``false`` list them as ``file:line asset``."""

    found: int
    labelled: int
    correct: int
    missed: tuple[str, ...]
    false: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.labelled if self.labelled else 1.0


def score(matcher: Matcher, folder: Path, labels: Path) -> Score:
    """Extract from every labelled file in ``folder`` and compare with ``labels`` ({file: {"mentions":
    {asset: [lines]}}}, keys starting "_" are notes)."""
    table = json.loads(labels.read_text(encoding="utf-8"))
    expected: set[tuple[str, int, str]] = set()
    reported: set[tuple[str, int, str]] = set()
    for name, entry in table.items():
        if name.startswith("_"):
            continue
        expected |= {(name, line, asset) for asset, lines in entry["mentions"].items() for line in lines}
        reported |= {(name, m.line, m.asset_id) for m in matcher.extract(read_document(folder / name), name).mentions}
    return Score(len(reported), len(expected), len(reported & expected), _listed(expected - reported),
                 _listed(reported - expected))


def _listed(pairs: set[tuple[str, int, str]]) -> tuple[str, ...]:
    return tuple(f"{name}:{line} {asset}" for name, line, asset in sorted(pairs))
