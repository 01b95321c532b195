"""One pass over a document: the phrase automaton finds every place worth reading; only the sentences
around those places are tokenized and read by the rules. Most of a long text is never tokenized."""

from __future__ import annotations

import pandas as pd

from .candidates import candidate_spans
from .index import CatalogIndex, fold_text
from .results import Ambiguity, Candidate, Extraction, Locator, Mention, sentence_bounds
from .rules import Hit, SentenceReader
from .tokens import Token, tokenize
from .words import CANDIDATE_HEADS, TOWN_NOUNS

_CANDIDATE_CUES = CANDIDATE_HEADS | {"mw"}  # a sentence without one holds no candidate


class Matcher:
    """A catalog compiled for matching; build once, extract from many documents."""

    def __init__(self, catalog: pd.DataFrame) -> None:
        self.index = CatalogIndex.build(catalog)
        self.subtype = self.index.subtype
        self._reader = SentenceReader(self.index)

    def sentences(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) of each sentence that holds a phrase of the automaton, in text order."""
        folded = f" {fold_text(text)} "
        spans: list[tuple[int, int]] = []
        end = 0
        for last, length in self.index.automaton.iter(folded):
            start = last - length + 1  # in ``text``: one padding space before, the pattern's own after
            if start < end:
                continue
            lo, hi = sentence_bounds(text, max(start, end), min(len(text), start + length), floor=end)
            spans.append((lo, hi))
            end = hi
        return spans

    def extract(self, text: str, source: str | None = None) -> Extraction:
        """The mentions of catalog assets in ``text``, the ambiguous phrases, and its unmatched candidates."""
        where = Locator(text)
        mentions: list[Mention] = []
        ambiguous: list[Ambiguity] = []
        unmatched: list[Candidate] = []
        for lo, hi in self.sentences(text):
            tokens = tokenize(text[lo:hi], lo)
            if not tokens:
                continue
            hits = self._reader.read(tokens)
            sentence = where.sentence(lo, hi)
            for hit in hits:
                a, b = tokens[hit.start].start, tokens[hit.end - 1].end
                line, column = where.line_col(a)
                quoted = " ".join(text[a:b].split())
                snippet = where.snippet(a, b)
                if len(hit.assets) == 1:
                    mentions.append(Mention(quoted, line, column, a, b, snippet, source, asset_id=next(iter(hit.assets)),
                                            rule=hit.rule, sentence=sentence, confidence=hit.confidence))
                else:
                    ambiguous.append(Ambiguity(quoted, line, column, a, b, snippet, source,
                                               assets=tuple(sorted(hit.assets)), rule=hit.rule))
            unmatched.extend(self._candidates(where, tokens, hits, source))
        return Extraction(tuple(mentions), tuple(unmatched), tuple(ambiguous), (source,))

    def _candidates(self, where: Locator, tokens: list[Token], hits: list[Hit], source: str | None) -> list[Candidate]:
        """Candidate names no rule resolved, less a town called a city ("Sahiwal city")."""
        out: list[Candidate] = []
        if not _CANDIDATE_CUES.intersection(t.norm for t in tokens):
            return out
        taken = {i for h in hits for i in range(h.start, h.end)}
        for start, end in candidate_spans(tokens):
            words = tuple(t.norm for t in tokens[start:end])
            if taken.intersection(range(start, end)) or (words[-1] in TOWN_NOUNS and self.index.is_place(words[:-1])):
                continue
            lo, hi = tokens[start].start, tokens[end - 1].end
            line, column = where.line_col(lo)
            out.append(Candidate(" ".join(where.text[lo:hi].split()), line, column, lo, hi, where.snippet(lo, hi),
                                 source))
        return out
