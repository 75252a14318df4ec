"""Compare every built relation of two DuckDB warehouses, row for row.

A refactor of the models is only safe when it changes no result: this
checks that each table and view in the dbt schemas of warehouse A holds
exactly the same multiset of rows as the same relation of warehouse B
(``except all`` both ways, so duplicates count), with the same columns.
Build both warehouses from copies of one loaded raw warehouse, so load
batch ids agree. Columns that record when a build ran differ between any
two builds; skip them with ``--ignore-column relation.column``.

Usage (also importable: ``relations_differences``)::

    python tests/python/relations_equal.py BEFORE.duckdb AFTER.duckdb \\
        [--schemas staging,intermediate,marts] [--ignore-column fct_builds.built_at]

Exit status 0 when all relations are equal, 1 with one line per difference.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb

DEFAULT_SCHEMAS = ("reference", "staging", "intermediate", "marts")
# fct_builds records each build's own clock and run id: never equal twice.
DEFAULT_IGNORED = ("fct_builds",)


def _relations(
    con: duckdb.DuckDBPyConnection, alias: str, schemas: Sequence[str]
) -> dict[str, list[str]]:
    """Relation name -> ordered column names, for the given schemas."""
    rows = con.execute(
        f"""
        select schema_name, table_name, column_name
        from duckdb_columns()
        where database_name = ? and schema_name in ({", ".join("?" for _ in schemas)})
        order by schema_name, table_name, column_index
        """,
        [alias, *schemas],
    ).fetchall()
    out: dict[str, list[str]] = {}
    for schema, table, column in rows:
        out.setdefault(f"{schema}.{table}", []).append(column)
    return out


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    found = con.execute(sql).fetchone()
    assert found is not None, sql
    return int(found[0])


def relations_differences(
    before: Path,
    after: Path,
    *,
    schemas: Sequence[str] = DEFAULT_SCHEMAS,
    ignored: Iterable[str] = DEFAULT_IGNORED,
    memory_limit: str = "4GB",
) -> list[str]:
    """One line per difference between the two warehouses; empty if equal.

    ``ignored`` holds relation names ("fct_builds") or relation.column
    names ("fct_builds.built_at") left out of the comparison.
    """
    ignored = set(ignored)
    # Capped like the build (profiles.yml): the big relations spill, to a
    # folder of its own (DuckDB's default is .tmp in the working directory).
    spill = tempfile.mkdtemp(prefix="relations-equal-")
    con = duckdb.connect(
        config={
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
            "temp_directory": spill,
        }
    )
    con.execute(f"attach '{before}' as a (read_only)")
    con.execute(f"attach '{after}' as b (read_only)")
    rel_a = _relations(con, "a", schemas)
    rel_b = _relations(con, "b", schemas)
    problems: list[str] = []
    for name in sorted(set(rel_a) - set(rel_b)):
        problems.append(f"{name}: only in {before}")
    for name in sorted(set(rel_b) - set(rel_a)):
        problems.append(f"{name}: only in {after}")
    for name in sorted(set(rel_a) & set(rel_b)):
        short = name.split(".", 1)[1]
        if short in ignored or name in ignored:
            continue
        if rel_a[name] != rel_b[name]:
            problems.append(f"{name}: columns differ: {rel_a[name]} vs {rel_b[name]}")
            continue
        cols = [c for c in rel_a[name] if f"{short}.{c}" not in ignored]
        select = ", ".join(_quote(c) for c in cols)
        schema, table = name.split(".", 1)
        qa = f"a.{_quote(schema)}.{_quote(table)}"
        qb = f"b.{_quote(schema)}.{_quote(table)}"
        count_a, count_b = (_scalar(con, f"select count(*) from {q}") for q in (qa, qb))
        only_a = _scalar(
            con,
            f"select count(*) from (select {select} from {qa} "
            f"except all select {select} from {qb})",
        )
        only_b = _scalar(
            con,
            f"select count(*) from (select {select} from {qb} "
            f"except all select {select} from {qa})",
        )
        if only_a or only_b or count_a != count_b:
            problems.append(
                f"{name}: {count_a} vs {count_b} rows; {only_a} only before, {only_b} only after"
            )
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--schemas", default=",".join(DEFAULT_SCHEMAS), help="comma-separated schemas to compare"
    )
    parser.add_argument(
        "--ignore-column",
        action="append",
        default=[],
        metavar="RELATION[.COLUMN]",
        help="leave out a relation or one of its columns (repeatable)",
    )
    args = parser.parse_args(argv)
    ignored = [*DEFAULT_IGNORED, *args.ignore_column]
    problems = relations_differences(
        args.before, args.after, schemas=args.schemas.split(","), ignored=ignored
    )
    for line in problems:
        print(line)
    if not problems:
        print(f"all relations equal ({args.before} vs {args.after})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
