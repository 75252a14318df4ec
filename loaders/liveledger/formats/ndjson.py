"""An entry feed: one JSON object per line, one blog per file.

For outlets or scrapers that already hold posts as records. Each line is an
object with these fields:

- ``blog_id`` (required, string): the blog the entry belongs to; every line
  of a file must name the same blog (a file is one snapshot of one blog);
- ``published_at`` (required): ISO 8601 with a UTC offset or ``Z``, e.g.
  ``2019-01-24T16:25:00-04:00``; a time without an offset is rejected;
- ``body`` (required, non-empty string): the entry's full text;
- ``time_marker`` (optional): the clock time as shown to readers ("4:25
  p.m."); default: the local time written the AP way;
- ``headline`` (optional): the entry's headline, kept as the body's first line;
- ``url`` (optional): the entry's link; not stored in the event log (the
  archived file keeps it).

Other fields are ignored. Local times (and so entry keys) are on the clock of
``--timezone`` if given, else of the one offset all lines share, else UTC.
Bad lines are rejected with their line number and a reason code; the good
lines load.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..places import PlaceIndex
from ..records import BlogHeader, ParsedBlog, Rejection
from ..timestamps import load_zone
from .dating import TimedPost, date_posts, offset_text, parse_instant

REQUIRED = ("blog_id", "published_at", "body")


def parse(
    data: bytes,
    places: PlaceIndex,
    *,
    date: dt.date | None,
    time_zone: str | None,
    blog_id: str | None,
) -> tuple[ParsedBlog, bool]:
    """Entries of the feed, and whether the file as a whole was unusable.

    ``places`` and ``date`` are not needed (each line states its instant).
    """
    del places, date
    text = data.decode("utf-8", "replace").removeprefix("\ufeff")
    posts: list[TimedPost] = []
    rejections: list[Rejection] = []
    blog: str | None = blog_id
    seen = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        seen += 1
        post, problem, line_blog = _read_line(number, raw)
        if problem is None and blog is not None and blog_id is None and line_blog != blog:
            problem = Rejection(
                "blog_id_mismatch",
                f"line {number}: blog_id {line_blog!r} differs from {blog!r} on the lines "
                "above; a feed file holds one blog (split it into one file per blog)",
                raw,
                number,
                is_entry=True,
            )
        if problem is not None:
            rejections.append(problem)
            continue
        assert post is not None
        blog = blog or line_blog
        posts.append(post)
    if time_zone is not None:
        load_zone(time_zone)
    dated = date_posts(
        posts,
        BlogHeader(),
        zone_name=time_zone,
        zone_source="option" if time_zone else None,
        blog_id=blog,
    )
    rejections.extend(dated.rejections)
    return ParsedBlog(
        header=BlogHeader(),
        blog_id=dated.blog_id if dated.entries else None,
        blog_date=dated.blog_date,
        date_source="the newest entry's published_at" if dated.blog_date else None,
        time_zone=dated.time_zone,
        time_zone_source=dated.time_zone_source,
        entries=dated.entries,
        rejections=tuple(sorted(rejections, key=lambda r: r.line_number or 0)),
        entries_seen=seen,
    ), not dated.entries and seen == 0


def _read_line(number: int, raw: str) -> tuple[TimedPost | None, Rejection | None, str | None]:
    def reject(code: str, why: str) -> tuple[None, Rejection, None]:
        return (
            None,
            Rejection(
                code, f"line {number}: {why}; the line was not loaded", raw, number, is_entry=True
            ),
            None,
        )

    try:
        record: Any = json.loads(raw)
    except ValueError as error:
        return reject("invalid_json", f"not valid JSON ({error.args[0] if error.args else error})")
    if not isinstance(record, dict):
        return reject("invalid_json", "not a JSON object ({...})")
    missing = [f for f in REQUIRED if not isinstance(record.get(f), str) or not record[f].strip()]
    if missing:
        blank_body = missing == ["body"] and isinstance(record.get("body"), str)
        return reject(
            "empty_entry" if blank_body else "missing_field",
            f"needs the field{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} as non-empty text",
        )
    instant = parse_instant(record["published_at"])
    if instant is None or instant.tzinfo is None:
        return reject(
            "invalid_timestamp",
            f"published_at {record['published_at']!r} is not an ISO 8601 date and "
            "time with a UTC offset or Z, e.g. 2019-01-24T16:25:00-04:00",
        )
    body = "\n".join(" ".join(line.split()) for line in record["body"].strip().split("\n"))
    headline = record.get("headline")
    if isinstance(headline, str) and headline.strip():
        body = f"{' '.join(headline.split())}\n{body}"
    marker = record.get("time_marker")
    marker = " ".join(marker.split()) if isinstance(marker, str) and marker.strip() else None
    post = TimedPost(number, instant, body, "feed", marker, offset_text(instant))
    return post, None, record["blog_id"].strip()
