"""`make bench`: synthetic catalogs at several sizes, ours side by side with geopandas explore().

Order of a run: warm up (imports, the basemap cache, Folium's templates) on the shipped catalog;
measure the shipped catalog; then for each size write a synthetic catalog, check it validates,
and take every figure on that same catalog and frame; finally write RESULTS.md in one piece.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd

import geo
from geo.build import build_maps
from geo.offline import find_modules_dir
from geo.render import render_map
from geo.schema import DATA_DIR

from . import extract_speed
from . import measure as m
from .browser import Browser
from .report import Row, Section, fmt, parts_table, render, table, write_atomically
from .synth import write_catalog

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_SIZES = (1000, 10_000, 50_000)
TARGET_SIZES = (10_000, 50_000)  # the issue's ratio targets apply at these sizes
VALIDATE_TARGET_S = 5.0
REAL_BYTES_TARGET = 450_000
REAL_READY_TARGET_S = 0.5
TITLE = "CPEC assets"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def environment(browser: Browser, modules_dir: Path) -> dict[str, str]:
    """The machine and the versions the figures were taken with."""
    import folium
    import pyogrio
    import shapely

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "unknown")
    leaflet = json.loads((modules_dir / "leaflet" / "package.json").read_text())["version"]
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{os.cpu_count()} cores (os.cpu_count()), {cpu}, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "geopandas": gpd.__version__,
        "folium": folium.__version__,
        "shapely": shapely.__version__,
        "GDAL": f"{pyogrio.__gdal_version_string__} (pyogrio {pyogrio.__version__})",
        "others": ", ".join(f"{d} {version(d)}" for d in ("pandas", "numpy", "pyproj", "matplotlib", "mapclassify",
                                                            "playwright")) + f", Leaflet {leaflet} (node_modules)",
        "load average at start (1, 5, 15 min)": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "chromium": f"{browser.version} (/usr/bin/chromium, headless, viewport 1280x800)",
    }


def notes(sizes: list[int], repeats: int | None) -> list[str]:
    rep = f"{repeats} runs" if repeats else "median of 3 runs up to 10,000 features, 1 run above (Chromium: 5 and 3)"
    return [
        f"Times: `time.perf_counter()` wall time, {rep}; ours and the baseline are taken in turn (ABAB), so that "
        "other load on the machine hits both alike; the process is warm (imports, basemap cache and Folium "
        "templates loaded on the shipped catalog first).",
        "Synthetic catalogs (`bench/synth.py`, seeded): 70 % points, 25 % lines of 5-50 vertices (6 % of them "
        "MultiLineStrings), 5 % polygons, anchored on real towns inside Pakistan, every schema field, sources quoting "
        "the shipped catalog's documents; written one GeoJSON file per sector and checked with `geo.validate` "
        "(must be valid) before anything is measured. Sizes: " + ", ".join(f"{n:,}" for n in sizes) + ".",
        "load + validate = `geo.load_catalog(paths)` (read, validate, build the frame); validate = `geo.validate(paths)`; "
        "both in a fresh interpreter (`python -m bench.solo`) pinned to one CPU (`os.sched_setaffinity`), since the "
        "harness's own large heap would slow Python's cyclic GC; the validate note splits one extra pass into reading "
        "and checks and gives the GC's share (`gc.callbacks`). Baseline: `geopandas.read_file` of the same files "
        "(pyogrio), which validates nothing.",
        "build index.html = `geo.render.render_map(frame, offline=True)` + writing the file (what `build --offline` "
        "does for index.html); build all pages = `geo.build.build_maps(offline=True)` (index + one page per sector "
        "and per status). Baseline: `frame.explore(tiles=None)`, `.get_root().render()`, "
        "`geo.offline.inline_assets()` + writing the file. explore() needs matplotlib and mapclassify.",
        "Floor payload: the same features as RFC 7946 GeoJSON, coordinates rounded to 5 decimals, only "
        "id/name/status/sector, compact separators. gzip rows: `gzip -6` of the same files (what a slow connection "
        "carries if the page is served compressed).",
        "Chromium time to ready: fresh browser context per run, `file://` page, measured in the page with "
        "`performance.now()` from navigation start until, on two animation frames in a row, every feature is on the "
        "map (ours: `cpecMapper.views[0]` with all layers shown; explore(): leaf layers with a `feature` counted "
        "through `map.eachLayer`) and `map._animatingZoom` is false. Both draw features as SVG (ours clusters "
        "points with Supercluster and draws the offline basemap on a canvas).",
        "Peak memory: resident peak (`VmHWM` of /proc/self/status, reset through /proc/self/clear_refs once the "
        "frame is loaded) of a child process (`python -m bench.peak`) that unpickles the frame and builds one page; "
        "not `getrusage().ru_maxrss`, which Linux carries over from the parent across fork and exec. The note gives "
        "what the build added above the child's resident size before it (imports + frame).",
        "Export: `geo.export(frame, 'x.gpkg')`; baseline: plain `to_file(driver='GPKG')` with list columns as JSON text.",
        "Extract: `geo.extract(text, frame)` (matcher built from the catalog, then matched) on ~10 MB of news-like "
        "prose in which one sentence in five names an asset; one run.",
        "Map features: a separate, untimed page checks both filter groups (boxes and legend symbols), that "
        "unticking a sector hides exactly its features, that search finds a name and opens its popup, and that the "
        "page logs no error and requests nothing outside file:.",
    ]


def ratio_ok(ours: float | None, base: float | None, k: float) -> bool:
    """ours <= k x base, when both were measured."""
    return ours is not None and base is not None and ours <= k * base


def _child_peak(kind: str, pickle_path: Path, out_html: Path) -> dict[str, int]:
    """Peak RSS of a one-page build in a child process (see bench/peak.py)."""
    done = subprocess.run([sys.executable, "-m", "bench.peak", kind, str(pickle_path), str(out_html)],
                          cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.peak {kind} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _solo(kind: str, repeats: int, paths: list[Path]) -> dict[str, Any]:
    """Times of load/validate/read in a fresh interpreter pinned to one CPU (see bench/solo.py)."""
    done = subprocess.run([sys.executable, "-m", "bench.solo", kind, str(repeats), *map(str, paths)],
                          cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.solo {kind} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _extract_fn() -> Callable[..., Any] | None:
    try:
        return importlib.import_module("geo.extract").extract
    except (ImportError, AttributeError):
        return None


def _browser_profile(browser: Browser, path: Path, kind: str, n: int, label: str) -> tuple[str, str]:
    """A profile run turned into Markdown: marks, Chromium's counters, top JS functions by own time."""
    p = browser.profile(path, kind, n)
    nav, metrics, marks = p["nav"], p["metrics"], p["nav"].get("marks", {})
    lines = [f"ready at {p['ready'] * 1000:.0f} ms in this (profiled, slower) run; "
             f"DOM interactive (all inline scripts run) at {nav['domInteractive']:.0f} ms."]
    if "showStart" in marks:
        lines.append(f"cpec-map.js ran at {marks.get('scriptRun', 0):.0f} ms (HTML and Leaflet parsed before it); "
                     f"`cpecMapper.show()` called at {marks.get('showStart', 0):.0f} ms (after parsing the map script "
                     f"with its payload) and took {marks.get('showEnd', 0) - marks.get('showStart', 0):.0f} ms "
                     "(the view's construction: decoding, layers, controls, fit).")
    long_tasks = marks.get("longTasks") or []
    if long_tasks:
        lines.append(f"main-thread tasks over 50 ms: {len(long_tasks)}, {sum(d for _, d in long_tasks):.0f} ms in all: "
                     + "; ".join(f"{d:.0f} ms at {t:.0f} ms" for t, d in long_tasks[:8]) + ".")
    keys = ("ScriptDuration", "V8CompileDuration", "RecalcStyleDuration", "LayoutDuration", "TaskDuration")
    lines.append("Chromium counters: " + ", ".join(f"{k} {metrics.get(k, 0) * 1000:.0f} ms" for k in keys)
                 + f", DOM nodes {metrics.get('Nodes', 0):.0f}, JS heap {metrics.get('JSHeapUsedSize', 0) / 2**20:.0f} MiB.")
    top = m.js_profile_top(p["cpu"], path)
    body = "\n".join(f"- {t}" for t in lines) + "\n\nCPU profile, own time by function:\n\n" + parts_table(top, "")
    return f"Chromium, {label}", body


def measure_catalog(
    section: Section, frame: gpd.GeoDataFrame, paths: list[Path] | None, folder: Path, modules_dir: Path,
    browser: Browser, *, repeats: int, browser_repeats: int, extract_bytes: int, targets: bool, deep_profile: bool,
) -> None:
    """Every figure of one catalog into ``section`` (``paths`` None: the shipped data)."""
    n = len(frame)
    maps = folder / "maps"
    maps.mkdir(parents=True, exist_ok=True)

    log(f"{section.title}: load + validate (fresh process, one core)")
    files = paths or sorted(DATA_DIR.glob("*.geojson"))
    load, val, read = (_solo(kind, repeats, files) for kind in ("load", "validate", "read"))
    section.rows.append(Row("load + validate (`load_catalog`), one core", "s", load["median"], read["median"],
                            note="baseline: geopandas.read_file, no validation"))
    val_target = n >= 50_000
    phases = (f"one instrumented pass: reading {val['read_s']:.2f} s + checks {val['checks_s']:.2f} s; "
              if "read_s" in val else "")
    section.rows.append(Row("validate (`validate`), one core", "s", val["median"],
                            target="< 5 s" if val_target else "",
                            met=(val["median"] < VALIDATE_TARGET_S) if val_target else None,
                            note=f"{phases}cyclic GC {val['gc_s']:.2f} s of it ({val['gc_collections']} collections)"))

    log(f"{section.title}: build (ours, explore)")
    ours_path, exp_path, floor_path = maps / "index-render.html", maps / "explore.html", maps / "floor.geojson"
    explore_error = None
    ours_times: list[float] = []
    exp_times: list[float] = []
    exp_bytes: int | None = None
    for _ in range(max(repeats, 1)):  # taken in turn, so that other load on the machine hits both alike
        t_ours, _ = m.timed(lambda: m.write_text(
            ours_path, render_map(frame, title=TITLE, offline=True, modules_dir=modules_dir)), 1)
        ours_times.append(t_ours)
        if explore_error is None:
            try:
                t_one, exp_bytes = m.timed(lambda: m.write_text(exp_path, m.explore_html(frame, modules_dir)), 1)
                exp_times.append(t_one)
            except Exception as exc:  # e.g. OfflineAssetError for a CDN URL the inliner lacks: report, go on
                explore_error, exp_bytes = f"explore() baseline failed: {exc}", None
    t_build = statistics.median(ours_times)
    t_exp = statistics.median(exp_times) if exp_bytes else None
    build_dir = folder / "build"
    t_all, built = m.timed(lambda: build_maps(frame, build_dir, offline=True, modules_dir=modules_dir), 1)
    index = build_dir / "index.html"
    same = index.read_bytes() == ours_path.read_bytes()
    section.rows.append(Row("build index.html (`render_map` + write)", "s", t_build, t_exp,
                            target="≤ 0.5x explore" if targets else "",
                            met=ratio_ok(t_build, t_exp, 0.5) if targets else None,
                            note=explore_error or ""))
    section.rows.append(Row(f"build all pages (`build_maps`, {len(built)} pages)", "s", t_all))

    floor_bytes = m.write_text(floor_path, m.floor_geojson(frame))

    log(f"{section.title}: Chromium")
    pages = {"ours": (index, "ours")} | ({"explore": (exp_path, "explore")} if exp_bytes else {})
    ready = browser.time_to_ready(pages, n, browser_repeats)
    ours_ready, exp_ready = ready["ours"], ready.get("explore")
    failures = browser.check_ours(index, frame)
    works = not failures and not ours_ready.problems
    section.rows.append(Row("index.html bytes", "B", index.stat().st_size, exp_bytes, floor_bytes,
                            target="≤ 0.5x explore, ≤ 1.0x floor" if targets else "",
                            met=(ratio_ok(index.stat().st_size, exp_bytes, 0.5)
                                 and index.stat().st_size <= floor_bytes and works) if targets else None,
                            note="" if same else "differs from render_map's bytes!"))
    section.rows.append(Row("index.html gzip bytes", "B", m.gzip_size(index),
                            m.gzip_size(exp_path) if exp_bytes else None, m.gzip_size(floor_path)))
    section.rows.append(Row("Chromium time to ready", "s", ours_ready.median, exp_ready.median if exp_ready else None,
                            target="≤ 0.5x explore" if targets else "",
                            met=ratio_ok(ours_ready.median, exp_ready.median if exp_ready else None, 0.5)
                            if targets else None,
                            note=f"runs: ours {', '.join(f'{t:.2f}' for t in ours_ready.times)}"
                                 + (f"; explore {', '.join(f'{t:.2f}' for t in exp_ready.times)}" if exp_ready else "")))
    section.rows.append(Row("map features work (filters, legend, search, popup, clean page)", "",
                            "yes" if works else "no: " + "; ".join((failures + ours_ready.problems)[:3])))

    log(f"{section.title}: peak memory (child processes)")
    pickle_path = folder / "frame.pkl"
    pickle_path.write_bytes(pickle.dumps(frame))
    ours_mem = _child_peak("ours", pickle_path, maps / "peak-ours.html")
    exp_mem = _child_peak("explore", pickle_path, maps / "peak-explore.html") if exp_bytes else None
    mib = lambda k: k / 1024  # noqa: E731  (ru_maxrss is KiB on Linux)
    section.rows.append(Row("peak RSS of a one-page build (child process)", "MiB", mib(ours_mem["peak_kib"]),
                            mib(exp_mem["peak_kib"]) if exp_mem else None,
                            note=f"build added {mib(ours_mem['peak_kib'] - ours_mem['before_kib']):.0f} MiB"
                                 + (f" (explore {mib(exp_mem['peak_kib'] - exp_mem['before_kib']):.0f} MiB)"
                                    if exp_mem else "")
                                 + f" above {mib(ours_mem['before_kib']):.0f} MiB after imports + frame"
                                 + ("" if ours_mem.get("reset", True) else "; peak not reset: includes imports")))
    build_row = section.row("build index.html")
    if build_row is not None:
        gc_note = (f"first build in a fresh process: {ours_mem['build_s']:.2f} s, cyclic GC {ours_mem['gc_s']:.2f} s"
                   + (f" (explore {exp_mem['build_s']:.2f} s, GC {exp_mem['gc_s']:.2f} s)" if exp_mem else ""))
        build_row.note = "; ".join(filter(None, [build_row.note, gc_note]))

    log(f"{section.title}: export")
    export_dir = folder / "export"
    export_dir.mkdir(exist_ok=True)
    t_gpkg, _ = m.timed(lambda: geo.export(frame, export_dir / "ours.gpkg"), repeats)
    t_gpkg_plain, _ = m.timed(lambda: m.export_plain(frame, export_dir / "plain.gpkg"), repeats)
    section.rows.append(Row("export to GeoPackage (`geo.export`)", "s", t_gpkg, t_gpkg_plain,
                            note="baseline: plain to_file, one layer"))

    extract = _extract_fn()
    if extract is None:
        section.rows.append(Row("extract throughput", "", "n/a: extract not available"))
    else:
        log(f"{section.title}: extract on {extract_bytes / 1e6:.0f} MB")
        text = m.extract_text(frame, extract_bytes)
        size = len(text.encode("utf-8"))
        t_ex, result = m.timed(lambda: extract(text, frame), 1)
        mentions = len(getattr(result, "mentions", []) or [])
        section.rows.append(Row(f"extract throughput ({size / 1e6:.1f} MB of text)", "MB/s", size / 1e6 / t_ex,
                                note=f"{t_ex:.1f} s, {mentions:,} mentions found"))

    log(f"{section.title}: profiles")
    total = index.stat().st_size
    section.profiles.append(("index.html by part (ours)", parts_table(m.html_blocks(index.read_text("utf-8")), "B", total)))
    section.profiles.append(("catalog payload and basemap by part (ours, compact JSON)",
                             parts_table(m.payload_parts(frame, modules_dir), "B", total)))
    if exp_bytes:
        section.profiles.append(("explore() page by part", parts_table(m.html_blocks(exp_path.read_text("utf-8")), "B",
                                                                     exp_bytes)))
        section.profiles.append(("explore() GeoJSON by part", parts_table(m.explore_parts(frame), "B", exp_bytes)))
    section.profiles.append(_browser_profile(browser, index, "ours", n, "ours"))
    if exp_bytes:
        section.profiles.append(_browser_profile(browser, exp_path, "explore", n, "explore()"))
    if deep_profile:
        log(f"{section.title}: cProfile of render_map and validate")
        text = m.cprofile(lambda: render_map(frame, title=TITLE, offline=True, modules_dir=modules_dir))
        section.profiles.append(("cProfile: `render_map(frame, offline=True)` (index.html)", f"```\n{text}\n```"))
        with m.one_core():
            text = m.cprofile(lambda: geo.validate(paths))
        section.profiles.append(("cProfile: `validate(paths)`", f"```\n{text}\n```"))


def measure_real(browser: Browser, folder: Path, modules_dir: Path, extract_bytes: int) -> Section:
    """The shipped catalog: its map must stay at 450 KB or less and be ready in under 0.5 s."""
    frame = geo.load_catalog()
    section = Section(f"Shipped catalog ({len(frame)} assets)", len(frame))
    measure_catalog(section, frame, None, folder, modules_dir, browser, repeats=5, browser_repeats=5,
                    extract_bytes=extract_bytes, targets=False, deep_profile=False)
    size, ready = section.row("index.html bytes"), section.row("Chromium time to ready")
    if size:
        size.target, size.met = "≤ 450 KB", size.ours <= REAL_BYTES_TARGET
    if ready:
        ready.target, ready.met = "< 0.5 s", ready.ours is not None and ready.ours < REAL_READY_TARGET_S
    return section


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Speed and size of cpec-mapper at scale, side by side with geopandas explore().",
        epilog="Example: python -m bench --sizes 1000   (a quick run; results go to OUT/RESULTS.md)",
    )
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated catalog sizes (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "out", help="work folder (default: bench/out)")
    parser.add_argument("--repeats", type=int, default=None, help="runs per figure (default: 3 up to 10,000, else 1)")
    parser.add_argument("--extract-mb", type=float, default=10.0, help="MB of text for extract (default: 10)")
    parser.add_argument("--results", type=Path, default=None,
                        help="where to write the Markdown (default: bench/RESULTS.md for the default sizes, "
                             "else OUT/RESULTS.md)")
    parser.add_argument("--seed", type=int, default=2015, help="seed of the synthetic catalogs")
    parser.add_argument("--no-real", action="store_true", help="skip the shipped catalog")
    return parser.parse_args(argv)


def check_baseline_deps() -> None:
    """explore() imports these only when called; say how to install them before an hour's run, not during it."""
    missing = [name for name in ("matplotlib", "mapclassify") if importlib.util.find_spec(name) is None]
    if missing:
        raise SystemExit(f"the explore() baseline needs {' and '.join(missing)}: "
                         f"run `.venv/bin/python -m pip install {' '.join(missing)}`")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    check_baseline_deps()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = args.results or (BENCH_DIR / "RESULTS.md" if tuple(sizes) == DEFAULT_SIZES else args.out / "RESULTS.md")
    extract_bytes = int(args.extract_mb * 1e6)
    args.out.mkdir(parents=True, exist_ok=True)
    modules_dir = find_modules_dir()
    started = time.perf_counter()
    browser = Browser()
    try:
        env = environment(browser, modules_dir)
        log("warming up on the shipped catalog")
        warm = geo.load_catalog()
        t0 = time.perf_counter()
        render_map(warm, title=TITLE, offline=True, modules_dir=modules_dir)
        env["cold first render"] = f"{time.perf_counter() - t0:.2f} s (shipped catalog; excluded from the figures)"
        m.explore_html(warm, modules_dir)
        real = None if args.no_real else measure_real(browser, args.out / "real", modules_dir, extract_bytes)
        sections = []
        largest = max(sizes) if sizes else 0
        for n in sizes:
            folder = args.out / f"n{n}"
            log(f"{n:,} features: writing the synthetic catalog")
            paths = write_catalog(n, folder / "catalog", modules_dir, seed=args.seed)
            report = geo.validate(paths)
            if not report.valid:
                shown = "\n".join(str(i) for i in report.issues[:5])
                raise SystemExit(f"synthetic catalog of {n} features does not validate:\n{shown}")
            frame = geo.load_catalog(paths)
            section = Section(f"{n:,} synthetic features", n)
            small = n <= 10_000
            measure_catalog(section, frame, paths, folder, modules_dir, browser,
                            repeats=args.repeats or (3 if small else 1),
                            browser_repeats=args.repeats or (5 if small else 3),
                            extract_bytes=extract_bytes, targets=n in TARGET_SIZES,
                            deep_profile=n == largest)
            sections.append(section)
            print(f"\n## {section.title}\n\n" + table(section), flush=True)
        log("extract: 20 MB against one re alternation; precision and recall on seeds and held-out")
        sections.append(extract_speed.measure(geo.load_catalog()))
    finally:
        browser.close()
    env["run time"] = f"{time.perf_counter() - started:.0f} s"
    env["load average at end (1, 5, 15 min)"] = (", ".join(f"{x:.2f}" for x in os.getloadavg())
                                                 + " (the run itself keeps one or two CPUs busy; more: other work shared them)")
    text = render(env, notes(sizes, args.repeats), real, sections)
    write_atomically(results, text)
    if real:
        print(f"\n## {real.title}\n\n" + table(real))
    log(f"wrote {results} in {fmt(time.perf_counter() - started, 's')}")
    return 0

