"""Figures into Markdown: one table per catalog size, targets, environment, profiles.

Everything in bench/RESULTS.md comes from here, so a rerun after an optimisation replaces it whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.files import write_text_atomically


@dataclass
class Row:
    """One figure: ours, the baseline a user would otherwise pick, the floor payload, and the target."""

    metric: str
    unit: str  # "s", "B", "MiB", "MB/s" or "" (text)
    ours: Any
    base: Any = None
    floor: Any = None
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Section:
    """All figures of one catalog, and the profiles that explain them."""

    title: str
    features: int
    rows: list[Row] = field(default_factory=list)
    profiles: list[tuple[str, str]] = field(default_factory=list)  # (heading, preformatted or markdown text)

    def row(self, metric: str) -> Row | None:
        return next((r for r in self.rows if r.metric.startswith(metric)), None)


def fmt(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "B":
        return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.0f} KB"
    if unit == "s":
        return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "MB/s":
        return f"{value:.2f} MB/s"
    return str(value)


def ratio(a: Any, b: Any) -> str:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b:
        return f"{a / b:.2f}x"
    return "—"


def met_word(met: bool | None) -> str:
    return "" if met is None else ("**yes**" if met else "**no**")


def table(section: Section) -> str:
    lines = [
        "| metric | ours | baseline | ratio | floor | ratio to floor | target | met? |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in section.rows:
        metric = r.metric + (f" <br><sub>{r.note}</sub>" if r.note else "")
        lines.append(
            f"| {metric} | {fmt(r.ours, r.unit)} | {fmt(r.base, r.unit)} | {ratio(r.ours, r.base)} | "
            f"{fmt(r.floor, r.unit)} | {ratio(r.ours, r.floor)} | {r.target} | {met_word(r.met)} |"
        )
    return "\n".join(lines)


def parts_table(parts: list[tuple[str, float]], unit: str, total: float | None = None, limit: int = 12) -> str:
    """A two- or three-column table of (part, amount[, share of total])."""
    head = "| part | size | share |\n|---|---|---|" if total else "| part | amount |\n|---|---|"
    rows = []
    for name, amount in parts[:limit]:
        shown = fmt(amount, unit) if unit else f"{amount:.0f} ms"
        rows.append(f"| {name} | {shown} | {amount / total:.0%} |" if total else f"| {name} | {shown} |")
    return "\n".join([head, *rows])


def targets_summary(sections: list[Section], real: Section | None) -> list[str]:
    """One line per target of the issue, with the figures it rests on."""
    out = []
    checks = [
        ("index.html bytes ≤ 0.5x explore() and ≤ 1.0x floor, features working", "index.html bytes"),
        ("Chromium time to ready ≤ 0.5x explore()", "Chromium time to ready"),
        ("build time ≤ 0.5x explore()", "build index.html"),
        ("validate 50,000 features < 5 s on one core", "validate"),
    ]
    for label, metric in checks:
        figures = []
        for s in sections:
            r = s.row(metric)
            if r is None or r.met is None:
                continue
            extra = ""
            if metric == "index.html bytes":
                extra = f", {ratio(r.ours, r.floor)} floor"
            if metric == "validate":
                extra = ""
            shown = f"{fmt(r.ours, r.unit)}" + (f" = {ratio(r.ours, r.base)} explore{extra}" if r.base else "")
            figures.append(f"{s.features:,}: {shown} → {'met' if r.met else 'MISSED'}")
        if figures:
            out.append(f"- {label}: " + "; ".join(figures))
    if real is not None:
        for metric, label in (("index.html bytes", "real catalog index.html < 500 KB"),
                              ("Chromium time to ready", "real catalog ready < 0.5 s")):
            r = real.row(metric)
            if r is not None:
                out.append(f"- {label}: {fmt(r.ours, r.unit)} → {'met' if r.met else 'MISSED'}")
    return out


def render(env: dict[str, str], notes: list[str], real: Section | None, sections: list[Section]) -> str:
    """The whole RESULTS.md."""
    md = ["# Benchmark results", "",
          "Written by `make bench` (`.venv/bin/python -m bench`); do not edit by hand, rerun instead.", ""]
    md += [f"- {k}: {v}" for k, v in env.items()]
    md += ["", "## Targets (issue: Benchmark: speed and size at scale)", ""]
    md += targets_summary(sections, real)
    md += ["", "## How each figure is taken", ""]
    md += [f"- {n}" for n in notes]
    for s in ([real] if real else []) + sections:
        md += ["", f"## {s.title}", "", table(s)]
    for s in ([real] if real else []) + sections:
        if not s.profiles:
            continue
        md += ["", f"## Profiles: {s.title}"]
        for heading, text in s.profiles:
            md += ["", f"### {heading}", "", text]
    return "\n".join(md) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename over it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, text)
