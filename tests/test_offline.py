"""geo.offline: a rendered Folium page, once inlined, needs no network (checked by parsing the
HTML and, where Chromium and Playwright are installed, by opening it in a browser)."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest
from folium import plugins

from geo import offline
from geo.errors import BuildError, OfflineAssetError
from geo.offline import ASSETS, find_modules_dir, inline_assets

REPO = Path(__file__).resolve().parent.parent
MODULES = REPO / "node_modules"
JQUERY_URL = "https://code.jquery.com/jquery-3.7.1.min.js"
SEARCH_CSS_URL = "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css"

needs_modules = pytest.mark.skipif(
    not (MODULES / "leaflet").is_dir(), reason="node_modules absent: run `make node_modules` (npm ci)"
)


class _Page(HTMLParser):
    """Collects script/link/style elements with a real HTML parser, independent of geo.offline."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.srcs: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "link") and (a.get("src") or a.get("href")):
            self.srcs.append(a.get("src") or a.get("href") or "")
        if tag in ("script", "style"):
            self._in = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts[-1] += data
        elif self._in == "style":
            self.styles[-1] += data


POINTS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": f"Plant {i}"},
            "geometry": {"type": "Point", "coordinates": [67.0 + i, 25.0 + i]},
        }
        for i in range(5)
    ],
}


def render_map(*, icon: bool = False, cluster: bool = False) -> str:
    """A real folium page: GeoJson + Search + LayerControl, optionally an Icon and a MarkerCluster."""
    m = folium.Map(location=[30.0, 70.0], zoom_start=5, tiles=None, maxZoom=18)
    layer = folium.GeoJson(POINTS, name="plants", marker=folium.CircleMarker(radius=6)).add_to(m)
    plugins.Search(layer=layer, search_label="name", placeholder="Find a plant").add_to(m)
    folium.Marker([31.55, 74.34], tooltip="Lahore").add_to(m)  # Leaflet's default icon
    if icon:
        folium.Marker([24.86, 67.0], icon=folium.Icon(icon="industry", prefix="fa", angle=30)).add_to(m)
    if cluster:
        group = plugins.MarkerCluster(name="cluster").add_to(m)
        for lat in (33.0, 33.01):
            folium.Marker([lat, 73.0]).add_to(group)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def fake_modules(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """A tiny node_modules holding just ``files`` (relative path -> content)."""
    for rel, content in files.items():
        p = tmp_path / "node_modules" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return tmp_path / "node_modules"


@needs_modules
def test_inlined_map_loads_nothing_from_the_network() -> None:
    html = render_map(cluster=True)
    assert any(s.startswith("https://") for s in _Page(html).srcs)  # folium did point at CDNs
    page = _Page(inline_assets(html, MODULES))
    assert page.srcs == []
    joined = "\n".join(page.scripts)
    assert "L.control.search" in joined or "L.Control.Search" in joined
    assert "MarkerClusterGroup" in joined
    assert '"1.9.4"' in joined  # Leaflet itself, the npm copy


@needs_modules
def test_every_css_url_is_a_data_uri_with_the_file_bytes() -> None:
    page = _Page(inline_assets(render_map(icon=True), MODULES))
    refs = [m.group(1) for css in page.styles for m in re.finditer(r"""url\(\s*["']?([^"')]*)""", css)]
    assert refs
    assert [r for r in refs if not r.startswith(("data:", "#"))] == []
    icon = base64.b64encode((MODULES / "leaflet-search/images/search-icon.png").read_bytes()).decode()
    assert f"data:image/png;base64,{icon}" in "".join(page.styles)
    css = "".join(page.styles)
    assert "data:font/woff2;base64," in css
    assert 'format("truetype")' not in css  # fonts limited to woff2
    solid = base64.b64encode((MODULES / "@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2").read_bytes())
    assert css.count(solid.decode()) == 1  # embedded once, not once per alias family
    assert ".fa-rotate-30{transform:rotate(30deg)}" in css


@needs_modules
def test_icon_stack_only_when_the_page_shows_icons() -> None:
    plain = inline_assets(render_map(), MODULES)
    with_icon = inline_assets(render_map(icon=True), MODULES)
    assert "Font Awesome" not in plain and "L.AwesomeMarkers=" not in plain.replace(" ", "")
    assert "Font Awesome" in with_icon and "Glyphicons Halflings" in with_icon
    assert len(plain) < 400_000 < len(with_icon)
    assert "Font Awesome" in inline_assets(render_map(), MODULES, icons=True)


@needs_modules
def test_leaflet_default_marker_images_are_data_uris() -> None:
    out = inline_assets(render_map(), MODULES)
    for key in ("iconUrl", "iconRetinaUrl", "shadowUrl"):
        assert f'{key}:"data:image/png;base64,' in out
    assert 'L.Icon.Default.imagePath=""' in out


def test_unknown_cdn_url_raises_naming_it(tmp_path: Path) -> None:
    unknown = "https://unpkg.com/leaflet.heat@0.2.0/dist/leaflet-heat.js"
    with pytest.raises(OfflineAssetError, match=re.escape(unknown)):
        inline_assets(f'<head><script src="{unknown}"></script></head>', tmp_path)
    css = "https://example.org/new-plugin.css"
    with pytest.raises(OfflineAssetError, match=re.escape(css)):
        inline_assets(f"<link href='{css}' rel=stylesheet>", tmp_path)
    with pytest.raises(OfflineAssetError, match="favicon"):  # any network <link>, not only stylesheets
        inline_assets('<link rel="icon" href="//example.org/favicon.ico">', tmp_path)


def test_local_and_inline_tags_are_left_alone(tmp_path: Path) -> None:
    html = '<script>var a = 1;</script><script src="local.js"></script><link rel="stylesheet" href="x.css">'
    assert inline_assets(html, tmp_path) == html


def test_attribute_order_and_quoting_do_not_matter(tmp_path: Path) -> None:
    modules = fake_modules(tmp_path, {ASSETS[SEARCH_CSS_URL].path or "": ".x{color:red}"})
    for tag in (
        f'<link rel="stylesheet" href="{SEARCH_CSS_URL}"/>',
        f"<link href='{SEARCH_CSS_URL}' type=text/css rel=stylesheet>",
        f'<LINK crossorigin="" HREF="{SEARCH_CSS_URL}" REL="stylesheet" />',
    ):
        assert inline_assets(tag, modules) == "<style>.x{color:red}</style>"


def test_inlined_script_cannot_close_its_element(tmp_path: Path) -> None:
    body = 'var s = "</script><script>alert(1)</SCRIPT>"; var c = "<!--";\n//# sourceMappingURL=jquery.min.map\n'
    modules = fake_modules(tmp_path, {"jquery/dist/jquery.min.js": body})
    out = inline_assets(f'<script src="{JQUERY_URL}"></script><p>after</p>', modules)
    parsed = _Page(out)
    assert parsed.srcs == []
    assert len(parsed.scripts) == 1  # still one script element: the text did not break out
    assert "<\\/script>" in parsed.scripts[0] and "<\\/SCRIPT>" in parsed.scripts[0]
    assert "sourceMappingURL" not in out
    assert out.endswith("</script><p>after</p>")


def test_stylesheet_pointing_at_the_network_is_refused(tmp_path: Path) -> None:
    css = ".a{background:url(https://tiles.example.org/a.png)}"
    modules = fake_modules(tmp_path, {ASSETS[SEARCH_CSS_URL].path or "": css})
    with pytest.raises(OfflineAssetError, match=r"tiles\.example\.org/a\.png"):
        inline_assets(f'<link rel="stylesheet" href="{SEARCH_CSS_URL}">', modules)


def test_missing_asset_file_names_the_fix(tmp_path: Path) -> None:
    modules = fake_modules(tmp_path, {"jquery/dist/other.js": ""})
    with pytest.raises(BuildError, match=r"npm ci"):
        inline_assets(f'<script src="{JQUERY_URL}"></script>', modules)


def test_find_modules_dir_reports_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(offline.ENV_VAR, raising=False)
    with pytest.raises(BuildError, match=r"make node_modules"):
        find_modules_dir(tmp_path)
    partial = fake_modules(tmp_path, {"jquery/dist/jquery.min.js": ""})
    with pytest.raises(BuildError, match=r"npm ci") as err:
        find_modules_dir(tmp_path / "some" / "where")  # found by walking up, but incomplete
    assert str(partial) in str(err.value)
    monkeypatch.setenv(offline.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(BuildError, match=offline.ENV_VAR):
        find_modules_dir()


@needs_modules
def test_find_modules_dir_finds_the_repo_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(offline.ENV_VAR, raising=False)
    assert find_modules_dir() == MODULES
    monkeypatch.setenv(offline.ENV_VAR, str(MODULES))
    assert find_modules_dir(Path("/")) == MODULES


def test_every_table_file_is_pinned_in_package_json() -> None:
    import json

    deps = json.loads((REPO / "package.json").read_text())["dependencies"]
    for rel in offline.required_files():
        package = "/".join(rel.split("/")[:2]) if rel.startswith("@") else rel.split("/")[0]
        assert package in deps, rel
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in deps.values())  # exact pins only


# --- in a real browser -------------------------------------------------------------------------

@needs_modules
@pytest.mark.parametrize("variant", ["plain", "icon", "cluster"])
def test_inlined_map_runs_offline_in_chromium(browser, tmp_path: Path, variant: str) -> None:
    out = tmp_path / "map.html"
    out.write_text(inline_assets(render_map(icon=variant == "icon", cluster=variant == "cluster"), MODULES))
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    # Everything is inlined, so the page itself is the only file: request allowed.
    page.on(
        "request",
        lambda r: (
            None
            if r.url == out.as_uri() or r.url.startswith(("data:", "about:"))
            else problems.append(f"request: {r.url}")
        ),
    )
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    name = page.evaluate("Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k)) || null")
    assert name and page.evaluate(f"window.{name} instanceof L.Map")
    icons = page.eval_on_selector_all(".leaflet-marker-icon", "els => els.map(e => e.src || 'div')")
    assert icons and all(src == "div" or src.startswith("data:image/png") for src in icons)
    page.locator(".leaflet-control-search input").press_sequentially("Plant 3", delay=20)
    page.wait_for_selector(".search-tip")
    if variant == "icon":
        assert page.evaluate(
            "document.fonts.ready.then(() => document.fonts.check('900 14px \"Font Awesome 6 Free\"'))"
        )
    page.close()
    assert problems == []
