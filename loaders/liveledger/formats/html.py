"""A live blog's web page: the posts' own markup first, JSON-LD as index and fallback.

Outlets publish each post as an element (usually ``<article>``) with a
``<time datetime="...">`` or a timestamp attribute, and most also embed a
schema.org ``LiveBlogPosting`` in JSON-LD whose ``liveBlogUpdate`` items
repeat each post's ``datePublished``. The JSON-LD is not the text: outlets
cut ``articleBody`` short or leave it empty. So the post markup gives the
instant and the full text (``time_source`` ``html``); a JSON-LD update with
no post on the page is still loaded from the JSON-LD (``time_source``
``json-ld``), with a warning that its text may be cut short.

The blog header (headline, dateline, intro) is read from the text outside
the posts by the plain-text parser's own header rules, so a page and the
text of the same blog get the same blog id and the same entry keys.
The page is parsed with lxml; nothing here matches HTML with regular
expressions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from .. import parser, timestamps
from ..places import PlaceIndex
from ..records import BlogHeader, ParsedBlog, Rejection
from .dating import TimedPost, date_posts, offset_text, parse_instant

#: Attributes outlets put a post's timestamp in, besides ``<time datetime>``.
TIMESTAMP_ATTRIBUTES = (
    "data-timestamp",
    "data-published",
    "data-published-at",
    "data-datetime",
    "data-time",
    "data-utime",
)
_BLOCKS = {"p", "li", "blockquote", "h2", "h3", "h4", "h5", "h6", "pre", "figcaption"}
_NOT_TEXT = {"script", "style", "noscript", "template", "button", "svg"}
_PREVIEW_CHARS = 2000


def parse(
    data: bytes,
    places: PlaceIndex,
    *,
    date: dt.date | None,
    time_zone: str | None,
    blog_id: str | None,
) -> tuple[ParsedBlog, bool]:
    """Entries of the page, and whether the page as a whole was unusable.

    ``date`` is used only by a page read as AP text (every post's timestamp
    has its date).
    """
    try:
        root = lxml.html.document_fromstring(data, parser=_parser_for(data))
    except (etree.ParserError, ValueError) as error:
        return _unusable(
            "not_a_live_blog_page", f"the file looks like HTML but cannot be parsed ({error})", data
        ), True
    for element in list(root.iter(*_NOT_TEXT, etree.Comment)):
        if element.tag in ("script",) and element.get("type", "").lower() == "application/ld+json":
            continue
        _html(element).drop_tree()

    updates, ld_headline, ld_url, ld_rejections = _json_ld(root)
    post_elements = _post_elements(root)
    header, zone_name, zone_source = _header(root, post_elements, places, time_zone, ld_headline)

    posts: list[TimedPost] = []
    rejections: list[Rejection] = list(ld_rejections)
    for element in post_elements:
        post, problem = _read_post(element)
        if post is not None:
            posts.append(post)
        elif problem is not None:
            rejections.append(problem)
    if zone_name is not None:  # a <time> without offset is on the blog's clock
        zone = timestamps.load_zone(zone_name)
        posts = [
            replace(p, instant=p.instant.replace(tzinfo=zone)) if p.instant.tzinfo is None else p
            for p in posts
        ]
    seen_minutes = {_minute(p.instant) for p in posts}
    fallback = [u for u in updates if _minute(u.instant) not in seen_minutes]
    warnings: list[str] = []
    if fallback:
        warnings.append(
            f"{len(fallback)} entr{'y' if len(fallback) == 1 else 'ies'} taken from the page's "
            "JSON-LD liveBlogUpdate (no post markup for them on the page); their text is the "
            "JSON-LD articleBody, which outlets often cut short"
        )
    if not posts and not fallback:
        as_text = _as_marker_text(root, places, date, time_zone, blog_id)
        if as_text is not None:
            return as_text, False
    entries_seen = len(post_elements) + len(fallback)
    if not entries_seen:
        rejections.append(
            Rejection(
                "no_posts",
                "the web page has no live-blog posts: no <article> (or element with a "
                f"{TIMESTAMP_ATTRIBUTES[0]} attribute) with a <time datetime>, and no schema.org "
                "LiveBlogPosting JSON-LD with liveBlogUpdate items; is this a live blog?",
                _preview(root),
                1,
            )
        )
        return _parsed(header, None, rejections, 0, warnings), True

    # Without a dateline the id would be only a date (and a topic, for "The
    # Latest: ..."); the page's own address tells one outlet's blog from another's.
    suffix = None
    page_url = ld_url or _canonical_url(root)
    if header.dateline_city is None and page_url:
        suffix = parser._slug(" ".join(filter(None, urlsplit(page_url)[1:3])))[:60].strip("-")
    dated = date_posts(
        [*posts, *fallback],
        header,
        zone_name=zone_name,
        zone_source=zone_source,
        blog_id=blog_id,
        blog_id_suffix=suffix,
    )
    rejections.extend(dated.rejections)
    return ParsedBlog(
        header=header,
        blog_id=dated.blog_id if dated.entries else None,
        blog_date=dated.blog_date,
        date_source="the newest post's timestamp" if dated.blog_date else None,
        time_zone=dated.time_zone,
        time_zone_source=dated.time_zone_source,
        entries=dated.entries,
        rejections=tuple(sorted(rejections, key=lambda r: r.line_number or 0)),
        entries_seen=entries_seen,
        warnings=tuple(warnings),
    ), False


def _canonical_url(root: Any) -> str | None:
    """``<link rel="canonical">`` or ``<meta property="og:url">``, if the page has one."""
    for link in root.iter("link"):
        if "canonical" in link.get("rel", "").lower().split() and link.get("href"):
            return str(link.get("href"))
    for meta in root.iter("meta"):
        if meta.get("property") == "og:url" and meta.get("content"):
            return str(meta.get("content"))
    return None


class _HtmlNode(Protocol):
    """What lxml.html's elements and comments (HtmlMixin) have beyond etree's."""

    def drop_tree(self) -> None: ...

    def text_content(self) -> str: ...


def _html(element: etree._Element) -> _HtmlNode:
    """The element as the HTML element (or comment) it is.

    lxml.html's parsers make HtmlElement / HtmlComment, which have
    ``drop_tree`` and ``text_content`` (a str on Python 3); lxml-stubs types
    what they return as a plain ``etree._Element``, hence the cast (no check).
    """
    return cast(_HtmlNode, element)


def _parser_for(data: bytes) -> lxml.html.HTMLParser:
    """UTF-8 when the bytes are UTF-8 (libxml2 would guess Latin-1 for a page
    without a charset); otherwise whatever the page's ``<meta charset>`` says."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return lxml.html.HTMLParser()
    return lxml.html.HTMLParser(encoding="utf-8")


def _as_marker_text(
    root: Any,
    places: PlaceIndex,
    date: dt.date | None,
    time_zone: str | None,
    blog_id: str | None,
) -> ParsedBlog | None:
    """A page with no timestamped posts whose text has AP time markers ("4:25 p.m.").

    Such a page (an AP blog saved from a browser) is read as the text
    format, one line per block, so its entries are dated from their markers
    (``time_source`` ``marker``). None when its text has no markers either.
    """
    body = next(iter(root.iter("body")), root)
    blocks = [*list(root.iter("title"))[:1], *_top_blocks(body)]
    texts = [(" ".join(b.text_content().split()), b.sourceline or 1) for b in blocks]
    texts = [(text, line) for text, line in texts if text]
    parsed = parser.parse_blog(
        "\n".join(text for text, _ in texts),
        places,
        date=date,
        time_zone=time_zone,
        blog_id=blog_id,
    )
    if not parsed.entries_seen:
        return None

    def page_line(number: int | None) -> int | None:  # text line -> the page's source line
        return texts[number - 1][1] if number and 0 < number <= len(texts) else number

    return replace(
        parsed,
        entries=tuple(
            replace(e, line_number=page_line(e.line_number) or 1) for e in parsed.entries
        ),
        rejections=tuple(
            replace(r, line_number=page_line(r.line_number)) for r in parsed.rejections
        ),
    )


def _post_elements(root: Any) -> list[Any]:
    """Innermost ``<article>`` elements, and elements carrying a timestamp attribute."""
    found: list[Any] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag == "article" and not any(True for _ in element.iterdescendants("article")):
            found.append(element)
        elif element.tag != "time" and any(element.get(a) for a in TIMESTAMP_ATTRIBUTES):
            found.append(element)
    # an element with a timestamp attribute inside an <article> is the post's own
    # stamp, and one inside another stamped element is part of that post
    members = set(found)
    return [e for e in found if not any(a in members for a in e.iterancestors())]


def _read_post(element: Any) -> tuple[TimedPost | None, Rejection | None]:
    line = element.sourceline or 1
    instant, marker = _post_time(element)
    body = _post_text(element)
    if instant is None:
        if not body:
            return None, None  # an empty <article> shell, e.g. an ad slot: not a post
        return None, Rejection(
            "post_time_missing",
            f"line {line}: a post has no timestamp (no <time datetime> and no "
            f"{'/'.join(TIMESTAMP_ATTRIBUTES[:2])} attribute that reads as a date and time); "
            "it was not loaded",
            body,
            line,
            is_entry=True,
        )
    if not body:
        return None, Rejection(
            "empty_entry",
            f"line {line}: the post at {instant.isoformat()} has no text",
            marker or "",
            line,
            is_entry=True,
        )
    return TimedPost(line, instant, body, "html", marker, offset_text(instant)), None


def _post_time(element: Any) -> tuple[dt.datetime | None, str | None]:
    """The post's instant and the clock time shown with it, if any."""
    for attribute in TIMESTAMP_ATTRIBUTES:
        value = element.get(attribute)
        if value and (instant := _read_timestamp(value)) is not None:
            return instant, None
    for time in element.iter("time"):
        value = time.get("datetime")
        if value and (instant := parse_instant(value)) is not None:
            shown = " ".join(time.text_content().split())
            return instant, shown or None
    return None, None


def _read_timestamp(value: str) -> dt.datetime | None:
    """ISO 8601, or Unix seconds / milliseconds as some outlets write them."""
    text = value.strip()
    if text.isdigit():
        number = int(text)
        seconds = number / 1000 if number > 10**11 else number
        try:
            return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_instant(text)


def _post_text(element: Any) -> str:
    """The post's full text: one line per block (paragraph, list item, heading)."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for unwanted in list(copy.iter("time", "script")):
        _html(unwanted).drop_tree()
    lines = [" ".join(block.text_content().split()) for block in _top_blocks(copy)]
    if not any(lines):
        lines = [" ".join(_html(copy).text_content().split())]
    return "\n".join(line for line in lines if line)


def _top_blocks(element: Any) -> Iterator[Any]:
    for child in element.iterchildren():
        if not isinstance(child.tag, str):
            continue
        if child.tag in _BLOCKS:
            yield child
        else:
            yield from _top_blocks(child)


def _header(
    root: Any,
    posts: list[Any],
    places: PlaceIndex,
    time_zone: str | None,
    ld_headline: str | None,
) -> tuple[BlogHeader, str | None, str | None]:
    """Headline, caption, dateline and intro, read by the text parser's header rules.

    The header is the page's ``<h1>`` and the paragraphs and captions before
    the first post; the zone follows from them as for text (``--timezone``,
    or "(all times local)" and the dateline city).
    """
    lines: list[str] = []
    h1 = next(iter(root.iter("h1")), None)
    if h1 is not None:
        lines.append(" ".join(h1.text_content().split()))
    first_post = posts[0] if posts else None
    for element in root.iter():
        if element is first_post:
            break
        if element.tag in ("p", "figcaption") and (
            text := " ".join(element.text_content().split())
        ):
            lines.append(text)
    probe = parser.parse_blog("\n".join(lines), places, time_zone=time_zone)
    header = probe.header
    if header.headline is None:
        title = ld_headline or next(
            (" ".join(t.text_content().split()) for t in root.iter("title")), None
        )
        if title:
            header = BlogHeader(**{**header.__dict__, "headline": title})
    return header, probe.time_zone, probe.time_zone_source


def _json_ld(root: Any) -> tuple[list[TimedPost], str | None, str | None, list[Rejection]]:
    """``liveBlogUpdate`` items of every LiveBlogPosting, its headline and url."""
    updates: list[TimedPost] = []
    headline: str | None = None
    url: str | None = None
    rejections: list[Rejection] = []
    for script in root.iter("script"):
        if script.get("type", "").lower() != "application/ld+json":
            continue
        line = script.sourceline or 1
        try:
            document = json.loads(script.text or "")
        except ValueError as error:
            rejections.append(
                Rejection(
                    "invalid_json_ld",
                    f"line {line}: the page's JSON-LD is not valid JSON "
                    f"({error}); posts are still read from the page",
                    (script.text or "")[:2000],
                    line,
                )
            )
            continue
        for blog in _objects_of_type(document, "LiveBlogPosting"):
            headline = headline or _text(blog.get("headline"))
            url = url or _text(blog.get("url")) or _text(blog.get("@id"))
            items = blog.get("liveBlogUpdate") or []
            for item in items if isinstance(items, list) else [items]:
                if not isinstance(item, dict):
                    continue
                instant = parse_instant(_text(item.get("datePublished")) or "")
                body = "\n".join(
                    filter(
                        None,
                        (
                            " ".join((_text(item.get(k)) or "").split())
                            for k in ("headline", "articleBody")
                        ),
                    )
                )
                if instant is None or not body:
                    rejections.append(
                        Rejection(
                            "invalid_timestamp" if instant is None else "empty_entry",
                            f"line {line}: a JSON-LD liveBlogUpdate has "
                            f"{'no usable datePublished' if instant is None else 'no text'}; "
                            "it was not used",
                            json.dumps(item, ensure_ascii=False)[:2000],
                            line,
                        )
                    )
                    continue
                updates.append(
                    TimedPost(line, instant, body, "json-ld", None, offset_text(instant))
                )
    return updates, headline, url, rejections


def _objects_of_type(node: Any, wanted: str) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _objects_of_type(item, wanted)
    elif isinstance(node, dict):
        kind = node.get("@type")
        if kind == wanted or (isinstance(kind, list) and wanted in kind):
            yield node
        yield from _objects_of_type(node.get("@graph"), wanted)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _minute(instant: dt.datetime) -> tuple[object, ...]:
    if instant.tzinfo is None:
        return ("naive", instant.replace(second=0, microsecond=0))
    return ("utc", instant.astimezone(dt.timezone.utc).replace(second=0, microsecond=0))


def _parsed(
    header: BlogHeader,
    blog_id: str | None,
    rejections: list[Rejection],
    seen: int,
    warnings: list[str],
) -> ParsedBlog:
    return ParsedBlog(
        header, blog_id, None, None, None, None, (), tuple(rejections), seen, tuple(warnings)
    )


def _unusable(code: str, message: str, data: bytes) -> ParsedBlog:
    preview = data[:_PREVIEW_CHARS].decode("utf-8", "replace")
    return ParsedBlog(
        BlogHeader(), None, None, None, None, None, (), (Rejection(code, message, preview, 1),), 0
    )


def _preview(root: Any) -> str:
    return " ".join(root.text_content().split())[:_PREVIEW_CHARS]
