"""Words as the extractor compares them: casefolded, without accents, hyphens, dashes, line breaks or
extra spaces, so "Quaid-e-Azam" = "Quaid e Azam" and "1,320 MW" = "1320MW". Every token keeps its
offsets, so a mention quotes the document's own words. Punctuation that ends a phrase (comma, full
stop, bracket, blank line) stays as a stop token that no name can cross."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_TOKEN = re.compile(
    r"(?P<initials>[^\W\d_]\.(?:\s?[^\W\d_]\.)+)"  # D.I. / e.g.
    r"|(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<kilo>[kK](?![^\W_]))?"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)"
    r"|(?P<amp>&)"
    r"|(?P<stop>[,;:!?()\[\]{}\"“”\u06d4\u3002\uff0c\uff1b\uff1a\uff01\uff1f\uff08\uff09]|\.(?!\d)|\r?\n[ \t\r]*\n)"
)
# Spellings of one word folded to one form (not places: those are catalog aliases).
_REWRITES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("sea", "port"): ("seaport",),
    ("dry", "port"): ("dryport",),
    ("hydro", "power"): ("hydropower",),
    ("hydro", "electric"): ("hydroelectric",),
    ("metro", "bus"): ("metrobus",),
    ("centre",): ("center",),
    ("harbor",): ("harbour",),
    ("fiber",): ("fibre",),
    ("megawatt",): ("mw",),
    ("megawatts",): ("mw",),
    ("kilometres",): ("km",),
    ("kilometers",): ("km",),
    ("kilometre",): ("km",),
    ("kilometer",): ("km",),
}
_REWRITE_LENGTHS = sorted({len(k) for k in _REWRITES}, reverse=True)
_REWRITE_STARTS = {k[0] for k in _REWRITES}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Arabic letters that Urdu text typed on Arabic keyboards uses for Urdu ones (yeh, alef maksura, kaf, heh).
URDU_LETTERS = {"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0647": "\u06c1"}
_URDU_FOLD = str.maketrans(URDU_LETTERS)


class Token(NamedTuple):
    """A folded word (``word``) or a phrase stop, with its span in the original text (a tuple: texts
    make millions)."""

    norm: str
    start: int
    end: int
    word: bool = True
    capital: bool = False


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word without case, accents or possessive 's (cached: texts repeat their words)."""
    if word.isascii():
        plain = word.casefold()
    else:
        plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()
        plain = plain.translate(_URDU_FOLD)
    if plain.endswith(("'s", "\u2019s")):
        plain = plain[:-2]
    return plain.replace("'", "").replace("\u2019", "")


def _raw_tokens(text: str, offset: int) -> list[Token]:
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup != "kilo" else "number"
        start, end = m.start() + offset, m.end() + offset
        if kind == "word":
            raw = m.group()
            norm = fold(raw)
            # Izafat: "Quaid-e-Azam" / "Quaid e Azam" / "Quaid-i-Azam" all fold to "quaid azam".
            if norm == "e" or (norm == "i" and text[m.start() - 1:m.start()] == "-" and text[m.end():m.end() + 1] == "-"):
                continue
            if not raw.isascii() and _CJK.search(raw):  # no spaces between Chinese words: a token a character
                out.extend(Token(ch, start + i, start + i + 1) for i, ch in enumerate(raw))
                continue
            out.append(Token(norm, start, end, capital=raw[0].isupper()))
        elif kind == "number":
            value = m.group("number").replace(",", "")
            if m.group("kilo"):
                value = f"{float(value) * 1000:g}"
            out.append(Token(value, start, end))
        elif kind == "initials":
            out.append(Token(fold(re.sub(r"[.\s]", "", m.group())), start, end, capital=m.group()[0].isupper()))
        elif kind == "amp":
            out.append(Token("and", start, end))
        else:
            out.append(Token("¶" if "\n" in m.group() else m.group(), start, end, word=False))
    return out


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """The folded tokens of a text (offsets shifted by ``offset``); a full stop after a single letter
    (an initial) is not a stop."""
    tokens: list[Token] = []
    rewrite = False
    for tok in _raw_tokens(text, offset):
        if tok.norm == "." and tokens and tokens[-1].word and len(tokens[-1].norm) == 1:
            continue
        tokens.append(tok)
        rewrite = rewrite or tok.norm in _REWRITE_STARTS
    return _rewritten(tokens) if rewrite else tokens


def _rewritten(tokens: list[Token]) -> list[Token]:
    """Tokens with the spellings of ``_REWRITES`` folded."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        if tokens[i].norm not in _REWRITE_STARTS:
            out.append(tokens[i])
            i += 1
            continue
        for n in _REWRITE_LENGTHS:
            key = tuple(t.norm for t in tokens[i:i + n])
            if len(key) == n and key in _REWRITES:
                first, last = tokens[i], tokens[i + n - 1]
                out.extend(Token(norm, first.start if j == 0 else last.start, last.end, capital=first.capital)
                           for j, norm in enumerate(_REWRITES[key]))
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def key_of(name: str) -> tuple[str, ...]:
    """The tokens a name is matched by: its folded words and any punctuation inside it, less the Urdu full
    stop, which inside a name joins its places as a dash would (Multan-Sukkur) and which writers leave out."""
    return tuple(t.norm for t in tokenize(name) if t.norm != "\u06d4")
