"""Transient failures are retried, terminal ones never: the rule, watch, and `run --retries`.

The end-to-end case needs no timing: the warehouse is held by a subprocess
that lets go once `run` has said it will retry, so the retry must succeed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE
from liveledger import errors, watch
from liveledger.errors import (
    BuildFailedError,
    DatabaseBusyError,
    DiskFullError,
    InputFileError,
    LiveledgerError,
    LockTimeoutError,
    OptionError,
    ProjectError,
)
from liveledger.retry import retry_transient
from test_lock import holder, lock_holder, release


def test_every_error_says_whether_it_is_transient() -> None:
    transient = {
        cls
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, LiveledgerError) and cls.transient
    }
    assert transient == {DatabaseBusyError, LockTimeoutError, DiskFullError}
    for terminal in (InputFileError, OptionError, ProjectError, BuildFailedError):
        assert not terminal.transient


class Flaky:
    """A step that raises the given errors in turn, then returns "done"."""

    def __init__(self, *failures: LiveledgerError) -> None:
        self.failures = list(failures)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return "done"


def test_a_transient_failure_is_retried_with_doubling_waits() -> None:
    step = Flaky(DatabaseBusyError("held"), DiskFullError("full"))
    waits: list[float] = []
    said: list[str] = []
    assert (
        retry_transient(step, retries=3, first_wait=5, say=said.append, sleep=waits.append)
        == "done"
    )
    assert step.calls == 3 and waits == [5, 10]
    assert said == [
        "held (transient: retry 1 of 3 in 5 s)",
        "full (transient: retry 2 of 3 in 10 s)",
    ]


def test_a_terminal_failure_is_raised_at_once() -> None:
    step = Flaky(BuildFailedError("a dbt test failed"))
    waits: list[float] = []
    with pytest.raises(BuildFailedError):
        retry_transient(step, retries=5, first_wait=1, say=print, sleep=waits.append)
    assert step.calls == 1 and waits == []


def test_the_last_transient_failure_is_raised_when_retries_run_out() -> None:
    step = Flaky(*(DatabaseBusyError(f"held {i}") for i in range(3)))
    with pytest.raises(DatabaseBusyError, match="held 2"):
        retry_transient(step, retries=2, first_wait=1, say=lambda _: None, sleep=lambda _: None)
    assert step.calls == 3


def _rounds(*outcomes: bool | LiveledgerError) -> tuple[watch.Repeated, list[str]]:
    """Run watch.repeat over scripted rounds, with a clock that ends it after them."""
    script = list(outcomes)
    told: list[str] = []
    start = dt.datetime(2019, 1, 24)
    played = 0

    def one_round() -> bool:
        nonlocal played
        played += 1  # the clock moves one second per round
        outcome = script.pop(0)
        if isinstance(outcome, LiveledgerError):
            raise outcome
        return outcome

    done = watch.repeat(
        one_round,
        every=0,
        until=start + dt.timedelta(seconds=len(outcomes) - 1),
        stop=watch.StopSignal(),
        on_error=lambda e: told.append(str(e)),
        now=lambda: start + dt.timedelta(seconds=played),
    )
    return done, told


def test_watch_goes_on_after_a_transient_error() -> None:
    done, told = _rounds(True, LockTimeoutError("the warehouse is busy"), True)
    assert (done.rounds, done.failed) == (3, 1)
    assert told == ["the warehouse is busy"]


def test_watch_ends_on_a_terminal_error() -> None:
    with pytest.raises(BuildFailedError, match="dbt build failed"):
        _rounds(True, BuildFailedError("dbt build failed"), True)


@pytest.fixture()
def warehouse(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    env = {
        **os.environ,
        "LIVELEDGER_DB": str(tmp_path / "w.duckdb"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "LIVELEDGER_RETRY_WAIT": "1",
    }
    return tmp_path / "w.duckdb", inbox, env


def test_run_retries_while_another_command_holds_the_warehouse(
    warehouse: tuple[Path, Path, dict[str, str]],
) -> None:
    db, inbox, env = warehouse
    with holder(lock_holder(db, "build")) as held:
        runner = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "liveledger.cli",
                "--lock-timeout",
                "0",
                "run",
                "--inbox",
                str(inbox),
                "--quiet",
                "--retries",
                "4",
            ],
            cwd=REPO,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert runner.stderr is not None
        first = runner.stderr.readline()
        assert "(transient: retry 1 of 4 in 1 s)" in first, first
        assert f"PID {held.pid}" in first and "build" in first, first
        release(held)
        out, rest = runner.communicate(timeout=900)
    assert runner.returncode == 0, first + rest
    assert out == ""
    assert not any(inbox.glob("*.txt")) and (inbox / "processed" / SAMPLE.name).exists()
    con = duckdb.connect(str(db.parent / "published" / "marts.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from fct_entries").fetchone() == (29,)
    finally:
        con.close()


def test_run_without_retries_gives_up_at_once_with_exit_3(
    warehouse: tuple[Path, Path, dict[str, str]],
) -> None:
    db, inbox, env = warehouse
    with holder(lock_holder(db, "build")):
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "liveledger.cli",
                "--lock-timeout",
                "0",
                "run",
                "--inbox",
                str(inbox),
                "--quiet",
                "--retries",
                "0",
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 3, result.stderr
    assert "transient" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert (inbox / SAMPLE.name).exists()  # nothing moved


@pytest.mark.parametrize("retries", ["-1", "11"])
def test_run_refuses_retries_out_of_range(
    warehouse: tuple[Path, Path, dict[str, str]],
    retries: str,
) -> None:
    _, inbox, env = warehouse
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "liveledger.cli",
            "run",
            "--inbox",
            str(inbox),
            "--retries",
            retries,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"liveledger: error: --retries {retries}: give 0 to 10 extra attempts"
    )
    assert (inbox / SAMPLE.name).exists()  # nothing moved
