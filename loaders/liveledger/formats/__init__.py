"""Input formats: which one a file is in, and its parser.

Every format turns bytes into the same ``ParsedBlog`` (entries with keys,
instants and a ``time_source``; rejections with reason codes), so the
loader, the archive, the snapshot diff and ``rebuild`` do not care where an
entry came from. One module per format:

- ``text``: the AP "The Latest" plain-text family (time markers);
- ``html``: a live blog's web page (posts with ``<time datetime>``, with
  schema.org ``LiveBlogPosting`` JSON-LD as index and fallback);
- ``ndjson``: an entry feed, one JSON object per line.

:func:`detect` looks only at how the bytes start, so it is cheap and never
guesses from content deep inside the file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..places import PlaceIndex
from ..records import ParsedBlog
from . import html, ndjson, text

FORMATS = ("text", "html", "ndjson")

_HEAD_BYTES = 4096


@dataclass(frozen=True)
class ParsedInput:
    """A parsed file, the format it was read as, and whether it was unusable whole."""

    format: str
    parsed: ParsedBlog
    unusable: bool = False


def detect(data: bytes) -> str:
    """``html``, ``ndjson`` or ``text`` (the default, which also rejects other markup).

    HTML: the first tag is a doctype or ``<html>``, or the head holds
    ``<body`` or ``<article``. NDJSON: the first non-blank line is a JSON
    object. An AP text blog starts with its headline, never with either.
    """
    head = data[:_HEAD_BYTES].removeprefix(b"\xef\xbb\xbf").lstrip()
    lowered = head.lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (
        lowered.startswith(b"<") and (b"<body" in lowered or b"<article" in lowered)
    ):
        return "html"
    if head.startswith(b"{"):
        first = head.split(b"\n", 1)[0] if b"\n" in head else data.lstrip().split(b"\n", 1)[0]
        try:
            return "ndjson" if isinstance(json.loads(first), dict) else "text"
        except (ValueError, UnicodeDecodeError):
            return "text"
    return "text"


def parse_input(
    data: bytes,
    places: PlaceIndex,
    *,
    date: dt.date | None = None,
    time_zone: str | None = None,
    blog_id: str | None = None,
    format: str | None = None,
) -> ParsedInput:
    """Parse ``data`` as ``format``, or as the format :func:`detect` finds."""
    if format is not None and format not in FORMATS:
        raise ValueError(f"unknown format {format!r}")  # the CLI offers only FORMATS
    kind = format or detect(data)
    if kind == "html":
        parsed, unusable = html.parse(data, places, date=date, time_zone=time_zone, blog_id=blog_id)
    elif kind == "ndjson":
        parsed, unusable = ndjson.parse(
            data, places, date=date, time_zone=time_zone, blog_id=blog_id
        )
    else:
        parsed, unusable = text.parse(data, places, date=date, time_zone=time_zone, blog_id=blog_id)
    return ParsedInput(kind, parsed, unusable)
