"""Event sourcing over time, on the snapshot sequence derived from the sample.

Loads tests/data/snapshots/ in order with their capture times and checks
event counts, versions, as-of builds, incremental == full refresh, rebuild
from the archive and retraction. See tests/data/snapshots/README.md.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO

SNAPSHOTS = REPO / "tests" / "data" / "snapshots"
SEQUENCE = [
    ("snapshot-01-0200.txt", "2019-01-24T06:00:00Z"),
    ("snapshot-02-0700.txt", "2019-01-24T11:00:00Z"),
    ("snapshot-03-1200.txt", "2019-01-24T16:00:00Z"),
    ("snapshot-04-1500.txt", "2019-01-24T19:00:00Z"),
    ("snapshot-05-1700.txt", "2019-01-24T21:00:00Z"),
]
# (added, revised, removed) events each snapshot must append
EXPECTED_EVENTS = [(2, 0, 0), (8, 0, 0), (10, 1, 0), (8, 1, 1), (1, 0, 0)]
KEY = "2019-01-24--caracas--political-crisis-in-venezuela/2019-01-24T"
RAW_TABLES = ["load_batches", "entry_events", "rejected_input", "retractions"]
MART_TABLES = [
    "fct_entries",
    "fct_entry_versions",
    "dim_actors",
    "fct_stances",
    "fct_stance_events",
    "fct_actor_alignments",
]


def cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def load_snapshot(db: Path, index: int) -> None:
    name, observed = SEQUENCE[index]
    cli(db, "load", str(SNAPSHOTS / name), "--observed-at", observed)


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def table_digest(db: Path, schema: str, table: str, drop: tuple[str, ...] = ()) -> str:
    """Order-independent digest of a table's rows."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        columns = [
            c
            for (c,) in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            if c not in drop
        ]
        rows = con.execute(f"select {', '.join(columns)} from {schema}.{table}").fetchall()
    finally:
        con.close()
    return hashlib.sha256("\n".join(sorted(map(repr, rows))).encode()).hexdigest()


@pytest.fixture(scope="module")
def incremental_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All five snapshots, loaded and built one by one (incremental builds)."""
    db = tmp_path_factory.mktemp("history") / "warehouse.duckdb"
    for index in range(len(SEQUENCE)):
        load_snapshot(db, index)
        cli(db, "build")
    return db


def test_each_snapshot_appends_only_what_changed(incremental_db: Path) -> None:
    rows = query(
        incremental_db,
        """
        select b.observed_at, b.entries_seen, b.entries_appended, b.entries_already_present,
               b.entries_removed,
               count(*) filter (where e.event_type = 'entry_added'),
               count(*) filter (where e.event_type = 'entry_revised'),
               count(*) filter (where e.event_type = 'entry_removed')
        from raw.load_batches as b left join raw.entry_events as e using (load_batch_id)
        group by all order by b.observed_at""",
    )
    assert [tuple(r[5:]) for r in rows] == EXPECTED_EVENTS
    assert [r[1] for r in rows] == [2, 10, 20, 27, 28]  # entries each snapshot showed
    for _, seen, appended, present, _removed, added, revised, _ in rows:
        assert seen == appended + present and appended == added + revised
    assert sum(r[4] for r in rows) == 1


def test_versions_on_both_time_axes(incremental_db: Path) -> None:
    versions = {
        (entry_id.removeprefix(KEY), number): (event_type, ended_by, is_current, str(frm), str(to))
        for entry_id, number, event_type, ended_by, is_current, frm, to in query(
            incremental_db,
            """select entry_id, version_number, event_type, ended_by,
                                      is_current, valid_from, valid_to
                               from marts.fct_entry_versions""",
        )
    }
    assert versions[("06:50", 1)] == (
        "entry_added",
        "entry_revised",
        False,
        "2019-01-24 11:00:00",
        "2019-01-24 16:00:00",
    )
    assert versions[("06:50", 2)] == ("entry_revised", None, True, "2019-01-24 16:00:00", "None")
    assert versions[("09:00", 2)][0] == "entry_revised"
    assert versions[("04:00", 1)] == (
        "entry_added",
        "entry_removed",
        False,
        "2019-01-24 11:00:00",
        "2019-01-24 19:00:00",
    )
    assert len(versions) == 29 + 2
    ((current, removed_present),) = query(
        incremental_db,
        f"""
        select count(*), count(*) filter (where entry_id = '{KEY}04:00')
        from marts.fct_entries""",
    )
    assert (current, removed_present) == (28, 0)
    ((published,),) = query(
        incremental_db,
        f"""
        select published_at from marts.fct_entry_versions where entry_id = '{KEY}06:50'
        group by published_at""",
    )
    assert str(published) == "2019-01-24 10:50:00"


@pytest.mark.parametrize(
    ("as_of", "entries", "body_0650", "has_0400", "body_0900"),
    [
        ("2019-01-24T12:00:00Z", 10, "Gauido", True, None),
        ("2019-01-24T17:00:00Z", 20, "Guaido", True, "a dozen"),
        ("2019-01-24T20:00:00Z", 27, "Guaido", False, "16 people"),
    ],
)
def test_as_of_builds_show_what_was_known_then(
    tmp_path: Path,
    incremental_db: Path,
    as_of: str,
    entries: int,
    body_0650: str,
    has_0400: bool,
    body_0900: str | None,
) -> None:
    db = tmp_path / "asof.duckdb"
    shutil.copy(incremental_db, db)
    cli(db, "build", "--as-of", as_of)
    rows = dict(query(db, "select entry_id, body from marts.fct_entries"))
    assert len(rows) == entries
    assert body_0650 in rows[f"{KEY}06:50"]
    assert (f"{KEY}04:00" in rows) == has_0400
    if body_0900 is None:
        assert f"{KEY}09:00" not in rows
    else:
        assert body_0900 in rows[f"{KEY}09:00"]
    # stances follow the entry version they came from
    stance_versions = {v for (v,) in query(db, "select entry_version_id from marts.fct_stances")}
    current_versions = {v for (v,) in query(db, "select current_event_id from marts.fct_entries")}
    assert stance_versions <= current_versions
    evidence_0650 = [
        e
        for (e,) in query(
            db,
            f"""
        select evidence from marts.fct_stances where entry_id = '{KEY}06:50'""",
        )
    ]
    assert evidence_0650 and all("Gauido" not in e or body_0650 == "Gauido" for e in evidence_0650)
    reacted = query(db, f"select count(*) from marts.fct_stances where entry_id = '{KEY}04:00'")
    assert (reacted[0][0] > 0) == has_0400
    ((recorded,),) = query(db, "select as_of from marts.fct_builds order by built_at desc limit 1")
    assert str(recorded) == as_of.replace("T", " ").removesuffix("Z")


def test_incremental_builds_equal_a_full_refresh(tmp_path: Path, incremental_db: Path) -> None:
    db = tmp_path / "full.duckdb"
    shutil.copy(incremental_db, db)
    cli(db, "build", "--full-refresh")
    con = duckdb.connect(str(db), read_only=True)
    tables = [
        (s, t)
        for s, t in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('intermediate', 'marts') and table_name <> 'fct_builds'"
        ).fetchall()
    ]
    con.close()
    assert len(tables) >= 15
    for schema, table in tables:
        assert table_digest(db, schema, table) == table_digest(incremental_db, schema, table), (
            f"{schema}.{table} differs between incremental and full-refresh builds"
        )


def test_rebuild_from_the_archive_gives_the_same_database(
    tmp_path: Path, incremental_db: Path
) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(incremental_db, db)
    shutil.copytree(incremental_db.parent / "archive", tmp_path / "archive")
    journal = tmp_path / "archive" / "warehouse.journal.jsonl"
    journal.rename(tmp_path / "archive" / "w.journal.jsonl")
    before = {t: table_digest(db, "raw", t) for t in RAW_TABLES}
    marts_before = {t: table_digest(db, "marts", t) for t in MART_TABLES}
    assert sorted(p.name for p in (tmp_path / "archive").iterdir() if len(p.name) == 64) == sorted(
        hashlib.sha256((SNAPSHOTS / n).read_bytes()).hexdigest() for n, _ in SEQUENCE
    )
    result = cli(db, "rebuild")
    assert "5 loads, 0 retractions replayed" in result.stdout
    assert (tmp_path / "w.duckdb.before-rebuild").exists()
    assert {t: table_digest(db, "raw", t) for t in RAW_TABLES} == before
    assert {t: table_digest(db, "marts", t) for t in MART_TABLES} == marts_before


def test_retracted_load_is_left_out_and_nothing_is_deleted(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    for index in range(3):
        load_snapshot(db, index)
    # a bad load: snapshot 3 with the wrong date makes 20 bogus entries on Jan 25
    bad = cli(
        db,
        "load",
        str(SNAPSHOTS / SEQUENCE[2][0]),
        "--date",
        "2019-01-25",
        "--observed-at",
        "2019-01-24T17:00:00Z",
    )
    bad_batch = bad.stdout.split("batch ")[1].split(":")[0]
    for index in range(3, len(SEQUENCE)):
        load_snapshot(db, index)
    assert query(db, "select count(distinct entry_key) from raw.entry_events") == [(49,)]
    cli(db, "retract", bad_batch, "--reason", "loaded with the wrong --date")
    cli(db, "build")
    assert query(db, "select count(*) from marts.fct_entries") == [(28,)]
    assert query(
        db,
        f"""select count(*) from raw.entry_events
                         where load_batch_id = '{bad_batch}'""",
    ) == [(20,)]
    assert query(db, "select retraction_reason from staging.stg_liveblog__retractions") == [
        ("loaded with the wrong --date",)
    ]
    again = subprocess.run(
        [sys.executable, "-m", "liveledger.cli", "retract", bad_batch, "--reason", "twice"],
        cwd=REPO,
        env={**os.environ, "LIVELEDGER_DB": str(db)},
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "already retracted" in again.stderr
    rebuilt = cli(db, "rebuild")
    assert "6 loads, 1 retractions replayed" in rebuilt.stdout
    assert query(db, "select count(*) from marts.fct_entries") == [(28,)]
