"""Write files so they are complete or absent, and the one GeoJSON writer every command uses.

A file is written under a temporary name beside its target and renamed over it; it keeps the mode of the
file it replaces (a new file gets the usual mode the umask allows), so a rewrite never narrows who may read it.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import uuid
from pathlib import Path
from typing import Any, Literal

Layout = Literal["indented", "features", "lines"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def keep_mode(written: Path, target: Path) -> None:
    """Give ``written`` (about to replace ``target``) the target's mode, or the umask's default for a new file:
    temporary files are created 0600, which would otherwise reach the target."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    os.chmod(written, mode)


def write_text_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename, keeping its mode; on failure the old file is untouched
    (raises OSError)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        keep_mode(Path(tmp), path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False, allow_nan=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _coordinates(value: Any, level: int) -> str:
    """Coordinates nested as json.dumps(indent=2) would at ``level``, but each ``[lon, lat]`` on one line."""
    pad = "  " * level
    if isinstance(value, list) and len(value) == 2 and all(map(_is_number, value)):
        return f"[{_dumps(value[0])}, {_dumps(value[1])}]"
    if isinstance(value, list) and value:
        inner = ",\n".join(f"{pad}  {_coordinates(item, level + 1)}" for item in value)
        return f"[\n{inner}\n{pad}]"
    return _dumps(value, 2).replace("\n", "\n" + pad)


def _features(document: Any) -> list[Any]:
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        return features if isinstance(features, list) else []
    return [document] if isinstance(document, dict) else document if isinstance(document, list) else []


def _indented(document: Any) -> str:
    """json.dumps(indent=2), with the positions of each Feature's geometry.coordinates on one line each.

    Only coordinates are laid out differently: every other value (a note "revised [2015,2017]" included)
    is exactly as json.dumps writes it. Coordinates are swapped for unique markers, dumped, and put back.
    """
    marker = f"coordinates-{uuid.uuid4().hex}-"
    swapped: dict[str, Any] = {}
    restore: list[tuple[dict[str, Any], Any]] = []
    for feature in _features(document):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geometry, dict) and "coordinates" in geometry:
            key = f"{marker}{len(swapped)}"
            swapped[key] = geometry["coordinates"]
            restore.append((geometry, geometry["coordinates"]))
            geometry["coordinates"] = key
    try:
        text = _dumps(document, 2)
    finally:
        for geometry, coordinates in restore:
            geometry["coordinates"] = coordinates
    for key, coordinates in swapped.items():
        at = text.index(f'"{key}"')
        level = (at - text.rfind("\n", 0, at) - 1 - len('"coordinates": ')) // 2
        text = text[:at] + _coordinates(coordinates, level) + text[at + len(key) + 2:]
    return text + "\n"


def dump_geojson(document: Any, layout: Layout = "indented") -> str:
    """GeoJSON text, in one of three layouts (raises ValueError for NaN or infinite numbers):

    - ``indented``: the repository's data files: two-space indent, one ``[lon, lat]`` per line, so a
      changed coordinate is a one-line diff;
    - ``features``: a FeatureCollection with one Feature per line (exports: small, and ``grep`` finds a feature);
    - ``lines``: GeoJSON Lines (GDAL's GeoJSONSeq), one Feature per line and nothing else.
    """
    if layout == "indented":
        return _indented(document)
    lines = [_dumps(feature) for feature in _features(document)]
    if layout == "lines":
        return "".join(line + "\n" for line in lines)
    body = ",\n".join(lines)
    return '{"type": "FeatureCollection", "features": [' + (f"\n{body}\n" if body else "") + "]}\n"
