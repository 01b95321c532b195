"""Time loading or validating a catalog in a fresh interpreter pinned to one CPU:
``python -m bench.solo load|validate|read REPEATS PATH...`` prints JSON.

Why a fresh process: the harness holds large frames and a browser driver, and Python's cyclic
garbage collector walks every live container, so the same call is slower inside the harness than
in ``cpec-map validate``. Why one CPU: the issue's target is "on one core".

Besides the times, one extra instrumented ``validate`` call says where they go: reading (JSON
parsing) vs the checks, and how much of it the cyclic garbage collector took (``gc.callbacks``).
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


class GcTimer:
    """Seconds spent in the cyclic garbage collector while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.collections += 1

    def __enter__(self) -> GcTimer:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def _action(kind: str, paths: list[Path]) -> Callable[[], Any]:
    import geo

    if kind == "load":
        return lambda: geo.load_catalog(paths)
    if kind == "validate":
        return lambda: geo.validate(paths)
    from .measure import read_plain

    return lambda: read_plain(paths)


def _instrumented(paths: list[Path]) -> dict[str, Any]:
    """One more real ``geo.validate(paths)`` call, with its two halves timed through wrappers put on the
    module's ``read_checked`` and ``validate_features`` (so any GC pause or other setting validate()
    applies still holds), and the cyclic garbage collector's time during the call."""
    import geo

    module = importlib.import_module("geo.validate")
    spent: dict[str, float] = {}
    originals: dict[str, Callable[..., Any]] = {}

    def wrap(name: str) -> None:
        original = originals[name] = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        setattr(module, name, timed)

    for name in ("read_checked", "validate_features"):
        if hasattr(module, name):
            wrap(name)
    gc.collect()
    try:
        with GcTimer() as timer:
            geo.validate(paths)
    finally:
        for name, original in originals.items():
            setattr(module, name, original)
    out: dict[str, Any] = {"gc_s": timer.seconds, "gc_collections": timer.collections}
    if len(spent) == 2:
        out.update(read_s=spent["read_checked"], checks_s=spent["validate_features"])
    return out


def main(argv: list[str]) -> None:
    kind, repeats, paths = argv[0], int(argv[1]), [Path(p) for p in argv[2:]]
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    action = _action(kind, paths)
    times = []
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    out: dict[str, Any] = {"times": times, "median": statistics.median(times)}
    if kind == "validate":
        out.update(_instrumented(paths))
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
