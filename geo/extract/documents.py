"""Documents in, results out: reading text files and folders, one extraction per document, the matrix
of assets by documents, and the named assets as features for a map or a GeoJSON file."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ..errors import DocumentError
from ..export import feature_collection
from ..files import write_text_atomically
from ..reader import read_bounded
from .results import Extraction
from .scan import Matcher

TEXT_SUFFIXES = (".txt", ".md", ".text")


def read_document(path: str | Path) -> str:
    """A document's text: UTF-8 (a byte order mark is dropped); ``-`` reads standard input."""
    name = "<stdin>" if str(path) == "-" else str(path)
    raw = sys.stdin.buffer.read() if str(path) == "-" else read_bounded(Path(path), "a text file", DocumentError)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("file is UTF-16; save it as UTF-8", path=name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise DocumentError(f"not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); re-save it as UTF-8",
                            path=name) from None


def document_paths(paths: Iterable[str | Path]) -> list[str]:
    """Each path as given, a folder replaced by its text files (``*.txt``, ``*.md``), sorted, at any depth."""
    out: list[str] = []
    for path in paths:
        if str(path) != "-" and Path(path).is_dir():
            found = sorted(str(p) for p in Path(path).rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not found:
                raise DocumentError("folder holds no .txt or .md files", path=str(path))
            out.extend(found)
        else:
            out.append(str(path))
    return out


def iter_documents(paths: Iterable[str | Path], matcher: Matcher) -> Iterator[Extraction]:
    """One extraction per document, in order; ``-`` is standard input. Mentions name their source."""
    for path in paths:
        source = "<stdin>" if str(path) == "-" else str(path)
        yield matcher.extract(read_document(path), source)


def extract_files(paths: Iterable[str | Path], catalog: pd.DataFrame,
                  on_document: Callable[[Extraction], None] | None = None) -> Extraction:
    """Every document's extraction together, folders read as their text files; ``on_document`` hears of
    each document as it is done (a progress bar)."""
    result = Extraction()
    for one in iter_documents(document_paths(paths), Matcher(catalog)):
        result += one
        if on_document:
            on_document(one)
    return result


def matrix(result: Extraction) -> dict[str, dict[str, int]]:
    """{asset id: {document: mentions}} for every asset named, every document read as a column (0 where unnamed)."""
    sources = [s or "text" for s in result.sources]
    table: dict[str, dict[str, int]] = {}
    for mention in result.mentions:
        row = table.setdefault(mention.asset_id, dict.fromkeys(sources, 0))
        row[mention.source or "text"] = row.get(mention.source or "text", 0) + 1
    return table


def matrix_text(result: Extraction, fmt: str) -> str:
    """The matrix as CSV (one row per asset, one column per document, then how many documents name it) or JSON."""
    table = matrix(result)
    sources = [s or "text" for s in result.sources]
    if fmt == "json":
        return json.dumps({"documents": sources, "assets": table}, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["asset", *sources, "documents"])
    for asset, row in table.items():
        writer.writerow([asset, *(row[s] for s in sources), sum(1 for s in sources if row[s])])
    return out.getvalue()


def write_matrix(result: Extraction, path: str | Path) -> str:
    """Write the matrix to ``path``, CSV or JSON by its extension (complete or not at all); returns the format."""
    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in ("csv", "json"):
        raise DocumentError("the matrix is written as .csv or .json; name a file with one of those extensions",
                            path=str(path))
    try:
        write_text_atomically(Path(path), matrix_text(result, fmt))
    except OSError as exc:
        raise DocumentError(f"cannot write the matrix: {exc.strerror or exc}", path=str(path)) from None
    return fmt


def _documents_of(result: Extraction) -> dict[str, list[str]]:
    """For each asset named, the documents that name it, in reading order."""
    found: dict[str, dict[str, None]] = {}
    for mention in result.mentions:
        found.setdefault(mention.asset_id, {})[mention.source or "text"] = None
    return {asset: list(docs) for asset, docs in found.items()}


def mentioned_frame(result: Extraction, catalog: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The named assets for a map: ``mentions`` quotes where each document names the asset, document first
    (the popup), ``documents`` lists those documents and ``document_count`` counts them (what sizes the symbol)."""
    grouped = result.by_asset()
    documents = _documents_of(result)
    frame = catalog[catalog["id"].isin(list(grouped))].copy()
    frame["mentions"] = [
        [f"{m.source or 'text'}, line {m.line}: {m.snippet}" for m in grouped[fid]] for fid in frame["id"]
    ]
    frame["documents"] = [documents[fid] for fid in frame["id"]]
    frame["document_count"] = [len(documents[fid]) for fid in frame["id"]]
    return frame


def named_features(result: Extraction, catalog: gpd.GeoDataFrame) -> dict[str, Any]:
    """A FeatureCollection of the assets named, in order of first mention, each with its ``mentions``,
    written the way a GeoJSON export writes features."""
    grouped = result.by_asset()
    rows = catalog.set_index(catalog["id"], drop=False).loc[list(grouped)]
    collection = feature_collection(rows)
    for feature, mentions in zip(collection["features"], grouped.values(), strict=True):
        feature["properties"]["mentions"] = [m.to_dict() for m in mentions]
    return collection
