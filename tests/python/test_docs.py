"""The marts are a documented, contracted interface, and the docs site builds.

BI tools show the descriptions (persist_docs) and rely on the types
(contracts); `make docs` opens the single static HTML file built here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, run_cli, run_dbt

MARTS = (
    "fct_entries",
    "fct_entry_versions",
    "dim_actors",
    "fct_stances",
    "fct_stance_events",
    "fct_actor_alignments",
    "fct_builds",
)


@pytest.fixture(scope="module")
def docs_target(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("docs-target")
    result = run_dbt(sample_warehouse, target, "docs", "generate", "--static")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return target


def test_static_docs_are_one_file_that_shows_the_marts(docs_target: Path) -> None:
    page = docs_target / "static_index.html"
    assert page.is_file()
    text = page.read_text(encoding="utf-8")
    for mart in MARTS:
        assert f"model.liveledger.{mart}" in text
    assert "exposure.liveledger.liveledger_report" in text
    assert "analysis.liveledger.recognition_order" in text


def test_every_mart_is_contracted_and_every_column_described(docs_target: Path) -> None:
    manifest = json.loads((docs_target / "manifest.json").read_text())
    catalog = json.loads((docs_target / "catalog.json").read_text())
    for mart in MARTS:
        node = manifest["nodes"][f"model.liveledger.{mart}"]
        assert node["description"].strip(), mart
        assert node["config"]["contract"]["enforced"] is True, mart
        built = catalog["nodes"][f"model.liveledger.{mart}"]["columns"]
        assert set(node["columns"]) == set(built), mart  # the yml lists every column
        for name, column in node["columns"].items():
            assert column["description"].strip(), f"{mart}.{name}"
            assert column["data_type"], f"{mart}.{name}"


def test_descriptions_reach_the_database_for_bi_tools(sample_warehouse: Path) -> None:
    import duckdb

    con = duckdb.connect(str(sample_warehouse), read_only=True)
    try:
        rows = con.execute("""
            select table_name, column_name, comment from duckdb_columns()
            where schema_name = 'marts'""").fetchall()
    finally:
        con.close()
    assert {table for table, *_ in rows} >= set(MARTS)
    assert [(t, c) for t, c, comment in rows if not comment] == []


def test_exposure_declares_the_report_dependencies(docs_target: Path) -> None:
    manifest = json.loads((docs_target / "manifest.json").read_text())
    exposure = manifest["exposures"]["exposure.liveledger.liveledger_report"]
    assert set(exposure["depends_on"]["nodes"]) == {
        "model.liveledger.fct_stances",
        "model.liveledger.fct_stance_events",
        "model.liveledger.fct_entries",
        "model.liveledger.dim_actors",
    }
    # the report module reads exactly these marts
    source = (REPO / "loaders" / "liveledger" / "report.py").read_text()
    read = {m for m in MARTS if f"marts.{m}" in source}
    assert read == {"fct_stances", "fct_stance_events", "fct_entries", "dim_actors"}


def test_source_freshness_warns_after_the_configured_hours(tmp_path: Path) -> None:
    db = tmp_path / "stale.duckdb"
    loaded = run_cli(db, "load", str(SAMPLE), "--observed-at", "2019-01-24T21:00:00Z")
    assert loaded.returncode == 0, loaded.stderr
    stale = run_dbt(db, tmp_path / "t1", "source", "freshness")
    assert "WARN freshness of liveblog.entry_events" in stale.stdout, stale.stdout[-2000:]
    # a window longer than the time since 2019 makes the same data fresh
    relaxed = run_dbt(
        db, tmp_path / "t2", "source", "freshness", "--vars", "{freshness_warn_hours: 10000000}"
    )
    assert "PASS freshness of liveblog.entry_events" in relaxed.stdout, relaxed.stdout[-2000:]
