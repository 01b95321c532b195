"""Peak memory of one map build, in a process of its own: ``python -m bench.peak KIND FRAME.pkl OUT.html``.

Why a child process: the parent holds several catalogs, a browser driver and earlier builds, so its
own high-water mark says nothing about one build. Why /proc and not ``getrusage``: Linux keeps
``ru_maxrss`` across fork and exec, so a child would report its parent's peak. The child reads its
own ``VmRSS`` after imports and unpickling the frame ("before"), resets the high-water mark
(``/proc/self/clear_refs``, 5), builds, and reports ``VmHWM``, its resident peak during the build,
with the build's time in this cold process and the cyclic garbage collector's share of it.
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from pathlib import Path


def _status_kib(field: str) -> int:
    """A memory field of /proc/self/status, in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def main(argv: list[str]) -> None:
    kind, frame_path, out_path = argv[0], Path(argv[1]), Path(argv[2])
    from geo.offline import find_modules_dir
    from geo.render import render_map

    from .measure import explore_html
    from .solo import GcTimer

    modules_dir = find_modules_dir()
    frame = pickle.loads(frame_path.read_bytes())
    before = _status_kib("VmRSS")
    reset = _reset_peak()
    start = time.perf_counter()
    with GcTimer() as gc_time:
        if kind == "ours":
            html = render_map(frame, title="CPEC assets", offline=True, modules_dir=modules_dir)
        else:
            html = explore_html(frame, modules_dir)
        out_path.write_text(html, encoding="utf-8")
    print(json.dumps({"before_kib": before, "peak_kib": _status_kib("VmHWM"), "reset": reset,
                      "build_s": time.perf_counter() - start, "gc_s": gc_time.seconds}))


if __name__ == "__main__":
    main(sys.argv[1:])
