"""`liveledger run --inbox`: the scheduled step and its exit codes, and progress output."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, run_cli
from liveledger import run
from liveledger.errors import InputFileError
from liveledger.places import PlaceIndex
from liveledger.progress import Progress
from liveledger.project import Project

PROJECT = Project(REPO)


class Recorder:
    """Stands in for a step (publish, build) and remembers how it was called."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.error = error

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.calls.append(args)
        if self.error is not None:
            raise self.error


def test_run_loads_builds_publishes_and_empties_the_inbox(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, db, out = tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "published"
    monkeypatch.setenv("LIVELEDGER_DB", str(db))  # dbt runs in-process; restore afterwards
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    (inbox / ".partial-download.txt").write_text("half a file")
    publisher = Recorder()
    result = run.run_inbox(PROJECT, db, inbox, publish_dir=out, publisher=publisher,
                           places=places, quiet=True)
    assert [o.status for o in result.outcomes] == ["loaded"]
    assert publisher.calls == [(db, out)]
    assert result.published_to == out
    assert (inbox / "processed" / SAMPLE.name).is_file()
    assert sorted(p.name for p in inbox.iterdir()) == [".partial-download.txt", "processed"]
    con = duckdb.connect(str(db))  # same settings as dbt's in-process connection
    try:
        assert con.execute("select count(*) from marts.fct_entries").fetchone() == (29,)
    finally:
        con.close()


def test_a_rejected_file_fails_the_run_after_the_good_ones_are_published(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / "good.txt")
    (inbox / "bad.txt").write_text("not a live blog\n")
    builder, publisher = Recorder(), Recorder()
    monkeypatch.setattr(run.build, "build", builder)
    with pytest.raises(InputFileError, match=r"1 of 2 inbox files could not be loaded \(bad.txt\)"):
        run.run_inbox(PROJECT, db, inbox, publish_dir=tmp_path / "p", publisher=publisher,
                      places=places, quiet=True)
    assert len(builder.calls) == 1 and len(publisher.calls) == 1
    assert (inbox / "rejected" / "bad.txt").is_file()
    assert (inbox / "processed" / "good.txt").is_file()

    # the same name arriving again is kept apart, and its bytes append nothing
    shutil.copy(SAMPLE, inbox / "good.txt")
    again = run.run_inbox(PROJECT, db, inbox, publish_dir=tmp_path / "p", publisher=publisher,
                          places=places, quiet=True)
    assert [o.status for o in again.outcomes] == ["already_loaded"]
    assert (inbox / "processed" / "good~1.txt").is_file()


def test_a_failing_publish_fails_the_run(
    tmp_path: Path, places: PlaceIndex, monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setattr(run.build, "build", Recorder())
    with pytest.raises(run.PublishFailedError, match="publish to .* failed: disk full"):
        run.run_inbox(PROJECT, tmp_path / "w.duckdb", inbox, publish_dir=tmp_path / "p",
                      publisher=Recorder(OSError("disk full")), places=places, quiet=True)


def test_cli_run_exit_codes(tmp_path: Path) -> None:
    missing = run_cli(tmp_path / "w.duckdb", "run", "--inbox", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"liveledger: error: {tmp_path / 'nope'}: no such inbox folder; "
        "create it or pass another --inbox")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_lines_in_a_log_and_nothing_when_quiet() -> None:
    log, terminal, quiet = io.StringIO(), Terminal(), Terminal()
    for stream, is_quiet in ((log, False), (terminal, False), (quiet, True)):
        with Progress(2, "loading", quiet=is_quiet, stream=stream) as progress:
            progress.advance("a.txt: 3 appended")
            progress.advance("b.txt: 1 appended")
    assert log.getvalue() == "a.txt: 3 appended\nb.txt: 1 appended\n"
    assert "2/2" in terminal.getvalue() and "━" in terminal.getvalue()
    assert "a.txt: 3 appended" in terminal.getvalue()
    assert quiet.getvalue() == ""


def test_load_quiet_prints_nothing_but_plain_lines_otherwise(tmp_path: Path) -> None:
    loud = run_cli(tmp_path / "a.duckdb", "load", str(SAMPLE))
    assert loud.returncode == 0
    assert loud.stdout.startswith(f"{SAMPLE}: batch ") and "29 appended" in loud.stdout
    assert "━" not in loud.stdout  # not a terminal: no bar
    silent = run_cli(tmp_path / "b.duckdb", "load", "--quiet", str(SAMPLE))
    assert silent.returncode == 0
    assert silent.stdout == ""
