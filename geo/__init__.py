"""cpec-mapper: a sourced, geocoded catalog of China-Pakistan Economic Corridor assets.

Data flows one way: read -> validate -> catalog (load) -> select -> render / export.
"""

from .build import build_maps
from .catalog import load_catalog
from .errors import BuildError, CatalogError, ExportError, GeoError, SelectionError
from .export import ExportResult, export
from .extract import extract
from .history import Change, as_of, changes
from .select import select
from .validate import Issue, Report, validate

__all__ = [
    "BuildError",
    "CatalogError",
    "Change",
    "ExportError",
    "ExportResult",
    "GeoError",
    "Issue",
    "Report",
    "SelectionError",
    "as_of",
    "build_maps",
    "changes",
    "export",
    "extract",
    "load_catalog",
    "select",
    "validate",
]
