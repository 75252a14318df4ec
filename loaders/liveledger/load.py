"""Load input files: read bytes -> parse -> append to the event log.

One file is one batch. A file we cannot read at all (missing, a directory)
is reported and skipped; a file we can read but not use (empty, binary,
invalid UTF-8, no entries) is still logged as a batch with its rejection,
so every piece of input we were given leaves a trace in ``raw.*``. Every
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

from . import PARSER_VERSION, eventlog
from .archive import Archive, LoadRecord
from .errors import InputFileError, OptionError
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


def read_input(path: Path) -> bytes:
    """The file's bytes, or an ``InputFileError`` that says what is wrong."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file")
    if path.is_dir():
        raise InputFileError(f"{path}: is a directory; pass the live-blog files inside it")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({error.strerror})") from None


def decode(data: bytes) -> tuple[str | None, Rejection | None]:
    """UTF-8 text, or the rejection explaining why the bytes are not text."""
    if not data.strip():
        return None, Rejection("empty_file", "the file is empty", "", None)
    if b"\x00" in data:
        return None, Rejection(
            "not_text", "the file is binary (it contains NUL bytes), not a plain-text live blog",
            _preview(data), None)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, Rejection(
            "invalid_utf8",
            f"line {line}: the file is not valid UTF-8 (byte {error.start}); "
            "save it as UTF-8 and load it again", _preview(data), line)


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
                outcomes.append(FileOutcome(path, "unreadable", messages=(str(error),)))
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
    started_at = _utc_now()
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
    text, problem = decode(data)
    if text is None:
        assert problem is not None
        parsed = ParsedBlog(BlogHeader(), None, None, None, None, None, (), (problem,), 0)
    else:
        parsed = parse_blog(text, places, date=options.date, time_zone=options.time_zone,
                            blog_id=options.blog_id)

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


def _preview(data: bytes) -> str:
    return f"<{len(data)} bytes; starts {data[:32].hex()}>"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
