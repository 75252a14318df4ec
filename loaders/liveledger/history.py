"""Operations on the event log's history: retract a bad load, rebuild from the archive.

Neither deletes anything. A retraction is one more event (``raw.retractions``)
that the models honour; a rebuild replays the archive journal into a fresh
database file and keeps the previous file beside it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import eventlog
from .archive import Archive, LoadRecord, RetractRecord, UnreadableRecord
from .errors import InputFileError, OptionError, ProjectError
from .load import append_bytes, log_unreadable
from .prepare import LoadOptions
from .places import PlaceIndex


def retract(db_path: Path, load_batch_id: str, reason: str) -> dt.datetime:
    """Record that ``load_batch_id`` was a bad load; models exclude its events."""
    if not reason.strip():
        raise OptionError("give a reason for the retraction: --reason TEXT")
    archive = Archive(db_path)
    con = eventlog.connect(db_path)
    try:
        eventlog.ensure_schema(con)
        archive.reconcile(con)
        if not eventlog.batch_exists(con, load_batch_id):
            raise OptionError(
                f"no load batch {load_batch_id!r}; `liveledger status` lists the loads")
        if eventlog.is_retracted(con, load_batch_id):
            raise OptionError(f"batch {load_batch_id} is already retracted")
        when = eventlog.retract(con, load_batch_id, reason.strip())
        con.execute("checkpoint")
    finally:
        con.close()
    archive.append(RetractRecord(load_batch_id, reason.strip(), when.isoformat()))
    return when


@dataclass(frozen=True)
class RebuildResult:
    loads: int
    retractions: int
    previous: Path | None


def rebuild(db_path: Path, places: PlaceIndex) -> RebuildResult:
    """Recreate the raw event log by replaying the archive journal in order.

    The new database is written beside the old one and swapped in only when
    complete; the old file is kept as ``<name>.before-rebuild``.
    """
    archive = Archive(db_path)
    if db_path.exists():
        con = eventlog.connect(db_path)
        try:
            eventlog.ensure_schema(con)
            archive.reconcile(con)
        finally:
            con.close()
    records = archive.records()
    if not records:
        raise ProjectError(f"nothing to rebuild: {archive.journal} holds no loads")
    fresh = db_path.with_name(db_path.name + ".rebuilding")
    fresh.unlink(missing_ok=True)
    con = eventlog.connect(fresh)
    loads = retractions = 0
    try:
        eventlog.ensure_schema(con)
        for record in records:
            if isinstance(record, LoadRecord):
                _replay_load(con, archive, record, places)
                loads += 1
            elif isinstance(record, UnreadableRecord):
                log_unreadable(
                    con, None, Path(record.source_path),
                    InputFileError(record.message, record.reason_code),
                    LoadOptions(
                        date=dt.date.fromisoformat(record.date_option)
                        if record.date_option else None,
                        time_zone=record.time_zone_option,
                        observed_at=dt.datetime.fromisoformat(record.observed_at)),
                    started_at=dt.datetime.fromisoformat(record.started_at),
                    committed_at=dt.datetime.fromisoformat(record.committed_at))
                loads += 1
            else:
                eventlog.retract(con, record.load_batch_id, record.reason,
                                 dt.datetime.fromisoformat(record.retracted_at))
                retractions += 1
        con.execute("checkpoint")
    finally:
        con.close()
    previous = None
    if db_path.exists():
        previous = db_path.with_name(db_path.name + ".before-rebuild")
        shutil.move(db_path, previous)
    Path(str(db_path) + ".wal").unlink(missing_ok=True)
    shutil.move(fresh, db_path)
    return RebuildResult(loads, retractions, previous)


def _replay_load(con, archive: Archive, record: LoadRecord, places: PlaceIndex) -> None:  # type: ignore[no-untyped-def]
    options = LoadOptions(
        date=dt.date.fromisoformat(record.date_option) if record.date_option else None,
        time_zone=record.time_zone_option,
        observed_at=dt.datetime.fromisoformat(record.observed_at),
    )
    _, batch = append_bytes(
        con, archive.read(record.source_sha256), record.source_path, options, places,
        started_at=dt.datetime.fromisoformat(record.started_at),
        committed_at=dt.datetime.fromisoformat(record.committed_at),
    )
    if batch.load_batch_id != record.load_batch_id:
        raise ProjectError(
            f"replaying {record.source_path} gave batch {batch.load_batch_id}, the journal "
            f"says {record.load_batch_id}; the archive or journal was changed")
