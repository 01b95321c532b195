"""`cpec-map figure`: print maps that open at the right size, convert, keep labels apart and credit the data."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from click.testing import CliRunner
from conftest import collection, map_features
from PIL import Image

from geo import load_catalog
from geo.cli import main
from geo.figure import _projected, credit_line, major_assets, place_labels

A4_AT_300_DPI = (3507, 2480)  # 297 x 210 mm


@pytest.fixture
def data(write_catalog) -> Path:
    return write_catalog(collection(*map_features()))


def figure(data: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["figure", "--data", str(data), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    return result.stderr


def test_png_is_a4_landscape_at_300_dpi(data, tmp_path):
    out = tmp_path / "cpec.png"
    said = figure(data, out, "--title", "Test map")
    assert "8 assets" in said and "297 x 210 mm" in said
    with Image.open(out) as image:
        assert image.size == A4_AT_300_DPI
        assert image.info.get("dpi", (0, 0))[0] == pytest.approx(300, abs=0.1)
        colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 24)}
    assert (0x00, 0x9E, 0x73) in colours and (0x0, 0x72, 0xB2) in colours  # operational and planned, as on the web


def test_pdf_is_one_page_that_pdftoppm_converts(data, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs pdftoppm from Debian's poppler-utils (make test installs it)")
    out = tmp_path / "cpec.pdf"
    figure(data, out, "--size", "a3")
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(out), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    with Image.open(pages[0]) as page:
        assert page.size == pytest.approx((420 / 25.4 * 20, 297 / 25.4 * 20), abs=2)


def test_svg_is_vector(data, tmp_path):
    out = tmp_path / "cpec.svg"
    figure(data, out, "--size", "200x100")
    root = ET.parse(out).getroot()
    svg = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg}svg" and float(root.get("width").removesuffix("pt")) == pytest.approx(200 / 25.4 * 72)
    assert not list(root.iter(f"{svg}image")) and len(list(root.iter(f"{svg}path"))) > 50


@pytest.mark.parametrize(("args", "message"), [
    (["-o", "map.jpg"], "name a .png, .svg or .pdf"),
    (["-o", "map.png", "--size", "huge"], "use a4, a3, letter or WIDTHxHEIGHT"),
    (["-o", "map.png", "--size", "10x10"], "each side must be 50 to 2000 mm"),
])
def test_bad_output_or_size_is_refused_before_drawing(data, tmp_path, args, message):
    args = [a if a != "map.jpg" and a != "map.png" else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(main, ["figure", "--data", str(data), *args])
    assert result.exit_code in (1, 2) and message in result.output
    assert not list(tmp_path.glob("map.*"))


def test_labels_end_up_apart(data):
    """Crowded assets labelled on a small map: no two labels overlap once placed."""
    frame = _projected(load_catalog([data]))
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    try:
        x0, y0, x1, y1 = frame.total_bounds
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        texts = place_labels(ax, frame, fontsize=7)
        fig.canvas.draw()
        boxes = [t.get_window_extent() for t in texts]
        assert len(boxes) == 8
        assert not [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    finally:
        plt.close(fig)


def test_major_assets_are_the_costliest_then_the_largest(data):
    frame = load_catalog([data]).assign(cost_usd_m=[None, 900.0, None, 5000.0, None, None, None, None])
    assert major_assets(frame, 3)["id"].tolist() == ["m5", "gwadar-coal", "sahiwal-plant"]


def test_credit_line_gives_the_catalog_date_and_sources(data):
    frame = load_catalog([data])
    frame.loc[frame["id"] == "ml1", "status_as_of"] = "2026-01-27"
    credit = credit_line(frame)
    assert credit.startswith("Statuses as of 2026-01-27")
    assert "Natural Earth" in credit and "GeoNames" in credit and "Lambert conformal conic" in credit
    assert "1 source cited: Imraz Muhammad et al." in credit


def test_the_legend_draws_a_railway_as_the_map_does(data):
    from matplotlib.colors import to_hex
    from matplotlib.lines import Line2D

    from geo.figure import _legend

    frame = load_catalog([data])
    assert "railway" in set(frame["subtype"])
    fig = plt.figure()
    _legend(fig, frame, (0, 0, 1, 1))
    legend = fig.axes[-1].get_legend()
    assert "Railway or metro" in [t.get_text() for t in legend.get_texts()]
    white_dashes = [line for line in legend.findobj(Line2D)
                    if to_hex(line.get_color()) == "#ffffff" and line.get_linestyle() not in ("-", "None")]
    assert len(white_dashes) == 1  # the railway's white dashes over its line; no other entry has them
    plt.close(fig)
