"""The warehouse lock: one writer at a time, a named holder, no stale locks.

Waiting is tested without timing: the holder is a subprocess that lets go
when told to, and we tell it from the ``on_wait`` callback, which the lock
calls only once it has found the lock taken.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from liveledger import lock
from liveledger.errors import DatabaseBusyError, LockTimeoutError, OptionError, ProjectError
from test_cli import assert_user_error, run


@contextmanager
def holder(script: str) -> Iterator[subprocess.Popen[str]]:
    """A subprocess that takes something, prints "held", and lets go on a line of stdin."""
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "held"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def lock_holder(db: Path, command: str = "load") -> str:
    return f"""
        import sys
        from pathlib import Path
        from liveledger.lock import writer_lock
        with writer_lock(Path({str(db)!r}), {command!r}, 0):
            print("held", flush=True)
            sys.stdin.readline()
    """


def release(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.write("\n")
    process.stdin.flush()


def test_the_holder_is_recorded_and_cleared(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with lock.writer_lock(db, "build", 0):
        record = json.loads(lock.lock_path(db).read_text())
        assert record["pid"] == os.getpid() and record["command"] == "build"
        assert lock.read_holder(lock.lock_path(db)) == lock.Holder(
            os.getpid(), "build", record["started_at"]
        )
    assert lock.lock_path(db).read_text() == ""
    assert lock.read_holder(lock.lock_path(db)) is None


def test_a_second_writer_gives_up_naming_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with holder(lock_holder(db, "build")) as process:
        with pytest.raises(LockTimeoutError) as raised:
            with lock.writer_lock(db, "load", 0):
                pytest.fail("got the lock while another process held it")
        message = str(raised.value)
        assert f"locked by PID {process.pid} (liveledger build, started " in message
        assert "--lock-timeout" in message
        release(process)


def test_a_second_writer_waits_and_then_runs(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    told: list[str] = []
    with holder(lock_holder(db)) as process:

        def on_wait(message: str) -> None:
            told.append(message)
            release(process)

        with lock.writer_lock(db, "build", 120, on_wait=on_wait):
            assert process.wait(timeout=60) == 0
            assert json.loads(lock.lock_path(db).read_text())["command"] == "build"
    assert len(told) == 1
    assert told[0].startswith(f"waiting for PID {process.pid} (liveledger load, started ")
    assert told[0].endswith(f"to release {db} (up to 120 s)")


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with holder(lock_holder(db)) as process:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    record = json.loads(lock.lock_path(db).read_text())
    assert record["pid"] == process.pid  # its record is still there ...
    assert lock.read_holder(lock.lock_path(db)) is None  # ... but known to be stale
    with lock.writer_lock(db, "load", 0):  # and the lock is free at once
        pass


def test_writers_wait_for_a_reader_outside_liveledger(tmp_path: Path) -> None:
    """A BI tool with the warehouse open blocks DuckDB writers; we wait for it."""
    db = tmp_path / "w.duckdb"
    duckdb.connect(str(db)).close()
    reader = f"""
        import duckdb, sys
        con = duckdb.connect({str(db)!r}, read_only=True)
        print("held", flush=True)
        sys.stdin.readline()
    """
    with holder(reader) as process:
        with pytest.raises(
            DatabaseBusyError, match=f"open in another program \\(PID {process.pid}\\)"
        ):
            with lock.writer_lock(db, "load", 0):
                pass
        told: list[str] = []

        def on_wait(message: str) -> None:
            told.append(message)
            release(process)

        with lock.writer_lock(db, "load", 120, on_wait=on_wait):
            duckdb.connect(str(db)).execute("create table t (x integer)")
    assert len(told) == 1 and f"another program (PID {process.pid})" in told[0]


def test_publish_needs_an_existing_warehouse(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no warehouse at"):
        with lock.writer_lock(tmp_path / "none.duckdb", "publish", 0, read_only=True):
            pass
    assert not (tmp_path / "none.duckdb").exists()


@pytest.mark.parametrize(
    ("option", "variable", "expected"),
    [
        (None, None, lock.DEFAULT_TIMEOUT_SECONDS),
        (None, "2.5", 2.5),
        (7.0, "2.5", 7.0),
        (0.0, None, 0.0),
    ],
)
def test_timeout_comes_from_option_then_variable_then_default(
    monkeypatch: pytest.MonkeyPatch,
    option: float | None,
    variable: str | None,
    expected: float,
) -> None:
    if variable is None:
        monkeypatch.delenv(lock.TIMEOUT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(lock.TIMEOUT_VARIABLE, variable)
    assert lock.resolve_timeout(option) == expected


@pytest.mark.parametrize("bad", ["soon", "-1", "nan"])
def test_a_bad_timeout_variable_is_a_user_error(monkeypatch: pytest.MonkeyPatch, bad: str) -> None:
    monkeypatch.setenv(lock.TIMEOUT_VARIABLE, bad)
    with pytest.raises(OptionError, match=lock.TIMEOUT_VARIABLE):
        lock.resolve_timeout(None)


def test_cli_second_writer_exits_3_naming_the_holder(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with holder(lock_holder(db, "build")) as process:
        result = run("--lock-timeout", "0", "load", str(tmp_path / "x.txt"), db=db)
        assert_user_error(result, f"is locked by PID {process.pid} (liveledger build")
        assert result.returncode == 3
        release(process)


def test_cli_rejects_a_bad_lock_timeout(tmp_path: Path) -> None:
    result = run("--lock-timeout", "-3", "build", db=tmp_path / "w.duckdb")
    assert result.returncode == 2
    assert "is not a number of seconds" in result.stderr
    assert "Traceback" not in result.stderr
