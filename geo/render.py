"""Render one catalog selection as a self-contained Folium (Leaflet) HTML map.

Folium provides the map, the base layer and the asset plumbing; the catalog itself is drawn
by a small script of ours (``static/cpec-map.js``) from a compact payload, because the AND of
the sector and status filters, the legend and text-only popups are beyond Folium's layers.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import ClassVar

import folium
import geopandas as gpd
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.template import Template

from .basemap import basemap_geojson
from .offline import find_modules_dir, inline_assets
from .payload import build_payload, to_script_json

# Past this many features the map draws on a canvas instead of one SVG element per feature.
CANVAS_THRESHOLD = 2000
PAKISTAN_CENTRE = (30.0, 69.5)
SEARCH_JS = ("Leaflet.Search.js", "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.js")
SEARCH_CSS = ("Leaflet.Search.css", "https://cdn.jsdelivr.net/npm/leaflet-search@2.9.7/dist/leaflet-search.min.css")


@lru_cache(maxsize=2)
def _static(name: str) -> str:
    return resources.files("geo").joinpath("static", name).read_text(encoding="utf-8")


class CatalogLayer(JSCSSMixin):
    """The catalog drawn by cpec-map.js: filters, legend, tooltips, popups and search."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
            <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.get_name() }}_data">{{ this.data }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = window.cpecMapper.show({{ this._parent.get_name() }},
                JSON.parse(document.getElementById("{{ this.get_name() }}_data").textContent));
        {% endmacro %}
        """
    )
    default_js: ClassVar = [SEARCH_JS]
    default_css: ClassVar = [SEARCH_CSS]

    def __init__(self, frame: gpd.GeoDataFrame, title: str) -> None:
        super().__init__()
        self._name = "CatalogLayer"
        self.data = to_script_json(build_payload(frame, title))
        self.js = _static("cpec-map.js")
        self.css = _static("cpec-map.css")


def _number_elements(root: Element) -> None:
    """Replace Folium's random element ids by sequential ones, so equal data gives equal bytes."""
    counter = itertools.count()

    def visit(element: Element) -> None:
        element._id = f"{next(counter):04d}"
        for child in element._children.values():
            visit(child)

    visit(root)


def _add_base_layer(fmap: folium.Map, offline: bool, modules_dir: Path | None) -> None:
    if not offline:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
        return
    folium.GeoJson(
        basemap_geojson(modules_dir),
        name="Countries (Natural Earth)",
        style_function=lambda f: {
            "color": "#8a8a8a",
            "weight": 1.2 if f["properties"]["name"] == "Pakistan" else 0.7,
            "fillColor": "#f4f1ea" if f["properties"]["name"] == "Pakistan" else "#e6e6e6",
            "fillOpacity": 1,
        },
        interactive=False,
        control=False,
    ).add_to(fmap)


def render_map(
    frame: gpd.GeoDataFrame, *, title: str = "CPEC assets", offline: bool = False, modules_dir: Path | None = None
) -> str:
    """The HTML page of a map of ``frame``; offline pages inline every asset and fetch nothing
    (``modules_dir``: the pinned front-end packages, found by default)."""
    if offline and modules_dir is None:
        modules_dir = find_modules_dir()
    fmap = folium.Map(
        location=PAKISTAN_CENTRE,
        zoom_start=5,
        tiles=None,
        prefer_canvas=len(frame) > CANVAS_THRESHOLD,
        control_scale=True,
        max_zoom=18,
    )
    fmap.get_root().title = title
    _add_base_layer(fmap, offline, modules_dir)
    CatalogLayer(frame, title).add_to(fmap)
    root = fmap.get_root()
    _number_elements(root)
    html = root.render()
    return inline_assets(html, modules_dir) if offline else html
