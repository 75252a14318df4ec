"""Export the raw event log to Parquet, so another engine can build from it.

The loader writes DuckDB and nothing else; Apache Spark (``--target spark``)
reads the event log as Parquet instead. Each ``raw.<table>`` becomes a folder
``<out>/<table>/`` holding one Parquet file with the same columns and types
(timestamps stay naive UTC), which the Spark target mounts as ``raw.<table>``
(see ``macros/engine/raw_sources.sql``). The database is opened read-only, so
an export never changes the event log and never waits on a writer's lock.

The export replaces what an earlier export wrote, so it writes only into a
folder it owns (new, empty, or marked ``.liveledger-export`` by an earlier
export; see ``owned``) and deletes nothing but its own files there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import eventlog, owned
from .errors import ForeignFolderError, OptionError, ProjectError

#: The file each table folder holds; a folder is one table for Spark.
PART_NAME = "part-0.parquet"
MARKER = ".liveledger-export"


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    path: Path


def export_raw(db_path: Path, out_dir: Path) -> list[ExportedTable]:
    """Write every ``raw.*`` table of ``db_path`` to ``out_dir/<table>/``.

    Each table folder is switched to the new file by renames, so Spark never
    sees a mix of old and new files. Before anything is written, every table
    folder is checked to hold nothing but the file an export writes: a
    folder holding anything else (Spark would read it as part of the table)
    is refused, not emptied.
    """
    con = eventlog.connect(db_path, read_only=True)
    try:
        tables = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw' and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        if not tables:
            raise ProjectError(
                f"{db_path} has no raw event log yet: load something first (liveledger load FILE)"
            )
        if out_dir.exists() and not out_dir.is_dir():
            raise OptionError(f"--out {out_dir} is a file; give a folder")
        owned.claim(
            out_dir,
            MARKER,
            "export-raw",
            adopt=lambda folder: _is_unmarked_export(folder, set(tables)),
        )
        for table in tables:
            _check_table_folder(out_dir / table)
        exported = []
        for table in tables:
            folder = out_dir / table
            staging = out_dir / f".{table}.exporting"
            _remove_table_folder(staging)  # left by a killed export
            staging.mkdir()
            target = staging / PART_NAME
            con.execute(
                f"copy raw.{table} to '{_sql_path(target)}' (format parquet, compression zstd)"
            )
            (rows,) = con.execute(f"select count(*) from raw.{table}").fetchone() or (0,)
            if folder.exists():
                replaced = out_dir / f".{table}.replaced"
                _remove_table_folder(replaced)
                os.rename(folder, replaced)
                os.rename(staging, folder)
                _remove_table_folder(replaced)
            else:
                os.rename(staging, folder)
            exported.append(ExportedTable(table, int(rows), folder))
        owned.fsync_directory(out_dir)
        return exported
    finally:
        con.close()


def _check_table_folder(folder: Path) -> None:
    if not (folder.exists() or folder.is_symlink()):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise ForeignFolderError(
            f"{folder} is not an exported table folder (a file or a link); move it away"
        )
    foreign = sorted(p.name for p in folder.iterdir() if p.name != PART_NAME)
    if foreign:
        raise ForeignFolderError(
            f"{folder} holds {', '.join(foreign[:3])}, which export-raw did not write (Spark "
            "would read it as part of the table); nothing was changed: move it away and "
            "export again"
        )


def _remove_table_folder(folder: Path) -> None:
    """Remove a table folder of ours: its one Parquet file, then the folder."""
    if folder.is_symlink() or not folder.is_dir():
        return
    owned.remove_file(folder / PART_NAME)
    if not owned.remove_dir_if_empty(folder):
        raise ForeignFolderError(
            f"{folder} holds files export-raw did not write; nothing was deleted there: "
            "move them away and export again"
        )


def _is_unmarked_export(folder: Path, tables: set[str]) -> bool:
    """A folder an export wrote before markers existed: only raw table folders, each
    holding only its ``part-0.parquet`` (and staging folders of a killed export)."""
    for path in folder.iterdir():
        names = tables | {f".{table}.exporting" for table in tables}
        if path.name not in names or path.is_symlink() or not path.is_dir():
            return False
        if any(p.name != PART_NAME for p in path.iterdir()):
            return False
    return True


def _sql_path(path: Path) -> str:
    """A path as a SQL string literal body (quotes doubled)."""
    return str(path).replace("'", "''")
