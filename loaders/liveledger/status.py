"""Read-only reports on the warehouse: what is loaded, what was built.

Everything here opens DuckDB read-only, so it never writes and fails fast
with a clear message while a load or build holds the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from . import eventlog
from .archive import Archive
from .errors import JournalError


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(found and found[0])


def status_report(db_path: Path) -> str:
    """What is loaded (batches, entries, rejects) and when marts were built."""
    con = eventlog.connect(db_path, read_only=True)
    try:
        if not _table_exists(con, "raw", "load_batches"):
            return f"{db_path}: nothing loaded yet"
        ((batches, files, seen, appended, present, rejected, other, last),) = _rows(
            con,
            """
            select count(*), count(distinct source_sha256), coalesce(sum(entries_seen), 0),
                   coalesce(sum(entries_appended), 0), coalesce(sum(entries_already_present), 0),
                   coalesce(sum(entries_rejected), 0), coalesce(sum(other_rejects), 0),
                   max(committed_at)
            from raw.load_batches""",
        )
        ((events, entries, blogs),) = _rows(
            con,
            """
            select count(*), count(distinct entry_key), count(distinct blog_id)
            from raw.entry_events""",
        )
        lines = [
            f"warehouse: {db_path}",
            f"loads: {batches} batches from {files} distinct files, last committed {last} UTC",
            f"entries: {seen} seen = {appended} appended + {present} already present "
            f"+ {rejected} rejected; {other} other rejected pieces",
            f"event log: {events} events, {entries} entries, {blogs} blogs",
        ]
        try:
            lacking = Archive(db_path).lacking(con)
            if lacking.missing_loads or lacking.missing_retractions:
                lines.append("journal: " + str(Archive(db_path).behind(lacking)))
        except JournalError as error:
            lines.append(f"journal: {error}")
        reasons = _rows(
            con,
            """
            select reason_code, count(*) from raw.rejected_input
            group by reason_code order by count(*) desc, reason_code""",
        )
        if reasons:
            lines.append("rejects: " + ", ".join(f"{code} {n}" for code, n in reasons))
        if _table_exists(con, "marts", "fct_builds"):
            built = _rows(
                con,
                """
                select built_at, entry_count, actor_count, stance_count from marts.fct_builds
                order by built_at desc limit 1""",
            )
            if built:
                at, n_entries, n_actors, n_stances = built[0]
                lines.append(
                    f"marts: last built {at} UTC ({n_entries} entries, "
                    f"{n_actors} actors, {n_stances} stance facts)"
                )
        else:
            lines.append("marts: not built yet (run liveledger build)")
        return "\n".join(lines)
    finally:
        con.close()
