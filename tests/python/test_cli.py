"""The command line: one-line messages and exit codes, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS


def run(*args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if db is not None:
        env["LIVELEDGER_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_user_error(result: subprocess.CompletedProcess[str], text: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert text in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("liveledger: error: ")


def test_parse_json_has_the_contract_fields() -> None:
    result = run("parse", str(SAMPLE), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 29
    assert {"time_marker", "local_time", "published_at", "body"} <= set(lines[0])
    assert lines[0]["local_time"] == "2019-01-24T16:25:00"
    assert lines[0]["published_at"] == "2019-01-24T20:25:00Z"


def test_parse_table_output() -> None:
    result = run("parse", str(TEST_BLOGS / "bolivia-midnight-crossing.txt"))
    assert result.returncode == 0
    assert "11:55 p.m.  2019-11-10 23:55 America/La_Paz  2019-11-11 03:55Z" in result.stdout


def test_parse_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "never.duckdb"
    assert run("parse", str(SAMPLE), db=db).returncode == 0
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "does-not-exist.txt"], "no such file"),
        (["load", "does-not-exist.txt"], "no such file"),
        (["parse", str(SAMPLE), "--timezone", "Nowhere/Land"], "unknown time zone"),
        (["load", str(SAMPLE), "--timezone", "Nowhere/Land"], "unknown time zone"),
        (["parse", str(REPO / "samples")], "is a directory"),
    ],
)
def test_user_mistakes_get_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    assert_user_error(run(*args, db=tmp_path / "w.duckdb"), message)


def test_bad_date_option_is_explained(tmp_path: Path) -> None:
    result = run("load", str(SAMPLE), "--date", "24/01/2019", db=tmp_path / "w.duckdb")
    assert result.returncode == 2
    assert "is not a date like 2019-01-24" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_file_is_rejected_and_logged(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("load", str(empty), db=tmp_path / "w.duckdb")
    assert_user_error(result, "loaded no entries")
    assert "the file is empty" in result.stderr


def test_undated_blog_tells_which_option_to_pass(tmp_path: Path) -> None:
    undated = tmp_path / "undated.txt"
    undated.write_text(
        "CARACAS, Venezuela (AP) — The Latest on it (all times local):\n1 p.m.\nText.\n"
    )
    result = run("load", str(undated), db=tmp_path / "w.duckdb")
    assert_user_error(result, "loaded no entries")
    assert "pass --date YYYY-MM-DD" in result.stderr
    fixed = run("load", str(undated), "--date", "2019-01-24", db=tmp_path / "w.duckdb")
    assert fixed.returncode == 0, fixed.stderr


def test_status_before_and_after_a_load(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert_user_error(run("status", db=db), "no warehouse at")
    assert run("load", str(SAMPLE), db=db).returncode == 0
    status = run("status", db=db)
    assert status.returncode == 0
    assert "29 seen = 29 appended + 0 already present + 0 rejected" in status.stdout
    assert "marts: not built yet" in status.stdout


def test_a_reader_that_leaves_early_gets_no_traceback(sample_warehouse: Path) -> None:
    """`liveledger summary | head -1`: the pipe closes before the summary is
    written; the command stops quietly with SIGPIPE's status (141)."""
    env = {**os.environ, "LIVELEDGER_DB": str(sample_warehouse)}
    process = subprocess.Popen(
        [sys.executable, "-m", "liveledger.cli", "summary"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # no reader: the first write fails with EPIPE
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, stderr
    assert stderr == ""


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("parse", "load", "build", "status", "summary"):
        assert command in result.stdout
