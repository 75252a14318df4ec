"""Load the bundled sample and run the real `dbt build` on it, as make demo does."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE

EXPECTED_UTC = {  # marker -> UTC instant; the sample's times are Caracas time, UTC-4
    "4:25 p.m.": dt.datetime(2019, 1, 24, 20, 25),
    "1:45 P.M.": dt.datetime(2019, 1, 24, 17, 45),
    "1 p.m.": dt.datetime(2019, 1, 24, 17, 0),
    "9:00 a.m.": dt.datetime(2019, 1, 24, 13, 0),
    "4 a.m.": dt.datetime(2019, 1, 24, 8, 0),
    "12:15 a.m.": dt.datetime(2019, 1, 24, 4, 15),
}


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    db = tmp_path_factory.mktemp("e2e") / "sample.duckdb"
    loaded = _cli(db, "load", str(SAMPLE))
    assert loaded.returncode == 0, loaded.stderr
    built = _cli(db, "build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_all_29_entries_with_their_utc_instant(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute(
        "select time_marker, published_at, published_at_local, time_zone from marts.fct_entries"
    ).fetchall()
    assert len(rows) == 29
    by_marker = {marker: utc for marker, utc, _, _ in rows}
    for marker, expected in EXPECTED_UTC.items():
        assert by_marker[marker] == expected
    assert {utc - local for _, utc, local, _ in rows} == {dt.timedelta(hours=4)}
    assert {zone for *_, zone in rows} == {"America/Caracas"}


def test_every_position_taker_of_the_sample_is_an_actor(
    warehouse: duckdb.DuckDBPyConnection,
) -> None:
    with (REPO / "tests" / "data" / "sample_position_takers.csv").open() as handle:
        expected = {row["actor_id"] for row in csv.DictReader(handle)}
    known = {r[0] for r in warehouse.execute("select actor_id from marts.dim_actors").fetchall()}
    assert expected - known == set()
    types = dict(warehouse.execute("select actor_id, actor_type from marts.dim_actors").fetchall())
    assert types["person-nicolas-maduro"] == "person"
    assert types["gov-rus"] == "government"
    assert types["org-eu"] == "organization"
    assert types["country-ven"] == "country"


def test_stance_facts_carry_their_evidence(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute("""
        select s.evidence, s.evidence_start, s.evidence_end, e.body, s.actor_id,
               s.target_actor_id, s.stance_code, s.polarity
        from marts.fct_stances as s join marts.fct_entries as e using (entry_id)
    """).fetchall()
    assert len(rows) >= 30
    for evidence, start, end, body, *_ in rows:
        assert body[start:end] == evidence
    facts = {(actor, target, code) for *_, actor, target, code, _ in rows}
    assert ("person-vladimir-putin", "person-nicolas-maduro", "support") in facts
    assert ("gov-deu", "org-ven-national-assembly", "support") in facts
    # a Venezuelan minister backing Maduro speaks for the same side: no stance
    # between one alignment group (the annotation policy counts none)
    assert ("person-manuel-gregorio-bernal", "person-nicolas-maduro", "support") not in facts
    same_side = warehouse.execute(
        "select count(*) from marts.fct_stances where source_group_id = target_group_id"
    ).fetchone()
    assert same_side == (0,)


def test_build_is_recorded(warehouse: duckdb.DuckDBPyConnection) -> None:
    ((entries, stances),) = warehouse.execute(
        "select entry_count, stance_count from marts.fct_builds"
    ).fetchall()
    assert entries == 29 and stances > 0


def test_reload_appends_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert _cli(db, "load", str(SAMPLE)).returncode == 0
    again = _cli(db, "load", str(SAMPLE))
    assert again.returncode == 0
    assert "already loaded" in again.stdout and "nothing appended" in again.stdout


#: Regression floors, not the targets: the issue "Stance facts for any crisis"
#: asks P >= 0.90 and R >= 0.85 on the sample annotated under
#: docs/annotation.md; measured 0.940 / 0.612 (README). A change that lowers
#: either below its floor fails here; raise the floors as the rules improve.
SAMPLE_FLOOR = {"precision": 0.90, "recall": 0.60}
#: the same for the held-out test split (measured 0.510 / 0.097)
TEST_SPLIT_FLOOR = {"precision": 0.48, "recall": 0.09}


def _evaluate(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", "--db", str(db), "evaluate", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_stance_quality_holds_its_floor_on_the_sample(warehouse: duckdb.DuckDBPyConnection) -> None:
    """The sample's policy annotation (tests/data/stances/sample), through the real CLI."""
    row = warehouse.execute("select path from duckdb_databases() where not internal").fetchone()
    assert row is not None
    db = Path(row[0])
    result = _evaluate(
        db,
        "--split",
        "sample",
        "--min-precision",
        str(SAMPLE_FLOOR["precision"]),
        "--min-recall",
        str(SAMPLE_FLOOR["recall"]),
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    overall = result.stdout.splitlines()[-1].split()
    assert overall[0] == "overall"
    assert float(overall[1]) >= SAMPLE_FLOOR["precision"]
    assert float(overall[2]) >= SAMPLE_FLOOR["recall"]


def test_stance_quality_holds_its_floor_on_the_held_out_split(tmp_path: Path) -> None:
    """The test split: crises no rule was written from, built afresh and scored."""
    result = _evaluate(
        tmp_path / "liveledger.duckdb",
        "--split",
        "test",
        "--build",
        "--min-precision",
        str(TEST_SPLIT_FLOOR["precision"]),
        "--min-recall",
        str(TEST_SPLIT_FLOOR["recall"]),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.splitlines()[-1].split()[0] == "overall"


def test_every_stance_fact_is_traceable(warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = warehouse.execute("""
        select s.evidence, s.evidence_start, s.cue_start_in_evidence, s.cue_phrase,
               s.rule_id, s.cameo_code, s.plover_type, s.source_mention, e.body
        from marts.fct_stances as s join marts.fct_entries as e using (entry_id)""").fetchall()
    for evidence, _start, cue_at, cue, rule, cameo, plover, source, body in rows:
        assert rule and cameo and plover
        assert source and source in body  # may stand in an earlier sentence (pronouns)
        assert evidence[cue_at:].lstrip('“"‘').lower().startswith(cue.split()[0][:4])
    flags = dict(
        warehouse.execute("""
        select cue_phrase || '|' || source_mention, is_hypothetical or is_negated
        from marts.fct_stances
        where is_hypothetical or is_negated""").fetchall()
    )
    assert any("recognizing" in key for key in flags)  # "considering recognizing"
    assert any("recognize|U.S." in key for key in flags)  # "the U.S. doesn't recognize"
