import datetime as dt

import pytest

from liveledger.markers import match_marker, split_trailing_marker


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


@pytest.mark.parametrize("line", ["25:99 p.m.", "0:45 p.m.", "13:00 p.m.", "4:7 p.m.", "4:60 a.m.",
                                  "24:10", "14:75", "2.1 p.m."])
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


@pytest.mark.parametrize(("line", "clock"), [("4:25", dt.time(4, 25)), ("10:30", dt.time(10, 30)),
                                             ("12:00", dt.time(12, 0))])
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
