"""Turn clock times into real instants: day rollover and local -> UTC.

Entries are listed newest first. The blog date is the local date of the
newest (first-listed) entry, because that is the date a byline or caption
of the latest version shows. Walking down the list, clock times fall; when
an older entry's clock is more than twelve hours *later* than the entry
above it, the blog crossed midnight and that entry belongs to the previous
day. A smaller step up is an entry out of order on the same day; it is kept
and reported as a warning rather than being pushed back almost a full day.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import OptionError

#: A step between neighbouring clock times larger than this is a midnight crossing.
HALF_DAY_MINUTES = 12 * 60


def minute_of_day(clock: dt.time) -> int:
    """Minutes since midnight: 4:25 p.m. is 985."""
    return clock.hour * 60 + clock.minute


def offset_text(offset: dt.timedelta) -> str:
    """ "-04:00" / "+08:00" / "+05:30" for a UTC offset."""
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def fixed_offset_zone(offset: dt.timedelta) -> str | None:
    """The IANA zone of a whole-hour offset (``Etc/GMT-8`` is UTC+8; the sign is
    inverted by convention), ``UTC`` for zero; None for other offsets."""
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    if rest != 0 or not -12 <= hours <= 14:
        return None
    return "UTC" if hours == 0 else f"Etc/GMT{-hours:+d}"


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone called ``name``, or a user-facing error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise OptionError(
            f"unknown time zone {name!r}: use an IANA name such as "
            "'America/Caracas' or 'Europe/Moscow'"
        ) from None


def assign_days(clocks: list[dt.time], newest_day: dt.date) -> tuple[list[dt.date], list[int]]:
    """Local date of each clock time (newest first), and indexes out of order."""
    days: list[dt.date] = []
    out_of_order: list[int] = []
    day = newest_day
    previous: int | None = None
    for index, clock in enumerate(clocks):
        minutes = minute_of_day(clock)
        if previous is not None and minutes > previous:
            if minutes - previous > HALF_DAY_MINUTES:
                day -= dt.timedelta(days=1)
            else:
                out_of_order.append(index)
        days.append(day)
        previous = minutes
    return days, out_of_order


def classify_local(local: dt.datetime, zone: ZoneInfo) -> Literal["ok", "gap", "ambiguous"]:
    """Whether a wall-clock time existed once, never (spring-forward gap) or twice.

    A time in the gap has no instant: Python would quietly shift it by the
    DST step, so the parser rejects it instead. A time in the autumn overlap
    has two instants; ``to_utc`` takes the first.
    """
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return "ok"
    round_trip = first.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    return "ambiguous" if round_trip == local else "gap"


def to_utc(local: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    """The UTC instant (naive) of a local wall-clock time in ``zone``.

    Ambiguous times in the autumn DST overlap take the first occurrence
    (``fold=0``), as a reader of the blog would.
    """
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(dt.timezone.utc).replace(tzinfo=None)
