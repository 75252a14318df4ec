"""Run one step in a child process and measure its wall time and peak RSS."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import LiveledgerError


class BenchStepError(LiveledgerError):
    """A measured step failed; the benchmark cannot report a number for it."""


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_rss_bytes: int


@dataclass(frozen=True)
class Summary:
    """The median of repeated runs (and how many there were)."""

    seconds: float
    peak_rss_bytes: int
    runs: int

    @classmethod
    def of(cls, runs: Sequence[Measurement]) -> Summary:
        return cls(
            statistics.median(m.seconds for m in runs),
            max(m.peak_rss_bytes for m in runs),
            len(runs),
        )


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> Measurement:
    """Run ``command`` to completion; its time and the peak RSS of that process.

    ``wait4`` gives the resource usage of exactly this child, so the peak
    is the step's own, not the harness's. Output goes to ``log`` (or is
    dropped); on failure the log's last lines are in the error.
    """
    out_path = log or Path(os.devnull)
    with out_path.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env else None,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = ""
        if log is not None and log.exists():
            plain = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(errors="replace"))  # colours
            tail = " | ".join(plain.strip().splitlines()[-5:])
        raise BenchStepError(
            f"benchmark step failed (exit {child.returncode}): {' '.join(command)}"
            + (f"; log {log}: {tail}" if log else "")
        )
    return Measurement(seconds, usage.ru_maxrss * 1024)  # Linux reports KiB


def repeat(times: int, step: Callable[[], Measurement]) -> Summary:
    """Run a step ``times`` times (each from the same starting state)."""
    return Summary.of([step() for _ in range(times)])
