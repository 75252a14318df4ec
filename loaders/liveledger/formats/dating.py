"""Entries from sources that state each post's instant (web pages, feeds).

A time marker ("4:25 p.m.") needs the blog's date and zone to become an
instant; a page's ``<time datetime="2019-01-24T16:25:00-04:00">`` or a
feed's ``published_at`` already is one. What still has to match the text
format is the *local* time, because entry keys are built from it: so the
local time is the instant on the blog's own clock (the dateline city's zone,
``--timezone``, or the single offset the source wrote), and keys come from
the same ``parser`` functions as for text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import parser, timestamps
from ..records import BlogHeader, Entry, Rejection


@dataclass(frozen=True)
class TimedPost:
    """A post as a page or feed gives it, before it is keyed.

    ``instant`` is aware when the source wrote an offset, naive when it wrote
    a wall-clock time only (then the blog's zone must be known).
    """

    line_number: int
    instant: dt.datetime
    body: str
    time_source: str
    time_marker: str | None = None
    #: The offset as the source wrote it ("-04:00"); None when it wrote none.
    utc_offset: str | None = None


@dataclass(frozen=True)
class Dated:
    """Keyed entries and what was decided on the way."""

    entries: tuple[Entry, ...]
    rejections: tuple[Rejection, ...]
    blog_id: str | None
    blog_date: dt.date | None
    time_zone: str | None
    time_zone_source: str | None


def ap_marker(local: dt.datetime) -> str:
    """The clock time as AP writes it ("4:25 p.m.", "noon"), for posts shown without one."""
    if (local.hour, local.minute) == (12, 0):
        return "noon"
    if (local.hour, local.minute) == (0, 0):
        return "midnight"
    hour = local.hour % 12 or 12
    suffix = "a.m." if local.hour < 12 else "p.m."
    return f"{hour}:{local.minute:02d} {suffix}" if local.minute else f"{hour} {suffix}"


def offset_text(instant: dt.datetime) -> str | None:
    """ "-04:00" for an aware instant; None for a naive one."""
    offset = instant.utcoffset()
    return None if offset is None else timestamps.offset_text(offset)


def choose_zone(
    posts: list[TimedPost],
    stated: str | None,
    stated_source: str | None,
) -> tuple[str | None, str | None]:
    """The zone for local times: the stated one, else the one offset all posts share.

    A single whole-hour offset becomes its IANA ``Etc/GMT±N`` zone (whose
    sign is inverted by convention); mixed or odd offsets fall back to UTC,
    so local time and zone always agree.
    """
    if stated is not None:
        return stated, stated_source
    offsets = {p.instant.utcoffset() for p in posts}
    if not posts or None in offsets:
        return None, None
    if len(offsets) == 1:
        (offset,) = offsets
        assert offset is not None
        if (name := timestamps.fixed_offset_zone(offset)) is not None:
            return name, (
                "the one UTC offset the source's timestamps carry "
                f"({timestamps.offset_text(offset)})"
            )
    return "UTC", "the source's timestamps carry different UTC offsets; local times are UTC"


def date_posts(
    posts: list[TimedPost],
    header: BlogHeader,
    *,
    zone_name: str | None,
    zone_source: str | None,
    blog_id: str | None,
    blog_id_suffix: str | None = None,
) -> Dated:
    """Key and date posts: UTC instant, local time on the blog's clock, entry key.

    Posts are ordered newest first (stable, so same-minute posts keep page
    order), the order the text format lists them in and ``_entry_keys``
    numbers same-minute entries by.
    """
    zone_name, zone_source = choose_zone(posts, zone_name, zone_source)
    rejections: list[Rejection] = []
    usable: list[tuple[TimedPost, dt.datetime]] = []
    zone = timestamps.load_zone(zone_name) if zone_name else None
    for post in posts:
        instant = post.instant
        if instant.tzinfo is None:
            if zone is None:
                rejections.append(
                    Rejection(
                        "time_zone_unknown",
                        f"line {post.line_number}: the post's time {instant:%Y-%m-%dT%H:%M} has no "
                        "UTC offset and the blog's zone is unknown; pass --timezone with an IANA "
                        "name such as America/Caracas",
                        post.body,
                        post.line_number,
                        is_entry=True,
                    )
                )
                continue
            instant = instant.replace(tzinfo=zone)
        usable.append((post, instant))
    if not usable or zone is None:
        return Dated((), tuple(rejections), None, None, zone_name, zone_source)
    usable.sort(key=lambda item: item[1], reverse=True)
    locals_ = [instant.astimezone(zone).replace(tzinfo=None) for _, instant in usable]
    blog_date = locals_[0].date()
    if blog_id is None:
        blog_id = parser.derive_blog_id(header, blog_date, headline_fallback=not blog_id_suffix)
        if blog_id_suffix:
            blog_id = f"{blog_id}--{blog_id_suffix}"
    keys = parser._entry_keys(blog_id, locals_)  # the text format's keys, same rules
    entries = []
    for position, ((post, instant), local, key) in enumerate(zip(usable, locals_, keys), 1):
        marker = post.time_marker or ap_marker(local)
        entries.append(
            Entry(
                entry_key=key,
                position=position,
                line_number=post.line_number,
                time_marker=marker,
                published_at_local=local,
                published_at=instant.astimezone(dt.timezone.utc).replace(tzinfo=None),
                body=post.body,
                content_hash=parser.content_hash(marker, post.body),
                time_source=post.time_source,
                utc_offset=post.utc_offset,
            )
        )
    return Dated(tuple(entries), tuple(rejections), blog_id, blog_date, zone_name, zone_source)


def parse_instant(value: str) -> dt.datetime | None:
    """An ISO 8601 date-time ("Z" allowed), or None when it is not one or has no time."""
    text = value.strip()
    if len(text) < 16 or "T" not in text.upper() and " " not in text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None
