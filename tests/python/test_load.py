import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import SAMPLE, TEST_BLOGS, blog
from liveledger.errors import DatabaseBusyError, InputFileError
from liveledger.intake import read_input
from liveledger.load import LoadOptions, load_paths
from liveledger.places import PlaceIndex


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(sql).fetchone()
        assert found is not None, sql
        return int(found[0])
    finally:
        con.close()


def test_load_appends_events_and_a_batch_row(tmp_path: Path, places: PlaceIndex) -> None:
    db = tmp_path / "w.duckdb"
    (outcome,) = load_paths(db, [SAMPLE], LoadOptions(), places)
    assert outcome.status == "loaded"
    assert outcome.counts is not None and outcome.counts.entries_appended == 29
    assert _count(db, "select count(*) from raw.entry_events") == 29
    assert _count(db, "select count(distinct event_id) from raw.entry_events") == 29
    assert _count(db, "select count(*) from raw.load_batches where entries_seen = 29") == 1
    assert (
        _count(db, "select count(*) from raw.entry_events where event_type <> 'entry_added'") == 0
    )


def test_reloading_the_same_file_appends_nothing(tmp_path: Path, places: PlaceIndex) -> None:
    db = tmp_path / "w.duckdb"
    load_paths(db, [SAMPLE], LoadOptions(), places)
    (again,) = load_paths(db, [SAMPLE], LoadOptions(), places)
    assert again.status == "already_loaded"
    assert "nothing appended" in again.messages[0]
    assert _count(db, "select count(*) from raw.entry_events") == 29
    assert _count(db, "select count(*) from raw.load_batches") == 1


def test_overlapping_snapshot_appends_only_new_and_changed(
    tmp_path: Path, places: PlaceIndex
) -> None:
    db = tmp_path / "w.duckdb"
    first = tmp_path / "first.txt"
    second = tmp_path / "second.txt"
    first.write_text(blog("1 p.m.\nGauido spoke.", "noon\nFirst."))
    second.write_text(blog("2 p.m.\nNewest.", "1 p.m.\nGuaido spoke.", "noon\nFirst."))
    load_paths(db, [first], LoadOptions(), places)
    (outcome,) = load_paths(db, [second], LoadOptions(), places)
    assert outcome.counts is not None
    assert (
        outcome.counts.entries_seen,
        outcome.counts.entries_appended,
        outcome.counts.entries_already_present,
    ) == (3, 2, 1)
    assert (
        _count(db, "select count(*) from raw.entry_events where event_type = 'entry_revised'") == 1
    )


def test_counts_reconcile_and_rejects_are_kept(tmp_path: Path, places: PlaceIndex) -> None:
    db = tmp_path / "w.duckdb"
    (outcome,) = load_paths(db, [TEST_BLOGS / "kabul-partial-rejects.txt"], LoadOptions(), places)
    c = outcome.counts
    assert c is not None
    assert c.entries_seen == c.entries_appended + c.entries_already_present + c.entries_rejected
    assert (c.entries_appended, c.entries_rejected, c.other_rejects) == (2, 2, 1)
    assert _count(db, "select count(*) from raw.rejected_input") == 3
    assert (
        _count(
            db,
            "select count(*) from raw.rejected_input "
            "where reason_code = 'invalid_time_marker' and line_number = 14",
        )
        == 1
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty_file"),
        (b"   \n\n", "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_text"),
        # 0x81 is neither UTF-8 nor Windows-1252 (Latin-1 text is read as the latter).
        (b"caf\x81 4 p.m.\n", "invalid_utf8"),
        (b"No markers here.\n", "no_time_markers"),
    ],
)
def test_unusable_files_are_logged_as_rejected_batches(
    tmp_path: Path, places: PlaceIndex, content: bytes, reason: str
) -> None:
    db = tmp_path / "w.duckdb"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    (outcome,) = load_paths(db, [bad], LoadOptions(), places)
    assert outcome.status == "rejected"
    assert (
        _count(db, f"select count(*) from raw.rejected_input where reason_code = '{reason}'") == 1
    )
    assert _count(db, "select count(*) from raw.load_batches") == 1


def test_missing_file_and_directory_do_not_stop_the_others(
    tmp_path: Path, places: PlaceIndex
) -> None:
    db = tmp_path / "w.duckdb"
    outcomes = load_paths(db, [tmp_path / "nope.txt", tmp_path, SAMPLE], LoadOptions(), places)
    assert [o.status for o in outcomes] == ["unreadable", "unreadable", "loaded"]
    assert "no such file" in outcomes[0].messages[0]
    assert "is a directory" in outcomes[1].messages[0]


def test_read_input_errors_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_input(tmp_path / "missing.txt")


def test_rejected_file_can_be_reloaded_with_the_missing_option(
    tmp_path: Path, places: PlaceIndex
) -> None:
    db = tmp_path / "w.duckdb"
    undated = tmp_path / "undated.txt"
    undated.write_text(
        blog(
            "1 p.m.\nText.",
            header=("CARACAS, Venezuela (AP) — The Latest on it (all times local):\n"),
        )
    )
    (first,) = load_paths(db, [undated], LoadOptions(), places)
    assert first.status == "rejected"
    (second,) = load_paths(db, [undated], LoadOptions(date=dt.date(2019, 1, 24)), places)
    assert second.status == "loaded"
    assert _count(db, "select count(*) from raw.entry_events") == 1
    assert _count(db, "select count(*) from raw.load_batches") == 2


def test_failed_insert_leaves_no_part_of_the_batch(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch row goes in last, inside the same transaction as the events."""
    from liveledger import eventlog

    db = tmp_path / "w.duckdb"
    real = eventlog._rejects_table

    def explode(*args: Any, **kwargs: Any) -> Any:
        table = real(*args, **kwargs)
        return table.rename_columns(["wrong"] * table.num_columns)

    monkeypatch.setattr(eventlog, "_rejects_table", explode)
    with pytest.raises(duckdb.Error):
        load_paths(db, [SAMPLE], LoadOptions(), places)
    assert _count(db, "select count(*) from raw.entry_events") == 0
    assert _count(db, "select count(*) from raw.load_batches") == 0


def test_second_writer_gets_a_clear_busy_error(tmp_path: Path, places: PlaceIndex) -> None:
    import subprocess
    import sys
    import textwrap

    db = tmp_path / "w.duckdb"
    load_paths(db, [SAMPLE], LoadOptions(), places)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(db)!r})
            print("locked", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DatabaseBusyError, match="in use by another process"):
            load_paths(db, [SAMPLE], LoadOptions(), places)
    finally:
        holder.communicate("\n", timeout=30)


def _corpus() -> list[Path]:
    """Distinct blogs, a rejected file, a duplicate and five snapshots of one blog."""
    snapshots = sorted((TEST_BLOGS.parent / "snapshots").glob("snapshot-*.txt"))
    blogs = sorted(TEST_BLOGS.glob("*.txt"))
    return [
        SAMPLE,
        *blogs[:3],
        snapshots[0],
        snapshots[1],
        *blogs[3:],
        SAMPLE,
        *snapshots[2:],
        snapshots[2],
    ]


def _ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each file starts one second after the previous, so two runs give the same batch ids.

    Only the loader's per-file start time ticks; commit times (one per group)
    are wall-clock columns that the comparison leaves out.
    """
    import sys

    from liveledger import eventlog

    ticks = iter(range(1_000_000))
    start = dt.datetime(2030, 1, 1)

    def now() -> dt.datetime:
        if sys._getframe(1).f_code.co_name == "prepare_file":
            return start + dt.timedelta(seconds=next(ticks))
        return start

    monkeypatch.setattr(eventlog, "utc_now", now)


@pytest.mark.parametrize("group_entries", [1, 40, 20_000])
def test_loading_in_groups_writes_what_loading_file_by_file_writes(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch, group_entries: int
) -> None:
    """Grouped commits are an optimisation only: the raw log must not change."""
    from liveledger import load
    from raw_state import read_raw_state

    corpus = _corpus()
    _ticking_clock(monkeypatch)
    one_by_one = tmp_path / "one.duckdb"
    singles = [load_paths(one_by_one, [path], LoadOptions(), places)[0] for path in corpus]

    _ticking_clock(monkeypatch)
    monkeypatch.setattr(load, "GROUP_ENTRIES", group_entries)
    (tmp_path / "grouped").mkdir()
    grouped = tmp_path / "grouped" / "w.duckdb"
    together = load_paths(grouped, corpus, LoadOptions(), places)

    assert [(o.path, o.status) for o in together] == [(o.path, o.status) for o in singles]
    assert [o.counts for o in together] == [o.counts for o in singles]
    assert sum(o.counts.entries_removed for o in together if o.counts) > 0
    assert read_raw_state(grouped) == read_raw_state(one_by_one)


def test_worker_processes_write_what_one_process_writes(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing in a pool is an optimisation only: same outcomes, same raw log."""
    from liveledger import reading
    from raw_state import read_raw_state

    monkeypatch.setattr(reading, "MIN_FILES_FOR_WORKERS", 1)
    monkeypatch.setattr(reading, "CHUNK_FILES", 2)
    corpus = [*_corpus(), tmp_path / "missing.txt"]
    options = LoadOptions(observed_at=dt.datetime(2030, 1, 1))
    states = []
    for workers in (1, 2):
        (tmp_path / str(workers)).mkdir()
        db = tmp_path / str(workers) / "w.duckdb"
        outcomes = load_paths(db, corpus, options, places, workers=workers)
        state = read_raw_state(db)
        # An unreadable file's batch id includes its wall-clock start; compare its reason.
        readable = {str(b["load_batch_id"]) for b in state.batches if b["source_sha256"]}
        reasons = [
            (r["source_path"], r["reason_code"])
            for r in state.rejects
            if r["load_batch_id"] not in readable
        ]
        states.append(
            (
                [(o.path, o.status, o.counts) for o in outcomes],
                state.restricted_to(readable),
                reasons,
            )
        )
    assert states[0][0][-1][1] == "unreadable"
    assert states[0][2] == [(str(tmp_path / "missing.txt"), "file_missing")]
    assert states[1] == states[0]
