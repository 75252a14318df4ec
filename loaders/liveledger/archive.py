"""The input archive: every file's bytes, content-addressed, and a journal.

Before a file is parsed its exact bytes are stored as ``archive/<sha256>``
beside the database, and every committed load or retraction is appended to a
journal (one JSON object per line). Together they are enough to recreate the
whole database (``liveledger rebuild``): the archive is the source of truth,
the database a derivation of it.

The journal line is written after the database commit. If the process dies
in between, the next writer re-derives the missing lines from the database
(``reconcile``), so the journal never lacks a committed load and never holds
one that did not commit. The same order makes a torn last line harmless: a
process killed (or out of disk) while appending leaves a line cut short, but
the loads it recorded had already committed, so the next writer cuts the torn
tail off (keeping its text in ``<journal>.torn``) and re-journals them from
the database. Any other damaged line is an error naming its line number.

The other way round, a database that lacks a load its journal records has
lost committed writes (a deleted or truncated ``.wal``, an older copy of the
file put back). Loading on top of it would record the same loads twice, so
``reconcile(..., require_current=True)`` refuses and asks for a rebuild.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from .errors import DatabaseBehindError, JournalError, ProjectError
from .lock import process_alive


@dataclass(frozen=True)
class LoadRecord:
    """One committed load, with everything needed to replay it."""

    load_batch_id: str
    source_sha256: str
    source_path: str
    parser_version: str
    date_option: str | None
    time_zone_option: str | None
    observed_at: str
    started_at: str
    committed_at: str
    kind: str = "load"


@dataclass(frozen=True)
class UnreadableRecord:
    """A file that could not be read at all: no bytes, only the reason."""

    load_batch_id: str
    source_path: str
    reason_code: str
    message: str
    date_option: str | None
    time_zone_option: str | None
    observed_at: str
    started_at: str
    committed_at: str
    kind: str = "unreadable"


@dataclass(frozen=True)
class RetractRecord:
    """One retraction of a batch."""

    load_batch_id: str
    reason: str
    retracted_at: str
    kind: str = "retract"


Record = LoadRecord | UnreadableRecord | RetractRecord
_KINDS: dict[str, type[LoadRecord] | type[UnreadableRecord] | type[RetractRecord]] = {
    "load": LoadRecord,
    "unreadable": UnreadableRecord,
    "retract": RetractRecord,
}

#: What ``Archive.store`` found: the blob was new, already there intact, or
#: there but damaged (rewritten from the new bytes).
NEW, PRESENT, REPAIRED = "new", "present", "repaired"


@dataclass(frozen=True)
class _Journal:
    """The journal as read: its whole records and what follows the last one."""

    records: list[Record]
    good_bytes: int  # length of the prefix made of whole, newline-ended lines
    tail: bytes  # a torn last line (not a record), or b""
    unterminated: bool  # the last record is whole but lacks its newline


@dataclass(frozen=True)
class Reconciled:
    """What ``reconcile`` found: lines it added, and what the database lacks."""

    journaled: int
    missing_loads: int
    missing_retractions: int


def _warn_on_stderr(message: str) -> None:
    print(f"liveledger: warning: {message}", file=sys.stderr, flush=True)


class Archive:
    """The archive folder of one database: blobs plus that database's journal."""

    def __init__(self, db_path: Path, warn: Callable[[str], None] | None = None) -> None:
        self.db_path = db_path
        self.folder = db_path.parent / "archive"
        self.journal = self.folder / f"{db_path.stem}.journal.jsonl"
        self.warn = warn or _warn_on_stderr
        #: Batch ids still legible in a torn last line that ``repair_tail`` cut off.
        self.torn_batch_ids: set[bytes] = set()

    def store(self, data: bytes, sha256: str) -> str:
        """Keep the bytes under their hash, atomically; ``NEW``, ``PRESENT`` or ``REPAIRED``.

        A blob that is already there is compared with the bytes: one that was
        damaged (or is not a file) is replaced by them, since they hash to its name.
        """
        target = self.folder / sha256
        try:
            if target.read_bytes() == data:
                return PRESENT
            found = REPAIRED
        except FileNotFoundError:
            found = NEW
        except OSError:
            found = REPAIRED
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{sha256}.{os.getpid()}.partial")
        try:
            with partial.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return found

    def sweep_partials(self) -> int:
        """Remove ``.partial`` files left by processes that died while storing."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for partial in self.folder.glob(".*.partial"):
            pid = partial.name.split(".")[-2]
            if pid.isdigit() and not process_alive(int(pid)):
                partial.unlink(missing_ok=True)
                removed += 1
        return removed

    def read(self, sha256: str) -> bytes:
        """The archived bytes, checked against their hash."""
        blob = self.folder / sha256
        if not blob.is_file():
            raise ProjectError(
                f"archive blob {blob} is missing; load the original file again "
                "(liveledger load FILE) to put it back, then run this command again"
            )
        data = blob.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ProjectError(
                f"archive blob {blob} is damaged (its bytes no longer match their sha256); "
                "load the original file again (liveledger load FILE) to repair it, then "
                "run this command again"
            )
        return data

    def append(self, record: Record) -> None:
        self.append_many([record])

    def append_many(self, records: list[Record]) -> None:
        """Journal records with one write and one fsync (a group of loads at once).

        A write that fails (a full disk) is cut back off, so it leaves no torn line.
        """
        if not records:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.journal.open("ab") as handle:
            size = handle.tell()
            try:
                handle.write(
                    "".join(json.dumps(asdict(r), sort_keys=True) + "\n" for r in records).encode()
                )
                handle.flush()
                os.fsync(handle.fileno())
            except OSError:
                _truncate_quietly(handle.fileno(), size)
                raise

    def records(self) -> list[Record]:
        """Every whole record of the journal (a torn last line is left out)."""
        return self._read().records

    def repair_tail(self) -> list[Record]:
        """Cut a torn last line off the journal (saying so) and return its records.

        Only for a process that holds the writer lock. The cut text is kept in
        ``<journal>.torn``; the loads it recorded committed before it was
        written, so ``reconcile`` journals them again from the database.
        """
        journal = self._read()
        self.torn_batch_ids = set(re.findall(rb'"load_batch_id": "([0-9a-f]+)"', journal.tail))
        if journal.tail:
            torn = self.journal.with_name(self.journal.name + ".torn")
            with torn.open("ab") as handle:
                handle.write(journal.tail + b"\n")
            os.truncate(self.journal, journal.good_bytes)
            self.warn(
                f"{self.journal}: its last line was cut short (a process stopped while "
                f"writing it) and was removed, its text kept in {torn}; the loads it "
                "recorded had committed first and are journaled again from the database"
            )
        elif journal.unterminated:
            with self.journal.open("ab") as handle:
                handle.write(b"\n")
        return journal.records

    def _read(self) -> _Journal:
        try:
            data = self.journal.read_bytes()
        except FileNotFoundError:
            return _Journal([], 0, b"", False)
        lines = data.split(b"\n")
        last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)
        out: list[Record] = []
        offset = 0
        for index, line in enumerate(lines):
            if line.strip():
                record = _record(line)
                if record is None:
                    if index == last:
                        return _Journal(out, offset, data[offset:].rstrip(), False)
                    raise JournalError(
                        f"{self.journal}:{index + 1}: not a journal record (the journal was "
                        "damaged or edited); restore that line from a backup of the journal"
                    )
                out.append(record)
            offset += len(line) + 1
        return _Journal(out, len(data), b"", bool(data) and not data.endswith(b"\n"))

    def reconcile(
        self,
        con: duckdb.DuckDBPyConnection,
        *,
        require_current: bool = False,
    ) -> Reconciled:
        """Journal committed loads/retractions the journal lacks; count what the database lacks.

        Cheap enough for every load: when the journal has as many lines as
        the database has batches and retractions, and its last line is the
        database's newest write, nothing is missing either way (lines are
        only appended, in commit order, after the commit), and no line is
        parsed but the last. Otherwise one pass
        over the journal and one query of batch ids; full rows are read only
        for batches the journal lacks.
        With ``require_current``, a database that lacks committed loads or
        retractions of its journal is refused (``DatabaseBehindError``).
        """
        if self._agrees_at_a_glance(con):
            return Reconciled(0, 0, 0)
        records = self.repair_tail()
        journal_loads = {r.load_batch_id for r in records if not isinstance(r, RetractRecord)}
        journal_retractions = {r.load_batch_id for r in records if isinstance(r, RetractRecord)}
        db_batches = {
            row[0] for row in con.execute("select load_batch_id from raw.load_batches").fetchall()
        }
        missing: list[tuple[dt.datetime, Record]] = []
        unjournaled = db_batches - journal_loads
        if unjournaled:
            for row in con.execute(
                """
                    select b.load_batch_id, b.source_sha256, b.source_path, b.parser_version,
                           b.date_option, b.time_zone_option, b.observed_at, b.started_at,
                           b.committed_at, r.reason_code, r.message
                    from raw.load_batches as b
                    left join raw.rejected_input as r
                      on r.load_batch_id = b.load_batch_id and b.source_sha256 = ''
                    where list_contains(?, b.load_batch_id)
                    order by b.committed_at, b.load_batch_id""",
                [sorted(unjournaled)],
            ).fetchall():
                if row[1] == "":
                    missing.append(
                        (
                            row[8],
                            UnreadableRecord(
                                row[0],
                                row[2],
                                row[9] or "unreadable_file",
                                row[10] or "",
                                _iso(row[4]),
                                row[5],
                                _instant(row[6]),
                                _instant(row[7]),
                                _instant(row[8]),
                            ),
                        )
                    )
                else:
                    missing.append(
                        (
                            row[8],
                            LoadRecord(
                                row[0],
                                row[1],
                                row[2],
                                row[3],
                                _iso(row[4]),
                                row[5],
                                _instant(row[6]),
                                _instant(row[7]),
                                _instant(row[8]),
                            ),
                        )
                    )
        db_retractions: set[str] = set()
        for batch, reason, when in con.execute(
            "select load_batch_id, reason, retracted_at from raw.retractions order by retracted_at"
        ).fetchall():
            db_retractions.add(batch)
            if batch not in journal_retractions:
                missing.append((when, RetractRecord(batch, reason, _instant(when))))
        self.append_many([record for _, record in sorted(missing, key=lambda pair: pair[0])])
        lost = sorted(i.decode() for i in self.torn_batch_ids if i.decode() not in db_batches)
        if lost:
            self.warn(
                f"the torn journal line named batch(es) {', '.join(lost)}, which the database "
                "does not hold either: load their files again (their bytes are in the archive)"
            )
        found = Reconciled(
            len(missing), len(journal_loads - db_batches), len(journal_retractions - db_retractions)
        )
        if require_current and (found.missing_loads or found.missing_retractions):
            raise self.behind(found)
        return found

    def lacking(self, con: duckdb.DuckDBPyConnection) -> Reconciled:
        """What the database lacks of its journal, without writing anything (for ``status``)."""
        if self._agrees_at_a_glance(con):
            return Reconciled(0, 0, 0)
        records = self.records()
        loads = {r.load_batch_id for r in records if not isinstance(r, RetractRecord)}
        retractions = {r.load_batch_id for r in records if isinstance(r, RetractRecord)}
        db_batches = {
            row[0] for row in con.execute("select load_batch_id from raw.load_batches").fetchall()
        }
        db_retractions = {
            row[0] for row in con.execute("select load_batch_id from raw.retractions").fetchall()
        }
        return Reconciled(0, len(loads - db_batches), len(retractions - db_retractions))

    def _agrees_at_a_glance(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Same number of records on both sides, and the journal's last one is the newest write."""
        try:
            data = self.journal.read_bytes()
        except FileNotFoundError:
            data = b""
        counts = con.execute(
            "select (select count(*) from raw.load_batches), (select count(*) from raw.retractions)"
        ).fetchone()
        assert counts is not None
        if not data:
            return counts == (0, 0)
        if not data.endswith(b"\n") or data.count(b"\n") != counts[0] + counts[1]:
            return False
        last = _record(data[data.rfind(b"\n", 0, len(data) - 1) + 1 :])
        if last is None:
            return False
        if isinstance(last, RetractRecord):
            table, column, when = "raw.retractions", "retracted_at", last.retracted_at
        else:
            table, column, when = "raw.load_batches", "committed_at", last.committed_at
        found = con.execute(
            f"""
            select
                count(*) filter (where load_batch_id = ? and {column} = ?),
                (select greatest(coalesce(max(committed_at), timestamp '1970-01-01'),
                                 coalesce((select max(retracted_at) from raw.retractions),
                                          timestamp '1970-01-01'))
                 from raw.load_batches)
            from {table}""",
            [last.load_batch_id, dt.datetime.fromisoformat(when)],
        ).fetchone()
        # the last line must be the newest write, or a commit may be missing from the journal
        return bool(found and found[0] and found[1] == dt.datetime.fromisoformat(when))

    def behind(self, found: Reconciled) -> DatabaseBehindError:
        """The error for a database that lacks what its journal records."""
        parts = [f"{found.missing_loads} committed loads"] if found.missing_loads else []
        if found.missing_retractions:
            parts.append(f"{found.missing_retractions} retractions")
        return DatabaseBehindError(
            f"the database is behind its journal ({' and '.join(parts)} missing): {self.db_path} "
            f"lacks writes that {self.journal} records (a lost or truncated .wal file, or an "
            "older copy of the database). Nothing was changed; run `liveledger rebuild` to "
            "recreate it from the archive, then run this command again"
        )


def _record(line: bytes) -> Record | None:
    try:
        data: dict[str, Any] = json.loads(line)
        return _KINDS[data["kind"]](**data)
    except (ValueError, KeyError, TypeError):
        return None


def _truncate_quietly(fd: int, size: int) -> None:
    try:
        os.ftruncate(fd, size)
    except OSError as error:  # the journal keeps a torn line, which repair_tail cuts off
        if error.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _instant(value: dt.datetime) -> str:
    """A ``not null`` timestamp column as the journal writes it."""
    return value.isoformat()
