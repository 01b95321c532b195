"""Time: each asset's dated status history, the catalog as it stood on a date, and what changed.

Dates are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``. A history entry counts as having happened once its
whole period has passed: an entry dated ``2016`` is known by the end of 2016, not by March 2016,
because the source does not say when in the year it happened. ``as_of`` and ``changes`` share that
rule, so the changes between two dates are exactly the differences between the two snapshots.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np

from .errors import SelectionError

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@lru_cache(maxsize=8192)  # a catalog repeats its dates; validation asks for every history entry
def period(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a ``YYYY[-MM[-DD]]`` date stands for; ValueError if it is not one."""
    match = _DATE.fullmatch(str(text))
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    when = dt.date(year, month, day)
    return when, when


def parse_date_option(text: str, option: str = "--as-of") -> str:
    """A date given on the command line or to the API, checked; SelectionError names the option."""
    try:
        period(text)
    except ValueError as exc:
        raise SelectionError(str(exc), field=option) from None
    return str(text)


def known_by(entry_date: str, date: str) -> bool:
    """Whether an entry dated ``entry_date`` had surely happened by the end of ``date``."""
    return period(entry_date)[1] <= period(date)[1]


def state_on(history: list[dict[str, Any]], date: str) -> list[dict[str, Any]]:
    """The entries of a history known by the end of ``date`` (empty: the asset was not yet announced)."""
    return [entry for entry in history if known_by(entry["date"], date)]


def as_of(frame: gpd.GeoDataFrame, date: str) -> gpd.GeoDataFrame:
    """The catalog as it stood at the end of ``date``: assets not yet announced are absent, the others
    carry the status they had then, and their history stops there."""
    date = parse_date_option(date)
    histories = [state_on(h, date) for h in frame["status_history"]]
    snapshot = frame[np.array([bool(h) for h in histories], dtype=bool)].copy()
    kept = [h for h in histories if h]
    snapshot["status_history"] = kept
    snapshot["status"] = [h[-1]["status"] for h in kept]
    snapshot["status_as_of"] = [h[-1]["date"] for h in kept]
    return snapshot


@dataclass(frozen=True)
class Change:
    """One asset's status moving from one value to another (``before`` is None when it enters the plan)."""

    id: str
    name: str
    date: str
    before: str | None
    after: str
    event: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cited(entry: dict[str, Any]) -> str:
    """Where an entry comes from: its page's URL, or the editors' note."""
    source = entry.get("source")
    return source["url"] if isinstance(source, dict) else f"editors: {entry.get('note', '')}"


def transitions(history: list[dict[str, Any]]) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """Each entry that changes the status, with the status before it; confirmations are skipped."""
    before: str | None = None
    for entry in history:
        if entry["status"] != before:
            yield before, entry
            before = entry["status"]


def changes(frame: gpd.GeoDataFrame, since: str, until: str | None = None) -> list[Change]:
    """Every status change known after ``since`` began and by the end of ``until`` (default: no end),
    oldest first; an asset entering the plan counts as a change from nothing."""
    since = parse_date_option(since, "--since")
    start = period(since)[0]
    end = period(parse_date_option(until, "--until"))[1] if until else dt.date.max
    if end < start:
        raise SelectionError(f"--until {until} is before --since {since}", field="--until")
    found = [
        Change(fid, name, entry["date"], before, entry["status"], entry.get("event", ""), _cited(entry))
        for fid, name, history in zip(frame["id"], frame["name"], frame["status_history"], strict=True)
        for before, entry in transitions(history)
        if start <= period(entry["date"])[1] <= end
    ]
    return sorted(found, key=lambda c: (period(c.date)[1], c.id))


def history_years(frame: gpd.GeoDataFrame) -> tuple[int, int] | None:
    """The first and last year any history in the frame covers (None for an empty frame)."""
    years = [period(e["date"])[0].year for h in frame["status_history"] for e in h]
    return (min(years), max(years)) if years else None
