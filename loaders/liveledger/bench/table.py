"""The results as a Markdown table, written between markers in BENCHMARKS.md.

Only the marked region is replaced, so the explanations around it (what
bounds each number, what was profiled) stay as written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .harness import GIB, Results

BEGIN = "<!-- bench:begin (written by make bench; edits inside are lost) -->"
END = "<!-- bench:end -->"


def markdown(results: Results, facts: dict[str, str], command: str) -> str:
    lines = [
        BEGIN,
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC with `{command}` on:",
        "",
        *[f"- {name}: {value}" for name, value in facts.items()],
        "",
        "Times are medians of the runs counted; peak RSS is the largest of those runs'. "
        "Speed ratio = baseline time / our time (higher is better); time ratio = our "
        "time / baseline time (lower is better).",
        "",
        "| step | entries | median s | runs | peak RSS GiB | throughput | ratio | target | |",
        "|---|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for row in results.rows:
        verdict = "" if row.met is None else ("met" if row.met else "**missed**")
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}"
        lines.append(
            f"| {row.section}: {row.step} | {row.entries:,} | {row.summary.seconds:.2f} | "
            f"{row.summary.runs} | {row.summary.peak_rss_bytes / GIB:.2f} | {row.rate} | "
            f"{ratio} | {row.target} | {verdict} |"
        )
    lines += [*[f"\n{note}" for note in results.notes], END]
    return "\n".join(lines) + "\n"


def write_region(path: Path, region: str) -> None:
    """Replace the marked region of ``path`` (or append it if absent)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + region.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + region
    path.write_text(text, encoding="utf-8")
