"""``liveledger publish``: a read-only snapshot of the marts that never blocks a load.

The warehouse here is made directly in DuckDB (raw schema from the loader,
two small marts tables with descriptions), so these tests need no dbt build;
the concurrency test publishes a real build.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
        db, "select * from marts.fct_entries order by entry_id")
    assert rows(snapshot, "select comment from duckdb_tables() where table_name = 'fct_entries'"
                ) == [("One row per entry.",)]
    assert rows(snapshot, "select comment from duckdb_columns() where column_name = 'entry_id'"
                ) == [("Stable id of an entry.",)]
    assert rows(snapshot, "select schema_name, table_name from duckdb_tables() order by 2") == [
        ("main", "dim_actors"), ("main", "fct_entries")]  # the raw event log is not published
    parquet = tmp_path / "out" / "parquet" / "fct_entries.parquet"
    assert rows(db, f"select * from read_parquet('{parquet}') order by entry_id") == rows(
        db, "select * from marts.fct_entries order by entry_id")
    published = [snapshot, *sorted((tmp_path / "out" / "parquet").iterdir())]
    assert [p.name for p in published] == ["marts.duckdb", "dim_actors.parquet",
                                           "fct_entries.parquet"]
    for path in published:
        assert stat.S_IMODE(path.stat().st_mode) == 0o444, path
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["marts.duckdb", "parquet"]


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
        "fct_entries.parquet"]  # the dropped mart's file is gone too


def test_leftovers_of_a_killed_publish_are_cleaned_up(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    make_warehouse(db)
    (tmp_path / "out" / "parquet").mkdir(parents=True)
    leftovers = [tmp_path / "out" / ".marts.duckdb.999.tmp",
                 tmp_path / "out" / ".marts.duckdb.999.tmp.wal",
                 tmp_path / "out" / "parquet" / ".fct_entries.parquet.tmp"]
    for path in leftovers:
        path.write_bytes(b"half written")
    publish.publish_marts(db, tmp_path / "out")
    assert not any(path.exists() for path in leftovers)


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
