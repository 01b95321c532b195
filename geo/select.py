"""Select assets: one function serves list, build and export, so a filter means the same everywhere.

Filters combine as AND across arguments and OR within one argument. Vocabulary words match regardless of
case (``Energy``, ``sindh``); ids match exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import shapely

from .errors import SelectionError
from .schema import PROVINCES, SECTORS, STATUSES, suggest

Values = str | Iterable[str] | None


def _as_set(values: Values, allowed: Sequence[str] | None, option: str) -> set[str] | None:
    """The chosen values, each spelled as the vocabulary spells it."""
    if values is None:
        return None
    chosen = {values} if isinstance(values, str) else set(values)
    if not chosen or allowed is None:
        return chosen or None
    spelled = {word.casefold(): word for word in allowed}
    for value in sorted(chosen, key=str):
        if not isinstance(value, str) or value.casefold() not in spelled:
            raise SelectionError(f"{value!r} is not a known value; {suggest(value, list(allowed))}", field=f"--{option}")
    return {spelled[value.casefold()] for value in chosen}


def parse_bbox(bbox: str | Sequence[float]) -> tuple[float, float, float, float]:
    """``minlon,minlat,maxlon,maxlat`` (text or four numbers) as four floats, checked."""
    shown = bbox if isinstance(bbox, str) else tuple(bbox) if isinstance(bbox, Sequence) else bbox
    try:
        values = tuple(float(v) for v in (bbox.split(",") if isinstance(bbox, str) else bbox))
    except (TypeError, ValueError):
        values = ()
    if len(values) != 4:
        raise SelectionError(f"{shown!r} is not minlon,minlat,maxlon,maxlat", field="--bbox")
    minlon, minlat, maxlon, maxlat = values
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        raise SelectionError(f"{shown!r}: need -180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90",
                             field="--bbox")
    return values  # type: ignore[return-value]


def select(
    catalog: gpd.GeoDataFrame,
    *,
    sector: Values = None,
    status: Values = None,
    province: Values = None,
    bbox: Sequence[float] | str | None = None,
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
        box = shapely.box(*parse_bbox(bbox))
        keep &= shapely.intersects(catalog.geometry.values, box)
    return catalog[keep.to_numpy()]
