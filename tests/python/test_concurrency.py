"""Loads, builds, publishes and a reader, all started at once, round after round.

Every round starts, simultaneously and in a shuffled order (the impatient
build last), against one warehouse:

- four ``load`` processes on overlapping snapshots of one blog (a growing
  blog, a corrected entry, a blog with rejects), all waiting as long as needed;
- one ``build`` that waits as long as needed;
- one more ``load`` of all of them and, started last, one more ``build``, both
  waiting only 0.3 s;
- from the second round on, a ``publish`` and a ``status`` (a reader, which
  takes no lock but blocks DuckDB writers while it has the file open).

Each process must succeed, or (only those allowed to give up) exit 3 with the
one-line lock message naming the holder. After each round the event log must
hold exactly the events of all files loaded so far, each once, every batch
whole, and the file must open. ``make test`` runs 2 rounds;
``--concurrency-rounds N`` runs N.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS
from liveledger.parser import parse_blog
from liveledger.places import PlaceIndex
from raw_state import assert_consistent, read_raw_state

PATIENT = "600"
IMPATIENT = "0.3"
LOCK_MESSAGE = re.compile(
    r"^liveledger: error: .+ is locked by (PID \d+ \(liveledger (load|build|publish), "
    rf"started [0-9T:-]+Z\)|another liveledger process); gave up after waiting {IMPATIENT} s\. "
)
READER_BUSY = re.compile(r"^liveledger: error: .+ is in use by another process \(PID \d+\)")


@dataclass
class Job:
    name: str
    args: list[str]
    may_give_up: bool = False
    reader: bool = False
    process: subprocess.Popen[str] | None = None


def snapshots(folder: Path, day: dt.date) -> list[Path]:
    """Five overlapping inputs about one blog day (and one blog with rejects).

    Earlier snapshots of a live blog lack its newest entries, which sit at the
    top; a corrected snapshot changes one entry's text.
    """
    stated = "Thursday, Jan. 24, 2019"
    text = SAMPLE.read_text(encoding="utf-8").replace(
        stated, f"{day:%A}, {day:%b}. {day.day}, {day.year}"
    )
    header, first, rest = text.partition("4:25 p.m.\n")
    entries = re.split(
        r"\n(?=(?:\d{1,2}(?::\d{2})? [ap]\.m\.|noon|midnight)\n)", first + rest, flags=re.IGNORECASE
    )
    assert len(entries) == 29
    growing = [header + "\n".join(entries[-n:]) for n in (10, 20, 29)]
    corrected = growing[-1].replace("Putin has offered his support", "Putin offered support")
    assert corrected != growing[-1]
    partial_day = dt.date(2021, 8, 20) + (day - dt.date(2019, 1, 24))
    partial = (
        (TEST_BLOGS / "kabul-partial-rejects.txt")
        .read_text(encoding="utf-8")
        .replace(
            "Friday, Aug. 20, 2021",
            f"{partial_day:%A}, {partial_day:%b}. {partial_day.day}, {partial_day.year}",
        )
    )
    paths = []
    for name, content in [
        ("first", growing[0]),
        ("second", growing[1]),
        ("full", growing[2]),
        ("corrected", corrected),
        ("partial", partial),
    ]:
        path = folder / f"{day}-{name}.txt"
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths


def expected_versions(paths: list[Path], places: PlaceIndex) -> set[tuple[str, str]]:
    """What the log must hold: every entry version in the files, by the pure parser.

    Event ids depend on the order the loads won the lock (a snapshot is
    diffed against the state before it), so the comparison is on the
    versions: (entry key, content hash).
    """
    versions = set()
    for path in paths:
        parsed = parse_blog(path.read_text(encoding="utf-8"), places)
        versions |= {(e.entry_key, e.content_hash) for e in parsed.entries}
    return versions


def jobs_for_round(number: int, inputs: list[Path]) -> list[Job]:
    first, second, full, corrected, partial = map(str, inputs)
    jobs = [
        Job("load first+second+full", ["--lock-timeout", PATIENT, "load", first, second, full]),
        Job(
            "load second+full+corrected",
            ["--lock-timeout", PATIENT, "load", second, full, corrected],
        ),
        Job(
            "load corrected+partial+full",
            ["--lock-timeout", PATIENT, "load", corrected, partial, full],
        ),
        Job(
            "load partial+first+corrected",
            ["--lock-timeout", PATIENT, "load", partial, first, corrected],
        ),
        Job(
            "impatient load of all",
            ["--lock-timeout", IMPATIENT, "load", *map(str, inputs)],
            may_give_up=True,
        ),
        Job("build", ["--lock-timeout", PATIENT, "build"]),
    ]
    if number > 0:  # the first round's build makes the warehouse and its marts
        jobs.append(Job("status", ["status"], reader=True))
        jobs.append(Job("publish", ["--lock-timeout", PATIENT, "publish"]))
    return jobs


def test_simultaneous_writers_lose_and_duplicate_nothing(
    tmp_path: Path, places: PlaceIndex, pytestconfig: pytest.Config
) -> None:
    rounds = int(pytestconfig.getoption("--concurrency-rounds"))
    db = tmp_path / "w.duckdb"
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    loaded: list[Path] = []
    gave_up: list[str] = []
    for number in range(rounds):
        inputs = snapshots(tmp_path, dt.date(2019, 1, 24) + dt.timedelta(days=number))
        loaded += inputs
        jobs = jobs_for_round(number, inputs)
        random.Random(number).shuffle(jobs)
        # Started last, it nearly always meets a held lock and shows a build
        # giving up cleanly; winning the race would cost a second dbt build.
        jobs.append(
            Job("impatient build", ["--lock-timeout", IMPATIENT, "build"], may_give_up=True)
        )
        for job in jobs:
            job.process = subprocess.Popen(
                [sys.executable, "-m", "liveledger.cli", *job.args],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        for job in jobs:
            assert job.process is not None
            stdout, stderr = job.process.communicate(timeout=900)
            where = f"round {number}, {job.name}: exit {job.process.returncode}\n{stderr[-3000:]}"
            assert "Traceback" not in stderr, where
            if job.process.returncode == 0:
                continue
            last = stderr.strip().splitlines()[-1]
            assert job.process.returncode == 3, where
            if job.may_give_up and LOCK_MESSAGE.match(last):
                gave_up.append(f"round {number}: {job.name}")
            else:
                assert job.reader and READER_BUSY.match(last), where

        state = read_raw_state(db)
        assert_consistent(state)
        assert {
            (str(e["entry_key"]), str(e["content_hash"]))
            for e in state.events
            if e["event_type"] != "entry_removed"
        } == expected_versions(loaded, places)
        assert {str(b["source_path"]) for b in state.batches} == set(map(str, loaded))
        con = duckdb.connect(str(db))  # opens read-write: the file is not corrupted
        try:  # the marts hold what the log held when the last build ran: a part of it
            built = {e for (e,) in con.execute("select entry_id from marts.fct_entries").fetchall()}
        finally:
            con.close()
        assert built <= {str(e["entry_key"]) for e in state.events}
        if number > 0:
            snapshot = duckdb.connect(str(tmp_path / "published" / "marts.duckdb"), read_only=True)
            try:
                tables = {t for (t,) in snapshot.execute("show tables").fetchall()}
            finally:
                snapshot.close()
            assert {"fct_entries", "fct_stances", "dim_actors", "fct_builds"} <= tables
    print(f"{rounds} rounds; gave up on the lock: {gave_up or 'none'}")
