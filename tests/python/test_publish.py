"""``liveledger publish``: a read-only snapshot of the marts that never blocks a load.

The warehouse here is made directly in DuckDB (raw schema from the loader,
two small marts tables with descriptions), so these tests need no dbt build;
the concurrency test publishes a real build.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import SAMPLE
from liveledger import eventlog, publish
from liveledger.errors import ProjectError
from test_cli import assert_user_error, run
from test_lock import holder, lock_holder, release


def make_warehouse(db: Path, entries: int = 3) -> None:
    con = duckdb.connect(str(db))
    try:
        eventlog.ensure_schema(con)
        con.execute("create schema marts")
        con.execute(f"""
            create table marts.fct_entries as
            select 'entry-' || i as entry_id, 'it''s "quoted"; drop table x' as body
            from range({entries}) as t (i)""")
        con.execute("comment on table marts.fct_entries is 'One row per entry.'")
        con.execute("comment on column marts.fct_entries.entry_id is 'Stable id of an entry.'")
        con.execute("create table marts.dim_actors as select 'a' as actor_id")
    finally:
        con.close()


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_publish_copies_every_mart_with_its_docs(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    done = publish.publish_marts(db, tmp_path / "out")
    assert [(t.name, t.rows) for t in done.tables] == [("dim_actors", 1), ("fct_entries", 3)]
    snapshot = tmp_path / "out" / "marts.duckdb"
    assert done.database_path == snapshot
    assert rows(snapshot, "select * from marts.fct_entries order by entry_id") == rows(
        db, "select * from marts.fct_entries order by entry_id"
    )
    assert rows(
        snapshot, "select comment from duckdb_tables() where table_name = 'fct_entries'"
    ) == [("One row per entry.",)]
    assert rows(
        snapshot, "select comment from duckdb_columns() where column_name = 'entry_id'"
    ) == [("Stable id of an entry.",)]
    assert rows(snapshot, "select schema_name, table_name from duckdb_tables() order by 2") == [
        ("main", "dim_actors"),
        ("main", "fct_entries"),
    ]  # the raw event log is not published
    parquet = tmp_path / "out" / "parquet" / "fct_entries.parquet"
    assert rows(db, f"select * from read_parquet('{parquet}') order by entry_id") == rows(
        db, "select * from marts.fct_entries order by entry_id"
    )
    published = [snapshot, *sorted((tmp_path / "out" / "parquet").iterdir())]
    assert [p.name for p in published] == [
        "marts.duckdb",
        "dim_actors.parquet",
        "fct_entries.parquet",
    ]
    for path in published:
        assert stat.S_IMODE(path.stat().st_mode) == 0o444, path
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        ".liveledger-publish",
        "current",
        "marts.duckdb",
        "parquet",
        "snapshots",
    ]
    # readers' stable paths lead through the one link a publish switches
    assert os.readlink(out / "marts.duckdb") == "current/marts.duckdb"
    assert os.readlink(out / "parquet") == "current/parquet"
    assert (out / "current").resolve() == done.version_dir
    assert [p.name for p in (out / "snapshots").iterdir()] == [done.version_dir.name]


def test_republish_replaces_the_snapshot_under_an_open_reader(tmp_path: Path) -> None:
    """A BI tool connected to the snapshot keeps its view; new connections see the new one."""
    db = tmp_path / "w.duckdb"
    make_warehouse(db, entries=3)
    publish.publish_marts(db, tmp_path / "out")
    snapshot = tmp_path / "out" / "marts.duckdb"
    reader = duckdb.connect(str(snapshot), read_only=True)
    try:
        con = duckdb.connect(str(db))
        con.execute("insert into marts.fct_entries values ('entry-new', 'new')")
        con.execute("drop table marts.dim_actors")
        con.close()
        done = publish.publish_marts(db, tmp_path / "out")
        assert [t.name for t in done.tables] == ["fct_entries"]
        assert reader.execute("select count(*) from marts.fct_entries").fetchone() == (3,)
    finally:
        reader.close()
    assert rows(snapshot, "select count(*) from marts.fct_entries") == [(4,)]
    assert sorted(p.name for p in (tmp_path / "out" / "parquet").iterdir()) == [
        "fct_entries.parquet"
    ]  # the dropped mart's file is gone too


def test_only_the_current_and_the_previous_version_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    done = [publish.publish_marts(db, tmp_path / "out") for _ in range(4)]
    assert sorted(p.name for p in (tmp_path / "out" / "snapshots").iterdir()) == sorted(
        d.version_dir.name for d in done[-2:]
    )


def test_leftovers_of_a_killed_publish_are_cleaned_up(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    out = tmp_path / "out"
    publish.publish_marts(db, out)
    partial = out / "snapshots" / ".20190124T000000000000Z-999.partial"
    (partial / "parquet").mkdir(parents=True)
    leftovers = [
        partial / "marts.duckdb",
        partial / "marts.duckdb.wal",
        partial / "parquet" / "fct_entries.parquet",
        out / ".current.999.tmp",
    ]
    for path in leftovers:
        path.write_bytes(b"half written")
    publish.publish_marts(db, out)
    assert not any(path.exists() for path in leftovers)
    assert not partial.exists()


def test_a_folder_of_an_older_unversioned_publish_is_taken_over(tmp_path: Path) -> None:
    """Before versions, publish wrote marts.duckdb and parquet/*.parquet (read-only) straight
    into the folder; an upgrade replaces exactly those and keeps readers' paths working."""
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    out = tmp_path / "out"
    (out / "parquet").mkdir(parents=True)
    for path in (
        out / "marts.duckdb",
        out / "parquet" / "fct_entries.parquet",
        out / "parquet" / "old_mart.parquet",
    ):
        path.write_bytes(b"old")
        path.chmod(0o444)
    (out / ".marts.duckdb.42.tmp").write_bytes(b"killed")
    publish.publish_marts(db, out)
    assert rows(out / "marts.duckdb", "select count(*) from fct_entries") == [(3,)]
    assert sorted(p.name for p in (out / "parquet").iterdir()) == [
        "dim_actors.parquet",
        "fct_entries.parquet",
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        ".liveledger-publish",
        "current",
        "marts.duckdb",
        "parquet",
        "snapshots",
    ]
    assert [p.name for p in (out / "snapshots").iterdir()] == [
        (out / "current").resolve().name
    ]  # the moved-aside old parquet/ is gone


class Killed(Exception):
    """Stands in for SIGKILL at one step of a publish."""


def snapshot_state(out: Path) -> tuple[object, ...]:
    """Entries as every reader path sees them: the DuckDB file and each Parquet file."""
    seen = [rows(out / "marts.duckdb", "select count(*) from fct_entries")[0][0]]
    seen.append(len(rows(out / "marts.duckdb", "select * from dim_actors")))
    for parquet in sorted((out / "parquet").glob("*.parquet")):
        seen.append(
            rows(out / "marts.duckdb", f"select count(*) from read_parquet('{parquet}')")[0][0]
        )
    return tuple(seen)


def test_a_publish_killed_at_any_step_leaves_the_old_or_the_new_snapshot_whole(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every rename, link and delete of a publish is a point it can be killed at. Kill it at
    each in turn: every reader path then shows entirely the old snapshot or entirely the new
    one, and the next publish completes from there."""
    db = tmp_path / "w.duckdb"
    make_warehouse(db, entries=3)
    out = tmp_path / "out"
    publish.publish_marts(db, out)
    publish.publish_marts(db, out)
    old = snapshot_state(out)
    con = duckdb.connect(str(db))
    con.execute("insert into marts.fct_entries values ('entry-new', 'new')")
    con.execute("insert into marts.dim_actors values ('b')")
    con.close()
    states = set()
    real = {name: getattr(os, name) for name in ("rename", "replace", "symlink", "unlink", "rmdir")}
    for step in range(1, 100):
        calls = 0

        def step_then_die(name: str, step: int = step) -> Callable[..., Any]:
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                nonlocal calls
                calls += 1
                if calls == step:
                    raise Killed(f"killed at step {step} ({name} {args[0]})")
                return real[name](*args, **kwargs)

            return wrapped

        for name in real:
            monkeypatch.setattr(os, name, step_then_die(name))
        try:
            publish.publish_marts(db, out)
            finished = True
        except Killed:
            finished = False
        finally:
            for name, function in real.items():
                monkeypatch.setattr(os, name, function)
        state = snapshot_state(out)
        assert state in (old, (4, 2, 2, 4)), (step, state)
        states.add(state)
        if finished:
            break
        publish.publish_marts(db, out)  # the next run recovers ...
        assert snapshot_state(out) == (4, 2, 2, 4)
        shutil.rmtree(out)  # ... and the next step starts from the old snapshot again,
        con = duckdb.connect(str(db))  # published twice so that a version is pruned too
        con.execute("delete from marts.fct_entries where entry_id = 'entry-new'")
        con.execute("delete from marts.dim_actors where actor_id = 'b'")
        con.close()
        publish.publish_marts(db, out)
        publish.publish_marts(db, out)
        con = duckdb.connect(str(db))
        con.execute("insert into marts.fct_entries values ('entry-new', 'new')")
        con.execute("insert into marts.dim_actors values ('b')")
        con.close()
    assert finished and step > 6  # rename, link, switch, prune: every step was a kill point
    assert states == {old, (4, 2, 2, 4)}  # killed before the switch: old; after it: new


def test_nothing_to_publish_before_a_build(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = duckdb.connect(str(db))
    eventlog.ensure_schema(con)
    con.close()
    with pytest.raises(ProjectError, match="run liveledger build first"):
        publish.publish_marts(db, tmp_path / "out")


def test_cli_publish_defaults_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    result = run("publish", db=db)
    assert result.returncode == 0, result.stderr
    assert f"to {tmp_path / 'published' / 'marts.duckdb'}" in result.stdout
    assert "fct_entries (3 rows)" in result.stdout
    other = run("publish", "--out", str(tmp_path / "elsewhere"), db=db)
    assert other.returncode == 0, other.stderr
    assert (tmp_path / "elsewhere" / "parquet" / "dim_actors.parquet").exists()


def test_cli_publish_waits_for_a_writer(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    with holder(lock_holder(db, "build")) as process:
        result = run("--lock-timeout", "0", "publish", db=db)
        assert_user_error(result, f"is locked by PID {process.pid} (liveledger build")
        release(process)
    assert not (tmp_path / "published").exists()


def test_cli_publish_without_a_warehouse(tmp_path: Path) -> None:
    assert_user_error(run("publish", db=tmp_path / "none.duckdb"), "no warehouse at")
    assert not (tmp_path / "none.duckdb").exists()


def test_a_reader_of_the_snapshot_never_blocks_a_load(tmp_path: Path) -> None:
    """The promise behind publish: loads and publishes run while BI tools read."""
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    assert run("publish", db=db).returncode == 0
    reader = duckdb.connect(str(tmp_path / "published" / "marts.duckdb"), read_only=True)
    try:
        loaded = run("--lock-timeout", "0", "load", str(SAMPLE), db=db)
        assert loaded.returncode == 0, loaded.stderr
        again = run("--lock-timeout", "0", "publish", db=db)
        assert again.returncode == 0, again.stderr
        assert reader.execute("select count(*) from marts.fct_entries").fetchone() == (3,)
    finally:
        reader.close()
    assert os.access(tmp_path / "published" / "marts.duckdb", os.R_OK)
