"""SIGKILL the loader at random moments: nothing is lost, nothing is half-written.

One ``liveledger load`` of 200 generated blogs (about three seconds of work:
parsing, inserting and committing 200 batches, rejects included) is started
and killed with SIGKILL after a random delay, again and again. After every
kill the database must open (read-only, as a reader recovering it would) and
hold exactly the batches that committed before the kill, each one whole, and
nothing of the batch that was interrupted. The next attempt, which runs
with ``--lock-timeout 0`` and so also proves that the killed process left no
stale lock, picks up where the last one stopped. When a chain of attempts
finishes, the event log must equal that of a clean, uninterrupted run.

The delays come from ``random.Random(seed)``, seeds ``--crash-seed`` +
0, 1, 2, ...; each kill's seed, delay and progress are printed. ``make test``
delivers 20 kills; ``--crash-runs N`` delivers N.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS
from raw_state import RawState, assert_consistent, read_raw_state

OBSERVED_AT = "2024-01-01T00:00:00Z"  # fixed, so batch ids are the same in every run
BLOGS = 200
#: A chain of attempts on one database ends when fewer files than this are
#: left (or a run finished before its kill); the next chain starts afresh.
FINISH_BELOW = 5


@dataclass(frozen=True)
class Timings:
    """Seconds a load takes, measured once, to aim the kills at the loading.

    ``start``: a load with nothing to load (start-up, lock, connect);
    ``skip``: per file already loaded; ``load``: per file to load.
    """

    start: float
    skip: float
    load: float

    def delay(self, rng: random.Random, committed: int, remaining: int, kills_left: int) -> float:
        """Somewhere in start-up or the next ``2 * remaining / kills_left`` files.

        On average a kill lets ``remaining / kills_left`` more files commit, so
        the kills of a chain spread over the whole load instead of crowding
        into the start-up of the last re-runs.
        """
        ahead = 2 * remaining * self.load / kills_left
        return rng.uniform(0.3, 1.2) * self.start + committed * self.skip + rng.uniform(0, ahead)


def make_inputs(folder: Path) -> list[Path]:
    """200 distinct blogs: the sample and a blog with rejects, on different days.

    The blog date comes from the header's caption or byline date, so changing
    that date gives a new blog (new blog id and entry keys) with the same text.
    """
    sample = SAMPLE.read_text(encoding="utf-8")
    partial = (TEST_BLOGS / "kabul-partial-rejects.txt").read_text(encoding="utf-8")
    templates = [(sample, "Thursday, Jan. 24, 2019"), (partial, "Friday, Aug. 20, 2021")]
    paths = []
    for index in range(BLOGS):
        text, stated = templates[1 if index % 5 == 4 else 0]
        assert stated in text
        day = dt.datetime.strptime(stated, "%A, %b. %d, %Y").date() - dt.timedelta(days=index)
        path = folder / f"blog-{index:03d}.txt"
        path.write_text(
            text.replace(stated, f"{day:%A}, {day:%b}. {day.day}, {day.year}"), encoding="utf-8"
        )
        paths.append(path)
    return paths


def load_command(db: Path, paths: list[Path]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "liveledger.cli",
        "--db",
        str(db),
        "--lock-timeout",
        "0",
        "load",
        *map(str, paths),
        "--observed-at",
        OBSERVED_AT,
    ]


def run_to_completion(db: Path, paths: list[Path]) -> float:
    started = time.monotonic()
    result = subprocess.run(
        load_command(db, paths), cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return time.monotonic() - started


def committed_prefix(state: RawState, order: list[str]) -> int:
    """How many files, in load order, have committed; they must be the first ones."""
    done = state.batch_ids
    count = len(done)
    assert done == set(order[:count]), "batches committed out of order, or one is missing"
    return count


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], RawState, Timings]:
    """The inputs, the state of a clean run of them, and timings to aim the kills."""
    folder = tmp_path_factory.mktemp("crash-inputs")
    paths = make_inputs(folder)
    seconds = run_to_completion(folder / "clean.duckdb", paths)
    state = read_raw_state(folder / "clean.duckdb")
    assert_consistent(state)
    assert len(state.batches) == BLOGS
    all_skipped = run_to_completion(folder / "clean.duckdb", paths)
    assert read_raw_state(folder / "clean.duckdb") == state
    started = time.monotonic()
    subprocess.run(
        load_command(folder / "empty.duckdb", [folder / "missing.txt"]),
        cwd=REPO,
        capture_output=True,
        timeout=600,
    )
    start = time.monotonic() - started
    return (
        paths,
        state,
        Timings(
            start,
            max(all_skipped - start, 0.0) / len(paths),
            max(seconds - start, 0.1) / len(paths),
        ),
    )


def test_sigkill_at_random_points_loses_and_duplicates_nothing(
    clean: tuple[list[Path], RawState, Timings],
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    paths, expected, timings = clean
    wanted = int(pytestconfig.getoption("--crash-runs"))
    first_seed = int(pytestconfig.getoption("--crash-seed"))
    by_path = {str(b["source_path"]): str(b["load_batch_id"]) for b in expected.batches}
    order = [by_path[str(p)] for p in paths]

    log: list[str] = []
    kills = chains = attempt = committed = 0
    db = tmp_path / "chain-0.duckdb"
    while kills < wanted:
        assert attempt < 3 * wanted + 10, "too few attempts ended in a kill:\n" + "\n".join(log)
        if len(paths) - committed < FINISH_BELOW:
            run_to_completion(db, paths)
            assert read_raw_state(db) == expected, "\n".join(log)
            log.append(f"chain {chains}: finished, equal to the clean run")
            chains += 1
            db, committed = tmp_path / f"chain-{chains}.duckdb", 0
            continue
        seed = first_seed + attempt
        attempt += 1
        delay = timings.delay(
            random.Random(seed), committed, len(paths) - committed, wanted - kills
        )
        process = subprocess.Popen(
            load_command(db, paths),
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _, stderr = process.communicate(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.communicate()
            kills += 1
            outcome = "killed"
        else:  # it finished first: fine, and then it must have finished properly
            assert process.returncode == 0, stderr[-2000:]
            outcome = "finished"
        state = read_raw_state(db)
        assert_consistent(state)
        committed = committed_prefix(state, order)
        assert state == expected.restricted_to(set(order[:committed])), f"seed {seed}"
        log.append(
            f"seed {seed}: {outcome} after {delay:.3f} s with {committed} of "
            f"{len(paths)} batches committed"
        )
        if outcome == "finished":
            assert committed == len(paths)
            assert state == expected
            chains += 1
            db, committed = tmp_path / f"chain-{chains}.duckdb", 0

    run_to_completion(db, paths)
    assert read_raw_state(db) == expected, "\n".join(log)
    log.append(f"chain {chains}: finished, equal to the clean run")
    print(
        f"{kills} kills in {attempt} attempts (seeds {first_seed}..{first_seed + attempt - 1}); "
        f"{chains + 1} chains; {timings}"
    )
    print("\n".join(log))
