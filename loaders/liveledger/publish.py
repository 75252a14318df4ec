"""Publish the marts as a read-only snapshot for analysts and BI tools.

A process that opens the warehouse, even read-only, blocks the next scheduled
load or build (DuckDB allows a writer only when nobody else has the file
open). So readers get their own files instead: after a build, ``publish``
copies every ``marts.*`` table into

- ``marts.duckdb``: one DuckDB file with the same tables and their
  descriptions in its default schema, so ``marts.fct_entries`` means the
  same table in the snapshot (catalog ``marts``) as in the warehouse
  (schema ``marts``), and
- ``parquet/<table>.parquet``: one Parquet file per table.

Each file is written under a temporary name, made read-only, flushed to disk
and renamed into place, so a reader sees either the previous snapshot or the
new one, never a half-written file. A reader that has the old file open keeps
reading it undisturbed; it sees the new snapshot when it reconnects. Nothing
here ever writes the warehouse itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import eventlog
from .errors import ProjectError

SNAPSHOT_NAME = "marts.duckdb"
PARQUET_DIR = "parquet"
_SNAPSHOT_ALIAS = "published"


@dataclass(frozen=True)
class PublishedTable:
    name: str
    rows: int
    parquet_path: Path


@dataclass(frozen=True)
class Publication:
    """What one ``publish`` wrote."""

    database_path: Path
    parquet_dir: Path
    tables: tuple[PublishedTable, ...]


def default_out_dir(db_path: Path) -> Path:
    """``published/`` beside the warehouse: ``warehouse/published/`` by default."""
    return db_path.parent / "published"


def publish_marts(db_path: Path, out_dir: Path) -> Publication:
    """Copy every table of schema ``marts`` into a fresh snapshot in ``out_dir``.

    The caller holds the warehouse lock, so no build changes the marts while
    they are copied and no other ``publish`` writes ``out_dir`` at the same time.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    parquet_dir = out_dir / PARQUET_DIR
    parquet_dir.mkdir(exist_ok=True)
    _remove_leftovers(out_dir, parquet_dir)  # from a publish that was killed

    con = eventlog.connect(db_path, read_only=True)
    try:
        tables = [row[0] for row in con.execute(
            """
            select table_name from information_schema.tables
            where table_catalog = current_database() and table_schema = 'marts'
            order by table_name
            """).fetchall()]
        if not tables:
            raise ProjectError(
                f"nothing to publish: {db_path} has no marts yet; run liveledger build first")
        temporary = out_dir / f".{SNAPSHOT_NAME}.{os.getpid()}.tmp"
        con.execute(f"attach {_literal(temporary)} as {_SNAPSHOT_ALIAS} (read_only false)")
        try:
            published = [_copy_table(con, name, parquet_dir) for name in tables]
        finally:
            con.execute(f"detach {_SNAPSHOT_ALIAS}")
    finally:
        con.close()

    for table in published:
        _install(table.parquet_path.with_name(f".{table.parquet_path.name}.tmp"),
                 table.parquet_path)
    database_path = out_dir / SNAPSHOT_NAME
    _install(temporary, database_path)
    current = {table.parquet_path.name for table in published}
    for stale in parquet_dir.glob("*.parquet"):
        if stale.name not in current:  # a mart that no longer exists
            stale.unlink()
    _fsync_directory(parquet_dir)
    _fsync_directory(out_dir)
    return Publication(database_path, parquet_dir, tuple(published))


def _copy_table(con: duckdb.DuckDBPyConnection, name: str, parquet_dir: Path) -> PublishedTable:
    """Copy one mart into the attached snapshot and a Parquet file, with its docs."""
    source = f"marts.{_identifier(name)}"
    target = f"{_SNAPSHOT_ALIAS}.main.{_identifier(name)}"
    con.execute(f"create table {target} as select * from {source}")
    table_comment = con.execute(
        """
        select comment from duckdb_tables()
        where database_name = current_database() and schema_name = 'marts'
          and table_name = ?
        """, [name]).fetchone()
    if table_comment and table_comment[0]:
        con.execute(f"comment on table {target} is {_literal(table_comment[0])}")
    for column, comment in con.execute(
        """
        select column_name, comment from duckdb_columns()
        where database_name = current_database() and schema_name = 'marts'
          and table_name = ? and comment is not null
        """, [name]).fetchall():
        con.execute(f"comment on column {target}.{_identifier(column)} is {_literal(comment)}")
    parquet_path = parquet_dir / f"{name}.parquet"
    temporary = parquet_path.with_name(f".{parquet_path.name}.tmp")
    con.execute(f"copy {target} to {_literal(temporary)} (format parquet)")
    rows = con.execute(f"select count(*) from {target}").fetchone()
    return PublishedTable(name, int(rows[0]) if rows else 0, parquet_path)


def _install(temporary: Path, final: Path) -> None:
    """Make ``temporary`` read-only and durable, then atomically put it at ``final``."""
    temporary.chmod(0o444)
    descriptor = os.open(temporary, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, final)


def _remove_leftovers(out_dir: Path, parquet_dir: Path) -> None:
    for folder in (out_dir, parquet_dir):
        for leftover in folder.glob(".*.tmp*"):  # also a DuckDB ".tmp.wal"
            leftover.unlink()


def _fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"
