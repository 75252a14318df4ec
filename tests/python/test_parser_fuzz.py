"""Property-based tests: whatever the input, the parser neither crashes nor loses count.

Three kinds of input: arbitrary text; arbitrary bytes through the loader's
decoding; and blogs assembled from realistic parts (headers with and
without dates and datelines, valid, impossible and junk time markers, empty
and multi-line bodies, separators, page stamps) whose expected entries we
know, so we can check that none is dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from liveledger import entrydates, intake, markers
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex
from liveledger.records import ParsedBlog

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: Words for entry bodies: no digits, no "noon"/"midnight" and no separator
#: characters, so a body line can never be read as a marker, stamp or separator.
WORDS = st.sampled_from(
    [
        "Maduro",
        "Guaido",
        "says",
        "the",
        "government",
        "supports",
        "dialogue",
        "with",
        "Caracas",
        "opposition",
        "Venezuela's",
        "“talks”",
        "—",
        "café",
        "Ελλάδα",
        "北京",
        "(AP)",
        "said:",
        "on",
        "Thursday.",
        "rejects",
        "a.m.",
        "p.m.",
        "latest",
        "'quoted'",
    ]
)
BODY_LINE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
VALID_MARKERS = st.one_of(
    st.builds(
        lambda h, m, half: f"{h}:{m:02d} {half}",
        st.integers(1, 12),
        st.integers(0, 59),
        st.sampled_from(["a.m.", "p.m.", "P.M.", "am", "pm"]),
    ),
    st.builds(lambda h, half: f"{h} {half}", st.integers(1, 12), st.sampled_from(["a.m.", "p.m."])),
    st.sampled_from(["noon", "midnight", "Noon", "noon:"]),
)
IMPOSSIBLE_MARKERS = st.one_of(
    st.builds(lambda h, m: f"{h}:{m:02d} p.m.", st.integers(13, 99), st.integers(0, 99)),
    st.builds(lambda m: f"0:{m:02d} a.m.", st.integers(0, 59)),
    st.builds(lambda h, m: f"{h}:{m} p.m.", st.integers(1, 12), st.integers(0, 9)),
)
DATED_HEADER = (
    "The Latest: Test\n\nA caption in Caracas, Venezuela, Thursday, Jan. 24, 2019. (AP Photo/X)\n\n"
    "CARACAS, Venezuela (AP) — The Latest on the test (all times local):\n"
)
#: Headers without an inline marker, so the pieces that follow are all there is.
PLAIN_HEADERS = st.sampled_from(
    [
        DATED_HEADER,
        "The Latest: No date\n\nKABUL, Afghanistan (AP) — The Latest (all times local):\n",
        "The Latest: No dateline\n\nA caption, Friday, Aug. 20, 2021. (AP Photo/X)\n\n"
        "The Latest on it (all times EDT):\n",
        "",
    ]
)
HEADERS = PLAIN_HEADERS | st.just(
    "The Latest: Test\n\nBy THE ASSOCIATED PRESS\nSunday, Nov. 10, 2019\n\n"
    "LA PAZ, Bolivia (AP) — The Latest on Bolivia (all times local): 9 p.m.\n"
)


@dataclass(frozen=True)
class Piece:
    marker: str
    valid: bool
    body: tuple[str, ...]
    separator_after: bool
    stamp_before: bool


def _piece(
    marker: tuple[str, bool], body: tuple[str, ...], separator_after: bool, stamp_before: bool
) -> Piece:
    """A piece from a (marker, whether it is valid) pair and the rest."""
    return Piece(marker[0], marker[1], body, separator_after, stamp_before)


PIECES = st.builds(
    _piece,
    marker=st.one_of(
        VALID_MARKERS.map(lambda m: (m, True)), IMPOSSIBLE_MARKERS.map(lambda m: (m, False))
    ),
    body=st.lists(BODY_LINE, max_size=4).map(tuple),
    separator_after=st.booleans(),
    stamp_before=st.booleans(),
)


def render(header: str, pieces: list[Piece]) -> str:
    lines = [header]
    for piece in pieces:
        if piece.stamp_before:
            lines.append("Posted at 8:40 PM EST")
        lines += [piece.marker, "", *piece.body]
        if piece.separator_after:
            lines.append("___")
    return "\n".join(lines) + "\n"


def assert_sound(parsed: ParsedBlog) -> None:
    """What must hold for any parse: counts reconcile and every entry has a time."""
    assert parsed.entries_seen == len(parsed.entries) + parsed.entries_rejected
    assert len({e.entry_key for e in parsed.entries}) == len(parsed.entries)
    for entry in parsed.entries:
        assert isinstance(entry.published_at, dt.datetime)
        assert isinstance(entry.published_at_local, dt.datetime)
        found = markers.match_marker(entry.time_marker)
        assert found is not None and found.clock == entry.published_at_local.time()
        assert parsed.time_zone is not None
        if entry.utc_offset is not None:  # a second clock in the marker gave the instant
            sign = -1 if entry.utc_offset.startswith("-") else 1
            hours, minutes = map(int, entry.utc_offset[1:].split(":"))
            offset = sign * dt.timedelta(hours=hours, minutes=minutes)
            assert entry.published_at_local - offset == entry.published_at
            continue
        zone = ZoneInfo(found.zone or parsed.time_zone)  # a marker's own zone wins
        aware = entry.published_at_local.replace(tzinfo=zone)
        assert aware.astimezone(dt.timezone.utc).replace(tzinfo=None) == entry.published_at
        assert entry.body.strip()
    for rejection in parsed.rejections:
        assert rejection.reason_code and rejection.message
        assert "\n" not in rejection.message


@FUZZ
@given(st.text())
def test_any_text_parses_without_crashing(places: PlaceIndex, text: str) -> None:
    assert_sound(parse_blog(text, places))


@FUZZ
@given(
    st.lists(
        st.one_of(
            VALID_MARKERS,
            IMPOSSIBLE_MARKERS,
            BODY_LINE,
            st.text(max_size=40),
            st.just("___"),
            st.just(""),
        ),
        max_size=40,
    ).map("\n".join),
    HEADERS,
)
def test_marker_like_soup_parses_without_crashing(
    places: PlaceIndex, body: str, header: str
) -> None:
    assert_sound(parse_blog(header + "\n" + body, places))


@st.composite
def damaged_blogs(draw: st.DrawFn) -> bytes:
    """A dated blog with a few bytes that are not UTF-8 put in at random places."""
    data = render(DATED_HEADER, draw(st.lists(PIECES, min_size=1, max_size=12))).encode()
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        bad = draw(st.sampled_from([b"\xe9", b"\xff", b"\x93", b"\xed\xa0\x80", b"\xc3"]))
        data = data[:at] + bad + data[at:]
    return data


@FUZZ
@given(
    st.binary(max_size=2000)
    | st.text().map(lambda t: t.encode("utf-8", "surrogatepass"))
    | damaged_blogs()
)
def test_any_bytes_decode_to_storable_text_or_a_reason(places: PlaceIndex, data: bytes) -> None:
    """Whatever the bytes, what reaches the event log is valid UTF-8 text.

    And an entry that held bytes which are not UTF-8 is set aside, not loaded
    with replacement characters in it.
    """
    decoded = intake.decode(data)
    if decoded.text is None:
        assert decoded.problem is not None and decoded.problem.reason_code
        return
    parsed = intake.set_aside_undecodable(parse_blog(decoded.text, places), decoded)
    assert_sound(parsed)
    stored = [parsed.header.headline, parsed.header.dateline, parsed.blog_id]
    stored += [e.body for e in parsed.entries] + [e.time_marker for e in parsed.entries]
    stored += [r.raw_text for r in parsed.rejections] + [r.message for r in parsed.rejections]
    for value in stored:
        if value is not None:
            value.encode("utf-8")  # raises on a lone surrogate, which DuckDB cannot store
    if decoded.undecodable_lines:
        assert not any("\ufffd" in e.body for e in parsed.entries)


@FUZZ
@given(PLAIN_HEADERS, st.lists(PIECES, min_size=1, max_size=25))
def test_no_good_entry_is_lost(places: PlaceIndex, header: str, pieces: list[Piece]) -> None:
    """With the date and zone given, every valid marker with text becomes an entry."""
    parsed = parse_blog(
        render(header, pieces), places, date=dt.date(2019, 1, 24), time_zone="America/Caracas"
    )
    assert_sound(parsed)
    good = [p for p in pieces if p.valid and p.body]
    assert [e.time_marker for e in parsed.entries] == [p.marker for p in good]
    assert [e.body for e in parsed.entries] == ["\n".join(p.body) for p in good]
    reasons = sorted(r.reason_code for r in parsed.rejections if r.is_entry)
    assert reasons == sorted(
        "invalid_time_marker" if not p.valid else "empty_entry"
        for p in pieces
        if not (p.valid and p.body)
    )
    assert sum(1 for r in parsed.rejections if r.reason_code == "page_stamp") == sum(
        1 for p in pieces if p.stamp_before
    )
    dates = [e.published_at_local.date() for e in parsed.entries]
    if parsed.listing_order == "oldest_first":
        assert dates == sorted(dates)  # days only go forward down the page
        assert not dates or dates[-1] == dt.date(2019, 1, 24)
    else:
        assert dates == sorted(dates, reverse=True)  # newest first, days only go back
        assert not dates or dates[0] == dt.date(2019, 1, 24)


@FUZZ
@given(st.lists(st.integers(0, 24 * 60 - 1), min_size=3, max_size=25, unique=True))
def test_strictly_falling_clocks_are_read_newest_first(minutes: list[int]) -> None:
    """Clock times that only fall down the page (within a day) are never read as oldest first."""
    clocks = [dt.time(m // 60, m % 60) for m in sorted(minutes, reverse=True)]
    assert entrydates.listing_order(clocks) == "newest_first"
    ordered = sorted(minutes)
    short_steps = sum(1 for a, b in zip(ordered, ordered[1:]) if b - a <= 12 * 60)
    expected = "oldest_first" if short_steps >= 2 else "newest_first"
    assert entrydates.listing_order(list(reversed(clocks))) == expected


@FUZZ
@given(st.text(max_size=30))
def test_a_marker_is_a_real_clock_time_or_says_why_not(text: str) -> None:
    found = markers.match_marker(text)
    if found is None:
        return
    if found.clock is None:
        assert found.problem
    else:
        assert isinstance(found.clock, dt.time)
