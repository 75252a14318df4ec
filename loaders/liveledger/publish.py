"""Publish the marts as a read-only snapshot for analysts and BI tools.

A process that opens the warehouse, even read-only, blocks the next scheduled
load or build (DuckDB allows a writer only when nobody else has the file
open). So readers get their own files instead: after a build, ``publish``
copies every ``marts.*`` table into a new *version* of the snapshot,

- ``marts.duckdb``: one DuckDB file with the same tables and their
  descriptions in its default schema, so ``marts.fct_entries`` means the
  same table in the snapshot (catalog ``marts``) as in the warehouse
  (schema ``marts``), and
- ``parquet/<table>.parquet``: one Parquet file per table,

and then switches to it at once. The publish folder looks like this::

    .liveledger-publish          marker: this folder is publish's own
    current -> snapshots/<v>     the one symlink that is switched
    marts.duckdb -> current/marts.duckdb      stable paths for readers
    parquet -> current/parquet
    snapshots/<v>/marts.duckdb, snapshots/<v>/parquet/<table>.parquet

A version is written under a hidden ``.partial`` name, made read-only,
flushed to disk and renamed into ``snapshots/``; then ``current`` is replaced
by one atomic rename. A reader therefore sees the whole previous snapshot or
the whole new one, never a mix, whatever moment a publish is killed at.
The previous version is kept (a reader that resolved the path just before
the switch still finds its file); older ones are deleted. A reader that has
the old file open keeps reading it undisturbed; it sees the new snapshot when
it reconnects.

Publish deletes only what it wrote: it writes only into a folder it owns
(new, empty, or marked by an earlier publish; see ``owned``). Nothing here
ever writes the warehouse itself.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb

from . import eventlog, owned
from .errors import ForeignFolderError, ProjectError

MARKER = ".liveledger-publish"
SNAPSHOT_NAME = "marts.duckdb"
PARQUET_DIR = "parquet"
CURRENT = "current"
VERSIONS_DIR = "snapshots"
_SNAPSHOT_ALIAS = "published"
_VERSION = re.compile(r"\A[0-9]{8}T[0-9]{12}Z-[0-9]+\Z")
_TEMPORARY_LINK = re.compile(r"\A\.(current|marts\.duckdb|parquet)\.[0-9]+(\.link)?\.tmp\Z")
_OLD_LEFTOVER = re.compile(r"\A\.marts\.duckdb\.[0-9]+\.tmp(\.wal)?\Z")  # before versions


@dataclass(frozen=True)
class PublishedTable:
    name: str
    rows: int
    parquet_path: Path


@dataclass(frozen=True)
class Publication:
    """What one ``publish`` wrote: stable reader paths and the version behind them."""

    database_path: Path
    parquet_dir: Path
    version_dir: Path
    tables: tuple[PublishedTable, ...]


def default_out_dir(db_path: Path) -> Path:
    """``published/`` beside the warehouse: ``warehouse/published/`` by default."""
    return db_path.parent / "published"


def claim_out_dir(out_dir: Path) -> None:
    """Check (and mark) ``out_dir`` as publish's own before anything is written.

    ``run`` calls this first, so a publish folder that holds other files
    fails the run before the inbox is touched.
    """
    owned.claim(out_dir, MARKER, "publish", adopt=_is_unversioned_snapshot)


def publish_marts(db_path: Path, out_dir: Path, *, read_only: bool = True) -> Publication:
    """Copy every table of schema ``marts`` into a new version in ``out_dir`` and switch to it.

    The caller holds the warehouse lock, so no build changes the marts while
    they are copied and no other ``publish`` writes ``out_dir`` at the same
    time. ``read_only`` must match the connection the caller's lock holds:
    DuckDB refuses a second connection to one file with other settings in
    the same process (``run`` holds a read-write one for its load and build).
    """
    claim_out_dir(out_dir)
    versions = out_dir / VERSIONS_DIR
    if versions.is_symlink() or (versions.exists() and not versions.is_dir()):
        raise ForeignFolderError(
            f"{versions} is not the folder publish keeps its versions in; move it away"
        )
    versions.mkdir(exist_ok=True)
    _remove_leftovers(out_dir, versions)  # from a publish that was killed

    name = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%fZ}-{os.getpid()}"
    partial = versions / f".{name}.partial"
    (partial / PARQUET_DIR).mkdir(parents=True)
    tables = _write_version(db_path, partial, read_only)
    for path in [partial / SNAPSHOT_NAME, *(partial / PARQUET_DIR).iterdir()]:
        _make_durable_read_only(path)
    owned.fsync_directory(partial / PARQUET_DIR)
    owned.fsync_directory(partial)
    version = versions / name
    os.rename(partial, version)
    owned.fsync_directory(versions)

    previous = _current_version(out_dir)
    _switch(out_dir, f"{VERSIONS_DIR}/{name}")
    _link_stable_paths(out_dir)
    for old in versions.iterdir():
        if _VERSION.match(old.name) and old.name not in (name, previous):
            _remove_version(old)
    return Publication(
        out_dir / SNAPSHOT_NAME,
        out_dir / PARQUET_DIR,
        version,
        tuple(
            PublishedTable(t, rows, out_dir / PARQUET_DIR / f"{t}.parquet") for t, rows in tables
        ),
    )


def _write_version(db_path: Path, folder: Path, read_only: bool) -> list[tuple[str, int]]:
    con = eventlog.connect(db_path, read_only=read_only)
    try:
        tables = [
            row[0]
            for row in con.execute(
                """
            select table_name from information_schema.tables
            where table_catalog = current_database() and table_schema = 'marts'
            order by table_name
            """
            ).fetchall()
        ]
        if not tables:
            raise ProjectError(
                f"nothing to publish: {db_path} has no marts yet; run liveledger build first"
            )
        con.execute(
            f"attach {_literal(folder / SNAPSHOT_NAME)} as {_SNAPSHOT_ALIAS} (read_only false)"
        )
        try:
            return [_copy_table(con, table, folder / PARQUET_DIR) for table in tables]
        finally:
            con.execute(f"detach {_SNAPSHOT_ALIAS}")
    finally:
        con.close()


def _copy_table(con: duckdb.DuckDBPyConnection, name: str, parquet_dir: Path) -> tuple[str, int]:
    """Copy one mart into the attached snapshot and a Parquet file, with its docs."""
    source = f"marts.{_identifier(name)}"
    target = f"{_SNAPSHOT_ALIAS}.main.{_identifier(name)}"
    con.execute(f"create table {target} as select * from {source}")
    table_comment = con.execute(
        """
        select comment from duckdb_tables()
        where database_name = current_database() and schema_name = 'marts'
          and table_name = ?
        """,
        [name],
    ).fetchone()
    if table_comment and table_comment[0]:
        con.execute(f"comment on table {target} is {_literal(table_comment[0])}")
    for column, comment in con.execute(
        """
        select column_name, comment from duckdb_columns()
        where database_name = current_database() and schema_name = 'marts'
          and table_name = ? and comment is not null
        """,
        [name],
    ).fetchall():
        con.execute(f"comment on column {target}.{_identifier(column)} is {_literal(comment)}")
    con.execute(f"copy {target} to {_literal(parquet_dir / f'{name}.parquet')} (format parquet)")
    rows = con.execute(f"select count(*) from {target}").fetchone()
    return name, int(rows[0]) if rows else 0


def _make_durable_read_only(path: Path) -> None:
    path.chmod(0o444)
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _current_version(out_dir: Path) -> str | None:
    try:
        return Path(os.readlink(out_dir / CURRENT)).name
    except OSError:
        return None


def _switch(out_dir: Path, target: str) -> None:
    """Point ``current`` at ``target`` with one atomic rename: the moment readers switch."""
    temporary = out_dir / f".{CURRENT}.{os.getpid()}.tmp"
    owned.remove_file(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, out_dir / CURRENT)
    owned.fsync_directory(out_dir)


def _link_stable_paths(out_dir: Path) -> None:
    """``marts.duckdb`` and ``parquet`` point through ``current``; made once, never switched.

    A folder written before versions existed holds a real ``marts.duckdb``
    and ``parquet/`` there: the file is replaced by the link atomically, the
    folder is moved aside first (a rename cannot replace a folder by a link).
    """
    for name in (SNAPSHOT_NAME, PARQUET_DIR):
        path = out_dir / name
        target = f"{CURRENT}/{name}"
        if path.is_symlink() and os.readlink(path) == target:
            continue
        temporary = out_dir / f".{name}.{os.getpid()}.link.tmp"
        owned.remove_file(temporary)
        os.symlink(target, temporary)
        if path.is_dir() and not path.is_symlink():  # the unversioned parquet/ folder
            aside = out_dir / VERSIONS_DIR / f".unversioned-{os.getpid()}.partial"
            os.rename(path, aside)
            os.replace(temporary, path)
            _remove_version(aside, parquet_dir=aside)
        else:
            os.replace(temporary, path)
    owned.fsync_directory(out_dir)


def _remove_version(folder: Path, parquet_dir: Path | None = None) -> None:
    """Delete a version's files (only the names publish writes), then its folders."""
    parquet = parquet_dir or folder / PARQUET_DIR
    if parquet.is_dir() and not parquet.is_symlink():
        for path in parquet.iterdir():
            if path.name.endswith((".parquet", ".parquet.tmp")):
                owned.remove_file(path)
        owned.remove_dir_if_empty(parquet)
    if parquet_dir is None:
        for name in (SNAPSHOT_NAME, f"{SNAPSHOT_NAME}.wal"):
            owned.remove_file(folder / name)
    owned.remove_dir_if_empty(folder)


def _remove_leftovers(out_dir: Path, versions: Path) -> None:
    for path in versions.iterdir():
        if (
            path.name.endswith(".partial")
            and path.name.startswith(".")
            and path.is_dir()
            and not path.is_symlink()
        ):
            _remove_version(path, parquet_dir=path if "unversioned" in path.name else None)
    for path in out_dir.iterdir():
        if _OLD_LEFTOVER.match(path.name) or _TEMPORARY_LINK.match(path.name):
            owned.remove_file(path)


def _is_unversioned_snapshot(folder: Path) -> bool:
    """A folder an older publish wrote, before versions and markers: safe to take over.

    Only exactly its files: ``marts.duckdb`` and ``parquet/*.parquet``, all
    read-only as that publish made them, and its own temporary leftovers.
    """
    for path in folder.iterdir():
        if _OLD_LEFTOVER.match(path.name) and path.is_file() and not path.is_symlink():
            continue
        if path.name == SNAPSHOT_NAME and _is_read_only_file(path):
            continue
        if (
            path.name == PARQUET_DIR
            and path.is_dir()
            and not path.is_symlink()
            and all(
                (p.name.endswith(".parquet") and _is_read_only_file(p))
                or (p.name.startswith(".") and p.name.endswith(".parquet.tmp") and p.is_file())
                for p in path.iterdir()
            )
        ):
            continue
        return False
    return True


def _is_read_only_file(path: Path) -> bool:
    info = path.lstat()
    return stat.S_ISREG(info.st_mode) and not info.st_mode & 0o222


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"
