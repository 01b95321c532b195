"""Styles and balloons for KML: what GDAL writes, plus the web map's look and a readable description per placemark.

GDAL writes placemarks with their properties as ExtendedData but no <Style>, so Google Earth draws every asset
as the same yellow pin. ``style_kml`` adds one shared <Style> per status, sector and line type (status colour;
Google Earth's built-in shape icon for the sector; line width by type) and gives each placemark a <styleUrl> and a
<description> balloon with its main facts and sources. KML has no dashed lines, so planned lines are half-transparent.
Elements go where the OGC KML 2.2 schema orders them, so the file validates.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import geopandas as gpd

from .catalog import property_records
from .credits import catalog_date, source_name
from .errors import ExportError
from .style import LINE_STYLE_OF_SUBTYPE, LINE_STYLES, PROGRAMME_LABELS, SECTOR_SHAPES, STATUS_COLOURS, label

KML = "http://www.opengis.net/kml/2.2"
ET.register_namespace("", KML)  # keep KML's own elements unprefixed when the file is written back
ET.register_namespace("gx", "http://www.google.com/kml/ext/2.2")
ET.register_namespace("atom", "http://www.w3.org/2005/Atom")
# Google Earth's built-in shape icons (white, so IconStyle's colour tints them); it has no pentagon.
ICON_ROOT = "http://maps.google.com/mapfiles/kml/shapes/"
ICONS = {"triangle": "triangle", "square": "square", "diamond": "open-diamond", "hexagon": "polygon",
         "circle": "placemark_circle", "star": "star", "pentagon": "donut"}
AREA_ALPHA = 0x4D  # 30 % fill, as on the web map
PLANNED_ALPHA = 0x99  # 60 %: planned lines, since KML cannot dash them
SOURCES_SHOWN = 5
FACTS = [("capacity_mw", "Capacity", "{:,.0f} MW"), ("length_km", "Length", "{:,.0f} km"),
         ("cost_usd_m", "Cost", "US$ {:,.0f} million"), ("start_year", "Started", "{}"),
         ("completion_year", "Completed", "{}")]


def _q(tag: str) -> str:
    return f"{{{KML}}}{tag}"


def _kml_colour(colour: str, alpha: int = 0xFF) -> str:
    """``#RRGGBB`` as KML writes colours: ``aabbggrr``."""
    return f"{alpha:02x}{colour[5:7]}{colour[3:5]}{colour[1:3]}".lower()


def _style_id(props: dict[str, Any]) -> str:
    return f"{props['status']}.{props['sector']}.{LINE_STYLE_OF_SUBTYPE.get(props.get('subtype') or '', 'line')}"


def _style(style_id: str) -> ET.Element:
    status, sector, line = style_id.split(".")
    colour = STATUS_COLOURS[status]
    style = ET.Element(_q("Style"), id=style_id)
    icon_style = ET.SubElement(style, _q("IconStyle"))
    ET.SubElement(icon_style, _q("color")).text = _kml_colour(colour)
    ET.SubElement(icon_style, _q("scale")).text = "0.9"
    icon = ET.SubElement(icon_style, _q("Icon"))
    ET.SubElement(icon, _q("href")).text = f"{ICON_ROOT}{ICONS[SECTOR_SHAPES.get(sector, 'circle')]}.png"
    label_style = ET.SubElement(style, _q("LabelStyle"))
    ET.SubElement(label_style, _q("scale")).text = "0.7"
    line_style = ET.SubElement(style, _q("LineStyle"))
    ET.SubElement(line_style, _q("color")).text = _kml_colour(colour, PLANNED_ALPHA if status == "planned" else 0xFF)
    ET.SubElement(line_style, _q("width")).text = f"{LINE_STYLES[line][1]:g}"
    poly_style = ET.SubElement(style, _q("PolyStyle"))
    ET.SubElement(poly_style, _q("color")).text = _kml_colour(colour, AREA_ALPHA)
    return style


def _source_html(source: dict[str, Any]) -> str:
    """One source as a balloon line: title, who and when, linked where it has a web address."""
    title = html.escape(str(source.get("title") or source.get("note") or source_name(source)))
    url = source.get("url")
    if isinstance(url, str) and url.startswith(("http://", "https://")):
        title = f'<a href="{html.escape(url)}">{title}</a>'
    who = ", ".join(html.escape(str(v)) for v in (source_name(source), source.get("date") or source.get("year")) if v)
    return f"<li>{title} ({who})</li>" if who else f"<li>{title}</li>"


def description(props: dict[str, Any]) -> str:
    """A placemark's balloon as HTML: status and date, sector and type, place, figures, programme, sources.
    Every value from the data is escaped."""
    def text(value: Any) -> str:
        return html.escape(str(value))

    rows = [("Status", f"{label(props['status'])} (as of {props.get('status_as_of') or 'unknown'})"),
            ("Sector", f"{label(props['sector'])}, {label(props.get('subtype') or '')}".rstrip(", ")),
            ("Province", ", ".join(props.get("province") or []))]
    rows += [(name, fmt.format(props[key])) for key, name, fmt in FACTS if props.get(key) is not None]
    rows.append(("Programme", PROGRAMME_LABELS.get(props.get("programme") or "", props.get("programme") or "")))
    table = "".join(f"<tr><th align=\"left\">{text(k)}</th><td>{text(v)}</td></tr>" for k, v in rows if v)
    sources = list(props.get("sources") or [])
    more = len(sources) - SOURCES_SHOWN
    items = "".join(_source_html(s) for s in sources[:SOURCES_SHOWN])
    tail = f"<p>and {more} more sources (see the sources field)</p>" if more > 0 else ""
    return f"<h3>{text(props['name'])}</h3><table>{table}</table><p>Sources:</p><ol>{items}</ol>{tail}"


def _insert_after(parent: ET.Element, after: str, elements: list[ET.Element]) -> None:
    """Put ``elements`` right after the child tagged ``after`` (or first), where the schema wants them."""
    tags = [child.tag for child in parent]
    at = tags.index(_q(after)) + 1 if _q(after) in tags else 0
    parent[at:at] = elements


def style_kml(path: Path, frame: gpd.GeoDataFrame) -> None:
    """Add styles, style references and balloons to the KML GDAL wrote at ``path`` from ``frame`` (same order)."""
    tree = ET.parse(path)
    root_document = tree.getroot().find(_q("Document"))
    placemarks = list(tree.getroot().iter(_q("Placemark")))
    records = property_records(frame)
    if root_document is None or len(placemarks) != len(records):
        raise ExportError(f"GDAL wrote {len(placemarks)} placemarks for {len(records)} assets", path=path)
    for placemark, props in zip(placemarks, records, strict=True):
        balloon = ET.Element(_q("description"))
        balloon.text = description(props)
        style_url = ET.Element(_q("styleUrl"))
        style_url.text = f"#{_style_id(props)}"
        _insert_after(placemark, "name", [balloon, style_url])
    heading = [ET.Element(_q("name")), ET.Element(_q("description"))]
    heading[0].text = "CPEC assets"
    heading[1].text = html.escape(f"{len(records)} assets of the cpec-mapper catalog; statuses as of "
                                  f"{catalog_date(frame) or 'unknown'}. Colour: status; icon: sector.")
    styles = [_style(style_id) for style_id in sorted({_style_id(p) for p in records})]
    _insert_after(root_document, "name", [*heading, *styles])
    ET.indent(tree)
    tree.write(path, encoding="UTF-8", xml_declaration=True)
