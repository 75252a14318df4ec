"""Find the blog's date in its header text.

AP live blogs state the date in the photo caption ("Thursday, Jan. 24, 2019")
or in a byline/date line ("Monday, November 11, 2019"). We only accept a date
that is written out in full with its year; a weekday, when given, must agree
with the date, which weeds out misreadings. When the header holds several
different dates and no byline settles it, we do not guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_MONTH_FIRST = re.compile(
    r"(?:\b(?P<weekday>" + "|".join(_WEEKDAYS) + r"),?\s+)?"
    r"\b(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+"
    r"(?P<day>\d{1,2}),?\s+(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(
    r"(?:\b(?P<weekday>" + "|".join(_WEEKDAYS) + r"),?\s+)?"
    r"\b(?P<day>\d{1,2})\s+(?P<month>"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")\.?,?\s+(?P<year>(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")


@dataclass(frozen=True)
class DateMention:
    """A full date written in the header, and the kind of line it was on."""

    date: dt.date
    line_kind: str  # "byline", "caption" or "other"


def find_dates(text: str, line_kind: str) -> list[DateMention]:
    """Every valid full date written in ``text``."""
    found: list[DateMention] = []
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        for match in pattern.finditer(text):
            date = _to_date(
                match.group("year"), _MONTHS[match.group("month").lower()], match.group("day")
            )
            weekday = match.group("weekday")
            if date is None:
                continue
            if weekday and _WEEKDAYS.index(weekday.lower()) != date.weekday():
                continue
            found.append(DateMention(date, line_kind))
    for match in _ISO.finditer(text):
        date = _to_date(match.group("year"), int(match.group("month")), match.group("day"))
        if date is not None:
            found.append(DateMention(date, line_kind))
    return found


def choose_blog_date(mentions: list[DateMention]) -> tuple[dt.date | None, str]:
    """Pick the blog date, or explain why none can be picked.

    Returns ``(date, source)`` on success and ``(None, reason)`` otherwise.
    A byline states when the blog was published, so it outranks a caption,
    which states when a photo was taken.
    """
    if not mentions:
        return None, "the header states no date"
    for kind in ("byline", "caption", "other"):
        dates = sorted({m.date for m in mentions if m.line_kind == kind})
        if len(dates) == 1:
            return dates[0], kind
        if len(dates) > 1:
            listed = ", ".join(d.isoformat() for d in dates)
            return None, f"the {kind} states several dates ({listed})"
    raise AssertionError("unreachable: mentions is not empty")


def _to_date(year: str, month: int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None
