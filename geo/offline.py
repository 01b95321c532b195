"""Make a rendered Folium page work with no network: every CDN script and stylesheet is
replaced by the matching file from ``node_modules`` (installed by ``npm ci`` from our
package-lock.json), and every image or font a stylesheet points at becomes a data: URI.

Why a table and not "fetch whatever folium asks for": the machines that build and view these
maps have no CDN access, and a page that silently reaches the network is a broken page. So each
known URL maps to one pinned file, and an unknown URL is an error naming it.
"""

from __future__ import annotations

import base64
import functools
import html as html_lib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, OfflineAssetError

ENV_VAR = "CPEC_NODE_MODULES"
FIX = "run `make node_modules` (npm ci)"


@dataclass(frozen=True)
class Asset:
    """Where a CDN URL's content lives under node_modules (None: generated from the page).

    ``icons`` marks the stack only folium.Icon glyphs need (Bootstrap, glyphicons, Font Awesome,
    awesome-markers): about 1 MB, so it is left out of pages that show no icon.
    """

    path: str | None
    icons: bool = False


_JSD = "https://cdn.jsdelivr.net/npm/"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_ROTATE_CSS_URL = (
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css"
)

# Exact URLs emitted by folium 0.20 (folium.py _default_js/_default_css) and the plugins we use.
ASSETS: dict[str, Asset] = {
    # core map
    _JSD + "leaflet@1.9.3/dist/leaflet.js": Asset("leaflet/dist/leaflet.js"),
    _JSD + "leaflet@1.9.3/dist/leaflet.css": Asset("leaflet/dist/leaflet.css"),
    "https://code.jquery.com/jquery-3.7.1.min.js": Asset("jquery/dist/jquery.min.js"),
    _JSD + "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": Asset("bootstrap/dist/js/bootstrap.bundle.min.js", True),
    _JSD + "bootstrap@5.2.2/dist/css/bootstrap.min.css": Asset("bootstrap/dist/css/bootstrap.min.css", True),
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": Asset(
        "@neos21/bootstrap3-glyphicons/dist/css/bootstrap3-glyphicons.min.css", True
    ),
    _JSD + "@fortawesome/fontawesome-free@6.2.0/css/all.min.css": Asset(
        "@fortawesome/fontawesome-free/css/all.min.css", True
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": Asset(
        "leaflet.awesome-markers/dist/leaflet.awesome-markers.js", True
    ),
    _CDNJS + "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": Asset(
        "leaflet.awesome-markers/dist/leaflet.awesome-markers.css", True
    ),
    _ROTATE_CSS_URL: Asset(None, True),
    # folium.plugins.Search
    _JSD + "leaflet-search@2.9.7/dist/leaflet-search.min.js": Asset("leaflet-search/dist/leaflet-search.min.js"),
    _JSD + "leaflet-search@2.9.7/dist/leaflet-search.min.css": Asset("leaflet-search/dist/leaflet-search.min.css"),
    # folium.plugins.MarkerCluster
    _CDNJS + "leaflet.markercluster/1.1.0/leaflet.markercluster.js": Asset(
        "leaflet.markercluster/dist/leaflet.markercluster.js"
    ),
    _CDNJS + "leaflet.markercluster/1.1.0/MarkerCluster.css": Asset("leaflet.markercluster/dist/MarkerCluster.css"),
    _CDNJS + "leaflet.markercluster/1.1.0/MarkerCluster.Default.css": Asset(
        "leaflet.markercluster/dist/MarkerCluster.Default.css"
    ),
    # the map's point clusters (geo/render.py)
    _JSD + "supercluster@9.1.0/dist/supercluster.min.js": Asset("supercluster/dist/supercluster.min.js"),
    # the progress charts (geo/timeline.py)
    _JSD + "chart.js@4.5.1/dist/chart.umd.min.js": Asset("chart.js/dist/chart.umd.min.js"),
}

# Leaflet guesses its marker images' folder from a CSS url(); with data: URIs that guess fails
# and it would request "marker-icon.png" next to the page, so the URLs are set explicitly.
_LEAFLET_JS = "leaflet/dist/leaflet.js"
_LEAFLET_ICONS = {
    "iconUrl": "leaflet/dist/images/marker-icon.png",
    "iconRetinaUrl": "leaflet/dist/images/marker-icon-2x.png",
    "shadowUrl": "leaflet/dist/images/marker-shadow.png",
}

_MIME = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".eot": "application/vnd.ms-fontobject",
}

_TAG_RE = re.compile(r"<script\b(?P<script>[^>]*)>(?P<close>\s*</script\s*>)?|<link\b(?P<link>[^>]*)>", re.I)
_ATTR_RE = re.compile(r"""([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
_FONT_FACE_RE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_SRC_RE = re.compile(r"\bsrc\s*:[^;}]*;?")
_SOURCE_MAP_RE = re.compile(r"^\s*//[#@] sourceMappingURL=\S*\s*$|/\*[#@] sourceMappingURL=[^*]*\*/", re.M)
_ICON_USE_RE = re.compile(r"L\.AwesomeMarkers|glyphicon|\bfa-[a-z0-9]")
_ROTATE_RE = re.compile(r"\bfa-rotate-(-?\d+)\b")


def find_modules_dir(start: Path | None = None) -> Path:
    """Locate node_modules: $CPEC_NODE_MODULES, else the nearest ``node_modules`` at or above
    ``start`` (default: this package's folder, i.e. the repo's). Checks the pinned files are there
    so a half-installed tree fails here with the fix, not later in a browser."""
    env = os.environ.get(ENV_VAR)
    if env:
        found: Path | None = Path(env)
        if not found.is_dir():
            raise BuildError(f"{ENV_VAR} points to a missing folder; {FIX} or unset it", path=found)
    else:
        here = (start or Path(__file__).parent).resolve()
        found = next((d / "node_modules" for d in (here, *here.parents) if (d / "node_modules").is_dir()), None)
        if found is None:
            raise BuildError(f"no node_modules folder at or above this folder; {FIX}", path=here)
    missing = [p for p in required_files() if not (found / p).is_file()]
    if missing:
        raise BuildError(f"node_modules lacks {missing[0]} ({len(missing)} files missing); {FIX}", path=found)
    return found


def required_files() -> list[str]:
    """The node_modules-relative files the URL table and the Leaflet icon fix read."""
    return sorted({a.path for a in ASSETS.values() if a.path} | set(_LEAFLET_ICONS.values()))


def inline_assets(html: str, modules_dir: Path, *, icons: bool | None = None) -> str:
    """Return ``html`` with each CDN ``<script src>``/``<link rel=stylesheet>`` replaced by the
    pinned file's content, so the page opens from file:// with no network.

    ``icons``: include the folium.Icon stack (Bootstrap, glyphicons, Font Awesome, awesome-markers);
    None includes it only when the page uses icons (``L.AwesomeMarkers``, ``glyphicon``, ``fa-*``).
    Raises OfflineAssetError for a network URL the table does not know, BuildError for missing files.
    """
    modules_dir = Path(modules_dir)
    page = _TAG_RE.sub("", html)  # the page without its asset tags: what the map itself uses
    if icons is None:
        icons = _ICON_USE_RE.search(page) is not None

    def replace(match: re.Match[str]) -> str:
        is_script = match.group("link") is None
        attrs = _attrs(match.group("script") if is_script else match.group("link"))
        url = attrs.get("src" if is_script else "href", "")
        if not _is_network(url):
            return match.group(0)
        asset = ASSETS.get(url)
        is_stylesheet = "stylesheet" in attrs.get("rel", "").lower().split()
        if asset is None or (not is_script and not is_stylesheet):
            raise OfflineAssetError(f"no offline copy of {url}; add it to geo.offline.ASSETS and package.json")
        if is_script and match.group("close") is None:
            raise OfflineAssetError(f"<script src={url!r}> has a body; cannot inline it")
        if asset.icons and not icons:
            return ""
        if asset.path is None:
            return f"<style>{_rotate_css(page)}</style>"
        if is_script:
            return f"<script>{_script_text(modules_dir, asset.path)}</script>"
        return f"<style>{_css_text(modules_dir / asset.path)}</style>"

    return _TAG_RE.sub(replace, html)


def _attrs(text: str) -> dict[str, str]:
    """Tag attributes as a lower-case-name dict (order-independent, entity-decoded)."""
    return {
        m.group(1).lower(): html_lib.unescape(next((g for g in m.groups()[1:] if g is not None), ""))
        for m in _ATTR_RE.finditer(text)
    }


def _is_network(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://", "//"))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise BuildError(f"cannot read offline asset ({e.strerror}); {FIX}", path=path) from None


def _data_uri(path: Path) -> str:
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise BuildError(f"no MIME type known for {path.suffix!r} files referenced from CSS", path=path)
    return f"data:{mime};base64,{base64.b64encode(_read(path)).decode('ascii')}"


@functools.lru_cache(maxsize=64)
def _script_text(modules_dir: Path, rel: str) -> str:
    """A script's text made safe inside <script>...</script> (cached: maps reuse the same files)."""
    text = _SOURCE_MAP_RE.sub("", _read(modules_dir / rel).decode("utf-8"))
    if rel == _LEAFLET_JS:
        urls = ",".join(f'{k}:"{_data_uri(modules_dir / v)}"' for k, v in _LEAFLET_ICONS.items())
        text += f'\n;L.Icon.Default.imagePath="";L.Icon.Default.mergeOptions({{{urls}}});\n'
    # "</script" would end the element early; "<!--" can make the parser skip the real end tag.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I).replace("<!--", "<\\!--")


@functools.lru_cache(maxsize=64)
def _css_text(path: Path) -> str:
    """A stylesheet with every url() turned into a data: URI; fonts keep only their woff2 source,
    and a font file already embedded by an earlier @font-face (Font Awesome's v4/v5 aliases) is not
    embedded again: those aliases are dropped."""
    text = _SOURCE_MAP_RE.sub("", _read(path).decode("utf-8"))
    embedded: set[Path] = set()

    def font_face(match: re.Match[str]) -> str:
        block = match.group(0)
        woff2 = [u for u in _css_urls(block) if _strip_query(u).lower().endswith(".woff2")]
        if not woff2:
            return block
        font = (path.parent / _strip_query(woff2[0])).resolve()
        if font in embedded:
            return ""
        embedded.add(font)
        return _FONT_SRC_RE.sub("", block)[:-1] + f';src:url({_data_uri(font)}) format("woff2")}}'

    def url(match: re.Match[str]) -> str:
        ref = next(g for g in match.groups() if g is not None)
        if not ref or ref.startswith(("data:", "#")):
            return match.group(0)
        if _is_network(ref):
            raise OfflineAssetError(f"stylesheet refers to {ref}; vendor that file", path=path)
        return f'url("{_data_uri((path.parent / _strip_query(ref)).resolve())}")'

    text = _CSS_URL_RE.sub(url, _FONT_FACE_RE.sub(font_face, text))
    return re.sub(r"</(style)", r"<\\/\1", text, flags=re.I)


def _css_urls(css: str) -> Iterable[str]:
    for m in _CSS_URL_RE.finditer(css):
        yield next(g for g in m.groups() if g is not None)


def _strip_query(ref: str) -> str:
    return ref.split("#", 1)[0].split("?", 1)[0]


def _rotate_css(page: str) -> str:
    """folium's rotate stylesheet (not on npm): one rule per ``fa-rotate-N`` class the page uses."""
    angles = sorted({int(a) for a in _ROTATE_RE.findall(page)})
    return "".join(f".fa-rotate-{a}{{transform:rotate({a}deg)}}" for a in angles)
