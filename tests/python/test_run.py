"""`liveledger run --inbox`: the scheduled step and its exit codes, and progress output."""

from __future__ import annotations

import io
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS, run_cli
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
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, db, out = tmp_path / "inbox", tmp_path / "w.duckdb", tmp_path / "published"
    monkeypatch.setenv("LIVELEDGER_DB", str(db))  # dbt runs in-process; restore afterwards
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    (inbox / ".partial-download.txt").write_text("half a file")
    publisher = Recorder()  # end-to-end twin: test_the_readme_cron_line_runs_twice_...
    result = run.run_inbox(
        PROJECT, db, inbox, publish_dir=out, publisher=publisher, places=places, quiet=True
    )
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
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / "good.txt")
    (inbox / "bad.txt").write_text("not a live blog\n")
    # end-to-end twin: test_security.py::test_run_refuses_a_symlink_in_the_inbox_...
    # (a rejected file and a refused link beside a good one, real build and publish)
    builder, publisher = Recorder(), Recorder()
    monkeypatch.setattr(run.build, "build", builder)
    with pytest.raises(InputFileError, match=r"1 of 2 inbox files could not be loaded \(bad.txt\)"):
        run.run_inbox(
            PROJECT,
            db,
            inbox,
            publish_dir=tmp_path / "p",
            publisher=publisher,
            places=places,
            quiet=True,
        )
    assert len(builder.calls) == 1 and len(publisher.calls) == 1
    assert (inbox / "rejected" / "bad.txt").is_file()
    assert (inbox / "processed" / "good.txt").is_file()

    # the same name arriving again is kept apart, and its bytes append nothing
    shutil.copy(SAMPLE, inbox / "good.txt")
    again = run.run_inbox(
        PROJECT,
        db,
        inbox,
        publish_dir=tmp_path / "p",
        publisher=publisher,
        places=places,
        quiet=True,
    )
    assert [o.status for o in again.outcomes] == ["already_loaded"]
    assert (inbox / "processed" / "good~1.txt").is_file()


def test_a_failing_publish_fails_the_run(
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"  # end-to-end twin: the next test
    inbox.mkdir()
    monkeypatch.setattr(run.build, "build", Recorder())
    with pytest.raises(run.PublishFailedError, match="publish to .* failed: disk full"):
        run.run_inbox(
            PROJECT,
            tmp_path / "w.duckdb",
            inbox,
            publish_dir=tmp_path / "p",
            publisher=Recorder(OSError("disk full")),
            places=places,
            quiet=True,
        )


def test_cli_run_fails_when_publishing_fails_after_the_build(tmp_path: Path) -> None:
    """The end-to-end twin of the fake failing publisher above: the real load and build
    succeed, the real publish step fails, the run exits 1 with one line."""
    inbox, out = tmp_path / "inbox", tmp_path / "published"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / "good.txt")
    out.mkdir()
    (out / ".liveledger-publish").write_text("")
    (out / "snapshots").write_text("a file where publish keeps its versions")
    result = run_cli(tmp_path / "w.duckdb", "run", "--inbox", str(inbox), "--quiet")
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [
        f"liveledger: error: {out / 'snapshots'} is not the folder publish keeps its versions "
        "in; move it away"
    ]
    assert (inbox / "processed" / "good.txt").is_file()
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_entries").fetchone() == (29,)
    finally:
        con.close()


def test_cli_run_exit_codes(tmp_path: Path) -> None:
    missing = run_cli(tmp_path / "w.duckdb", "run", "--inbox", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"liveledger: error: {tmp_path / 'nope'}: no such inbox folder; "
        "create it or pass another --inbox"
    )


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


# --- end to end: the README's cron line, as a scheduler runs it -----------------------------


def readme_cron_command(root: Path) -> str:
    """The command of the cron line in the README's "Scheduled runs", for a checkout at
    ``root``: only the paths are substituted (``/srv/liveledger`` -> ``root``, the lock file
    into ``root``, ``.venv/bin/liveledger`` -> this environment's); without ``flock`` on the
    machine, the ``flock -n LOCK`` prefix is dropped."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Scheduled runs", 1)[1].split("\n## ", 1)[0]
    (line,) = [ln for ln in section.splitlines() if ln.startswith("*/5 ") and " run --inbox " in ln]
    command = line.split(None, 5)[5]  # after the five schedule fields
    assert command.startswith("cd /srv/liveledger && flock -n /tmp/liveledger.lock "), command
    command = command.replace("/tmp/liveledger.lock", str(root / "liveledger.lock"))
    command = command.replace(
        ".venv/bin/liveledger", shlex.quote(str(Path(sys.executable).with_name("liveledger")))
    )
    command = command.replace("/srv/liveledger", shlex.quote(str(root)))
    if shutil.which("flock") is None:
        command = command.replace(f"flock -n {root / 'liveledger.lock'} ", "")
    return command


def cron(command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` the way cron does: /bin/sh, a bare environment, no terminal."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    env.update({k: v for k, v in os.environ.items() if k == "PYTHONPATH"})  # set in a crontab
    return subprocess.run(
        ["/bin/sh", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=900,
    )


def differing_rows(db: Path, snapshot: Path) -> dict[str, int]:
    """Per mart, rows of the warehouse not in the snapshot plus the reverse (``except all``)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(f"attach '{snapshot}' as snap (read_only)")
        marts = [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'snap' order by 1"
            ).fetchall()
        ]
        assert marts == [
            t
            for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "and table_catalog = current_database() order by 1"
            ).fetchall()
        ]
        out = {}
        for mart in marts:
            ((count,),) = con.execute(f"""
                select count(*) from (
                    (select * from marts.{mart} except all select * from snap.main.{mart})
                    union all
                    (select * from snap.main.{mart} except all select * from marts.{mart}))
                """).fetchall()
            out[mart] = count
        return out
    finally:
        con.close()


def test_the_readme_cron_line_runs_twice_and_publishes_the_marts(tmp_path: Path) -> None:
    """The scheduled step exactly as the README tells users to schedule it: real CLI, real
    build, real publish, with new blogs dropped into the inbox between two runs."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    command = readme_cron_command(tmp_path)
    db = tmp_path / "warehouse" / "liveledger.duckdb"
    published = tmp_path / "warehouse" / "published" / "marts.duckdb"

    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    first = cron(command)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert (first.stdout, first.stderr) == ("", "")  # --quiet: cron mails nothing
    assert differing_rows(db, published) == dict.fromkeys(
        [
            "dim_actors",
            "fct_actor_alignments",
            "fct_builds",
            "fct_entries",
            "fct_entry_versions",
            "fct_stance_events",
            "fct_stances",
        ],
        0,
    )

    blogs = sorted(TEST_BLOGS.glob("*.txt"))
    for blog in blogs:
        shutil.copy(blog, inbox / blog.name)
    shutil.copy(SAMPLE, inbox / SAMPLE.name)  # the fetcher drops the same name again
    second = cron(command)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert (second.stdout, second.stderr) == ("", "")
    assert set(differing_rows(db, published).values()) == {0}
    assert sorted(p.name for p in (inbox / "processed").iterdir()) == sorted(
        [SAMPLE.name, f"{SAMPLE.stem}~1{SAMPLE.suffix}", *(b.name for b in blogs)]
    )
    assert sorted(p.name for p in inbox.iterdir()) == ["processed"]

    reader = duckdb.connect(str(published), read_only=True)
    try:
        ((blogs_published,),) = reader.execute(
            "select count(distinct blog_id) from fct_entries"
        ).fetchall()
        assert blogs_published == 1 + len(blogs)
        ((builds,),) = reader.execute("select count(*) from fct_builds").fetchall()
        assert builds == 2
    finally:
        reader.close()
    for parquet in (published.parent / "parquet").glob("*.parquet"):
        con = duckdb.connect(str(db), read_only=True)
        try:
            ((differing,),) = con.execute(f"""
                select count(*) from (
                    (select * from marts.{parquet.stem} except all
                     select * from read_parquet('{parquet}'))
                    union all
                    (select * from read_parquet('{parquet}') except all
                     select * from marts.{parquet.stem}))""").fetchall()
        finally:
            con.close()
        assert differing == 0, parquet.name
