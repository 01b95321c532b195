"""Read GeoJSON files into raw feature records, turning every way a file can be unreadable
into one clear CatalogError line (never a traceback, never a silent guess)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import CatalogError, GeoError
from .schema import DATA_DIR

# json.loads of a file costs roughly ten times its size in memory; past this size we refuse
# rather than risk the machine running out of memory.
MAX_FILE_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class RawFeature:
    """One Feature as it stands in its file, with where it came from."""

    path: str
    index: int
    data: Any

    @property
    def label(self) -> str | int:
        """The feature's id when it has a usable one, else its position in the file."""
        props = self.data.get("properties") if isinstance(self.data, dict) else None
        fid = props.get("id") if isinstance(props, dict) else None
        return fid if isinstance(fid, str) and fid else self.index


def data_files(paths: Iterable[str | Path] | None = None) -> list[Path]:
    """The GeoJSON files to read: the given files, the ``*.geojson`` in given folders, or the shipped data."""
    chosen = [DATA_DIR] if paths is None else [Path(p) for p in paths]
    files: list[Path] = []
    for path in chosen:
        if path.is_dir():
            found = sorted(path.glob("*.geojson"))
            if not found:
                raise CatalogError("folder holds no *.geojson file", path=path)
            files.extend(found)
        else:
            files.append(path)
    return files


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _out_of_range(text: str) -> ValueError:
    shown = text if len(text) <= 20 else f"{text[:8]}...{text[-8:]} ({len(text)} characters)"
    return ValueError(f"number {shown} is out of range (as a float it is infinite)")


def _finite_float(text: str) -> float:
    """A JSON number, refused when it overflows to infinity (1e400), which later stages cannot write."""
    value = float(text)
    if not math.isfinite(value):
        raise _out_of_range(text)
    return value


def _finite_int(text: str) -> int:
    """A JSON integer, refused when no float can hold it (it would become infinity in a table or a map)."""
    value = int(text)
    try:
        float(value)
    except OverflowError:
        raise _out_of_range(text) from None
    return value


def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        raise CatalogError("file starts with a UTF-8 byte order mark; save it as UTF-8 without BOM", path=path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CatalogError("file is UTF-16; GeoJSON must be UTF-8 (RFC 7946)", path=path)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CatalogError(
            f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}; Latin-1 text?); re-save as UTF-8",
            path=path,
        ) from None


def read_bounded(path: Path, what: str, error: type[GeoError] = CatalogError) -> bytes:
    """A file's bytes, refusing folders and files over MAX_FILE_BYTES; every failure is one ``error`` line."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise error(f"is a folder, expected {what}", path=path)
        if size > MAX_FILE_BYTES:
            raise error(
                f"file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit; split it into smaller files",
                path=path,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise error("no such file", path=path) from None
    except PermissionError:
        raise error("permission denied", path=path) from None
    except OSError as exc:
        raise error(f"cannot read: {exc.strerror or exc}", path=path) from None


def read_json(path: str | Path) -> Any:
    """Parse one JSON file strictly (UTF-8, no NaN, Infinity or numbers that overflow to it), with one-line errors."""
    path = Path(path)
    raw = read_bounded(path, "a GeoJSON file")
    if not raw.strip():
        raise CatalogError("file is empty, expected a GeoJSON FeatureCollection", path=path)
    text = _decode(raw, path)
    try:
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_finite_int)
    except json.JSONDecodeError as exc:
        where = "ends before the JSON is complete (truncated?)" if exc.pos >= len(text.rstrip()) else exc.msg
        raise CatalogError(f"not valid JSON: {where} at line {exc.lineno} column {exc.colno}", path=path) from None
    except ValueError as exc:
        raise CatalogError(f"not valid JSON: {exc}", path=path) from None
    except RecursionError:
        raise CatalogError("not valid JSON: nested too deeply", path=path) from None


def features_of(document: Any, path: str | Path) -> Iterator[RawFeature]:
    """The features of a parsed GeoJSON document: a FeatureCollection, a Feature, or a list of Features."""
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        items = document.get("features")
        if not isinstance(items, list):
            raise CatalogError("FeatureCollection has no 'features' list", path=path)
    elif isinstance(document, dict) and document.get("type") == "Feature":
        items = [document]
    elif isinstance(document, list):
        items = document
    else:
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise CatalogError(f"expected a GeoJSON FeatureCollection, found {kind!r}", path=path)
    for index, item in enumerate(items):
        yield RawFeature(str(path), index, item)
