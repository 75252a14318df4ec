"""Parse an AP "The Latest" live blog: text in, dated entries and rejects out.

The parser is pure: no database, no clock, no files. It reads the header
(headline, photo caption, byline, dateline, intro), splits the rest into
pieces headed by time markers, dates each piece (blog date + day rollover +
time zone) and gives every piece it cannot use back as a ``Rejection`` with
a reason, so nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from . import blogdates, markers, timestamps
from .places import ZONE_WORDS, PlaceIndex
from .records import BlogHeader, Entry, ParsedBlog, RawEntry, Rejection

#: Letters of any script ("BOGOTÁ", "SÃO PAULO"), dots, apostrophes, hyphens, spaces.
_NAME = r"(?:[^\W\d_]|[.'’\- ])"
_DATELINE = re.compile(
    rf"^(?P<place>[^\W\d_]{_NAME}*?)(?:,\s*(?P<region>{_NAME}+?))?"
    r"\s*\(AP\)\s*[—–-]+\s*(?P<rest>.*)$"
)
_TIMES_STATED = re.compile(r"\(all times (?P<zone>[A-Za-z]+)\)", re.IGNORECASE)
_INTRO_TOPIC = re.compile(r"The Latest on (?P<topic>.+?)\s*(?:\(all times|:|$)", re.IGNORECASE)
_HEADLINE_TOPIC = re.compile(r"^The Latest:\s*(?P<topic>.+)$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*(?:[_\-—–=*]\s*){3,}$")
_PAGE_STAMP = re.compile(
    r"^(?:posted|updated|published|last updated)\b.{0,40}?\b\d{1,2}(?::\d{2})?\s*[ap]\.?\s?m\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By\s+[A-Z]", re.UNICODE)


@dataclass
class _Piece:
    """A time marker and the lines under it, while the text is being read."""

    marker: markers.MarkerMatch
    line_number: int
    lines: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """Drop a byte-order mark, unify line endings and Unicode composition."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def parse_blog(
    text: str,
    places: PlaceIndex,
    *,
    date: dt.date | None = None,
    time_zone: str | None = None,
    blog_id: str | None = None,
) -> ParsedBlog:
    """Parse one live blog. ``date``/``time_zone`` override what the text says."""
    lines = normalise_text(text).split("\n")
    header, pieces, rejections, header_dates = _split(lines)
    _settle_bare_clock_times(pieces)

    raw_entries: list[RawEntry] = []
    for piece in pieces:
        raw_text = "\n".join([piece.marker.text, *piece.lines])
        if piece.marker.clock is None:
            rejections.append(Rejection(
                "invalid_time_marker",
                f"line {piece.line_number}: {piece.marker.problem}; the entry under it "
                "was not loaded (fix the marker, e.g. '4:25 p.m.')",
                raw_text, piece.line_number, is_entry=True))
        elif not piece.lines:
            rejections.append(Rejection(
                "empty_entry",
                f"line {piece.line_number}: time marker {piece.marker.text!r} has no text under it",
                raw_text, piece.line_number, is_entry=True))
        else:
            raw_entries.append(RawEntry(
                position=len(raw_entries) + 1,
                line_number=piece.line_number,
                time_marker=piece.marker.text,
                clock=piece.marker.clock,
                body="\n".join(piece.lines),
            ))

    if not pieces:
        rejections.append(Rejection(
            "no_time_markers",
            "no entry time markers found (lines such as '4:25 p.m.' or 'noon'); "
            "is this an AP 'The Latest' live blog in plain text?",
            "\n".join(lines[:20]), 1))

    blog_date, date_source = _resolve_date(date, header_dates)
    zone, zone_source = _resolve_zone(time_zone, header, places)
    warnings: list[str] = []
    entries: list[Entry] = []
    if raw_entries and (blog_date is None or zone is None):
        if blog_date is None:
            code, message = "blog_date_unknown", (
                f"cannot tell the blog's date: {date_source}; pass --date YYYY-MM-DD "
                "(the local date of the newest entry)")
        else:
            code, message = "time_zone_unknown", (
                f"cannot tell the time zone: {zone_source}; pass --timezone "
                "with an IANA name such as America/Caracas")
        rejections.extend(
            Rejection(code, message, f"{e.time_marker}\n{e.body}", e.line_number, is_entry=True)
            for e in raw_entries)
    elif raw_entries:
        assert blog_date is not None and zone is not None
        blog_id = blog_id or derive_blog_id(header, blog_date)
        entries, out_of_order, dst = _date_entries(raw_entries, blog_id, blog_date, zone)
        warnings.extend(
            f"line {raw_entries[i].line_number}: entry {raw_entries[i].time_marker!r} is "
            "later than the entry listed above it; kept on the same day"
            for i in out_of_order)
        rejections.extend(dst.rejections)
        warnings.extend(dst.warnings)

    return ParsedBlog(
        header=header,
        blog_id=blog_id if entries else None,
        blog_date=blog_date,
        date_source=date_source if blog_date else None,
        time_zone=zone,
        time_zone_source=zone_source if zone else None,
        entries=tuple(entries),
        rejections=tuple(sorted(rejections, key=lambda r: r.line_number or 0)),
        entries_seen=len(pieces),
        warnings=tuple(warnings),
    )


def _settle_bare_clock_times(pieces: list[_Piece]) -> None:
    """Read bare "10:30" markers as 24-hour times only when the blog shows that clock.

    A blog whose other markers include an unmistakable 24-hour time ("16:25",
    "08:05") and no a.m./p.m. uses a 24-hour clock, so its "10:30" is 10:30.
    Otherwise "10:30" could be either, and its piece is rejected as an
    invalid marker instead of being guessed.
    """
    twelve = any(p.marker.twelve_hour for p in pieces)
    twenty_four = any(p.marker.twenty_four_hour for p in pieces)
    if not twenty_four or twelve:
        return
    for piece in pieces:
        if piece.marker.bare_24_hour is not None:
            piece.marker = markers.MarkerMatch(piece.marker.text, piece.marker.bare_24_hour,
                                               twenty_four_hour=True)


def derive_blog_id(header: BlogHeader, blog_date: dt.date) -> str:
    """A readable id that stays the same as the blog is re-published.

    Built from the newest entry's date, the dateline city and the intro's topic
    ("The Latest on the political crisis in Venezuela"), which AP keeps while
    the headline changes with every update.
    """
    topic = None
    if header.intro and (found := _INTRO_TOPIC.search(header.intro)):
        topic = found.group("topic")
    elif header.headline and (found := _HEADLINE_TOPIC.match(header.headline)):
        topic = found.group("topic")
    parts = [blog_date.isoformat(), _slug(header.dateline_city or "no-dateline")]
    if topic:
        parts.append(_slug(re.sub(r"^the\s+", "", topic, flags=re.IGNORECASE))[:60].strip("-"))
    return "--".join(parts)


def _split(
    lines: list[str],
) -> tuple[BlogHeader, list[_Piece], list[Rejection], list[blogdates.DateMention]]:
    """Read the header, then cut the rest into marker-headed pieces."""
    header: dict[str, str | None] = {}
    date_mentions: list[blogdates.DateMention] = []
    pieces: list[_Piece] = []
    rejections: list[Rejection] = []
    current: _Piece | None = None
    in_header = True
    stray: list[tuple[int, str]] = []

    for number, raw_line in enumerate(lines, start=1):
        line = " ".join(raw_line.split())
        if not line:
            continue
        if _PAGE_STAMP.match(line):
            rejections.append(Rejection(
                "page_stamp", f"line {number}: page stamp, not an entry", raw_line, number))
            continue
        marker = markers.match_marker(line)
        if marker is not None:
            _flush_stray(stray, rejections)
            current = _Piece(marker, number)
            pieces.append(current)
            in_header = False
            continue
        if in_header:
            inline = _read_header_line(line, header, date_mentions)
            if inline is not None:
                current = _Piece(inline, number)
                pieces.append(current)
                in_header = False
            continue
        if _SEPARATOR.match(line):
            current = None
            continue
        if current is None:
            stray.append((number, raw_line))
        else:
            current.lines.append(line)
    _flush_stray(stray, rejections)
    return BlogHeader(**header), pieces, rejections, date_mentions


def _read_header_line(
    line: str, header: dict[str, str | None], dates: list[blogdates.DateMention]
) -> markers.MarkerMatch | None:
    """Classify one header line; return a marker if the intro ends with one."""
    if _SEPARATOR.match(line):
        return None
    dateline = _DATELINE.match(line) if "dateline" not in header else None
    if dateline and dateline.group("place")[0].isupper():
        header["dateline"] = line
        header["dateline_city"] = dateline.group("place").strip()
        header["dateline_region"] = (dateline.group("region") or "").strip() or None
        return _read_intro(dateline.group("rest"), header)
    if "(AP Photo" in line or "AP Photo/" in line:
        header.setdefault("caption", line)
        dates.extend(blogdates.find_dates(line, "caption"))
        return None
    if _BYLINE.match(line) or (len(line) < 60 and blogdates.find_dates(line, "byline")):
        header.setdefault("byline", line)
        dates.extend(blogdates.find_dates(line, "byline"))
        return None
    if "dateline" in header:
        return _read_intro(line, header)
    if "headline" not in header:
        header["headline"] = line
    elif re.search(r"\b(?:the latest|all times)\b", line, re.IGNORECASE):
        return _read_intro(line, header)
    dates.extend(blogdates.find_dates(line, "other"))
    return None


def _read_intro(text: str, header: dict[str, str | None]) -> markers.MarkerMatch | None:
    """Record the intro and what it says about times; split off an inline marker."""
    inline = markers.split_trailing_marker(text)
    if inline is not None:
        text = inline[0]
    if text:
        header["intro"] = f"{header['intro']} {text}" if header.get("intro") else text
        stated = _TIMES_STATED.search(text)
        if stated:
            header["times_stated_as"] = stated.group("zone").lower()
    return inline[1] if inline else None


def _flush_stray(stray: list[tuple[int, str]], rejections: list[Rejection]) -> None:
    if stray:
        first = stray[0][0]
        rejections.append(Rejection(
            "unattached_text",
            f"line {first}: text after a separator that no time marker heads",
            "\n".join(text for _, text in stray), first))
        stray.clear()


def _resolve_date(
    option: dt.date | None, mentions: list[blogdates.DateMention]
) -> tuple[dt.date | None, str]:
    if option is not None:
        return option, "option"
    found, detail = blogdates.choose_blog_date(mentions)
    return found, detail


def _resolve_zone(
    option: str | None, header: BlogHeader, places: PlaceIndex
) -> tuple[str | None, str]:
    if option is not None:
        timestamps.load_zone(option)
        return option, "option"
    stated = header.times_stated_as
    if stated is None:
        return None, "the intro does not say which clock the times use, e.g. '(all times local)'"
    if stated != "local":
        if stated in ZONE_WORDS:
            return ZONE_WORDS[stated], f"intro '(all times {stated})'"
        return None, f"the intro's '(all times {stated})' is not a zone we know"
    if not header.dateline_city:
        return None, "the times are local but the blog has no dateline city"
    answer = places.zone_for(header.dateline_city, header.dateline_region)
    return answer.time_zone, answer.detail


@dataclass
class _DstFindings:
    """Entries whose local time the zone's clock skipped, and times it showed twice."""

    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _date_entries(
    raw: list[RawEntry], blog_id: str, blog_date: dt.date, zone_name: str
) -> tuple[list[Entry], list[int], _DstFindings]:
    zone = timestamps.load_zone(zone_name)
    days, out_of_order = timestamps.assign_days([e.clock for e in raw], blog_date)
    dst = _DstFindings()
    kept: list[tuple[RawEntry, dt.datetime]] = []
    for day, e in zip(days, raw):
        local = dt.datetime.combine(day, e.clock)
        kind = timestamps.classify_local(local, zone)
        if kind == "gap":
            dst.rejections.append(Rejection(
                "time_in_dst_gap",
                f"line {e.line_number}: {e.time_marker!r} on {day:%Y-%m-%d} did not exist in "
                f"{zone_name} (the clocks skipped it for daylight saving time); the entry was "
                "not loaded (fix the marker, or pass --timezone with a fixed offset such as "
                "Etc/GMT+5 if the blog's clock did not change)",
                f"{e.time_marker}\n{e.body}", e.line_number, is_entry=True))
            continue
        if kind == "ambiguous":
            dst.warnings.append(
                f"line {e.line_number}: {e.time_marker!r} on {day:%Y-%m-%d} happened twice in "
                f"{zone_name} (clocks went back); read as the first (daylight-saving) one")
        kept.append((e, local))
    raw = [e for e, _ in kept]
    locals_ = [local for _, local in kept]
    keys = _entry_keys(blog_id, locals_)
    entries = [
        Entry(
            entry_key=key,
            position=e.position,
            line_number=e.line_number,
            time_marker=e.time_marker,
            published_at_local=local,
            published_at=timestamps.to_utc(local, zone),
            body=e.body,
            content_hash=content_hash(e.time_marker, e.body),
        )
        for e, local, key in zip(raw, locals_, keys)
    ]
    return entries, out_of_order, dst


def _entry_keys(blog_id: str, locals_: list[dt.datetime]) -> list[str]:
    """``<blog_id>/<local time>``, with ``~N`` for the Nth entry at the same time.

    Same-time entries are numbered from the bottom (oldest) up, because new
    entries are added on top: numbering from the bottom keeps existing keys
    stable when the blog grows or earlier entries are edited.
    """
    seen: dict[dt.datetime, int] = {}
    keys: list[str] = []
    for local in reversed(locals_):
        seen[local] = seen.get(local, 0) + 1
        suffix = f"~{seen[local]}" if seen[local] > 1 else ""
        keys.append(f"{blog_id}/{local:%Y-%m-%dT%H:%M}{suffix}")
    return list(reversed(keys))


def content_hash(time_marker: str, body: str) -> str:
    """SHA-256 of what the entry says; a correction gives a new hash."""
    return hashlib.sha256(f"{time_marker}\n{body}".encode()).hexdigest()


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "blog"
