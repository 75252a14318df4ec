"""Shared fixtures: the repo's reference seeds and the bundled sample."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liveledger.places import PlaceIndex

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "samples" / "ap-the-latest-venezuela-2019-01-24.txt"
TEST_BLOGS = REPO / "tests" / "data" / "blogs"


@pytest.fixture(scope="session")
def places() -> PlaceIndex:
    return PlaceIndex.from_seed_dir(REPO / "seeds" / "reference")


def blog(*entries: str, header: str | None = None) -> str:
    """A minimal AP-style blog: a dated header and the given entry blocks."""
    top = (
        header
        if header is not None
        else (
            "The Latest: Test Blog\n\n"
            "A photo caption in Caracas, Venezuela, Thursday, Jan. 24, 2019. (AP Photo/Test)\n\n"
            "CARACAS, Venezuela (AP) — The Latest on the test crisis (all times local):\n"
        )
    )
    return top + "\n" + "\n\n".join(entries) + "\n"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Sizes of the reliability tests: small in ``make test``, larger on demand."""
    group = parser.getgroup("liveledger reliability")
    group.addoption(
        "--crash-runs",
        type=int,
        default=20,
        metavar="N",
        help="SIGKILLs the crash test delivers (default 20)",
    )
    group.addoption(
        "--crash-seed",
        type=int,
        default=20190124,
        metavar="SEED",
        help="first random seed of the crash test; kill i uses SEED + i",
    )
    group.addoption(
        "--kill-runs",
        type=int,
        default=2,
        metavar="N",
        help="SIGKILLs per command (build, publish, run --inbox, rebuild) of "
        "the kill campaign; seeds from --crash-seed (default 2)",
    )
    group.addoption(
        "--concurrency-rounds",
        type=int,
        default=2,
        metavar="N",
        help="rounds of simultaneous loads and builds (default 2)",
    )


def run_cli(db: Path, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """The real ``liveledger`` command on ``db``, as a user runs it."""
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample loaded and built, shared by the read-only tests
    (analyses, report, docs): building once keeps the suite affordable."""
    db = tmp_path_factory.mktemp("sample-warehouse") / "sample.duckdb"
    loaded = run_cli(db, "load", str(SAMPLE))
    assert loaded.returncode == 0, loaded.stderr
    built = run_cli(db, "build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return db


def run_dbt(db: Path, target_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """dbt itself (not liveledger) on ``db``, writing artifacts to ``target_path``
    so tests never touch the checkout's target/ that a developer may be using."""
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    return subprocess.run(
        [
            str(dbt),
            *args,
            "--project-dir",
            str(REPO),
            "--profiles-dir",
            str(REPO),
            "--target-path",
            str(target_path),
            "--log-path",
            str(target_path / "logs"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
