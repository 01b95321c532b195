"""Write a file so it is complete or absent: a temporary file beside it, then a rename."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any


def write_text_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one rename; on failure the old file is untouched (raises OSError)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_POSITION = re.compile(r"\[\s*(-?\d[\d.eE+-]*),\s*(-?\d[\d.eE+-]*)\s*\]")


def dump_geojson(document: Any) -> str:
    """The repository's GeoJSON layout: two-space indent, one ``[lon, lat]`` position per line, so
    a changed coordinate is a one-line diff."""
    return _POSITION.sub(r"[\1, \2]", json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
