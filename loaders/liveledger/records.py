"""Plain records passed between the parser, the event-log writer and reports.

They are frozen dataclasses so a parsed blog can be handed around without
anyone changing it behind the writer's back.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

#: Characters that would break a message over lines or drive the terminal:
#: C0 controls but tab, DEL, C1 controls, and the Unicode line separators.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def escape_undecodable(text: str) -> str:
    """``text`` safe to store and to print on one line.

    The bytes of a file name that are not UTF-8 (Python reads them as lone
    surrogates, ``os.fsdecode``'s surrogateescape) become ``\\xNN``: as they
    are, they cannot be stored as UTF-8 (pyarrow, DuckDB) nor printed to a
    UTF-8 terminal. Control characters and line separators become ``\\xNN``
    / ``\\uNNNN`` too, so a name holding a newline or an escape sequence
    still gives one plain line. Every byte stays visible, so names stay
    distinct.
    """
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that surrogateescape did not make
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda found: ascii(found.group())[1:-1], text)


def path_text(path: os.PathLike[str] | str) -> str:
    """A file name as text that can be stored and printed (see ``escape_undecodable``)."""
    return escape_undecodable(os.fspath(path))


@dataclass(frozen=True)
class Rejection:
    """A piece of input we could not use, kept with the reason why.

    ``is_entry`` tells whether the piece was an entry (it then counts in the
    batch's ``entries_rejected``) or other input such as a page stamp, stray
    text or the whole file.
    """

    reason_code: str
    message: str
    raw_text: str
    line_number: int | None = None
    is_entry: bool = False


@dataclass(frozen=True)
class BlogHeader:
    """What the text says about the blog as a whole, before the first entry."""

    headline: str | None = None
    caption: str | None = None
    byline: str | None = None
    dateline: str | None = None
    dateline_city: str | None = None
    dateline_region: str | None = None
    intro: str | None = None
    #: "local" for "(all times local)", an explicit zone word such as "GMT",
    #: or None when the intro says nothing about times.
    times_stated_as: str | None = None


@dataclass(frozen=True)
class RawEntry:
    """An entry as found in the text: its marker and body, not yet dated."""

    position: int
    line_number: int
    time_marker: str
    clock: dt.time
    body: str


@dataclass(frozen=True)
class Entry:
    """A dated entry, ready to be written to the event log."""

    entry_key: str
    position: int
    line_number: int
    time_marker: str
    published_at_local: dt.datetime
    published_at: dt.datetime  # UTC, naive
    body: str
    content_hash: str
    #: Where the instant came from: ``marker`` (a time marker in the text,
    #: dated by the blog's date and zone), ``html`` (a post's ``<time
    #: datetime>`` or timestamp attribute), ``json-ld`` (schema.org
    #: ``datePublished``) or ``feed`` (an NDJSON ``published_at``).
    time_source: str = "marker"
    #: The UTC offset the source wrote with the instant ("-04:00"), when it
    #: wrote one; None for times dated from a marker and a zone.
    utc_offset: str | None = None
    #: The entry's own zone when its marker names one ("1:54 p.m. ET") that
    #: differs from the blog's; None: the blog's zone.
    time_zone: str | None = None


@dataclass(frozen=True)
class ParsedBlog:
    """Everything the parser found in one input text.

    ``entries_seen`` counts every piece headed by a time-marker-like line,
    so ``entries_seen == len(entries) + (rejected entries)`` always holds.
    """

    header: BlogHeader
    blog_id: str | None
    blog_date: dt.date | None
    date_source: str | None
    time_zone: str | None
    time_zone_source: str | None
    entries: tuple[Entry, ...]
    rejections: tuple[Rejection, ...]
    entries_seen: int
    warnings: tuple[str, ...] = field(default=())
    #: How the entries are listed: ``newest_first``, ``oldest_first`` or
    #: ``not_monotonic`` (read from the clock times, see ``entrydates``).
    listing_order: str = "newest_first"
    #: The text encoding the file was read in (``utf-8`` unless stated).
    encoding: str = "utf-8"

    @property
    def entries_rejected(self) -> int:
        return sum(1 for r in self.rejections if r.is_entry)
