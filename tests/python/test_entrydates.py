"""Order, days and instants from what markers state (``liveledger.entrydates``)."""

from __future__ import annotations

import datetime as dt

import pytest

from liveledger import entrydates
from liveledger.markers import MarkerMatch, match_marker


def markers(*lines: str) -> list[MarkerMatch]:
    found = [match_marker(line) for line in lines]
    assert all(m is not None and m.clock is not None for m in found), lines
    return [m for m in found if m is not None]


def clocks(*lines: str) -> list[dt.time]:
    return [m.clock for m in markers(*lines) if m.clock is not None]


@pytest.mark.parametrize(
    ("lines", "order"),
    [
        (("4 p.m.", "3 p.m.", "1 p.m."), "newest_first"),
        (("1 p.m.", "3 p.m.", "4 p.m."), "oldest_first"),
        (("1 p.m.", "3 p.m."), "newest_first"),  # one step up is an entry out of order
        (("1 a.m.", "11 p.m.", "10 p.m."), "newest_first"),  # across midnight, newest first
        (("10 p.m.", "11 p.m.", "1 a.m.", "2 a.m."), "oldest_first"),  # across midnight forward
        (("10 a.m.", "11 a.m.", "9 a.m.", "1 p.m.", "8 a.m.", "2 p.m."), "not_monotonic"),
    ],
)
def test_listing_order_is_voted_by_the_steps(lines: tuple[str, ...], order: str) -> None:
    assert entrydates.listing_order(clocks(*lines)) == order


def test_a_stated_date_anchors_its_neighbours() -> None:
    found = markers("9 a.m.", "11:30 p.m. ET, May 1, 2019", "10 p.m.")
    days = entrydates.local_days(found, None, "newest_first")
    assert days is not None
    assert days.days == [dt.date(2019, 5, 2), dt.date(2019, 5, 1), dt.date(2019, 5, 1)]


def test_a_date_without_a_year_takes_the_nearest_year() -> None:
    found = markers("1 a.m.", "11 p.m. Dec. 31")
    days = entrydates.local_days(found, dt.date(2020, 1, 1), "newest_first")
    assert days is not None and days.days == [dt.date(2020, 1, 1), dt.date(2019, 12, 31)]


def test_no_date_anywhere_gives_none() -> None:
    assert entrydates.local_days(markers("4 p.m."), None, "newest_first") is None


def test_every_weekday_off_by_one_moves_every_entry() -> None:
    # 2019-01-24 was a Thursday; both markers say Wednesday.
    found = markers("4 p.m. Wednesday", "3 p.m.", "2 p.m. Wednesday")
    days = entrydates.local_days(found, dt.date(2019, 1, 24), "newest_first")
    assert days is not None and days.days == [dt.date(2019, 1, 23)] * 3
    assert "every entry moved -1" in days.warnings[0]


@pytest.mark.parametrize(
    ("line", "local", "utc", "offset"),
    [
        (
            "7:44 p.m. (1144 GMT)",
            dt.datetime(2019, 12, 2, 19, 44),
            dt.datetime(2019, 12, 2, 11, 44),
            "+08:00",
        ),
        (
            "1:30 a.m. (1630 GMT)",
            dt.datetime(2019, 12, 3, 1, 30),
            dt.datetime(2019, 12, 2, 16, 30),
            "+09:00",
        ),
        (
            "9 p.m. (0100 GMT)",
            dt.datetime(2019, 6, 1, 21, 0),
            dt.datetime(2019, 6, 2, 1, 0),
            "-04:00",
        ),
        (
            "12:05 p.m. (12:05 a.m. EDT)",
            dt.datetime(2019, 6, 1, 12, 5),
            dt.datetime(2019, 6, 1, 4, 5),
            "+08:00",
        ),
    ],
)
def test_a_second_clock_gives_the_instant_across_midnight(
    line: str, local: dt.datetime, utc: dt.datetime, offset: str
) -> None:
    (found,) = markers(line)
    assert entrydates.second_clock_instant(found, local) == (utc, offset)


def test_markers_that_agree_on_a_zone_give_the_blogs_zone() -> None:
    assert entrydates.zone_from_markers(markers("5.55pm GMT", "4.12pm GMT"))[0] == "UTC"
    assert entrydates.zone_from_markers(markers("5 p.m. ET", "4 p.m. CET"))[0] is None
    assert (
        entrydates.zone_from_markers(markers("7:44 p.m. (1144 GMT)", "4:10 p.m. (0810 GMT)"))[0]
        == "Etc/GMT-8"
    )
    assert entrydates.zone_from_markers(markers("4 p.m.", "3 p.m."))[0] is None
