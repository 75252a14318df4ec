"""The analyses in analyses/ compile and return what their docs promise.

Each analysis is compiled by dbt against a built sample warehouse and the
compiled SQL is run read-only, as an analyst would paste it into a client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from conftest import REPO, run_cli, run_dbt

DOCUMENTED = yaml.safe_load((REPO / "analyses" / "_analyses.yml").read_text())["analyses"]
NAMES = sorted(a["name"] for a in DOCUMENTED)


@pytest.fixture(scope="module")
def compiled(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("analyses-target")
    result = run_dbt(sample_warehouse, target, "compile", "--select", "resource_type:analysis")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return target / "compiled" / "liveledger" / "analyses"


def test_every_analysis_file_is_documented() -> None:
    files = sorted(p.stem for p in (REPO / "analyses").glob("*.sql"))
    assert files == NAMES
    for analysis in DOCUMENTED:
        assert analysis.get("description"), analysis["name"]
        assert all(c.get("description") for c in analysis["columns"]), analysis["name"]


@pytest.mark.parametrize("name", NAMES)
def test_analysis_runs_and_returns_its_documented_columns(
    name: str,
    compiled: Path,
    sample_warehouse: Path,
) -> None:
    sql = (compiled / f"{name}.sql").read_text()
    documented = next(a for a in DOCUMENTED if a["name"] == name)
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        relation = con.sql(sql)
        columns, rows = relation.columns, relation.fetchall()
    finally:
        con.close()
    assert columns == [c["name"] for c in documented["columns"]]
    if name != "stance_changes":  # no actor changes sides within the sample's day
        assert rows, f"{name} returned no rows on the sample"


def _rows(sample_warehouse: Path, compiled: Path, name: str) -> list[dict[str, Any]]:
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        relation = con.sql((compiled / f"{name}.sql").read_text())
        return [dict(zip(relation.columns, row)) for row in relation.fetchall()]
    finally:
        con.close()


def test_stance_changes_finds_the_flip(
    compiled: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """A blog where Turkey supports Maduro in the morning and condemns him at 5 p.m."""
    db = tmp_path_factory.mktemp("flip") / "sample.duckdb"  # same catalog name as compiled
    for args in (
        ["load", str(REPO / "tests" / "data" / "blogs" / "ankara-stance-change.txt")],
        ["build"],
    ):
        result = run_cli(db, *args)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    rows = _rows(db, compiled, "stance_changes")
    assert [
        (r["actor_id"], r["target_actor_id"], r["previous_stance_code"], r["stance_code"])
        for r in rows
    ] == [("country-tur", "person-nicolas-maduro", "support", "criticize")]
    for row in rows:
        assert row["polarity"] != row["previous_polarity"]
        assert 0 not in (row["polarity"], row["previous_polarity"])
        assert row["previous_published_at"] <= row["published_at"]


def test_recognition_order_ranks_firsts_per_claimant(
    sample_warehouse: Path,
    compiled: Path,
) -> None:
    rows = _rows(sample_warehouse, compiled, "recognition_order")
    assert {r["stance_code"] for r in rows} <= {"recognize", "reject"}
    by_target: dict[tuple[object, object], list[dict[str, Any]]] = {}
    for row in rows:
        by_target.setdefault((row["target_actor_id"], row["stance_code"]), []).append(row)
    for group in by_target.values():
        assert min(r["position_in_order"] for r in group) == 1
        ordered = sorted(group, key=lambda r: r["position_in_order"])
        times = [r["published_at"] for r in ordered]
        assert times == sorted(times)
        governments = [r["government_actor_id"] for r in group]
        assert len(governments) == len(set(governments))  # first statement only


def test_first_to_take_a_side_lists_each_actor_once_per_side_in_order(
    sample_warehouse: Path,
    compiled: Path,
) -> None:
    rows = _rows(sample_warehouse, compiled, "first_to_take_a_side")
    keys = [(r["target_actor_id"], r["side"], r["actor_id"]) for r in rows]
    assert len(keys) == len(set(keys))  # one row per actor and side: events, not reports
    assert {r["side"] for r in rows} <= {-1, 1}
    by_side: dict[tuple[object, object], list[dict[str, Any]]] = {}
    for row in rows:
        by_side.setdefault((row["target_actor_id"], row["side"]), []).append(row)
    for group in by_side.values():
        ordered = sorted(group, key=lambda r: (r["position_in_order"], r["actor_name"]))
        assert ordered[0]["position_in_order"] == 1
        times = [r["first_reported_at"] for r in ordered]
        assert times == sorted(times)
    backers = by_side[("person-juan-guaido", 1)]
    # The sample's first entry (00:15 in Caracas) already reports backers.
    assert min(r["first_reported_at"] for r in backers).strftime("%H:%M") == "04:15"
    assert any(r["report_count"] > 1 for r in backers)


def test_busiest_hours_count_every_entry(sample_warehouse: Path, compiled: Path) -> None:
    rows = _rows(sample_warehouse, compiled, "busiest_hours")
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        (entries,) = con.execute("select count(*) from marts.fct_entries").fetchone() or (0,)
    finally:
        con.close()
    assert sum(int(r["entry_count"]) for r in rows) == entries
    ranks = [r["busyness_rank"] for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
