"""The fetch poll log, ``raw.fetch_polls``: one row per URL per poll, append-only.

It is what makes polling polite and cheap: the ETag and Last-Modified of
the last good response are sent back as a conditional request, and the
SHA-256 of the last bytes tells an unchanged page even when the server
ignores conditional requests. Failures are rows too (a timeout, a 500, a
page that is not a live blog), so a scheduled fetch explains itself. The
table is created by the first ``fetch``; it is an operational record, not
input, so ``rebuild`` (which replays the archive) does not recreate it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass

import duckdb

SCHEMA = """
create schema if not exists raw;
create table if not exists raw.fetch_polls (
    poll_id varchar not null,
    url varchar not null,
    requested_at timestamp not null,
    finished_at timestamp not null,
    outcome varchar not null,
    http_status integer,
    etag varchar,
    last_modified varchar,
    content_bytes bigint,
    content_sha256 varchar,
    load_batch_id varchar,
    error_code varchar,
    error varchar
);
"""

#: ``loaded``: new bytes, loaded as a snapshot; ``unchanged``: the same bytes
#: as before; ``not_modified``: the server answered 304; ``rejected``: the
#: bytes were loaded as a batch but held no entries (not a live blog);
#: ``error``: no usable response (the error_code says why).
OUTCOMES = ("loaded", "unchanged", "not_modified", "rejected", "error")


@dataclass(frozen=True)
class Poll:
    url: str
    requested_at: dt.datetime
    finished_at: dt.datetime
    outcome: str
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_bytes: int | None = None
    content_sha256: str | None = None
    load_batch_id: str | None = None
    error_code: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Validators:
    """What the last good response of a URL said about its version."""

    etag: str | None
    last_modified: str | None
    content_sha256: str | None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)


def last_validators(con: duckdb.DuckDBPyConnection, url: str) -> Validators | None:
    """ETag, Last-Modified and bytes hash of the URL's last poll that got the page."""
    row = con.execute(
        "select etag, last_modified, content_sha256 from raw.fetch_polls "
        "where url = ? and outcome in ('loaded', 'unchanged', 'not_modified', 'rejected') "
        "order by requested_at desc limit 1",
        [url],
    ).fetchone()
    return Validators(*row) if row else None


def record(con: duckdb.DuckDBPyConnection, poll: Poll) -> None:
    row = asdict(poll)
    poll_id = hashlib.sha256(f"{poll.url}\n{poll.requested_at.isoformat()}".encode()).hexdigest()[
        :16
    ]
    columns = ", ".join(["poll_id", *row])
    marks = ", ".join("?" * (len(row) + 1))
    con.execute(
        f"insert into raw.fetch_polls ({columns}) values ({marks})", [poll_id, *row.values()]
    )
