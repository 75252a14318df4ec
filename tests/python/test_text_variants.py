"""Plain-text live blogs beyond the AP sample: marker variants, other outlets, tickers.

The fixtures in ``tests/data/formats/text/`` are written by us, modelled on
the layouts real outlets use (AP reprints, a TV station's copy, a UK
paper's page, an election ticker, a 24-hour European blog). Each test
states the instants a reader works out by hand from the text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, blog
from liveledger import PARSER_VERSION
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex
from liveledger.records import ParsedBlog

TEXT = Path(__file__).resolve().parents[1] / "data" / "formats" / "text"


def parse(name: str, places: PlaceIndex, **options: object) -> ParsedBlog:
    return parse_blog((TEXT / name).read_text(encoding="utf-8"), places, **options)  # type: ignore[arg-type]


def utc(parsed: ParsedBlog) -> list[dt.datetime]:
    return [e.published_at for e in parsed.entries]


def test_ap_marker_variants_and_a_teaser(places: PlaceIndex) -> None:
    parsed = parse("ap-variants.txt", places)
    assert [e.time_marker for e in parsed.entries] == [
        "9: 45 p.m.",
        "6.25 p.m.",
        "4:10 p.m.",
        "2:47 p.m",
        "0:45 p.m.",
    ]
    # Santiago is UTC-3 in October (Chilean summer time).
    assert utc(parsed) == [
        dt.datetime(2019, 10, 24, 0, 45),
        dt.datetime(2019, 10, 23, 21, 25),
        dt.datetime(2019, 10, 23, 19, 10),
        dt.datetime(2019, 10, 23, 17, 47),
        dt.datetime(2019, 10, 23, 15, 45),
    ]
    # "Updated 4:10 p.m.: ..." heads an entry; its text starts after the prefix.
    assert parsed.entries[2].body.startswith("The country's human rights institute")
    assert parsed.entries[2].body.endswith("observers in every region.")
    # The intro's copy of the first entry is a teaser: rejected, not counted as an entry.
    assert [r.reason_code for r in parsed.rejections] == ["teaser"]
    assert not parsed.rejections[0].is_entry
    assert parsed.entries_seen == 5
    assert any("read as 12:45 p.m." in w for w in parsed.warnings)


def test_an_intro_marker_with_other_text_is_an_entry_not_a_teaser(places: PlaceIndex) -> None:
    header = (
        "The Latest: X\n\nA caption in Caracas, Venezuela, Thursday, Jan. 24, 2019. "
        "(AP Photo/X)\n\nCARACAS, Venezuela (AP) — The Latest on the test (all times "
        "local): 5 p.m. The army says it backs the president.\n"
    )
    parsed = parse_blog(blog("4 p.m.\nThe opposition calls a march.", header=header), places)
    assert [e.time_marker for e in parsed.entries] == ["5 p.m.", "4 p.m."]
    assert parsed.entries[0].body == "The army says it backs the president."
    assert parsed.rejections == ()


def test_weekday_and_second_clock_give_the_instant(places: PlaceIndex) -> None:
    parsed = parse("ap-weekday-second-clock.txt", places)
    assert utc(parsed) == [
        dt.datetime(2019, 12, 2, 11, 44),
        dt.datetime(2019, 12, 2, 8, 10),
        dt.datetime(2019, 12, 1, 15, 30),
    ]
    assert [e.utc_offset for e in parsed.entries] == ["+08:00"] * 3
    # "11:30 p.m. Sunday" below a Monday entry is the evening before, not out of order.
    assert [e.published_at_local.date() for e in parsed.entries] == [
        dt.date(2019, 12, 2),
        dt.date(2019, 12, 2),
        dt.date(2019, 12, 1),
    ]
    assert not any("later than the entry" in w for w in parsed.warnings)
    # With no "(all times local)", the zone comes from the second clocks' offset.
    assert parsed.time_zone == "Etc/GMT-8"


def test_a_reprint_with_no_dateline_is_dated_by_its_markers(places: PlaceIndex) -> None:
    parsed = parse("tv-reprint-no-dateline.txt", places)
    assert utc(parsed) == [dt.datetime(2019, 4, 30, 17, 54), dt.datetime(2019, 4, 30, 15, 5)]
    assert parsed.time_zone == "America/New_York"
    assert parsed.blog_date == dt.date(2019, 4, 30)
    # The TV station's "Posted: ... / Updated: ..." lines are page stamps.
    assert [r.reason_code for r in parsed.rejections] == ["page_stamp", "page_stamp"]


def test_a_uk_page_with_zone_markers_keeps_its_timetable_inside_the_entry(
    places: PlaceIndex,
) -> None:
    parsed = parse("guardian-style.txt", places)
    assert [e.time_marker for e in parsed.entries] == ["5.55pm GMT", "4.12pm GMT", "3.33pm GMT"]
    assert utc(parsed) == [
        dt.datetime(2019, 3, 12, 17, 55),
        dt.datetime(2019, 3, 12, 16, 12),
        dt.datetime(2019, 3, 12, 15, 33),
    ]
    assert "10am: MPs debate the motion\n7pm: the first vote" in parsed.entries[0].body
    assert parsed.time_zone == "UTC" and parsed.listing_order == "newest_first"
    # No dateline, no "The Latest": the headline tells this blog from others of the day.
    assert parsed.blog_id == (
        "2019-03-12--no-dateline--brexit-vote-mps-prepare-for-the-latest-round-of-votes-live"
    )


def test_a_marker_zone_wins_over_the_zone_option(places: PlaceIndex) -> None:
    parsed = parse("guardian-style.txt", places, time_zone="America/New_York")
    assert utc(parsed)[0] == dt.datetime(2019, 3, 12, 17, 55)


def test_an_oldest_first_bullet_ticker(places: PlaceIndex) -> None:
    parsed = parse("ticker-oldest-first.txt", places, time_zone="America/New_York")
    assert parsed.listing_order == "oldest_first"
    assert [e.time_marker for e in parsed.entries] == ["6:02 pm", "6:40 PM", "7:15 p.m.", "8:05 pm"]
    # New York is UTC-4 in May; the last entry is past midnight UTC.
    assert utc(parsed) == [
        dt.datetime(2019, 5, 26, 22, 2),
        dt.datetime(2019, 5, 26, 22, 40),
        dt.datetime(2019, 5, 26, 23, 15),
        dt.datetime(2019, 5, 27, 0, 5),
    ]
    assert parsed.entries[2].body == (
        "The first projection puts the governing party ahead.\n"
        "It is followed closely by the opposition alliance."
    )
    assert parsed.warnings == ()


def test_a_ticker_without_a_zone_is_rejected_with_the_fix(places: PlaceIndex) -> None:
    parsed = parse("ticker-oldest-first.txt", places)
    assert parsed.entries == ()
    assert {r.reason_code for r in parsed.rejections} == {"time_zone_unknown"}
    assert "--timezone" in parsed.rejections[0].message


def test_oldest_first_crosses_midnight_forward_and_numbers_keys_from_the_top(
    places: PlaceIndex,
) -> None:
    text = (
        "Live: night of the vote\n\nSunday, May 26, 2019\n\n"
        "• 10:40 pm Counting starts.\n• 11:20 pm First results.\n• 11:20 pm A recount.\n"
        "• 11:45 pm Turnout figures.\n• 12:10 am The result.\n"
    )
    parsed = parse_blog(text, places, time_zone="UTC")
    assert parsed.listing_order == "oldest_first"
    assert [e.published_at_local for e in parsed.entries] == [
        dt.datetime(2019, 5, 25, 22, 40),
        dt.datetime(2019, 5, 25, 23, 20),
        dt.datetime(2019, 5, 25, 23, 20),
        dt.datetime(2019, 5, 25, 23, 45),
        dt.datetime(2019, 5, 26, 0, 10),
    ]
    keys = [e.entry_key.rsplit("/", 1)[1] for e in parsed.entries]
    assert keys == [
        "2019-05-25T22:40",
        "2019-05-25T23:20",
        "2019-05-25T23:20~2",
        "2019-05-25T23:45",
        "2019-05-26T00:10",
    ]


def test_a_24_hour_blog_with_cet_markers(places: PlaceIndex) -> None:
    parsed = parse("cet-24-hour.txt", places)
    assert utc(parsed) == [
        dt.datetime(2019, 3, 7, 15, 40),
        dt.datetime(2019, 3, 7, 13, 32),
        dt.datetime(2019, 3, 7, 8, 5),
    ]
    assert parsed.time_zone == "Europe/Paris"


def test_entries_in_no_order_are_kept_and_flagged(places: PlaceIndex) -> None:
    parsed = parse_blog(
        blog("10 a.m.\nA.", "11 a.m.\nB.", "9 a.m.\nC.", "1 p.m.\nD.", "8 a.m.\nE.", "2 p.m.\nF."),
        places,
    )
    assert parsed.listing_order == "not_monotonic"
    assert len(parsed.entries) == 6
    assert any("not listed in time order" in w for w in parsed.warnings)


@pytest.mark.parametrize("line", ["10am: MPs debate the motion", "3:15 PM Police say"])
def test_schedule_lines_stay_text_where_markers_stand_alone(places: PlaceIndex, line: str) -> None:
    parsed = parse_blog(blog(f"4 p.m.\nThe timetable:\n{line}", "3 p.m.\nEarlier."), places)
    assert [e.time_marker for e in parsed.entries] == ["4 p.m.", "3 p.m."]
    assert line in parsed.entries[0].body


def test_a_stamp_without_text_is_still_a_page_stamp(places: PlaceIndex) -> None:
    parsed = parse_blog(blog("Updated 4:24 p.m. ET, May 1", "4 p.m.\nText."), places)
    assert [r.reason_code for r in parsed.rejections] == ["page_stamp"]
    assert len(parsed.entries) == 1


def test_a_marker_zone_other_than_the_blogs_is_kept_on_its_entry(places: PlaceIndex) -> None:
    parsed = parse_blog(blog("5 p.m.\nLocal text.", "3:54 p.m. ET\nWashington reacts."), places)
    local, eastern = parsed.entries
    assert (local.time_zone, local.published_at) == (None, dt.datetime(2019, 1, 24, 21, 0))
    # 3:54 p.m. in New York on Jan. 24 (EST, UTC-5) is 20:54 UTC.
    assert (eastern.time_zone, eastern.published_at) == (
        "America/New_York",
        dt.datetime(2019, 1, 24, 20, 54),
    )


def test_format_option_reads_a_page_detection_would_take_for_text(tmp_path: Path) -> None:
    """``--format html`` on ``parse`` and ``load``: through the real CLI."""
    page = tmp_path / "page.txt"
    page.write_text(
        "Saved from the browser\n<html><body><h1>Storm: live</h1>"
        "<article><time datetime='2022-09-28T15:00:00-04:00'>3 p.m.</time>"
        "<p>Landfall near the coast.</p></article></body></html>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "LIVELEDGER_DB": str(tmp_path / "w.duckdb")}
    detected = _cli(env, "parse", "--json", str(page))
    assert detected.returncode == 1 and "no entries could be parsed" in detected.stderr
    forced = _cli(env, "parse", "--json", "--format", "html", str(page))
    assert forced.returncode == 0, forced.stderr
    (row,) = [json.loads(line) for line in forced.stdout.splitlines()]
    assert (row["published_at"], row["time_source"], row["body"]) == (
        "2022-09-28T19:00:00Z",
        "html",
        "Landfall near the coast.",
    )
    loaded = _cli(env, "load", "--format", "html", str(page))
    assert loaded.returncode == 0, loaded.stderr
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select parser_version from raw.load_batches").fetchall() == [
            (f"{PARSER_VERSION}+html",)
        ]
        assert con.execute("select time_source, utc_offset from raw.entry_events").fetchall() == [
            ("html", "-04:00")
        ]
    bad = _cli(env, "parse", "--format", "pdf", str(page))
    assert bad.returncode == 2 and "invalid choice: 'pdf'" in bad.stderr


def test_a_second_clock_offset_is_kept_in_the_event_log(tmp_path: Path) -> None:
    env = {**os.environ, "LIVELEDGER_DB": str(tmp_path / "w.duckdb")}
    loaded = _cli(env, "load", str(TEXT / "ap-weekday-second-clock.txt"))
    assert loaded.returncode == 0, loaded.stderr
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select time_source, utc_offset, published_at from raw.entry_events "
            "order by published_at desc"
        ).fetchall()
    assert rows == [
        ("marker", "+08:00", dt.datetime(2019, 12, 2, 11, 44)),
        ("marker", "+08:00", dt.datetime(2019, 12, 2, 8, 10)),
        ("marker", "+08:00", dt.datetime(2019, 12, 1, 15, 30)),
    ]


def test_parse_json_shows_the_listing_order(tmp_path: Path) -> None:
    result = _cli(
        dict(os.environ),
        "parse",
        "--json",
        "--timezone",
        "America/New_York",
        str(TEXT / "ticker-oldest-first.txt"),
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["listing_order"] for row in rows} == {"oldest_first"} and len(rows) == 4


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
