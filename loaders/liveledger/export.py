"""Export the raw event log to Parquet, so another engine can build from it.

The loader writes DuckDB and nothing else; Apache Spark (``--target spark``)
reads the event log as Parquet instead. Each ``raw.<table>`` becomes a folder
``<out>/<table>/`` holding one Parquet file with the same columns and types
(timestamps stay naive UTC), which the Spark target mounts as ``raw.<table>``
(see ``macros/engine/raw_sources.sql``). The database is opened read-only, so
an export never changes the event log and never waits on a writer's lock.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from . import eventlog
from .errors import OptionError, ProjectError

#: The file each table folder holds; a folder is one table for Spark.
PART_NAME = "part-0.parquet"


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    path: Path


def export_raw(db_path: Path, out_dir: Path) -> list[ExportedTable]:
    """Write every ``raw.*`` table of ``db_path`` to ``out_dir/<table>/``.

    A folder from an earlier export is replaced as a whole, so Spark never
    sees a mix of old and new files. Anything else in ``out_dir`` is left
    alone, and a file standing where a table folder should be is an error
    rather than something silently deleted.
    """
    con = eventlog.connect(db_path, read_only=True)
    try:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'raw' and table_type = 'BASE TABLE' order by table_name"
        ).fetchall()]
        if not tables:
            raise ProjectError(
                f"{db_path} has no raw event log yet: load something first (liveledger load FILE)")
        if out_dir.exists() and not out_dir.is_dir():
            raise OptionError(f"--out {out_dir} is a file; give a folder")
        exported = []
        for table in tables:
            folder = out_dir / table
            if folder.exists() and not folder.is_dir():
                raise OptionError(f"{folder} is a file, not an exported table folder; move it away")
            staging = out_dir / f".{table}.exporting"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir(parents=True)
            target = staging / PART_NAME
            con.execute(
                f"copy raw.{table} to '{_sql_path(target)}' (format parquet, compression zstd)")
            (rows,) = con.execute(f"select count(*) from raw.{table}").fetchone() or (0,)
            shutil.rmtree(folder, ignore_errors=True)
            staging.rename(folder)
            exported.append(ExportedTable(table, int(rows), folder))
        return exported
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    """A path as a SQL string literal body (quotes doubled)."""
    return str(path).replace("'", "''")
