"""What an extraction reports: mentions with their evidence, phrases that fit several assets, and
candidate projects the catalog lacks; each says where it stands in its document."""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from typing import Any

RULES = ("name", "alias", "description", "route", "list")


@dataclass(frozen=True)
class Candidate:
    """A phrase that looks like a named project but matches no catalog asset: the document's own
    words, where they stand, and the line around them."""

    text: str
    line: int
    column: int
    start: int
    end: int
    snippet: str
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Mention(Candidate):
    """One place a document names a catalog asset, with the evidence: the rule that matched
    (one of ``RULES``), the sentence, and a confidence from 0 to 1."""

    asset_id: str = field(kw_only=True)
    rule: str = field(kw_only=True, default="name")
    sentence: str = field(kw_only=True, default="")
    confidence: float = field(kw_only=True, default=1.0)


@dataclass(frozen=True)
class Ambiguity(Candidate):
    """A phrase that fits several assets equally: refused, and reported so a reader can decide."""

    assets: tuple[str, ...] = field(kw_only=True)
    rule: str = field(kw_only=True, default="description")


@dataclass(frozen=True)
class Extraction:
    """The mentions of catalog assets in one or more documents, the ambiguous phrases, the unmatched
    candidates, and the documents read (``sources``, those that name nothing included)."""

    mentions: tuple[Mention, ...] = ()
    unmatched: tuple[Candidate, ...] = ()
    ambiguous: tuple[Ambiguity, ...] = ()
    sources: tuple[str | None, ...] = ()

    def by_asset(self) -> dict[str, list[Mention]]:
        """Mentions grouped per asset id, in order of first mention (what a map popup quotes)."""
        grouped: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            grouped.setdefault(mention.asset_id, []).append(mention)
        return grouped

    def by_document(self) -> dict[str | None, Extraction]:
        """One extraction per source document, in the order the documents were read."""
        parts: dict[str | None, tuple[list[Mention], list[Candidate], list[Ambiguity]]] = {
            source: ([], [], []) for source in self.sources}
        for index, items in enumerate((self.mentions, self.unmatched, self.ambiguous)):
            for item in items:
                parts.setdefault(item.source, ([], [], []))[index].append(item)  # type: ignore[arg-type]
        return {source: Extraction(tuple(m), tuple(u), tuple(a), (source,)) for source, (m, u, a) in parts.items()}

    def at_least(self, confidence: float) -> Extraction:
        """Only the mentions at or above ``confidence``."""
        kept = tuple(m for m in self.mentions if m.confidence >= confidence)
        return Extraction(kept, self.unmatched, self.ambiguous, self.sources)

    def __add__(self, other: Extraction) -> Extraction:
        return Extraction(self.mentions + other.mentions, self.unmatched + other.unmatched,
                          self.ambiguous + other.ambiguous, self.sources + other.sources)


class Locator:
    """Line, column, sentence and snippet of a span in one text; lines are counted forward only, so
    spans asked in text order cost one pass over the text in all."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[int] = [0]

    def line_col(self, offset: int) -> tuple[int, int]:
        lines, text = self._lines, self.text
        while lines[-1] <= offset:
            nl = text.find("\n", lines[-1], offset + 1)
            if nl < 0:
                break
            lines.append(nl + 1)
        line = bisect.bisect_right(lines, offset)
        return line, offset - lines[line - 1] + 1

    def snippet(self, start: int, end: int, width: int = 45) -> str:
        """The words around a span on one line, cut at word boundaries, within its paragraph."""
        text = self.text
        para_start = text.rfind("\n\n", max(0, start - 2000), start)
        para_start = max(0, start - 2000) if para_start < 0 else para_start + 2
        para_end = text.find("\n\n", end, end + 2000)
        para_end = min(len(text), end + 2000) if para_end < 0 else para_end
        lo, hi = max(para_start, start - width), min(para_end, end + width)
        if lo > para_start:
            lo = next((i + 1 for i in range(lo, start) if text[i].isspace()), lo)
        if hi < para_end:
            hi = next((i for i in range(hi, end, -1) if text[i].isspace()), hi)
        body = " ".join(text[lo:hi].split())
        return ("…" if lo > para_start else "") + body + ("…" if hi < para_end else "")

    def sentence(self, lo: int, hi: int) -> str:
        return " ".join(self.text[lo:hi].split())


_SENTENCE_END = re.compile(r"[.!?\u06d4\u3002](?=\s)|\n[ \t\r]*\n")


def sentence_bounds(text: str, start: int, end: int, reach: int = 400, floor: int = 0) -> tuple[int, int]:
    """The sentence around ``text[start:end]``: from after the last sentence end before it (a full stop
    after a lone capital, as in "D.I.", ends nothing) to the next one, at most ``reach`` characters out
    and never before ``floor``."""
    lo = max(floor, start - reach)
    found = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        if not _is_initial(text, m.start()):
            found = m.end()
    if found == lo > floor:  # cut inside a long sentence: start at a word, not inside one
        space = text.find(" ", lo, start)
        found = lo if space < 0 else space + 1
    hi = min(len(text), end + reach)
    pos = end
    while True:
        m = _SENTENCE_END.search(text, pos, hi)
        if m is None:
            space = text.rfind(" ", end, hi)
            return found, hi if hi == len(text) or space < 0 else space
        if not _is_initial(text, m.start()):
            return found, m.end()
        pos = m.end()


def _is_initial(text: str, dot: int) -> bool:
    """Whether the full stop at ``dot`` closes an initial ("D.I. Khan"), not a sentence."""
    return text[dot] == "." and dot >= 1 and text[dot - 1].isupper() and (dot < 2 or not text[dot - 2].isalpha())
