"""Export a selection to the files GIS tools open: GeoJSON, GeoPackage, FlatGeobuf, CSV, KML, GeoJSON Lines.

The format comes from the file's extension unless named; an extension we do not know is an error,
never a silent default. Every export is built under a temporary name beside the target and renamed
over it, so the target is either the complete new file or the earlier one.

GeoJSON and GeoJSON Lines are written here, by geo.files.dump_geojson, so they are RFC 7946 exactly (no ``crs``
member, 6 decimals, counter-clockwise exteriors, lists as JSON arrays); ``feature_collection`` is the one place
a frame becomes GeoJSON, for exports and the extractor alike. Figures are always reals and years integers,
so a reader such as GDAL gives a field the same type whichever assets were selected. The other formats go through
GDAL (pyogrio); none of them has a list type every reader understands, so list- and dict-valued
properties (``aliases``, ``province``, ``sources``, ``disputes``) are written there as JSON text.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import pyogrio.errors
import shapely
from shapely.geometry import mapping

from .catalog import property_records
from .csv_sidecars import readable, write_sidecars
from .errors import ExportError
from .files import dump_geojson, keep_mode
from .kml_style import style_kml
from .qgis_style import style_geopackage
from .schema import NUMERIC_FIELDS, YEAR_FIELDS


@dataclass(frozen=True)
class Format:
    """One output format: the ``format=`` word, the name people know it by, its usual extension."""

    name: str
    label: str
    extension: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("geojson", "GeoJSON", ".geojson"),
        Format("gpkg", "GeoPackage", ".gpkg"),
        Format("fgb", "FlatGeobuf", ".fgb"),
        Format("csv", "CSV", ".csv"),
        Format("kml", "KML", ".kml"),
        Format("geojsonl", "GeoJSON Lines", ".geojsonl"),
    )
}

EXTENSIONS: dict[str, str] = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".fgb": "fgb",
    ".csv": "csv",
    ".kml": "kml",
    ".geojsonl": "geojsonl",
    ".geojsons": "geojsonl",
    ".ndjson": "geojsonl",
}

# GeoPackage layers by geometry family: QGIS wants one geometry type per layer.
GPKG_LAYERS = {
    "Point": "cpec_points",
    "MultiPoint": "cpec_points",
    "LineString": "cpec_lines",
    "MultiLineString": "cpec_lines",
    "Polygon": "cpec_polygons",
    "MultiPolygon": "cpec_polygons",
}
GPKG_OTHER_LAYER = "cpec_assets"  # missing geometries, collections, and the one layer of an empty export

STDOUT = "-"


@dataclass(frozen=True)
class ExportResult:
    """What was written: the path ("-" for standard output), format word, feature count, layer names."""

    path: str
    format: str
    count: int
    layers: tuple[str, ...]


def export_format(path: str | Path, format: str | None = None) -> Format:
    """The format to write: the one named, else the one the extension says (standard output: GeoJSON)."""
    if format is not None:
        fmt = FORMATS.get(format.lower())
        if fmt is None:
            raise ExportError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}", field="--format")
    elif str(path) == STDOUT:
        fmt = FORMATS["geojson"]
    else:
        suffix = Path(path).suffix.lower()
        if suffix not in EXTENSIONS:
            shown = repr(suffix) if suffix else "no extension"
            accepted = ", ".join(EXTENSIONS)
            raise ExportError(f"cannot tell the format from {shown}; use one of {accepted} or name it with --format",
                              path=path)
        fmt = FORMATS[EXTENSIONS[suffix]]
    if str(path) == STDOUT and fmt.name not in _STREAMS:
        raise ExportError(f"{fmt.label} cannot go to standard output; give -o a file name ending {fmt.extension}")
    return fmt


def export(frame: gpd.GeoDataFrame, path: str | Path, format: str | None = None) -> ExportResult:
    """Write ``frame`` to ``path`` ("-": GeoJSON on standard output) in ``format`` (default: from the extension).

    A frame without a CRS is taken to be WGS84, the catalog's CRS. Raises ExportError, before writing
    anything, for an unknown format or an unusable target, and after removing any partial file for a
    failed write; an earlier file at ``path`` is left as it was.
    """
    fmt = export_format(path, format)
    prepared = _prepared(frame)
    if str(path) == STDOUT:
        sys.stdout.write(_STREAMS[fmt.name](prepared))
        sys.stdout.flush()
        return ExportResult(STDOUT, fmt.name, len(prepared), ())
    target = Path(path)
    _check_target(target)
    layers = _write_atomically(prepared, target, fmt)
    if fmt.name == "csv":
        write_sidecars(prepared, target)  # types, CRS, and the long lists whole
    return ExportResult(str(target), fmt.name, len(prepared), layers)


def _check_target(target: Path) -> None:
    """Refuse before writing anything, so the failure names the real cause rather than a temporary file."""
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"folder {str(folder)!r} does not exist; create it first or write elsewhere", path=target)
    if target.is_dir():
        raise ExportError("is a folder; give a file name", path=target)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"folder {str(folder)!r} is not writable; write elsewhere", path=target)
    if target.exists() and not os.access(target, os.W_OK):
        raise ExportError("is read-only; make it writable (chmod u+w) or write elsewhere", path=target)


def _write_atomically(frame: gpd.GeoDataFrame, target: Path, fmt: Format) -> tuple[str, ...]:
    """Build the whole file (every layer) in a scratch folder beside the target, then rename it into place.

    The scratch file carries the format's own extension because GDAL drivers look at it (FlatGeobuf
    writes a folder of files for a name not ending ``.fgb``).
    """
    scratch_dir: Path | None = None
    try:
        scratch_dir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        scratch = scratch_dir / f"{target.stem}{fmt.extension}"
        layers = _WRITERS[fmt.name](frame, scratch)
        keep_mode(scratch, target)
        os.replace(scratch, target)
    except OSError as exc:
        raise ExportError(f"could not write {fmt.label}: {exc.strerror or exc}", path=target) from exc
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise ExportError(f"GDAL could not write {fmt.label}: {exc}", path=target) from exc
    finally:
        if scratch_dir is not None:
            shutil.rmtree(scratch_dir, ignore_errors=True)
    return layers


def _round6(coords: np.ndarray) -> np.ndarray:
    return np.round(coords, 6)


def _prepared(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """WGS84, coordinates at 6 decimals (about 0.1 m), polygon exteriors counter-clockwise, in every format."""
    geometry = frame.geometry.set_crs(4326) if frame.crs is None else frame.geometry.to_crs(4326)
    values = shapely.orient_polygons(shapely.transform(geometry.to_numpy(), _round6), exterior_cw=False)
    return gpd.GeoDataFrame(
        frame.drop(columns=frame.geometry.name), geometry=gpd.GeoSeries(values, index=frame.index, crs=4326)
    )


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _json_value(value: Any, column: str | None = None) -> Any:
    """A property as plain JSON: numpy values unwrapped; a figure always a real (1320.0), a year always an integer."""
    if isinstance(value, np.ndarray):
        return [_json_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if column in NUMERIC_FIELDS:
            return float(value)
        if column in YEAR_FIELDS:
            return int(value)
    return value


def _json_text(value: Any) -> str | None:
    """A list or dict as JSON text, for formats without list types; missing stays missing (NULL)."""
    return None if _is_missing(value) else json.dumps(_json_value(value), ensure_ascii=False)


def _features(frame: gpd.GeoDataFrame) -> Iterator[dict[str, Any]]:
    """RFC 7946 Features, members and properties in a fixed order (the frame's column order)."""
    for props, geom in zip(property_records(frame), frame.geometry.to_numpy(), strict=True):
        geometry = None if geom is None else mapping(geom)  # coordinates already rounded by _prepared
        yield {"type": "Feature", "geometry": geometry, "properties": {k: _json_value(v, k) for k, v in props.items()}}


def feature_collection(frame: gpd.GeoDataFrame) -> dict[str, Any]:
    """``frame`` as an RFC 7946 FeatureCollection, exactly as a GeoJSON export holds it (write it with dump_geojson)."""
    return {"type": "FeatureCollection", "features": list(_features(_prepared(frame)))}


def _feature_collection(frame: gpd.GeoDataFrame) -> str:
    """A FeatureCollection with one Feature per line, so diffs and ``grep`` stay readable."""
    return dump_geojson({"type": "FeatureCollection", "features": list(_features(frame))}, "features")


def _feature_lines(frame: gpd.GeoDataFrame) -> str:
    """GeoJSON Lines (GDAL's GeoJSONSeq): one Feature per line; no features is an empty file."""
    return dump_geojson({"type": "FeatureCollection", "features": list(_features(frame))}, "lines")


_STREAMS: dict[str, Callable[[gpd.GeoDataFrame], str]] = {
    "geojson": _feature_collection,
    "geojsonl": _feature_lines,
}


def _write_text(frame: gpd.GeoDataFrame, scratch: Path, text: Callable[[gpd.GeoDataFrame], str]) -> tuple[str, ...]:
    scratch.write_text(text(frame), encoding="utf-8")
    return (scratch.stem,)


def _only_booleans(values: Any) -> bool:
    present = [v for v in values if not _is_missing(v)]
    return bool(present) and all(isinstance(v, bool | np.bool_) for v in present)


def _csv_cell(value: Any, column: str | None = None) -> str:
    if _is_missing(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return json.dumps(bool(value))
    if isinstance(value, list | dict | np.ndarray):
        return _json_text(value) or ""
    return str(_json_value(value, column))


def _write_csv(frame: gpd.GeoDataFrame, scratch: Path) -> tuple[str, ...]:
    """Properties (lists as JSON text, flags as ``true``/``false``), then ``wkt`` (the geometry) and ``lon``/``lat``
    of a point on it, for spreadsheets.

    UTF-8 with a byte-order mark: Excel needs it to read non-ASCII names right, and GDAL, QGIS,
    pandas and Python's ``utf-8-sig`` skip it. GDAL takes the ``wkt`` column as the geometry.
    """
    frame = readable(frame, scratch.stem)  # sources and status history summarised; whole in the sidecars
    columns = [c for c in frame.columns if c != frame.geometry.name]
    geoms = frame.geometry.to_numpy()
    points = shapely.point_on_surface(geoms)
    wkts = shapely.to_wkt(geoms, rounding_precision=6, trim=True)
    with scratch.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*columns, "wkt", "lon", "lat"])
        for props, wkt, lon, lat in zip(property_records(frame), wkts, shapely.get_x(points), shapely.get_y(points),
                                        strict=True):
            writer.writerow([*(_csv_cell(props[c], c) for c in columns), wkt or "", _csv_cell(round(lon, 6)),
                             _csv_cell(round(lat, 6))])
    return (scratch.stem,)


def _gdal_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns in types every GDAL format holds: lists and dicts as JSON text, figures as reals, years as integers,
    flags (``schematic_route``) as booleans rather than the text "True"."""
    out = frame.copy()
    for column in out.columns.drop(out.geometry.name):
        values = out[column]
        if column in NUMERIC_FIELDS:
            out[column] = values.astype("float64")
        elif column in YEAR_FIELDS:
            out[column] = values.astype("float64").astype("Int32")
        elif values.map(lambda v: isinstance(v, list | dict | np.ndarray)).any():
            out[column] = values.map(_json_text).astype(object)
        elif _only_booleans(values):
            out[column] = values.astype("boolean")
    return out


def _write_gdal(frame: gpd.GeoDataFrame, scratch: Path, driver: str) -> tuple[str, ...]:
    pyogrio.write_dataframe(_gdal_frame(frame), scratch, layer=scratch.stem, driver=driver)
    return (scratch.stem,)


@functools.cache
def _kml_driver() -> str:
    """LIBKML writes typed ExtendedData that Google Earth shows; GDAL's plain KML driver is the fallback."""
    return "LIBKML" if "LIBKML" in pyogrio.list_drivers(write=True) else "KML"


def _write_kml(frame: gpd.GeoDataFrame, scratch: Path) -> tuple[str, ...]:
    layers = _write_gdal(frame, scratch, _kml_driver())
    style_kml(scratch, frame)  # Google Earth shows status colours, sector icons and a balloon per asset
    return layers


def _write_gpkg(frame: gpd.GeoDataFrame, scratch: Path) -> tuple[str, ...]:
    """One layer per geometry family, all in EPSG:4326; pyogrio promotes a layer's mixed single/multi parts to multi.

    GeoPackage 1.2 rather than GDAL's newest (1.4): older GDAL, and the QGIS and ArcGIS builds on it,
    warn that they only partly support a newer file.
    """
    table = _gdal_frame(frame)
    families = table.geometry.geom_type.map(GPKG_LAYERS).fillna(GPKG_OTHER_LAYER)
    names = [n for n in dict.fromkeys([*GPKG_LAYERS.values(), GPKG_OTHER_LAYER]) if (families == n).any()]
    names = names or [GPKG_OTHER_LAYER]  # an empty selection still gets its (empty) layer
    for name in names:
        pyogrio.write_dataframe(table[(families == name).to_numpy()], scratch, layer=name, driver="GPKG",
                                dataset_options={"VERSION": "1.2"})
    style_geopackage(scratch)  # QGIS opens each layer styled, with its description
    return tuple(names)


_WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path], tuple[str, ...]]] = {
    "geojson": functools.partial(_write_text, text=_feature_collection),
    "geojsonl": functools.partial(_write_text, text=_feature_lines),
    "gpkg": _write_gpkg,
    "fgb": functools.partial(_write_gdal, driver="FlatGeobuf"),
    "csv": _write_csv,
    "kml": _write_kml,
}
