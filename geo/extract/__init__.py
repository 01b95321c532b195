"""Find the catalog assets a document names, with the evidence, and the project names the catalog lacks.

The modules, in the order a document meets them: ``tokens`` (words as compared), ``words`` (the
vocabulary), ``index`` (the catalog compiled once, with the phrase automaton), ``scan`` (one pass
that picks the sentences worth reading), ``rules`` (what a sentence names), ``candidates`` (names the
catalog lacks), ``results`` (mentions with file, line, column, rule, sentence and confidence) and
``documents`` (files, folders, the assets-by-documents matrix, features for maps).
"""

from __future__ import annotations

import pandas as pd

from .documents import (
    document_paths,
    extract_files,
    iter_documents,
    matrix,
    matrix_text,
    mentioned_frame,
    named_features,
    read_document,
    write_matrix,
)
from .results import RULES, Ambiguity, Candidate, Extraction, Mention
from .scan import Matcher
from .tokens import Token, tokenize

__all__ = [
    "RULES", "Ambiguity", "Candidate", "Extraction", "Matcher", "Mention", "Token", "document_paths", "extract",
    "extract_files", "iter_documents", "matrix", "matrix_text", "mentioned_frame", "named_features", "read_document",
    "tokenize", "write_matrix",
]


def extract(text: str, catalog: pd.DataFrame | Matcher, *, source: str | None = None) -> Extraction:
    """The catalog assets ``text`` names (``.mentions``), the phrases that fit several (``.ambiguous``)
    and the project names it lacks (``.unmatched``)."""
    matcher = catalog if isinstance(catalog, Matcher) else Matcher(catalog)
    return matcher.extract(text, source)
