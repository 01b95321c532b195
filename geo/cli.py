"""The ``cpec-map`` command line: a thin shell over the library.

Each command parses options, calls one library function and prints. Bad data exits 1 with
one line; a wrong command line exits 2 (click's usage errors).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
import geopandas as gpd

from .build import build_maps, map_title, write_map
from .catalog import load_catalog, property_records
from .csv_sidecars import labelled
from .errors import ExportError, GeoError, SelectionError
from .export import EXTENSIONS, FORMATS, export_format
from .export import export as export_frame
from .extract import document_paths, extract_files, mentioned_frame, named_features, write_matrix
from .files import dump_geojson
from .history import Change, as_of, changes
from .qgis_style import write_style_files
from .reader import data_files
from .repair import repair_file
from .schema import PROVINCES, SECTORS, STATUSES
from .select import select
from .validate import validate as validate_files

LIST_COLUMNS = ("id", "name", "sector", "subtype", "status", "province", "capacity_mw", "length_km", "cost_usd_m")


def _fail_cleanly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors into one line: exit 2 for a bad option value, 1 for bad data."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except SelectionError as exc:
            raise click.UsageError(str(exc)) from None
        except GeoError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


def data_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """Catalog files to read instead of the shipped data."""
    return click.option(
        "--data", "data", multiple=True, type=click.Path(), help="GeoJSON file or folder to read (repeatable); default: data/."
    )(func)


def selection_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The filters every command that selects assets takes; names equal select()'s keywords."""
    for option in reversed(
        [
            click.option("--sector", multiple=True, metavar="SECTOR", help=f"Keep this sector, repeatable: {'/'.join(SECTORS)}."),
            click.option("--status", multiple=True, metavar="STATUS", help=f"Keep status, repeatable: {'/'.join(STATUSES)}."),
            click.option("--province", multiple=True, metavar="PROVINCE",
                         help=f"Keep assets in this province (repeatable): {'; '.join(PROVINCES)}."),
            click.option("--bbox", metavar="MINLON,MINLAT,MAXLON,MAXLAT", help="Keep assets intersecting this box."),
            click.option("--id", "ids", multiple=True, metavar="ID", help="Keep this asset id (repeatable)."),
            click.option("--as-of", "as_of_date", metavar="DATE",
                         help="The catalog as it stood at the end of DATE (YYYY, YYYY-MM or YYYY-MM-DD): assets not yet "
                              "announced are left out, the others carry the status they had then."),
        ]
    ):
        func = option(func)
    return data_option(func)


def selected(data: tuple[str, ...], sector: tuple[str, ...], status: tuple[str, ...], province: tuple[str, ...],
             bbox: str | None, ids: tuple[str, ...], as_of_date: str | None = None) -> Any:
    """Load the catalog, wind it back to --as-of, and apply the other selection options (status as of then)."""
    catalog = load_catalog(data or None)
    if as_of_date:
        catalog = as_of(catalog, as_of_date)
    return select(catalog, sector=sector, status=status, province=province, bbox=bbox, id=ids)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cpec-mapper")
def main() -> None:
    """Map the China-Pakistan Economic Corridor: a sourced asset catalog, layered maps and GIS exports."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--documents", type=click.Path(exists=True, file_okay=False),
              help="Folder holding the cited documents' text, to check quotes.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--fix", is_flag=True, help="Repair polygons in place first (close, make_valid, orient); say what changed.")
@_fail_cleanly
def validate(paths: tuple[str, ...], documents: str | None, as_json: bool, fix: bool) -> None:
    """Check catalog files against the schema and the data rules.

    Prints one line per problem, FILE: FEATURE: FIELD: message [type], and exits 1 if any.

    Example:

        cpec-map validate data/energy.geojson --documents ../shared/seeds
    """
    if fix:
        for path in data_files(paths or None):
            for change in repair_file(path):
                click.echo(f"fixed: {change}", err=True)
    report = validate_files(paths or None, documents_dir=documents)
    if as_json:
        keys = ("path", "feature", "field", "type", "message")
        issues = [dict(zip(keys, i.row(), strict=True)) for i in report.issues]
        click.echo(json.dumps({"valid": report.valid, "features": report.features, "issues": issues}, indent=2))
    else:
        for issue in report.issues:
            click.echo(str(issue))
        click.echo(f"{report.features} features, {len(report.issues)} problems", err=True)
    sys.exit(int(not report.valid))


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return f"{value:g}" if isinstance(value, float) else str(value)


@main.command()
@selection_options
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="maps_out", show_default=True,
              help="Folder to write the maps into.")
@click.option("--offline", is_flag=True, help="Inline every script and style and draw country outlines instead of tiles.")
@click.option("--title", help="Title of the maps (default: 'CPEC assets' and the filters, e.g. 'CPEC assets: Energy sector').")
@_fail_cleanly
def build(out_dir: str, offline: bool, title: str | None, **selection: Any) -> None:
    """Build the maps: index.html, plus one map per sector and per status.

    Example:

        cpec-map build --offline --out maps_out --sector energy --title "Energy in Punjab"
    """
    for built in build_maps(selected(**selection), out_dir, offline=offline, title=title or map_title(**selection)):
        click.echo(built.describe())


@main.command("list")
@selection_options
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@_fail_cleanly
def list_assets(fmt: str, **selection: Any) -> None:
    """Print the catalog, or a selection of it.

    Example:

        cpec-map list --sector energy --status operational --format csv
    """
    frame = selected(**selection)
    rows = [[_cell(v) for v in rec] for rec in frame[list(LIST_COLUMNS)].itertuples(index=False)]
    if fmt == "json":
        click.echo(json.dumps(property_records(frame), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(LIST_COLUMNS)
        writer.writerows(rows)
    else:
        widths = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(LIST_COLUMNS)]
        for row in [list(LIST_COLUMNS), *rows]:
            click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip())
        click.echo(f"{len(rows)} asset{'' if len(rows) == 1 else 's'}", err=True)


@main.command("export")
@selection_options
@click.option("-o", "--output", required=True, metavar="FILE",
              help="File to write; '-' writes GeoJSON to standard output.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS), case_sensitive=False),
              help=f"Output format; default: from FILE's extension ({', '.join(EXTENSIONS)}).")
@click.option("--styles", is_flag=True, help="GeoJSON, FlatGeobuf: also write QGIS styles beside FILE "
              "(NAME.points.qml/.sld, and lines, polygons). A GeoPackage carries its styles inside.")
@click.option("--labels", is_flag=True, help="CSV: words instead of codes ('Under construction', not under_construction).")
@_fail_cleanly
def export_assets(output: str, fmt: str | None, styles: bool, labels: bool, **selection: Any) -> None:
    """Write the catalog, or a selection of it, to a file QGIS, ArcGIS, Excel or Google Earth opens.

    GeoJSON keeps lists (aliases, province, sources) as arrays; GeoPackage, FlatGeobuf, CSV and KML
    hold them as JSON text. The file is written whole or not at all.

    Example:

        cpec-map export -o cpec.gpkg

        cpec-map export -o energy.geojson --sector energy --status operational

        cpec-map export -o - --province Sindh | jq '.features[].properties.name'

        cpec-map export -o cpec.csv --labels

        cpec-map export -o cpec.geojson --styles
    """
    try:
        chosen = export_format(output, fmt).name
    except ExportError as exc:
        raise click.BadParameter(exc.message, param_hint="'-o' / '--output'") from None
    if styles and (chosen not in ("geojson", "fgb") or output == "-"):
        raise click.BadParameter("style files go beside a .geojson or .fgb file (a GeoPackage holds its own)",
                                 param_hint="'--styles'")
    if labels and chosen != "csv":
        raise click.BadParameter("labels are for CSV; other formats keep the codes QGIS styles match",
                                 param_hint="'--labels'")
    frame = selected(**selection)
    result = export_frame(labelled(frame) if labels else frame, output, format=fmt)
    for written in write_style_files(frame, output) if styles else []:
        click.echo(f"wrote {written}", err=True)
    label = FORMATS[result.format].label
    where = "standard output" if result.path == "-" else result.path
    layers = f"; layers: {', '.join(result.layers)}" if result.layers else ""
    noun = "feature" if result.count == 1 else "features"
    empty = "empty selection: " if result.count == 0 else ""
    click.echo(f"{empty}wrote {result.count} {noun} to {where} ({label}{layers})", err=True)


def _paper(size: str) -> str:
    """Check --size before drawing anything: a bad value is a usage error (exit 2)."""
    from .figure import paper_size

    try:
        paper_size(size)
    except GeoError as exc:
        raise click.BadParameter(exc.message) from None
    return size


@main.command("figure")
@selection_options
@click.option("-o", "--output", required=True, metavar="FILE", help="Map to draw: FILE.png (300 dpi), .svg or .pdf.")
@click.option("--title", help="Title (default: 'CPEC assets' and the filters).")
@click.option("--size", default="a4", show_default=True, metavar="PAPER", callback=lambda _ctx, _param, value: _paper(value),
              help="a4, a3 or letter (landscape), or WIDTHxHEIGHT in millimetres.")
@_fail_cleanly
def figure(output: str, title: str | None, size: str, **selection: Any) -> None:
    """Draw a static map for reports: legend, scale bar, north arrow, Gwadar and locator insets, credits.

    Same colours and symbols as the web map, in a Lambert conformal conic projection; nothing is downloaded.

    Example:

        cpec-map figure -o cpec.png

        cpec-map figure -o energy.pdf --sector energy --size a3 --title "CPEC energy projects"
    """
    from .figure import draw_figure  # matplotlib loads in a second; only this command needs it

    result = draw_figure(selected(**selection), output, title=title or map_title(**selection), size=size)
    width, height = result.size_mm
    click.echo(f"wrote {result.path} ({width:g} x {height:g} mm, {result.count} assets, "
               f"{len(result.labelled)} labelled)", err=True)


def _table(rows: list[list[str]]) -> None:
    """Print rows with every column but the last padded to its widest cell."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)] if rows else []
    for row in rows:
        click.echo("  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip())


@main.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "json", "geojson"]), default="table", show_default=True,
              help="table: per document, one row per mention, then ambiguous phrases and unmatched candidates; "
                   "json: the same lists per document; geojson: the named assets, each with a 'mentions' property.")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Keep only mentions at or above this confidence (a name 1.0, an alias 0.95, a description 0.6-0.9).")
@click.option("--matrix", "matrix_path", type=click.Path(dir_okay=False),
              help="Also write the assets-by-documents matrix here (.csv or .json): mentions per asset and document.")
@click.option("--map", "map_path", type=click.Path(dir_okay=False),
              help="Also write a map of the named assets here, each sized by how many documents name it.")
@click.option("--offline", is_flag=True, help="With --map: a map that works with no network.")
@data_option
@_fail_cleanly
def extract_mentions(files: tuple[str, ...], fmt: str, min_confidence: float, matrix_path: str | None,
                     map_path: str | None, offline: bool, data: tuple[str, ...]) -> None:
    """Find the catalog assets documents name, with the evidence, and project names the catalog lacks.

    FILE is plain UTF-8 text, or a folder of .txt/.md files; `-` reads standard input. Each mention gives
    FILE:LINE:COLUMN, the asset id, the rule that matched (name, alias, description, route, list), a
    confidence from 0 to 1 and the words matched. A phrase that fits several assets equally is listed as
    ambiguous; unmatched candidates are phrases named like projects that match no asset.

    Example:

        cpec-map extract ../shared/seeds/ --matrix named.csv --map named.html --min-confidence 0.8
    """
    catalog = load_catalog(data or None)
    paths = document_paths(files)
    long_run = sys.stderr.isatty() and len(paths) > 1
    with click.progressbar(length=len(paths), label="reading", file=sys.stderr, show_pos=True) if long_run \
            else contextlib.nullcontext() as bar:
        progress = (lambda _: bar.update(1)) if bar else None
        result = extract_files(paths, catalog, on_document=progress).at_least(min_confidence)
    documents = result.by_document()
    if fmt == "json":
        click.echo(json.dumps({"documents": [
            {"source": source, **{part: [item.to_dict() for item in getattr(one, part)]
                                  for part in ("mentions", "ambiguous", "unmatched")}}
            for source, one in documents.items()]}, ensure_ascii=False, indent=2))
    elif fmt == "geojson":
        click.echo(dump_geojson(named_features(result, catalog), "features"), nl=False)
    else:
        for source, one in documents.items():
            click.echo(f"== {source}: {len(one.mentions)} mentions of {len(one.by_asset())} assets")
            _table([["where", "asset", "rule", "confidence", "matched"],
                    *([f"{m.source}:{m.line}:{m.column}", m.asset_id, m.rule, f"{m.confidence:.2f}", m.text]
                      for m in one.mentions)])
            if one.ambiguous:
                click.echo("ambiguous (fits several assets equally, not counted):")
                _table([["where", "phrase", "assets"],
                        *([f"{a.source}:{a.line}:{a.column}", a.text, " ".join(a.assets)] for a in one.ambiguous)])
            if one.unmatched:
                click.echo("unmatched candidates (named like projects, not in the catalog):")
                _table([["where", "phrase", "snippet"],
                        *([f"{c.source}:{c.line}:{c.column}", c.text, c.snippet] for c in one.unmatched)])
            click.echo("")
    if matrix_path:
        click.echo(f"wrote the {write_matrix(result, matrix_path)} matrix to {matrix_path}", err=True)
    if map_path:
        built = write_map(mentioned_frame(result, catalog), map_path, title="CPEC assets named in the documents", offline=offline)
        click.echo(f"wrote {built.describe()}", err=True)
    click.echo(f"{len(result.mentions)} mentions of {len(result.by_asset())} assets in {len(paths)} files; "
               f"{len(result.ambiguous)} ambiguous; {len(result.unmatched)} unmatched candidates", err=True)


CHANGE_COLUMNS = ("date", "id", "name", "before", "after", "event", "source")


@main.command("changes")
@click.option("--since", required=True, metavar="DATE", help="First day of the window: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--until", metavar="DATE", help="Last day of the window (a year or month runs to its end); default: no end.")
@click.option("--to", "to_status", multiple=True, type=click.Choice(STATUSES, case_sensitive=False),
              help="Keep changes to this status (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "geojson"]), default="table", show_default=True)
@selection_options
@_fail_cleanly
def list_changes(since: str, until: str | None, to_status: tuple[str, ...], fmt: str, **selection: Any) -> None:
    """List each asset whose status changed in a window: from, to, date and source.

    A change dated only by its year or month counts when that whole period lies in the window.

    Example: what was finished in 2024?

        cpec-map changes --since 2024 --until 2024 --to operational
    """
    frame = selected(**selection)
    found = [c for c in changes(frame, since, until) if not to_status or c.after in to_status]
    rows = [[c.date, c.id, c.name, c.before or "", c.after, c.event, c.source] for c in found]
    if fmt == "json":
        click.echo(json.dumps([c.to_dict() for c in found], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(CHANGE_COLUMNS)
        writer.writerows(rows)
    elif fmt == "geojson":
        places = frame.set_index("id").geometry
        located = gpd.GeoDataFrame([c.to_dict() for c in found], columns=list(Change.__dataclass_fields__),
                                   geometry=[places[c.id] for c in found], crs=frame.crs)
        export_frame(located, "-", format="geojson")
    else:
        _table([list(CHANGE_COLUMNS[:-1]), *(r[:-1] for r in rows)])
    noun = "change" if len(found) == 1 else "changes"
    click.echo(f"{len(found)} {noun}", err=True)
