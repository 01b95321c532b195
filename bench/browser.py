"""Time how long Chromium takes to show a map ready to use, and check that our map's controls work.

Readiness is measured inside the page with ``performance.now()`` (milliseconds since navigation
start), so Playwright's own round trips do not count. A map is ready when, on two animation frames
in a row, every feature is on the map and no zoom animation runs: one frame is not enough, because
Leaflet starts a fitted map's zoom animation on the frame after the script that asked for it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-quic", "--disable-gpu"]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 180_000

# Resolves with performance.now() once the map is ready on two consecutive frames, or -1 on timeout.
READY_JS = """
async ({kind, expected, timeout}) => {
  let mapKey = null;
  const ready = () => {
    if (kind === "ours") {
      const c = window.cpecMapper;
      if (!c || !c.views || !c.views.length) return false;
      const v = c.views[0];
      return v.ready && !v.map._animatingZoom && v.assets.length === expected && v.shownCount() === expected;
    }
    if (!window.L) return false;
    if (!mapKey) mapKey = Object.keys(window).find(k => k.startsWith("map_") && window[k] instanceof L.Map) || null;
    if (!mapKey) return false;
    const map = window[mapKey];
    if (map._animatingZoom) return false;
    let n = 0;
    // a MultiPoint feature is a group of markers that carries the feature; other features are single layers
    map.eachLayer(l => { if (l.feature && (!l._layers || l.feature.geometry.type === "MultiPoint")) n++; });
    return n === expected;
  };
  return await new Promise(resolve => {
    let streak = 0;
    const stop = setTimeout(() => resolve(-1), timeout);
    const tick = () => {
      if (ready()) {
        if (++streak >= 2) { clearTimeout(stop); resolve(performance.now()); return; }
      } else {
        streak = 0;
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}
"""

# Profile run only: wraps window.cpecMapper.show to time the view's construction, and records long tasks.
PROFILE_HOOKS_JS = """
(() => {
  const marks = window.__bench = {longTasks: []};
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) marks.longTasks.push([e.startTime, e.duration]);
  }).observe({type: "longtask", buffered: true});
  let store;
  Object.defineProperty(window, "cpecMapper", {
    configurable: true,
    get() { return store; },
    set(value) {
      store = value;
      let show = value.show;
      Object.defineProperty(value, "show", {
        configurable: true,
        get() {
          return show && function (map, data) {
            marks.showStart = performance.now();
            const view = show(map, data);
            marks.showEnd = performance.now();
            return view;
          };
        },
        set(fn) { show = fn; marks.scriptRun = performance.now(); },
      });
    },
  });
})();
"""

NAV_JS = """
() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {domInteractive: n.domInteractive, domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          marks: window.__bench || {}};
}
"""


@dataclass
class Readiness:
    """Times to ready (seconds) of one page, and what went wrong on the way."""

    times: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None


class Browser:
    """One Chromium for the whole run; every measurement gets a fresh context (no shared state)."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.chromium = self._pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)

    @property
    def version(self) -> str:
        return self.chromium.version

    def close(self) -> None:
        self.chromium.close()
        self._pw.stop()

    @contextmanager
    def page(self, problems: list[str], init_script: str | None = None) -> Iterator[Any]:
        """A page in a new context that records console errors, page errors and outside requests."""
        context = self.chromium.new_context(viewport=VIEWPORT)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "about:"))
                else problems.append(f"request: {r.url}"))
        try:
            yield page
        finally:
            context.close()

    def _open(self, page: Any, path: Path, kind: str, expected: int) -> float:
        page.goto(path.resolve().as_uri(), wait_until="commit", timeout=TIMEOUT_MS)
        ms = page.evaluate(READY_JS, {"kind": kind, "expected": expected, "timeout": TIMEOUT_MS})
        if ms < 0:
            raise TimeoutError(f"{path} was not ready with {expected} features within {TIMEOUT_MS / 1000:.0f} s")
        return ms / 1000

    def time_to_ready(self, pages: dict[str, tuple[Path, str]], expected: int, repeats: int) -> dict[str, Readiness]:
        """Seconds from navigation start until each map is ready, ``repeats`` times, the pages taken in turn
        (ABAB...) so that a burst of other load on the machine hits both sides alike."""
        results = {name: Readiness() for name in pages}
        for _ in range(repeats):
            for name, (path, kind) in pages.items():
                with self.page(results[name].problems) as page:
                    results[name].times.append(self._open(page, path, kind, expected))
        return results

    def profile(self, path: Path, kind: str, expected: int) -> dict[str, Any]:
        """Where the time to ready goes: navigation marks, our view's construction, Chromium's counters and
        a sampled CPU profile (one extra run, not among the timed ones: profiling slows the page)."""
        problems: list[str] = []
        with self.page(problems, PROFILE_HOOKS_JS) as page:
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 250})
            cdp.send("Profiler.start")
            ready = self._open(page, path, kind, expected)
            cpu = cdp.send("Profiler.stop")["profile"]
            nav = page.evaluate(NAV_JS)
            metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        return {"ready": ready, "nav": nav, "metrics": metrics, "cpu": cpu, "problems": problems}

    def check_ours(self, path: Path, frame: Any) -> list[str]:
        """Failures of our map's features on ``frame``: both filter groups, legend, search, popups, a clean page."""
        failures: list[str] = []
        problems: list[str] = []
        n = len(frame)
        with self.page(problems) as page:
            self._open(page, path, "ours", n)
            control = page.locator(".cpec-control")
            for group in ("sector", "status"):
                boxes = control.locator(f'fieldset[data-group="{group}"] input')
                want = frame[group].nunique()
                if boxes.count() != want:
                    failures.append(f"{group} filter has {boxes.count()} boxes, expected {want}")
                if control.locator(f'fieldset[data-group="{group}"] svg.cpec-symbol').count() != want:
                    failures.append(f"{group} legend lacks symbols")
            sector = str(frame["sector"].iloc[0])
            shown = "window.cpecMapper.views[0].shownCount()"
            page.locator(f'.cpec-control input[data-group="sector"][value="{sector}"]').set_checked(False)
            left = page.evaluate(shown)
            if left != n - int((frame["sector"] == sector).sum()):
                failures.append(f"unticking {sector} left {left} of {n} features")
            page.locator(f'.cpec-control input[data-group="sector"][value="{sector}"]').set_checked(True)
            if page.evaluate(shown) != n:
                failures.append("re-ticking did not restore every feature")
            name = str(frame["name"].iloc[0])
            page.locator("#cpec-search-input").press_sequentially(name[:12], delay=10)
            tip = page.locator(".cpec-results li").first
            try:
                tip.wait_for(timeout=30_000)
                tip.click()
                popup = page.locator(".leaflet-popup-content .cpec-popup")
                popup.wait_for(timeout=30_000)
                if not popup.locator("h4").inner_text().strip():
                    failures.append("popup has no title")
                if popup.locator("ol.cpec-sources li").count() == 0:
                    failures.append("popup lists no sources")
            except Exception as exc:  # a timeout names what did not appear
                failures.append(f"search or popup failed: {str(exc).splitlines()[0]}")
        return failures + problems
