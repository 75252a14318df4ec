"""Operations on the event log's history: retract a bad load, rebuild from the archive.

Neither deletes anything. A retraction is one more event (``raw.retractions``)
that the models honour; a rebuild replays the archive journal into a fresh
database file and keeps every previous file beside it, numbered.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import eventlog, storage
from .archive import Archive, LoadRecord, RetractRecord, UnreadableRecord
from .errors import DatabaseUnreadableError, InputFileError, OptionError, ProjectError
from .load import append_bytes, log_unreadable
from .places import PlaceIndex
from .prepare import LoadOptions


def retract(db_path: Path, load_batch_id: str, reason: str) -> dt.datetime:
    """Record that ``load_batch_id`` was a bad load; models exclude its events."""
    if not reason.strip():
        raise OptionError("give a reason for the retraction: --reason TEXT")
    archive = Archive(db_path)
    con = eventlog.connect(db_path)
    try:
        with storage.disk_full_is_an_error(db_path.parent):
            eventlog.ensure_schema(con)
            archive.reconcile(con, require_current=True)
            if not eventlog.batch_exists(con, load_batch_id):
                raise OptionError(
                    f"no load batch {load_batch_id!r}; `liveledger status` lists the loads"
                )
            if eventlog.is_retracted(con, load_batch_id):
                raise OptionError(f"batch {load_batch_id} is already retracted")
            when = eventlog.retract(con, load_batch_id, reason.strip())
            con.execute("checkpoint")
    finally:
        con.close()
    with storage.disk_full_is_an_error(db_path.parent):
        archive.append(RetractRecord(load_batch_id, reason.strip(), when.isoformat()))
    return when


@dataclass(frozen=True)
class RebuildResult:
    loads: int
    retractions: int
    #: Where the database that was replaced now is (None: there was none).
    previous: Path | None
    #: The previous file could not be read, so it was set aside before replaying.
    previous_was_damaged: bool = False
    #: Journal lines that recorded a load already replayed (the same batch id
    #: twice, left by a reload on a database that had lost it); replayed once.
    duplicates_skipped: int = 0


def backup_name(db_path: Path) -> Path:
    """The first free ``<name>.before-rebuild``, ``….before-rebuild.1``, ``….2``, …

    Every rebuild keeps the file it replaces; the highest number is the newest.
    """
    base = db_path.with_name(db_path.name + ".before-rebuild")
    candidate, number = base, 0
    while candidate.exists() or _wal(candidate).exists():
        number += 1
        candidate = base.with_name(f"{base.name}.{number}")
    return candidate


def rebuild(
    db_path: Path, places: PlaceIndex, warn: Callable[[str], None] | None = None
) -> RebuildResult:
    """Recreate the raw event log by replaying the archive journal in order.

    The new database is written beside the old one and swapped in only when
    complete; the old file (and its ``.wal``) is kept under ``backup_name``.
    A database DuckDB fails to read is never written to: it is set aside
    before anything is replayed, and the journal alone is replayed (a load
    that committed in it but was not journaled yet, only possible for a
    process killed in between, is then not recreated; its file is in the
    archive and can be loaded again).
    """
    archive = Archive(db_path, warn)
    if db_path.is_dir():
        raise storage.unreadable(db_path)
    previous = _reconcile_or_set_aside(db_path, archive)
    damaged = previous is not None
    archive.repair_tail()
    records = archive.records()
    if not any(not isinstance(r, RetractRecord) for r in records):
        raise ProjectError(f"nothing to rebuild: {archive.journal} holds no loads")
    fresh = db_path.with_name(db_path.name + ".rebuilding")
    fresh.unlink(missing_ok=True)
    _wal(fresh).unlink(missing_ok=True)
    loads = retractions = duplicates = 0
    replayed: set[tuple[str, str]] = set()
    try:
        with storage.disk_full_is_an_error(db_path.parent):
            con = eventlog.connect(fresh)
            try:
                eventlog.ensure_schema(con)
                for record in records:
                    if (record.kind, record.load_batch_id) in replayed:
                        duplicates += 1
                        continue
                    replayed.add((record.kind, record.load_batch_id))
                    if isinstance(record, LoadRecord):
                        _replay_load(con, archive, record, places)
                        loads += 1
                    elif isinstance(record, UnreadableRecord):
                        _replay_unreadable(con, record)
                        loads += 1
                    else:
                        eventlog.retract(
                            con,
                            record.load_batch_id,
                            record.reason,
                            dt.datetime.fromisoformat(record.retracted_at),
                        )
                        retractions += 1
                con.execute("checkpoint")
            finally:
                con.close()
    except BaseException:
        fresh.unlink(missing_ok=True)
        _wal(fresh).unlink(missing_ok=True)
        raise
    if db_path.exists():
        _drop_stray_backups(db_path)
        previous = _keep_as_backup(db_path)
    _wal(db_path).unlink(missing_ok=True)  # a .wal without its database belongs to nothing
    os.replace(fresh, db_path)  # one atomic step: there is a database at db_path throughout
    return RebuildResult(loads, retractions, previous, damaged, duplicates)


def _reconcile_or_set_aside(db_path: Path, archive: Archive) -> Path | None:
    """Journal what the old database committed; if it cannot be read, move it aside.

    Returns where a damaged file was moved, or None when it was read (or absent).
    """
    if not db_path.exists():
        return None
    try:
        con = eventlog.connect(db_path)
    except DatabaseUnreadableError as error:
        problem: str = error.detail or str(error)
    else:
        try:
            eventlog.ensure_schema(con)
            archive.reconcile(con)
            return None
        except duckdb.Error as error:
            if not storage.is_damage(error):
                raise
            problem = str(error).splitlines()[0]
        finally:
            con.close()
    aside = _move_aside(db_path)
    archive.warn(
        f"{db_path} could not be read ({problem}); moved it to {aside} and rebuilding from "
        "the archive journal alone"
    )
    return aside


def _move_aside(db_path: Path) -> Path:
    """Rename the database (and its ``.wal``) to the next free backup name."""
    target = backup_name(db_path)
    if _wal(db_path).exists():
        shutil.move(_wal(db_path), _wal(target))
    shutil.move(db_path, target)
    return target


def _keep_as_backup(db_path: Path) -> Path:
    """Keep the database (and its ``.wal``) under the next free backup name, in place.

    Hard links (a copy where the file system has none), not a move: the file
    stays at ``db_path`` until the rebuilt one replaces it, so a rebuild
    killed at any moment never leaves the warehouse without a database.
    """
    target = backup_name(db_path)
    for source, backup in ((_wal(db_path), _wal(target)), (db_path, target)):
        if source.exists():
            try:
                os.link(source, backup)
            except OSError:
                shutil.copy2(source, backup)
    return target


def _drop_stray_backups(db_path: Path) -> None:
    """A backup that is still a link to the database itself was left by a rebuild killed
    before its swap: it is not a previous file, and it would follow later writes."""
    for path in db_path.parent.glob(f"{db_path.name}.before-rebuild*"):
        if (
            not path.name.endswith(".wal")
            and path.is_file()
            and not path.is_symlink()
            and os.path.samefile(path, db_path)
        ):
            path.unlink()
            wal = _wal(path)
            if wal.exists() and _wal(db_path).exists() and os.path.samefile(wal, _wal(db_path)):
                wal.unlink()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _replay_unreadable(con: duckdb.DuckDBPyConnection, record: UnreadableRecord) -> None:
    log_unreadable(
        con,
        None,
        Path(record.source_path),
        InputFileError(record.message, record.reason_code),
        LoadOptions(
            date=dt.date.fromisoformat(record.date_option) if record.date_option else None,
            time_zone=record.time_zone_option,
            observed_at=dt.datetime.fromisoformat(record.observed_at),
        ),
        started_at=dt.datetime.fromisoformat(record.started_at),
        committed_at=dt.datetime.fromisoformat(record.committed_at),
    )


def _replay_load(
    con: duckdb.DuckDBPyConnection, archive: Archive, record: LoadRecord, places: PlaceIndex
) -> None:
    options = LoadOptions(
        date=dt.date.fromisoformat(record.date_option) if record.date_option else None,
        time_zone=record.time_zone_option,
        observed_at=dt.datetime.fromisoformat(record.observed_at),
        # "3+html": the load was told --format html (see prepare.parser_version).
        format=record.parser_version.partition("+")[2] or None,
    )
    _, batch = append_bytes(
        con,
        archive.read(record.source_sha256),
        record.source_path,
        options,
        places,
        started_at=dt.datetime.fromisoformat(record.started_at),
        committed_at=dt.datetime.fromisoformat(record.committed_at),
    )
    if batch.load_batch_id != record.load_batch_id:
        raise ProjectError(
            f"replaying {record.source_path} gave batch {batch.load_batch_id}, the journal "
            f"says {record.load_batch_id}; the archive or journal was changed"
        )
