import datetime as dt

import pytest

from liveledger.markers import match_marker, split_leading_marker, split_trailing_marker


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("4:25 p.m.", dt.time(16, 25)),
        ("1 p.m.", dt.time(13, 0)),
        ("1:45 P.M.", dt.time(13, 45)),
        ("9:00 a.m.", dt.time(9, 0)),
        ("12:15 a.m.", dt.time(0, 15)),
        ("12:30 p.m.", dt.time(12, 30)),
        ("noon", dt.time(12, 0)),
        ("Noon", dt.time(12, 0)),
        ("midnight", dt.time(0, 0)),
        ("4:25 p.m.   ", dt.time(16, 25)),
        ("  7 a.m.", dt.time(7, 0)),
        ("4:25 pm", dt.time(16, 25)),
        ("4:25 p.m", dt.time(16, 25)),
        ("11:05 A.M.", dt.time(11, 5)),
        ("2.10 p.m.", dt.time(14, 10)),
        ("10.05 a.m.", dt.time(10, 5)),
        ("14:10", dt.time(14, 10)),
        ("16:25", dt.time(16, 25)),
        ("08:05", dt.time(8, 5)),
        ("0:45", dt.time(0, 45)),
        ("\u200b2:10 p.m.", dt.time(14, 10)),
        ("2:10\u200b p.m.", dt.time(14, 10)),
        ("\u200f2:10 p.m.\u200e", dt.time(14, 10)),
        ("\u202b4:25 p.m.\u202c", dt.time(16, 25)),
        ("\u2060noon", dt.time(12, 0)),
        ("\ufeff9 a.m.", dt.time(9, 0)),
    ],
)
def test_marker_forms_are_recognised(line: str, expected: dt.time) -> None:
    found = match_marker(line)
    assert found is not None and found.clock == expected


@pytest.mark.parametrize(
    "line",
    [
        "Posted at 8:40 PM",
        "The meeting starts at 4 p.m. on Saturday.",
        "“We will meet at noon,” he said.",
        "p.m.",
        "1,000",
        "3.",
        "2019",
        "noon today",
        "",
    ],
)
def test_text_with_clock_times_is_not_a_marker(line: str) -> None:
    assert match_marker(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "25:99 p.m.",
        "0:45 a.m.",
        "13:00 p.m.",
        "4:7 p.m.",
        "4:60 a.m.",
        "24:10",
        "14:75",
        "2.1 p.m.",
    ],
)
def test_impossible_markers_are_flagged_not_ignored(line: str) -> None:
    found = match_marker(line)
    assert found is not None
    assert found.clock is None
    assert "not a valid" in (found.problem or "")


@pytest.mark.parametrize("line", ["2;10 p.m.", "4:255 p.m.", "123 a.m.", "2 . 10 p.m."])
def test_lines_shaped_like_markers_are_flagged_not_read_as_text(line: str) -> None:
    found = match_marker(line)
    assert found is not None and found.clock is None
    assert "not a clock time we can read" in (found.problem or "")


@pytest.mark.parametrize(
    ("line", "clock"),
    [("4:25", dt.time(4, 25)), ("10:30", dt.time(10, 30)), ("12:00", dt.time(12, 0))],
)
def test_bare_times_that_may_be_12_hour_are_left_to_the_blog(line: str, clock: dt.time) -> None:
    found = match_marker(line)
    assert found is not None and found.clock is None
    assert found.bare_24_hour == clock
    assert "no a.m./p.m." in (found.problem or "")


def test_trailing_marker_is_split_from_intro() -> None:
    split = split_trailing_marker("The Latest on the crisis (all times local): 4:25 p.m.")
    assert split is not None
    text, marker = split
    assert text == "The Latest on the crisis (all times local):"
    assert marker.clock == dt.time(16, 25)


def test_no_trailing_marker_in_plain_intro() -> None:
    assert split_trailing_marker("The Latest on the crisis (all times local):") is None


@pytest.mark.parametrize(
    ("line", "clock"),
    [
        ("9: 45 p.m.", dt.time(21, 45)),
        ("8.40am", dt.time(8, 40)),
        ("8.40am:", dt.time(8, 40)),
        ("6.25 a.m.", dt.time(6, 25)),
        ("2:47 p.m", dt.time(14, 47)),
        ("3:15 PM", dt.time(15, 15)),
        ("___ 1:50 a.m.", dt.time(1, 50)),
        ("--- 9 a.m.", dt.time(9, 0)),
    ],
)
def test_outlet_spellings_of_a_clock_are_read(line: str, clock: dt.time) -> None:
    found = match_marker(line)
    assert found is not None and found.clock == clock and found.warning is None


def test_hour_zero_pm_is_read_as_half_past_noon_with_a_warning() -> None:
    found = match_marker("0:45 p.m.")
    assert found is not None and found.clock == dt.time(12, 45)
    assert found.warning is not None and "12:45 p.m." in found.warning


@pytest.mark.parametrize(
    ("line", "zone", "weekday", "date"),
    [
        ("3.33am BST", "Europe/London", None, None),
        ("1:54 p.m. ET, April 30, 2019", "America/New_York", None, dt.date(2019, 4, 30)),
        ("12:05 p.m. Tuesday", None, 1, None),
        ("7:44 p.m. on Monday", None, 0, None),
        ("10:12 a.m. GMT Sunday, Jan. 5, 2020", "UTC", 6, dt.date(2020, 1, 5)),
        ("14:32 CET", "Europe/Paris", None, None),
    ],
)
def test_zone_weekday_and_date_qualifiers_are_kept(
    line: str, zone: str | None, weekday: int | None, date: dt.date | None
) -> None:
    found = match_marker(line)
    assert found is not None and found.clock is not None
    assert (found.zone, found.weekday, found.date) == (zone, weekday, date)


@pytest.mark.parametrize(
    ("line", "second", "zone"),
    [
        ("7:44 p.m. on Monday (1144 GMT)", dt.time(11, 44), "UTC"),
        ("12:05 p.m. Tuesday (12:05 a.m. EDT)", dt.time(0, 5), "America/New_York"),
        ("9:30 a.m. (0630 GMT)", dt.time(6, 30), "UTC"),
    ],
)
def test_a_second_clock_in_parentheses_is_kept(line: str, second: dt.time, zone: str) -> None:
    found = match_marker(line)
    assert found is not None and found.clock is not None
    assert (found.second_clock, found.second_zone) == (second, zone)


@pytest.mark.parametrize(
    "line",
    [
        "4 p.m. Foo 12",
        "4 p.m. February 30, 2019",
        "4 p.m. et",
        "4 p.m. (see below)",
        "4 p.m. (1144 XYZ)",
        "4 p.m. Tuesday evening",
    ],
)
def test_qualifier_lookalikes_are_text(line: str) -> None:
    assert match_marker(line) is None


@pytest.mark.parametrize(
    ("line", "marker", "text", "prefixed"),
    [
        ("8.40am: The prime minister arrives", "8.40am", "The prime minister arrives", False),
        ("3:15 PM Police say two were hurt", "3:15 PM", "Police say two were hurt", False),
        ("• 14:32 - Shots heard near the square", "14:32", "Shots heard near the square", False),
        ("3.33am BST: Polls close", "3.33am BST", "Polls close", False),
        ("Updated 4:10 p.m.: The envoy lands", "4:10 p.m.", "The envoy lands", True),
    ],
)
def test_a_clock_heading_text_on_one_line_is_split(
    line: str, marker: str, text: str, prefixed: bool
) -> None:
    found = split_leading_marker(line)
    assert found is not None
    assert (found.marker.text, found.text, found.is_update_prefix) == (marker, text, prefixed)


@pytest.mark.parametrize(
    "line",
    [
        "3 p.m. is when the vote starts",
        "10 people died",
        "Updated 4:24 p.m. ET, May 1",
        "4:25 p.m.",
        "Updated 4:24 p.m. Tuesday",
        "25:10 p.m.: nothing",
    ],
)
def test_lines_that_do_not_head_text_with_a_clock_are_not_split(line: str) -> None:
    assert split_leading_marker(line) is None
