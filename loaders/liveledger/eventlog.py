"""The append-only raw event log: the only code that writes ``raw.*``.

Each input file is written in one transaction: its new entry events, its
rejected pieces, and last its ``raw.load_batches`` row. A batch row therefore
exists only for a file whose events all committed. Rows are never updated or
deleted. Rows go in as Arrow tables (bulk, set-based); deduplication against
what is already logged is an anti-join in SQL, not a per-row Python check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from .errors import DatabaseBusyError, ProjectError
from .records import Entry, Rejection

SCHEMA = """
create schema if not exists raw;

create table if not exists raw.load_batches (
    load_batch_id varchar not null,
    source_path varchar not null,
    source_name varchar not null,
    source_sha256 varchar not null,
    source_bytes bigint not null,
    parser_version varchar not null,
    blog_id varchar,
    headline varchar,
    dateline varchar,
    blog_date date,
    date_source varchar,
    time_zone varchar,
    time_zone_source varchar,
    date_option date,
    time_zone_option varchar,
    entries_seen integer not null,
    entries_appended integer not null,
    entries_already_present integer not null,
    entries_rejected integer not null,
    other_rejects integer not null,
    observed_at timestamp not null,
    started_at timestamp not null,
    committed_at timestamp not null
);

create table if not exists raw.entry_events (
    event_id varchar not null,
    event_type varchar not null,
    load_batch_id varchar not null,
    blog_id varchar not null,
    entry_key varchar not null,
    entry_position integer not null,
    source_line integer not null,
    time_marker varchar not null,
    time_zone varchar not null,
    body varchar not null,
    content_hash varchar not null,
    published_at_local timestamp not null,
    published_at timestamp not null,
    observed_at timestamp not null
);

create table if not exists raw.rejected_input (
    reject_id varchar not null,
    load_batch_id varchar not null,
    source_path varchar not null,
    line_number integer,
    reason_code varchar not null,
    is_entry boolean not null,
    message varchar not null,
    raw_text varchar not null,
    rejected_at timestamp not null
);
"""

_EVENT_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("load_batch_id", pa.string()), ("blog_id", pa.string()),
    ("entry_key", pa.string()), ("entry_position", pa.int32()), ("source_line", pa.int32()),
    ("time_marker", pa.string()), ("time_zone", pa.string()), ("body", pa.string()),
    ("content_hash", pa.string()), ("published_at_local", pa.timestamp("us")),
    ("published_at", pa.timestamp("us")), ("observed_at", pa.timestamp("us")),
])

_REJECT_SCHEMA = pa.schema([
    ("reject_id", pa.string()), ("load_batch_id", pa.string()), ("source_path", pa.string()),
    ("line_number", pa.int32()), ("reason_code", pa.string()), ("is_entry", pa.bool_()),
    ("message", pa.string()), ("raw_text", pa.string()), ("rejected_at", pa.timestamp("us")),
])


@dataclass(frozen=True)
class Batch:
    """What a load knows about one input file before it writes anything."""

    load_batch_id: str
    source_path: str
    source_name: str
    source_sha256: str
    source_bytes: int
    parser_version: str
    blog_id: str | None
    headline: str | None
    dateline: str | None
    blog_date: dt.date | None
    date_source: str | None
    time_zone: str | None
    time_zone_source: str | None
    date_option: dt.date | None
    time_zone_option: str | None
    observed_at: dt.datetime
    started_at: dt.datetime


@dataclass(frozen=True)
class AppendCounts:
    entries_seen: int
    entries_appended: int
    entries_already_present: int
    entries_rejected: int
    other_rejects: int


def event_id(entry_key: str, content_hash: str) -> str:
    """Deterministic: the same entry with the same content is the same event."""
    return hashlib.sha256(f"{entry_key}\n{content_hash}".encode()).hexdigest()[:32]


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, turning lock conflicts into a clear message."""
    if read_only and not path.exists():
        raise ProjectError(f"no warehouse at {path}: load something first (liveledger load FILE)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise DatabaseBusyError(
                f"{path} is in use by another process ({_holder(str(error))}); "
                "wait for it to finish and try again"
            ) from None
        raise


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)


def find_batch(
    con: duckdb.DuckDBPyConnection, sha256: str, parser_version: str,
    date_option: dt.date | None, time_zone_option: str | None,
) -> str | None:
    """The batch that already loaded these exact bytes with the same options."""
    row = con.execute(
        """
        select load_batch_id from raw.load_batches
        where source_sha256 = ? and parser_version = ?
          and date_option is not distinct from ?
          and time_zone_option is not distinct from ?
        order by committed_at limit 1
        """,
        [sha256, parser_version, date_option, time_zone_option],
    ).fetchone()
    return None if row is None else str(row[0])


def append(
    con: duckdb.DuckDBPyConnection, batch: Batch, entries: tuple[Entry, ...],
    rejections: tuple[Rejection, ...], entries_seen: int,
) -> AppendCounts:
    """Append one file's events, rejects and batch row in one transaction."""
    events = _events_table(batch, entries)
    rejects = _rejects_table(batch, rejections)
    con.execute("begin transaction")
    try:
        con.register("incoming_events", events)
        con.register("incoming_rejects", rejects)
        appended = con.execute(
            """
            insert into raw.entry_events
            select
                i.event_id,
                case when exists (
                    select 1 from raw.entry_events as p where p.entry_key = i.entry_key
                ) then 'entry_revised' else 'entry_added' end,
                i.load_batch_id, i.blog_id, i.entry_key, i.entry_position, i.source_line,
                i.time_marker, i.time_zone, i.body, i.content_hash,
                i.published_at_local, i.published_at, i.observed_at
            from incoming_events as i
            where not exists (
                select 1 from raw.entry_events as e where e.event_id = i.event_id
            )
            """
        ).fetchone()
        con.execute("insert into raw.rejected_input by name select * from incoming_rejects")
        entries_rejected = sum(1 for r in rejections if r.is_entry)
        counts = AppendCounts(
            entries_seen=entries_seen,
            entries_appended=int(appended[0]) if appended else 0,
            entries_already_present=len(entries) - (int(appended[0]) if appended else 0),
            entries_rejected=entries_rejected,
            other_rejects=len(rejections) - entries_rejected,
        )
        row = {**asdict(batch), **asdict(counts), "committed_at": _now()}
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into raw.load_batches ({columns}) values ({marks})", list(row.values()))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.unregister("incoming_events")
        con.unregister("incoming_rejects")
    return counts


def _events_table(batch: Batch, entries: tuple[Entry, ...]) -> pa.Table:
    columns: dict[str, list[Any]] = {
        "event_id": [event_id(e.entry_key, e.content_hash) for e in entries],
        "load_batch_id": [batch.load_batch_id] * len(entries),
        "blog_id": [batch.blog_id] * len(entries),
        "entry_key": [e.entry_key for e in entries],
        "entry_position": [e.position for e in entries],
        "source_line": [e.line_number for e in entries],
        "time_marker": [e.time_marker for e in entries],
        "time_zone": [batch.time_zone] * len(entries),
        "body": [e.body for e in entries],
        "content_hash": [e.content_hash for e in entries],
        "published_at_local": [e.published_at_local for e in entries],
        "published_at": [e.published_at for e in entries],
        "observed_at": [batch.observed_at] * len(entries),
    }
    return pa.table(columns, schema=_EVENT_SCHEMA)


def _rejects_table(batch: Batch, rejections: tuple[Rejection, ...]) -> pa.Table:
    now = _now()
    ids = [
        hashlib.sha256(
            f"{batch.load_batch_id}\n{r.line_number}\n{r.reason_code}\n{r.raw_text}".encode()
        ).hexdigest()[:32]
        for r in rejections
    ]
    columns: dict[str, list[Any]] = {
        "reject_id": ids,
        "load_batch_id": [batch.load_batch_id] * len(rejections),
        "source_path": [batch.source_path] * len(rejections),
        "line_number": [r.line_number for r in rejections],
        "reason_code": [r.reason_code for r in rejections],
        "is_entry": [r.is_entry for r in rejections],
        "message": [r.message for r in rejections],
        "raw_text": [r.raw_text for r in rejections],
        "rejected_at": [now] * len(rejections),
    }
    return pa.table(columns, schema=_REJECT_SCHEMA)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _holder(message: str) -> str:
    """Pull "PID 1234" out of DuckDB's lock error, if it names one."""
    marker = "PID "
    if marker in message:
        pid = message.split(marker, 1)[1].split()[0].rstrip(").,")
        return f"PID {pid}"
    return "unknown holder"
