"""The catalog compiled for matching, once: every name and alias as a key, the places and figures
each asset is known by, and the one-pass phrase automaton that says where in a text to look.

An asset's *stem* is a name less its trailing project words ("Sahiwal" of "Sahiwal Coal Power Plant").
**Bare-place rule.** A name or alias that equals such a stem, with no project word, digit or acronym,
names the place, not a project ("Sahiwal", "Gwadar", "Dhabeji"): alone it is never a mention.
A *generic* alias, only project words and lowercase words ("Free Zone", "desalination facilities"),
counts only in a sentence that also names a place its asset is named after. A *code* ("K-2", "M-5",
"KKH") is short enough to mean other things, so it counts only beside words of its asset.
An alias "<another asset's name> and ..." is left out: it names two assets.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ahocorasick
import pandas as pd
import shapely

from ..gazetteer import box_around, km_from, lookup
from .tokens import URDU_LETTERS, key_of, tokenize
from .words import CANDIDATE_HEADS, MODIFIERS, NOT_PLACES, NOUNS, PROJECT_WORDS, STOPS, TOWN_NOUNS, UNITS, VAGUE_NOUNS

Key = tuple[str, ...]
NEAR_KM = 40.0
FIGURE_TOLERANCE = 0.03  # a figure a text gives agrees with the catalog's within 3 % of the larger
_PAREN = re.compile(r"\s*\([^)]*\)")
# Text folded for the automaton: lower case, every separator one space, Arabic vowel marks blanked;
# one character for one, so automaton offsets are text offsets.
_SEPARATORS = "".join(chr(c) for c in range(128) if not chr(c).isalnum()) + "\u2010\u2011\u2012\u2013\u2014\u2015" \
    "\u2018\u2019\u201c\u201d\u00a0\u06d4\u060c\u3002\uff0c" + "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670"
_FOLD_TABLE = str.maketrans({**{c: " " for c in _SEPARATORS}, **URDU_LETTERS})
_CJK = re.compile(r"[\u3400-\u9fff]")


_ASCII_FOLD = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + bytes(range(128, 256))


def fold_text(text: str) -> str:
    """``text`` for the automaton, the same length as ``text`` (ASCII text through bytes: ten times faster)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    low = text.lower()
    if len(low) != len(text):  # a few letters lower-case to two characters ("İ"): keep those as they are
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    return low.translate(_FOLD_TABLE)


def figure_agrees(known: float, value: float) -> bool:
    """Whether a figure a text gives agrees with the catalog's (FIGURE_TOLERANCE)."""
    return abs(known - value) <= FIGURE_TOLERANCE * max(known, value)


def split_head(key: Key) -> tuple[Key, Key]:
    """(stem, head): the head is the longest run of project words ending the name."""
    cut = len(key)
    while cut > 0 and key[cut - 1] in PROJECT_WORDS:
        cut -= 1
    return key[:cut], key[cut:]


@lru_cache(maxsize=65536)  # few phrases and subtypes, asked of every asset with a stem or kind
def fits(phrase: Key, subtype: str) -> bool:
    """Whether project words ending in a noun can describe an asset of this subtype. The last noun more
    specific than "project" decides ("Gwadar Port project" is the port); the other words must agree."""
    if not phrase or phrase[-1] not in NOUNS:
        return False
    specific = [i for i, w in enumerate(phrase) if "*" not in NOUNS.get(w, frozenset({"*"}))]
    noun = specific[-1] if specific else len(phrase) - 1
    allowed = [NOUNS[w] if i == noun else NOUNS.get(w, frozenset()) | MODIFIERS.get(w, frozenset())
               for i, w in enumerate(phrase)]
    return all("*" in ok or subtype in ok for ok in allowed)


def _is_bare(name: str, key: Key, place_stems: set[Key]) -> bool:
    if any(w in PROJECT_WORDS or any(c.isdigit() for c in w) for w in key):
        return False
    if any(len(w) > 1 and w.isupper() for w in re.findall(r"[^\W\d_]+", name)):
        return False
    return key in place_stems


def _is_generic(name: str) -> bool:
    """Only project words and lower-case words (scripts without case, such as Urdu and Chinese, are names)."""
    return all(t.norm in PROJECT_WORDS or (not t.capital and t.norm.upper() != t.norm) for t in tokenize(name) if t.word)


def _is_code(key: Key) -> bool:
    """A short code or acronym: two tokens at most, four letters and digits in all ("K-2", "ML-1", "KKH")."""
    return len(key) <= 2 and sum(map(len, key)) <= 4 and all(w.isalnum() for w in key) \
        and not any(w in PROJECT_WORDS for w in key) and not _CJK.search("".join(key))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) else None


@dataclass
class CatalogIndex:
    """Everything the rules look up, keyed by asset id or by folded words."""

    subtype: dict[str, str] = field(default_factory=dict)
    exact: dict[Key, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))  # key -> {asset: 0 name, 1 alias}
    generic: set[tuple[Key, str]] = field(default_factory=set)
    codes: set[Key] = field(default_factory=set)
    stems: dict[Key, set[str]] = field(default_factory=lambda: defaultdict(set))
    stem_kinds: dict[Key, dict[str, set[str]]] = field(default_factory=dict)  # stem -> subtype -> assets
    heads: dict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))
    anchors: dict[str, set[Key]] = field(default_factory=lambda: defaultdict(set))  # places an asset is named after
    place_stems: set[Key] = field(default_factory=set)
    words: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # asset -> distinctive words
    provinces: dict[str, set[str]] = field(default_factory=dict)
    figures: dict[str, dict[str, float]] = field(default_factory=dict)
    geometry: dict[str, Any] = field(default_factory=dict)
    # The same facts inverted, so a description is scored against the assets its evidence can fit,
    # not against every asset of its kind: word -> assets, province word -> assets, subtype -> assets.
    owners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    in_province: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    of_subtype: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    order: dict[str, int] = field(default_factory=dict)  # asset -> its row: results keep catalog order
    _by_figure: dict[str, tuple[list[float], list[str]]] = field(default_factory=dict)
    _tree: tuple[Any, list[str]] | None = None
    _near: dict[str, frozenset[str]] = field(default_factory=dict)
    automaton: Any = None
    # For each first word, the lengths of the keys it starts, longest first: most words start none.
    exact_lengths: dict[str, list[int]] = field(default_factory=dict)
    stem_lengths: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, catalog: pd.DataFrame) -> CatalogIndex:
        index = cls()
        names: list[tuple[str, str, int, Key]] = []  # (asset id, text, rank, key)
        has_geometry = "geometry" in catalog
        for row in catalog.to_dict("records"):
            fid = row["id"]
            index.subtype[fid] = row.get("subtype") or ""
            aliases = row.get("aliases") if isinstance(row.get("aliases"), list) else []
            foreign = row.get("names") if isinstance(row.get("names"), dict) else {}
            texts = [(row["name"], 0), *((a, 1) for a in aliases), *((n, 0) for n in foreign.values() if n)]
            texts += [(_PAREN.sub("", t), r) for t, r in texts if _PAREN.search(t) and _PAREN.sub("", t).strip()]
            names.extend((fid, text, rank, key_of(text)) for text, rank in dict.fromkeys(texts))
            index.provinces[fid] = {w for p in row.get("province") or [] for w in key_of(p)}
            index.figures[fid] = {f: v for f in set(UNITS.values()) if (v := _number(row.get(f))) is not None}
            index.geometry[fid] = row["geometry"] if has_geometry and row["geometry"] is not None else None
        owners: dict[Key, set[str]] = defaultdict(set)
        for fid, _, _, key in names:
            owners[key].add(fid)
        names = [n for n in names if not ("and" in n[3] and owners.get(n[3][:n[3].index("and")], set()) - {n[0]})]
        for fid, _, _, key in names:
            words_before_stop = tuple(itertools.takewhile(lambda w: w not in STOPS, key))
            stem, head = split_head(words_before_stop)
            if stem and (head or words_before_stop == key):  # "Peshawar, D.I. Khan Motorway" has no stem "Peshawar"
                index.stems[stem].add(fid)
            if head:
                index.heads[fid].add(head)
                if stem and all(w.isalpha() and w not in PROJECT_WORDS for w in stem):
                    index.anchors[fid].add(stem)
            index.words[fid].update(w for w in key if w.isalnum() and w not in PROJECT_WORDS and w not in NOT_PLACES
                                    and not w.isdigit() and (len(w) > 1 or _CJK.match(w)))
        index.place_stems = {stem for stems in index.anchors.values() for stem in stems}
        for fid, text, rank, key in names:
            if not key or _is_bare(text, key, index.place_stems):
                continue
            index.exact[key][fid] = min(rank, index.exact[key].get(fid, rank))
            if _is_generic(text):
                index.generic.add((key, fid))
            if _is_code(key):
                index.codes.add(key)
        for stem, assets in index.stems.items():
            index.stem_kinds[stem] = defaultdict(set)
            for fid in assets:
                index.stem_kinds[stem][index.subtype[fid]].add(fid)
        for fid in index.subtype:
            index.order[fid] = len(index.order)
            index.of_subtype[index.subtype[fid]].append(fid)
            for word in index.words[fid]:
                index.owners[word].add(fid)
            for word in index.provinces[fid]:
                index.in_province[word].add(fid)
        for unit in set(UNITS.values()):
            known = sorted((v, fid) for fid, figures in index.figures.items() if (v := figures.get(unit)) is not None)
            index._by_figure[unit] = ([v for v, _ in known], [fid for _, fid in known])
        index.exact_lengths = _lengths(index.exact)
        index.stem_lengths = _lengths(index.stems)
        index.automaton = _automaton(index.exact)
        return index

    def is_place(self, key: Key) -> bool:
        """Whether words name a town: a place assets are named after, or a GeoNames town."""
        return key in self.place_stems or bool(key and lookup(" ".join(key)))

    def near(self, asset: str, place: str) -> bool:
        """Whether a town of this name (GeoNames) lies within NEAR_KM of the asset."""
        return asset in self.near_assets(place)

    def near_assets(self, place: str) -> frozenset[str]:
        """The assets within NEAR_KM of a town of this name: those whose outline meets a box around the town
        (an R-tree query), then measured."""
        if place not in self._near:
            found: set[str] = set()
            towns = lookup(place)
            if towns:
                tree, ids = self._strtree()
                for town in towns:
                    found.update(ids[k] for k in tree.query(box_around(town, NEAR_KM))
                                 if km_from(self.geometry[ids[k]], town) <= NEAR_KM)
            self._near[place] = frozenset(found)
        return self._near[place]

    def _strtree(self) -> tuple[Any, list[str]]:
        if self._tree is None:
            ids = [fid for fid, geom in self.geometry.items() if geom is not None]
            self._tree = (shapely.STRtree([self.geometry[fid] for fid in ids]), ids)
        return self._tree

    def figure_fits(self, unit: str, values: set[float]) -> set[str]:
        """The assets whose figure in this unit is within 3 % of one of the values (the rules' tolerance)."""
        known, ids = self._by_figure.get(unit, ([], []))
        found: set[str] = set()
        for v in values:
            lo, hi = sorted((v * (1 - FIGURE_TOLERANCE), v / (1 - FIGURE_TOLERANCE)))
            lo, hi = lo - 1e-9 * abs(lo), hi + 1e-9 * abs(hi)  # the exact test below decides at the edges
            found.update(ids[k] for k in range(bisect.bisect_left(known, lo), bisect.bisect_right(known, hi))
                         if figure_agrees(known[k], v))
        return found


def _lengths(keys: dict[Key, Any]) -> dict[str, list[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for key in keys:
        if key:
            out[key[0]].add(len(key))
    return {word: sorted(lengths, reverse=True) for word, lengths in out.items()}


def _automaton(exact: dict[Key, dict[str, int]]) -> Any:
    """Phrases that make a sentence worth reading. A name whose nouns are all triggers below is found
    through them; any other name through its rarest word ("Rashakai", "Allama"), or, where that word is a
    town many sentences name (the "Karachi" of "Karachi-2"), the whole name ("karachi 2", "karachi2");
    a Chinese name as it is. Then every project noun but the vague ones, singular (plural where it heads a
    list); figures' units."""
    seen = Counter(w for key in exact for w in set(key))
    nouns = {*NOUNS, *CANDIDATE_HEADS, "megawatt", "centre", "harbor", "fiber"} - TOWN_NOUNS - VAGUE_NOUNS - {"corridor"}
    triggers = set(nouns)
    for noun in nouns - {n for n, kinds in NOUNS.items() if "*" in kinds}:  # "SEZs, including ...", "K2 and K3 reactors"
        triggers.update({f"{noun}s", f"{noun}es", f"{noun[:-1]}ies"})
    patterns = {f" {word} " for word in triggers}
    for key in exact:
        words = [w for w in key if w.isalnum()]
        if _CJK.search("".join(key)):
            patterns.add("".join(key))
        elif not triggers.intersection(key) and words:
            rare = min(words, key=lambda w: (w.isdigit() or len(w) < 3 or w in NOT_PLACES, seen[w], -len(w)))
            if len(rare) < 3 or rare in NOT_PLACES or lookup(rare):
                patterns.update({f" {' '.join(words)} ", f" {''.join(words)} "})
            else:
                patterns.add(f" {rare} ")
    patterns.update(f"{d}{unit} " for d in " 0123456789" for unit in ("mw", "km", "kilometres", "kilometers"))
    automaton = ahocorasick.Automaton()
    for pattern in patterns:
        automaton.add_word(pattern, len(pattern))
    automaton.make_automaton()
    return automaton
