"""Read the raw event log as comparable data, and check its invariants.

Shared by the crash and concurrency tests. Wall-clock columns (when a batch
started or committed, when a reject was logged) differ between two runs of
the same load and are left out; everything else, ids included, is kept, so
two states compare equal only if they hold the same events from the same
batches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

_WALL_CLOCK = {"started_at", "committed_at", "rejected_at"}
_TABLES = ("load_batches", "entry_events", "rejected_input")
_KEYS = {"load_batches": "load_batch_id", "entry_events": "event_id", "rejected_input": "reject_id"}


@dataclass(frozen=True)
class RawState:
    """The rows of ``raw.*``, sorted by id, as named columns."""

    batches: tuple[dict[str, Any], ...]
    events: tuple[dict[str, object], ...]
    rejects: tuple[dict[str, object], ...]

    @property
    def batch_ids(self) -> set[str]:
        return {str(b["load_batch_id"]) for b in self.batches}

    def restricted_to(self, batch_ids: set[str]) -> RawState:
        """The part of this state that the given batches wrote."""
        return RawState(
            tuple(b for b in self.batches if b["load_batch_id"] in batch_ids),
            tuple(e for e in self.events if e["load_batch_id"] in batch_ids),
            tuple(r for r in self.rejects if r["load_batch_id"] in batch_ids),
        )


EMPTY = RawState((), (), ())


def read_raw_state(db: Path) -> RawState:
    """Open ``db`` read-only (as a recovering reader would) and read ``raw.*``.

    A database killed before the loader created its tables reads as empty.
    """
    if not db.exists():
        return EMPTY
    con = duckdb.connect(str(db), read_only=True)
    try:
        present = {
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        tables = {name: _rows(con, name) if name in present else () for name in _TABLES}
    finally:
        con.close()
    return RawState(tables["load_batches"], tables["entry_events"], tables["rejected_input"])


def assert_consistent(state: RawState) -> None:
    """Every batch is whole and alone: its counts match exactly what it wrote.

    - no event or reject belongs to a batch without a committed batch row;
    - each batch row's counts equal the events and rejects it wrote, and
      ``entries_seen = appended + already present + rejected``;
    - no event id appears twice; each entry was added once; an entry's next
      event never repeats its content unless one of the two is a removal.
    """
    batch_ids = state.batch_ids
    assert len(batch_ids) == len(state.batches), "a batch id appears twice"
    orphans = {e["load_batch_id"] for e in state.events} - batch_ids
    orphans |= {r["load_batch_id"] for r in state.rejects} - batch_ids
    assert not orphans, f"rows of uncommitted batches: {sorted(map(str, orphans))}"
    events = Counter(str(e["load_batch_id"]) for e in state.events)
    entry_rejects = Counter(str(r["load_batch_id"]) for r in state.rejects if r["is_entry"])
    other_rejects = Counter(str(r["load_batch_id"]) for r in state.rejects if not r["is_entry"])
    for batch in state.batches:
        batch_id = str(batch["load_batch_id"])
        removed = int(batch.get("entries_removed") or 0)
        assert batch["entries_appended"] + removed == events[batch_id], batch
        assert batch["entries_rejected"] == entry_rejects[batch_id], batch
        assert batch["other_rejects"] == other_rejects[batch_id], batch
        assert batch["entries_seen"] == (
            batch["entries_appended"] + batch["entries_already_present"] + batch["entries_rejected"]
        ), batch
    event_ids = Counter(str(e["event_id"]) for e in state.events)
    assert not [i for i, n in event_ids.items() if n > 1], "an event was appended twice"
    added = Counter(str(e["entry_key"]) for e in state.events if e["event_type"] == "entry_added")
    assert not [k for k, n in added.items() if n > 1], "an entry was added twice"
    assert set(added) == {str(e["entry_key"]) for e in state.events}, "a revision without an add"
    by_entry: dict[str, list[dict[str, object]]] = {}
    for event in sorted(
        state.events, key=lambda e: (str(e["observed_at"]), str(e["load_batch_id"]))
    ):
        by_entry.setdefault(str(event["entry_key"]), []).append(event)
    for key, history in by_entry.items():
        for before, after in zip(history, history[1:]):
            assert before["content_hash"] != after["content_hash"] or "entry_removed" in (
                before["event_type"],
                after["event_type"],
            ), f"{key}: an unchanged version was appended again"


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> tuple[dict[str, object], ...]:
    columns = [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'raw' and table_name = ? order by ordinal_position",
            [table],
        ).fetchall()
        if c not in _WALL_CLOCK
    ]
    selected = ", ".join(columns)
    result = con.execute(f"select {selected} from raw.{table} order by {_KEYS[table]}")
    return tuple(dict(zip(columns, row)) for row in result.fetchall())
