"""The input archive: every file's bytes, content-addressed, and a journal.

Before a file is parsed its exact bytes are stored as ``archive/<sha256>``
beside the database, and every committed load or retraction is appended to a
journal (one JSON object per line). Together they are enough to recreate the
whole database (``liveledger rebuild``): the archive is the source of truth,
the database a derivation of it.

The journal line is written after the database commit. If the process dies
in between, the next writer re-derives the missing lines from the database
(``reconcile``), so the journal never lacks a committed load and never holds
one that did not commit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from .errors import ProjectError


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
    "load": LoadRecord, "unreadable": UnreadableRecord, "retract": RetractRecord,
}


class Archive:
    """The archive folder of one database: blobs plus that database's journal."""

    def __init__(self, db_path: Path) -> None:
        self.folder = db_path.parent / "archive"
        self.journal = self.folder / f"{db_path.stem}.journal.jsonl"

    def store(self, data: bytes, sha256: str) -> Path:
        """Keep the bytes under their hash (atomically; once)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / sha256
        if not target.exists():
            partial = target.with_name(f".{sha256}.{os.getpid()}.partial")
            with partial.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            partial.replace(target)
        return target

    def read(self, sha256: str) -> bytes:
        blob = self.folder / sha256
        if not blob.is_file():
            raise ProjectError(f"archive blob {blob} is missing; cannot replay that load")
        return blob.read_bytes()

    def append(self, record: Record) -> None:
        self.append_many([record])

    def append_many(self, records: list[Record]) -> None:
        """Journal records with one write and one fsync (a group of loads at once)."""
        if not records:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.journal.open("a", encoding="utf-8") as handle:
            handle.write("".join(json.dumps(asdict(r), sort_keys=True) + "\n" for r in records))
            handle.flush()
            os.fsync(handle.fileno())

    def records(self) -> list[Record]:
        if not self.journal.exists():
            return []
        out: list[Record] = []
        for number, line in enumerate(self.journal.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                data: dict[str, Any] = json.loads(line)
                out.append(_KINDS[data["kind"]](**data))
            except (ValueError, KeyError, TypeError):
                raise ProjectError(f"{self.journal}:{number}: not a journal record") from None
        return out

    def reconcile(self, con: duckdb.DuckDBPyConnection) -> int:
        """Append journal lines for committed loads/retractions the journal lacks."""
        known = {(r.kind, r.load_batch_id) for r in self.records()}
        missing: list[tuple[dt.datetime, Record]] = []
        for row in con.execute("""
                select b.load_batch_id, b.source_sha256, b.source_path, b.parser_version,
                       b.date_option, b.time_zone_option, b.observed_at, b.started_at,
                       b.committed_at, r.reason_code, r.message
                from raw.load_batches as b
                left join raw.rejected_input as r
                  on r.load_batch_id = b.load_batch_id and b.source_sha256 = ''
                order by b.committed_at, b.load_batch_id""").fetchall():
            if row[1] == "" and ("unreadable", row[0]) not in known:
                missing.append((row[8], UnreadableRecord(
                    row[0], row[2], row[9] or "unreadable_file", row[10] or "",
                    _iso(row[4]), row[5], _iso(row[6]), _iso(row[7]), _iso(row[8]))))
            elif row[1] != "" and ("load", row[0]) not in known:
                missing.append((row[8], LoadRecord(
                    row[0], row[1], row[2], row[3], _iso(row[4]), row[5],
                    _iso(row[6]), _iso(row[7]), _iso(row[8]))))
        for batch, reason, when in con.execute(
                "select load_batch_id, reason, retracted_at from raw.retractions "
                "order by retracted_at").fetchall():
            if ("retract", batch) not in known:
                missing.append((when, RetractRecord(batch, reason, _iso(when))))
        for _, record in sorted(missing, key=lambda pair: pair[0]):
            self.append(record)
        return len(missing)


def _iso(value: dt.date | dt.datetime | None) -> str | None:  # type: ignore[return]
    return None if value is None else value.isoformat()
