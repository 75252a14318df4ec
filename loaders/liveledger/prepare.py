"""Turn one input file's bytes into a batch ready to append to the event log.

Pure work, no database: decoding, parsing and the batch's identity. Kept
apart from ``load`` so that worker processes (``reading``) can run it
without a connection, and ``rebuild`` can replay archived bytes through
exactly the same steps.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import PARSER_VERSION, eventlog, formats
from .places import PlaceIndex
from .records import path_text


@dataclass(frozen=True)
class LoadOptions:
    """What the user told us about the input, overriding what the text says."""

    date: dt.date | None = None
    time_zone: str | None = None
    blog_id: str | None = None
    observed_at: dt.datetime | None = None
    #: The input format (``formats.FORMATS``); None: detected from the bytes.
    format: str | None = None
    #: False for files found in a folder (``run``): a symbolic link there is
    #: refused unread (``symlink_refused``) instead of read through.
    follow_symlinks: bool = True


def parser_version(options: LoadOptions) -> str:
    """The rules that read the file: ``PARSER_VERSION``, plus a format the user forced.

    "3+html" says the bytes were read as a web page because ``--format html``
    said so, which is a different reading of the same bytes than detection's.
    """
    return PARSER_VERSION if options.format is None else f"{PARSER_VERSION}+{options.format}"


def load_key(sha256: str, options: LoadOptions) -> eventlog.LoadKey:
    """What makes two loads the same load: the bytes, the parser and the options."""
    return (sha256, parser_version(options), options.date, options.time_zone)


def prepare_bytes(
    data: bytes,
    source_path: str,
    options: LoadOptions,
    places: PlaceIndex,
    started_at: dt.datetime,
    committed_at: dt.datetime | None = None,
) -> tuple[eventlog.PendingBatch, str, tuple[str, ...]]:
    """Parse ``data`` into a batch ready to append, with its status and messages."""
    sha256 = hashlib.sha256(data).hexdigest()
    # The format (AP text, web page, NDJSON feed) is detected from the bytes
    # unless the user named it.
    parsed = formats.parse_input(
        data,
        places,
        date=options.date,
        time_zone=options.time_zone,
        blog_id=options.blog_id,
        format=options.format,
    ).parsed

    observed_at = options.observed_at or started_at
    batch = eventlog.Batch(
        load_batch_id=hashlib.sha256(
            f"{sha256}\n{observed_at.isoformat()}\n{options.date}\n{options.time_zone}".encode()
        ).hexdigest()[:16],
        source_path=source_path,
        source_name=Path(source_path).name,
        source_sha256=sha256,
        source_bytes=len(data),
        parser_version=parser_version(options),
        blog_id=parsed.blog_id,
        headline=parsed.header.headline,
        dateline=parsed.header.dateline,
        blog_date=parsed.blog_date,
        date_source=parsed.date_source,
        time_zone=parsed.time_zone,
        time_zone_source=parsed.time_zone_source,
        date_option=options.date,
        time_zone_option=options.time_zone,
        observed_at=observed_at,
        started_at=started_at,
        committed_at=committed_at,
    )
    shown = path_text(source_path)
    messages = [f"{shown}: {r.message}" for r in parsed.rejections]
    messages += [f"{shown}: warning: {w}" for w in parsed.warnings]
    status = "loaded" if parsed.entries else "rejected"
    pending = eventlog.PendingBatch(batch, parsed.entries, parsed.rejections, parsed.entries_seen)
    return pending, status, tuple(messages)
