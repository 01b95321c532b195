"""One selection logic: AND across filters, OR within one, unknown words refused."""

from __future__ import annotations

import pytest

from geo import load_catalog, select
from geo.errors import SelectionError


@pytest.fixture
def catalog(small_catalog):
    return load_catalog([small_catalog])


def ids(frame):
    return sorted(frame["id"])


def test_no_filter_keeps_all(catalog):
    assert ids(select(catalog)) == ["plant-a", "road-b", "zone-c"]


def test_or_within_and_across(catalog):
    assert ids(select(catalog, sector=["energy", "transport"])) == ["plant-a", "road-b"]
    assert ids(select(catalog, sector=["energy", "transport"], status="planned")) == ["road-b"]
    assert ids(select(catalog, province="Sindh")) == ["road-b", "zone-c"]
    assert ids(select(catalog, province="Sindh", sector="industry")) == ["zone-c"]
    assert ids(select(catalog, id=["zone-c", "plant-a"])) == ["plant-a", "zone-c"]


def test_bbox(catalog):
    assert ids(select(catalog, bbox="67,24,68,26")) == ["zone-c"]
    assert ids(select(catalog, bbox=(68, 27, 74, 31))) == ["plant-a", "road-b"]
    assert ids(select(catalog, bbox=(68, 27, 72, 31))) == ["road-b"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"status": "operating"}, "did you mean 'operational'"),
        ({"sector": "Enrgy"}, "did you mean 'energy'"),
        ({"province": "Punjab province"}, "did you mean 'Punjab'"),
        ({"bbox": "1,2,3"}, "minlon,minlat,maxlon,maxlat"),
        ({"bbox": "70,30,60,35"}, "minlon < maxlon"),
        ({"bbox": (1, 2, 3)}, "minlon,minlat,maxlon,maxlat"),
        ({"bbox": (70, 30, 60, 35)}, "minlon < maxlon"),
        ({"bbox": (60, 35, 70, 30)}, "minlat < maxlat"),
        ({"bbox": 5}, "minlon,minlat,maxlon,maxlat"),
    ],
)
def test_bad_filters(catalog, kwargs, fragment):
    with pytest.raises(SelectionError, match=fragment):
        select(catalog, **kwargs)


def test_empty_selection_is_an_empty_frame(catalog):
    out = select(catalog, sector="digital")
    assert len(out) == 0
    assert list(out.columns) == list(catalog.columns)


def test_vocabulary_words_match_regardless_of_case(catalog):
    assert ids(select(catalog, sector="Energy")) == ["plant-a"]
    assert ids(select(catalog, province="sindh", status=["PLANNED", "Under_Construction"])) == ["road-b", "zone-c"]


def test_cli_filter_words_match_regardless_of_case(small_catalog):
    from click.testing import CliRunner

    from geo.cli import main

    result = CliRunner().invoke(main, ["list", "--data", str(small_catalog), "--sector", "Transport", "--province", "sindh"])
    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["road-b"]
    assert result.stderr == "1 asset\n"
