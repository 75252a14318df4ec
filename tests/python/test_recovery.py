"""Recovery: damage around the warehouse never loses a committed load and is explained.

Each test damages what a kill, a full disk or a careless copy can damage (the
``.wal``, the journal's last line, the database file, an archive blob, the
order of observations) and checks that the command the user runs next says
what happened in one ``liveledger: error:`` (or ``warning:``) line, changes
nothing it should not, and that the way out it names works.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, blog, run_cli
from liveledger import archive as archive_module
from liveledger import eventlog, history
from liveledger.archive import Archive
from liveledger.errors import DiskFullError, JournalError, ProjectError
from liveledger.load import LoadOptions, load_paths
from liveledger.places import PlaceIndex

SNAPSHOTS = REPO / "tests" / "data" / "snapshots"
OBSERVED = [
    "2019-01-24T06:00:00Z",
    "2019-01-24T11:00:00Z",
    "2019-01-24T16:00:00Z",
    "2019-01-24T19:00:00Z",
    "2019-01-24T21:00:00Z",
]
BLOG_ID = "2019-01-24--caracas--political-crisis-in-venezuela"
RAW_TABLES = ["load_batches", "entry_events", "rejected_input", "retractions"]


def snapshot(index: int) -> Path:
    return sorted(SNAPSHOTS.glob("snapshot-*.txt"))[index]


def load(db: Path, index: int, observed: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(db, "load", str(snapshot(index)), "--observed-at", observed or OBSERVED[index])


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result


def one_error_line(result: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The single error line of a failed command (no traceback), checked and returned."""
    assert result.returncode == code, result.stdout[-2000:] + result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if line.startswith("liveledger: ")]
    assert errors and errors[-1].startswith("liveledger: error: "), result.stderr
    return errors[-1]


def journal_lines(db: Path) -> list[dict[str, str]]:
    journal = db.parent / "archive" / f"{db.stem}.journal.jsonl"
    return [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]


def batch_ids(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(
            r[0] for r in con.execute("select load_batch_id from raw.load_batches").fetchall()
        )
    finally:
        con.close()


def raw_digest(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: hashlib.sha256(
                "\n".join(
                    sorted(map(repr, con.execute(f"select * from raw.{t}").fetchall()))
                ).encode()
            ).hexdigest()
            for t in RAW_TABLES
        }
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# 1. A database that lost committed writes (its .wal) is refused, not loaded on top of.

KILL_AFTER_JOURNAL = """
import os, sys
from liveledger import archive, cli, eventlog
real_connect = eventlog.connect
def connect(path, **kwargs):  # keep the commit in the .wal (no automatic checkpoint)
    con = real_connect(path, **kwargs)
    con.execute("set checkpoint_threshold = '10GB'")
    return con
eventlog.connect = connect
real = archive.Archive.append_many
def append_then_die(self, records):
    real(self, records)
    if records:
        os._exit(9)  # killed after the commit and the journal line, before the checkpoint
archive.Archive.append_many = append_then_die
cli.main(sys.argv[1:])
"""


def test_a_database_that_lost_its_wal_is_refused_and_rebuild_recovers(
    tmp_path: Path,
    places: PlaceIndex,
) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_AFTER_JOURNAL,
            "load",
            str(snapshot(1)),
            "--observed-at",
            OBSERVED[1],
        ],
        cwd=REPO,
        env={**os.environ, "LIVELEDGER_DB": str(db)},
        capture_output=True,
        text=True,
    )
    assert killed.returncode == 9, killed.stderr
    wal = db.with_name(db.name + ".wal")
    assert wal.exists(), "the killed load should have left its commit in the .wal"
    journaled = [r["load_batch_id"] for r in journal_lines(db)]
    assert len(journaled) == 2
    wal.unlink()  # the .wal is lost: the database silently goes back to one load
    assert batch_ids(db) == sorted(journaled[:1])

    line = one_error_line(load(db, 1))
    assert "the database is behind its journal (1 committed loads missing)" in line
    assert "run `liveledger rebuild`" in line
    assert [r["load_batch_id"] for r in journal_lines(db)] == journaled  # nothing re-journaled
    assert batch_ids(db) == sorted(journaled[:1])
    line = one_error_line(run_cli(db, "retract", journaled[0], "--reason", "test"))
    assert "behind its journal" in line
    status = ok(run_cli(db, "status")).stdout
    assert "journal: the database is behind its journal (1 committed loads missing)" in status

    result = history.rebuild(db, places, warn=pytest.fail)
    assert (result.loads, result.duplicates_skipped) == (2, 0)
    assert batch_ids(db) == sorted(journaled)
    ok(load(db, 2))
    assert len(batch_ids(db)) == 3


def test_rebuild_replays_a_load_journaled_twice_once(tmp_path: Path, places: PlaceIndex) -> None:
    """A journal from before this check, where a reload re-journaled the same batch id."""
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    ok(load(db, 1))
    journal = db.parent / "archive" / "w.journal.jsonl"
    with journal.open("a", encoding="utf-8") as handle:
        handle.write(journal.read_text(encoding="utf-8").splitlines()[1] + "\n")
    before = raw_digest(db)
    result = history.rebuild(db, places, warn=pytest.fail)
    assert (result.loads, result.duplicates_skipped) == (2, 1)
    assert raw_digest(db) == before


# 2. A torn last journal line (a kill while appending) is cut off; a bad middle line is an error.


def test_a_torn_last_journal_line_is_cut_off_and_journaled_again(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    ok(load(db, 1))
    journal = db.parent / "archive" / "w.journal.jsonl"
    whole = journal.read_bytes()
    second = whole.splitlines()[1]
    journal.write_bytes(whole[:-40])  # the append of the second load was cut short
    loaded = ok(load(db, 2))
    warnings = [line for line in loaded.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and str(journal) in warnings[0]
    assert "cut short" in warnings[0] and "journaled again from the database" in warnings[0]
    torn = journal.with_name(journal.name + ".torn")
    assert torn.read_bytes() == second[:-39] + b"\n"  # the cut text is kept
    assert sorted(r["load_batch_id"] for r in journal_lines(db)) == batch_ids(db)
    assert len(batch_ids(db)) == 3
    ok(run_cli(db, "retract", batch_ids(db)[0], "--reason", "the journal works again"))


def test_a_whole_last_line_without_its_newline_is_kept(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    journal = db.parent / "archive" / "w.journal.jsonl"
    journal.write_bytes(journal.read_bytes().rstrip(b"\n"))
    loaded = ok(load(db, 1))
    assert "warning" not in loaded.stderr
    assert len(journal_lines(db)) == 2


def test_a_bad_line_in_the_middle_of_the_journal_is_an_error_with_its_number(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    ok(load(db, 1))
    journal = db.parent / "archive" / "w.journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    journal.write_text(lines[0][:30] + "\n" + lines[1] + "\n", encoding="utf-8")
    before = journal.read_bytes()
    # a load reads only the last line when the counts agree; rebuild reads every line
    line = one_error_line(run_cli(db, "rebuild"))
    assert f"{journal}:1: not a journal record" in line
    assert journal.read_bytes() == before
    with pytest.raises(JournalError, match=":1: not a journal record"):
        Archive(db).records()
    # once the counts disagree (here: a line recorded twice) a load reads every line too
    journal.write_text(lines[0][:30] + "\n" + lines[1] + "\n" + lines[1] + "\n", encoding="utf-8")
    line = one_error_line(load(db, 2))
    assert f"{journal}:1: not a journal record" in line


# 3. A damaged database, a non-DuckDB file or a directory: one line from every command.


def _damage(db: Path, how: str) -> None:
    if how == "directory":
        db.mkdir()
    elif how == "not-duckdb":
        db.write_text("this is not a database\n", encoding="utf-8")
    else:  # cut short, as by a copy that ran out of space
        ok(load(db, 0))
        db.write_bytes(db.read_bytes()[:20_000])


@pytest.mark.parametrize("how", ["truncated", "not-duckdb", "directory"])
@pytest.mark.parametrize(
    "command", [["status"], ["load", "SNAPSHOT"], ["build"], ["publish"], ["summary"], ["report"]]
)
def test_an_unreadable_database_is_one_line_for_every_command(
    tmp_path: Path,
    how: str,
    command: list[str],
) -> None:
    db = tmp_path / "w.duckdb"
    _damage(db, how)
    args = [str(snapshot(1)) if a == "SNAPSHOT" else a for a in command]
    line = one_error_line(run_cli(db, *args))
    if how == "directory":
        assert "is a directory, not a DuckDB database file: check --db" in line
    else:
        assert "is not a readable DuckDB database" in line and "liveledger rebuild" in line


def test_rebuild_sets_a_damaged_database_aside_and_keeps_every_backup(
    tmp_path: Path,
    places: PlaceIndex,
) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    ok(load(db, 1))
    before = raw_digest(db)
    db.write_bytes(db.read_bytes()[:20_000])
    damaged = sha(db)
    rebuilt = ok(run_cli(db, "rebuild"))
    first = tmp_path / "w.duckdb.before-rebuild"
    assert "could not be read" in rebuilt.stderr and f"moved it to {first}" in rebuilt.stderr
    assert "2 loads, 0 retractions replayed" in rebuilt.stdout
    assert f"the unreadable previous file is kept as {first}" in rebuilt.stdout
    assert sha(first) == damaged
    assert raw_digest(db) == before
    ok(run_cli(db, "status"))
    # a second and a third rebuild keep the earlier backups
    second_result = history.rebuild(db, places, warn=pytest.fail)
    assert second_result.previous == tmp_path / "w.duckdb.before-rebuild.1"
    third_result = history.rebuild(db, places, warn=pytest.fail)
    assert third_result.previous == tmp_path / "w.duckdb.before-rebuild.2"
    assert sha(first) == damaged
    assert raw_digest(tmp_path / "w.duckdb.before-rebuild.1") == before
    assert raw_digest(db) == before


def test_rebuild_of_a_directory_moves_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.mkdir()
    line = one_error_line(run_cli(db, "rebuild"))
    assert "is a directory" in line
    assert db.is_dir() and not (tmp_path / "w.duckdb.before-rebuild").exists()


# 5. An observation older than the blog's latest is refused.


def test_an_observed_at_before_the_blogs_latest_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 3))  # 19:00 UTC
    before = raw_digest(db)
    line = one_error_line(load(db, 2), code=2)  # the 16:00 snapshot, loaded after it
    assert f"earlier than the latest observation of blog {BLOG_ID}" in line
    assert "2019-01-24T19:00:00Z" in line and "--observed-at 2019-01-24T16:00:00Z" in line
    assert raw_digest(db) == before
    # the same instant is not earlier; another blog has its own latest observation
    other = tmp_path / "other.txt"
    other.write_text(blog("1 p.m.\nOne entry.", "noon\nAnother."), encoding="utf-8")
    ok(run_cli(db, "load", str(other), "--observed-at", "2019-01-24T01:00:00Z"))
    # once the later load is retracted, the earlier snapshot is the latest again
    ok(run_cli(db, "retract", batch_ids_of(db, snapshot(3))[0], "--reason", "test"))
    ok(load(db, 2))


def batch_ids_of(db: Path, path: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [
            r[0]
            for r in con.execute(
                "select load_batch_id from raw.load_batches where source_path = ?", [str(path)]
            ).fetchall()
        ]
    finally:
        con.close()


# 6. A full disk: one line, nothing lost, no .partial left behind.


def _no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_while_archiving_loses_nothing_and_leaves_no_partial(
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "w.duckdb"
    load_paths(db, [snapshot(0)], LoadOptions(observed_at=dt.datetime(2019, 1, 24, 6)), places)
    before = raw_digest(db)
    monkeypatch.setattr(archive_module.os, "fsync", _no_space)
    with pytest.raises(DiskFullError, match="disk full.*nothing lost.*run the same command"):
        load_paths(db, [snapshot(1)], LoadOptions(observed_at=dt.datetime(2019, 1, 24, 11)), places)
    monkeypatch.undo()
    assert not list((tmp_path / "archive").glob(".*partial"))
    assert raw_digest(db) == before
    (again,) = load_paths(
        db, [snapshot(1)], LoadOptions(observed_at=dt.datetime(2019, 1, 24, 11)), places
    )
    assert again.status == "loaded"


def test_disk_full_while_journaling_keeps_the_commit_and_journals_it_next_time(
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "w.duckdb"
    journal = tmp_path / "archive" / "w.journal.jsonl"
    real_append = Archive.append_many

    def append_out_of_space(self: Archive, records: list[archive_module.Record]) -> None:
        if not records:
            return real_append(self, records)
        monkeypatch.setattr(archive_module.os, "fsync", _no_space)  # the line is written, then
        try:
            real_append(self, records)
        finally:
            monkeypatch.setattr(archive_module.os, "fsync", os.fsync)

    monkeypatch.setattr(Archive, "append_many", append_out_of_space)
    with pytest.raises(DiskFullError):
        load_paths(db, [snapshot(0)], LoadOptions(observed_at=dt.datetime(2019, 1, 24, 6)), places)
    monkeypatch.undo()
    assert len(batch_ids(db)) == 1  # the commit stands
    assert journal.read_bytes() == b""  # the failed append was cut back off: no torn line
    load_paths(db, [snapshot(1)], LoadOptions(observed_at=dt.datetime(2019, 1, 24, 11)), places)
    assert sorted(r["load_batch_id"] for r in journal_lines(db)) == batch_ids(db)
    assert len(batch_ids(db)) == 2 and journal.read_bytes().endswith(b"\n")


def test_disk_full_inside_duckdb_is_the_same_line(
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "w.duckdb"

    def commit_fails(*args: object, **kwargs: object) -> None:
        raise duckdb.IOException(
            f'IO Error: Could not write file "{db}.wal": No space left on device'
        )

    monkeypatch.setattr(eventlog, "append_many", commit_fails)
    with pytest.raises(DiskFullError, match="nothing lost"):
        load_paths(db, [snapshot(0)], LoadOptions(), places)


DISK_FULL_CLI = """
import errno, os, sys
from liveledger import archive, cli
def no_space(fd):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
archive.os.fsync = no_space
sys.exit(cli.main(sys.argv[1:]))
"""


def test_disk_full_through_the_cli(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = subprocess.run(
        [sys.executable, "-c", DISK_FULL_CLI, "load", str(snapshot(0))],
        cwd=REPO,
        env={**os.environ, "LIVELEDGER_DB": str(db)},
        capture_output=True,
        text=True,
    )
    line = one_error_line(result, code=1)
    assert "disk full" in line and "nothing lost" in line and "run the same command again" in line
    assert not list((tmp_path / "archive").glob(".*partial"))
    ok(run_cli(db, "load", str(snapshot(0))))


def test_a_stale_partial_of_a_dead_process_is_swept(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    stale = tmp_path / "archive" / f".{'0' * 64}.{dead}.partial"
    stale.write_bytes(b"half a file")
    ok(load(db, 1))
    assert not stale.exists()


# 7. A damaged or missing archive blob is repaired by loading the file again.


def test_reloading_a_file_repairs_its_damaged_or_missing_blob(
    tmp_path: Path,
    places: PlaceIndex,
) -> None:
    db = tmp_path / "w.duckdb"
    ok(load(db, 0))
    blob = tmp_path / "archive" / sha(snapshot(0))
    blob.write_bytes(b"bit rot")
    with pytest.raises(ProjectError, match="is damaged.*load the original file again"):
        history.rebuild(db, places, warn=pytest.fail)
    assert blob.read_bytes() == b"bit rot" and db.exists()
    again = ok(load(db, 0))
    assert f"archive blob {blob} was damaged" in again.stdout + again.stderr
    assert "rewrote it from this file" in again.stdout + again.stderr
    assert "already loaded" in again.stdout
    assert sha(blob) == blob.name
    blob.unlink()
    again = ok(load(db, 0))
    assert f"archive blob {blob} was missing; rewrote it" in again.stdout + again.stderr
    assert sha(blob) == blob.name
    quiet = ok(load(db, 0))
    assert "archive blob" not in quiet.stdout + quiet.stderr
    assert history.rebuild(db, places, warn=pytest.fail).loads == 1


def test_the_quick_agreement_check_never_hides_an_unjournaled_commit(
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Equal counts are not enough: the journal's last line must be the newest write.

    Journal A, B, B (a batch journaled twice) against database A, B, C (C
    committed, then the process died before journaling it) have equal counts
    and a last line the database holds; C must still be journaled.
    """
    db = tmp_path / "w.duckdb"
    for index in (0, 1):
        load_paths(
            db,
            [snapshot(index)],
            LoadOptions(observed_at=dt.datetime.fromisoformat(OBSERVED[index][:-1])),
            places,
        )
    journal = tmp_path / "archive" / "w.journal.jsonl"
    journal.write_bytes(journal.read_bytes() + journal.read_bytes().splitlines(True)[1])
    real_append = Archive.append_many
    monkeypatch.setattr(
        Archive,
        "append_many",
        lambda self, records: None if records else real_append(self, records),
    )  # died before journaling C
    load_paths(
        db,
        [snapshot(2)],
        LoadOptions(observed_at=dt.datetime.fromisoformat(OBSERVED[2][:-1])),
        places,
    )
    monkeypatch.undo()
    assert len(journal_lines(db)) == len(batch_ids(db)) == 3
    con = eventlog.connect(db)
    try:
        Archive(db).reconcile(con, require_current=True)
    finally:
        con.close()
    assert {r["load_batch_id"] for r in journal_lines(db)} == set(batch_ids(db))
    result = history.rebuild(db, places, warn=pytest.fail)
    assert (result.loads, result.duplicates_skipped) == (3, 1)
