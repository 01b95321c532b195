"""Time: the catalog as of a date, and what changed in a window, on a fixture whose story is known."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import collection, make_feature

from geo import load_catalog
from geo.cli import main
from geo.errors import SelectionError
from geo.history import as_of, changes, period


def _entry(date: str, status: str, url: str | None = None) -> dict:
    cited = {"source": {"title": "t", "url": url}} if url else {"note": "editors: fixture"}
    return {"date": date, "status": status, "event": f"{status} on {date}", **cited}


# A plant planned in 2014, built from March 2015, running from 2017; a road planned in 2016,
# started in 2018, stalled in mid-2020 and revived in 2022; a zone announced only in 2021.
PLANT = make_feature("plant", status="operational", status_as_of="2025", start_year=2015, completion_year=2017,
                     status_history=[_entry("2014-11", "planned", "https://example.org/mou"),
                                     _entry("2015-03-10", "under_construction"),
                                     _entry("2017-10", "operational", "https://example.org/cod"),
                                     _entry("2025", "operational")])
ROAD = make_feature("road", status="under_construction", status_as_of="2022-05", start_year=2018, completion_year=None,
                    status_history=[_entry("2016", "planned"), _entry("2018-01", "under_construction"),
                                    _entry("2020-07", "stalled"), _entry("2022-05", "under_construction")])
ZONE = make_feature("zone", status="planned", status_as_of="2021", start_year=None, completion_year=None,
                    status_history=[_entry("2021", "planned")])


@pytest.fixture
def story(write_catalog) -> Path:
    return write_catalog(collection(PLANT, ROAD, ZONE))


def statuses(frame) -> dict[str, str]:
    return dict(zip(frame["id"], frame["status"], strict=True))


@pytest.mark.parametrize(("date", "expected"), [
    ("2013", {}),
    ("2014-10", {}),
    ("2014", {"plant": "planned"}),
    ("2015-03-09", {"plant": "planned"}),
    ("2015-03-10", {"plant": "under_construction"}),
    ("2016", {"plant": "under_construction", "road": "planned"}),
    ("2017-09", {"plant": "under_construction", "road": "planned"}),
    ("2018", {"plant": "operational", "road": "under_construction"}),
    ("2020-06", {"plant": "operational", "road": "under_construction"}),
    ("2020", {"plant": "operational", "road": "stalled"}),
    ("2021", {"plant": "operational", "road": "stalled", "zone": "planned"}),
    ("2030", {"plant": "operational", "road": "under_construction", "zone": "planned"}),
])
def test_as_of_shows_what_was_known_by_the_end_of_the_date(story, date, expected):
    assert statuses(as_of(load_catalog([story]), date)) == expected


def test_as_of_cuts_the_history_and_dates_the_status(story):
    snapshot = as_of(load_catalog([story]), "2020").set_index("id")
    assert [e["date"] for e in snapshot.loc["road", "status_history"]] == ["2016", "2018-01", "2020-07"]
    assert snapshot.loc["road", "status_as_of"] == "2020-07"


@pytest.mark.parametrize("bad", ["2016-13", "16", "2016-02-30", "last year", ""])
def test_bad_dates_are_refused(story, bad):
    with pytest.raises(SelectionError):
        as_of(load_catalog([story]), bad)


def test_year_and_month_dates_stand_for_their_whole_period():
    assert [str(d) for d in period("2016")] == ["2016-01-01", "2016-12-31"]
    assert [str(d) for d in period("2024-02")] == ["2024-02-01", "2024-02-29"]


def test_changes_in_a_window_are_the_known_transitions(story):
    found = [(c.id, c.date, c.before, c.after) for c in changes(load_catalog([story]), "2017", "2020")]
    assert found == [("plant", "2017-10", "under_construction", "operational"),
                     ("road", "2018-01", "planned", "under_construction"),
                     ("road", "2020-07", "under_construction", "stalled")]


def test_a_confirmation_is_not_a_change_and_entering_the_plan_is(story):
    found = [(c.id, c.before, c.after) for c in changes(load_catalog([story]), "2021")]
    assert found == [("zone", None, "planned"), ("road", "stalled", "under_construction")]


def test_changes_equal_the_difference_between_two_snapshots(story):
    catalog = load_catalog([story])
    for year in range(2014, 2024):
        before, after = statuses(as_of(catalog, str(year - 1))), statuses(as_of(catalog, str(year)))
        moved = {c.id: c.after for c in changes(catalog, str(year), str(year))}
        assert moved == {k: v for k, v in after.items() if before.get(k) != v}, year


def test_changes_cite_the_page_or_the_editors(story):
    first = changes(load_catalog([story]), "2014", "2014")[0]
    assert first.source == "https://example.org/mou"
    assert changes(load_catalog([story]), "2015", "2015")[0].source.startswith("editors:")


def test_until_before_since_is_refused(story):
    with pytest.raises(SelectionError, match="before"):
        changes(load_catalog([story]), "2020", "2019")


def test_changes_command_answers_what_was_finished_in_a_year(story):
    runner = CliRunner()
    done = runner.invoke(main, ["changes", "--data", str(story), "--since", "2017", "--until", "2017", "--to", "operational",
                                "--format", "json"])
    assert done.exit_code == 0, done.output
    assert [(c["id"], c["after"]) for c in json.loads(done.stdout)] == [("plant", "operational")]
    located = runner.invoke(main, ["changes", "--data", str(story), "--since", "2020", "--format", "geojson"])
    features = json.loads(located.stdout)["features"]
    assert [(f["properties"]["id"], f["geometry"]["type"]) for f in features] == [("road", "Point"), ("zone", "Point"),
                                                                                 ("road", "Point")]
    bad = runner.invoke(main, ["changes", "--data", str(story), "--since", "20x0"])
    assert bad.exit_code == 2 and "YYYY" in bad.output


def test_as_of_option_winds_list_and_export_back(story, tmp_path):
    runner = CliRunner()
    listed = runner.invoke(main, ["list", "--data", str(story), "--as-of", "2016", "--format", "json"])
    assert {(r["id"], r["status"]) for r in json.loads(listed.stdout)} == {("plant", "under_construction"),
                                                                           ("road", "planned")}
    filtered = runner.invoke(main, ["list", "--data", str(story), "--as-of", "2016", "--status", "planned", "--format", "csv"])
    assert [line.split(",")[0] for line in filtered.stdout.splitlines()[1:]] == ["road"]
    out = tmp_path / "then.geojson"
    assert runner.invoke(main, ["export", "--data", str(story), "--as-of", "2014", "-o", str(out)]).exit_code == 0
    assert [f["properties"]["id"] for f in json.loads(out.read_text())["features"]] == ["plant"]


def test_as_of_an_empty_selection_is_empty(story):
    nothing = load_catalog([story]).iloc[:0]
    assert as_of(nothing, "2020").empty and list(as_of(nothing, "2020").columns) == list(nothing.columns)
