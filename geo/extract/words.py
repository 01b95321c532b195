"""The words the extractor reasons with: project nouns and the subtypes they fit, qualifiers, list
cues, context words. Vocabulary only; place spellings live in the catalog's aliases, not here."""

from __future__ import annotations

from functools import lru_cache

ANY = frozenset({"*"})
_ENERGY = frozenset({"coal", "hydro", "solar", "wind", "nuclear", "transmission"})
_RAIL = frozenset({"railway", "metro"})
_ZONES = frozenset({"sez", "free_zone"})
_ROADS = frozenset({"motorway", "highway"})
_LINEAR = _ROADS | {"railway", "metro", "bus_rapid_transit", "transmission", "fibre", "oil_pipeline"}

# A noun can end a project phrase; the subtypes it names. "project" fits any asset.
NOUNS: dict[str, frozenset[str]] = {
    "project": ANY, "scheme": ANY, "facility": ANY,
    "plant": _ENERGY | {"desalination", "sanitation", "heavy_industry"},
    "station": _ENERGY | _RAIL, "powerhouse": _ENERGY, "unit": _ENERGY,
    "dam": frozenset({"hydro"}), "barrage": frozenset({"hydro"}), "reservoir": frozenset({"hydro"}),
    "hydropower": frozenset({"hydro"}),
    "hydroelectric": frozenset({"hydro"}), "hydel": frozenset({"hydro"}),
    "park": frozenset({"solar", "wind"}) | _ZONES, "farm": frozenset({"solar", "wind"}),
    "reactor": frozenset({"nuclear"}),
    "motorway": frozenset({"motorway"}), "highway": frozenset({"highway"}),
    "expressway": _ROADS, "road": _ROADS, "link": _LINEAR,
    "railway": _RAIL, "railroad": _RAIL, "rail": _RAIL, "train": _RAIL,
    "line": _RAIL | {"transmission", "bus_rapid_transit"},
    "metro": _RAIL, "metrobus": frozenset({"bus_rapid_transit"}), "brt": frozenset({"bus_rapid_transit"}),
    "segment": _LINEAR, "section": _LINEAR, "route": _LINEAR, "stretch": _LINEAR, "realignment": _ROADS,
    "airport": frozenset({"airport"}),
    "port": frozenset({"seaport"}), "seaport": frozenset({"seaport"}), "terminal": frozenset({"seaport"}),
    "harbour": frozenset({"seaport", "fishery"}), "jetty": frozenset({"fishery"}),
    "breakwater": frozenset({"breakwater"}), "dryport": frozenset({"dry_port"}),
    "zone": _ZONES, "sez": _ZONES, "estate": _ZONES, "city": frozenset({"sez", "smart_city"}),
    "pipeline": frozenset({"oil_pipeline"}), "cable": frozenset({"fibre"}),
    "mine": frozenset({"mining", "coal_mine"}), "pit": frozenset({"mining", "coal_mine"}),
    "complex": frozenset({"heavy_industry", "cultural_centre"}), "factory": frozenset({"heavy_industry"}),
    "center": frozenset({"cultural_centre"}), "hospital": frozenset({"hospital"}),
    "school": frozenset({"education"}), "institute": frozenset({"education"}),
}
# Words that qualify a noun; the subtypes they fit (a noun used as a qualifier fits its own subtypes too).
MODIFIERS: dict[str, frozenset[str]] = {
    "coal": frozenset({"coal", "coal_mine"}), "fired": frozenset({"coal"}), "thermal": frozenset({"coal"}),
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
    "friendship": frozenset({"cultural_centre", "hospital", "education"}), "mouth": frozenset({"coal", "coal_mine"}),
    "dry": frozenset({"dry_port"}), "grass": frozenset({"agriculture"}),
}
PROJECT_WORDS = frozenset(NOUNS) | frozenset(MODIFIERS)
# Nouns that name a town as often as a project ("the port city of Gwadar"): never a description on their own.
TOWN_NOUNS = frozenset({"city", "town"})
# ... unless a qualifier says the town is a project ("the industrial city outside Faisalabad").
TOWN_KINDS = frozenset({"industrial"})
# Nouns too vague to describe one asset ("the route from Multan"), unless given both ends ("the stretch from
# D.I. Khan to Zhob"); they still end a name ("Multan-Sukkur section").
VAGUE_NOUNS = TOWN_NOUNS | {"route", "section", "segment", "stretch"}
# Words before a noun that say it is not one asset named here: "the same road", "another coal plant".
NOT_ONE = frozenset({"same", "another", "other", "any", "every", "each", "no"})
# Number words before a plural noun: a figure beside "the twin 660 MW units" may count one unit of two.
COUNTS = {"two": 2, "twin": 2, "both": 2, "three": 3, "four": 4}
# Adjectives a description may carry between its article and its noun ("the big new solar farm").
FILLERS = frozenset({"new", "old", "big", "large", "huge", "first", "second", "main", "planned", "proposed",
                     "imported", "chinese", "china", "built", "financed", "backed", "existing", "two", "twin"})

# Nouns that make a capitalised phrase look like a named project (for unmatched candidates).
CANDIDATE_HEADS = frozenset({
    "plant", "project", "dam", "barrage", "motorway", "highway", "expressway", "sez", "city", "port", "seaport",
    "airport", "corridor", "park", "zone", "pipeline", "railway", "line", "complex", "center", "terminal",
    "station", "scheme", "hydropower", "jetty", "mine",
})
# Programmes, not assets: never an unmatched candidate.
PROGRAMMES = frozenset({("china", "pakistan", "economic", "corridor"), ("pakistan", "china", "economic", "corridor")})
LIST_SEPARATORS = frozenset({",", "and", "or"})
# Plural nouns that say what a list's items are ("SEZs, including ..."); not "cities like Lahore".
LIST_CUES = frozenset({"project", "plant", "dam", "park", "farm", "motorway", "highway", "railway", "airport",
                       "port", "seaport", "zone", "sez", "estate", "pipeline", "mine", "barrage", "reactor", "unit"})
LIST_LEADS = frozenset({"including", "include", "includes", "such", "as", "like", "namely", "eg", ",", ":"})
PLACE_LINKS = frozenset({"in", "at", "of"})
# Words that tie a description's noun to its place: "the plant near Sahiwal", "the dam being built at Dasu".
NEAR_LINKS = frozenset({"in", "at", "of", "near", "outside", "on", "by", "close", "to", "from", "around", "built",
                        "being", "under", "construction", "the", "district", "city", "town", "s", "across", "upstream",
                        "downstream"})
ROUTE_OPEN = frozenset({"from", "between"})
ROUTE_JOIN = frozenset({"to", "and"})
# Stops that end a sentence: evidence from afar never crosses one ("... the port. Gwadar grew").
SENTENCE_STOPS = frozenset({".", "!", "?", "¶", "\u06d4", "\u3002", "\uff01", "\uff1f"})
STOPS = frozenset({",", ";", ":", "!", "?", "(", ")", "[", "]", "{", "}", '"', "“", "”", ".", "¶"})
# Words that open a noun phrase: a noun bound to places farther off must stand in one ("the port", not "port traffic").
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "its", "their", "our", "s"})
# Capitalised words that open a phrase without being part of a name.
NOT_NAME = frozenset({"the", "a", "an", "this", "that", "these", "its", "their", "major", "other", "first",
                      "second", "and", "of", "mw"})
# Words that never anchor a description to an asset: they name the country or the programme, not a place.
NOT_PLACES = frozenset({"pakistan", "china", "chinese", "pak", "cpec", "the", "of", "and", "in", "at", "new", "phase",
                        "ltd", "pvt", "limited", "company", "i", "mw", "km", "x", "a", "s"})
# Beside a short code ("K-2", "M-5"), words that say it is something else: a mountain, an aircraft, a weapon.
CODE_VETO = frozenset({"summit", "climb", "climbed", "climbing", "climber", "climbers", "mountain", "mountains",
                       "peak", "expedition", "ascent", "mountaineer", "mountaineers", "base", "camp", "aircraft",
                       "jet", "jets", "fighter", "tank", "tanks", "missile", "rifle", "trainer", "everest"})
UNITS = {"mw": "capacity_mw", "km": "length_km", "kilometre": "length_km", "kilometer": "length_km"}


@lru_cache(maxsize=8192)
def noun_of(word: str) -> tuple[str | None, bool]:
    """(the project noun a word is, whether it is plural): "reactors" -> ("reactor", True)."""
    if word in NOUNS:
        return word, False
    for ending in ("s", "es"):
        if len(word) > len(ending) + 2 and word.endswith(ending) and word[:-len(ending)] in NOUNS:
            return word[:-len(ending)], True
    if word.endswith("ies") and word[:-3] + "y" in NOUNS:
        return word[:-3] + "y", True
    return None, False
