"""Web pages and NDJSON feeds load like the AP text: same keys, same instants."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, run_cli
from liveledger import formats
from liveledger.places import PlaceIndex

PAGES = REPO / "tests" / "data" / "formats"
PAGE = PAGES / "ap-venezuela-2019-01-24.html"
LD_ONLY = PAGES / "ap-venezuela-2019-01-24-jsonld-only.html"


def _entries(db: Path) -> list[tuple[str, object, str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select entry_key, published_at, body, time_source from raw.entry_events "
            "where event_type = 'entry_added' order by entry_position"
        ).fetchall()


def test_page_loads_the_29_entries_with_full_text_and_the_text_keys(tmp_path: Path) -> None:
    page_db, text_db = tmp_path / "page.duckdb", tmp_path / "text.duckdb"
    loaded = run_cli(page_db, "load", str(PAGE))
    assert loaded.returncode == 0, loaded.stderr
    assert "29 entries seen, 29 appended" in loaded.stdout + loaded.stderr
    assert run_cli(text_db, "load", str(SAMPLE)).returncode == 0
    page, text = _entries(page_db), _entries(text_db)
    assert len(page) == 29
    assert [(k, t) for k, t, _, _ in page] == [(k, t) for k, t, _, _ in text]
    # the full text, not the cut JSON-LD
    assert [b for _, _, b, _ in page] == [b for _, _, b, _ in text]
    assert {s for *_, s in page} == {"html"}
    assert {s for *_, s in text} == {"marker"}
    # 4:25 p.m. in Caracas (UTC-4) on the first post
    assert str(page[0][1]) == "2019-01-24 20:25:00"


def test_page_after_text_is_the_same_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert run_cli(db, "load", str(SAMPLE)).returncode == 0
    again = run_cli(db, "load", str(PAGE))
    assert again.returncode == 0, again.stderr
    assert "0 appended, 29 already present" in again.stdout + again.stderr


def test_parse_json_shows_time_source_and_offset() -> None:
    result = run_cli(REPO / "unused.duckdb", "parse", str(PAGE), "--json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout.splitlines()[0])
    assert first["time_source"] == "html"
    assert first["utc_offset"] == "-04:00"
    assert first["local_time"] == "2019-01-24T16:25:00"
    assert first["time_marker"] == "4:25 p.m."


def test_json_ld_only_page_falls_back_with_a_warning(places: PlaceIndex) -> None:
    read = formats.parse_input(LD_ONLY.read_bytes(), places)
    text = formats.parse_input(SAMPLE.read_bytes(), places)
    assert read.format == "html"
    entries = read.parsed.entries
    assert len(entries) == 29
    assert {e.time_source for e in entries} == {"json-ld"}
    assert [(e.entry_key, e.published_at) for e in entries] == [
        (e.entry_key, e.published_at) for e in text.parsed.entries
    ]
    assert entries[0].body == text.parsed.entries[0].body.replace("\n", " ")[:80]
    assert any("JSON-LD" in w and "cut short" in w for w in read.parsed.warnings)


def test_page_without_posts_is_rejected_with_a_reason(tmp_path: Path) -> None:
    page = tmp_path / "about.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>About us</title></head>"
        "<body><h1>About us</h1><p>We are a newspaper.</p></body></html>"
    )
    result = run_cli(tmp_path / "w.duckdb", "load", str(page))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no live-blog posts" in result.stderr
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select reason_code from raw.rejected_input").fetchall() == [
            ("no_posts",)
        ]
    parsed = run_cli(tmp_path / "w.duckdb", "parse", str(page))
    assert parsed.returncode == 1 and "Traceback" not in parsed.stderr
    assert parsed.stderr.strip().splitlines()[-1].startswith("liveledger: error: ")


def test_post_without_time_is_rejected_and_the_others_load(places: PlaceIndex) -> None:
    page = (
        b"<html><body><h1>Storm live</h1>"
        b"<article data-timestamp='1548361500'><p>First post.</p></article>"
        b"<article><p>A post with no time.</p></article>"
        b"<div data-published='2019-01-24T21:00:00Z'><h2>Update</h2><p>Second.</p></div>"
        b"</body></html>"
    )
    parsed = formats.parse_input(page, places).parsed
    assert [e.body for e in parsed.entries] == ["Update\nSecond.", "First post."]
    assert [e.published_at.isoformat() for e in parsed.entries] == [
        "2019-01-24T21:00:00",
        "2019-01-24T20:25:00",
    ]
    assert parsed.time_zone == "UTC"
    assert [(r.reason_code, r.is_entry) for r in parsed.rejections] == [("post_time_missing", True)]
    assert parsed.entries_seen == 3


def test_rss_and_other_markup_still_rejected_as_not_plain_text(places: PlaceIndex) -> None:
    feed = b'<?xml version="1.0"?><rss><channel><item><title>x</title></item></channel></rss>'
    read = formats.parse_input(feed, places)
    assert read.format == "text" and read.unusable
    assert read.parsed.rejections[0].reason_code == "not_plain_text"


# -- NDJSON --------------------------------------------------------------------------------


def _feed(*lines: object) -> bytes:
    return (
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()
        + b"\n"
    )


def test_ndjson_good_lines_load_bad_lines_rejected_with_line_numbers(places: PlaceIndex) -> None:
    data = _feed(
        {
            "blog_id": "storm-2024",
            "published_at": "2024-09-01T14:05:00-04:00",
            "body": "Winds pick up.",
            "headline": "Landfall near",
        },
        "{not json",
        {"blog_id": "storm-2024", "published_at": "2024-09-01T13:00:00", "body": "No offset."},
        {"blog_id": "storm-2024", "body": "No time."},
        {"blog_id": "other", "published_at": "2024-09-01T12:00:00Z", "body": "Wrong blog."},
        {"blog_id": "storm-2024", "published_at": "2024-09-01T12:00:00-04:00", "body": " "},
        {
            "blog_id": "storm-2024",
            "published_at": "2024-09-01T12:00:00Z",
            "body": "Earlier post.",
            "time_marker": "8 a.m.",
        },
    )
    read = formats.parse_input(data, places)
    assert read.format == "ndjson"
    parsed = read.parsed
    assert [(r.line_number, r.reason_code) for r in parsed.rejections] == [
        (2, "invalid_json"),
        (3, "invalid_timestamp"),
        (4, "missing_field"),
        (5, "blog_id_mismatch"),
        (6, "empty_entry"),
    ]
    assert parsed.entries_seen == 7 and parsed.entries_rejected == 5
    assert parsed.blog_id == "storm-2024"
    first, second = parsed.entries
    assert first.body == "Landfall near\nWinds pick up."
    assert first.published_at.isoformat() == "2024-09-01T18:05:00"
    assert first.time_source == "feed" and first.utc_offset == "-04:00"
    assert second.time_marker == "8 a.m." and second.utc_offset == "+00:00"
    # mixed offsets: local times on UTC, keys from them
    assert parsed.time_zone == "UTC"
    assert first.entry_key == "storm-2024/2024-09-01T18:05"


def test_ndjson_single_offset_keeps_the_local_clock(places: PlaceIndex) -> None:
    data = _feed({"blog_id": "b", "published_at": "2019-01-24T16:25:00-04:00", "body": "x"})
    parsed = formats.parse_input(data, places).parsed
    assert parsed.time_zone == "Etc/GMT+4"
    (entry,) = parsed.entries
    assert entry.entry_key == "b/2019-01-24T16:25"
    assert entry.time_marker == "4:25 p.m."


def test_ndjson_load_through_the_cli(tmp_path: Path) -> None:
    feed = tmp_path / "feed.ndjson"
    feed.write_bytes(
        _feed({"blog_id": "b", "published_at": "2019-01-24T16:25:00Z", "body": "ok"}, "[1, 2]")
    )
    result = run_cli(tmp_path / "w.duckdb", "load", str(feed))
    assert result.returncode == 0, result.stderr
    assert "line 2: not a JSON object" in result.stdout + result.stderr
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select blog_id, time_source from raw.entry_events").fetchall() == [
            ("b", "feed")
        ]


@pytest.mark.parametrize("data", [b"The Latest: x\n", b"{ this is text", b"<p>hi</p> text"])
def test_detect_defaults_to_text(data: bytes) -> None:
    assert formats.detect(data) == "text"


def test_page_without_dateline_takes_its_address_into_the_blog_id(places: PlaceIndex) -> None:
    page = (
        b"<!DOCTYPE html><html><head>"
        b"<link rel='canonical' href='https://news.example/live/storm-ian'></head><body>"
        b"<h1>Storm Ian: live updates</h1>"
        b"<article><time datetime='2022-09-28T15:00:00-04:00'>3 p.m.</time>"
        b"<p>Landfall.</p></article></body></html>"
    )
    parsed = formats.parse_input(page, places).parsed
    assert parsed.blog_id == "2022-09-28--no-dateline--news-example-live-storm-ian"
    (entry,) = parsed.entries
    assert entry.entry_key == (
        "2022-09-28--no-dateline--news-example-live-storm-ian/2022-09-28T15:00"
    )
    assert parsed.time_zone == "Etc/GMT+4"


def test_json_ld_is_an_index_posts_keep_their_full_text(places: PlaceIndex) -> None:
    """Updates with a post on the page take the post's text; the others come from JSON-LD."""
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "LiveBlogPosting",
                "headline": "The Latest: Talks",
                "liveBlogUpdate": [
                    {"datePublished": "2019-01-24T16:25:00-04:00", "articleBody": "Talks res"},
                    {"datePublished": "2019-01-24T14:10:00-04:00", "articleBody": ""},
                    {
                        "datePublished": "2019-01-24T09:00:00-04:00",
                        "headline": "Diplomats arrive",
                        "articleBody": "Diplomats from Norway arrived",
                    },
                ],
            }
        ],
    }
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<script type="application/ld+json">{json.dumps(ld)}</script></head><body>
<h1>The Latest: Talks</h1>
<p>Protesters in Caracas, Venezuela, Thursday, Jan. 24, 2019. (AP Photo/Test)</p>
<p>CARACAS, Venezuela (AP) — The Latest on the talks in Venezuela (all times local):</p>
<article><time datetime="2019-01-24T16:25">4:25 p.m.</time>
<p>Talks resume on Friday.</p><p>Both sides agreed.</p></article>
<article><time datetime="2019-01-24T18:10:00Z">2:10 p.m.</time><p>The government backs dialogue.</p></article>
</body></html>""".encode()  # noqa: E501 - a line of the page under test: wrapping it would change the page
    parsed = formats.parse_input(page, places).parsed
    assert parsed.blog_id == "2019-01-24--caracas--talks-in-venezuela"
    assert [(e.time_source, e.body) for e in parsed.entries] == [
        ("html", "Talks resume on Friday.\nBoth sides agreed."),
        ("html", "The government backs dialogue."),
        ("json-ld", "Diplomats arrive\nDiplomats from Norway arrived"),
    ]
    # a naive <time> is on the blog's clock (Caracas, UTC-4); offsets are kept as written
    assert [e.published_at.isoformat() for e in parsed.entries] == [
        "2019-01-24T20:25:00",
        "2019-01-24T18:10:00",
        "2019-01-24T13:00:00",
    ]
    assert [e.utc_offset for e in parsed.entries] == [None, "+00:00", "-04:00"]
    assert [e.entry_key.rsplit("/", 1)[1] for e in parsed.entries] == [
        "2019-01-24T16:25",
        "2019-01-24T14:10",
        "2019-01-24T09:00",
    ]
    assert (
        len(parsed.warnings) == 1 and "1 entry taken from the page's JSON-LD" in parsed.warnings[0]
    )


def test_committed_pages_are_what_the_script_writes() -> None:
    """The fixtures cannot drift from the sample they claim to show."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pages", PAGES / "make_pages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.page(True) == PAGE.read_text(encoding="utf-8")
    assert module.page(False) == LD_ONLY.read_text(encoding="utf-8")
