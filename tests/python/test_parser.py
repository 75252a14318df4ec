import datetime as dt

import pytest

from conftest import SAMPLE, TEST_BLOGS, blog
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex


def test_sample_has_29_entries_in_caracas_time(places: PlaceIndex) -> None:
    parsed = parse_blog(SAMPLE.read_text(encoding="utf-8"), places)
    assert parsed.entries_seen == 29
    assert len(parsed.entries) == 29
    assert parsed.rejections == ()
    assert parsed.time_zone == "America/Caracas"
    assert parsed.blog_date == dt.date(2019, 1, 24)
    assert parsed.date_source == "caption"
    first, last = parsed.entries[0], parsed.entries[-1]
    assert (first.time_marker, first.published_at) == (
        "4:25 p.m.",
        dt.datetime(2019, 1, 24, 20, 25),
    )
    assert (last.time_marker, last.published_at) == ("12:15 a.m.", dt.datetime(2019, 1, 24, 4, 15))
    # Caracas is UTC-4 all year: every entry is exactly four hours behind UTC.
    assert {e.published_at - e.published_at_local for e in parsed.entries} == {
        dt.timedelta(hours=4)
    }


def test_sample_header_is_read(places: PlaceIndex) -> None:
    header = parse_blog(SAMPLE.read_text(encoding="utf-8"), places).header
    assert header.headline == "The Latest: Maduro Orders Venezuelan Diplomats Out Of US"
    assert header.dateline_city == "CARACAS"
    assert header.dateline_region == "VENEZUELA"
    assert header.times_stated_as == "local"
    assert header.caption is not None and "(AP Photo/" in header.caption


def test_entry_body_keeps_paragraphs_and_sentences(places: PlaceIndex) -> None:
    parsed = parse_blog(SAMPLE.read_text(encoding="utf-8"), places)
    body = parsed.entries[0].body
    assert body.startswith("President Nicolas Maduro has ordered all Venezuelan diplomats home")
    assert body.count("\n") == 4  # five paragraphs
    assert "  " not in body


@pytest.mark.parametrize("dash", ["—", "–", "-", "--"])
def test_dateline_dash_variants(places: PlaceIndex, dash: str) -> None:
    header = (
        "The Latest: X\n\nFriday, March 1, 2019\n\n"
        f"MOSCOW (AP) {dash} The Latest on things (all times local):\n"
    )
    parsed = parse_blog(blog("1 p.m.\nRussia says it backs the plan.", header=header), places)
    assert parsed.time_zone == "Europe/Moscow"
    assert parsed.entries[0].published_at == dt.datetime(2019, 3, 1, 10, 0)


@pytest.mark.parametrize("separator", ["\n", "\n\n", "\n\n\n", "\n___\n", "\n\n———\n\n", "\n---\n"])
def test_separators_and_blank_lines_between_entries(places: PlaceIndex, separator: str) -> None:
    text = blog(
        separator.join(["2 p.m.\nFirst text.", "1 p.m.\nSecond text.\nMore.", "noon\nThird text."])
    )
    parsed = parse_blog(text, places)
    assert [e.time_marker for e in parsed.entries] == ["2 p.m.", "1 p.m.", "noon"]
    assert parsed.entries[1].body == "Second text.\nMore."
    assert parsed.rejections == ()


def test_clock_times_in_text_quotes_and_page_stamps_are_not_entries(places: PlaceIndex) -> None:
    text = blog(
        "4 p.m.\nThe vote is due at 6 p.m. on Friday.\n“Come at noon,” she said.\n"
        "Posted at 8:40 PM\nStill the same entry.",
        "3 p.m.\nEarlier entry.",
    )
    parsed = parse_blog(text, places)
    assert [e.time_marker for e in parsed.entries] == ["4 p.m.", "3 p.m."]
    assert "Still the same entry." in parsed.entries[0].body
    assert "Posted at" not in parsed.entries[0].body
    assert [r.reason_code for r in parsed.rejections] == ["page_stamp"]
    assert not parsed.rejections[0].is_entry


def test_first_marker_inline_at_end_of_intro(places: PlaceIndex) -> None:
    parsed = parse_blog((TEST_BLOGS / "geneva-inline-intro.txt").read_text(), places)
    assert [e.time_marker for e in parsed.entries] == ["4:25 p.m.", "3 p.m.", "1 p.m."]
    assert parsed.header.intro == (
        "Here's the latest on the peace talks in Geneva (all times local):"
    )
    assert parsed.time_zone == "Europe/Zurich"
    assert parsed.entries[0].published_at == dt.datetime(2024, 3, 5, 15, 25)


def test_midnight_crossing_fixture(places: PlaceIndex) -> None:
    parsed = parse_blog((TEST_BLOGS / "bolivia-midnight-crossing.txt").read_text(), places)
    assert parsed.date_source == "byline"
    locals_ = [e.published_at_local for e in parsed.entries]
    assert locals_ == [
        dt.datetime(2019, 11, 11, 1, 10),
        dt.datetime(2019, 11, 11, 0, 15),
        dt.datetime(2019, 11, 11, 0, 0),
        dt.datetime(2019, 11, 10, 23, 55),
        dt.datetime(2019, 11, 10, 22, 0),
    ]
    assert parsed.entries[-1].published_at == dt.datetime(2019, 11, 11, 2, 0)  # La Paz is UTC-4


def test_byline_date_outranks_caption_date(places: PlaceIndex) -> None:
    header = (
        "The Latest: X\n\nA photo taken Wednesday, Jan. 23, 2019. (AP Photo/Y)\n\n"
        "By JANE DOE\nThursday, January 24, 2019\n\n"
        "CARACAS, Venezuela (AP) — The Latest on it (all times local):\n"
    )
    parsed = parse_blog(blog("1 p.m.\nText.", header=header), places)
    assert (parsed.blog_date, parsed.date_source) == (dt.date(2019, 1, 24), "byline")


def test_weekday_that_disagrees_with_the_date_is_not_trusted(places: PlaceIndex) -> None:
    header = (
        "The Latest: X\n\nA photo taken Monday, Jan. 24, 2019. (AP Photo/Y)\n\n"
        "CARACAS, Venezuela (AP) — The Latest on it (all times local):\n"
    )
    parsed = parse_blog(blog("1 p.m.\nText.", header=header), places)
    assert parsed.entries == ()
    assert {r.reason_code for r in parsed.rejections} == {"blog_date_unknown"}


def test_unknown_date_rejects_every_entry_and_names_the_option(places: PlaceIndex) -> None:
    header = "CARACAS, Venezuela (AP) — The Latest on it (all times local):\n"
    parsed = parse_blog(blog("2 p.m.\nA.", "1 p.m.\nB.", header=header), places)
    assert parsed.entries == ()
    assert parsed.entries_seen == 2 and parsed.entries_rejected == 2
    assert all(
        r.reason_code == "blog_date_unknown" and "--date" in r.message for r in parsed.rejections
    )
    fixed = parse_blog(
        blog("2 p.m.\nA.", "1 p.m.\nB.", header=header), places, date=dt.date(2019, 1, 25)
    )
    assert fixed.entries[0].published_at == dt.datetime(2019, 1, 25, 18, 0)


@pytest.mark.parametrize(
    ("dateline", "reason"),
    [
        ("ATLANTIS (AP) — The Latest on it (all times local):", "not in the city list"),
        ("VALENCIA (AP) — The Latest on it (all times local):", "ambiguous"),
        ("CARACAS, Venezuela (AP) — The Latest on it:", "does not say which clock"),
    ],
)
def test_unknown_zone_rejects_and_names_the_option(
    places: PlaceIndex, dateline: str, reason: str
) -> None:
    header = f"Thursday, Jan. 24, 2019\n\n{dateline}\n"
    parsed = parse_blog(blog("1 p.m.\nText.", header=header), places)
    assert parsed.entries == ()
    (rejection,) = parsed.rejections
    assert rejection.reason_code == "time_zone_unknown"
    assert reason in rejection.message and "--timezone" in rejection.message
    fixed = parse_blog(blog("1 p.m.\nText.", header=header), places, time_zone="Europe/Madrid")
    assert fixed.entries[0].published_at == dt.datetime(2019, 1, 24, 12, 0)


def test_ambiguous_city_is_settled_by_the_dateline_country(places: PlaceIndex) -> None:
    header = (
        "Thursday, Jan. 24, 2019\n\n"
        "VALENCIA, Venezuela (AP) — The Latest on it (all times local):\n"
    )
    parsed = parse_blog(blog("1 p.m.\nText.", header=header), places)
    assert parsed.time_zone == "America/Caracas"


def test_explicit_zone_in_intro(places: PlaceIndex) -> None:
    header = "Thursday, Jan. 24, 2019\n\nWASHINGTON (AP) — The Latest on it (all times EST):\n"
    parsed = parse_blog(blog("1 p.m.\nText.", header=header), places)
    assert parsed.time_zone == "America/New_York"
    assert parsed.entries[0].published_at == dt.datetime(2019, 1, 24, 18, 0)


def test_bad_pieces_are_rejected_and_good_entries_kept(places: PlaceIndex) -> None:
    parsed = parse_blog((TEST_BLOGS / "kabul-partial-rejects.txt").read_text(), places)
    assert [e.time_marker for e in parsed.entries] == ["6:40 p.m.", "4 p.m."]
    codes = [(r.reason_code, r.line_number, r.is_entry) for r in parsed.rejections]
    assert codes == [
        ("invalid_time_marker", 14, True),
        ("empty_entry", 20, True),
        ("unattached_text", 30, False),
    ]
    assert parsed.entries_seen == 4
    assert parsed.entries_seen == len(parsed.entries) + parsed.entries_rejected
    assert "must be rejected" in parsed.rejections[0].raw_text


def test_no_markers_is_one_reject(places: PlaceIndex) -> None:
    parsed = parse_blog("Just a paragraph of news.\nAnd another line.\n", places)
    assert parsed.entries_seen == 0
    assert [r.reason_code for r in parsed.rejections] == ["no_time_markers"]


def test_bom_and_crlf_are_accepted(places: PlaceIndex) -> None:
    text = "\ufeff" + blog("2 p.m.\nA.", "1 p.m.\nB.").replace("\n", "\r\n")
    parsed = parse_blog(text, places)
    assert [e.body for e in parsed.entries] == ["A.", "B."]


def test_entry_keys_stay_stable_when_the_blog_grows_and_is_corrected(places: PlaceIndex) -> None:
    early = parse_blog(
        blog("1 p.m.\nGauido spoke.", "1 p.m.\nSecond at one.", "noon\nFirst."), places
    )
    later = parse_blog(
        blog(
            "3 p.m.\nNew on top.", "1 p.m.\nGuaido spoke.", "1 p.m.\nSecond at one.", "noon\nFirst."
        ),
        places,
    )
    early_keys = [e.entry_key for e in early.entries]
    later_keys = [e.entry_key for e in later.entries]
    assert later_keys[1:] == early_keys
    assert len(set(early_keys)) == 3
    assert early.entries[0].content_hash != later.entries[1].content_hash
    assert early.entries[1].content_hash == later.entries[2].content_hash


def test_blog_id_comes_from_date_city_and_topic(places: PlaceIndex) -> None:
    parsed = parse_blog(SAMPLE.read_text(encoding="utf-8"), places)
    assert parsed.blog_id == "2019-01-24--caracas--political-crisis-in-venezuela"
    assert parsed.entries[0].entry_key == f"{parsed.blog_id}/2019-01-24T16:25"


def test_out_of_order_entry_is_kept_with_a_warning(places: PlaceIndex) -> None:
    parsed = parse_blog(blog("10 a.m.\nA.", "11 a.m.\nB.", "9 a.m.\nC."), places)
    assert len(parsed.entries) == 3
    assert len(parsed.warnings) == 1 and "11 a.m." in parsed.warnings[0]


def _compact(*entries: str) -> str:
    """The sample's layout: no blank line anywhere under the dateline."""
    return (
        "The Latest: Test Blog\n"
        "A photo caption in Caracas, Venezuela, Thursday, Jan. 24, 2019. (AP Photo/Test)\n"
        "CARACAS, Venezuela (AP) — The Latest on the test crisis (all times local):\n"
        + "\n".join(entries)
        + "\n"
    )


@pytest.mark.parametrize(
    "marker",
    [
        "\u200b2:10 p.m.",
        "2:10 p.m.\u200f",
        "\u202a2:10 p.m.\u202c",
        "\u20602:10 p.m.",
        "\ufeff2:10 p.m.",
        "2.10 p.m.",
    ],
)
def test_compact_layout_reads_markers_with_invisible_characters_and_dots(
    places: PlaceIndex, marker: str
) -> None:
    parsed = parse_blog(
        _compact("4:25 p.m.", "First text.", marker, "Second text.", "9 a.m.", "Third text."),
        places,
    )
    assert [(e.published_at_local.time(), e.body) for e in parsed.entries] == [
        (dt.time(16, 25), "First text."),
        (dt.time(14, 10), "Second text."),
        (dt.time(9, 0), "Third text."),
    ]
    assert parsed.rejections == ()


def test_compact_layout_reads_a_24_hour_blog(places: PlaceIndex) -> None:
    parsed = parse_blog(
        _compact(
            "16:25",
            "First text.",
            "14:10",
            "Second text.",
            "10:30",
            "Third text.",
            "08:05",
            "Fourth text.",
        ),
        places,
    )
    assert [e.published_at_local.time() for e in parsed.entries] == [
        dt.time(16, 25),
        dt.time(14, 10),
        dt.time(10, 30),
        dt.time(8, 5),
    ]
    assert parsed.rejections == ()


def test_a_bare_time_in_a_12_hour_blog_is_rejected_not_guessed(places: PlaceIndex) -> None:
    parsed = parse_blog(
        _compact(
            "4:25 p.m.",
            "First text.",
            "14:10",
            "Second text.",
            "10:30",
            "Third text.",
            "9 a.m.",
            "Fourth text.",
        ),
        places,
    )
    assert [e.body for e in parsed.entries] == ["First text.", "Second text.", "Fourth text."]
    (rejected,) = parsed.rejections
    assert (rejected.reason_code, rejected.line_number, rejected.raw_text) == (
        "invalid_time_marker",
        8,
        "10:30\nThird text.",
    )


@pytest.mark.parametrize("marker", ["2;10 p.m.", "25:10", "2:1 p.m.", "4:255 p.m."])
def test_compact_layout_never_merges_an_unreadable_marker(places: PlaceIndex, marker: str) -> None:
    parsed = parse_blog(
        _compact("4:25 p.m.", "First text.", marker, "Second text.", "9 a.m.", "Third text."),
        places,
    )
    assert [e.body for e in parsed.entries] == ["First text.", "Third text."]
    (rejected,) = parsed.rejections
    assert rejected.reason_code == "invalid_time_marker" and rejected.is_entry
    assert rejected.raw_text == f"{marker}\nSecond text."
    assert parsed.entries_seen == 3


def test_accented_dateline_city_is_found(places: PlaceIndex) -> None:
    header = (
        "The Latest: X\n\nFriday, March 1, 2019\n\n"
        "BOGOTÁ, Colombia (AP) — The Latest on things (all times local):\n"
    )
    parsed = parse_blog(blog("1 p.m.\nColombia says it backs the plan.", header=header), places)
    assert parsed.header.dateline_city == "BOGOTÁ"
    assert parsed.time_zone == "America/Bogota"
    assert parsed.entries[0].published_at == dt.datetime(2019, 3, 1, 18, 0)


_NEW_YORK = "The Latest: X\n\n{date}\n\nNEW YORK (AP) — The Latest on things (all times local):\n"


def test_time_in_the_spring_forward_gap_is_rejected(places: PlaceIndex) -> None:
    header = _NEW_YORK.format(date="Sunday, March 10, 2019")
    parsed = parse_blog(
        blog("3:10 a.m.\nAfter.", "2:30 a.m.\nIn the gap.", "1:50 a.m.\nBefore.", header=header),
        places,
    )
    assert parsed.time_zone == "America/New_York"
    assert [(e.body, e.published_at) for e in parsed.entries] == [
        ("After.", dt.datetime(2019, 3, 10, 7, 10)),
        ("Before.", dt.datetime(2019, 3, 10, 6, 50)),
    ]
    (rejected,) = parsed.rejections
    assert rejected.reason_code == "time_in_dst_gap" and rejected.is_entry
    assert "--timezone" in rejected.message and "2019-03-10" in rejected.message
    assert parsed.entries_seen == 3


def test_time_in_the_gap_loads_with_a_fixed_offset_zone(places: PlaceIndex) -> None:
    header = _NEW_YORK.format(date="Sunday, March 10, 2019")
    parsed = parse_blog(
        blog("2:30 a.m.\nIn the gap.", header=header), places, time_zone="Etc/GMT+5"
    )
    assert parsed.rejections == ()
    assert parsed.entries[0].published_at == dt.datetime(2019, 3, 10, 7, 30)


def test_time_that_happened_twice_is_the_first_with_a_warning(places: PlaceIndex) -> None:
    header = _NEW_YORK.format(date="Sunday, November 3, 2019")
    parsed = parse_blog(blog("1:30 a.m.\nTwice.", "12:45 a.m.\nOnce.", header=header), places)
    assert parsed.rejections == ()
    assert [e.published_at for e in parsed.entries] == [
        dt.datetime(2019, 11, 3, 5, 30),
        dt.datetime(2019, 11, 3, 4, 45),
    ]
    (warning,) = parsed.warnings
    assert "happened twice" in warning and "first" in warning
