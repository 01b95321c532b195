"""The rules that read one sentence's tokens, in order of trust. A sentence names an asset by

1. ``name`` / ``alias``: one of its names or aliases (a code such as "K-2" only beside words of its
   asset: "the K-2 reactor", not "the summit of K2"; a generic alias only beside its place);
2. ``description``: its stem followed by project words that fit its subtype ("the Sahiwal coal plant"),
   or its project words, "in"/"at"/"of", then its stem ("Port of Gwadar");
3. ``list``: a bare stem in a list that says its items are such assets ("SEZs, including Rashakai");
4. ``description``: a kind of asset tied to a place or figure right beside it ("the coal plant near
   Sahiwal", "the 1,124 MW hydropower scheme"), scored against each asset's own words, the GeoNames
   towns near it, its province and its figures; evidence elsewhere in the sentence breaks ties, and a
   noun phrase with none beside it takes the sentence's nearest fitting place and its figures, worth
   less the farther they stand ("Sahiwal city ..., the coal plant on its outskirts"; "the plant there" at
   full worth); a plural noun names one asset per place coordinated beside it ("the Azad Pattan and Mahl
   plants"); a noun any asset fits needs a figure or place beside it ("the 1,124 MW scheme upstream at
   Kohala"); ``route``: a linear kind given by its two ends ("the fibre optic cable from Khunjerab to
   Rawalpindi", "the stretch from D.I. Khan to Zhob").

Where matches overlap, the longest wins, then the more trusted rule. A phrase that still fits several
assets equally is refused and reported as ambiguous.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .index import CatalogIndex, Key, figure_agrees, fits
from .tokens import Token
from .words import (
    CODE_VETO,
    COUNTS,
    DETERMINERS,
    FILLERS,
    LIST_CUES,
    LIST_LEADS,
    LIST_SEPARATORS,
    MODIFIERS,
    NEAR_LINKS,
    NOT_ONE,
    NOT_PLACES,
    NOUNS,
    PLACE_LINKS,
    PROJECT_WORDS,
    ROUTE_JOIN,
    ROUTE_OPEN,
    SENTENCE_STOPS,
    TOWN_KINDS,
    TOWN_NOUNS,
    UNITS,
    VAGUE_NOUNS,
    noun_of,
)

# (rule, confidence) by rank: how far a reader can trust each way of naming.
RANKS = {0: ("name", 1.0), 1: ("alias", 0.95), 2: ("description", 0.9), 3: ("description", 0.85), 4: ("list", 0.7)}
# Words a description may cross to reach its places: after the noun ("near", "being built at"), before it
# (possessive 's, "new", qualifiers).
_AFTER = NEAR_LINKS | FILLERS | ROUTE_OPEN
_BEFORE = FILLERS | frozenset(MODIFIERS) | {"s"}
MIN_SCORE = 0.15  # a province alone (0.1) is no evidence, not even of an ambiguity
MENTION_SCORE = 0.25


@dataclass(frozen=True)
class Hit:
    """Tokens ``start:end`` of one sentence name ``assets`` (one: a mention; several: ambiguous)."""

    start: int
    end: int
    assets: frozenset[str]
    rank: int  # 0 name, 1 alias, 2 stem + project words, 3 project words + place, 4 listed stem, 5 described
    rule: str
    confidence: float


def _hit(start: int, end: int, assets: Iterable[str], rank: int, confidence: float | None = None) -> Hit:
    rule, trust = RANKS[rank]
    return Hit(start, end, frozenset(assets), rank, rule, trust if confidence is None else confidence)


@dataclass(frozen=True)
class Kinds:
    """The assets a phrase of project words can describe, and their subtypes."""

    assets: frozenset[str]
    subtypes: frozenset[str]


class SentenceReader:
    """The rules of the module docstring over one sentence's tokens, against one catalog index."""

    def __init__(self, index: CatalogIndex) -> None:
        self.ix = index
        self._kinds_of: dict[Key, Kinds] = {}
        self._stems: dict[int, list[tuple[Key, int]]] = {}

    def _kinds(self, phrase: Key) -> Kinds:
        """The assets project words can describe (cached: a text repeats its phrases)."""
        if phrase not in self._kinds_of:
            subtypes = frozenset(s for s in self.ix.of_subtype if fits(phrase, s))
            self._kinds_of[phrase] = Kinds(frozenset(a for s in subtypes for a in self.ix.of_subtype[s]), subtypes)
        return self._kinds_of[phrase]

    def read(self, tokens: list[Token]) -> list[Hit]:
        """The non-overlapping hits of one sentence, in text order."""
        norms = [t.norm for t in tokens]
        self._stems = {i: list(self._stems_from(norms, i)) for i, w in enumerate(norms) if w in self.ix.stem_lengths}
        chosen = resolve([*self._exact_hits(tokens, norms), *self._derived_hits(norms), *self._reverse_hits(norms)])
        chosen = resolve([*chosen, *self._listed_hits(norms, chosen)])
        chosen = resolve([*chosen, *self._described_hits(tokens, norms, chosen)])
        return merge_brackets(norms, chosen)

    # --- names and aliases ----------------------------------------------------------------------

    def _exact_hits(self, tokens: list[Token], norms: list[str]) -> Iterator[Hit]:
        ix = self.ix
        for i in range(len(norms)):
            for n in ix.exact_lengths.get(norms[i], ()):
                key = tuple(norms[i:i + n])
                if len(key) < n or key not in ix.exact:
                    continue
                owners = {a: r for a, r in ix.exact[key].items()
                          if ((key, a) not in ix.generic or self._anchored(a, norms))
                          and (key not in ix.codes or self._supports(a, norms, i, i + n))}
                if owners:
                    best = min(owners.values())
                    trust = 0.8 if any((key, a) in ix.generic for a in owners) else 0.9 if key in ix.codes else None
                    yield _hit(i, i + n, (a for a, r in owners.items() if r == best), best, trust)

    def _anchored(self, asset: str, norms: list[str]) -> bool:
        """Whether the sentence names a place the asset is named after (for generic aliases)."""
        return any(_contains(norms, stem) for stem in self.ix.anchors[asset])

    def _supports(self, asset: str, norms: list[str], start: int, end: int) -> bool:
        """Whether words around a code are its asset's: "K-2" beside nuclear, reactor or Karachi."""
        subtype = self.ix.subtype[asset]
        own = self.ix.words[asset]
        for j, word in enumerate(norms):
            if start <= j < end or word in CODE_VETO:
                continue
            noun, _ = noun_of(word)
            kinds = NOUNS.get(noun or "", frozenset()) | MODIFIERS.get(word, frozenset())
            if (word in own and word not in norms[start:end]) or (subtype in kinds and "*" not in kinds):
                return True
        return False

    # --- a stem with project words --------------------------------------------------------------

    def _stem_at(self, i: int) -> list[tuple[Key, int]]:
        """The stems starting at token i of the sentence being read, longest first, with where each ends."""
        return self._stems.get(i, [])

    def _stems_from(self, norms: list[str], i: int) -> Iterator[tuple[Key, int]]:
        for n in self.ix.stem_lengths.get(norms[i], ()):
            key = tuple(norms[i:i + n])
            if len(key) == n and key in self.ix.stems:
                yield key, i + n

    def _fitting(self, stem: Key, norms: list[str], start: int) -> tuple[int, frozenset[str]] | None:
        """The longest run of project words from ``start`` that describes assets of this stem."""
        end = start
        while end < len(norms) and norms[end] in PROJECT_WORDS:
            end += 1
        kinds = self.ix.stem_kinds[stem]
        for stop in range(end, start, -1):
            phrase = tuple(norms[start:stop])
            found = frozenset(a for subtype, assets in kinds.items() if fits(phrase, subtype) for a in assets)
            if found:
                return stop, found
        return None

    def _derived_hits(self, norms: list[str]) -> Iterator[Hit]:
        for i in range(len(norms)):
            for stem, after in self._stem_at(i):
                found = self._fitting(stem, norms, after)
                if not found:
                    continue
                stop, owners = found
                yield _hit(i, stop, owners, 2)
                # "Gwadar Port and Free Zone": the second head shares the first one's stem.
                if stop + 1 < len(norms) and norms[stop] == "and":
                    second = self._fitting(stem, norms, stop + 1)
                    if second:
                        yield _hit(stop + 1, second[0], second[1], 2)

    def _reverse_hits(self, norms: list[str]) -> Iterator[Hit]:
        for i in range(len(norms)):
            end = i
            while end < len(norms) and norms[end] in PROJECT_WORDS:
                end += 1
            if end == i or end + 1 >= len(norms) or norms[end] not in PLACE_LINKS:
                continue
            head = tuple(norms[i:end])
            for stem, after in self._stem_at(end + 1):
                owners = frozenset(a for a in self.ix.stems[stem] if head in self.ix.heads[a])
                if owners:
                    yield _hit(i, after, owners, 3)

    # --- lists ----------------------------------------------------------------------------------

    def _listed_hits(self, norms: list[str], chosen: list[Hit]) -> Iterator[Hit]:
        """Bare stems in a list that says what its items are."""
        taken = {i for h in chosen for i in range(h.start, h.end)}
        items = [h for h in chosen if len(h.assets) == 1]
        for i in range(len(norms)):
            for stem, after in self._stem_at(i):
                if stem in self.ix.place_stems and not taken.intersection(range(i, after)):
                    items.append(_hit(i, after, self.ix.stems[stem], 4))
                    break
        items.sort(key=lambda h: h.start)
        chain: list[Hit] = []
        for item in [*items, None]:
            if item is not None and chain and chain[-1].end < item.start \
                    and set(norms[chain[-1].end:item.start]) <= LIST_SEPARATORS:
                chain.append(item)
                continue
            yield from self._resolve_chain(norms, chain)
            chain = [item] if item is not None else []

    def _resolve_chain(self, norms: list[str], chain: list[Hit]) -> Iterator[Hit]:
        """The bare stems of one list that the list's cue or a named item of the same subtype makes projects;
        a single item needs a cue and a word like "including" ("SEZs such as Rashakai")."""
        if not chain:
            return
        named = {self.ix.subtype[next(iter(h.assets))] for h in chain if h.rank < 4}
        lead = chain[0].start - 1
        while lead >= 0 and norms[lead] in LIST_LEADS:
            lead -= 1
        cue, _ = noun_of(norms[lead]) if lead >= 0 else (None, False)
        cue = cue if cue in LIST_CUES else None
        if len(chain) == 1 and not (cue and set(norms[lead + 1:chain[0].start]) - {",", ":"}):
            return
        for hit in chain:
            if hit.rank < 4:
                continue
            owners = frozenset(a for a in hit.assets if self.ix.subtype[a] in named
                               or (cue and ("*" in NOUNS[cue] or self.ix.subtype[a] in NOUNS[cue])))
            if len(owners) == 1:
                yield _hit(hit.start, hit.end, owners, 4)

    # --- descriptions and routes ----------------------------------------------------------------

    def _described_hits(self, tokens: list[Token], norms: list[str], chosen: list[Hit]) -> Iterator[Hit]:
        """A kind of asset (singular) with the places and figures right beside it or, failing those, anywhere
        else in the sentence."""
        taken = {i for h in chosen for i in range(h.start, h.end)}
        groups: list[tuple[int, int]] = []
        i = 0
        while i < len(norms):
            if i in taken or not (norms[i] in PROJECT_WORDS or noun_of(norms[i])[0]):
                i += 1
                continue
            end = i
            while end < len(norms) and end not in taken and (norms[end] in PROJECT_WORDS or noun_of(norms[end])[0]):
                end += 1
            last = max((j for j in range(i, end) if noun_of(norms[j])[0]), default=None)
            if last is not None:
                groups.append((i, last + 1))
            i = end
        beside = {g: self._around(tokens, norms, taken, *g) for g in groups}
        # Evidence beside a noun is that noun's, whether or not it resolves ("shipments arriving at Port Qasim");
        # a town noun only says its place is a town ("Sahiwal city"), which a later "its outskirts" may mean.
        claimed = {j for g, (_, places, figures) in beside.items() if noun_of(norms[g[1] - 1])[0] not in TOWN_NOUNS
                   for j in (*places, *(k for k, _, _ in figures), *(k + 1 for k, _, _ in figures))}
        free = self._evidence(tokens, norms, taken | claimed)
        named = [(h.start, self.ix.subtype[a]) for h in chosen if len(h.assets) == 1 for a in h.assets]
        for start, end in groups:
            for hit in self._describe(norms, start, end, beside[start, end], free, {k for at, k in named if at < start}):
                named.extend((hit.start, self.ix.subtype[a]) for a in hit.assets if len(hit.assets) == 1)
                yield hit

    def _describe(self, norms: list[str], start: int, end: int,
                  beside: tuple[int, list[int], list[tuple[int, str, float]]],
                  free: tuple[list[int], list[tuple[int, str, float]]], named: set[str]) -> list[Hit]:
        """The assets a kind noun describes. Evidence beside it decides, evidence elsewhere in the sentence only
        breaks its ties; a noun with none beside it takes the sentence's free evidence, worth less the farther
        it stands, unless the sentence already named an asset of its kind (then it means that one: "the plant").
        A plural noun names one asset per place coordinated beside it; a noun any asset fits ("the scheme") needs
        a place or figure beside it and a single best fit; a vague noun needs a route."""
        noun, plural = noun_of(norms[end - 1])
        if noun is None or any(norms[j] in NOT_ONE for j in range(max(0, start - 3), start)):
            return []
        kinds = self._kinds((*norms[start:end - 1], noun))
        places, figures = beside[1], beside[2]
        if not kinds.assets or self._elsewhere(kinds, norms, places):
            return []
        if plural:
            count = next((COUNTS[norms[j]] for j in range(max(0, start - 3), end) if norms[j] in COUNTS), 1)
            return self._each(kinds, norms, start, end, places, figures, count)
        generic = len(kinds.assets) == len(self.ix.subtype)
        town = noun in TOWN_NOUNS and not TOWN_KINDS.intersection(norms[start:end - 1])
        if (generic and not ((places or figures) and _bare_phrase(norms, start))) or town \
                or (noun in VAGUE_NOUNS - TOWN_NOUNS and not _route(norms, places)):
            return []
        hit = self._one(kinds, norms, start, end, beside, free, named)
        return [hit] if hit and not (generic and len(hit.assets) > 1) else []

    def _elsewhere(self, kinds: Kinds, norms: list[str], places: list[int]) -> bool:
        """Whether a place beside the noun is a word of one asset only, not of its kind: the writer names that
        asset loosely ("the Sino Sindh Resources mine" of an integrated mine and power plant)."""
        return any(len(owners := self.ix.owners.get(norms[j], set())) == 1 and not owners & kinds.assets for j in places)

    def _each(self, kinds: Kinds, norms: list[str], start: int, end: int, places: list[int],
              figures: list[tuple[int, str, float]], count: int) -> list[Hit]:
        """A plural noun's assets, one per place coordinated beside it ("the Azad Pattan and Mahl plants", "the
        units at Port Qasim and Hub"), its figures counting one unit or all ("the twin 660 MW units"). Coordinated
        places name different assets, so an item tied between assets the others took is settled; others stay
        refused."""
        items: list[list[int]] = []
        for j in places:
            if items and not LIST_SEPARATORS.intersection(norms[items[-1][-1] + 1:j]):
                items[-1].append(j)
            else:
                items.append([j])
        fits: list[set[str]] = []
        for item in items:
            scores = self._scores(kinds, norms, start, end, item, figures, None, strict=True, weigh=False, count=count)
            best = max(scores.values(), default=0.0)
            fits.append({a for a, s in scores.items() if s == best} if best >= MENTION_SCORE else set())
        hits = []
        for item, owners in zip(items, fits, strict=True):
            taken = set().union(*(f for f in fits if len(f) == 1 and f != owners))
            if len(owners - taken) == 1:
                hits.append(Hit(item[0], item[-1] + 1, frozenset(owners - taken), 5, "description", 0.8))
        return hits

    def _one(self, kinds: Kinds, norms: list[str], start: int, end: int,
             beside: tuple[int, list[int], list[tuple[int, str, float]]],
             free: tuple[list[int], list[tuple[int, str, float]]], named: set[str]) -> Hit | None:
        """The asset a singular noun describes (several when they tie)."""
        lo, places, figures = beside
        first = max((j + 1 for j in range(start) if norms[j] in SENTENCE_STOPS), default=0)
        last = next((j for j in range(end, len(norms)) if norms[j] in SENTENCE_STOPS), len(norms))
        far_places = [j for j in free[0] if first <= j < last and not start <= j < end]
        far_figures = [f for f in free[1] if first <= f[0] < last and not start <= f[0] < end]
        ties = bool(places or figures)  # evidence beside the noun decides; the rest of the sentence breaks ties
        if ties:
            route = _route(norms, places)
        elif named & kinds.subtypes or not _opens_phrase(norms, start) \
                or not (far_places or far_figures):
            return None
        else:
            places, figures, route = self._current(kinds, far_places, start, end, norms), far_figures, None
        # "the plant there": the noun itself points back to its current place, however far.
        pointed = norms[end:end + 1] == ["there"]
        scores = self._scores(kinds, norms, start, end, places, figures, route, strict=True,
                              weigh=not (beside[1] or beside[2] or pointed))
        if not scores:
            return None
        tie_break = self._scores(kinds, norms, start, end, far_places, far_figures, None, strict=False,
                                 among=set(scores)) if ties else {}
        scores = {a: s + 0.01 * tie_break.get(a, 0.0) for a, s in scores.items()}
        best = max(scores.values())
        owners = [a for a, s in scores.items() if s == best]
        if len(owners) == 1 and best < MENTION_SCORE:
            return None
        if not (beside[1] or beside[2]):  # bound from afar: the noun phrase alone is quoted
            nearest = min(_distance(j, start, end) for j in [*places, *(k for k, _, _ in figures)])
            return Hit(start, end, frozenset(owners), 5, "description", round(max(0.5, 0.65 - 0.01 * nearest), 2))
        hi = max([end, *(j + 1 for j in places), *(j + 2 for j, _, _ in figures)])
        lo = min([lo, *places, *(j for j, _, _ in figures)])
        rule = "route" if route else "description"
        trust = 0.85 if route else min(0.9, 0.6 + 0.1 * len(places) + 0.15 * len(figures))
        return Hit(lo, hi, frozenset(owners), 5, rule, round(trust, 2))

    def _current(self, kinds: Kinds, places: list[int], start: int, end: int, norms: list[str]) -> list[int]:
        """The current place of a noun bound from afar: the nearest of the sentence's places that is a word of some
        asset of its kind or, failing those, a town near one ("Sahiwal city ..., the coal plant on its outskirts");
        the others belong to other phrases ("at Dhabeji near Karachi", "Bostan, forty minutes north of Quetta")."""
        fitting = [j for j in places if self.ix.owners.get(norms[j], set()) & kinds.assets] \
            or [j for j in places if self.ix.near_assets(norms[j]) & kinds.assets]
        nearest = min((_distance(j, start, end) for j in fitting), default=None)
        return [j for j in fitting if _distance(j, start, end) == nearest]

    def _scores(self, kinds: Kinds, norms: list[str], start: int, end: int, places: list[int],
                figures: list[tuple[int, str, float]], route: tuple[str, str] | None, *, strict: bool,
                weigh: bool = True, count: int = 1, among: set[str] | None = None) -> dict[str, float]:
        """Each asset of these kinds (and ``among``, if given) that the evidence fits, with its score (at least
        MIN_SCORE when ``strict``). Evidence from afar (``weigh``) counts less the farther it stands:
        1 / (1 + distance / 10)."""
        weights: dict[str, float] = {}
        for j in places:
            w = 1 / (1 + _distance(j, start, end) / 10) if weigh else 1.0
            weights[norms[j]] = max(w, weights.get(norms[j], 0.0))
        weighed = [(f, v, 1 / (1 + _distance(j, start, end) / 10) if weigh else 1.0) for j, f, v in figures]
        # A word's weight is shared among the assets of this kind that have it: "Karachi" is half of each
        # Karachi reactor, all of the one Sahiwal coal plant.
        ix = self.ix
        shared = Counter({w: len(ix.owners.get(w, set()) & kinds.assets) for w in weights})
        # Only an asset some evidence fits can score above nothing: one that has a place word, lies in or
        # near the place, or has the figure.
        fitted: set[str] = set()
        if among is None:
            for w in weights:
                fitted |= ix.owners.get(w, set()) | ix.in_province.get(w, set()) | ix.near_assets(w)
            for field, value, _ in weighed:
                fitted |= ix.figure_fits(field, {value, value * count})
        else:
            fitted = among
        scores: dict[str, float] = {}
        for asset in sorted(fitted & kinds.assets, key=ix.order.__getitem__):
            score = self._score(asset, weights, shared, weighed, route, count)
            if score is not None and (score >= MIN_SCORE or (not strict and score > 0)):
                scores[asset] = score
        return scores

    def _around(self, tokens: list[Token], norms: list[str], taken: set[int], start: int,
                end: int) -> tuple[int, list[int], list[tuple[int, str, float]]]:
        """The place tokens and figures tied to the project words ``start:end``: after them across linking
        words ("near", "at", "being built at"), before them across fillers and possessives ("Gwadar's new")."""
        places: list[int] = []
        figures: list[tuple[int, str, float]] = []
        lo = start

        def take(j: int) -> bool:
            if j in taken or not (0 <= j < len(tokens)):
                return False
            if j + 1 < len(norms) and norms[j + 1] in UNITS and _is_number(norms[j]):
                figures.append((j, UNITS[norms[j + 1]], float(norms[j])))
                return True
            if _is_place(tokens[j]):
                places.append(j)
                return True
            return False

        j, skipped = end, 0
        while j < len(norms) and skipped <= 4:
            if take(j):
                j += 2 if figures and figures[-1][0] == j else 1
                skipped = 0
            elif norms[j] in _AFTER or (norms[j] in ROUTE_JOIN and j - 1 in places) \
                    or (tokens[j].capital and norms[j] in PROJECT_WORDS and j + 1 < len(tokens) and _is_place(tokens[j + 1])):
                # "between Multan and", "at Port Qasim"
                j, skipped = j + 1, skipped + 1
            else:
                break
        j = start - 1
        while j >= 0:
            if j >= 1 and norms[j] in UNITS and take(j - 1):
                lo, j = j - 1, j - 2
            elif take(j):
                lo, j = j, j - 1
            elif norms[j] in _BEFORE or (norms[j] in ROUTE_JOIN and places and j >= 1 and tokens[j - 1].capital):
                j -= 1
            else:
                break
        return lo, sorted(places), figures

    def _evidence(self, tokens: list[Token], norms: list[str],
                  excluded: set[int]) -> tuple[list[int], list[tuple[int, str, float]]]:
        """The places and figures of a sentence outside ``excluded`` (other names, evidence beside other nouns)."""
        places: list[int] = []
        figures: list[tuple[int, str, float]] = []
        for j, tok in enumerate(tokens):
            if j in excluded:
                continue
            if j + 1 < len(norms) and norms[j + 1] in UNITS and _is_number(norms[j]) and j + 1 not in excluded:
                figures.append((j, UNITS[norms[j + 1]], float(norms[j])))
            elif _is_place(tok):
                places.append(j)
        return places, figures

    def _score(self, asset: str, places: dict[str, float], shared: Counter[str],
               figures: list[tuple[str, float, float]], route: tuple[str, str] | None, count: int = 1) -> float | None:
        """How well the places and figures (each with its weight) fit one asset; None when a figure (of the whole
        or, with ``count`` units, of one) or a route end contradicts it."""
        ix = self.ix
        own = ix.words[asset]
        score = 0.0
        for field, value, weight in figures:
            known = ix.figures[asset].get(field)
            if known is None:
                continue
            if not any(figure_agrees(known, v) for v in {value, value * count}):
                return None
            score += weight
        if route and not all(end in own or self.ix.near(asset, end) for end in route):
            return None
        for word, weight in places.items():
            if word in own:
                score += weight / shared[word]
            elif word in ix.provinces[asset]:
                score += 0.1 * weight
            elif self.ix.near(asset, word):
                score += 0.3 * weight
        return score


def _is_place(tok: Token) -> bool:
    """Whether a token may name a place: a capitalised word, not a project word or the country's name."""
    return tok.capital and tok.word and tok.norm not in NOT_PLACES and tok.norm not in PROJECT_WORDS


def _opens_phrase(norms: list[str], start: int) -> bool:
    """Whether a determiner opens the noun phrase ending at ``start``, at most three words before it."""
    return any(norms[j] in DETERMINERS for j in range(max(0, start - 3), start))


def _bare_phrase(norms: list[str], start: int) -> bool:
    """Whether a determiner opens the noun phrase ending at ``start`` across fillers and figures only: "the
    1,124 MW scheme", not "a tank repair facility" (a kind the vocabulary lacks)."""
    j = start - 1
    while j >= 0 and (norms[j] in _BEFORE or norms[j] in UNITS or _is_number(norms[j])):
        j -= 1
    return j >= 0 and norms[j] in DETERMINERS


def _distance(j: int, start: int, end: int) -> int:
    """Tokens between token j and the span ``start:end``."""
    return start - j if j < start else j - end + 1


def _is_number(word: str) -> bool:
    return word.replace(".", "", 1).isdigit()


def _route(norms: list[str], places: list[int]) -> tuple[str, str] | None:
    """The two ends of "from X to Y", "between X and Y" or "X to Y" among a description's places."""
    for a, b in itertools.pairwise(places):
        if b == a + 2 and norms[a + 1] in ROUTE_JOIN and (norms[a + 1] == "to" or norms[a - 1:a] == ["between"]):
            return norms[a], norms[b]
        if b == a + 2 and norms[a + 1] in ROUTE_JOIN and a >= 1 and norms[a - 1] in ROUTE_OPEN:
            return norms[a], norms[b]
    return None


def _contains(seq: list[str], part: Key) -> bool:
    n = len(part)
    return any(tuple(seq[i:i + n]) == part for i in range(len(seq) - n + 1) if seq[i] == part[0])


def resolve(hits: Iterable[Hit]) -> list[Hit]:
    """Non-overlapping hits: longest first, then the better rank, then the earlier."""
    chosen: list[Hit] = []
    taken: set[int] = set()
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.rank, h.start)):
        span = range(hit.start, hit.end)
        if not taken.intersection(span):
            chosen.append(hit)
            taken.update(span)
    return sorted(chosen, key=lambda h: h.start)


def merge_brackets(norms: list[str], hits: list[Hit]) -> list[Hit]:
    """One mention for "Main Line-1 (ML-1)": same asset, only brackets between."""
    merged: list[Hit] = []
    for hit in hits:
        prev = merged[-1] if merged else None
        if prev and prev.assets == hit.assets and len(hit.assets) == 1 \
                and norms[prev.end:hit.start] == ["("] and norms[hit.end:hit.end + 1] == [")"]:
            merged[-1] = Hit(prev.start, hit.end + 1, prev.assets, prev.rank, prev.rule, prev.confidence)
        else:
            merged.append(hit)
    return merged
