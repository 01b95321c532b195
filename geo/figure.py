"""A static map for reports: PNG (300 dpi), SVG or PDF, drawn with matplotlib, offline.

It draws what the web map draws, with the same table (geo.style): one colour per status, one symbol per sector,
lines styled by type and dashed while planned, areas filled pale, assets from before CPEC or outside it hollow.
Around the map: a title, a legend, a scale bar, a north arrow, a locator inset, an inset on Gwadar (where a dozen
assets share a few kilometres), labels on the largest assets placed apart by adjustText, and a credit line that
gives the catalog's date and its sources. The projection is Lambert conformal conic with standard parallels 27°N
and 35°N, which keeps Pakistan's shapes and its distances within 1 %; Web Mercator would stretch the north by a fifth.
The basemap is Natural Earth from the pinned world-atlas package (geo.basemap) and GeoNames towns (geo.gazetteer):
nothing is downloaded.
"""

from __future__ import annotations

import math
import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")  # files only, no window: works headless and in CI

import matplotlib.pyplot as plt
import numpy as np
import shapely
from adjustText import adjust_text
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .basemap import CREDITS, basemap_geojson, town_labels
from .credits import catalog_date, source_names
from .errors import BuildError
from .files import keep_mode
from .offline import find_modules_dir
from .schema import PAKISTAN_BBOX, STATUSES
from .style import (
    AREA_FILL,
    LINE_STYLE_OF_SUBTYPE,
    LINE_STYLES,
    OUTLINE_FILL,
    OUTLINE_SUBTYPES,
    PROGRAMME_LABELS,
    PROGRAMME_STYLES,
    SECTOR_SHAPES,
    STATUS_COLOURS,
    label,
)

PROJECTION = "+proj=lcc +lat_1=27 +lat_2=35 +lat_0=30 +lon_0=69 +datum=WGS84 +units=m +no_defs"
PROJECTION_NOTE = "Lambert conformal conic, standard parallels 27°N and 35°N, central meridian 69°E"
FORMATS = (".png", ".svg", ".pdf")
DPI = 300
MM_PER_INCH = 25.4
PAPER_MM = {"a4": (297, 210), "a3": (420, 297), "letter": (279.4, 215.9)}  # landscape
DEFAULT_SIZE = "a4"
GWADAR_BBOX = (62.22, 25.06, 62.58, 25.32)  # west, south, east, north
INSET_MIN_ASSETS = 3
LABELLED = 12  # assets labelled on the main map: the costliest, then the largest
MARKERS = {"triangle": "^", "square": "s", "diamond": "D", "hexagon": "h", "circle": "o", "star": "*", "pentagon": "p"}
LAND, PAKISTAN, SEA, BORDER = "#eeeae2", "#fbfaf7", "#dfe9f2", "#8a8a8a"
OUTLINE = "#222222"
PLANNED_DASH = (4, 2.5)  # in line widths, as on the web map ("10 7" at weight 3-5)
PX_TO_PT = 0.45  # web map line weights are screen pixels; a printed line a little under half a point per pixel
TOWN_ZOOM = 5  # the towns the web map labels from zoom 5: the cities of a million and more


@dataclass(frozen=True)
class FigureResult:
    """What was drawn: the file, its format, how many assets, which ones carry a label, and the page size in mm."""

    path: str
    format: str
    count: int
    labelled: tuple[str, ...]
    size_mm: tuple[float, float]


def paper_size(size: str) -> tuple[float, float]:
    """``a4``, ``a3``, ``letter`` (landscape) or ``WIDTHxHEIGHT`` in millimetres, as (width, height) in mm."""
    text = size.strip().lower()
    if text in PAPER_MM:
        return PAPER_MM[text]
    try:
        width, height = (float(v) for v in text.split("x"))
    except ValueError:
        raise BuildError(f"size {size!r}: use a4, a3, letter or WIDTHxHEIGHT in millimetres (e.g. 297x210)",
                         field="--size") from None
    if not (50 <= width <= 2000 and 50 <= height <= 2000):
        raise BuildError(f"size {size!r}: each side must be 50 to 2000 mm", field="--size")
    return width, height


def _projected(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return frame.set_crs(4326, allow_override=frame.crs is None).to_crs(PROJECTION)


def _project_xy(lon: float, lat: float) -> tuple[float, float]:
    point = gpd.GeoSeries([shapely.Point(lon, lat)], crs=4326).to_crs(PROJECTION).iloc[0]
    return point.x, point.y


def _extent(frame: gpd.GeoDataFrame, aspect: float) -> tuple[float, float, float, float]:
    """The projected map window: the selection's bounds with a margin (Pakistan when nothing is selected),
    at least 300 km across, widened to the axes' aspect (width / height)."""
    if len(frame) and not frame.geometry.is_empty.all():
        x0, y0, x1, y1 = frame.total_bounds
    else:
        x0, y0, x1, y1 = gpd.GeoSeries([shapely.box(*PAKISTAN_BBOX)], crs=4326).to_crs(PROJECTION).total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = max((x1 - x0) * 1.12, 300_000), max((y1 - y0) * 1.12, 300_000)
    width, height = max(width, height * aspect), max(height, width / aspect)
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def _basemap(ax: Axes, modules_dir: Path, towns: bool) -> None:
    """Sea, land, Pakistan a shade lighter, borders; and the larger towns."""
    world = gpd.GeoDataFrame.from_features(basemap_geojson(modules_dir)["features"], crs=4326)
    world = world[world["detail"] == "10m"] if (world["detail"] == "10m").any() else world
    ax.set_facecolor(SEA)
    world = world.to_crs(PROJECTION)
    is_pakistan = world["name"] == "Pakistan"
    world[~is_pakistan].plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=0.5, zorder=1)
    world[is_pakistan].plot(ax=ax, facecolor=PAKISTAN, edgecolor="#555555", linewidth=0.8, zorder=1)
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    window = shapely.box(x0, y0, x1, y1)
    for name, geom in zip(world["name"], world.geometry, strict=True):
        inside = geom.intersection(window)
        if name != "Pakistan" and inside.area > 0.04 * window.area:
            at = inside.representative_point()
            ax.text(at.x, at.y, name.upper(), fontsize=7, color="#9a9a9a", ha="center", va="center", zorder=2,
                    fontweight="bold")
    if towns:
        for name, lon, lat, zoom in town_labels():
            if zoom <= TOWN_ZOOM:
                x, y = _project_xy(lon, lat)
                if x0 < x < x1 and y0 < y < y1:
                    ax.plot(x, y, "o", markersize=2.2, color="#666666", zorder=3)
                    ax.text(x, y, f" {name}", fontsize=5.5, color="#555555", va="center", zorder=3)


def _line_kind(subtype: Any) -> str:
    return LINE_STYLE_OF_SUBTYPE.get(subtype or "", "line")


def _dashes(pattern: str | None) -> tuple[float, ...] | None:
    return tuple(float(v) for v in pattern.split()) if pattern else None


def _draw_assets(ax: Axes, frame: gpd.GeoDataFrame, scale: float = 1.0) -> None:
    """Areas, then lines, then points on top, each styled as on the web map."""
    kinds = frame.geometry.geom_type
    for _, row in frame[kinds.isin(["Polygon", "MultiPolygon"])].iterrows():
        colour = STATUS_COLOURS[row["status"]]
        fill = OUTLINE_FILL if row["subtype"] in OUTLINE_SUBTYPES else AREA_FILL
        gpd.GeoSeries([row.geometry]).plot(ax=ax, facecolor=colour, alpha=fill, edgecolor="none", zorder=4)
        gpd.GeoSeries([row.geometry]).plot(ax=ax, facecolor="none", edgecolor=colour, linewidth=1.0 * scale, zorder=4,
                                           linestyle=(0, PLANNED_DASH) if row["status"] == "planned" else "-")
    for _, row in frame[kinds.isin(["LineString", "MultiLineString"])].iterrows():
        _, weight, dash, ticks = LINE_STYLES[_line_kind(row["subtype"])]
        planned = row["status"] == "planned"
        pattern = PLANNED_DASH if planned else _dashes(dash)
        programme = PROGRAMME_STYLES.get(row.get("programme") or "CPEC", PROGRAMME_STYLES["CPEC"])
        width = weight * PX_TO_PT * scale
        gpd.GeoSeries([row.geometry]).plot(ax=ax, color=STATUS_COLOURS[row["status"]], linewidth=width, zorder=5,
                                           alpha=programme["lineOpacity"], linestyle=(0, pattern) if pattern else "-",
                                           capstyle="butt")
        if ticks and not planned:  # railways: white dashes down the middle, as on printed maps
            gpd.GeoSeries([row.geometry]).plot(ax=ax, color="white", linewidth=width * 0.45, zorder=5,
                                               linestyle=(0, (3, 3)))
    points = frame[kinds.isin(["Point", "MultiPoint"])].explode(index_parts=False)
    for (status, sector, programme), group in points.groupby(
            [points["status"], points["sector"], points["programme"].fillna("CPEC")], sort=True):
        style = PROGRAMME_STYLES.get(programme, PROGRAMME_STYLES["CPEC"])
        colour = STATUS_COLOURS[status]
        hollow = style["fill"] is not None
        ax.scatter(group.geometry.x, group.geometry.y, marker=MARKERS[SECTOR_SHAPES.get(sector, "circle")],
                   s=(44 if sector != "digital" else 70) * scale ** 2, zorder=6,
                   facecolor=style["fill"] if hollow else colour, edgecolor=colour if hollow else OUTLINE,
                   linewidths=(1.2 if hollow else 0.5) * scale)


def _short_name(name: str) -> str:
    """A label: the name without its parenthesis, wrapped to two short lines."""
    bare = name.split(" (")[0].strip()
    return "\n".join(textwrap.wrap(bare, 26)[:2])


def major_assets(frame: gpd.GeoDataFrame, limit: int = LABELLED) -> gpd.GeoDataFrame:
    """The assets worth a label: costliest first, then by capacity and length (never more than ``limit``)."""
    order = frame.assign(_cost=frame["cost_usd_m"].astype(float).fillna(-1),
                         _size=frame["capacity_mw"].astype(float).fillna(0) + frame["length_km"].astype(float).fillna(0))
    return order.sort_values(["_cost", "_size", "id"], ascending=[False, False, True]).head(limit)


def place_labels(ax: Axes, frame: gpd.GeoDataFrame, fontsize: float) -> list[Any]:
    """Label ``frame``'s assets at a point on each, then move the labels apart (adjustText) with leader lines."""
    if frame.empty:
        return []
    anchors = [g.representative_point() if g.geom_type.endswith("Polygon") else
               shapely.line_interpolate_point(g, 0.5, normalized=True) if "Line" in g.geom_type else
               g.representative_point() for g in frame.geometry]
    texts = [ax.text(p.x, p.y, _short_name(name), fontsize=fontsize, zorder=8, color="#111111",
                     bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
             for p, name in zip(anchors, frame["name"], strict=True)]
    adjust_text(texts, x=[p.x for p in anchors], y=[p.y for p in anchors], ax=ax, ensure_inside_axes=True,
                expand=(1.15, 1.3), arrowprops={"arrowstyle": "-", "color": "#444444", "lw": 0.5})
    return texts


def _scale_bar(ax: Axes) -> None:
    """A bar of a round length, about a fifth of the map wide, in alternating segments, bottom left."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target_km = (x1 - x0) / 5 / 1000
    length_km = max(v for v in (10, 20, 25, 50, 100, 200, 250, 500, 1000) if v <= max(target_km, 10))
    bar_x, bar_y, height = x0 + (x1 - x0) * 0.04, y0 + (y1 - y0) * 0.05, (y1 - y0) * 0.008
    for i in range(4):
        ax.add_patch(Rectangle((bar_x + i * length_km * 250, bar_y), length_km * 250, height, zorder=9,
                               facecolor=OUTLINE if i % 2 == 0 else "white", edgecolor=OUTLINE, linewidth=0.6))
    for fraction in (0, 0.5, 1):
        text = f"{length_km * fraction:g}" + (" km" if fraction == 1 else "")
        ax.text(bar_x + length_km * 1000 * fraction, bar_y + height * 2.2, text, fontsize=6.5, ha="center", zorder=9)


def _north_arrow(ax: Axes) -> None:
    """An arrow to true north (on a conic projection it leans away from the central meridian)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    base_x, base_y = x0 + (x1 - x0) * 0.95, y0 + (y1 - y0) * 0.06
    lonlat = gpd.GeoSeries([shapely.Point(base_x, base_y)], crs=PROJECTION).to_crs(4326).iloc[0]
    up_x, up_y = _project_xy(lonlat.x, lonlat.y + 0.5)
    angle = math.atan2(up_x - base_x, up_y - base_y)
    length = (y1 - y0) * 0.07
    tip = (base_x + length * math.sin(angle), base_y + length * math.cos(angle))
    ax.annotate("", xy=tip, xytext=(base_x, base_y), zorder=9,
                arrowprops={"arrowstyle": "-|>,head_width=0.5,head_length=1", "color": OUTLINE, "lw": 1.6})
    ax.text(tip[0], tip[1] + (y1 - y0) * 0.012, "N", ha="center", va="bottom", fontsize=10, fontweight="bold", zorder=9)


def _legend(fig: Figure, frame: gpd.GeoDataFrame, box: tuple[float, float, float, float]) -> None:
    """Status colours, sector symbols, line types and programmes, as far as the selection has them."""
    statuses = [s for s in STATUSES if s in set(frame["status"])]
    sectors = [s for s in SECTOR_SHAPES if s in set(frame["sector"])]
    lines = frame[frame.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    line_kinds = [k for k in LINE_STYLES if k in {_line_kind(s) for s in lines["subtype"]}]
    handles: list[Any] = [Patch(facecolor=STATUS_COLOURS[s], edgecolor=OUTLINE, linewidth=0.4, label=label(s))
                          for s in statuses]
    handles += [Line2D([], [], linestyle="none", marker=MARKERS[SECTOR_SHAPES[s]], markersize=6, color="#777777",
                       markeredgecolor=OUTLINE, markeredgewidth=0.5, label=label(s)) for s in sectors]
    for kind in line_kinds:
        name, weight, dash, ticks = LINE_STYLES[kind]
        pattern = _dashes(dash)
        line = Line2D([], [], color="#555555", linewidth=weight * PX_TO_PT, label=name,
                      linestyle=(0, pattern) if pattern else "-")
        # a railway's white dashes drawn over its line, as on the map
        handles.append((line, Line2D([], [], color="white", linewidth=weight * PX_TO_PT * 0.45, linestyle=(0, (3, 3))))
                       if ticks else line)
    if len(lines) and "planned" in set(lines["status"]):
        handles.append(Line2D([], [], color="#555555", linewidth=1.5, linestyle=(0, PLANNED_DASH), label="Planned line"))
    for programme in ("pre-CPEC", "outside-CPEC"):
        if programme in set(frame["programme"].fillna("CPEC")):
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=6,
                                  markerfacecolor=PROGRAMME_STYLES[programme]["fill"], markeredgecolor="#555555",
                                  markeredgewidth=1.1, label=PROGRAMME_LABELS[programme]))
    ax = fig.add_axes(box)
    ax.set_axis_off()
    if handles:
        labels = [h[0].get_label() if isinstance(h, tuple) else h.get_label() for h in handles]
        ax.legend(handles=handles, labels=labels, handler_map={tuple: HandlerTuple(ndivide=1)}, loc="upper left",
                  ncols=2, fontsize=6.5, frameon=False, title="Status, sector, line", title_fontsize=7.5,
                  alignment="left", handlelength=2.4, borderaxespad=0)


def _inset(fig: Figure, main: Axes, frame: gpd.GeoDataFrame, modules_dir: Path,
           box: tuple[float, float, float, float]) -> Axes | None:
    """Gwadar at a larger scale, when enough of the selection is there; its window outlined on the main map."""
    window = _gwadar_window()
    inside = frame[frame.intersects(window)]
    if len(inside) < INSET_MIN_ASSETS:
        return None
    ax = fig.add_axes(box)
    x0, y0, x1, y1 = window.bounds
    width_in, height_in = box[2] * fig.get_figwidth(), box[3] * fig.get_figheight()
    x0, y0, x1, y1 = _fit((x0, y0, x1, y1), width_in / height_in)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    _basemap(ax, modules_dir, towns=False)
    _draw_assets(ax, inside, scale=1.2)
    place_labels(ax, major_assets(inside, 6), fontsize=5.5)
    _frame(ax, f"Gwadar ({len(inside)} assets)")
    main.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor=OUTLINE, linewidth=0.8, zorder=9))
    main.text(x1, y1, " Gwadar inset", fontsize=6, va="bottom", zorder=9)
    return ax


def _gwadar_window() -> shapely.Polygon:
    return gpd.GeoSeries([shapely.box(*GWADAR_BBOX)], crs=4326).to_crs(PROJECTION).iloc[0]


def _fit(bounds: tuple[float, float, float, float], aspect: float) -> tuple[float, float, float, float]:
    """``bounds`` widened to ``aspect`` (width / height) about its centre."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    width, height = max(x1 - x0, (y1 - y0) * aspect), max(y1 - y0, (x1 - x0) / aspect)
    return cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2


def _frame(ax: Axes, title: str | None = None) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")  # geopandas labels projected axes "Easting [metre]"; a map needs no axis titles
    ax.set_ylabel("")
    ax.set_aspect("equal", adjustable="box")
    for spine in ax.spines.values():
        spine.set_linewidth(0.8)
    if title:
        ax.set_title(title, fontsize=7.5, loc="left", pad=2)


def _locator(fig: Figure, main: Axes, modules_dir: Path, box: tuple[float, float, float, float]) -> None:
    """The region at a small scale, Pakistan shaded and the main map's window outlined."""
    ax = fig.add_axes(box)
    world = gpd.GeoDataFrame.from_features(basemap_geojson(modules_dir)["features"], crs=4326).to_crs(PROJECTION)
    ax.set_facecolor(SEA)
    world.plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=0.3)
    world[world["name"] == "Pakistan"].plot(ax=ax, facecolor="#c9c2b3", edgecolor="#555555", linewidth=0.4)
    region = gpd.GeoSeries([shapely.box(55, 18, 84, 42)], crs=4326).to_crs(PROJECTION).total_bounds
    width_in, height_in = box[2] * fig.get_figwidth(), box[3] * fig.get_figheight()
    x0, y0, x1, y1 = _fit(tuple(region), width_in / height_in)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    mx0, mx1 = main.get_xlim()
    my0, my1 = main.get_ylim()
    ax.add_patch(Rectangle((mx0, my0), mx1 - mx0, my1 - my0, fill=False, edgecolor="#c0392b", linewidth=1))
    _frame(ax)


def credit_line(frame: gpd.GeoDataFrame) -> str:
    """Date, data and sources, for the foot of the map."""
    names, count = source_names(frame)
    cited = (f"{count} sources cited, most often {', '.join(names)}" if count > 1 else
             f"1 source cited: {names[0]}" if names else "no sources")
    return (f"Statuses as of {catalog_date(frame) or 'unknown'} (newest status_as_of in the catalog). "
            f"Data: cpec-mapper CPEC asset catalog, {len(frame)} assets; {cited}. "
            f"{'; '.join(CREDITS)}. Projection: {PROJECTION_NOTE}.")


def _write(fig: Figure, target: Path) -> None:
    """Save under a temporary name beside ``target`` and rename it over, so the file is whole or absent.
    No creation date in the file, so the same data draws the same bytes (PNG and SVG)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[target.suffix[1:]]
    try:
        with matplotlib.rc_context({"svg.hashsalt": "cpec-mapper", "pdf.fonttype": 42}):
            fig.savefig(tmp, dpi=DPI, format=target.suffix[1:], metadata=metadata)
        keep_mode(Path(tmp), target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def draw_figure(frame: gpd.GeoDataFrame, path: str | Path, *, title: str, size: str = DEFAULT_SIZE,
                modules_dir: Path | None = None) -> FigureResult:
    """Draw ``frame`` as a print map into ``path`` (.png at 300 dpi, .svg or .pdf), ``size`` as paper_size reads it.

    Raises BuildError for an unknown extension or size, a missing folder or a failed write (the earlier file stays).
    """
    target = Path(path)
    if target.suffix.lower() not in FORMATS:
        raise BuildError(f"cannot draw a {target.suffix or 'file without extension'}; name a .png, .svg or .pdf",
                         path=target)
    if not target.parent.is_dir():
        raise BuildError(f"folder {str(target.parent)!r} does not exist; create it first", path=target)
    width_mm, height_mm = paper_size(size)
    modules_dir = modules_dir or find_modules_dir()
    projected = _projected(frame)
    fig = plt.figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=DPI)
    try:
        main_box = (0.02, 0.085, 0.68, 0.8)
        ax = fig.add_axes(main_box)
        x0, y0, x1, y1 = _extent(projected, (main_box[2] * width_mm) / (main_box[3] * height_mm))
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        _basemap(ax, modules_dir, towns=True)
        _draw_assets(ax, projected)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        _frame(ax)
        fig.text(0.02, 0.955, title, fontsize=15, fontweight="bold", va="top")
        fig.text(0.02, 0.905, f"{len(frame)} assets by status (colour) and sector (symbol); lines by type, dashed "
                 "while planned; hollow: before or outside CPEC", fontsize=8, color="#444444", va="top")
        inset = _inset(fig, ax, projected, modules_dir, (0.72, 0.52, 0.26, 0.36))
        _legend(fig, projected, (0.72, 0.085, 0.26, 0.4 if inset else 0.8))
        _locator(fig, ax, modules_dir, (0.025, 0.7, 0.13, 0.17))
        in_inset = projected.intersects(_gwadar_window()) if inset else np.zeros(len(projected), dtype=bool)
        labelled = major_assets(projected[~np.asarray(in_inset)])  # the inset labels its own
        place_labels(ax, labelled, fontsize=6)
        _scale_bar(ax)
        _north_arrow(ax)
        fig.text(0.02, 0.045, "\n".join(textwrap.wrap(credit_line(frame), 260)), fontsize=5.5, color="#444444",
                 va="top")
        _write(fig, target)
    finally:
        plt.close(fig)
    return FigureResult(str(target), target.suffix[1:].lower(), len(frame), tuple(labelled["id"]),
                        (width_mm, height_mm))

