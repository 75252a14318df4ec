"""The AP "The Latest" plain-text family: the original format, unchanged.

Decoding (``intake``) and parsing (``parser``) live where they always did;
this module only wraps them behind the same signature as the other formats.
"""

from __future__ import annotations

import datetime as dt

from .. import intake
from ..parser import parse_blog
from ..places import PlaceIndex
from ..records import BlogHeader, ParsedBlog


def parse(
    data: bytes,
    places: PlaceIndex,
    *,
    date: dt.date | None,
    time_zone: str | None,
    blog_id: str | None,
) -> tuple[ParsedBlog, bool]:
    """The parsed blog, and whether the file as a whole was unusable."""
    decoded = intake.decode(data)
    if decoded.text is None:
        assert decoded.problem is not None
        return ParsedBlog(
            BlogHeader(), None, None, None, None, None, (), (decoded.problem,), 0
        ), True
    parsed = parse_blog(decoded.text, places, date=date, time_zone=time_zone, blog_id=blog_id)
    return intake.set_aside_undecodable(parsed, decoded), False
