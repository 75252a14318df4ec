"""What liveledger reads and writes: only what the user named (README "Security").

Each rule has a test that tries to make liveledger read or touch something
nobody named: a symbolic link in the inbox, a processed/ or rejected/ folder
that leads elsewhere, a file whose name starts with "@", an output folder
holding other people's files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE, TEST_BLOGS, run_cli
from liveledger import intake, publish, run
from liveledger.errors import ForeignFolderError, InputFileError
from liveledger.places import PlaceIndex
from liveledger.project import Project

SECRET = "4:25 p.m.\n\nTHE-SECRET-LINE nobody named this file.\n"


def secret_file(folder: Path) -> Path:
    """A file outside the inbox that would load as a blog if anyone read it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret.txt"
    path.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("4:25 p.m.", SECRET, 1), encoding="utf-8"
    )
    return path


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def nothing_of(secret: Path, db: Path) -> None:
    """Not a byte of ``secret`` reached the warehouse or its archive."""
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    assert not (db.parent / "archive" / digest).exists()
    assert query(
        db, "select count(*) from raw.entry_events where body like '%THE-SECRET-LINE%'"
    ) == [(0,)]
    assert query(
        db, "select count(*) from raw.rejected_input where raw_text like '%THE-SECRET-LINE%'"
    ) == [(0,)]
    assert query(db, f"select count(*) from raw.load_batches where source_sha256 = '{digest}'") == [
        (0,)
    ]


# --- the inbox: links are refused, never followed -----------------------------------------


def test_run_refuses_a_symlink_in_the_inbox_without_reading_its_target(tmp_path: Path) -> None:
    """The scheduled step through the real CLI: the good file is loaded, built and
    published; the link is logged as symlink_refused with no text, moved to rejected/ as a
    link, and its target is neither read nor touched."""
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    secret = secret_file(tmp_path / "outside")
    before = (secret.read_bytes(), secret.stat().st_mtime_ns)
    shutil.copy(SAMPLE, inbox / SAMPLE.name)
    (inbox / "latest.txt").symlink_to(secret)
    (inbox / "bad.txt").write_text("not a live blog\n")  # and a plain rejected file beside it
    result = run_cli(db, "run", "--inbox", str(inbox), "--quiet")
    assert result.returncode == 1, result.stdout[-2000:] + result.stderr[-2000:]
    assert f"{inbox / 'latest.txt'}: is a symbolic link" in result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("liveledger: error: 2 of 3 inbox files could not be loaded (")
    )
    assert query(
        db,
        "select reason_code, raw_text, source_path from raw.rejected_input "
        "where reason_code = 'symlink_refused'",
    ) == [("symlink_refused", "", str(inbox / "latest.txt"))]
    assert (inbox / "rejected" / "bad.txt").is_file()
    nothing_of(secret, db)
    moved = inbox / "rejected" / "latest.txt"
    assert moved.is_symlink() and os.readlink(moved) == str(secret)
    assert (secret.read_bytes(), secret.stat().st_mtime_ns) == before
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["secret.txt"]
    assert (inbox / "processed" / SAMPLE.name).is_file()
    assert query(tmp_path / "published" / "marts.duckdb", "select count(*) from fct_entries") == [
        (29,)
    ]


def test_a_file_swapped_for_a_link_after_the_listing_is_still_refused(
    tmp_path: Path,
    places: PlaceIndex,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """run opens inbox files with O_NOFOLLOW: a link that appears between listing the inbox
    and reading the file is refused too (in-process, to hit that moment)."""
    inbox, db = tmp_path / "inbox", tmp_path / "w.duckdb"
    inbox.mkdir()
    secret = secret_file(tmp_path / "outside")
    (inbox / "snapshot.txt").write_text("a regular file when listed")
    listed = run.inbox_files

    def list_then_swap(folder: Path) -> list[Path]:
        files = listed(folder)
        (inbox / "snapshot.txt").unlink()
        (inbox / "snapshot.txt").symlink_to(secret)
        return files

    monkeypatch.setattr(run, "inbox_files", list_then_swap)
    monkeypatch.setattr(run.build, "build", lambda *args, **kwargs: None)
    with pytest.raises(InputFileError, match="could not be loaded"):
        run.run_inbox(
            Project(REPO),
            db,
            inbox,
            publish_dir=tmp_path / "p",
            publisher=lambda *args: None,
            places=places,
            quiet=True,
        )
    assert query(db, "select reason_code, raw_text from raw.rejected_input") == [
        ("symlink_refused", "")
    ]
    nothing_of(secret, db)
    assert (inbox / "rejected" / "snapshot.txt").is_symlink()


def test_read_input_without_following_refuses_a_link_before_reading(tmp_path: Path) -> None:
    secret = secret_file(tmp_path)
    link = tmp_path / "link.txt"
    link.symlink_to(secret)
    with pytest.raises(InputFileError, match="is a symbolic link") as refused:
        intake.read_input(link, follow_symlinks=False)
    assert refused.value.reason_code == "symlink_refused"
    assert intake.read_input(link) == secret.read_bytes()  # load FILE: the user named it


@pytest.mark.parametrize("name", ["processed", "rejected"])
def test_run_refuses_a_processed_or_rejected_folder_that_is_a_link(
    tmp_path: Path,
    name: str,
) -> None:
    """A link there would make run move inbox files wherever it leads: refused up front
    (exit 2), nothing loaded, nothing moved."""
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "elsewhere"
    inbox.mkdir()
    elsewhere.mkdir()
    shutil.copy(SAMPLE, inbox / "good.txt")
    (inbox / "bad.txt").write_text("not a live blog\n")
    (inbox / name).symlink_to(elsewhere)
    result = run_cli(tmp_path / "w.duckdb", "run", "--inbox", str(inbox), "--quiet")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [
        f"liveledger: error: {inbox / name}: is a symbolic link (to {elsewhere}); run moves "
        "inbox files only into real folders inside the inbox: replace it with a folder"
    ]
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in inbox.iterdir()) == ["bad.txt", "good.txt", name]
    assert query(
        tmp_path / "w.duckdb",
        "select count(*) from information_schema.tables where table_schema = 'raw'",
    ) == [(0,)]  # nothing loaded


def test_run_refuses_an_inbox_that_holds_the_warehouse_and_moves_nothing(
    tmp_path: Path,
) -> None:
    """``--inbox`` at the warehouse's folder would file the database and its journal
    away as rejected input: refused up front (exit 2), nothing moved, nothing loaded."""
    shutil.copy(SAMPLE, tmp_path / "good.txt")
    (tmp_path / "notes.md").write_text("my notes\n")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run_cli(tmp_path / "w.duckdb", "run", "--inbox", str(tmp_path), "--quiet")
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [
        f"liveledger: error: {tmp_path}: is the warehouse's folder ({tmp_path}) or a folder "
        "above it; run would move its files into processed/ and rejected/: give --inbox a "
        "folder of its own that only receives live-blog files"
    ]
    after = sorted(p.name for p in tmp_path.iterdir())
    assert set(before) <= set(after)  # the lock opened the warehouse: nothing else new
    assert set(after) - set(before) <= {"w.duckdb", "w.duckdb.lock", "w.duckdb.wal"}
    assert not (tmp_path / "w.duckdb").exists() or query(
        tmp_path / "w.duckdb",
        "select count(*) from information_schema.tables where table_schema = 'raw'",
    ) == [(0,)]


@pytest.mark.parametrize("inside", ["", "models"])
def test_an_inbox_at_or_above_the_project_is_refused(tmp_path: Path, inside: str) -> None:
    """``run --inbox .`` from the checkout would move README, Makefile and
    dbt_project.yml; a folder above the project would move the project too. A
    folder inside the project that is not the project (here ``models``) is only
    refused when it holds the warehouse or the publish folder, so it passes."""
    project = Project(tmp_path / "checkout")
    (project.root / "models").mkdir(parents=True)
    db, out = tmp_path / "w" / "w.duckdb", tmp_path / "out"
    for inbox in (project.root, tmp_path):
        with pytest.raises(run.OptionError, match="is the liveledger project"):
            run.check_inbox_is_apart(inbox, project=project, db_path=db, publish_dir=out)
    run.check_inbox_is_apart(
        project.root / "models" / inside, project=project, db_path=db, publish_dir=out
    )
    out.mkdir()
    with pytest.raises(run.OptionError, match="is the publish folder"):
        run.check_inbox_is_apart(out, project=project, db_path=db, publish_dir=out)
    db.parent.mkdir()
    with pytest.raises(run.OptionError, match="is the warehouse's folder"):
        run.check_inbox_is_apart(db.parent, project=project, db_path=db, publish_dir=out)


def test_load_follows_a_symlink_the_user_names(tmp_path: Path) -> None:
    """`load FILE` reads what the user named, as cat does; the batch records the name given."""
    link = tmp_path / "latest.txt"
    link.symlink_to(SAMPLE)
    db = tmp_path / "w.duckdb"
    result = run_cli(db, "load", str(link))
    assert result.returncode == 0, result.stderr
    assert query(db, "select source_path, entries_appended from raw.load_batches") == [
        (str(link), 29)
    ]


# --- "@" is a character of a file name, not a command ------------------------------------


def load_in(
    folder: Path,
    db: Path,
    shell_command: str,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``liveledger`` run by a shell in ``folder``, so globs expand as a user's would."""
    env = {**os.environ, "LIVELEDGER_DB": str(db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    liveledger = Path(sys.executable).with_name("liveledger")
    return subprocess.run(
        ["/bin/sh", "-c", f"'{liveledger}' {shell_command}"],
        cwd=folder,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def sources(db: Path) -> list[str]:
    return [str(p) for (p,) in query(db, "select source_name from raw.load_batches order by 1")]


def test_a_globbed_file_named_with_an_at_sign_is_loaded_not_read_as_a_list(
    tmp_path: Path,
) -> None:
    folder, db = tmp_path / "incoming", tmp_path / "w.duckdb"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "x.txt")
    shutil.copy(TEST_BLOGS / "geneva-inline-intro.txt", folder / "@x.txt")
    result = load_in(folder, db, "load --quiet *.txt")
    assert result.returncode == 0, result.stderr
    assert sources(db) == ["@x.txt", "x.txt"]


def test_files_from_names_more_files_one_a_line(tmp_path: Path) -> None:
    folder, db = tmp_path / "incoming", tmp_path / "w.duckdb"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "a b.txt")
    shutil.copy(TEST_BLOGS / "geneva-inline-intro.txt", folder / "@geneva.txt")
    shutil.copy(TEST_BLOGS / "ankara-stance-change.txt", folder / "ankara.txt")
    (folder / "list").write_bytes(b"a b.txt\r\n\n   \n@geneva.txt\n")
    result = load_in(folder, db, "load --quiet ankara.txt --files-from list")
    assert result.returncode == 0, result.stderr
    assert sources(db) == ["@geneva.txt", "a b.txt", "ankara.txt"]
    piped = load_in(
        folder, tmp_path / "piped.duckdb", "load --quiet --files-from -", stdin="ankara.txt\n"
    )
    assert piped.returncode == 0, piped.stderr
    assert sources(tmp_path / "piped.duckdb") == ["ankara.txt"]


def test_files_from_a_missing_list_and_no_files_at_all_are_one_line(tmp_path: Path) -> None:
    missing = run_cli(tmp_path / "w.duckdb", "load", "--files-from", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"liveledger: error: --files-from {tmp_path / 'nope'}: cannot be read (No such file "
        "or directory); give a file listing one FILE per line"
    ]
    nothing = run_cli(tmp_path / "w.duckdb", "load")
    assert nothing.returncode == 2
    assert nothing.stderr.strip().splitlines() == [
        "liveledger: error: load: name at least one FILE, or --files-from LIST"
    ]
    assert not (tmp_path / "w.duckdb").exists()


# --- output folders: only ones liveledger owns, only files it wrote -----------------------


def others_files(folder: Path) -> dict[str, bytes]:
    """A folder someone else uses: their Parquet file, a dot file, a subfolder."""
    (folder / "parquet").mkdir(parents=True)
    files = {
        "theirs.parquet": b"PAR1 theirs",
        ".notes.tmp": b"dot file",
        "parquet/dashboard.parquet": b"PAR1 dashboard",
        "marts.duckdb": b"their db",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def built_marts(db: Path) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema marts")
        con.execute("create table marts.fct_entries as select 'e1' as entry_id")
    finally:
        con.close()


def test_publish_refuses_a_folder_holding_other_files_and_touches_none(tmp_path: Path) -> None:
    db, out = tmp_path / "w.duckdb", tmp_path / "dashboards"
    built_marts(db)
    theirs = others_files(out)
    result = run_cli(db, "publish", "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"liveledger: error: {out} is not empty (.notes.tmp, marts.duckdb, parquet, ...) and "
        "was not written by liveledger publish (it has no .liveledger-publish file); nothing "
        "was changed. Give a new or empty folder: publish deletes what it wrote before, so it "
        "writes only where nothing else is"
    ]
    assert contents(out) == theirs


def test_publish_deletes_only_what_it_wrote_in_its_own_folder(tmp_path: Path) -> None:
    db, out = tmp_path / "w.duckdb", tmp_path / "published"
    built_marts(db)
    publish.publish_marts(db, out)
    (out / "notes.txt").write_text("mine")
    (out / ".marts.duckdb.tmp.bak").write_text("my backup")
    for _ in range(3):
        publish.publish_marts(db, out)
    assert (out / "notes.txt").read_text() == "mine"
    assert (out / ".marts.duckdb.tmp.bak").read_text() == "my backup"


def test_run_refuses_a_foreign_publish_folder_before_touching_the_inbox(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "dashboards"
    inbox.mkdir()
    shutil.copy(SAMPLE, inbox / "good.txt")
    theirs = others_files(out)
    result = run_cli(
        tmp_path / "w.duckdb", "run", "--inbox", str(inbox), "--publish-dir", str(out), "--quiet"
    )
    assert result.returncode == 1
    assert "was not written by liveledger publish" in result.stderr
    assert contents(out) == theirs
    assert sorted(p.name for p in inbox.iterdir()) == ["good.txt"]


def test_export_raw_refuses_a_folder_holding_other_files_and_touches_none(
    tmp_path: Path,
) -> None:
    db, out = tmp_path / "w.duckdb", tmp_path / "lake"
    assert run_cli(db, "load", str(SAMPLE)).returncode == 0
    (out / "entry_events").mkdir(parents=True)
    theirs = {"entry_events/2019.parquet": b"PAR1 theirs", ".keep": b""}
    for name, data in theirs.items():
        (out / name).write_bytes(data)
    result = run_cli(db, "export-raw", "--out", str(out))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(
            f"liveledger: error: {out} is not empty (.keep, entry_events) and was not written by "
            "liveledger export-raw"
        )
    )
    assert contents(out) == theirs


def test_claim_refuses_a_marker_that_is_a_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / publish.MARKER).symlink_to(tmp_path)
    with pytest.raises(ForeignFolderError, match="is not the marker file"):
        publish.claim_out_dir(out)
