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
    assert [f["properties"]["id"] for f in collection["features"]] == ["kkh", "gwadar-port"]
    port = collection["features"][1]
    assert port["geometry"]["type"] == "Point"
    assert [m["text"] for m in port["properties"]["mentions"]] == ["Gwadar Port", "Gwadar Port"]
    assert port["properties"]["name"] == "Gwadar Port"


# --- issue 15: descriptions, context, evidence, ambiguity, other scripts ------------------------------

def _point(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def _line(*points: tuple[float, float]) -> dict:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


DESCRIBED = [
    make_feature("sahiwal", name="Sahiwal 2x660 MW Coal-Fired Power Plant", subtype="coal", capacity_mw=1320,
                 geometry=_point(73.238, 30.714)),
    make_feature("hub", name="China Power Hub 2x660 MW Coal-Fired Power Plant", subtype="coal", capacity_mw=1320,
                 province=["Balochistan"], geometry=_point(66.82, 25.05)),
    make_feature("qasp-400", name="Quaid-e-Azam Solar Park - 400 MW", subtype="solar", capacity_mw=400,
                 aliases=["Bahawalpur solar park"], geometry=_point(71.82, 29.33)),
    make_feature("qasp-600", name="Quaid-e-Azam Solar Park - remaining 600 MW", subtype="solar", capacity_mw=600,
                 geometry=_point(71.83, 29.34)),
    make_feature("k2", name="Karachi Nuclear Power Plant Unit 2 (K-2)", subtype="nuclear", aliases=["K-2", "KANUPP-2"],
                 province=["Sindh"], capacity_mw=1100, geometry=_point(66.79, 24.89), names={"ur": "کراچی ٹو"}),
    make_feature("k3", name="Karachi Nuclear Power Plant Unit 3 (K-3)", subtype="nuclear", aliases=["K-3", "KANUPP-3"],
                 province=["Sindh"], capacity_mw=1100, geometry=_point(66.791, 24.891)),
    make_feature("kohala", name="Kohala Hydropower Project", subtype="hydro", sector="hydro", capacity_mw=1124,
                 province=["Azad Jammu and Kashmir"], geometry=_point(73.49, 34.1)),
    make_feature("karot", name="Karot Hydropower Project", subtype="hydro", sector="hydro", capacity_mw=720,
                 geometry=_point(73.6, 33.6)),
    make_feature("ngia", name="New Gwadar International Airport", subtype="airport", sector="transport",
                 capacity_mw=None, aliases=["Gwadar International Airport (new)"], province=["Balochistan"],
                 names={"zh": "新瓜达尔国际机场"}, geometry=_point(62.43, 25.28)),
    make_feature("gwadar-port", name="Gwadar Port", subtype="seaport", sector="port", capacity_mw=None,
                 province=["Balochistan"], geometry=_point(62.33, 25.11)),
    make_feature("ml1", name="Main Line-1 (ML-1) railway upgrade", subtype="railway", sector="transport",
                 capacity_mw=None, aliases=["ML-1", "Mainline-1", "Karachi-Peshawar main line"],
                 geometry=_line((67.0, 24.86), (71.5, 30.2), (71.57, 34.0))),
    make_feature("kcr", name="Karachi Circular Railway", subtype="railway", sector="transport", capacity_mw=None,
                 geometry=_line((67.0, 24.86), (67.1, 24.95))),
    make_feature("m5", name="Multan-Sukkur Motorway (M-5)", subtype="motorway", sector="transport", capacity_mw=None,
                 length_km=392, geometry=_line((71.47, 30.2), (68.86, 27.7))),
    make_feature("ofc", name="Khunjerab-Rawalpindi Optical Fibre Cable", subtype="fibre", sector="digital",
                 capacity_mw=None, geometry=_line((75.4, 36.85), (73.05, 33.6))),
    make_feature("orange", name="Lahore Orange Line Metro Train", subtype="metro", sector="transport",
                 capacity_mw=None, aliases=["Orange Line"], geometry=_line((74.25, 31.6), (74.35, 31.45))),
    make_feature("metrobus", name="Lahore Metro Bus", subtype="bus_rapid_transit", sector="transport",
                 capacity_mw=None, aliases=["Metro Bus"], geometry=_line((74.3, 31.6), (74.36, 31.47))),
    make_feature("thar-engro", name="Engro Thar Block-II 660 MW Power Plant", subtype="coal", capacity_mw=660,
                 province=["Sindh"], geometry=_point(70.25, 24.75)),
    make_feature("thar-ssrl", name="SSRL Thar Block-I 1,320 MW Power Plant", subtype="coal", capacity_mw=1320,
                 province=["Sindh"], geometry=_point(70.3, 24.71)),
]


@pytest.fixture(scope="module")
def described() -> Matcher:
    return Matcher(frame_from_records([RawFeature("memory", i, f) for i, f in enumerate(DESCRIBED)]))


@pytest.mark.parametrize(("text", "expected"), [
    ("the coal plant near Sahiwal was shut", [("sahiwal", "coal plant near Sahiwal", "description")]),
    ("the new airport at Gwadar opened", [("ngia", "airport at Gwadar", "description")]),
    ("the big solar farm in Bahawalpur", [("qasp-400", "solar farm in Bahawalpur", "description")]),
    ("the K2 and K3 reactors", [("k2", "K2", "alias"), ("k3", "K3", "alias")]),
    ("Mainline-1 will be rebuilt", [("ml1", "Mainline-1", "alias")]),
    ("the fibre optic cable from Khunjerab to Rawalpindi",
     [("ofc", "fibre optic cable from Khunjerab to Rawalpindi", "route")]),
    ("Gwadar International Airport opened", [("ngia", "Gwadar International Airport", "alias")]),
    ("the Lahore metro is full", [("orange", "Lahore metro", "description")]),
])
def test_the_phrasings_of_the_issue_resolve(described, text, expected):
    result = described.extract(text)
    assert [(m.asset_id, m.text, m.rule) for m in result.mentions] == expected
    assert result.unmatched == () and result.ambiguous == ()


@pytest.mark.parametrize(("text", "expected"), [
    ("the 1,124 MW hydropower scheme was delayed", ["kohala"]),
    ("Gwadar's new airport", ["ngia"]),
    ("the coal-fired plant at Hub burns imported coal", ["hub"]),  # Hub is a GeoNames town 7 km away
    ("the motorway between Multan and Sukkur", ["m5"]),
    ("the Matiari to Lahore motorway", []),  # a route whose ends fit no motorway
    ("the railway line from Karachi to Peshawar", ["ml1"]),  # KCR has Karachi, not Peshawar
    ("Engro's 660 MW unit at Thar Block II", ["thar-engro"]),
    ("the 330 MW plant at Thar Block II", []),  # the figure contradicts every Thar plant
    ("the airport", []),  # a kind with no place or figure names nothing
    ("a coal plant in Punjab", []),  # a province alone singles out nothing
])
def test_a_kind_with_a_place_or_figure_beside_it(described, text, expected):
    assert ids(described, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Sahiwal city has grown, and traders there credit the coal plant on its outskirts", ["sahiwal"]),
    ("In Bahawalpur, the solar park run by Zonergy fell short of its rated 400 MW", ["qasp-400"]),
    ("In Bahawalpur, the solar park run by Zonergy fell short of its rated 600 MW", ["qasp-600"]),
    ("lorries now use the new motorway to reach Sukkur", ["m5"]),
    ("The fibre optic link that follows the highway up to Rawalpindi was cut", ["ofc"]),
    ("Sahiwal grew. The coal plant was shut", []),  # never from another sentence
    ("trucks bring port traffic to Gwadar", []),  # "port" qualifies "traffic": no noun phrase of its own
    ("the Sahiwal coal plant sent power to Hub while the plant was idle", ["sahiwal"]),  # "the plant": that one
    ("In Karachi, the reactor is being refuelled", []),  # K-2 or K-3: refused (reported ambiguous)
    ("the motorway east of Multan, near Sukkur", ["m5"]),
])
def test_a_kind_binds_the_nearest_place_or_figure_of_its_sentence(described, text, expected):
    assert ids(described, text) == expected


def test_evidence_from_afar_is_trusted_less_and_quotes_the_noun(described):
    (near,) = described.extract("the coal plant near Sahiwal").mentions
    (far,) = described.extract("Sahiwal city has grown, and traders there credit the coal plant on its outskirts").mentions
    assert (far.asset_id, far.text, far.rule) == ("sahiwal", "coal plant", "description")
    assert 0.5 <= far.confidence < near.confidence


def test_a_description_that_fits_several_assets_is_reported_ambiguous(described):
    result = described.extract("A reactor at the Karachi site tripped.", source="news.txt")
    assert result.mentions == ()
    (ambiguity,) = result.ambiguous
    assert (ambiguity.assets, ambiguity.text, ambiguity.source) == (("k2", "k3"), "reactor at the Karachi", "news.txt")


@pytest.mark.parametrize(("text", "expected"), [
    ("K-2 beside the nuclear plant", ["k2"]),
    ("the K-2 reactor went offline", ["k2"]),
    ("work on K-2 in Karachi", ["k2"]),
    ("climbers reached the summit of K-2", []),
    ("K2 is the second highest mountain", []),
    ("a logistics hub near Karachi", []),
    ("the Thar desert is dry", []),
    ("Sahiwal city has grown", []),
])
def test_context_decides(described, text, expected):
    result = described.extract(text)
    assert [m.asset_id for m in result.mentions] == expected
    assert result.unmatched == ()  # "Sahiwal city" is a town, not a project the catalog lacks


def test_every_mention_carries_its_evidence(described):
    text = "Intro.\n\nIn 2024 the Kohala Hydropower Project and the coal plant near Sahiwal were\nreviewed."
    first, second = described.extract(text, source="a.txt").mentions
    assert (first.rule, first.confidence, first.line, first.column) == ("name", 1.0, 3, 13)
    assert first.sentence == second.sentence == (
        "In 2024 the Kohala Hydropower Project and the coal plant near Sahiwal were reviewed.")
    assert (second.rule, second.source, text[second.start:second.end]) == ("description", "a.txt", "coal plant near Sahiwal")
    assert 0 < second.confidence < first.confidence <= 1
    assert set(first.to_dict()) >= {"text", "line", "column", "snippet", "source", "asset_id", "rule", "sentence",
                                    "confidence"}


def test_min_confidence_keeps_the_surer_mentions(described):
    result = described.extract("The Kohala Hydropower Project and the coal plant near Sahiwal.")
    assert [m.asset_id for m in result.at_least(0.8).mentions] == ["kohala"]
    assert [m.asset_id for m in result.at_least(0.0).mentions] == ["kohala", "sahiwal"]


def test_names_in_urdu_and_chinese(described):
    assert found(described, "机场名为新瓜达尔国际机场\uff0c于2025年启用。") == [("ngia", "新瓜达尔国际机场")]
    assert found(described, "کراچی ٹو بجلی گھر") == [("k2", "کراچی ٹو")]


def test_a_candidate_is_never_a_phrase_that_resolves(described):
    text = ("The Gwadar International Airport, the Karot Hydropower Project and the Dasu Hydropower Project. "
            "Officials visited the Sahiwal Coal Plant and the Mangla Dam.")
    result = described.extract(text)
    assert [c.text for c in result.unmatched] == ["Dasu Hydropower Project", "Mangla Dam"]
    for candidate in result.unmatched:
        assert described.extract(candidate.text).mentions == ()


def test_only_sentences_with_a_phrase_are_read(described):
    text = "Officials met in Lahore on Tuesday. Trade grew by 4 percent. The Karot Hydropower Project was finished."
    assert [text[a:b].strip() for a, b in described.sentences(text)] == ["The Karot Hydropower Project was finished."]


def test_a_long_sentence_is_read_from_whole_words(described):
    text = "supplies " * 100 + "reached the Karot Hydropower Project " + "downstream " * 100
    (span,) = described.sentences(text)
    assert text[span[0] - 1] == " " and text[span[1]] == " "
    assert ids(described, text) == ["karot"]


@pytest.fixture(scope="module")
def catalog_matcher() -> Matcher:
    from geo import load_catalog
    return Matcher(load_catalog())


@pytest.mark.parametrize(("text", "assets"), [
    ("Work resumed on the Suki Kinari and Karot plants last week.",
     {"suki-kinari-hydropower-project", "karot-hydropower-project"}),
    ("Lenders visited the sister plants at Sahiwal and Port Qasim.",
     {"sahiwal-coal-power-plant", "port-qasim-coal-power-plant"}),
    ("The twin 660 MW coal units at Port Qasim were idle in May.", {"port-qasim-coal-power-plant"}),
    ("Officials toured the 884 MW scheme on the Kunhar.", {"suki-kinari-hydropower-project"}),
    ("The stretch from Hoshab to Surab was resurfaced.", {"n-85-hoshab-surab"}),
    ("ملتان سکھر موٹروے بند رہی\u06d4", {"multan-sukkur-motorway"}),
    ("ديامر بھاشا ڈيم پر کام جاری ہے\u06d4", {"diamer-bhasha-dam"}),
])
def test_plurals_generic_nouns_routes_and_urdu_spellings(catalog_matcher, text, assets):
    assert {m.asset_id for m in catalog_matcher.extract(text).mentions} == assets


@pytest.mark.parametrize("text", [
    "Tourists bound for the Attabad lake use the same road.",
    "A tank repair facility at Taxila was built in the 1970s.",
    "The section was closed by snow.",
    "Another coal plant at Sahiwal is not planned.",
])
def test_phrases_that_name_no_asset(catalog_matcher, text):
    assert catalog_matcher.extract(text).mentions == ()
