"""Dates, entry times and time markers of a generated blog.

The generator must know the exact instant every entry was written, so that
tests can hold the parser's UTC instants against the intent. Two things make
that hard and live here: wall-clock times that a DST change makes ambiguous
or non-existent (never used: the intent would not be well defined), and the
parser's day-rollover rule (consecutive entries less than twelve hours apart,
newest first). The marker forms are the ones AP writes and the parser reads.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

#: Blog dates are spread over these years (inclusive).
FIRST_DAY = dt.date(2010, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
AP_MONTHS = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)

#: Zones an intro may name instead of "(all times local)": the word the
#: parser maps to the same zone, by (zone, whether DST is on).
ZONE_WORDS = {
    "America/New_York": ("EST", "EDT"),
    "America/Chicago": ("CST", "CDT"),
    "America/Los_Angeles": ("PST", "PDT"),
    "Europe/Paris": ("CET", "CEST"),
    "Europe/London": ("GMT", "BST"),
}


def day_count() -> int:
    """How many days blog dates may fall on."""
    return (LAST_DAY - FIRST_DAY).days + 1


def well_defined(local: dt.datetime, zone: ZoneInfo) -> bool:
    """False inside a DST gap or overlap, where a wall-clock time has no single instant."""
    first = local.replace(tzinfo=zone, fold=0).utcoffset()
    second = local.replace(tzinfo=zone, fold=1).utcoffset()
    return first == second


def entry_times(
    rng: random.Random, count: int, blog_date: dt.date, zone: ZoneInfo
) -> list[dt.datetime]:
    """Local times of ``count`` entries, newest first, the newest on ``blog_date``.

    Consecutive entries are less than twelve hours apart (the parser's day
    rollover rule); about one blog in seven starts its newest entry shortly
    after midnight, so its older entries fall on the previous day.
    """
    span = rng.uniform(4 * 60, 20 * 60)
    mean_gap = min(150.0, max(3.0, span / max(count - 1, 1)))
    midnight = dt.datetime.combine(blog_date, dt.time())
    if rng.random() < 0.15:
        minute = rng.randint(0, 150)
    else:
        minute = rng.randint(int(min(span + 30, 1380)) if rng.random() < 0.8 else 360, 1435)
    if rng.random() < 0.8:
        minute -= minute % 5
    newest = midnight + dt.timedelta(minutes=minute)
    while not well_defined(newest, zone):
        newest += dt.timedelta(minutes=30)
    if newest.date() != blog_date:  # a transition just before midnight: go back instead
        newest = midnight + dt.timedelta(hours=23, minutes=55)
        while not well_defined(newest, zone):
            newest -= dt.timedelta(minutes=30)
    times = [newest]
    for _ in range(count - 1):
        times.append(_older(rng, times[-1], mean_gap, zone))
    return times


def _older(rng: random.Random, newer: dt.datetime, mean_gap: float, zone: ZoneInfo) -> dt.datetime:
    gap = min(480, max(1, int(rng.expovariate(1 / mean_gap))))
    when = newer - dt.timedelta(minutes=gap)
    if rng.random() < 0.8:
        when -= dt.timedelta(minutes=when.minute % 5)
    for boundary in (dt.time(0, 0), dt.time(12, 0)):
        # Let some entries sit exactly on midnight or noon when the gap spans one.
        mark = dt.datetime.combine(newer.date(), boundary)
        if when < mark < newer and rng.random() < 0.3:
            when = mark
    while not well_defined(when, zone):
        when -= dt.timedelta(minutes=30)
    return when


def marker(rng: random.Random, clock: dt.time) -> str:
    """A time marker in one of the forms AP writes and the parser reads."""
    roll = rng.random()
    if clock.minute == 0 and clock.hour in (0, 12):
        word = "midnight" if clock.hour == 0 else "noon"
        if roll < 0.8:
            return word
    hour = clock.hour % 12 or 12
    half = "a" if clock.hour < 12 else "p"
    digits = f"{hour}" if clock.minute == 0 and rng.random() < 0.8 else f"{hour}:{clock.minute:02d}"
    roll = rng.random()
    suffix = (
        f"{half}.m."
        if roll < 0.9
        else f"{half.upper()}.M."
        if roll < 0.95
        else f"{half}m"
        if roll < 0.975
        else f"{half.upper()}M"
    )
    return f"{digits} {suffix}"


def zone_statement(rng: random.Random, time_zone: str, blog_date: dt.date) -> tuple[str, str]:
    """The zone the entry times are in and how the intro says so.

    ``time_zone`` is the dateline city's zone; a few blogs state their
    times in UTC ("GMT") or by a zone abbreviation the parser knows.
    """
    roll = rng.random()
    if roll < 0.02:
        return "UTC", "GMT"
    words = ZONE_WORDS.get(time_zone)
    if words and roll < 0.3:
        noon = dt.datetime.combine(blog_date, dt.time(12)).replace(tzinfo=ZoneInfo(time_zone))
        word = words[1] if noon.dst() else words[0]
        if word == "GMT":  # the parser reads GMT as UTC, which London is in winter
            return "UTC", word
        return time_zone, word
    return time_zone, "local"
