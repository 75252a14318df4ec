"""Recognise the clock-time lines that head live-blog entries.

A marker is a line that holds nothing but a clock time ("4:25 p.m.",
"1 P.M.", "noon"). Requiring the whole line keeps clock times inside
sentences, quotes and page stamps ("Posted at 8:40 PM") from being taken
for entries. A line that has the shape of a marker but an impossible value
("25:99 p.m.") is reported as such rather than read as text, so that the
piece it heads is rejected with a reason instead of being glued to the
entry above it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MARKER_SHAPE = re.compile(
    r"""^(?:
        (?P<hour>\d{1,2})(?::(?P<minute>\d{1,2}))?\s*
        (?P<half>[ap])\.?\s?m\.?
      | (?P<word>noon|midnight)
    )\s*:?$""",
    re.IGNORECASE | re.VERBOSE,
)

# The same shape at the very end of a longer line: "... (all times local): 4:25 p.m."
_TRAILING_MARKER = re.compile(
    r"""(?P<lead>.*?[:.])\s+(?P<marker>
        \d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\.?
      | noon | midnight
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class MarkerMatch:
    """A line that looks like a time marker; ``clock`` is None if impossible."""

    text: str
    clock: dt.time | None
    problem: str | None = None


#: No marker is longer than this ("12:15 a. m. :" is 13); body lines are, so
#: most lines are ruled out without running the regex.
_MAX_MARKER_LENGTH = 24


def match_marker(line: str) -> MarkerMatch | None:
    """Return the marker on this line, or None if the line is not a marker."""
    text = line.strip()
    if len(text) > _MAX_MARKER_LENGTH:
        return None
    found = _MARKER_SHAPE.match(text)
    if found is None:
        return None
    if found.group("word"):
        word = found.group("word").lower()
        return MarkerMatch(text, dt.time(12, 0) if word == "noon" else dt.time(0, 0))
    hour = int(found.group("hour"))
    minute = int(found.group("minute") or 0)
    if not 1 <= hour <= 12 or not 0 <= minute <= 59:
        return MarkerMatch(text, None, f"{text!r} is not a valid 12-hour clock time")
    if found.group("minute") is not None and len(found.group("minute")) != 2:
        return MarkerMatch(text, None, f"{text!r} is not a valid 12-hour clock time")
    hour24 = hour % 12 + (12 if found.group("half").lower() == "p" else 0)
    return MarkerMatch(text, dt.time(hour24, minute))


def split_trailing_marker(line: str) -> tuple[str, MarkerMatch] | None:
    """Split "intro text: 4:25 p.m." into the text and a valid marker."""
    found = _TRAILING_MARKER.match(line.strip())
    if found is None:
        return None
    marker = match_marker(found.group("marker"))
    if marker is None or marker.clock is None:
        return None
    return found.group("lead").strip(), marker
