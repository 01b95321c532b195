"""The validator's fast path (fastjsonschema) and its slow path (jsonschema, which says what is wrong) agree on
every input: where they disagreed, a feature was refused and nothing was reported, or passed unchecked."""

from __future__ import annotations

import fastjsonschema
from conftest import make_feature
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.reader import RawFeature
from geo.schema import properties_schema
from geo.validate import _properties_are_valid, _properties_validator, check_properties


def _patterns(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
        return own + [p for value in node.values() for p in _patterns(value)]
    return [p for value in node for p in _patterns(value)] if isinstance(node, list) else []


PATTERNS = sorted(set(_patterns(properties_schema())))
# Strings that nearly match each pattern of the schema, with the endings Python's $ lets through.
near_patterns = st.one_of(*(st.from_regex(p.replace("\\Z", "$"), fullmatch=False) for p in PATTERNS)).flatmap(
    lambda s: st.sampled_from([s, s + "\n", s + "\r\n", "\n" + s, s.strip()]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(1900, 2200).map(float),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12), near_patterns)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)
FIELDS = list(make_feature()["properties"])


@st.composite
def properties(draw: st.DrawFn) -> dict:
    props = make_feature()["properties"]
    for _ in range(draw(st.integers(1, 3))):
        field = draw(st.sampled_from(FIELDS))
        where = props
        if isinstance(props[field], list) and props[field] and isinstance(props[field][0], dict) and props[field][0] \
                and draw(st.booleans()):
            where, field = props[field][0], draw(st.sampled_from(sorted(props[field][0])))  # inside sources, history
        where[field] = draw(st.one_of(values, near_patterns, scalars))
    return props


def fast_says_valid(props: dict) -> bool:
    try:
        _properties_are_valid()(props)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(properties())
def test_fast_and_slow_paths_agree(props):
    slow_errors = list(_properties_validator().iter_errors(props))
    assert fast_says_valid(props) == (not slow_errors), [e.message for e in slow_errors]
    issues = list(check_properties(RawFeature("x.geojson", 0, {"type": "Feature", "properties": props})))
    assert bool(issues) == bool(slow_errors)


def test_a_trailing_newline_does_not_match():
    for fid in ("plant-a\n", "plant-a\r\n"):
        props = make_feature(fid)["properties"]
        assert not fast_says_valid(props)
        assert [e.validator for e in _properties_validator().iter_errors(props)] == ["pattern"]


def test_a_whole_float_year_is_an_integer_to_both():
    props = make_feature(start_year=2015.0)["properties"]  # JSON Schema draft 7: 2015.0 is an integer
    assert fast_says_valid(props)
    assert list(_properties_validator().iter_errors(props)) == []


coordinates = st.one_of(st.floats(-180, 180), st.integers(-180, 180), st.booleans(), st.none(), st.text(max_size=3),
                        st.floats(allow_nan=True, allow_infinity=True), st.floats(-90, 90).map(lambda v: round(v, 6)),
                        st.integers(10**300, 10**310))
positions = st.lists(coordinates, min_size=0, max_size=4)


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 3).flatmap(lambda depth: st.tuples(st.just(depth), st.recursive(
    positions, lambda inner: st.lists(inner, max_size=3), max_leaves=6))))
def test_fast_and_slow_coordinate_checks_agree(case):
    from geo.validate import _plainly_sound, _walk_positions

    depth, coords = case
    assert _plainly_sound(coords, depth) == (not list(_walk_positions(coords, depth, "coordinates")))


def test_a_web_source_needs_its_url():
    props = make_feature()["properties"]
    props["sources"].append({"kind": "web", "title": "A page", "author": "Someone", "year": 2025, "supports": ["status"],
                             "date": "2025-01-02"})
    assert not fast_says_valid(props)
    assert [e.message for e in _properties_validator().iter_errors(props)] == ["'url' is a required property"]
    props["sources"][-1]["url"] = "https://example.org/page"
    assert fast_says_valid(props) and not list(_properties_validator().iter_errors(props))
