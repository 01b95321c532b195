"""The exception family: every error the library raises on purpose is a GeoError.

Each carries where it happened (path, feature id, field) so that ``str()`` is the
one line a user needs: ``path: feature 'id': field: message``.
"""

from __future__ import annotations

from pathlib import Path


class GeoError(Exception):
    """Base of all cpec-mapper errors; str() is one line."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        feature: str | int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = str(path) if path is not None else None
        self.feature = feature
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = []
        if self.path:
            parts.append(self.path)
        if self.feature is not None:
            label = f"feature {self.feature!r}" if isinstance(self.feature, str) else f"feature #{self.feature}"
            parts.append(label)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts).replace("\n", " ")


class CatalogError(GeoError, ValueError):
    """Input data that cannot be read or does not pass validation."""


class ExportError(GeoError, OSError):
    """An export that could not be written."""


class BuildError(GeoError, RuntimeError):
    """A map build that could not complete (missing assets, unwritable output)."""


class OfflineAssetError(BuildError):
    """A script or stylesheet URL the offline inliner does not know."""


class SelectionError(GeoError, ValueError):
    """A filter value that names nothing (an unknown status word, a malformed bbox)."""


class DocumentError(GeoError, ValueError):
    """A document to extract from that cannot be read as UTF-8 text."""
