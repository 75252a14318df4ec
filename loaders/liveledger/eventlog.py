"""The append-only raw event log: the only code that writes ``raw.*``.

Each input file is one batch: its new entry events, its rejected pieces and
its ``raw.load_batches`` row. A group of batches is written in one
transaction, the batch rows last, so a batch row exists only for a file whose
events all committed. Rows are never updated or
deleted. Rows go in as Arrow tables (bulk, set-based); deduplication against
what is already logged is an anti-join in SQL, not a per-row Python check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from . import storage
from .errors import DatabaseBusyError, ProjectError
from .records import Entry, Rejection, escape_undecodable

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
    entries_removed integer not null,
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
    observed_at timestamp not null,
    time_source varchar,
    utc_offset varchar
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

create table if not exists raw.retractions (
    load_batch_id varchar not null,
    reason varchar not null,
    retracted_at timestamp not null
);
"""

_EVENT_SCHEMA = pa.schema(
    [
        ("event_id", pa.string()),
        ("event_type", pa.string()),
        ("load_batch_id", pa.string()),
        ("blog_id", pa.string()),
        ("entry_key", pa.string()),
        ("entry_position", pa.int32()),
        ("source_line", pa.int32()),
        ("time_marker", pa.string()),
        ("time_zone", pa.string()),
        ("body", pa.string()),
        ("content_hash", pa.string()),
        ("published_at_local", pa.timestamp("us")),
        ("published_at", pa.timestamp("us")),
        ("observed_at", pa.timestamp("us")),
        ("time_source", pa.string()),
        ("utc_offset", pa.string()),
    ]
)

_BATCH_SCHEMA = pa.schema(
    [
        ("load_batch_id", pa.string()),
        ("source_path", pa.string()),
        ("source_name", pa.string()),
        ("source_sha256", pa.string()),
        ("source_bytes", pa.int64()),
        ("parser_version", pa.string()),
        ("blog_id", pa.string()),
        ("headline", pa.string()),
        ("dateline", pa.string()),
        ("blog_date", pa.date32()),
        ("date_source", pa.string()),
        ("time_zone", pa.string()),
        ("time_zone_source", pa.string()),
        ("date_option", pa.date32()),
        ("time_zone_option", pa.string()),
        ("observed_at", pa.timestamp("us")),
        ("started_at", pa.timestamp("us")),
        ("committed_at", pa.timestamp("us")),
        ("entries_seen", pa.int32()),
        ("entries_appended", pa.int32()),
        ("entries_already_present", pa.int32()),
        ("entries_rejected", pa.int32()),
        ("entries_removed", pa.int32()),
        ("other_rejects", pa.int32()),
    ]
)

_REJECT_SCHEMA = pa.schema(
    [
        ("reject_id", pa.string()),
        ("load_batch_id", pa.string()),
        ("source_path", pa.string()),
        ("line_number", pa.int32()),
        ("reason_code", pa.string()),
        ("is_entry", pa.bool_()),
        ("message", pa.string()),
        ("raw_text", pa.string()),
        ("rejected_at", pa.timestamp("us")),
    ]
)


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
    #: Set only when replaying the archive journal (``rebuild``), so a rebuilt
    #: database has the same rows as the original; otherwise the commit time.
    committed_at: dt.datetime | None = None


@dataclass(frozen=True)
class AppendCounts:
    entries_seen: int
    entries_appended: int
    entries_already_present: int
    entries_rejected: int
    entries_removed: int
    other_rejects: int


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file; a lock conflict, a full disk or a damaged file is one clear line."""
    if read_only and not path.exists():
        raise ProjectError(f"no warehouse at {path}: load something first (liveledger load FILE)")
    if path.is_dir():
        raise storage.unreadable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
        if path.exists():
            storage.check_whole(con, path)
        return con
    except duckdb.IOException as error:
        if storage.is_lock_conflict(error):
            raise DatabaseBusyError(
                f"{path} is in use by another process ({lock_holder(error) or 'unknown holder'}); "
                "wait for it to finish and try again"
            ) from None
        if storage.is_disk_full(error):
            raise storage.disk_full(path.parent) from None
        raise storage.unreadable(path, error) from None
    except duckdb.Error as error:
        if storage.is_damage(error):
            raise storage.unreadable(path, error) from None
        raise


# Columns added after a table was first released; `create table if not
# exists` leaves an older warehouse's table as it was, so add them here.
_MIGRATIONS = """
alter table raw.load_batches add column if not exists entries_removed integer default 0;
alter table raw.entry_events add column if not exists time_source varchar default 'marker';
alter table raw.entry_events add column if not exists utc_offset varchar;
"""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(SCHEMA)
    con.execute(_MIGRATIONS)


LoadKey = tuple[str, str, dt.date | None, str | None]


def live_loads(con: duckdb.DuckDBPyConnection) -> dict[LoadKey, str]:
    """The first live (not retracted) batch for each (bytes, parser, options).

    Read once per load run, so telling an already-loaded file costs a
    dictionary lookup rather than a query per file.
    """
    found: dict[LoadKey, str] = {}
    for sha256, parser_version, date_option, zone_option, batch_id in con.execute("""
            select b.source_sha256, b.parser_version, b.date_option, b.time_zone_option,
                   b.load_batch_id
            from raw.load_batches as b
            where b.source_sha256 <> ''
              and b.load_batch_id not in (select load_batch_id from raw.retractions)
            order by b.committed_at, b.load_batch_id""").fetchall():
        found.setdefault((sha256, parser_version, date_option, zone_option), batch_id)
    return found


def latest_observations(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[dt.datetime, str]]:
    """Each blog's latest live observation with entries: (observed_at, batch id).

    A snapshot is diffed against its blog's current state, so one observed
    before this would be compared with state newer than itself.
    """
    return {
        blog: (when, batch)
        for blog, when, batch in con.execute("""
            select blog_id, max(observed_at), arg_max(load_batch_id, observed_at)
            from raw.load_batches
            where blog_id is not null and entries_seen > entries_rejected
              and load_batch_id not in (select load_batch_id from raw.retractions)
            group by blog_id""").fetchall()
    }


def batch_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every batch id ever recorded, retracted or not."""
    return {row[0] for row in con.execute("select load_batch_id from raw.load_batches").fetchall()}


def batch_exists(con: duckdb.DuckDBPyConnection, load_batch_id: str) -> bool:
    found = con.execute(
        "select count(*) from raw.load_batches where load_batch_id = ?", [load_batch_id]
    ).fetchone()
    return bool(found and found[0])


# The state-based diff of each incoming snapshot against its blog's current
# state, for a group of batches at once (one batch per blog, so no snapshot in
# the group depends on another). Current state = each entry's latest event,
# ignoring retracted batches; only the narrow columns are read for it, the
# full row only for the (rare) removals. Incoming entries become
# `entry_added` (new key), `entry_restored` (key last removed),
# `entry_revised` (different content) or nothing (same content). A live entry
# missing from a snapshot becomes `entry_removed` only if its local time lies
# within that snapshot's span: a snapshot that shows only the newest entries
# says nothing about older ones. Removal events carry the entry's last
# observed content. Event ids hash the entry key, event type, content hash
# and batch, so a replay of the same loads gives the same ids.
_APPEND_EVENTS = """
create or replace temp table new_events as
with incoming_blogs as (
    select distinct blog_id from incoming_events
),
effective as (
    select
        e.entry_key, e.blog_id, e.event_type, e.content_hash,
        e.published_at_local, e.observed_at, e.load_batch_id
    from raw.entry_events as e
    where e.blog_id in (select b.blog_id from incoming_blogs as b)
      and e.load_batch_id not in (select r.load_batch_id from raw.retractions as r)
),
ranked as (
    select effective.*, row_number() over (
        partition by entry_key order by observed_at desc, load_batch_id desc
    ) as recency
    from effective
),
latest as (select * exclude (recency) from ranked where recency = 1),
spans as (
    select
        load_batch_id, blog_id, any_value(observed_at) as observed_at,
        min(published_at_local) as oldest, max(published_at_local) as newest
    from incoming_events
    group by load_batch_id, blog_id
),
changes as (
    select i.* exclude (event_type), case
        when l.entry_key is null then 'entry_added'
        when l.event_type = 'entry_removed' then 'entry_restored'
        else 'entry_revised'
    end as event_type
    from incoming_events as i
    left join latest as l on l.entry_key = i.entry_key
    where l.entry_key is null
       or l.event_type = 'entry_removed'
       or l.content_hash <> i.content_hash
),
removed as (
    select
        l.entry_key, l.load_batch_id as last_batch_id,
        s.load_batch_id, s.observed_at
    from latest as l
    inner join spans as s on s.blog_id = l.blog_id
    where l.event_type <> 'entry_removed'
      and l.published_at_local between s.oldest and s.newest
      and l.entry_key not in (select i.entry_key from incoming_events as i)
),
removals as (
    select e.* replace (
        'entry_removed' as event_type,
        r.load_batch_id as load_batch_id,
        r.observed_at as observed_at
    )
    from raw.entry_events as e
    inner join removed as r
        on r.entry_key = e.entry_key and r.last_batch_id = e.load_batch_id
),
new_events as (
    select * from changes
    union all by name
    select * from removals
)
select
    * replace (substr(sha256(
        entry_key || chr(10) || event_type || chr(10) || content_hash
        || chr(10) || load_batch_id
    ), 1, 32) as event_id)
from new_events
"""


@dataclass(frozen=True)
class PendingBatch:
    """One parsed file, ready to be appended: its batch row, entries and rejects."""

    batch: Batch
    entries: tuple[Entry, ...]
    rejections: tuple[Rejection, ...]
    entries_seen: int


@dataclass(frozen=True)
class Appended:
    """What appending one batch wrote, and when it committed."""

    counts: AppendCounts
    committed_at: dt.datetime


def append(
    con: duckdb.DuckDBPyConnection,
    batch: Batch,
    entries: tuple[Entry, ...],
    rejections: tuple[Rejection, ...],
    entries_seen: int,
) -> AppendCounts:
    """Append one file's events, rejects and batch row in one transaction."""
    (done,) = append_many(con, [PendingBatch(batch, entries, rejections, entries_seen)])
    return done.counts


def append_many(
    con: duckdb.DuckDBPyConnection,
    pending: list[PendingBatch],
) -> list[Appended]:
    """Append several files' events, rejects and batch rows in one transaction.

    Committing a group at once is what makes loading thousands of files fast:
    the diff against the log, the inserts and the commit are paid once per
    group, not once per file. Each blog may appear at most once in a group,
    because every snapshot is compared with the log as it was before the
    group. The group commits whole or not at all, and the batch rows go in
    last, so a batch row still exists only for a file whose events committed.
    """
    blogs = [p.batch.blog_id for p in pending if p.entries]
    if len(blogs) != len(set(blogs)):
        raise ValueError("append_many: a blog appears twice in one group")
    events = pa.concat_tables([_events_table(p.batch, p.entries) for p in pending])
    rejects = pa.concat_tables([_rejects_table(p.batch, p.rejections) for p in pending])
    con.execute("begin transaction")
    try:
        con.register("incoming_events", events)
        con.register("incoming_rejects", rejects)
        by_batch: dict[str, dict[str, int]] = {}
        if events.num_rows:
            con.execute(_APPEND_EVENTS)
            con.execute("insert into raw.entry_events by name select * from new_events")
            for batch_id, kind, n in con.execute(
                "select load_batch_id, event_type, count(*) from new_events group by all"
            ).fetchall():
                by_batch.setdefault(batch_id, {})[kind] = n
            con.execute("drop table new_events")
        con.execute("insert into raw.rejected_input by name select * from incoming_rejects")
        now = utc_now()
        done: list[Appended] = []
        rows: list[dict[str, Any]] = []
        for p in pending:
            by_type = by_batch.get(p.batch.load_batch_id, {})
            appended = sum(n for kind, n in by_type.items() if kind != "entry_removed")
            entries_rejected = sum(1 for r in p.rejections if r.is_entry)
            counts = AppendCounts(
                entries_seen=p.entries_seen,
                entries_appended=appended,
                entries_already_present=len(p.entries) - appended,
                entries_rejected=entries_rejected,
                entries_removed=by_type.get("entry_removed", 0),
                other_rejects=len(p.rejections) - entries_rejected,
            )
            committed = p.batch.committed_at or now
            row = {**_shallow(p.batch), **_shallow(counts), "committed_at": committed}
            row["source_path"] = escape_undecodable(p.batch.source_path)
            row["source_name"] = escape_undecodable(p.batch.source_name)
            rows.append(row)
            done.append(Appended(counts, committed))
        con.register("incoming_batches", pa.Table.from_pylist(rows, schema=_BATCH_SCHEMA))
        con.execute("insert into raw.load_batches by name select * from incoming_batches")
        con.execute("commit")
    except BaseException:
        try:
            con.execute("rollback")
        except duckdb.Error:  # a failed commit (a full disk) may leave nothing to roll back
            pass
        raise
    finally:
        for view in ("incoming_events", "incoming_rejects", "incoming_batches"):
            con.unregister(view)
    return done


def committed_at(con: duckdb.DuckDBPyConnection, load_batch_id: str) -> dt.datetime:
    found = con.execute(
        "select committed_at from raw.load_batches where load_batch_id = ?", [load_batch_id]
    ).fetchone()
    assert found is not None
    when: dt.datetime = found[0]
    return when


def retract(
    con: duckdb.DuckDBPyConnection,
    load_batch_id: str,
    reason: str,
    retracted_at: dt.datetime | None = None,
) -> dt.datetime:
    """Record that a batch is retracted; its events stay, models skip them."""
    when = retracted_at or utc_now()
    con.execute("insert into raw.retractions values (?, ?, ?)", [load_batch_id, reason, when])
    return when


def is_retracted(con: duckdb.DuckDBPyConnection, load_batch_id: str) -> bool:
    found = con.execute(
        "select count(*) from raw.retractions where load_batch_id = ?", [load_batch_id]
    ).fetchone()
    return bool(found and found[0])


def _events_table(batch: Batch, entries: tuple[Entry, ...]) -> pa.Table:
    columns: dict[str, list[Any]] = {
        "event_id": [""] * len(entries),  # set in SQL, with the event type
        "event_type": [""] * len(entries),
        "load_batch_id": [batch.load_batch_id] * len(entries),
        "blog_id": [batch.blog_id] * len(entries),
        "entry_key": [e.entry_key for e in entries],
        "entry_position": [e.position for e in entries],
        "source_line": [e.line_number for e in entries],
        "time_marker": [e.time_marker for e in entries],
        "time_zone": [e.time_zone or batch.time_zone for e in entries],
        "body": [e.body for e in entries],
        "content_hash": [e.content_hash for e in entries],
        "published_at_local": [e.published_at_local for e in entries],
        "published_at": [e.published_at for e in entries],
        "observed_at": [batch.observed_at] * len(entries),
        "time_source": [e.time_source for e in entries],
        "utc_offset": [e.utc_offset for e in entries],
    }
    return pa.table(columns, schema=_EVENT_SCHEMA)


def _rejects_table(batch: Batch, rejections: tuple[Rejection, ...]) -> pa.Table:
    ids = [
        hashlib.sha256(
            f"{batch.load_batch_id}\n{r.line_number}\n{r.reason_code}\n{r.raw_text}".encode()
        ).hexdigest()[:32]
        for r in rejections
    ]
    columns: dict[str, list[Any]] = {
        "reject_id": ids,
        "load_batch_id": [batch.load_batch_id] * len(rejections),
        "source_path": [escape_undecodable(batch.source_path)] * len(rejections),
        "line_number": [r.line_number for r in rejections],
        "reason_code": [r.reason_code for r in rejections],
        "is_entry": [r.is_entry for r in rejections],
        "message": [escape_undecodable(r.message) for r in rejections],
        "raw_text": [r.raw_text for r in rejections],
        "rejected_at": [batch.started_at] * len(rejections),
    }
    return pa.table(columns, schema=_REJECT_SCHEMA)


def _shallow(record: Batch | AppendCounts) -> dict[str, Any]:
    """A record's fields as a dict, without ``asdict``'s deep copies (it is all scalars)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def utc_now() -> dt.datetime:
    """The current UTC instant, naive, as every timestamp in ``raw.*`` is stored."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def lock_holder(error: duckdb.Error) -> str | None:
    """ "PID 1234" from DuckDB's lock-conflict error, if it names the holder."""
    found = re.search(r"PID \d+", str(error))
    return found.group(0) if found else None
