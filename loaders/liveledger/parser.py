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

from . import blogdates, entrydates, markers, timestamps
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
_INTRO_THEN_MARKER = re.compile(
    r"^(?P<lead>.*?\(all times [A-Za-z]+\)\s*:)\s+(?P<rest>\d.*)$", re.IGNORECASE
)


@dataclass
class _Piece:
    """A time marker and the lines under it, while the text is being read."""

    marker: markers.MarkerMatch
    line_number: int
    lines: list[str] = field(default_factory=list)
    #: The piece starts inside the intro ("(all times local): 4:25 p.m. Text").
    from_intro: bool = False


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
    _set_aside_teaser(pieces, rejections)

    raw_entries: list[RawEntry] = []
    found: list[markers.MarkerMatch] = []
    warnings: list[str] = []
    for piece in pieces:
        raw_text = "\n".join([piece.marker.text, *piece.lines])
        if piece.marker.clock is None:
            rejections.append(
                Rejection(
                    "invalid_time_marker",
                    f"line {piece.line_number}: {piece.marker.problem}; the entry under it "
                    "was not loaded (fix the marker, e.g. '4:25 p.m.')",
                    raw_text,
                    piece.line_number,
                    is_entry=True,
                )
            )
        elif not piece.lines:
            rejections.append(
                Rejection(
                    "empty_entry",
                    f"line {piece.line_number}: time marker {piece.marker.text!r} "
                    "has no text under it",
                    raw_text,
                    piece.line_number,
                    is_entry=True,
                )
            )
        else:
            if piece.marker.warning:
                warnings.append(f"line {piece.line_number}: {piece.marker.warning}")
            found.append(piece.marker)
            raw_entries.append(
                RawEntry(
                    position=len(raw_entries) + 1,
                    line_number=piece.line_number,
                    time_marker=piece.marker.text,
                    clock=piece.marker.clock,
                    body="\n".join(piece.lines),
                )
            )

    if not pieces:
        rejections.append(
            Rejection(
                "no_time_markers",
                "no entry time markers found (lines such as '4:25 p.m.' or 'noon'); "
                "is this a live blog in plain text?",
                "\n".join(lines[:20]),
                1,
            )
        )

    blog_date, date_source = _resolve_date(date, header_dates)
    zone, zone_source = _resolve_zone(time_zone, header, places)
    if zone is None and time_zone is None and found:
        marker_zone, marker_detail = entrydates.zone_from_markers(found)
        if marker_zone is not None:
            zone, zone_source = marker_zone, marker_detail
    order = entrydates.listing_order([e.clock for e in raw_entries])
    days = entrydates.local_days(found, blog_date, order) if raw_entries else None
    entries: list[Entry] = []
    if raw_entries and (days is None or zone is None):
        if days is None:
            code, message = (
                "blog_date_unknown",
                (
                    f"cannot tell the blog's date: {date_source}; pass --date YYYY-MM-DD "
                    "(the local date of the newest entry)"
                ),
            )
        else:
            code, message = (
                "time_zone_unknown",
                (
                    f"cannot tell the time zone: {zone_source}; pass --timezone "
                    "with an IANA name such as America/Caracas"
                ),
            )
        rejections.extend(
            Rejection(code, message, f"{e.time_marker}\n{e.body}", e.line_number, is_entry=True)
            for e in raw_entries
        )
    elif raw_entries:
        assert days is not None and zone is not None
        newest = days.days[-1] if order == "oldest_first" else days.days[0]
        if blog_date is None:
            date_source = "time markers"
        blog_date = newest
        blog_id = blog_id or derive_blog_id(header, blog_date)
        warnings.extend(days.warnings)
        if order == "not_monotonic":
            warnings.append(
                "the entries are not listed in time order (clock times go both up and "
                "down the page); every entry was kept, days counted as newest first"
            )
        later = "earlier" if order == "oldest_first" else "later"
        warnings.extend(
            f"line {raw_entries[i].line_number}: entry {raw_entries[i].time_marker!r} is "
            f"{later} than the entry listed above it; kept on the same day"
            for i in days.out_of_order
        )
        entries, dst = _date_entries(raw_entries, found, days.days, blog_id, zone, order)
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
        listing_order=order,
    )


def _set_aside_teaser(pieces: list[_Piece], rejections: list[Rejection]) -> None:
    """Reject an intro's inline first entry when the entry itself follows.

    Reprints often end the intro with the first marker and the start of its
    text ("(all times local): 4:25 p.m. Venezuela's opposition ..."), then
    give that entry in full. The intro's copy is a teaser, not an entry: it
    is kept as a rejection (``teaser``) and not counted among the entries.
    """
    if len(pieces) < 2 or not pieces[0].from_intro or not pieces[0].lines:
        return
    teaser, entry = pieces[0], pieces[1]
    shown = " ".join(teaser.lines).rstrip(" .…").casefold()
    full = " ".join(entry.lines).casefold()
    if teaser.marker.clock == entry.marker.clock and shown and full.startswith(shown[:60]):
        rejections.append(
            Rejection(
                "teaser",
                f"line {teaser.line_number}: the intro repeats the entry at "
                f"{entry.marker.text!r} (line {entry.line_number}); kept once, from the entry",
                "\n".join([teaser.marker.text, *teaser.lines]),
                teaser.line_number,
            )
        )
        del pieces[0]


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
            piece.marker = markers.MarkerMatch(
                piece.marker.text, piece.marker.bare_24_hour, twenty_four_hour=True
            )


def derive_blog_id(
    header: BlogHeader, blog_date: dt.date, *, headline_fallback: bool = True
) -> str:
    """A readable id that stays the same as the blog is re-published.

    Built from the newest entry's date, the dateline city and the intro's topic
    ("The Latest on the political crisis in Venezuela"), which AP keeps while
    the headline changes with every update. A blog with neither a dateline
    nor that topic (other outlets) takes its headline instead, unless the
    caller has something steadier (a web page's address: ``headline_fallback``).
    """
    topic = None
    if header.intro and (found := _INTRO_TOPIC.search(header.intro)):
        topic = found.group("topic")
    elif header.headline and (found := _HEADLINE_TOPIC.match(header.headline)):
        topic = found.group("topic")
    elif header.headline and not header.dateline_city and headline_fallback:
        # Other outlets' pages have neither a dateline nor "The Latest": without
        # the headline, two such blogs of one day would share an id.
        topic = header.headline
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
    # A ticker has no marker on a line of its own: each "8.40am: text" line
    # starts an entry. Where standalone markers exist, such lines are text
    # inside an entry (a schedule: "10am: MPs debate").
    ticker = not any(markers.match_marker(line) for line in lines)

    for number, raw_line in enumerate(lines, start=1):
        line = " ".join(raw_line.split())
        if not line:
            continue
        leading = markers.split_leading_marker(line)
        if leading is not None and (leading.is_update_prefix or ticker):
            _flush_stray(stray, rejections)
            current = _Piece(leading.marker, number, [leading.text])
            pieces.append(current)
            in_header = False
            continue
        if _PAGE_STAMP.match(line):
            rejections.append(
                Rejection(
                    "page_stamp", f"line {number}: page stamp, not an entry", raw_line, number
                )
            )
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
                marker, first_line = inline
                current = _Piece(
                    marker, number, [first_line] if first_line else [], from_intro=True
                )
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
) -> tuple[markers.MarkerMatch, str | None] | None:
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


def _read_intro(
    text: str, header: dict[str, str | None]
) -> tuple[markers.MarkerMatch, str | None] | None:
    """Record the intro and what it says about times; split off an inline marker.

    The marker either ends the intro ("(all times local): 4:25 p.m.") or
    starts the first entry's text inside it ("(all times local): 4:25 p.m.
    Text ..."); the second is returned with that text.
    """
    inline: tuple[str, markers.MarkerMatch] | None = markers.split_trailing_marker(text)
    first_line: str | None = None
    if inline is None and (within := _INTRO_THEN_MARKER.match(text)):
        leading = markers.split_leading_marker(within.group("rest"))
        if leading is not None:
            inline, first_line = (within.group("lead"), leading.marker), leading.text
    if inline is not None:
        text = inline[0]
    if text:
        header["intro"] = f"{header['intro']} {text}" if header.get("intro") else text
        stated = _TIMES_STATED.search(text)
        if stated:
            header["times_stated_as"] = stated.group("zone").lower()
    return (inline[1], first_line) if inline else None


def _flush_stray(stray: list[tuple[int, str]], rejections: list[Rejection]) -> None:
    if stray:
        first = stray[0][0]
        rejections.append(
            Rejection(
                "unattached_text",
                f"line {first}: text after a separator that no time marker heads",
                "\n".join(text for _, text in stray),
                first,
            )
        )
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
    raw: list[RawEntry],
    found: list[markers.MarkerMatch],
    days: list[dt.date],
    blog_id: str,
    zone_name: str,
    order: entrydates.ListingOrder,
) -> tuple[list[Entry], _DstFindings]:
    """Each entry's instant: its day and clock in its zone, or its second clock."""
    dst = _DstFindings()
    kept: list[tuple[RawEntry, dt.datetime, dt.datetime, str | None, str | None]] = []
    for day, e, marker in zip(days, raw, found):
        local = dt.datetime.combine(day, e.clock)
        own_zone = marker.zone if marker.zone not in (None, zone_name) else None
        stated = entrydates.second_clock_instant(marker, local)
        if stated is not None:
            kept.append((e, local, stated[0], stated[1], own_zone))
            continue
        entry_zone_name = marker.zone or zone_name
        zone = timestamps.load_zone(entry_zone_name)
        kind = timestamps.classify_local(local, zone)
        if kind == "gap":
            dst.rejections.append(
                Rejection(
                    "time_in_dst_gap",
                    f"line {e.line_number}: {e.time_marker!r} on {day:%Y-%m-%d} did not exist in "
                    f"{entry_zone_name} (the clocks skipped it for daylight saving time); the "
                    "entry was not loaded (fix the marker, or pass --timezone with a fixed offset "
                    "such as Etc/GMT+5 if the blog's clock did not change)",
                    f"{e.time_marker}\n{e.body}",
                    e.line_number,
                    is_entry=True,
                )
            )
            continue
        if kind == "ambiguous":
            dst.warnings.append(
                f"line {e.line_number}: {e.time_marker!r} on {day:%Y-%m-%d} happened twice in "
                f"{entry_zone_name} (clocks went back); read as the first (daylight-saving) one"
            )
        kept.append((e, local, timestamps.to_utc(local, zone), None, own_zone))
    keys = _entry_keys(
        blog_id, [local for _, local, _, _, _ in kept], newest_first=order != "oldest_first"
    )
    entries = [
        Entry(
            entry_key=key,
            position=e.position,
            line_number=e.line_number,
            time_marker=e.time_marker,
            published_at_local=local,
            published_at=utc,
            body=e.body,
            content_hash=content_hash(e.time_marker, e.body),
            utc_offset=offset,
            time_zone=own_zone,
        )
        for (e, local, utc, offset, own_zone), key in zip(kept, keys)
    ]
    return entries, dst


def _entry_keys(
    blog_id: str, locals_: list[dt.datetime], *, newest_first: bool = True
) -> list[str]:
    """``<blog_id>/<local time>``, with ``~N`` for the Nth entry at the same time.

    Same-time entries are numbered from the oldest end of the list, because
    new entries are added at the other end: numbering from the oldest keeps
    existing keys stable when the blog grows or earlier entries are edited.
    """
    seen: dict[dt.datetime, int] = {}
    keys: list[str] = []
    for local in reversed(locals_) if newest_first else locals_:
        seen[local] = seen.get(local, 0) + 1
        suffix = f"~{seen[local]}" if seen[local] > 1 else ""
        keys.append(f"{blog_id}/{local:%Y-%m-%dT%H:%M}{suffix}")
    return list(reversed(keys)) if newest_first else keys


def content_hash(time_marker: str, body: str) -> str:
    """SHA-256 of what the entry says; a correction gives a new hash."""
    return hashlib.sha256(f"{time_marker}\n{body}".encode()).hexdigest()


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "blog"
