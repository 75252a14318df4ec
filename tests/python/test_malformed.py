"""Bad input never crashes the loader, never loses a good entry, and is explained.

``tests/data/malformed/manifest.csv`` lists every case with its expected
outcome: the file's status, the reason codes its rejects land under in
``raw.rejected_input``, and how many entries were seen, appended and
rejected. Committed files live beside the manifest; the cases that are too
big to commit or cannot be committed (a 50 MB file, a named pipe, a
directory) are made here at run time.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE
from liveledger import intake
from liveledger.load import LoadOptions, load_paths
from liveledger.places import PlaceIndex

CORPUS = REPO / "tests" / "data" / "malformed"
MEGABYTE = 1 << 20

#: A small, valid blog the generated cases are built around (3 entries).
HEADER = (
    "The Latest: Talks Resume In Caracas\n\n"
    "Protesters gather in Caracas, Venezuela, Thursday, Jan. 24, 2019. (AP Photo/Test)\n\n"
)
DATELINE = "CARACAS, Venezuela (AP) — The Latest on the talks in Venezuela (all times local):\n\n"
ENTRIES = (
    "4:25 p.m.\n\nThe opposition says talks will resume on Friday.\n\n___\n\n"
    "2:10 p.m.\n\n{body}\n\n___\n\n"
    "9 a.m.\n\nDiplomats from Norway arrived in Caracas overnight.\n"
)
#: Text for the 1 MB lines: words, commas, colons and dots, which the header
#: and marker patterns have to scan (and must not backtrack on).
FILLER = "Lorem ipsum, dolor: sit amet. Consectetur (adipiscing) elit - "


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    status: str
    reasons: frozenset[str]
    seen: int
    appended: int
    rejected: int
    note: str


def read_manifest() -> list[Case]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Case(
                row["input"],
                row["kind"],
                row["status"],
                frozenset(row["reasons"].split()),
                int(row["seen"]),
                int(row["appended"]),
                int(row["rejected"]),
                row["note"],
            )
            for row in csv.DictReader(handle)
        ]


CASES = read_manifest()


def _big_50mb(path: Path) -> None:
    """2048 copies of the sample's entries, each copy with one impossible marker.

    Going down the file each copy starts again at 4:25 p.m., more than twelve
    hours after the 12:15 a.m. above it, so each copy is the day before.
    """
    header, marker, entries = SAMPLE.read_text(encoding="utf-8").partition("4:25 p.m.\n")
    copy = f"{marker}{entries}\n___\n\n99:99 p.m.\n\nA marker that is no time.\n\n___\n\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(header)
        for _ in range(2048):
            handle.write(copy)
    assert path.stat().st_size >= 50 * 1_000_000


def _blog(body: str = "The government says it supports dialogue.", header_line: str = "") -> str:
    return HEADER + header_line + DATELINE + ENTRIES.format(body=body)


def _long_line() -> str:
    return (FILLER * (MEGABYTE // len(FILLER) + 1))[:MEGABYTE]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


GENERATORS: dict[str, Callable[[Path], object]] = {
    "big-50mb.txt": _big_50mb,
    "one-mb-single-line.txt": lambda path: path.write_text(_long_line(), encoding="utf-8"),
    "one-mb-line-in-header.txt": lambda path: path.write_text(
        _blog(header_line=_long_line() + "\n\n"), encoding="utf-8"
    ),
    "one-mb-line-in-entry.txt": lambda path: path.write_text(
        _blog(body=_long_line()), encoding="utf-8"
    ),
    "a-directory": lambda path: path.mkdir(),
    "a-named-pipe": _fifo,
    "dev-null": lambda path: path.symlink_to(os.devnull),
    "dangling-symlink.txt": lambda path: path.symlink_to(path.parent / "gone.txt"),
    "it's; rm -rf $(pwd) `id` & name.txt": lambda path: path.write_text(_blog(), encoding="utf-8"),
}


def materialise(case: Case, folder: Path) -> Path:
    """The input of a case: the committed file, or one made in ``folder``."""
    if case.kind == "file":
        return CORPUS / case.name
    assert case.kind == "generated", case
    path = folder / case.name
    GENERATORS[case.name](path)
    return path


def test_the_corpus_is_complete() -> None:
    """Every committed file has a manifest row and vice versa; 40+ cases."""
    committed = {p.name for p in CORPUS.iterdir() if p.name != "manifest.csv"}
    listed = {c.name for c in CASES if c.kind == "file"}
    assert committed == listed
    assert {c.name for c in CASES if c.kind == "generated"} == set(GENERATORS)
    assert len(committed) >= 40
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_malformed_input(case: Case, tmp_path: Path, places: PlaceIndex) -> None:
    source = materialise(case, tmp_path)
    db = tmp_path / "w.duckdb"
    (outcome,) = load_paths(db, [source], LoadOptions(), places)

    assert outcome.status == case.status, outcome.messages
    counts = outcome.counts
    assert counts is not None, "every input, even an unreadable one, is logged as a batch"
    assert (counts.entries_seen, counts.entries_appended, counts.entries_rejected) == (
        case.seen,
        case.appended,
        case.rejected,
    )
    assert counts.entries_already_present == 0
    assert counts.entries_seen == (
        counts.entries_appended + counts.entries_already_present + counts.entries_rejected
    )
    if case.reasons or case.status != "loaded":
        assert outcome.messages, "a rejected piece must be explained"
    for message in outcome.messages:
        assert message.startswith(f"{source}: ") and "\n" not in message

    con = duckdb.connect(str(db), read_only=True)
    try:
        ((batches, seen, appended, rejected, other),) = con.execute(
            "select count(*), sum(entries_seen), sum(entries_appended), sum(entries_rejected), "
            "sum(other_rejects) from raw.load_batches"
        ).fetchall()
        assert (batches, seen, appended, rejected, other) == (
            1,
            counts.entries_seen,
            counts.entries_appended,
            counts.entries_rejected,
            counts.other_rejects,
        )
        reasons = {
            r for (r,) in con.execute("select reason_code from raw.rejected_input").fetchall()
        }
        assert reasons == case.reasons
        ((entry_rejects, other_rejects),) = con.execute(
            "select count(*) filter (where is_entry), count(*) filter (where not is_entry) "
            "from raw.rejected_input"
        ).fetchall()
        assert (entry_rejects, other_rejects) == (counts.entries_rejected, counts.other_rejects)
        ((events, distinct, keys),) = con.execute(
            "select count(*), count(distinct event_id), count(distinct entry_key) "
            "from raw.entry_events"
        ).fetchall()
        assert events == distinct == keys == case.appended
    finally:
        con.close()


def test_metacharacters_are_stored_verbatim(tmp_path: Path, places: PlaceIndex) -> None:
    source = CORPUS / "sql-and-shell-metacharacters.txt"
    db = tmp_path / "w.duckdb"
    load_paths(db, [source], LoadOptions(), places)
    text = source.read_text(encoding="utf-8")
    con = duckdb.connect(str(db), read_only=True)
    try:
        bodies = [
            b
            for (b,) in con.execute(
                "select body from raw.entry_events order by entry_position"
            ).fetchall()
        ]
        tables = {
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
    finally:
        con.close()
    assert len(bodies) == 3 and all(body in text for body in bodies)
    assert "DROP TABLE raw.entry_events;" in bodies[0] and "$(rm -rf ~)" in bodies[1]
    assert tables == {"load_batches", "entry_events", "rejected_input", "retractions"}


def test_a_file_that_disappears_before_it_is_read(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Listed, then deleted by someone else while the file before it loads."""
    from liveledger import reading

    first, doomed, last = (tmp_path / f"{n}.txt" for n in ("first", "doomed", "last"))
    first.write_text(_blog(), encoding="utf-8")
    doomed.write_text(_blog("The doomed entry."), encoding="utf-8")
    shutil.copy(CORPUS / "crlf-line-endings.txt", last)
    real_read = reading.read_input

    def read_then_delete(path: Path, **options: bool) -> bytes:
        data = real_read(path, **options)
        if path == first:
            doomed.unlink()
        return data

    monkeypatch.setattr(reading, "read_input", read_then_delete)
    outcomes = load_paths(tmp_path / "w.duckdb", [first, doomed, last], LoadOptions(), places)
    assert [o.status for o in outcomes] == ["loaded", "unreadable", "loaded"]
    assert outcomes[1].messages == (f"{doomed}: no such file (was it moved or deleted?)",)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert con.execute(
            "select reason_code, source_path from raw.rejected_input"
        ).fetchall() == [("file_missing", str(doomed))]
    finally:
        con.close()


def test_a_file_deleted_after_it_was_opened_is_still_read_whole(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "vanishing.txt"
    source.write_text(_blog(), encoding="utf-8")
    real_fstat = os.fstat

    def delete_then_fstat(fd: int) -> os.stat_result:
        if source.exists():
            source.unlink()
        return real_fstat(fd)

    monkeypatch.setattr(intake.os, "fstat", delete_then_fstat)
    (outcome,) = load_paths(tmp_path / "w.duckdb", [source], LoadOptions(), places)
    assert not source.exists()
    assert outcome.status == "loaded"
    assert outcome.counts is not None and outcome.counts.entries_appended == 3


def test_a_file_too_large_to_be_a_blog_is_refused_unread(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "huge.txt"
    source.write_text(_blog(), encoding="utf-8")
    monkeypatch.setattr(intake, "MAX_INPUT_BYTES", source.stat().st_size - 1)
    (outcome,) = load_paths(tmp_path / "w.duckdb", [source], LoadOptions(), places)
    assert outcome.status == "unreadable"
    assert "is it the right file?" in outcome.messages[0]


def test_the_cli_explains_every_bad_file_in_one_run(tmp_path: Path) -> None:
    """All small cases through one ``liveledger load``: no traceback, one line each."""
    small = [c for c in CASES if c.name != "big-50mb.txt"]
    paths = [materialise(case, tmp_path) for case in small]
    env = {**os.environ, "LIVELEDGER_DB": str(tmp_path / "w.duckdb")}
    result = subprocess.run(
        [sys.executable, "-m", "liveledger.cli", "load", *map(str, paths)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    failed = sum(1 for c in small if c.status != "loaded")
    assert result.stderr.splitlines()[-1] == (
        f"liveledger: error: {failed} of {len(small)} files loaded no entries; "
        "their rejects are kept in raw.rejected_input"
    )
    for case, path in zip(small, paths):
        if case.status != "loaded":
            assert f"{path}: " in result.stderr, case.name
    batch_lines = [line for line in result.stdout.splitlines() if ": batch " in line]
    assert len(batch_lines) == len(small)
