"""Render one catalog selection as a self-contained Folium (Leaflet) HTML map.

Folium provides the map and the asset plumbing; the catalog itself is drawn by a small script of
ours (``static/cpec-map.js``) from a compact payload, because the AND of the filters, the legend,
clusters of co-located assets, search, table, permalink and downloads are beyond Folium's layers.
"""

from __future__ import annotations

import base64
import gzip
import html as html_lib
import itertools
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import folium
import geopandas as gpd
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.template import Template

from .basemap import CREDITS, WORLD_BBOX, basemap_geojson, town_labels
from .errors import BuildError
from .offline import find_modules_dir, inline_assets
from .payload import build_payload, encode_geometry, to_script_json

PAKISTAN_CENTRE = (30.0, 69.5)
LEAFLET_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")
CLUSTER_JS = ("supercluster", "https://cdn.jsdelivr.net/npm/supercluster@9.1.0/dist/supercluster.min.js")
OSM_CREDIT = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
# Folium's viewport forbids pinch zoom; people on phones need it.
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport" content="[^"]*user-scalable=no[^"]*"\s*/>')
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
MAX_ZOOM = {True: 16, False: 18}  # offline outlines are 1:10m: past zoom 16 they mislead
MIN_ZOOM = 4
BASEMAP_PRECISION = {"10m": 4, "110m": 2}
TOWN_PRECISION = 3


@lru_cache(maxsize=2)
def _static(name: str) -> str:
    return resources.files("geo").joinpath("static", name).read_text(encoding="utf-8")


def basemap_payload(modules_dir: Path) -> dict[str, Any]:
    """Outlines and town names in the payload's compact form: each country as (name, kind,
    integer-delta coordinates) at its level of detail's precision; towns as parallel columns."""
    import shapely.geometry

    layers: dict[str, list[Any]] = {}
    for feature in basemap_geojson(modules_dir)["features"]:
        detail = feature["properties"]["detail"]
        kind, coords = encode_geometry(shapely.geometry.shape(feature["geometry"]), 10 ** BASEMAP_PRECISION[detail])
        layers.setdefault(detail, []).append([feature["properties"]["name"], kind, coords])
    labels = town_labels()
    scale = 10**TOWN_PRECISION
    return {
        "layers": [{"precision": BASEMAP_PRECISION[d], "countries": layers[d]} for d in ("110m", "10m") if d in layers],
        "towns": {
            "names": [t[0] for t in labels],
            "coords": [c for t in labels for c in (round(t[1] * scale), round(t[2] * scale))],
            "zooms": [t[3] for t in labels],
            "precision": TOWN_PRECISION,
        },
    }


class CatalogLayer(JSCSSMixin):
    """The catalog drawn by cpec-map.js: filters, legend, clusters, tooltips, popups, search, table."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
            <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script type="application/octet-stream" id="{{ this.get_name() }}_data" data-encoding="gzip+base64"
                data-offline-copy="{{ this.offline_copy }}">{{ this.data }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = window.cpecMapper.load({{ this._parent.get_name() }}, "{{ this.get_name() }}_data");
        {% endmacro %}
        """
    )
    default_js: ClassVar = [CLUSTER_JS]

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__()
        self._name = "CatalogLayer"
        # gzip (no timestamp, so builds stay byte-identical) then base64: a third of the JSON's size,
        # which the browser inflates natively (DecompressionStream) in a few milliseconds.
        packed = gzip.compress(to_script_json(payload).encode("utf-8"), compresslevel=9, mtime=0)
        self.data = base64.b64encode(packed).decode("ascii")
        self.offline_copy = html_lib.escape(payload["page"].get("offlineCopy") or "", quote=True)
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


def render_map(
    frame: gpd.GeoDataFrame,
    *,
    title: str = "CPEC assets",
    offline: bool = False,
    modules_dir: Path | None = None,
    page: dict[str, Any] | None = None,
) -> str:
    """The HTML page of a map of ``frame``; offline pages inline every asset and fetch nothing
    (``modules_dir``: the pinned front-end packages, found by default). ``page``: links to the other
    maps and the offline copy, handed to the script as they are."""
    west, south, east, north = WORLD_BBOX
    fmap = folium.Map(
        location=PAKISTAN_CENTRE,
        zoom_start=5,
        tiles=None,
        control_scale=True,
        maxZoom=MAX_ZOOM[offline],  # Map options; folium's max_zoom/min_zoom only reach a tile layer
        minZoom=MIN_ZOOM,
        max_bounds=True,
        min_lat=south, max_lat=north, min_lon=west, max_lon=east,
    )
    # Only Leaflet itself: folium's jQuery, Bootstrap and icon fonts are never used by these pages.
    fmap.default_js = [LEAFLET_JS]
    fmap.default_css = [LEAFLET_CSS]
    fmap.get_root().title = html_lib.escape(title)  # folium writes it into <title> as it is
    page = dict(page or {})
    if offline:
        modules_dir = modules_dir or find_modules_dir()
        page["basemap"] = basemap_payload(modules_dir)
        page["credits"] = list(CREDITS)
    else:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", attr=OSM_CREDIT, max_zoom=MAX_ZOOM[offline],
                         min_zoom=MIN_ZOOM).add_to(fmap)
        page["credits"] = []
    CatalogLayer(build_payload(frame, title, page)).add_to(fmap)
    root = fmap.get_root()
    _number_elements(root)
    html, replaced = _FOLIUM_VIEWPORT.subn(VIEWPORT, root.render(), count=1)
    if not replaced:
        raise BuildError("folium's viewport tag changed; update geo.render._FOLIUM_VIEWPORT")
    return inline_assets(html, modules_dir) if modules_dir and offline else html
