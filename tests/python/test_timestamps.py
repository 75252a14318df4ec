import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from liveledger.errors import OptionError
from liveledger.timestamps import assign_days, load_zone, to_utc

DAY = dt.date(2019, 11, 11)


def test_rollover_moves_entries_before_midnight_to_the_previous_day() -> None:
    clocks = [dt.time(1, 10), dt.time(0, 0), dt.time(23, 55), dt.time(22, 0)]
    days, out_of_order = assign_days(clocks, DAY)
    assert days == [DAY, DAY, DAY - dt.timedelta(days=1), DAY - dt.timedelta(days=1)]
    assert out_of_order == []


def test_two_midnight_crossings_go_back_two_days() -> None:
    clocks = [dt.time(0, 30), dt.time(23, 0), dt.time(1, 0), dt.time(22, 0)]
    days, _ = assign_days(clocks, DAY)
    assert days[-1] == DAY - dt.timedelta(days=2)


def test_small_step_up_is_out_of_order_not_a_new_day() -> None:
    clocks = [dt.time(10, 0), dt.time(11, 0), dt.time(9, 0)]
    days, out_of_order = assign_days(clocks, DAY)
    assert days == [DAY, DAY, DAY]
    assert out_of_order == [1]


def test_to_utc_uses_the_zone_offset_of_that_date() -> None:
    caracas = ZoneInfo("America/Caracas")
    assert to_utc(dt.datetime(2019, 1, 24, 16, 25), caracas) == dt.datetime(2019, 1, 24, 20, 25)
    new_york = ZoneInfo("America/New_York")
    assert to_utc(dt.datetime(2019, 7, 1, 12, 0), new_york) == dt.datetime(2019, 7, 1, 16, 0)
    assert to_utc(dt.datetime(2019, 1, 1, 12, 0), new_york) == dt.datetime(2019, 1, 1, 17, 0)


def test_unknown_zone_is_a_user_error() -> None:
    with pytest.raises(OptionError, match="unknown time zone"):
        load_zone("Mars/Olympus_Mons")


def test_classify_local_finds_the_gap_and_the_overlap() -> None:
    from liveledger.timestamps import classify_local

    zone = ZoneInfo("America/New_York")
    assert classify_local(dt.datetime(2019, 3, 10, 2, 30), zone) == "gap"
    assert classify_local(dt.datetime(2019, 3, 10, 3, 0), zone) == "ok"
    assert classify_local(dt.datetime(2019, 3, 10, 1, 59), zone) == "ok"
    assert classify_local(dt.datetime(2019, 11, 3, 1, 30), zone) == "ambiguous"
    assert classify_local(dt.datetime(2019, 11, 3, 2, 0), zone) == "ok"
    assert classify_local(dt.datetime(2019, 3, 10, 2, 30), ZoneInfo("America/Caracas")) == "ok"
