"""Files that are not UTF-8, and stray NUL bytes: read, with what was used said.

A desk that saves a live blog from a Windows editor gets Windows-1252; a
copy through some tools leaves UTF-16 with a byte-order mark or a stray
NUL. None of them is a reason to lose the blog.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE
from liveledger import intake
from liveledger.formats import text
from liveledger.places import PlaceIndex

SMALL = (REPO / "tests" / "data" / "malformed" / "utf8-with-bom.txt").read_text(
    encoding="utf-8-sig"
)


def test_windows_1252_with_an_em_dash_keeps_its_dateline(places: PlaceIndex) -> None:
    data = SMALL.encode("cp1252")
    assert b"\x97" in data  # the dateline's em dash, as Windows-1252 writes it
    parsed, unusable = text.parse(data, places, date=None, time_zone=None, blog_id=None)
    assert not unusable
    assert parsed.header.dateline_city == "CARACAS"
    assert len(parsed.entries) == 3 and parsed.rejections == ()
    assert parsed.encoding == "windows-1252"
    assert "read as windows-1252" in parsed.warnings[0]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(places: PlaceIndex, codec: str) -> None:
    data = SMALL.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff".encode(codec)) + data
    parsed, unusable = text.parse(data, places, date=None, time_zone=None, blog_id=None)
    assert not unusable and len(parsed.entries) == 3 and parsed.encoding == "utf-16"


def test_a_utf8_file_with_damaged_bytes_is_not_taken_for_windows_1252() -> None:
    data = SMALL.encode("utf-8").replace(b"talks", b"t\xe9lks")
    decoded = intake.decode(data)
    assert decoded.encoding == "utf-8" and decoded.undecodable_lines


def test_a_nul_byte_rejects_its_entry_and_keeps_the_others(places: PlaceIndex) -> None:
    data = SAMPLE.read_bytes().replace(b"diplomats home", b"diplomats\x00 home", 1)
    parsed, unusable = text.parse(data, places, date=None, time_zone=None, blog_id=None)
    assert not unusable
    assert len(parsed.entries) == 28
    (rejection,) = parsed.rejections
    assert rejection.reason_code == "nul_byte" and rejection.is_entry
    assert "NUL byte" in rejection.message and "\x00" not in rejection.raw_text
    assert parsed.entries_seen == 29


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"4 p.m.\nText\x00\x00\x00 more\n",
        b"4 p.m.\n" + b"a\x00" * 50,
    ],
)
def test_nul_runs_or_many_nuls_are_binary(data: bytes) -> None:
    decoded = intake.decode(data)
    assert decoded.text is None and decoded.problem is not None
    assert decoded.problem.reason_code == "not_text"


def test_parse_json_states_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes(SMALL.encode("cp1252"))
    result = subprocess.run(
        [sys.executable, "-m", "liveledger.cli", "parse", "--json", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {row["encoding"] for row in rows} == {"windows-1252"}
    assert "warning: the file is not UTF-8; read as windows-1252" in result.stderr
