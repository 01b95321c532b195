"""QGIS styles for exports: the web map's colours and symbols as QML (QGIS) and SLD (QGIS, GeoServer, ArcGIS Pro).

A GeoPackage export stores them in its ``layer_styles`` table, the place QGIS itself saves styles, marked as each
layer's default, so QGIS opens every layer already styled; its ``gpkg_contents.description`` says what the layer
holds and the catalog's date. GeoJSON and FlatGeobuf hold one layer of mixed geometries, which QGIS splits into
a point, a line and a polygon layer; a style's symbols fit one geometry type, so ``write_style_files`` writes one
QML and one SLD per geometry family present, beside the file, for QGIS's Load Style.

Every style is categorised by status (the web map's colour) and has one category per status the layer holds.
Points take their sector's symbol and lines their type's width through data-defined properties; planned lines and
planned area outlines are dashed; assets from before CPEC or outside it have the web map's pale fill.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import pyogrio

from .credits import catalog_date
from .files import write_text_atomically
from .schema import STATUSES
from .style import AREA_FILL, LINE_STYLE_OF_SUBTYPE, LINE_STYLES, PROGRAMME_STYLES, SECTOR_SHAPES, STATUS_COLOURS, label

Kind = Literal["point", "line", "polygon"]
KIND_OF_GEOMETRY: dict[str, Kind] = {
    "Point": "point", "MultiPoint": "point",
    "LineString": "line", "MultiLineString": "line",
    "Polygon": "polygon", "MultiPolygon": "polygon",
}
QML_GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}
STYLE_TABLE = "layer_styles"
KEYS = {  # how each kind of layer is drawn, for its description
    "point": "Colour: status; symbol: sector; pale fill: before or outside CPEC.",
    "line": "Colour: status; width: road, railway or cable; dashed: planned.",
    "polygon": "Colour: status; dashed outline: planned.",
}
OUTLINE = "#222222"
MM_PER_PIXEL = 0.3  # web map line weights are screen pixels; QGIS symbols are sized in millimetres
POINT_SIZE_MM = 3.4
SLD = "http://www.opengis.net/sld"
SLD_NS = {
    "ogc": "http://www.opengis.net/ogc", "se": "http://www.opengis.net/se",
    "xlink": "http://www.w3.org/1999/xlink", "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
for _prefix, _uri in SLD_NS.items():
    ET.register_namespace(_prefix, _uri)  # the prefixes SLD documents conventionally use


@dataclass(frozen=True)
class LayerStyle:
    """One layer's style in both languages, and what the layer holds."""

    name: str
    qml: str
    sld: str
    description: str


def _rgba(colour: str, alpha: float = 1.0) -> str:
    """``#RRGGBB`` as QGIS writes colours: ``r,g,b,a`` with 0-255 components."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"{r},{g},{b},{round(alpha * 255)}"


def _case(field: str, values: dict[str, str], default: str) -> str:
    """A QGIS expression choosing a value by a field's word: CASE WHEN "f" = 'a' THEN 'x' ... END."""
    whens = " ".join(f"WHEN \"{field}\" = '{key}' THEN {value}" for key, value in values.items())
    return f"CASE {whens} ELSE {default} END"


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    """QGIS's property map: <Option type="Map"><Option name=... type="QString" value=.../>...</Option>."""
    node = ET.SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        ET.SubElement(node, "Option", name=key, type="QString", value=value)


def _data_defined(parent: ET.Element, expressions: dict[str, str]) -> None:
    """Symbol-layer properties computed per feature (``type`` 3: an expression)."""
    holder = ET.SubElement(ET.SubElement(parent, "data_defined_properties"), "Option", type="Map")
    ET.SubElement(holder, "Option", name="name", type="QString", value="")
    props = ET.SubElement(holder, "Option", name="properties", type="Map")
    for key, expression in expressions.items():
        prop = ET.SubElement(props, "Option", name=key, type="Map")
        ET.SubElement(prop, "Option", name="active", type="bool", value="true")
        ET.SubElement(prop, "Option", name="expression", type="QString", value=expression)
        ET.SubElement(prop, "Option", name="type", type="int", value="3")
    ET.SubElement(holder, "Option", name="type", type="QString", value="collection")


def _programme_fill(colour: str) -> str:
    """The fill expression: the status colour for CPEC assets, the web map's pale fill for the others."""
    pale = {p: f"'{_rgba(s['fill'])}'" for p, s in PROGRAMME_STYLES.items() if s["fill"]}
    return _case("programme", pale, f"'{_rgba(colour)}'")


def _line_width() -> str:
    widths = {subtype: f"{LINE_STYLES[key][1] * MM_PER_PIXEL:g}" for subtype, key in LINE_STYLE_OF_SUBTYPE.items()}
    return _case("subtype", widths, f"{LINE_STYLES['line'][1] * MM_PER_PIXEL:g}")


def _qml_symbol(symbols: ET.Element, index: int, kind: Kind, status: str) -> None:
    colour = STATUS_COLOURS[status]
    dashed = status == "planned"
    symbol_type = {"point": "marker", "line": "line", "polygon": "fill"}[kind]
    symbol = ET.SubElement(symbols, "symbol", type=symbol_type, name=str(index), alpha="1", clip_to_extent="1",
                           force_rhr="0")
    if kind == "point":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleMarker", "enabled": "1", "pass": "0", "locked": "0"})
        _options(layer, {"name": "circle", "color": _rgba(colour), "outline_color": _rgba(OUTLINE),
                         "outline_style": "solid", "outline_width": "0.3", "outline_width_unit": "MM",
                         "size": f"{POINT_SIZE_MM:g}", "size_unit": "MM", "joinstyle": "miter"})
        shapes = {sector: f"'{shape}'" for sector, shape in SECTOR_SHAPES.items()}
        _data_defined(layer, {"name": _case("sector", shapes, "'circle'"), "fillColor": _programme_fill(colour)})
    elif kind == "line":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleLine", "enabled": "1", "pass": "0", "locked": "0"})
        _options(layer, {"line_color": _rgba(colour, 0.9), "line_style": "dash" if dashed else "solid",
                         "line_width": f"{LINE_STYLES['line'][1] * MM_PER_PIXEL:g}", "line_width_unit": "MM",
                         "capstyle": "round", "joinstyle": "round"})
        _data_defined(layer, {"outlineWidth": _line_width()})
    else:
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "pass": "0", "locked": "0"})
        _options(layer, {"color": _rgba(colour, AREA_FILL), "style": "solid", "outline_color": _rgba(colour),
                         "outline_style": "dash" if dashed else "solid", "outline_width": "0.5",
                         "outline_width_unit": "MM", "joinstyle": "miter"})


def qml(kind: Kind, statuses: Iterable[str]) -> str:
    """A QGIS layer style: categorised by status, one category (and symbol) per status given."""
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology")
    renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr="status", symbollevels="0",
                             enableorderby="0", forceraster="0")
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for index, status in enumerate(statuses):
        ET.SubElement(categories, "category", render="true", value=status, symbol=str(index), label=label(status),
                      type="string")
        _qml_symbol(symbols, index, kind, status)
    ET.SubElement(root, "mapTip").text = '[% "name" %] ([% "status" %], [% "status_as_of" %])'
    ET.SubElement(root, "previewExpression").text = '"name"'
    ET.SubElement(root, "layerGeometryType").text = QML_GEOMETRY_TYPE[kind]
    ET.indent(root)
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, encoding="unicode") + "\n"


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{SLD_NS['se']}}}{tag}", attrs)
    if text is not None:
        node.text = text
    return node


def _svg(parent: ET.Element, tag: str, values: dict[str, str]) -> None:
    node = _se(parent, tag)
    for name, value in values.items():
        _se(node, "SvgParameter", value, name=name)


def _equal_to(parent: ET.Element, field: str, value: str) -> None:
    ogc = SLD_NS["ogc"]
    test = ET.SubElement(parent, f"{{{ogc}}}PropertyIsEqualTo")
    ET.SubElement(test, f"{{{ogc}}}PropertyName").text = field
    ET.SubElement(test, f"{{{ogc}}}Literal").text = value


def _sld_rule(style: ET.Element, kind: Kind, status: str, sector: str | None) -> None:
    """One rule: a status (and, for points, a sector, since SLD has no per-feature symbol expressions)."""
    colour = STATUS_COLOURS[status]
    rule = _se(style, "Rule")
    title = label(status) if sector is None else f"{label(status)}, {label(sector)}"
    _se(rule, "Name", title)
    _se(_se(rule, "Description"), "Title", title)
    where = ET.SubElement(rule, f"{{{SLD_NS['ogc']}}}Filter")
    if sector is not None:
        where = ET.SubElement(where, f"{{{SLD_NS['ogc']}}}And")
        _equal_to(where, "sector", sector)
    _equal_to(where, "status", status)
    dash = {"stroke-dasharray": "4 2"} if status == "planned" else {}
    if kind == "point":
        graphic = _se(_se(rule, "PointSymbolizer"), "Graphic")
        mark = _se(graphic, "Mark")
        _se(mark, "WellKnownName", SECTOR_SHAPES.get(sector or "", "circle"))
        _svg(mark, "Fill", {"fill": colour})
        _svg(mark, "Stroke", {"stroke": OUTLINE, "stroke-width": "1"})
        _se(graphic, "Size", "12")
    elif kind == "line":
        _svg(_se(rule, "LineSymbolizer"), "Stroke", {"stroke": colour, "stroke-width": "3", **dash})
    else:
        symbolizer = _se(rule, "PolygonSymbolizer")
        _svg(symbolizer, "Fill", {"fill": colour, "fill-opacity": f"{AREA_FILL:g}"})
        _svg(symbolizer, "Stroke", {"stroke": colour, "stroke-width": "2", **dash})


def sld(kind: Kind, name: str, classes: Iterable[tuple[str, str | None]]) -> str:
    """An SLD 1.1 style with one rule per (status, sector) pair given (lines and areas: sector None)."""
    root = ET.Element("StyledLayerDescriptor", {
        "xmlns": SLD,  # SLD's own elements are unprefixed, in the default namespace
        "version": "1.1.0",
        f"{{{SLD_NS['xsi']}}}schemaLocation":
            "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
    })
    layer = ET.SubElement(root, "NamedLayer")
    _se(layer, "Name", name)
    user_style = ET.SubElement(layer, "UserStyle")
    _se(user_style, "Name", name)
    feature_style = _se(user_style, "FeatureTypeStyle")
    for status, sector in classes:
        _sld_rule(feature_style, kind, status, sector)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _present(values: Iterable[str], order: Iterable[str]) -> list[str]:
    """The words of ``order`` that occur in ``values``, in that order (the legend's order)."""
    seen = set(values)
    return [word for word in order if word in seen]


def describe(frame: pd.DataFrame, kind: Kind) -> str:
    """A layer's description: what it holds, how it is styled, and the date its statuses were checked up to."""
    sectors = frame["sector"].value_counts()
    held = ", ".join(f"{sectors[s]} {label(s).lower()}" for s in _present(frame["sector"], SECTOR_SHAPES))
    date = catalog_date(frame) or "unknown"
    return (f"CPEC catalog assets drawn as {kind}s: {len(frame)} ({held}). Statuses as of {date} (newest "
            f"status_as_of). {KEYS[kind]} Lists (aliases, province, sources, status_history) are JSON text. "
            "WGS84 (EPSG:4326). Made by cpec-mapper.")


def layer_style(frame: pd.DataFrame, kind: Kind, name: str) -> LayerStyle:
    """The style of a layer of ``kind`` holding ``frame``'s assets (columns status, sector, programme, subtype)."""
    statuses = _present(frame["status"], STATUSES)
    if kind == "point":
        pairs = set(zip(frame["status"], frame["sector"], strict=True))
        classes = [(status, sector) for status in statuses for sector in SECTOR_SHAPES if (status, sector) in pairs]
    else:
        classes = [(status, None) for status in statuses]
    return LayerStyle(name, qml(kind, statuses), sld(kind, name, classes), describe(frame, kind))


STYLED_COLUMNS = ["status", "sector", "status_as_of", "programme", "subtype"]


def style_geopackage(path: Path) -> tuple[str, ...]:
    """Give every point, line and polygon layer of the GeoPackage at ``path`` its description and a default style
    (``layer_styles``, as QGIS writes it); returns the styled layers. Empty layers are left as they are."""
    styles: list[tuple[LayerStyle, str]] = []
    for name, geometry_type in pyogrio.list_layers(path):
        kind = KIND_OF_GEOMETRY.get(str(geometry_type))
        frame = pyogrio.read_dataframe(path, layer=name, columns=STYLED_COLUMNS, read_geometry=False)
        if kind is not None and len(frame):
            styles.append((layer_style(frame, kind, name), pyogrio.read_info(path, layer=name)["geometry_name"]))
    if not styles:
        return ()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    table = pd.DataFrame({
        "f_table_catalog": "", "f_table_schema": "",
        "f_table_name": [s.name for s, _ in styles], "f_geometry_column": [g for _, g in styles],
        "styleName": [s.name for s, _ in styles], "styleQML": [s.qml for s, _ in styles],
        "styleSLD": [s.sld for s, _ in styles], "useAsDefault": pd.array([True] * len(styles), dtype="boolean"),
        "description": "Colour by status, symbol by sector, as on the cpec-mapper web map", "owner": "",
        "ui": None, "update_time": now,
    })
    pyogrio.write_dataframe(table, path, layer=STYLE_TABLE, driver="GPKG", layer_options={"FID": "id"})
    with sqlite3.connect(path) as db:
        db.executemany("UPDATE gpkg_contents SET description = ? WHERE table_name = ?",
                       [(s.description, s.name) for s, _ in styles])
    db.close()
    return tuple(s.name for s, _ in styles)


def write_style_files(frame: gpd.GeoDataFrame, path: str | Path) -> list[Path]:
    """Beside the export at ``path`` (GeoJSON, FlatGeobuf): ``NAME.points.qml``/``.sld`` and the same for lines and
    polygons, for each geometry family ``frame`` holds; each written whole or not at all. Returns what was written."""
    target = Path(path)
    kinds = frame.geometry.geom_type.map(KIND_OF_GEOMETRY)
    written = []
    for kind in _present(kinds.dropna(), ("point", "line", "polygon")):
        style = layer_style(frame[(kinds == kind).to_numpy()], kind, f"{target.stem} {kind}s")
        for suffix, text in ((".qml", style.qml), (".sld", style.sld)):
            out = target.with_name(f"{target.stem}.{kind}s{suffix}")
            write_text_atomically(out, text)
            written.append(out)
    return written
