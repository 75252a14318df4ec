"""Recognise the clock-time lines that head live-blog entries.

A marker is a line that holds nothing but a clock time ("4:25 p.m.",
"2.10 p.m.", "1 P.M.", "noon", "14:10"). Requiring the whole line keeps
clock times inside sentences, quotes and page stamps ("Posted at 8:40 PM")
from being taken for entries. Invisible characters that copy-and-paste
leaves behind (zero-width spaces, bidi marks, word joiners, a stray BOM)
are dropped before matching, so they cannot hide a marker.

A line that has the shape of a marker but no value we can be sure of
("25:99 p.m.", "4:7 p.m.", "24:10") is reported as such rather than read as
text, so that the piece it heads is rejected with a reason instead of being
glued to the entry above it. A bare "10:30" could be 24-hour or a 12-hour
time missing its "p.m."; the marker says so (``bare_24_hour``) and the
parser settles it from the blog's other markers (see ``parser``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: Zero-width and bidi formatting characters: invisible, never part of a marker.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

_MARKER_SHAPE = re.compile(
    r"""^(?:
        (?P<hour>\d{1,2})(?:[:.](?P<minute>\d{1,2}))?\s*
        (?P<half>[ap])\.?\s?m\.?
      | (?P<word>noon|midnight)
      | (?P<hour24>\d{1,2}):(?P<minute24>\d{2})
    )\s*:?$""",
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


@dataclass(frozen=True)
class MarkerMatch:
    """A line that looks like a time marker; ``clock`` is None if impossible.

    ``bare_24_hour`` holds the 24-hour reading of a bare "H:MM" whose hour
    is 1-12 (so it might be a 12-hour time missing a.m./p.m.); ``clock`` is
    then None until the parser decides the blog uses a 24-hour clock.
    ``twelve_hour`` / ``twenty_four_hour`` tell which clock a valid marker
    shows, for that decision.
    """

    text: str
    clock: dt.time | None
    problem: str | None = None
    bare_24_hour: dt.time | None = None
    twelve_hour: bool = False
    twenty_four_hour: bool = False


#: No marker is longer than this ("12:15 a. m. :" is 13); body lines are, so
#: most lines are ruled out without running the regex.
_MAX_MARKER_LENGTH = 24


def strip_invisible(text: str) -> str:
    """``text`` without zero-width, bidi and word-joiner characters."""
    return _INVISIBLE.sub("", text)


def match_marker(line: str) -> MarkerMatch | None:
    """Return the marker on this line, or None if the line is not a marker."""
    text = line.strip()
    if len(text) > _MAX_MARKER_LENGTH * 2:
        return None
    text = " ".join(strip_invisible(text).split())
    if len(text) > _MAX_MARKER_LENGTH:
        return None
    found = _MARKER_SHAPE.match(text)
    if found is None:
        if _LOOSE_SHAPE.match(text):
            return MarkerMatch(text, None, f"{text!r} is not a clock time we can read "
                                           "(write it like '4:25 p.m.' or '16:25')")
        return None
    if found.group("word"):
        word = found.group("word").lower()
        return MarkerMatch(text, dt.time(12, 0) if word == "noon" else dt.time(0, 0),
                           twelve_hour=True)
    if found.group("hour24") is not None:
        return _twenty_four_hour(text, found.group("hour24"), found.group("minute24"))
    hour = int(found.group("hour"))
    minute = int(found.group("minute") or 0)
    if not 1 <= hour <= 12 or not 0 <= minute <= 59:
        return MarkerMatch(text, None, f"{text!r} is not a valid 12-hour clock time")
    if found.group("minute") is not None and len(found.group("minute")) != 2:
        return MarkerMatch(text, None, f"{text!r} is not a valid 12-hour clock time")
    hour24 = hour % 12 + (12 if found.group("half").lower() == "p" else 0)
    return MarkerMatch(text, dt.time(hour24, minute), twelve_hour=True)


def _twenty_four_hour(text: str, hour_text: str, minute_text: str) -> MarkerMatch:
    """"16:25" or "04:25" is a 24-hour time; "4:25" or "10:30" may be 12-hour."""
    hour, minute = int(hour_text), int(minute_text)
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return MarkerMatch(text, None, f"{text!r} is not a valid 24-hour clock time")
    clock = dt.time(hour, minute)
    if hour >= 13 or hour == 0 or hour_text.startswith("0"):
        return MarkerMatch(text, clock, twenty_four_hour=True)
    return MarkerMatch(
        text, None, f"{text!r} has no a.m./p.m. and the blog's other markers do not show "
                    "a 24-hour clock", bare_24_hour=clock)


def split_trailing_marker(line: str) -> tuple[str, MarkerMatch] | None:
    """Split "intro text: 4:25 p.m." into the text and a valid marker."""
    found = _TRAILING_MARKER.match(strip_invisible(line).strip())
    if found is None:
        return None
    marker = match_marker(found.group("marker"))
    if marker is None or marker.clock is None:
        return None
    return found.group("lead").strip(), marker
