"""Select assets: one function serves list, build and export, so a filter means the same everywhere.

Filters combine as AND across arguments and OR within one argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import shapely

from .errors import SelectionError
from .schema import PROVINCES, SECTORS, STATUSES, suggest

Values = str | Iterable[str] | None


def _as_set(values: Values, allowed: Sequence[str] | None, option: str) -> set[str] | None:
    if values is None:
        return None
    chosen = {values} if isinstance(values, str) else set(values)
    if not chosen:
        return None
    if allowed is not None:
        for value in sorted(chosen):
            if value not in allowed:
                raise SelectionError(f"{value!r} is not a known value; {suggest(value, list(allowed))}", field=f"--{option}")
    return chosen


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``minlon,minlat,maxlon,maxlat`` as four floats, checked."""
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise SelectionError(f"{text!r} is not minlon,minlat,maxlon,maxlat", field="--bbox")
    minlon, minlat, maxlon, maxlat = values
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        raise SelectionError(f"{text!r}: need -180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90", field="--bbox")
    return values  # type: ignore[return-value]


def select(
    catalog: gpd.GeoDataFrame,
    *,
    sector: Values = None,
    status: Values = None,
    province: Values = None,
    bbox: tuple[float, float, float, float] | str | None = None,
    id: Values = None,
) -> gpd.GeoDataFrame:
    """The assets matching every given filter (any of the values given for one filter)."""
    keep = gpd.pd.Series(True, index=catalog.index)
    for column, values, allowed in (("sector", sector, SECTORS), ("status", status, STATUSES), ("id", id, None)):
        chosen = _as_set(values, allowed, column)
        if chosen is not None:
            keep &= catalog[column].isin(chosen)
    provinces = _as_set(province, PROVINCES, "province")
    if provinces is not None:
        keep &= catalog["province"].map(lambda ps: bool(provinces.intersection(ps or ())))
    if bbox is not None:
        box = shapely.box(*(parse_bbox(bbox) if isinstance(bbox, str) else bbox))
        keep &= shapely.intersects(catalog.geometry.values, box)
    return catalog[keep.to_numpy()]
