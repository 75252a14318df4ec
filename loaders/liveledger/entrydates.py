"""The local day and instant of each entry, from its marker and the blog.

Outlets list entries newest first (AP, most live pages), oldest first (some
tickers and reprints) or, now and then, in no order at all. The order is
read from the clock times, not assumed: a step between two neighbours that
goes back by up to twelve hours is a "newest first" step, one that goes
forward is an "oldest first" step (a larger jump is a midnight crossing,
which either order can make, and does not vote). The order with more
steps wins; a blog with many steps of both kinds is kept but flagged
``not_monotonic``.

A marker can also state more than its clock, and what it states wins over
what the blog as a whole says, because it is closer to the entry: its zone
("1:54 p.m. ET"), its date ("April 30, 2019": it anchors the days of its
neighbours too), its weekday (checked, and used to move the days when the
first one disagrees) and the same instant on a second clock ("7:44 p.m. on
Monday (1144 GMT)"), which gives the entry's UTC instant and offset outright.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from . import timestamps
from .markers import MarkerMatch

ListingOrder = Literal["newest_first", "oldest_first", "not_monotonic"]


def listing_order(clocks: list[dt.time]) -> ListingOrder:
    """How the entries are listed, voted on by the steps between neighbours."""
    newer_below = older_below = 0
    for above, below in zip(clocks, clocks[1:]):
        step = timestamps.minute_of_day(below) - timestamps.minute_of_day(above)
        if 0 < step <= timestamps.HALF_DAY_MINUTES:
            newer_below += 1
        elif -timestamps.HALF_DAY_MINUTES <= step < 0:
            older_below += 1
        # A jump of more than half a day is a midnight crossing, which either
        # order can make: it does not vote.
    if newer_below >= 2 and newer_below > older_below:
        order: ListingOrder = "oldest_first"
        major, minor = newer_below, older_below
    else:
        order = "newest_first"
        major, minor = older_below, newer_below
    if minor >= 2 and minor * 3 >= major:
        return "not_monotonic"
    return order


@dataclass(frozen=True)
class LocalDays:
    """Each entry's local date, and what the reading of the days found."""

    days: list[dt.date]
    out_of_order: list[int]
    warnings: list[str]


def local_days(
    found: list[MarkerMatch], blog_date: dt.date | None, order: ListingOrder
) -> LocalDays | None:
    """The local date of each entry; None if neither the blog nor a marker gives one.

    ``blog_date`` is the local date of the newest entry. A marker's own date
    overrides it: the first dated marker fixes the days of all entries
    (rollovers counted from it), and each dated marker keeps its own date.
    """
    clocks = [m.clock for m in found if m.clock is not None]
    assert len(clocks) == len(found), "only markers with a clock are dated"
    anchors = _date_anchors(found, blog_date)
    start = blog_date or (anchors[0][1] if anchors else None)
    if start is None:
        return None
    newest_last = order == "oldest_first"
    walk = list(reversed(clocks)) if newest_last else clocks
    days, out_of_order = timestamps.assign_days(walk, start)
    if newest_last:
        days.reverse()
        out_of_order = sorted(len(clocks) - 1 - i for i in out_of_order)
    warnings: list[str] = []
    if anchors:
        index, date = anchors[0]
        days = _shifted(days, date - days[index])
        for index, date in anchors:
            days[index] = date
    else:
        days = _checked_weekdays(found, days, warnings)
    # An entry a stated date or weekday put on another day than its neighbour
    # is not out of order on the same day.
    neighbour = 1 if newest_last else -1
    out_of_order = [
        i for i in out_of_order if 0 <= i + neighbour < len(days) and days[i] == days[i + neighbour]
    ]
    return LocalDays(days, out_of_order, warnings)


def _date_anchors(found: list[MarkerMatch], blog_date: dt.date | None) -> list[tuple[int, dt.date]]:
    """(index, date) of each marker that states its date; a date without a
    year takes the blog's year (or the year before, if that is nearer)."""
    anchors: list[tuple[int, dt.date]] = []
    for index, marker in enumerate(found):
        if marker.date is not None:
            anchors.append((index, marker.date))
        elif marker.month_day is not None and blog_date is not None:
            month, day = marker.month_day
            candidates = []
            for year in (blog_date.year - 1, blog_date.year, blog_date.year + 1):
                try:
                    candidates.append(dt.date(year, month, day))
                except ValueError:  # February 29 outside a leap year
                    continue
            if candidates:
                anchors.append((index, min(candidates, key=lambda d: abs(d - blog_date))))
    return anchors


def _shifted(days: list[dt.date], by: dt.timedelta) -> list[dt.date]:
    return [day + by for day in days] if by else days


def _checked_weekdays(
    found: list[MarkerMatch], days: list[dt.date], warnings: list[str]
) -> list[dt.date]:
    """Put each entry whose marker states a weekday on the nearest such day.

    "11:30 p.m. Sunday" below "4:10 p.m. Monday" is the evening before, not
    an entry out of order. When every weekday the markers state is off by
    the same step, the blog's date was read off by that step (a byline of
    the next morning), and all entries move; otherwise only those entries
    move, to the nearest day (at most three away) that has their weekday.
    """
    steps = {
        index: (marker.weekday - days[index].weekday() + 3) % 7 - 3
        for index, marker in enumerate(found)
        if marker.weekday is not None
    }
    if not steps or not any(steps.values()):
        return days
    if len(set(steps.values())) == 1 and len(steps) > 1:
        (step,) = set(steps.values())
        warnings.append(
            f"every weekday the markers state is {step:+d} day(s) from the blog's date; "
            f"every entry moved {step:+d} day(s)"
        )
        return _shifted(days, dt.timedelta(days=step))
    days = list(days)
    for index, step in steps.items():
        if step:
            moved = days[index] + dt.timedelta(days=step)
            warnings.append(
                f"marker {found[index].text!r} says {_weekday(moved.weekday())}: "
                f"dated {moved:%Y-%m-%d}, not {days[index]:%Y-%m-%d}"
            )
            days[index] = moved
    return days


def _weekday(number: int) -> str:
    return dt.date(2024, 1, 1 + number).strftime("%A")  # 2024-01-01 was a Monday


def zone_from_markers(found: list[MarkerMatch]) -> tuple[str | None, str]:
    """The zone the markers state, when they agree on one.

    Used when neither the user nor the intro says which clock the blog
    uses: "3.33am BST" markers, or second clocks that all give the same
    whole-hour offset ("7:44 p.m. (1144 GMT)": UTC+8, ``Etc/GMT-8``).
    """
    zones = Counter(m.zone for m in found if m.zone is not None)
    if len(zones) == 1:
        ((zone, _),) = zones.items()
        words = sorted({m.text.split()[-1] for m in found if m.zone == zone})
        return zone, f"time markers ('{words[0]}')"
    if len(zones) > 1:
        return None, f"the time markers name {len(zones)} different zones"
    offsets = {offset for m in found if (offset := _marker_offset(m)) is not None}
    if len(offsets) == 1:
        (offset,) = offsets
        if (name := timestamps.fixed_offset_zone(offset)) is not None:
            hours = int(offset.total_seconds()) // 3600
            return name, f"time markers' second clock (UTC{hours:+d})"
    return None, "the time markers do not name a zone"


def _marker_offset(marker: MarkerMatch) -> dt.timedelta | None:
    """Local clock minus the second clock in UTC, folded into -12h..+14h."""
    if marker.clock is None or marker.second_clock is None or marker.second_zone != "UTC":
        return None
    minutes = (
        timestamps.minute_of_day(marker.clock) - timestamps.minute_of_day(marker.second_clock)
    ) % (24 * 60)
    if minutes > 14 * 60:
        minutes -= 24 * 60
    return dt.timedelta(minutes=minutes)


def second_clock_instant(marker: MarkerMatch, local: dt.datetime) -> tuple[dt.datetime, str] | None:
    """The UTC instant (naive) and offset ("+08:00") the second clock gives.

    The second clock's date is not written; of the three candidate days
    around the local date, the one whose offset from the local clock is a
    real UTC offset (-12h..+14h) is taken, the smallest if two are.
    """
    if marker.second_clock is None or marker.second_zone is None:
        return None
    zone = timestamps.load_zone(marker.second_zone)
    candidates = []
    for step in (-1, 0, 1):
        wall = dt.datetime.combine(local.date() + dt.timedelta(days=step), marker.second_clock)
        utc = timestamps.to_utc(wall, zone)
        offset = local - utc
        if -dt.timedelta(hours=12) <= offset <= dt.timedelta(hours=14):
            candidates.append((abs(offset), utc, offset))
    if not candidates:
        return None
    _, utc, offset = min(candidates)
    return utc, timestamps.offset_text(offset)
