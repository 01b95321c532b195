"""Load the catalog: read, validate, and hand back a GeoDataFrame that later stages can trust."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np

from .errors import CatalogError
from .reader import RawFeature
from .schema import YEAR_FIELDS, required_properties
from .validate import gc_paused, parse_geometries, read_checked, validate_features


def frame_from_records(records: list[RawFeature], geometries: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """A GeoDataFrame (EPSG:4326) of validated features; list-valued properties stay lists.
    ``geometries``: the records' shapely geometries when validation has already parsed them."""
    rows = [rec.data["properties"] for rec in records]
    geoms = parse_geometries(records) if geometries is None else geometries
    columns = list(dict.fromkeys([*required_properties(), *(k for row in rows for k in row)]))
    frame = gpd.GeoDataFrame(
        {col: [row.get(col) for row in rows] for col in columns},
        geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"),
    )
    for column in YEAR_FIELDS:  # whole years, not floats, even with gaps
        frame[column] = frame[column].astype("Int64")
    return frame


def load_catalog(
    paths: Iterable[str | Path] | None = None, *, documents_dir: str | Path | None = None
) -> gpd.GeoDataFrame:
    """The validated catalog as a GeoDataFrame; raises CatalogError naming the first problem."""
    with gc_paused():
        records, file_issues = read_checked(paths)
        report = validate_features(records, Path(documents_dir) if documents_dir else None)
        issues = file_issues + report.issues
        if issues:
            rest = len(issues) - 1
            more = f" (and {rest} more problem{'s' * (rest > 1)}; run `cpec-map validate`)" if rest else ""
            raise CatalogError(f"{issues[0]}{more}")
        return frame_from_records(records, report.geometries)


def property_records(frame: gpd.GeoDataFrame) -> list[dict]:
    """Each row's properties as plain JSON-ready values (missing numbers become None, not NaN)."""
    plain = frame.drop(columns=frame.geometry.name).astype(object)
    plain = plain.where(plain.notna(), None)
    return plain.to_dict(orient="records")
