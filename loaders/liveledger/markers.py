"""Recognise the clock-time lines that head live-blog entries.

A marker is a line that holds nothing but a clock time ("4:25 p.m.",
"2.10 p.m.", "8.40am", "1 P.M.", "noon", "14:10"), optionally with the
qualifiers outlets write after it: a zone word ("3.33am BST", "1:54 p.m.
ET"), a weekday ("12:05 p.m. Tuesday", "7:44 p.m. on Monday"), a date
("1:54 p.m. ET, April 30, 2019") and the same instant on a second clock in
parentheses ("(1144 GMT)", "(12:05 a.m. EDT)"). Requiring the whole line
keeps clock times inside sentences, quotes and page stamps ("Posted at 8:40
PM") from being taken for entries. Invisible characters that copy-and-paste
leaves behind (zero-width spaces, bidi marks, word joiners, a stray BOM)
are dropped before matching, so they cannot hide a marker, and so is a
separator glued in front of it ("___ 1:50 a.m.").

A line that has the shape of a marker but no value we can be sure of
("25:99 p.m.", "4:7 p.m.", "24:10") is reported as such rather than read as
text, so that the piece it heads is rejected with a reason instead of being
glued to the entry above it. A bare "10:30" could be 24-hour or a 12-hour
time missing its "p.m."; the marker says so (``bare_24_hour``) and the
parser settles it from the blog's other markers (see ``parser``). One slip
is common enough to read: "0:45 p.m." can only mean 12:45 p.m., and is read
so with a ``warning``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .places import ZONE_WORDS

#: Zero-width and bidi formatting characters: invisible, never part of a marker.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

#: A separator run glued in front of a marker: "___ 1:50 a.m.", "—— 9 a.m.".
_GLUED_SEPARATOR = re.compile(r"^(?:[_\-—–=*]\s*){3,}")

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ZONE = "|".join(sorted((word for word in ZONE_WORDS if len(word) <= 4), key=len, reverse=True))

_MARKER_SHAPE = re.compile(
    rf"""^(?:
        (?P<hour>\d{{1,2}})(?::\s?(?P<minute>\d{{1,2}})|\.(?P<dot_minute>\d{{1,2}}))?\s*
        (?P<half>[ap])\.?\s?m\b\.?
      | (?P<word>noon|midnight)
      | (?P<hour24>\d{{1,2}}):(?P<minute24>\d{{2}})
    )
    (?:\s+(?P<zone>{_ZONE})\b)?
    (?:,?\s+(?:on\s+)?(?P<weekday>{"|".join(_WEEKDAYS)}))?
    (?:,?\s+(?P<month>[a-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?)?
    (?:\s*\((?P<second>[^()]{{1,24}})\))?
    \s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

#: The second clock in parentheses: "1144 GMT", "12:05 a.m. EDT", "15:44 GMT".
_SECOND_CLOCK = re.compile(
    rf"""^(?P<hour>\d{{1,2}}):?(?P<minute>\d{{2}})?\s*(?:(?P<half>[ap])\.?\s?m\.?)?
    \s+(?P<zone>{_ZONE})$""",
    re.IGNORECASE | re.VERBOSE,
)

#: Anything a writer may have meant as a marker: a clock-like number, with or
#: without a.m./p.m., alone on its line. Only consulted when the strict
#: shape above does not match, to reject such a line instead of merging it.
_LOOSE_SHAPE = re.compile(
    r"""^(?:
        \d{1,3}\s*[:.;]\s*\d{1,3}\s*(?:[ap]\s*\.?\s*m\s*\.?)?
      | \d{1,3}\s*[ap]\s*\.?\s*m\s*\.?
    )\s*[:.]?$""",
    re.IGNORECASE | re.VERBOSE,
)

# The same shape at the very end of a longer line: "... (all times local): 4:25 p.m."
_TRAILING_MARKER = re.compile(
    r"""(?P<lead>.*?[:.])\s+(?P<marker>
        \d{1,2}(?:[:.]\d{2})?\s*[ap]\.?\s?m\.?
      | noon | midnight
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)

#: A clock time heading text on the same line: "8.40am: text", "3:15 PM Text",
#: "• 14:32 - text", "Updated 4:10 p.m.: text". Used for tickers and prefixes.
_LEADING_MARKER = re.compile(
    rf"""^(?:[•·▪*\-–—]\s*)?(?P<prefix>(?:updated|update)\s+)?
    (?P<marker>
        (?:\d{{1,2}}(?::\s?\d{{2}}|\.\d{{2}})?\s*[ap]\.?\s?m\b\.? | \d{{1,2}}:\d{{2}})
        (?-i:\s+(?:{_ZONE.upper()})\b)?
      | noon | midnight
    )\s*(?P<glue>[:—–\-|]\s*|\s+)(?P<text>\S.*)$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class MarkerMatch:
    """A line that looks like a time marker; ``clock`` is None if impossible.

    ``bare_24_hour`` holds the 24-hour reading of a bare "H:MM" whose hour
    is 1-12 (so it might be a 12-hour time missing a.m./p.m.); ``clock`` is
    then None until the parser decides the blog uses a 24-hour clock.
    ``twelve_hour`` / ``twenty_four_hour`` tell which clock a valid marker
    shows, for that decision. The qualifiers say what the marker itself
    states about its instant: ``zone`` (an IANA name, from a zone word),
    ``weekday`` (0 = Monday), ``month_day`` and ``year``, and a
    ``second_clock`` in ``second_zone`` (the parenthesised time).
    """

    text: str
    clock: dt.time | None
    problem: str | None = None
    bare_24_hour: dt.time | None = None
    twelve_hour: bool = False
    twenty_four_hour: bool = False
    zone: str | None = None
    weekday: int | None = None
    month_day: tuple[int, int] | None = None
    year: int | None = None
    second_clock: dt.time | None = None
    second_zone: str | None = None
    warning: str | None = None

    @property
    def date(self) -> dt.date | None:
        """The full date the marker states ("April 30, 2019"), if it states one."""
        if self.month_day is None or self.year is None:
            return None
        return dt.date(self.year, *self.month_day)


#: No marker is longer than this ("12:05 p.m. Wednesday, September 18, 2019
#: (1605 GMT)" is 52); body lines are, so most lines are ruled out at once.
_MAX_MARKER_LENGTH = 64


def strip_invisible(text: str) -> str:
    """``text`` without zero-width, bidi and word-joiner characters."""
    return _INVISIBLE.sub("", text)


def match_marker(line: str) -> MarkerMatch | None:
    """Return the marker on this line, or None if the line is not a marker."""
    text = line.strip()
    if len(text) > _MAX_MARKER_LENGTH * 2:
        return None
    text = " ".join(strip_invisible(text).split())
    text = _GLUED_SEPARATOR.sub("", text).strip()
    if len(text) > _MAX_MARKER_LENGTH:
        return None
    found = _MARKER_SHAPE.match(text)
    if found is None:
        if _LOOSE_SHAPE.match(text):
            return MarkerMatch(
                text,
                None,
                f"{text!r} is not a clock time we can read (write it like '4:25 p.m.' or '16:25')",
            )
        return None
    base = _clock(text, found)
    qualified = _with_qualifiers(found, base)
    if qualified is None:
        return None
    # An impossible clock keeps only its problem: its qualifiers date nothing.
    return base if base.clock is None and base.bare_24_hour is None else qualified


def _clock(text: str, found: re.Match[str]) -> MarkerMatch:
    """The clock time of a matched marker, without its qualifiers."""
    if found.group("word"):
        word = found.group("word").lower()
        return MarkerMatch(
            text, dt.time(12, 0) if word == "noon" else dt.time(0, 0), twelve_hour=True
        )
    if found.group("hour24") is not None:
        return _twenty_four_hour(text, found.group("hour24"), found.group("minute24"))
    hour = int(found.group("hour"))
    minute_text = found.group("minute") or found.group("dot_minute")
    minute = int(minute_text or 0)
    half = found.group("half").lower()
    if minute_text is not None and len(minute_text) != 2 or not 0 <= minute <= 59:
        return MarkerMatch(text, None, f"{text!r} is not a valid 12-hour clock time")
    if hour == 0 and half == "p":
        return MarkerMatch(
            text,
            dt.time(12, minute),
            twelve_hour=True,
            warning=f"{text!r} has hour 0, which a 12-hour clock does not show; "
            f"read as 12:{minute:02d} p.m.",
        )
    if not 1 <= hour <= 12:
        return MarkerMatch(text, None, f"{text!r} is not a valid 12-hour clock time")
    hour24 = hour % 12 + (12 if half == "p" else 0)
    return MarkerMatch(text, dt.time(hour24, minute), twelve_hour=True)


def _with_qualifiers(found: re.Match[str], base: MarkerMatch) -> MarkerMatch | None:
    """``base`` with the zone, weekday, date and second clock the marker states;
    None if one of them is not real.

    A marker-shaped line whose "month" is not a month or whose date does not
    exist is not a marker ("4 p.m. Foo 12"), so the line is read as text.
    """
    zone: str | None = None
    weekday: int | None = None
    month_day: tuple[int, int] | None = None
    year: int | None = None
    second: tuple[dt.time, str] | None = None
    if zone_word := found.group("zone"):
        if not zone_word.isupper():
            return None
        zone = ZONE_WORDS[zone_word.lower()]
    if weekday_name := found.group("weekday"):
        weekday = _WEEKDAYS.index(weekday_name.lower())
    if month_name := found.group("month"):
        month = _MONTHS.get(month_name.lower())
        if month is None:
            return None
        day = int(found.group("day"))
        year = int(found.group("year")) if found.group("year") else None
        try:
            dt.date(year or 2000, month, day)  # 2000 is a leap year: February 29 exists
        except ValueError:
            return None
        month_day = (month, day)
    if second_text := found.group("second"):
        second = _second_clock(second_text)
        if second is None:
            return None
    return replace(
        base,
        zone=zone,
        weekday=weekday,
        month_day=month_day,
        year=year,
        second_clock=second[0] if second else None,
        second_zone=second[1] if second else None,
    )


def _second_clock(text: str) -> tuple[dt.time, str] | None:
    """ "1144 GMT" -> (11:44, "UTC"); None if it is not a clock and a zone."""
    found = _SECOND_CLOCK.match(text.strip())
    if found is None or not found.group("zone").isupper():
        return None
    hour, minute = int(found.group("hour")), int(found.group("minute") or 0)
    if found.group("half"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found.group("half").lower() == "p" else 0)
    elif found.group("minute") is None:
        return None
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    return dt.time(hour, minute), ZONE_WORDS[found.group("zone").lower()]


def _twenty_four_hour(text: str, hour_text: str, minute_text: str) -> MarkerMatch:
    """ "16:25" or "04:25" is a 24-hour time; "4:25" or "10:30" may be 12-hour."""
    hour, minute = int(hour_text), int(minute_text)
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return MarkerMatch(text, None, f"{text!r} is not a valid 24-hour clock time")
    clock = dt.time(hour, minute)
    if hour >= 13 or hour == 0 or hour_text.startswith("0"):
        return MarkerMatch(text, clock, twenty_four_hour=True)
    return MarkerMatch(
        text,
        None,
        f"{text!r} has no a.m./p.m. and the blog's other markers do not show a 24-hour clock",
        bare_24_hour=clock,
    )


def split_trailing_marker(line: str) -> tuple[str, MarkerMatch] | None:
    """Split "intro text: 4:25 p.m." into the text and a valid marker."""
    found = _TRAILING_MARKER.match(strip_invisible(line).strip())
    if found is None:
        return None
    marker = match_marker(found.group("marker"))
    if marker is None or marker.clock is None:
        return None
    return found.group("lead").strip(), marker


@dataclass(frozen=True)
class LeadingMarker:
    """A line that starts with a clock time and goes on with the entry's text."""

    marker: MarkerMatch
    text: str
    #: The line began "Updated 4:10 p.m.:", a prefix some outlets put on entries.
    is_update_prefix: bool


def split_leading_marker(line: str) -> LeadingMarker | None:
    """Split "8.40am: text" or "Updated 4:10 p.m.: text" into a marker and its text.

    Only a valid clock time counts: a line that merely starts with a number
    ("10 people died") is text. Whether such a line heads an entry at all is
    the parser's decision (a ticker has no standalone markers; a blog that
    has them puts schedules like "10am: MPs debate" inside entries).
    """
    text = " ".join(strip_invisible(line).split())
    found = _LEADING_MARKER.match(text)
    if found is None:
        return None
    if match_marker(text[found.start("marker") :]) is not None:
        return None  # "Updated 4:24 p.m. ET, May 1": a marker with qualifiers, no text
    if found.group("prefix") and not found.group("glue").strip():
        return None  # "Updated 4:24 p.m. Tuesday ...": a page stamp, not a prefixed entry
    marker = match_marker(found.group("marker"))
    if marker is None or marker.clock is None:
        return None
    if found.group("glue").strip() == "" and not found.group("text")[0].isupper():
        return None  # "3 p.m. is when ..." : a sentence, not a marker and its text
    return LeadingMarker(marker, found.group("text"), found.group("prefix") is not None)
