"""Load input files: read bytes -> archive -> parse -> append to the event log.

One file is one batch. A file we cannot read at all (missing, a directory,
a pipe) or can read but not use (empty, binary, markup, no entries) is still
logged as a batch with its rejection, so every piece of input we were given
leaves a trace in ``raw.*``. Reading and decoding live in ``intake``, parsing
one file in ``prepare``, and doing that for many files in worker processes in
``reading``; this module is the writer, committing files in groups. Every
file's bytes are archived before parsing and every committed load is
journaled, so ``rebuild`` can replay the same loads into a new database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import PARSER_VERSION, eventlog, reading, storage
from .archive import Archive, LoadRecord, UnreadableRecord
from .errors import InputFileError, OptionError
from .places import PlaceIndex
from .prepare import LoadOptions, load_key, prepare_bytes
from .records import Rejection, escape_undecodable, path_text


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file, for the CLI to report."""

    path: Path
    status: str  # "loaded", "already_loaded", "rejected" or "unreadable"
    load_batch_id: str | None = None
    counts: eventlog.AppendCounts | None = None
    messages: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "already_loaded")


def read_file_list(data: bytes) -> list[Path]:
    """The files a ``--files-from`` list names, one per line, blank lines skipped.

    A blank line (often the last one, or a gap between groups) names no file;
    read as a name it would be "" and load the current directory. Only the
    line ending is removed: a name may begin or end with spaces. Names are
    bytes decoded like command-line arguments, so a name that is not UTF-8
    still reaches the loader as the same file.
    """
    lines = (line.removesuffix(b"\r") for line in data.split(b"\n"))
    return [Path(os.fsdecode(line)) for line in lines if line.strip()]


def outcome_summary(outcome: FileOutcome) -> str | None:
    """One log line with the file's counts, or None when nothing was counted."""
    if outcome.counts is None:
        return None
    c = outcome.counts
    removed = f", {c.entries_removed} removed" if c.entries_removed else ""
    return (
        f"{path_text(outcome.path)}: batch {outcome.load_batch_id}: "
        f"{c.entries_seen} entries seen, "
        f"{c.entries_appended} appended, {c.entries_already_present} already present, "
        f"{c.entries_rejected} rejected{removed}"
    )


#: A group of files is committed once it holds this many entries or files
#: (or when a blog repeats): big enough that the per-commit cost of the diff
#: and the fsyncs is spread thin, small enough to keep memory flat and lose
#: little work to a crash (a group commits whole or not at all).
GROUP_ENTRIES = 20_000
GROUP_FILES = 1_000
#: DuckDB's memory limit for the loader's connection (it spills beyond it).
LOADER_MEMORY_LIMIT = "512MB"


@dataclass
class _Group:
    """Parsed files waiting to be committed together, in input order."""

    items: list[tuple[eventlog.PendingBatch, str, tuple[str, ...]]] = field(default_factory=list)
    blogs: set[str] = field(default_factory=set)
    entries: int = 0

    def fits(self, pending: eventlog.PendingBatch) -> bool:
        blog = pending.batch.blog_id
        return (
            not (blog is not None and blog in self.blogs)
            and self.entries + len(pending.entries) <= GROUP_ENTRIES
            and len(self.items) < GROUP_FILES
        )

    def add(self, pending: eventlog.PendingBatch, status: str, messages: tuple[str, ...]) -> None:
        self.items.append((pending, status, messages))
        if pending.batch.blog_id is not None:
            self.blogs.add(pending.batch.blog_id)
        self.entries += len(pending.entries)


def load_paths(
    db_path: Path,
    paths: list[Path],
    options: LoadOptions,
    places: PlaceIndex,
    on_file: Callable[[FileOutcome], None] | None = None,
    workers: int | None = None,
) -> list[FileOutcome]:
    """Load each file as a batch of its own; one bad file does not stop the rest.

    Files are read and parsed in ``workers`` processes (default: one per
    core; see ``reading``) and appended by this process, the only writer, in
    groups (see ``GROUP_ENTRIES``); each file is still its own batch with its
    own counts, and a group commits whole or not at all. ``on_file`` is
    called for each file, in input order, once its outcome is known, so a
    long load can show progress while it runs.
    """
    outcomes: list[FileOutcome] = []

    def emit(outcome: FileOutcome) -> None:
        outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)

    con = eventlog.connect(db_path)
    try:
        # A full disk (archive, journal or DuckDB, here or in a worker) ends the
        # load with one line; groups that committed stay, the one in flight rolls back.
        with storage.disk_full_is_an_error(db_path.parent):
            # Each group needs little memory, but DuckDB keeps every page it reads
            # cached up to 80% of RAM; the log's pages would pile up over a long load.
            con.execute(f"set memory_limit = '{LOADER_MEMORY_LIMIT}'")
            _load_into(con, Archive(db_path), db_path, paths, options, places, workers, emit)
    finally:
        con.close()
    return outcomes


def _load_into(
    con: duckdb.DuckDBPyConnection,
    archive: Archive,
    db_path: Path,
    paths: list[Path],
    options: LoadOptions,
    places: PlaceIndex,
    workers: int | None,
    emit: Callable[[FileOutcome], None],
) -> None:
    """The body of ``load_paths``, on an open connection."""
    group = _Group()

    def flush() -> None:
        nonlocal group
        if group.items:
            for outcome in _commit(con, archive, group, options):
                emit(outcome)
            group = _Group()

    eventlog.ensure_schema(con)
    archive.reconcile(con, require_current=True)
    archive.sweep_partials()
    loaded = eventlog.live_loads(con)
    batch_ids = eventlog.batch_ids(con)
    latest = eventlog.latest_observations(con)
    items = reading.prepare_files(
        paths,
        db_path,
        options,
        places,
        set(loaded),
        reading.default_workers() if workers is None else workers,
    )
    for item in items:
        if isinstance(item, reading.Unreadable):
            flush()
            emit(
                log_unreadable(
                    con, archive, item.path, item.error(), options, started_at=item.started_at
                )
            )
            continue
        if item.key in loaded:  # before this run, or earlier in it
            flush()
            notes = item.messages if isinstance(item, reading.AlreadyLoaded) else ()
            emit(
                FileOutcome(
                    item.path,
                    "already_loaded",
                    loaded[item.key],
                    messages=(
                        *notes,
                        f"{path_text(item.path)}: already loaded in batch {loaded[item.key]}; "
                        "nothing appended",
                    ),
                )
            )
            continue
        assert isinstance(item, reading.Prepared)
        pending = item.pending
        if pending.batch.load_batch_id in batch_ids:
            flush()
            raise _load_was_retracted(str(item.path), pending.batch.load_batch_id)
        blog = pending.batch.blog_id if pending.entries else None
        if blog is not None:
            seen = latest.get(blog)
            if seen is not None and pending.batch.observed_at < seen[0]:
                flush()
                raise _observed_too_early(item.path, pending.batch, seen, options)
            latest[blog] = (pending.batch.observed_at, pending.batch.load_batch_id)
        if not group.fits(pending):
            flush()
        group.add(pending, item.status, item.messages)
        loaded[item.key] = pending.batch.load_batch_id
        batch_ids.add(pending.batch.load_batch_id)
    flush()
    con.execute("checkpoint")


def _observed_too_early(
    path: Path,
    batch: eventlog.Batch,
    latest: tuple[dt.datetime, str],
    options: LoadOptions,
) -> OptionError:
    """A snapshot observed before its blog's latest one would be diffed against newer state.

    The diff compares each snapshot with the blog's current state, so an older
    snapshot loaded after a newer one would turn the newer one's removals into
    restores and its additions into removals. Refused before anything of it
    is written; the files before it in the same command are committed.
    """
    when, batch_id = latest
    if options.observed_at is not None:
        told, fix = f"--observed-at {batch.observed_at.isoformat()}Z", ""
    else:
        told = f"its observed time (when it was read, {batch.observed_at.isoformat()}Z)"
        fix = "run the same command again, or "
    return OptionError(
        f"{path_text(path)}: {told} is earlier than the latest observation of blog {batch.blog_id} "
        f"({when.isoformat()}Z, batch {batch_id}): loading an older snapshot after a newer "
        "one would undo removals and invent restores. Nothing from this file on was loaded "
        f"(the files before it were); {fix}pass --observed-at {when.isoformat()}Z or later "
        "(load snapshots in the order they were observed)"
    )


def _commit(
    con: duckdb.DuckDBPyConnection,
    archive: Archive,
    group: _Group,
    options: LoadOptions,
) -> list[FileOutcome]:
    """Append a group in one transaction, then journal its loads."""
    done = eventlog.append_many(con, [pending for pending, _, _ in group.items])
    archive.append_many(
        [
            LoadRecord(
                load_batch_id=pending.batch.load_batch_id,
                source_sha256=pending.batch.source_sha256,
                source_path=pending.batch.source_path,
                parser_version=pending.batch.parser_version,
                date_option=options.date.isoformat() if options.date else None,
                time_zone_option=options.time_zone,
                observed_at=pending.batch.observed_at.isoformat(),
                started_at=pending.batch.started_at.isoformat(),
                committed_at=appended.committed_at.isoformat(),
            )
            for (pending, _, _), appended in zip(group.items, done, strict=True)
        ]
    )
    return [
        FileOutcome(
            Path(pending.batch.source_path),
            status,
            pending.batch.load_batch_id,
            appended.counts,
            messages,
        )
        for (pending, status, messages), appended in zip(group.items, done, strict=True)
    ]


def load_bytes(
    con: duckdb.DuckDBPyConnection,
    archive: Archive,
    data: bytes,
    source_path: str,
    options: LoadOptions,
    places: PlaceIndex,
) -> FileOutcome:
    """Load bytes that did not come from a file (a fetched page) as one batch.

    The same steps as a file in ``load_paths``: bytes already loaded with the
    same options append nothing; otherwise the bytes are archived, parsed and
    committed with their journal line, so ``rebuild`` replays them too.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    loaded = eventlog.live_loads(con)
    key = load_key(sha256, options)
    if key in loaded:
        return FileOutcome(
            Path(source_path),
            "already_loaded",
            loaded[key],
            messages=(f"{source_path}: already loaded in batch {loaded[key]}; nothing appended",),
        )
    started_at = eventlog.utc_now()
    archive.store(data, sha256)
    pending, status, messages = prepare_bytes(data, source_path, options, places, started_at)
    if eventlog.batch_exists(con, pending.batch.load_batch_id):
        raise _load_was_retracted(source_path, pending.batch.load_batch_id)
    group = _Group()
    group.add(pending, status, messages)
    (outcome,) = _commit(con, archive, group, options)
    return outcome


def append_bytes(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    source_path: str,
    options: LoadOptions,
    places: PlaceIndex,
    started_at: dt.datetime,
    committed_at: dt.datetime | None = None,
) -> tuple[FileOutcome, eventlog.Batch]:
    """Parse ``data`` and append it as one batch on its own (used by rebuild)."""
    pending, status, messages = prepare_bytes(
        data, source_path, options, places, started_at, committed_at
    )
    batch = pending.batch
    if eventlog.batch_exists(con, batch.load_batch_id):
        raise _load_was_retracted(source_path, batch.load_batch_id)
    counts = eventlog.append(con, batch, pending.entries, pending.rejections, pending.entries_seen)
    return FileOutcome(Path(source_path), status, batch.load_batch_id, counts, messages), batch


def _load_was_retracted(source_path: str, load_batch_id: str) -> OptionError:
    """The same bytes, options and observed-at time were loaded once and retracted."""
    return OptionError(
        f"{source_path}: this exact load (same bytes, options and observed-at time) is "
        f"already recorded as batch {load_batch_id}, which was retracted; pass a "
        "different --observed-at to load it again"
    )


def log_unreadable(
    con: duckdb.DuckDBPyConnection,
    archive: Archive | None,
    path: Path,
    error: InputFileError,
    options: LoadOptions,
    *,
    started_at: dt.datetime | None = None,
    committed_at: dt.datetime | None = None,
) -> FileOutcome:
    """Log input we could not read at all as a rejected batch with no bytes.

    Its ``source_sha256`` is empty (nothing was read), so it never makes a
    later, readable file look "already loaded". Its id includes the path and
    the start time: each failed attempt is an observation of its own, even
    when ``--observed-at`` is repeated. It is journaled (there are no bytes
    to archive) so that ``rebuild`` recreates it too; ``archive`` is None
    while rebuilding.
    """
    started_at = started_at or eventlog.utc_now()
    observed_at = options.observed_at or started_at
    batch = eventlog.Batch(
        load_batch_id=hashlib.sha256(
            f"unreadable\n{path_text(path)}\n{observed_at.isoformat()}\n{started_at.isoformat()}\n"
            f"{options.date}\n{options.time_zone}".encode()
        ).hexdigest()[:16],
        source_path=str(path),
        source_name=path.name,
        source_sha256="",
        source_bytes=0,
        parser_version=PARSER_VERSION,
        blog_id=None,
        headline=None,
        dateline=None,
        blog_date=None,
        date_source=None,
        time_zone=None,
        time_zone_source=None,
        date_option=options.date,
        time_zone_option=options.time_zone,
        observed_at=observed_at,
        started_at=started_at,
        committed_at=committed_at,
    )
    message = escape_undecodable(str(error))
    rejection = Rejection(error.reason_code, message, "", None)
    counts = eventlog.append(con, batch, (), (rejection,), 0)
    if archive is not None:
        archive.append(
            UnreadableRecord(
                load_batch_id=batch.load_batch_id,
                source_path=str(path),
                reason_code=error.reason_code,
                message=message,
                date_option=options.date.isoformat() if options.date else None,
                time_zone_option=options.time_zone,
                observed_at=observed_at.isoformat(),
                started_at=started_at.isoformat(),
                committed_at=eventlog.committed_at(con, batch.load_batch_id).isoformat(),
            )
        )
    return FileOutcome(path, "unreadable", batch.load_batch_id, counts, (message,))
