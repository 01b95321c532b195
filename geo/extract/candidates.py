"""Unmatched candidates: phrases named like projects (a capitalised name before Power Plant, Dam,
Motorway, SEZ, Port, ...; or beside a capacity in MW) that no catalog asset answers to, for a
curator to add. A phrase any rule resolved, even to several assets, is never one."""

from __future__ import annotations

from collections.abc import Iterator

from .tokens import Token
from .words import CANDIDATE_HEADS, NOT_NAME, PROGRAMMES, PROJECT_WORDS


def _in_name(tokens: list[Token], i: int) -> bool:
    """Whether token i can be part of a capitalised project name: a capitalised or project word, a number
    right after a capitalised word ("Main Line-1"), "of"/"and" between capitals."""
    tok = tokens[i]
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if not tok.word:
        return False
    if tok.capital or tok.norm in PROJECT_WORDS:
        return True
    if tok.norm.replace(".", "").isdigit():
        return before is not None and before.capital
    return tok.norm in {"of", "and"} and bool(before and before.capital and after and after.capital)


def _capitals(tokens: list[Token], start: int, step: int) -> int:
    """The far end of the run of capitalised words from ``start`` walking by ``step``."""
    i = start
    while 0 <= i < len(tokens) and tokens[i].word and tokens[i].capital:
        i += step
    return i


def candidate_spans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Capitalised names ending in a project noun, or next to a capacity in MW ("1,124 MW Kohala",
    "Karot (720 MW)")."""
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not _in_name(tokens, i):
            i += 1
            continue
        end = i
        while end < len(tokens) and _in_name(tokens, end):
            end += 1
        spans.extend(_name_in_run(tokens, i, end))
        i = end
    for i in range(len(tokens) - 1):
        if tokens[i].norm.replace(".", "").isdigit() and tokens[i + 1].norm == "mw":
            stop = _capitals(tokens, i + 2, 1)
            if stop > i + 2:
                spans.append((i + 2, stop))
            if i >= 2 and tokens[i - 1].norm in {"(", "of"}:
                first = _capitals(tokens, i - 2, -1) + 1
                if first < i - 1:
                    spans.append((first, i - 1))
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        key = tuple(t.norm for t in tokens[start:end])
        if key not in PROGRAMMES and all(end <= a or b <= start for a, b in kept):
            kept.append((start, end))
    return sorted(kept)


def _name_in_run(tokens: list[Token], start: int, end: int) -> Iterator[tuple[int, int]]:
    """The candidate in a run of name-like tokens: from its first capitalised name word to its last head noun."""
    heads = [i for i in range(start, end) if tokens[i].norm in CANDIDATE_HEADS]
    if not heads:
        return
    last = heads[-1]
    first = start
    while first < last and (tokens[first].norm in NOT_NAME or not tokens[first].capital):
        first += 1
    name = [t for t in tokens[first:last] if t.capital and t.norm not in PROJECT_WORDS and t.norm not in NOT_NAME]
    if name:
        yield first, last + 1

