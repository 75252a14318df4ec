"""`liveledger export-raw`: the event log as Parquet for the Spark target."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS

RAW_TABLES = ["entry_events", "load_batches", "rejected_input", "retractions"]


def run(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env={**os.environ, "LIVELEDGER_DB": str(db), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export") / "w.duckdb"
    blogs = [str(SAMPLE), str(TEST_BLOGS / "hong-kong-marker-forms.txt")]
    result = run("load", *blogs, db=db)
    assert result.returncode in (0, 1), result.stderr  # a test blog may reject pieces
    return db


def test_every_raw_table_round_trips_with_its_types(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "raw"
    result = run("export-raw", "--out", str(out), db=loaded)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".liveledger-export", *RAW_TABLES]
    con = duckdb.connect(str(loaded), read_only=True)
    try:
        for table in RAW_TABLES:
            parquet = f"read_parquet('{out / table}/*.parquet')"
            assert [r[:2] for r in con.execute(f"describe raw.{table}").fetchall()] == [
                r[:2] for r in con.execute(f"describe select * from {parquet}").fetchall()
            ]
            ((differing,),) = con.execute(f"""
                select count(*) from (
                    (select * from raw.{table} except all select * from {parquet})
                    union all
                    (select * from {parquet} except all select * from raw.{table})
                )""").fetchall()
            assert differing == 0, table
        ((events,),) = con.execute(
            f"select count(*) from read_parquet('{out}/entry_events/*.parquet')"
        ).fetchall()
        assert events >= 29
    finally:
        con.close()
    assert f"raw.entry_events: {events} rows -> {out / 'entry_events'}" in result.stdout


def test_a_second_export_replaces_the_first(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "raw"
    assert run("export-raw", "--out", str(out), db=loaded).returncode == 0
    first = (out / "entry_events" / "part-0.parquet").stat().st_ino
    keep = out / "README.txt"
    keep.write_text("not ours")
    assert run("export-raw", "--out", str(out), db=loaded).returncode == 0
    assert (out / "entry_events" / "part-0.parquet").stat().st_ino != first  # a new file
    assert keep.read_text() == "not ours"  # the folder is the export's; others' files stay
    assert sorted(p.name for p in out.glob(".*")) == [".liveledger-export"]  # no staging left


def test_a_file_export_did_not_write_in_a_table_folder_is_refused_not_deleted(
    loaded: Path,
    tmp_path: Path,
) -> None:
    """Spark reads every file of a table folder, so a stranger there is an error; the
    export neither deletes it nor half-replaces the tables."""
    out = tmp_path / "raw"
    assert run("export-raw", "--out", str(out), db=loaded).returncode == 0
    before = {p: p.stat().st_ino for p in out.rglob("*.parquet")}
    stranger = out / "rejected_input" / "mine.parquet"
    stranger.write_bytes(b"someone else's")
    result = run("export-raw", "--out", str(out), db=loaded)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"liveledger: error: {out / 'rejected_input'} holds mine.parquet, which export-raw did "
        "not write (Spark would read it as part of the table); nothing was changed: move it "
        "away and export again"
    ]
    assert stranger.read_bytes() == b"someone else's"
    assert {p: p.stat().st_ino for p in out.rglob("*.parquet") if p != stranger} == before


def test_default_folder_comes_from_the_environment(loaded: Path, tmp_path: Path) -> None:
    out = tmp_path / "from-env"
    result = run("export-raw", db=loaded, LIVELEDGER_RAW_PARQUET=str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "entry_events").is_dir()


def test_no_warehouse_is_one_line(tmp_path: Path) -> None:
    result = run("export-raw", "--out", str(tmp_path / "raw"), db=tmp_path / "missing.duckdb")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"liveledger: error: no warehouse at {tmp_path / 'missing.duckdb'}: "
        "load something first (liveledger load FILE)"
    ]
    assert not (tmp_path / "missing.duckdb").exists()


def test_out_that_is_a_file_is_one_line(loaded: Path, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("")
    result = run("export-raw", "--out", str(target), db=loaded)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "is a file; give a folder" in result.stderr


def test_a_folder_of_an_export_from_before_markers_is_taken_over(
    loaded: Path,
    tmp_path: Path,
) -> None:
    """An older export wrote only <table>/part-0.parquet: upgraded in place, not refused."""
    out = tmp_path / "raw"
    for table in RAW_TABLES:
        (out / table).mkdir(parents=True)
        (out / table / "part-0.parquet").write_bytes(b"old export")
    result = run("export-raw", "--out", str(out), db=loaded)
    assert result.returncode == 0, result.stderr
    assert (out / ".liveledger-export").is_file()
    assert (out / "entry_events" / "part-0.parquet").read_bytes().startswith(b"PAR1")
    (out / ".liveledger-export").unlink()
    (out / "load_batches" / "notes.txt").write_text("not an export's")
    refused = run("export-raw", "--out", str(out), db=loaded)
    assert refused.returncode == 1
    assert "was not written by liveledger export-raw" in refused.stderr
