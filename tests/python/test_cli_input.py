"""Input at the edges, through the real command: handled or refused, never a traceback.

File names that are not UTF-8, blank lines in a list file, dates and
timestamps at the ends of the calendar, and argparse's own complaints, which
must be one line like every other user error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE
from liveledger.load import read_file_list
from liveledger.records import escape_undecodable, path_text

CRLF = REPO / "tests" / "data" / "malformed" / "crlf-line-endings.txt"


def run(*args: str | bytes, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIVELEDGER_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_error_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("liveledger: error: ")
    return line


def test_a_file_name_that_is_not_utf8_loads_under_an_escaped_name(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    good = folder + b"/caracas-\xff\xfe.txt"
    missing = folder + b"/gone-\xe9.txt"
    shutil.copyfile(SAMPLE, good)
    db = tmp_path / "w.duckdb"
    first = run("load", good, missing, db=db)
    assert "Traceback" not in first.stderr
    assert first.returncode == 1  # the missing one
    shown = f"{tmp_path}/caracas-\\xff\\xfe.txt"
    assert f"{shown}: batch " in first.stdout and "29 appended" in first.stdout
    assert f"{tmp_path}/gone-\\xe9.txt: no such file" in first.stderr
    again = run("load", good, db=db)  # and a later run is not lost either
    assert again.returncode == 0, again.stderr
    assert f"{shown}: already loaded" in again.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        batches = con.execute(
            "select source_path, source_name, entries_appended from raw.load_batches "
            "order by source_name"
        ).fetchall()
        rejects = con.execute("select source_path, reason_code from raw.rejected_input").fetchall()
    finally:
        con.close()
    assert batches == [
        (shown, "caracas-\\xff\\xfe.txt", 29),
        (f"{tmp_path}/gone-\\xe9.txt", "gone-\\xe9.txt", 0),
    ]
    assert rejects == [(f"{tmp_path}/gone-\\xe9.txt", "file_missing")]


def test_escaping_keeps_utf8_and_shows_every_other_byte() -> None:
    assert path_text(os.fsdecode(b"a-\xff-\xc3\xa9.txt")) == "a-\\xff-é.txt"
    assert path_text(Path("plain é.txt")) == "plain é.txt"
    assert escape_undecodable("lone \ud800") == "lone \\ud800"


def test_blank_lines_in_a_list_file_name_no_file(tmp_path: Path) -> None:
    listing = tmp_path / "files.txt"
    listing.write_text(f"{SAMPLE}\n\n   \n{CRLF}\r\n\n", encoding="utf-8")
    assert read_file_list(listing.read_bytes()) == [SAMPLE, CRLF]
    assert read_file_list(b"\n") == [] and read_file_list(b" a b \n") == [Path(" a b ")]
    result = run("load", "--files-from", str(listing), db=tmp_path / "w.duckdb")
    assert result.returncode == 0, result.stderr
    assert len([line for line in result.stdout.splitlines() if ": batch " in line]) == 2


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["parse", str(SAMPLE), "--date", "0001-01-01"], "outside the years 1900-2099"),
        (["parse", str(SAMPLE), "--date", "9999-12-31"], "outside the years 1900-2099"),
        (["load", str(SAMPLE), "--date", "9999-12-31"], "outside the years 1900-2099"),
        (
            ["load", str(SAMPLE), "--observed-at", "9999-12-31T23:59:59-05:00"],
            "outside the range of timestamps",
        ),
        (
            ["load", str(SAMPLE), "--observed-at", "0001-01-01T00:00:00+01:00"],
            "outside the range of timestamps",
        ),
        (["build", "--as-of", "0001-01-01T00:00:00+00:01"], "outside the range of timestamps"),
        (["load"], "load: name at least one FILE, or --files-from LIST"),
        (["no-such-command"], "invalid choice"),
        (["generate", "--blogs", "x", "out"], "is not a whole number"),
        # found by test_cli_fuzz.py:
        (["parse", str(SAMPLE), "--timezone", ""], "unknown time zone ''"),
        (["load", ""], "is an empty file name"),
        (["run", "--inbox", ""], "is an empty file name"),
        (["run", "--inbox", "é" * 300], "at most 255 bytes"),
        (["load", str(SAMPLE), "--workers", "100000"], "1 to 256"),
        (
            ["generate", "--blogs", "1", "--entries-per-blog", str(10**12), "out"],
            "at most 10000 entries per blog",
        ),
        (["evaluate", "--min-precision", "nan"], "is not a share from 0 to 1"),
        (["evaluate", "--min-recall", "1.5"], "is not a share from 0 to 1"),
        (["report", "--top", str(10**400)], "is not a number of rows"),
        (["report", "--top", "0"], "is not a number of rows"),
    ],
)
def test_option_errors_are_one_line_with_exit_2(tmp_path: Path, args: list[str], text: str) -> None:
    line = one_error_line(run(*args, db=tmp_path / "w.duckdb"), 2)
    assert text in line
    assert not (tmp_path / "w.duckdb").exists()


def test_a_file_name_with_a_newline_is_still_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "two\nlines\x1b[2J.txt"
    result = run("parse", str(missing), db=tmp_path / "w.duckdb")
    line = one_error_line(result, 1)
    assert "two\\nlines\\x1b[2J.txt: no such file" in line


def test_an_os_error_on_a_users_path_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the checks cannot foresee (a full disk, a name too long) is still one line."""
    import errno

    from liveledger import cli, status

    def refuse(db_path: Path) -> str:
        raise OSError(errno.ENOSPC, "No space left on device", os.fsdecode(b"/full/\xff"))

    monkeypatch.setattr(status, "status_report", refuse)
    assert cli.main(["--db", str(tmp_path / "w.duckdb"), "status"]) == 1
    assert capsys.readouterr().err == (
        "liveledger: error: disk full while writing: nothing lost (what committed is whole, "
        "the rest was rolled back); free space and run the same command again\n"
    )

    def too_long(db_path: Path) -> str:
        raise OSError(errno.ENAMETOOLONG, "File name too long", os.fsdecode(b"/long/\xff"))

    monkeypatch.setattr(status, "status_report", too_long)
    assert cli.main(["--db", str(tmp_path / "w.duckdb"), "status"]) == 1
    assert capsys.readouterr().err == ("liveledger: error: /long/\\xff: file name too long\n")

    def bug(db_path: Path) -> str:
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr(status, "status_report", bug)
    with pytest.raises(OSError):  # a bug of ours still shows its traceback
        cli.main(["--db", str(tmp_path / "w.duckdb"), "status"])
