"""What the generator produces: blogs and entries as they were meant, and a tally.

The generator knows what it meant: every ``GeneratedEntry`` carries its local
wall-clock time and zone, so tests can check the parser's UTC instants
against the intent instead of against another parser. These records are
shared by the layout (``render``) and the corpus writer (``corpus``), so
they live apart from both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

_UTC = dt.timezone.utc


@dataclass(frozen=True)
class GeneratedEntry:
    """One entry as the generator meant it: when, under which marker, what text.

    ``local_time`` is the wall-clock time in the blog's zone; the parser should
    arrive at exactly this local time and at ``intended_utc``.
    """

    local_time: dt.datetime
    time_zone: str
    marker: str
    paragraphs: tuple[str, ...]

    @property
    def body(self) -> str:
        """The body as the parser reports it: one line per paragraph."""
        return "\n".join(self.paragraphs)

    @property
    def intended_utc(self) -> dt.datetime:
        """The UTC instant (naive) the entry was written at."""
        aware = self.local_time.replace(tzinfo=ZoneInfo(self.time_zone))
        return aware.astimezone(_UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class GeneratedBlog:
    """One synthetic blog: its file name, what it means, and its text."""

    number: int
    file_name: str
    blog_date: dt.date
    time_zone: str
    dateline_city: str
    entries: tuple[GeneratedEntry, ...]
    text: str

    @property
    def crosses_midnight(self) -> bool:
        """True if the oldest entry falls on the day before the blog's date."""
        return self.entries[-1].local_time.date() != self.blog_date


@dataclass(frozen=True)
class CorpusSummary:
    """What ``generate_corpus`` wrote."""

    out_dir: Path
    files: int
    entries: int
    bytes_written: int
    seconds: float

    @property
    def megabytes(self) -> float:
        """``bytes_written`` in (decimal) megabytes, as the CLI reports it."""
        return self.bytes_written / 1_000_000
