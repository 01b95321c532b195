"""Styles and sidecars that travel with exports, read back the way QGIS, GDAL and Google Earth read them."""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from conftest import collection, make_feature

from geo import export, load_catalog
from geo.cli import main
from geo.style import STATUS_COLOURS

QGIS_PYTHON = Path("/usr/bin/python3")
KML = "{http://www.opengis.net/kml/2.2}"
SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"


def _web_source(n: int) -> dict:
    return {"kind": "web", "title": f"Report {n}", "author": f"Paper {n}", "year": 2020 + n % 5,
            "date": f"{2020 + n % 5}-05-01", "url": f"https://example.org/{n}", "doi": None, "supports": ["existence"]}


@pytest.fixture
def catalog(write_catalog) -> gpd.GeoDataFrame:
    """Points of two sectors and three statuses, a planned and a built line, an area; one asset cited eight times."""
    line = {"type": "LineString", "coordinates": [[71.47, 30.2], [70.3, 28.4], [68.86, 27.7]]}
    rail = {"type": "LineString", "coordinates": [[74.3, 31.5], [71.5, 30.2], [67.1, 25.0]]}
    zone = {"type": "Polygon", "coordinates": [[[67.5, 24.9], [67.6, 24.9], [67.6, 25.0], [67.5, 25.0], [67.5, 24.9]]]}
    features = [
        make_feature("plant-a", name="Plant <A> & Co", sources=[_web_source(n) for n in range(8)]),
        make_feature("plant-b", status="planned", start_year=None, completion_year=None, status_as_of="2026-01-27"),
        make_feature("hospital-c", sector="social", subtype="hospital", status="under_construction", capacity_mw=None,
                     completion_year=None, programme="pre-CPEC"),
        make_feature("road-b", sector="transport", subtype="motorway", status="planned", province=["Punjab", "Sindh"],
                     capacity_mw=None, start_year=None, completion_year=None, length_km=395, geometry=line),
        make_feature("rail-d", sector="transport", subtype="railway", capacity_mw=None, length_km=1000, geometry=rail),
        make_feature("zone-c", sector="industry", subtype="sez", status="under_construction", province=["Sindh"],
                     capacity_mw=None, completion_year=None, geometry=zone),
    ]
    return load_catalog([write_catalog(collection(*features))])


def _layer_styles(path: Path) -> dict[str, tuple]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT f_table_name, f_geometry_column, styleQML, styleSLD, useAsDefault "
                          "FROM layer_styles").fetchall()
    db.close()
    return {row[0]: row[1:] for row in rows}


def _categories(qml: str) -> dict[str, ET.Element]:
    renderer = ET.fromstring(qml).find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "status"
    symbols = {s.get("name"): s for s in renderer.find("symbols")}
    return {c.get("value"): symbols[c.get("symbol")] for c in renderer.find("categories")}


def _option(node: ET.Element, name: str) -> str:
    return node.find(f".//Option[@name='{name}']").get("value")


def test_gpkg_layers_open_styled_with_one_category_per_status(catalog, tmp_path):
    path = tmp_path / "cpec.gpkg"
    export(catalog, path)
    styles = _layer_styles(path)
    assert set(styles) == {"cpec_points", "cpec_lines", "cpec_polygons"}
    for layer, (geometry_column, qml, sld, default) in styles.items():
        assert default == 1 and geometry_column == pyogrio.read_info(path, layer=layer)["geometry_name"]
        statuses = set(pyogrio.read_dataframe(path, layer=layer, read_geometry=False)["status"])
        categories = _categories(qml)
        assert set(categories) == statuses
        for status, symbol in categories.items():
            colour = STATUS_COLOURS[status]
            assert any(v.get("value", "").startswith(",".join(str(int(colour[i:i + 2], 16)) for i in (1, 3, 5)))
                       for v in symbol.iter("Option"))
        rules = ET.fromstring(sld).iter(f"{SE}Rule")
        assert {lit.text for rule in rules for lit in rule.iter(f"{OGC}Literal")} >= statuses
    lines = _categories(styles["cpec_lines"][1])
    assert _option(lines["planned"], "line_style") == "dash" and _option(lines["operational"], "line_style") == "solid"
    shape = _option(_categories(styles["cpec_points"][1])["operational"], "expression")
    assert "WHEN \"sector\" = 'energy' THEN 'triangle'" in shape and "'social' THEN 'pentagon'" in shape


def test_gpkg_layer_descriptions_say_what_and_when(catalog, tmp_path):
    path = tmp_path / "cpec.gpkg"
    export(catalog, path)
    with sqlite3.connect(path) as db:
        described = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
    db.close()
    assert described["cpec_points"].startswith("CPEC catalog assets drawn as points: 3 (2 energy, 1 social)")
    assert "Statuses as of 2026-01-27" in described["cpec_points"]
    assert "dashed: planned" in described["cpec_lines"]


@pytest.mark.skipif(subprocess.run([str(QGIS_PYTHON), "-c", "import qgis.core"], capture_output=True).returncode != 0
                    if QGIS_PYTHON.exists() else True, reason="needs Debian's python3-qgis")
def test_qgis_applies_the_stored_styles(catalog, tmp_path):
    path = tmp_path / "cpec.gpkg"
    export(catalog, path)
    script = (
        "from qgis.core import QgsApplication, QgsVectorLayer\n"
        "app = QgsApplication([], False); app.initQgis()\n"
        "for t in ('cpec_points', 'cpec_lines', 'cpec_polygons'):\n"
        f"    layer = QgsVectorLayer('{path}|layername=' + t, t, 'ogr')\n"  # kept: its renderer dies with it
        "    r = layer.renderer()\n"
        "    print(t, r.type(), sorted(c.value() for c in r.categories()), flush=True)\n"
        "del layer, r\n"
        "app.exitQgis()\n"  # layers gone first, else QGIS crashes on the way out
    )
    done = subprocess.run([str(QGIS_PYTHON), "-c", script], capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"})
    # (a clean environment: pyogrio and pyproj point GDAL_DATA and PROJ_DATA at their own wheels' files)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "cpec_points categorizedSymbol ['operational', 'planned', 'under_construction']",
        "cpec_lines categorizedSymbol ['operational', 'planned']",
        "cpec_polygons categorizedSymbol ['under_construction']",
    ]


def test_styles_option_writes_a_qml_and_sld_per_geometry_type(catalog, tmp_path):
    data = tmp_path / "catalog.geojson"  # the fixture's catalog file
    out = tmp_path / "cpec.geojson"
    result = CliRunner().invoke(main, ["export", "--data", str(data), "-o", str(out), "--styles"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in tmp_path.glob("cpec.*"))
    assert written == ["cpec.geojson", "cpec.lines.qml", "cpec.lines.sld", "cpec.points.qml", "cpec.points.sld",
                       "cpec.polygons.qml", "cpec.polygons.sld"]
    assert set(_categories((tmp_path / "cpec.polygons.qml").read_text())) == {"under_construction"}
    refused = CliRunner().invoke(main, ["export", "--data", str(data), "-o", str(tmp_path / "x.csv"), "--styles"])
    assert refused.exit_code == 2 and "--styles" in refused.output


@pytest.fixture
def kml_schema():
    etree = pytest.importorskip("lxml.etree")
    pytest.importorskip("pykml")
    xsd = resources.files("pykml") / "schemas" / "ogckml22.xsd"  # the OGC schema, with its imports, offline
    return etree.XMLSchema(etree.parse(str(xsd)))


def test_kml_validates_and_every_placemark_has_a_style_and_a_balloon(catalog, tmp_path, kml_schema):
    from lxml import etree

    path = tmp_path / "cpec.kml"
    export(catalog, path)
    assert kml_schema.validate(etree.parse(str(path))), kml_schema.error_log
    root = ET.parse(path).getroot()
    styles = {s.get("id"): s for s in root.iter(f"{KML}Style")}
    placemarks = list(root.iter(f"{KML}Placemark"))
    assert len(placemarks) == 6
    for placemark in placemarks:
        style = styles[placemark.find(f"{KML}styleUrl").text.removeprefix("#")]
        status = style.get("id").split(".")[0]
        colour = STATUS_COLOURS[status]
        assert style.find(f"{KML}IconStyle/{KML}color").text.endswith(f"{colour[5:7]}{colour[3:5]}{colour[1:3]}".lower())
    by_name = {p.find(f"{KML}name").text: p for p in placemarks}
    balloon = by_name["Plant <A> & Co"].find(f"{KML}description").text
    assert balloon.startswith("<h3>Plant &lt;A&gt; &amp; Co</h3>")  # data is text, never markup
    assert "<td>Operational (as of 2025)</td>" in balloon and "<td>1,320 MW</td>" in balloon
    assert '<a href="https://example.org/0">Report 0</a> (Paper 0, 2020-05-01)' in balloon and "and 3 more sources" in balloon
    icons = {s.get("id"): s.find(f"{KML}IconStyle/{KML}Icon/{KML}href").text for s in styles.values()}
    assert icons["operational.energy.line"].endswith("/triangle.png")
    assert pyogrio.read_info(path)["features"] == 6  # GDAL still reads it


def _ogrinfo_types(path: Path) -> dict[str, str]:
    info = pyogrio.read_info(path)
    return dict(zip(info["fields"], info["ogr_types"], strict=True))


def test_csv_reads_typed_and_georeferenced(catalog, tmp_path):
    path = tmp_path / "cpec.csv"
    export(catalog, path)
    types = _ogrinfo_types(path)
    assert types["capacity_mw"] == types["length_km"] == types["lon"] == "OFTReal"
    assert types["start_year"] == types["completion_year"] == "OFTInteger"
    assert types["name"] == "OFTString"
    assert pyogrio.read_info(path)["crs"] == "EPSG:4326"
    if shutil.which("ogrinfo"):
        info = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True,
                              check=True).stdout
        assert "capacity_mw: Real" in info and "start_year: Integer" in info and 'ID["EPSG",4326]' in info


def test_csv_keeps_the_main_source_and_gives_the_rest_whole_beside_it(catalog, tmp_path):
    path = tmp_path / "cpec.csv"
    export(catalog, path)
    rows = {r["id"]: r for r in csv.DictReader(path.open(encoding="utf-8-sig"))}
    assert rows["plant-a"]["sources"] == "Report 0 | Paper 0 | 2020-05-01 | https://example.org/0 (+7 more in cpec.sources.csv)"
    assert rows["plant-b"]["status_history"] == "2014 planned; 2026-01-27 planned"
    sources = pyogrio.read_dataframe(tmp_path / "cpec.sources.csv", read_geometry=False)
    plant = sources[sources["id"] == "plant-a"]
    assert plant["title"].tolist() == [f"Report {n}" for n in range(8)] and plant["entry"].tolist() == list(range(1, 9))
    assert _ogrinfo_types(tmp_path / "cpec.sources.csv")["year"] == "OFTInteger"
    history = pyogrio.read_dataframe(tmp_path / "cpec.status_history.csv", read_geometry=False)
    assert len(history) == sum(len(h) for h in catalog["status_history"])


def test_labels_option_writes_words_and_only_for_csv(catalog, tmp_path):
    data = tmp_path / "catalog.geojson"
    out = tmp_path / "cpec.csv"
    result = CliRunner().invoke(main, ["export", "--data", str(data), "-o", str(out), "--labels"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert (rows["hospital-c"]["status"], rows["hospital-c"]["sector"], rows["hospital-c"]["programme"]) == (
        "Under construction", "Social", "Before CPEC")
    assert rows["plant-a"]["location_precision"] == "exact site"
    refused = CliRunner().invoke(main, ["export", "--data", str(data), "-o", str(tmp_path / "x.gpkg"), "--labels"])
    assert refused.exit_code == 2 and "labels are for CSV" in refused.output
