"""Ctrl-C and SIGTERM: one line, exit 130 / 143, nothing half-written, the lock free.

Each test starts the real command in a subprocess, waits until it is busy
(dbt running models; worker processes parsing a corpus), sends the signal
with ``os.kill`` (or to the whole process group, as a terminal's Ctrl-C
does) and then checks what the command left behind.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE
from liveledger.generate import generate_corpus

LIVELEDGER = [sys.executable, "-m", "liveledger.cli"]


def _as_from_a_terminal() -> None:
    """SIGINT handled by default, as in a terminal's foreground job. A test
    run started in the background by a non-interactive shell inherits SIGINT
    ignored (POSIX), and liveledger rightly keeps an inherited SIG_IGN, so
    without this the Ctrl-C cases would test nothing but the launcher."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(args: list[str], db: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "LIVELEDGER_DB": str(db)}
    return subprocess.Popen(
        [*LIVELEDGER, *args],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_as_from_a_terminal,
    )


def finish(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVELEDGER_DB": str(db)}
    return subprocess.run(
        [*LIVELEDGER, "--lock-timeout", "0", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_one_interrupted_line(stdout: str, stderr: str, signum: int, code: int) -> None:
    assert "Traceback" not in stderr and "Traceback" not in stdout
    assert "KeyboardInterrupt" not in stdout
    (line,) = stderr.splitlines()
    assert line.startswith(f"liveledger: interrupted ({signal.Signals(signum).name}); ")
    assert code == 128 + signum


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_says_so_on_one_line(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "w.duckdb"
    assert finish(["load", str(SAMPLE)], db).returncode == 0
    build = start(["build"], db)
    assert build.stdout is not None
    seen = ""
    for line in build.stdout:  # dbt is running models: interrupt it there
        seen += line
        if " START " in line and "model" in line:
            break
    os.kill(build.pid, signum)
    out, err = build.communicate(timeout=120)
    assert "dbt build failed" not in err
    assert_one_interrupted_line(seen + out, err, signum, build.returncode)
    assert "run liveledger build again" in err
    again = finish(["load", str(SAMPLE)], db)  # the lock is free at once
    assert again.returncode == 0, again.stderr
    assert "already loaded" in again.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], int]:
    """1,200 generated blogs (every one parses without rejects) and their entry count:
    some 36,000 entries, several seconds of loading even on an idle machine."""
    folder = tmp_path_factory.mktemp("corpus")
    done = generate_corpus(folder, 1200, 7)
    return sorted(folder.glob("blog-*.txt")), done.entries


def _log_is_whole(db: Path) -> tuple[int, int]:
    """Every batch row has exactly its events; return (batches, events)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        ((batches, appended),) = con.execute(
            "select count(*), coalesce(sum(entries_appended), 0) from raw.load_batches"
        ).fetchall()
        ((events, orphans),) = con.execute(
            "select count(*), count(*) filter (where load_batch_id not in "
            "(select load_batch_id from raw.load_batches)) from raw.entry_events"
        ).fetchall()
    finally:
        con.close()
    assert orphans == 0 and events == appended
    return batches, events


@pytest.mark.parametrize(
    ("signum", "whole_group"), [(signal.SIGINT, True), (signal.SIGTERM, False)]
)
def test_an_interrupted_load_rolls_back_its_group_and_frees_the_lock(
    tmp_path: Path, corpus: tuple[list[Path], int], signum: int, whole_group: bool
) -> None:
    files, entries = corpus
    db = tmp_path / "w.duckdb"
    load = start(["load", "--workers", "2", *map(str, files)], db)
    # Interrupt once the writer has opened the database and the workers are
    # parsing: a fixed delay raced an idle machine, where the load had finished.
    deadline = time.monotonic() + 60
    while not db.exists() and load.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert load.poll() is None, "the load ended before it could be interrupted"
    if whole_group:  # a terminal's Ctrl-C reaches the workers too
        os.killpg(load.pid, signum)
    else:
        os.kill(load.pid, signum)
    out, err = load.communicate(timeout=120)
    assert_one_interrupted_line(out, err, signum, load.returncode)
    if db.exists():
        batches, _ = _log_is_whole(db)
        assert batches < len(files)
    again = finish(["load", "--workers", "2", *map(str, files)], db)
    assert again.returncode == 0, again.stderr
    assert _log_is_whole(db) == (len(files), entries)
