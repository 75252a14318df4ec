"""The relation comparison used to prove model refactors change nothing
must see one changed cell, a duplicated row and a missing column."""

from __future__ import annotations

from pathlib import Path

import duckdb

from relations_equal import relations_differences


def _warehouse(path: Path, rows: list[tuple[int, str]], *, extra: bool = False) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create table marts.t (k integer, v varchar)")
    con.executemany("insert into marts.t values (?, ?)", rows)
    con.execute("create view marts.v as select k from marts.t")
    if extra:
        con.execute("alter table marts.t add column w integer")
    con.close()
    return path


def test_equal_warehouses_have_no_differences(tmp_path: Path) -> None:
    a = _warehouse(tmp_path / "a.duckdb", [(1, "x"), (2, "y")])
    b = _warehouse(tmp_path / "b.duckdb", [(2, "y"), (1, "x")])
    assert relations_differences(a, b) == []


def test_one_changed_cell_is_seen(tmp_path: Path) -> None:
    a = _warehouse(tmp_path / "a.duckdb", [(1, "x"), (2, "y")])
    b = _warehouse(tmp_path / "b.duckdb", [(1, "x"), (2, "z")])
    assert relations_differences(a, b) == ["marts.t: 2 vs 2 rows; 1 only before, 1 only after"]


def test_a_duplicated_row_is_seen(tmp_path: Path) -> None:
    a = _warehouse(tmp_path / "a.duckdb", [(1, "x"), (2, "y")])
    b = _warehouse(tmp_path / "b.duckdb", [(1, "x"), (2, "y"), (2, "y")])
    diffs = relations_differences(a, b)
    assert "marts.t: 2 vs 3 rows; 0 only before, 1 only after" in diffs
    assert any(d.startswith("marts.v:") for d in diffs)


def test_different_columns_are_seen(tmp_path: Path) -> None:
    a = _warehouse(tmp_path / "a.duckdb", [(1, "x")])
    b = _warehouse(tmp_path / "b.duckdb", [(1, "x")], extra=True)
    assert relations_differences(a, b)[0].startswith("marts.t: columns differ")
