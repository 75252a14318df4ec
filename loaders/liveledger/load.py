"""Load input files: read bytes -> archive -> parse -> append to the event log.

One file is one batch. A file we cannot read at all (missing, a directory,
a pipe) or can read but not use (empty, binary, markup, no entries) is still
logged as a batch with its rejection, so every piece of input we were given
leaves a trace in ``raw.*``. Reading and decoding live in ``intake``. Every
file's bytes are archived before parsing and every committed load is
journaled, so ``rebuild`` can replay the same loads into a new database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from . import PARSER_VERSION, eventlog, intake
from .archive import Archive, LoadRecord, UnreadableRecord
from .errors import InputFileError, OptionError
from .intake import read_input
from .parser import parse_blog
from .places import PlaceIndex
from .records import BlogHeader, ParsedBlog, Rejection


@dataclass(frozen=True)
class LoadOptions:
    """What the user told us about the input, overriding what the text says."""

    date: dt.date | None = None
    time_zone: str | None = None
    blog_id: str | None = None
    observed_at: dt.datetime | None = None


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


def outcome_summary(outcome: FileOutcome) -> str | None:
    """One log line with the file's counts, or None when nothing was counted."""
    if outcome.counts is None:
        return None
    c = outcome.counts
    removed = f", {c.entries_removed} removed" if c.entries_removed else ""
    return (f"{outcome.path}: batch {outcome.load_batch_id}: {c.entries_seen} entries seen, "
            f"{c.entries_appended} appended, {c.entries_already_present} already present, "
            f"{c.entries_rejected} rejected{removed}")


def load_paths(
    db_path: Path, paths: list[Path], options: LoadOptions, places: PlaceIndex,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> list[FileOutcome]:
    """Load each file in its own transaction; one bad file does not stop the rest.

    ``on_file`` is called as each file finishes, so a long load can show
    progress while it runs rather than a report at the end.
    """
    outcomes: list[FileOutcome] = []
    archive = Archive(db_path)
    con = eventlog.connect(db_path)
    try:
        eventlog.ensure_schema(con)
        archive.reconcile(con)
        for path in paths:
            try:
                outcomes.append(load_file(con, archive, path, options, places))
            except InputFileError as error:
                outcomes.append(log_unreadable(con, archive, path, error, options))
            if on_file is not None:
                on_file(outcomes[-1])
        con.execute("checkpoint")
    finally:
        con.close()
    return outcomes


def load_file(
    con: duckdb.DuckDBPyConnection, archive: Archive, path: Path, options: LoadOptions,
    places: PlaceIndex,
) -> FileOutcome:
    """Read, archive, parse and append one file, then journal the load."""
    started_at = eventlog.utc_now()
    data = read_input(path)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = eventlog.find_batch(con, sha256, PARSER_VERSION, options.date, options.time_zone)
    if existing is not None:
        return FileOutcome(path, "already_loaded", existing, messages=(
            f"{path}: already loaded in batch {existing}; nothing appended",))
    archive.store(data, sha256)
    outcome, batch = append_bytes(con, data, str(path), options, places, started_at)
    archive.append(LoadRecord(
        load_batch_id=batch.load_batch_id,
        source_sha256=batch.source_sha256,
        source_path=batch.source_path,
        parser_version=batch.parser_version,
        date_option=options.date.isoformat() if options.date else None,
        time_zone_option=options.time_zone,
        observed_at=batch.observed_at.isoformat(),
        started_at=batch.started_at.isoformat(),
        committed_at=eventlog.committed_at(con, batch.load_batch_id).isoformat(),
    ))
    return outcome


def append_bytes(
    con: duckdb.DuckDBPyConnection, data: bytes, source_path: str, options: LoadOptions,
    places: PlaceIndex, started_at: dt.datetime, committed_at: dt.datetime | None = None,
) -> tuple[FileOutcome, eventlog.Batch]:
    """Parse ``data`` and append it as one batch (shared by load and rebuild)."""
    sha256 = hashlib.sha256(data).hexdigest()
    decoded = intake.decode(data)
    if decoded.text is None:
        assert decoded.problem is not None
        parsed = ParsedBlog(BlogHeader(), None, None, None, None, None, (), (decoded.problem,), 0)
    else:
        parsed = intake.set_aside_undecodable(
            parse_blog(decoded.text, places, date=options.date, time_zone=options.time_zone,
                       blog_id=options.blog_id), decoded)

    observed_at = options.observed_at or started_at
    batch = eventlog.Batch(
        load_batch_id=hashlib.sha256(
            f"{sha256}\n{observed_at.isoformat()}\n{options.date}\n{options.time_zone}".encode()
        ).hexdigest()[:16],
        source_path=source_path,
        source_name=Path(source_path).name,
        source_sha256=sha256,
        source_bytes=len(data),
        parser_version=PARSER_VERSION,
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
    if eventlog.batch_exists(con, batch.load_batch_id):
        raise OptionError(
            f"{source_path}: this exact load (same bytes, options and observed-at time) is "
            f"already recorded as batch {batch.load_batch_id}, which was retracted; pass a "
            "different --observed-at to load it again")
    counts = eventlog.append(con, batch, parsed.entries, parsed.rejections, parsed.entries_seen)
    messages = [f"{source_path}: {r.message}" for r in parsed.rejections]
    messages += [f"{source_path}: warning: {w}" for w in parsed.warnings]
    status = "loaded" if parsed.entries else "rejected"
    return FileOutcome(Path(source_path), status, batch.load_batch_id, counts,
                       tuple(messages)), batch


def log_unreadable(
    con: duckdb.DuckDBPyConnection, archive: Archive | None, path: Path,
    error: InputFileError, options: LoadOptions, *, started_at: dt.datetime | None = None,
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
            f"unreadable\n{path}\n{observed_at.isoformat()}\n{started_at.isoformat()}\n"
            f"{options.date}\n{options.time_zone}".encode()).hexdigest()[:16],
        source_path=str(path), source_name=path.name, source_sha256="", source_bytes=0,
        parser_version=PARSER_VERSION, blog_id=None, headline=None, dateline=None,
        blog_date=None, date_source=None, time_zone=None, time_zone_source=None,
        date_option=options.date, time_zone_option=options.time_zone,
        observed_at=observed_at, started_at=started_at, committed_at=committed_at,
    )
    rejection = Rejection(error.reason_code, str(error), "", None)
    counts = eventlog.append(con, batch, (), (rejection,), 0)
    if archive is not None:
        archive.append(UnreadableRecord(
            load_batch_id=batch.load_batch_id,
            source_path=str(path),
            reason_code=error.reason_code,
            message=str(error),
            date_option=options.date.isoformat() if options.date else None,
            time_zone_option=options.time_zone,
            observed_at=observed_at.isoformat(),
            started_at=started_at.isoformat(),
            committed_at=eventlog.committed_at(con, batch.load_batch_id).isoformat(),
        ))
    return FileOutcome(path, "unreadable", batch.load_batch_id, counts, (str(error),))

