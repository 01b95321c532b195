"""The extractor's inverted lookups (assets near a place, assets with a figure) against checking every asset."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo import load_catalog
from geo.extract.index import NEAR_KM, CatalogIndex, figure_agrees
from geo.extract.words import UNITS
from geo.gazetteer import km_from, lookup, towns


def _every(ix: CatalogIndex, place: str) -> set[str]:
    found = lookup(place)
    return {fid for fid, g in ix.geometry.items() if g is not None and any(km_from(g, t) <= NEAR_KM for t in found)}


def _random_catalog(seed: int, n: int = 400) -> pd.DataFrame:
    """Points, lines and boxes scattered over Pakistan, some on a town's edge, with random figures."""
    rng = np.random.default_rng(seed)
    places = towns()[:200]
    rows = []
    for k in range(n):
        town = places[int(rng.integers(len(places)))]
        # within ~0.2-0.6 degrees of the town: many fall either side of NEAR_KM
        x, y = town.lon + rng.uniform(-0.6, 0.6), town.lat + rng.uniform(-0.45, 0.45)
        shape = k % 3
        geom = (shapely.Point(x, y) if shape == 0 else
                shapely.LineString([(x, y), (x + rng.uniform(-0.5, 0.5), y + rng.uniform(-0.5, 0.5))]) if shape == 1 else
                shapely.box(x, y, x + 0.05, y + 0.04))
        rows.append({"id": f"a{k}", "name": f"Asset {k}", "subtype": "coal", "province": ["Punjab"], "geometry": geom,
                     "capacity_mw": float(rng.choice([100, 300, 660, 1320])) * rng.uniform(0.98, 1.02),
                     "length_km": None if k % 2 else float(rng.uniform(10, 900))})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("source", ["shipped", "random-1", "random-2"])
def test_near_and_figure_lookups_equal_checking_every_asset(source):
    frame = load_catalog() if source == "shipped" else _random_catalog(int(source[-1]))
    ix = CatalogIndex.build(frame)
    names = {t.name.lower() for t in towns()[:150]} | {w for words in ix.words.values() for w in words}
    near = 0
    for place in sorted(names):
        assert ix.near_assets(place) == _every(ix, place), place
        near += len(ix.near_assets(place))
    assert near > 0  # the check compared something
    for unit in set(UNITS.values()):
        known = sorted({v for f in ix.figures.values() if (v := f.get(unit)) is not None})
        for value in [*known, 1.0, 50.0]:
            for v in {value, value * 1.0299, value * 1.0301, value * 0.9701, value * 0.9699}:
                expected = {fid for fid, f in ix.figures.items() if unit in f and figure_agrees(f[unit], v)}
                assert ix.figure_fits(unit, {v}) == expected, (unit, v)

