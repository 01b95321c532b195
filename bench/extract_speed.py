"""Extraction at scale (issue 15): ``extract`` against one compiled ``re`` alternation of every name and
alias, on the same 20 MB of news-like text; and how right it is, on the seed documents its rules were
written from and, separately, on three held-out sets: the first, whose misses the rules were later adjusted
to; the second, written before that adjustment, whose misses the next rules were written from; the third,
written before those (the honest one).

The baseline is case-insensitive (``re.IGNORECASE``), as the extractor is, longest names first. It only
finds names; ours also tokenizes, applies every rule and quotes each mention. Both run on one core and
are timed in CPU time (``time.process_time``) over eight parts of the text taken in turn, so that other
work on a shared machine slows neither more than the other.
``python -m bench.extract_speed --mb 2`` prints the table alone.
"""

from __future__ import annotations

import argparse
import itertools
import re
import time
from pathlib import Path

import geopandas as gpd

import geo
from geo.extract import Matcher
from geo.extract.evaluate import score

from . import measure as m
from .report import Row, Section, table

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
FIXTURES = REPO / "tests" / "fixtures"
EXTRACT_BYTES = 20_000_000
TARGET_RATIO = 10.0
CHUNKS = 8


def alternation(frame: gpd.GeoDataFrame) -> re.Pattern[str]:
    """One pattern of every name and alias, longest first: what a user would write instead."""
    names = {*frame["name"], *(a for row in frame["aliases"] if isinstance(row, list) for a in row)}
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.IGNORECASE)


def _parts(text: str, n: int) -> list[str]:
    """``text`` cut into ``n`` parts at paragraph breaks."""
    cuts = [0]
    for i in range(1, n):
        cut = text.find("\n\n", len(text) * i // n)
        cuts.append(len(text) if cut < 0 else cut + 2)
    cuts.append(len(text))
    return [text[a:b] for a, b in itertools.pairwise(cuts) if a < b]


def measure(frame: gpd.GeoDataFrame, size: int = EXTRACT_BYTES) -> Section:
    """Throughput against the baseline, then precision and recall on the seeds and the held-out texts."""
    section = Section(f"Extraction ({len(frame)} catalog assets)", len(frame))
    text = m.extract_text(frame, size)
    mb = len(text.encode("utf-8")) / 1e6
    started = time.process_time()
    matcher = Matcher(frame)
    ours = time.process_time() - started
    started = time.process_time()
    pattern = alternation(frame)
    base = time.process_time() - started
    mentions = ambiguous = found = 0
    for part in _parts(text, CHUNKS):  # taken in turn, so that other load on the machine hits both alike
        started = time.process_time()
        result = matcher.extract(part)
        ours += time.process_time() - started
        started = time.process_time()
        found += sum(1 for _ in pattern.finditer(part))
        base += time.process_time() - started
        mentions, ambiguous = mentions + len(result.mentions), ambiguous + len(result.ambiguous)
    ratio = base / ours
    section.rows.append(Row(f"extract throughput ({mb:.1f} MB of text, compiling included)", "MB/s", mb / ours,
                            mb / base, target=f"≥ {TARGET_RATIO:g}x re", met=ratio >= TARGET_RATIO,
                            note=f"CPU time: ours {ours:.1f} s, {mentions:,} mentions, {ambiguous:,} "
                                 f"ambiguous, {len(matcher.sentences(text[:1_000_000])):,} sentences read in the "
                                 f"first MB; baseline: one re alternation (IGNORECASE), {base:.1f} s, {found:,} hits"))
    for label, folder, labels in (("seed documents (rules written from them)", SEEDS, FIXTURES / "seed_labels.json"),
                                  ("held-out 1 (rules adjusted after its misses were seen)", FIXTURES / "heldout",
                                   FIXTURES / "heldout" / "labels.json"),
                                  ("held-out 2 (rules later written from its misses)", FIXTURES / "heldout2",
                                   FIXTURES / "heldout2" / "labels.json"),
                                  ("held-out 3 (written before those rules)", FIXTURES / "heldout3",
                                   FIXTURES / "heldout3" / "labels.json")):
        if not folder.is_dir():
            section.rows.append(Row(f"precision / recall, {label}", "", f"n/a: {folder} not found"))
            continue
        s = score(matcher, folder, labels)
        section.rows.append(Row(f"precision / recall, {label}", "", f"{s.precision:.3f} / {s.recall:.3f}",
                                target="recall ≥ 0.9, no false asset" if "held-out" in label else "",
                                met=(s.recall >= 0.9 and not s.false) if "held-out" in label else None,
                                note=f"{s.correct} of {s.labelled} labelled (asset, line) pairs, {s.found} reported"
                                     + (f"; missed: {', '.join(s.missed)}" if s.missed else "")
                                     + (f"; false: {', '.join(s.false)}" if s.false else "")))
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract_speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=EXTRACT_BYTES / 1e6, help="MB of text (default: %(default)s)")
    args = parser.parse_args(argv)
    print(table(measure(geo.load_catalog(), int(args.mb * 1e6))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
