"""Find the catalog assets a document names, and the project names the catalog still lacks.

Text and every catalog name and alias pass through the same ``tokenize``: words casefolded, accents,
hyphens, dashes, line breaks and extra spaces dropped, so "Quaid-e-Azam" = "Quaid e Azam",
"D.I. Khan" = "DI Khan" = "Dera Ismail Khan" and "1,320 MW" = "1320MW". Every token keeps its offsets,
so a mention quotes the document's own words. Punctuation that ends a phrase (comma, full stop,
bracket, blank line) stays as a stop token that no name can cross.

An asset's *stem* is its name less the trailing project words ("Sahiwal" of "Sahiwal Coal Power
Plant"). A document names an asset by

1. one of its names or aliases, unless that is a bare place or a generic phrase (below);
2. its stem followed by project words that fit its subtype and end in a noun ("the Sahiwal coal plant",
   "Gwadar deep-sea port"); where several assets share the stem, the words must single one out:
   "Gwadar Port" is the port, "the Gwadar project" names no asset; "Gwadar Port and Free Zone" names
   the port and the free zone;
3. its own project words, then "in"/"at"/"of", then its stem ("Metro Bus in Lahore", "Port of Gwadar");
4. a bare stem in a list whose items the text says are such assets: a list introduced by a plural
   project noun ("SEZs, including Rashakai, Dhabeji, and ...") or holding a named asset of the same
   subtype.

**Bare-place rule.** A stem followed by project words in some name of an asset is a place the asset is
named after ("Sahiwal" of "Sahiwal Coal Power Plant"). A name or alias that equals such a place, with
no project word, digit or acronym, names the place, not a project ("Sahiwal", "Gwadar", "Dhabeji"):
alone it is never a mention (only by rule 4), so "Gwadar is a port city" names nothing.
A *generic* alias, only project words and lowercase words ("Free Zone", "desalination facilities"),
counts only in a sentence that also names a place its asset is named after.

Where matches overlap, the longest wins (the more specific asset: "Gwadar Smart Port City" over
"Gwadar Port"), then a name over an alias over a derived form; a phrase that still fits two assets
equally is ambiguous and reported as neither. An alias "<another asset's name> and ..." is left out:
it names two assets.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from .catalog import property_records
from .errors import DocumentError
from .reader import read_bounded

# --- project words -----------------------------------------------------------------------------

ANY = frozenset({"*"})
_ENERGY = frozenset({"coal", "hydro", "solar", "wind", "nuclear", "transmission"})
_RAIL = frozenset({"railway", "metro"})
_ZONES = frozenset({"sez", "free_zone"})
_LINEAR = frozenset({"motorway", "highway", "railway", "metro", "bus_rapid_transit", "transmission", "fibre",
                     "oil_pipeline"})

# A noun can end a project phrase; the subtypes it names. "project" fits any asset.
NOUNS: dict[str, frozenset[str]] = {
    "project": ANY, "scheme": ANY, "facility": ANY,
    "plant": _ENERGY | {"desalination", "sanitation", "heavy_industry"},
    "station": _ENERGY | _RAIL, "powerhouse": _ENERGY,
    "dam": frozenset({"hydro"}), "barrage": frozenset({"hydro"}), "hydropower": frozenset({"hydro"}),
    "hydroelectric": frozenset({"hydro"}), "hydel": frozenset({"hydro"}),
    "park": frozenset({"solar", "wind"}) | _ZONES, "farm": frozenset({"solar", "wind"}),
    "reactor": frozenset({"nuclear"}),
    "motorway": frozenset({"motorway"}), "highway": frozenset({"highway"}),
    "expressway": frozenset({"motorway", "highway"}), "road": frozenset({"motorway", "highway"}),
    "railway": _RAIL, "railroad": _RAIL, "rail": _RAIL, "train": _RAIL,
    "line": _RAIL | {"transmission", "bus_rapid_transit"},
    "metro": _RAIL | {"bus_rapid_transit"}, "metrobus": frozenset({"bus_rapid_transit"}),
    "brt": frozenset({"bus_rapid_transit"}),
    "segment": _LINEAR, "section": _LINEAR, "route": _LINEAR,
    "airport": frozenset({"airport"}),
    "port": frozenset({"seaport"}), "seaport": frozenset({"seaport"}), "terminal": frozenset({"seaport"}),
    "harbour": frozenset({"seaport", "fishery"}), "jetty": frozenset({"fishery"}),
    "zone": _ZONES, "sez": _ZONES, "estate": _ZONES, "city": frozenset({"sez", "smart_city"}),
    "pipeline": frozenset({"oil_pipeline"}), "cable": frozenset({"fibre"}),
    "mine": frozenset({"mining"}),
    "complex": frozenset({"heavy_industry", "cultural_centre"}), "factory": frozenset({"heavy_industry"}),
    "center": frozenset({"cultural_centre"}),
}
# Words that qualify a noun; the subtypes they fit (a noun used as a qualifier fits its own subtypes too).
MODIFIERS: dict[str, frozenset[str]] = {
    "coal": frozenset({"coal"}), "fired": frozenset({"coal"}), "thermal": frozenset({"coal"}),
    "power": _ENERGY, "electric": _ENERGY, "solar": frozenset({"solar"}), "pv": frozenset({"solar"}),
    "wind": frozenset({"wind"}), "nuclear": frozenset({"nuclear"}), "hydro": frozenset({"hydro"}),
    "transmission": frozenset({"transmission"}), "hvdc": frozenset({"transmission"}),
    "international": frozenset({"airport", "seaport"}), "deep": frozenset({"seaport"}),
    "port": frozenset({"seaport", "smart_city", "free_zone"}), "smart": frozenset({"smart_city"}),
    "special": _ZONES, "economic": _ZONES, "free": frozenset({"free_zone"}),
    "industrial": _ZONES | {"heavy_industry"},
    "mass": _RAIL | {"bus_rapid_transit"}, "rapid": _RAIL | {"bus_rapid_transit"},
    "transit": _RAIL | {"bus_rapid_transit"}, "bus": frozenset({"bus_rapid_transit"}),
    "desalination": frozenset({"desalination"}), "water": frozenset({"desalination"}),
    "sanitation": frozenset({"sanitation"}), "fish": frozenset({"fishery"}), "landing": frozenset({"fishery"}),
    "oil": frozenset({"oil_pipeline"}), "fibre": frozenset({"fibre"}), "optic": frozenset({"fibre"}),
    "optical": frozenset({"fibre"}), "copper": frozenset({"mining"}), "gold": frozenset({"mining"}),
    "mining": frozenset({"mining"}), "cultural": frozenset({"cultural_centre"}),
    "friendship": frozenset({"cultural_centre"}),
}
PROJECT_WORDS = frozenset(NOUNS) | frozenset(MODIFIERS)

# Nouns that make a capitalised phrase look like a named project (for unmatched candidates).
CANDIDATE_HEADS = frozenset({
    "plant", "project", "dam", "barrage", "motorway", "highway", "expressway", "sez", "city", "port", "seaport",
    "airport", "corridor", "park", "zone", "pipeline", "railway", "line", "complex", "center", "terminal",
    "station", "scheme", "hydropower", "jetty", "mine",
})
# Programmes, not assets: never an unmatched candidate.
PROGRAMMES = frozenset({("china", "pakistan", "economic", "corridor"), ("pakistan", "china", "economic", "corridor")})
_LIST_SEPARATORS = frozenset({",", "and", "or"})
# Plural nouns that say what a list's items are ("SEZs, including ..."); not "cities like Lahore".
_LIST_CUES = frozenset({"project", "plant", "dam", "park", "farm", "motorway", "highway", "railway", "airport",
                        "port", "seaport", "zone", "sez", "estate", "pipeline", "mine", "barrage"})
_LIST_LEADS = frozenset({"including", "include", "includes", "such", "as", "like", "namely", "eg", ",", ":"})
_PLACE_LINKS = frozenset({"in", "at", "of"})
_STOPS = frozenset({",", ";", ":", "!", "?", "(", ")", "[", "]", "{", "}", '"', "“", "”", ".", "¶"})
_SENTENCE_ENDS = frozenset({".", "!", "?", "¶"})
# Capitalised words that open a phrase without being part of a name.
_NOT_NAME = frozenset({"the", "a", "an", "this", "that", "these", "its", "their", "major", "other", "first",
                       "second", "and", "of", "mw"})

# --- tokens -------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"(?P<initials>[^\W\d_]\.(?:\s?[^\W\d_]\.)+)"  # D.I. / e.g.
    r"|(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<kilo>[kK](?![^\W_]))?"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)"
    r"|(?P<amp>&)"
    r"|(?P<stop>[,;:!?()\[\]{}\"“”]|\.(?!\d)|\r?\n[ \t\r]*\n)"
)
# Multi-word spellings folded to one form, applied to text and names alike.
_REWRITES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("dera", "ismail", "khan"): ("di", "khan"),
    ("dera", "ghazi", "khan"): ("dg", "khan"),
    ("sea", "port"): ("seaport",),
    ("hydro", "power"): ("hydropower",),
    ("hydro", "electric"): ("hydroelectric",),
    ("metro", "bus"): ("metrobus",),
    ("centre",): ("center",),
    ("harbor",): ("harbour",),
    ("fiber",): ("fibre",),
    ("megawatt",): ("mw",),
    ("megawatts",): ("mw",),
}
_REWRITE_LENGTHS = sorted({len(k) for k in _REWRITES}, reverse=True)
_REWRITE_STARTS = {k[0] for k in _REWRITES}


@dataclass(frozen=True)
class Token:
    """A folded word (``word``) or a phrase stop, with its span in the original text."""

    norm: str
    start: int
    end: int
    word: bool = True
    capital: bool = False


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """A word without case, accents or possessive 's (cached: texts repeat their words)."""
    if word.isascii():
        plain = word.casefold()
    else:
        plain = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).casefold()
    plain = re.sub("['\u2019]s$", "", plain)
    return plain.replace("'", "").replace("\u2019", "")


def _raw_tokens(text: str) -> Iterator[Token]:
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup != "kilo" else "number"
        start, end = m.span()
        if kind == "initials":
            yield Token(_fold(re.sub(r"[.\s]", "", m.group())), start, end, capital=m.group()[0].isupper())
        elif kind == "number":
            value = m.group("number").replace(",", "")
            if m.group("kilo"):
                value = f"{float(value) * 1000:g}"
            yield Token(value, start, end)
        elif kind == "word":
            norm = _fold(m.group())
            # Izafat: "Quaid-e-Azam" / "Quaid e Azam" / "Quaid-i-Azam" all fold to "quaid azam".
            if norm == "e" or (norm == "i" and text[start - 1:start] == "-" and text[end:end + 1] == "-"):
                continue
            yield Token(norm, start, end, capital=m.group()[0].isupper())
        elif kind == "amp":
            yield Token("and", start, end)
        else:
            yield Token("¶" if "\n" in m.group() else m.group(), start, end, word=False)


def tokenize(text: str) -> list[Token]:
    """The folded tokens of a text; a full stop after a single letter (an initial) is not a stop."""
    tokens: list[Token] = []
    for tok in _raw_tokens(text):
        if tok.norm == "." and tokens and tokens[-1].word and len(tokens[-1].norm) == 1:
            continue
        tokens.append(tok)
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
                for j, norm in enumerate(_REWRITES[key]):
                    out.append(Token(norm, first.start if j == 0 else last.start, last.end, capital=first.capital))
                i += n
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def split_head(key: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(stem, head): the head is the longest run of project words ending the name."""
    cut = len(key)
    while cut > 0 and key[cut - 1] in PROJECT_WORDS:
        cut -= 1
    return key[:cut], key[cut:]


def _fits(phrase: tuple[str, ...], subtype: str) -> bool:
    """Whether project words ending in a noun can describe an asset of this subtype. The last noun more
    specific than "project" decides ("Gwadar Port project" is the port); the other words must agree."""
    if not phrase or phrase[-1] not in NOUNS:
        return False
    specific = [i for i, w in enumerate(phrase) if "*" not in NOUNS.get(w, ANY)]
    noun = specific[-1] if specific else len(phrase) - 1
    allowed = [NOUNS[w] if i == noun else NOUNS.get(w, frozenset()) | MODIFIERS.get(w, frozenset())
               for i, w in enumerate(phrase)]
    return all("*" in fits or subtype in fits for fits in allowed)


def _is_bare(name: str, key: tuple[str, ...], place_stems: set[tuple[str, ...]]) -> bool:
    """The bare-place rule: no project word, no digit, no acronym, and a stem of some asset."""
    if any(w in PROJECT_WORDS or any(c.isdigit() for c in w) for w in key):
        return False
    if any(len(w) > 1 and w.isupper() for w in re.findall(r"[^\W\d_]+", name)):
        return False
    return key in place_stems


def _key(name: str) -> tuple[str, ...]:
    """The tokens a name is matched by: its folded words and any punctuation inside it."""
    return tuple(t.norm for t in tokenize(name))


def _is_generic(name: str) -> bool:
    """A name of only project words and lowercase words ("desalination facilities", "Free Zone")."""
    return all(t.norm in PROJECT_WORDS or not t.capital for t in tokenize(name) if t.word)


def _is_conjoined(asset: str, key: tuple[str, ...], owners: dict[tuple[str, ...], set[str]]) -> bool:
    """Whether a name is "<another asset's name> and ...", naming two assets at once."""
    return "and" in key and bool(owners.get(key[:key.index("and")], set()) - {asset})


def _sentences(norms: list[str]) -> list[tuple[str, ...]]:
    """For each token, the tokens of its sentence."""
    out: list[tuple[str, ...]] = []
    start = 0
    for i, norm in enumerate([*norms, "."]):
        if norm in _SENTENCE_ENDS:
            out.extend([tuple(norms[start:i])] * (i + 1 - start))
            start = i + 1
    return out[:len(norms)]


def _contains(seq: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(seq[i:i + len(part)] == part for i in range(len(seq) - len(part) + 1))


# --- results ------------------------------------------------------------------------------------


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
    """One place a document names a catalog asset."""

    asset_id: str = field(kw_only=True)


@dataclass(frozen=True)
class Extraction:
    """The mentions of catalog assets in one or more documents, and the unmatched candidates."""

    mentions: tuple[Mention, ...] = ()
    unmatched: tuple[Candidate, ...] = ()

    def by_asset(self) -> dict[str, list[Mention]]:
        """Mentions grouped per asset id, in order of first mention (what a map popup quotes)."""
        grouped: dict[str, list[Mention]] = {}
        for mention in self.mentions:
            grouped.setdefault(mention.asset_id, []).append(mention)
        return grouped

    def __add__(self, other: Extraction) -> Extraction:
        return Extraction(self.mentions + other.mentions, self.unmatched + other.unmatched)


@dataclass(frozen=True)
class _Hit:
    start: int  # token indices, end exclusive
    end: int
    assets: frozenset[str]
    rank: int  # 0 name, 1 alias, 2 stem + project words, 3 project words + place, 4 listed stem


class _Locator:
    """Line, column and snippet of a span in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(m.end() for m in re.finditer(r"\n", text))]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def snippet(self, start: int, end: int, width: int = 45) -> str:
        """The words around a span on one line, cut at word boundaries, within its paragraph."""
        text = self.text
        para_start = text.rfind("\n\n", 0, start)
        para_start = 0 if para_start < 0 else para_start + 2
        para_end = text.find("\n\n", end)
        para_end = len(text) if para_end < 0 else para_end
        lo, hi = max(para_start, start - width), min(para_end, end + width)
        if lo > para_start:
            lo = next((i + 1 for i in range(lo, start) if text[i].isspace()), lo)
        if hi < para_end:
            hi = next((i for i in range(hi, end, -1) if text[i].isspace()), hi)
        body = " ".join(text[lo:hi].split())
        return ("…" if lo > para_start else "") + body + ("…" if hi < para_end else "")


# --- matching -----------------------------------------------------------------------------------


class Matcher:
    """A catalog compiled for matching; build once, extract from many documents."""

    def __init__(self, catalog: pd.DataFrame) -> None:
        self.subtype: dict[str, str] = dict(zip(catalog["id"], catalog["subtype"], strict=True))
        names: list[tuple[str, str, int, tuple[str, ...]]] = []  # (asset id, text, rank, key)
        for row in catalog[["id", "name", "aliases"]].itertuples(index=False):
            aliases = row.aliases if isinstance(row.aliases, list) else []
            names.extend((row.id, text, rank, _key(text)) for text, rank in [(row.name, 0), *((a, 1) for a in aliases)])
        owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for fid, _, _, key in names:
            owners[key].add(fid)
        # "Gwadar Port and Free Zone" names two assets: leave it to the stem + "and" form.
        names = [n for n in names if not _is_conjoined(n[0], n[3], owners)]
        self.stems: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.heads: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        # The places assets are named after: stems followed by project words ("Sahiwal" of "Sahiwal Coal Power
        # Plant"), never a whole name ("Gwadar Master Plan").
        self.anchors: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for fid, _, _, key in names:
            words_before_stop = tuple(itertools.takewhile(lambda w: w not in _STOPS, key))
            stem, head = split_head(words_before_stop)
            if stem and (head or words_before_stop == key):  # "Peshawar, D.I. Khan Motorway" has no stem "Peshawar"
                self.stems[stem].add(fid)
            if head:
                self.heads[fid].add(head)
                if stem and all(w.isalpha() and w not in PROJECT_WORDS for w in stem):
                    self.anchors[fid].add(stem)
        self.place_stems = {stem for stems in self.anchors.values() for stem in stems}
        self.exact: dict[tuple[str, ...], dict[str, int]] = defaultdict(dict)
        self.generic: set[tuple[tuple[str, ...], str]] = set()
        for fid, text, rank, key in names:
            if not key or _is_bare(text, key, self.place_stems):
                continue
            self.exact[key][fid] = min(rank, self.exact[key].get(fid, rank))
            if _is_generic(text):
                self.generic.add((key, fid))
        self._exact_lengths = sorted({len(k) for k in self.exact}, reverse=True)
        self._stem_lengths = sorted({len(k) for k in self.stems}, reverse=True)
        # Most tokens start no name: checking the first word first skips them at one set lookup each.
        self._exact_starts = {k[0] for k in self.exact if k}
        self._stem_starts = {k[0] for k in self.stems if k}

    # Each finder yields every hit at every position; _resolve keeps the best non-overlapping ones.

    def _exact_hits(self, norms: list[str]) -> Iterator[_Hit]:
        sentences = _sentences(norms)
        for i in range(len(norms)):
            if norms[i] not in self._exact_starts:
                continue
            for n in self._exact_lengths:
                key = tuple(norms[i:i + n]) if i + n <= len(norms) else ()
                owners = {a: r for a, r in self.exact.get(key, {}).items()
                          if (key, a) not in self.generic or self._anchored(a, sentences[i])}
                if owners:
                    best = min(owners.values())
                    yield _Hit(i, i + n, frozenset(a for a, r in owners.items() if r == best), best)

    def _anchored(self, asset: str, sentence: tuple[str, ...]) -> bool:
        """Whether the sentence names a place the asset is named after (for generic aliases)."""
        return any(_contains(sentence, stem) for stem in self.anchors[asset])

    def _stem_at(self, norms: list[str], i: int) -> Iterator[tuple[tuple[str, ...], int]]:
        if i >= len(norms) or norms[i] not in self._stem_starts:
            return
        for n in self._stem_lengths:
            key = tuple(norms[i:i + n])
            if len(key) == n and key in self.stems:
                yield key, i + n

    def _fitting(self, stem: tuple[str, ...], norms: list[str], start: int) -> tuple[int, frozenset[str]] | None:
        """The longest run of project words from ``start`` that describes assets of this stem."""
        end = start
        while end < len(norms) and norms[end] in PROJECT_WORDS:
            end += 1
        for stop in range(end, start, -1):
            phrase = tuple(norms[start:stop])
            fits = frozenset(a for a in self.stems[stem] if _fits(phrase, self.subtype[a]))
            if fits:
                return stop, fits
        return None

    def _derived_hits(self, norms: list[str]) -> Iterator[_Hit]:
        for i in range(len(norms)):
            for stem, after in self._stem_at(norms, i):
                found = self._fitting(stem, norms, after)
                if not found:
                    continue
                stop, fits = found
                yield _Hit(i, stop, fits, 2)
                # "Gwadar Port and Free Zone": the second head shares the first one's stem.
                if stop + 1 < len(norms) and norms[stop] == "and":
                    second = self._fitting(stem, norms, stop + 1)
                    if second:
                        yield _Hit(stop + 1, second[0], second[1], 2)

    def _reverse_hits(self, norms: list[str]) -> Iterator[_Hit]:
        for i in range(len(norms)):
            end = i
            while end < len(norms) and norms[end] in PROJECT_WORDS:
                end += 1
            if end == i or end + 1 >= len(norms) or norms[end] not in _PLACE_LINKS:
                continue
            head = tuple(norms[i:end])
            for stem, after in self._stem_at(norms, end + 1):
                owners = frozenset(a for a in self.stems[stem] if head in self.heads[a])
                if owners:
                    yield _Hit(i, after, owners, 3)

    def _listed_hits(self, norms: list[str], chosen: list[_Hit]) -> Iterator[_Hit]:
        """Bare stems in a list that says what its items are (rule 4 of the module docstring)."""
        taken = {i for h in chosen for i in range(h.start, h.end)}
        items = [h for h in chosen if len(h.assets) == 1]
        for i in range(len(norms)):
            for stem, after in self._stem_at(norms, i):
                if stem in self.place_stems and not taken.intersection(range(i, after)):
                    items.append(_Hit(i, after, frozenset(self.stems[stem]), 4))
                    break
        items.sort(key=lambda h: h.start)
        chain: list[_Hit] = []
        for item in [*items, None]:
            if item is not None and chain and chain[-1].end < item.start \
                    and set(norms[chain[-1].end:item.start]) <= _LIST_SEPARATORS:
                chain.append(item)
                continue
            yield from self._resolve_chain(norms, chain)
            chain = [item] if item is not None else []

    def _resolve_chain(self, norms: list[str], chain: list[_Hit]) -> Iterator[_Hit]:
        """The bare stems of one list that the list's cue or a named item of the same subtype makes projects;
        a single item needs a cue and a word like "including" ("SEZs such as Rashakai")."""
        if not chain:
            return
        named = {self.subtype[next(iter(h.assets))] for h in chain if h.rank < 4}
        lead = chain[0].start - 1
        while lead >= 0 and norms[lead] in _LIST_LEADS:
            lead -= 1
        cue = norms[lead] if lead >= 0 else ""
        cue = cue if cue in _LIST_CUES else cue[:-1] if cue[:-1] in _LIST_CUES and cue.endswith("s") else ""
        if len(chain) == 1 and not (cue and set(norms[lead + 1:chain[0].start]) - {",", ":"}):
            return
        for hit in chain:
            if hit.rank < 4:
                continue
            fits = frozenset(a for a in hit.assets if self.subtype[a] in named
                             or (cue and ("*" in NOUNS[cue] or self.subtype[a] in NOUNS[cue])))
            if len(fits) == 1:
                yield _Hit(hit.start, hit.end, fits, 4)

    @staticmethod
    def _resolve(hits: Iterable[_Hit]) -> list[_Hit]:
        """Non-overlapping hits: longest first, then the better rank, then the earlier."""
        chosen: list[_Hit] = []
        taken: set[int] = set()
        for hit in sorted(hits, key=lambda h: (h.start - h.end, h.rank, h.start)):
            span = range(hit.start, hit.end)
            if not taken.intersection(span):
                chosen.append(hit)
                taken.update(span)
        return sorted(chosen, key=lambda h: h.start)

    def extract(self, text: str, source: str | None = None) -> Extraction:
        """The mentions of catalog assets in ``text``, and its unmatched candidates."""
        tokens = tokenize(text)
        norms = [t.norm for t in tokens]
        chosen = self._resolve([*self._exact_hits(norms), *self._derived_hits(norms), *self._reverse_hits(norms)])
        chosen = self._resolve([*chosen, *self._listed_hits(norms, chosen)])
        where = _Locator(text)
        mentions = [self._mention(where, tokens, hit, source) for hit in _merge_brackets(norms, chosen)
                    if len(hit.assets) == 1]
        taken = {i for h in chosen for i in range(h.start, h.end)}
        unmatched = [
            _candidate(where, tokens, start, end, source)
            for start, end in _candidate_spans(tokens)
            if not taken.intersection(range(start, end))
        ]
        return Extraction(tuple(mentions), tuple(unmatched))

    @staticmethod
    def _mention(where: _Locator, tokens: list[Token], hit: _Hit, source: str | None) -> Mention:
        start, end = tokens[hit.start].start, tokens[hit.end - 1].end
        line, column = where.line_col(start)
        return Mention(" ".join(where.text[start:end].split()), line, column, start, end, where.snippet(start, end), source,
                       asset_id=next(iter(hit.assets)))


def _merge_brackets(norms: list[str], hits: list[_Hit]) -> list[_Hit]:
    """One mention for "Main Line-1 (ML-1)": same asset, only brackets between."""
    merged: list[_Hit] = []
    for hit in hits:
        prev = merged[-1] if merged else None
        if prev and prev.assets == hit.assets and len(hit.assets) == 1 \
                and norms[prev.end:hit.start] == ["("] and norms[hit.end:hit.end + 1] == [")"]:
            merged[-1] = _Hit(prev.start, hit.end + 1, prev.assets, prev.rank)
        else:
            merged.append(hit)
    return merged


# --- unmatched candidates -----------------------------------------------------------------------


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


def _candidate_spans(tokens: list[Token]) -> list[tuple[int, int]]:
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
    while first < last and (tokens[first].norm in _NOT_NAME or not tokens[first].capital):
        first += 1
    name = [t for t in tokens[first:last] if t.capital and t.norm not in PROJECT_WORDS and t.norm not in _NOT_NAME]
    if name:
        yield first, last + 1


def _candidate(where: _Locator, tokens: list[Token], start: int, end: int, source: str | None) -> Candidate:
    lo, hi = tokens[start].start, tokens[end - 1].end
    line, column = where.line_col(lo)
    return Candidate(" ".join(where.text[lo:hi].split()), line, column, lo, hi, where.snippet(lo, hi), source)


# --- entry points -------------------------------------------------------------------------------


def extract(text: str, catalog: pd.DataFrame | Matcher, *, source: str | None = None) -> Extraction:
    """The catalog assets ``text`` names (``.mentions``) and the project names it lacks (``.unmatched``)."""
    matcher = catalog if isinstance(catalog, Matcher) else Matcher(catalog)
    return matcher.extract(text, source)


def read_document(path: str | Path) -> str:
    """A document's text: UTF-8 (a byte order mark is dropped); ``-`` reads standard input."""
    name = "<stdin>" if str(path) == "-" else str(path)
    raw = sys.stdin.buffer.read() if str(path) == "-" else read_bounded(Path(path), "a text file", DocumentError)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("file is UTF-16; save it as UTF-8", path=name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DocumentError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); re-save it as UTF-8",
                            path=name) from None


def extract_files(paths: Iterable[str | Path], catalog: pd.DataFrame) -> Extraction:
    """Read each document (``-`` for standard input) and extract from it; mentions name their source."""
    matcher = Matcher(catalog)
    result = Extraction()
    for path in paths:
        source = "<stdin>" if str(path) == "-" else str(path)
        result += matcher.extract(read_document(path), source)
    return result


def mentioned_frame(result: Extraction, catalog: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The named assets, each with a ``mentions`` column quoting where the documents name it (for a map)."""
    grouped = result.by_asset()
    frame = catalog[catalog["id"].isin(list(grouped))].copy()
    frame["mentions"] = [
        [f"{m.source or 'text'}, line {m.line}: {m.snippet}" for m in grouped[fid]] for fid in frame["id"]
    ]
    return frame


def named_features(result: Extraction, catalog: pd.DataFrame) -> dict[str, Any]:
    """A FeatureCollection of the assets named, in order of first mention, each with a ``mentions`` property."""
    grouped = result.by_asset()
    rows = catalog[catalog["id"].isin(list(grouped))]
    records = dict(zip(rows["id"], property_records(rows), strict=True))
    geometries = dict(zip(rows["id"], rows.geometry, strict=True))
    features = []
    for fid, mentions in grouped.items():
        props = {**records[fid], "mentions": [m.to_dict() for m in mentions]}
        features.append({"type": "Feature", "id": fid, "geometry": shapely.geometry.mapping(geometries[fid]),
                         "properties": props})
    return {"type": "FeatureCollection", "features": features}
