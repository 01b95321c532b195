"""`extract()`: the hard cases of the issue, one test each, and short trap texts of our own."""

from __future__ import annotations

import pytest
from conftest import make_feature

from geo import extract
from geo.catalog import frame_from_records
from geo.extract import Matcher, named_features, tokenize
from geo.reader import RawFeature

ASSETS = [
    ("sahiwal-plant", "Sahiwal Coal Power Plant", "coal", ["Sahiwal Coal-Fired Power Plant", "Sahiwal"]),
    ("qasim-plant", "Port Qasim 1,320 MW Power Plant", "coal", []),
    ("qa-solar", "Quaid-e-Azam Solar Park", "solar", []),
    ("gwadar-port", "Gwadar Port", "seaport", ["Gwadar"]),
    ("gwadar-coal", "Gwadar Coal Power Plant", "coal", []),
    ("gwadar-free-zone", "Gwadar Free Zone", "free_zone", ["Free Zone"]),
    ("gwadar-city", "Gwadar Smart Port City", "smart_city", []),
    ("gwadar-water", "Gwadar desalination plant", "desalination", ["desalination facilities"]),
    ("di-khan-motorway", "Peshawar-Dera Ismail Khan Motorway", "motorway", []),
    ("pk-motorway", "Peshawar-Karachi Motorway", "motorway", []),
    ("m5", "Multan-Sukkur Motorway", "motorway", ["Multan-Sukkur section of the Peshawar-Karachi Motorway"]),
    ("rashakai", "Rashakai Special Economic Zone", "sez", ["Rashakai"]),
    ("dhabeji", "Dhabeji Special Economic Zone", "sez", []),
    ("aiic", "Allama Iqbal Industrial City", "sez", []),
    ("orange-line", "Lahore Orange Line Metro Train", "metro", ["Orange Line"]),
    ("lahore-bus", "Lahore Metro Bus", "bus_rapid_transit", []),
    ("ml-1", "Main Line-1 (ML-1) railway upgrade", "railway", ["ML-1", "Main Line-1"]),
    ("kkh", "Karakoram Highway", "highway", []),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    features = [make_feature(fid, name=name, subtype=subtype, aliases=aliases) for fid, name, subtype, aliases in ASSETS]
    return Matcher(frame_from_records([RawFeature("memory", i, f) for i, f in enumerate(features)]))


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    """(asset id, words matched) per mention, in text order."""
    return [(m.asset_id, m.text) for m in matcher.extract(text).mentions]


def ids(matcher: Matcher, text: str) -> list[str]:
    return [m.asset_id for m in matcher.extract(text).mentions]


@pytest.mark.parametrize("text", [
    "the QUAID E AZAM  solar park", "Quaid\u2013e\u2013Azam Solar Park", "Quaid\u2014e\u2014Azam solar-park",
    "Quaid-i-Azam Solar Park",
    "the Quaid-e-\nAzam Solar\r\n   Park",
])
def test_case_hyphens_dashes_spaces_and_line_breaks_are_folded(matcher, text):
    assert ids(matcher, text) == ["qa-solar"]


@pytest.mark.parametrize("text", [
    "Peshawar-D.I. Khan Motorway", "Peshawar \u2013 DI Khan motorway", "Peshawar-Dera Ismail Khan Motorway",
    "Peshawar D. I. Khan Motorway", "the Peshawar\u2013D.I.Khan Motorway",
])
def test_di_khan_variants(matcher, text):
    assert ids(matcher, text) == ["di-khan-motorway"]


@pytest.mark.parametrize("text", ["the Port Qasim 1320MW Power Plant", "Port Qasim 1,320-MW power plant",
                                  "Port Qasim 1,320 megawatt power plant"])
def test_capacity_variants(matcher, text):
    assert ids(matcher, text) == ["qasim-plant"]


def test_capacity_tokens_fold():
    assert [t.norm for t in tokenize("1,320 MW / 1320MW / 1K MW")] == ["1320", "mw", "1320", "mw", "1000", "mw"]


@pytest.mark.parametrize("text", [
    "Sahiwal is a city in Punjab.",
    "Gwadar is a port city on the Makran coast.",
    "the strategically important port city of Gwadar",
    "Rashakai lies on the motorway.",
])
def test_a_bare_place_is_not_a_project(matcher, text):
    assert ids(matcher, text) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("the Sahiwal coal plant was commissioned", [("sahiwal-plant", "Sahiwal coal plant")]),
    ("the Sahiwal Coal-Fired Power Plant", [("sahiwal-plant", "Sahiwal Coal-Fired Power Plant")]),
    ("Gwadar Port handles bulk cargo", [("gwadar-port", "Gwadar Port")]),
    ("the Gwadar Port project", [("gwadar-port", "Gwadar Port project")]),
    ("the Gwadar deep-sea port", [("gwadar-port", "Gwadar deep-sea port")]),
    ("ships at the Port of Gwadar", [("gwadar-port", "Port of Gwadar")]),
    ("the Metro Bus in Lahore", [("lahore-bus", "Metro Bus in Lahore")]),
])
def test_a_place_with_project_words_is_the_project(matcher, text, expected):
    assert found(matcher, text) == expected


def test_more_specific_asset_wins(matcher):
    assert ids(matcher, "the Gwadar Smart Port City plan") == ["gwadar-city"]
    assert found(matcher, "the Multan-Sukkur section of the Peshawar-Karachi Motorway opened") == [
        ("m5", "Multan-Sukkur section of the Peshawar-Karachi Motorway")]
    assert ids(matcher, "the Peshawar-Karachi Motorway") == ["pk-motorway"]


def test_words_that_fit_several_assets_name_none(matcher):
    result = matcher.extract("China paid for the first phase of the Gwadar project.")
    assert result.mentions == ()
    assert result.unmatched == ()  # a known asset family, not a project the catalog lacks


def test_two_assets_in_one_sentence(matcher):
    assert ids(matcher, "The Sahiwal Coal Power Plant and the Gwadar Coal Power Plant burn imported coal.") == [
        "sahiwal-plant", "gwadar-coal"]
    assert found(matcher, "The construction of the Gwadar Port and Free Zone is finished.") == [
        ("gwadar-port", "Gwadar Port"), ("gwadar-free-zone", "Free Zone")]


def test_name_broken_across_lines(matcher):
    text = "Intro.\n\nChina built the Sahiwal Coal\nPower Plant in 2017."
    (mention,) = matcher.extract(text).mentions
    assert (mention.asset_id, mention.text, mention.line, mention.column) == (
        "sahiwal-plant", "Sahiwal Coal Power Plant", 3, 17)
    assert text[mention.start:mention.end] == "Sahiwal Coal\nPower Plant"
    assert "\n" not in mention.snippet and "Sahiwal Coal Power Plant in 2017" in mention.snippet


def test_a_list_headed_by_project_words_names_its_bare_items(matcher):
    text = "Major SEZs, including Rashakai, Dhabeji, and Allama Iqbal Industrial City, are under development."
    assert found(matcher, text) == [("rashakai", "Rashakai"), ("dhabeji", "Dhabeji"), ("aiic", "Allama Iqbal Industrial City")]
    assert ids(matcher, "SEZs such as Rashakai and Dhabeji") == ["rashakai", "dhabeji"]
    assert ids(matcher, "coal plants like Sahiwal are efficient") == ["sahiwal-plant"]


@pytest.mark.parametrize("text", [
    "Rashakai and Dhabeji are small towns.",
    "major cities like Lahore and Gwadar",
    "projects in Sahiwal, Gwadar and Lahore",
    "coal plants, Sahiwal says, are dirty",
    "the port. Gwadar grew",
])
def test_a_list_of_places_names_no_project(matcher, text):
    assert ids(matcher, text) == []


def test_a_generic_alias_needs_its_place_in_the_sentence(matcher):
    assert ids(matcher, "Future plans for Gwadar include desalination facilities.") == ["gwadar-water"]
    assert ids(matcher, "Karachi needs desalination facilities. So does Quetta.") == []
    assert ids(matcher, "a Free Zone near Karachi") == []


def test_a_code_and_its_bracketed_name_are_one_mention(matcher):
    assert found(matcher, "the Main Line-1 (ML-1) railway renovation") == [("ml-1", "Main Line-1 (ML-1)")]
    assert found(matcher, "the ML-1 railway and ML-1") == [("ml-1", "ML-1 railway"), ("ml-1", "ML-1")]


def test_an_aircraft_named_after_a_range_is_not_the_highway(matcher):
    assert ids(matcher, "the K-8 Karakoram advanced training aircraft") == []
    assert ids(matcher, "the Karakoram highway project") == ["kkh"]


def test_every_mention_is_reported_once_with_its_position(matcher):
    text = "Gwadar Port opened.\nLater, Gwadar Port grew."
    mentions = matcher.extract(text, source="doc.txt").mentions
    assert [(m.line, m.column, m.source) for m in mentions] == [(1, 1, "doc.txt"), (2, 8, "doc.txt")]
    assert all(text[m.start:m.end] == "Gwadar Port" for m in mentions)


def test_orange_line_by_alias_and_by_its_own_words(matcher):
    assert found(matcher, "The Orange Line rail project and the Orange Line Metro Train in Lahore") == [
        ("orange-line", "Orange Line rail project"), ("orange-line", "Orange Line Metro Train")]


@pytest.mark.parametrize(("text", "phrases"), [
    ("China financed the Dasu Hydropower Project and the Gwadar Port.", ["Dasu Hydropower Project"]),
    ("The 720 MW Karot was finished.", ["Karot"]),
    ("Karot (720 MW) was finished.", ["Karot"]),
    ("The development of Dacca Airport was postponed.", ["Dacca Airport"]),
    ("The China-Pakistan Economic Corridor (CPEC) and its Special Economic Zones.", []),
    ("Medical and Educational Corridors", []),
    ("the Sahiwal Coal-Fired Power Plant", []),
])
def test_unmatched_candidates(matcher, text, phrases):
    assert [c.text for c in matcher.extract(text).unmatched] == phrases


def test_extract_takes_a_catalog_frame():
    frame = frame_from_records([RawFeature("memory", 0, make_feature("gwadar-port", name="Gwadar Port",
                                                                      subtype="seaport"))])
    assert [m.asset_id for m in extract("the Gwadar Port", frame).mentions] == ["gwadar-port"]


def test_by_asset_and_named_features_carry_the_mentions():
    frame = frame_from_records([
        RawFeature("memory", 0, make_feature("gwadar-port", name="Gwadar Port", subtype="seaport")),
        RawFeature("memory", 1, make_feature("kkh", name="Karakoram Highway", subtype="highway")),
    ])
    result = extract("Karakoram Highway to Gwadar Port. Gwadar Port again.", frame, source="a.txt")
    assert {k: [m.column for m in v] for k, v in result.by_asset().items()} == {"kkh": [1], "gwadar-port": [22, 35]}
    collection = named_features(result, frame)
    assert [f["id"] for f in collection["features"]] == ["kkh", "gwadar-port"]
    port = collection["features"][1]
    assert port["geometry"]["type"] == "Point"
    assert [m["text"] for m in port["properties"]["mentions"]] == ["Gwadar Port", "Gwadar Port"]
    assert port["properties"]["name"] == "Gwadar Port"
