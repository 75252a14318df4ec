"""fetch and watch against a local HTTP server the tests start and stop themselves."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, SAMPLE
from liveledger import PARSER_VERSION, cli

PAGE = REPO / "tests" / "data" / "formats" / "ap-venezuela-2019-01-24.html"
ROBOTS = b"User-agent: liveledger\nDisallow: /private\n"


def _older_snapshot() -> bytes:
    """The sample as it stood before its newest two entries (4:25 and 2:40 p.m.)."""
    text = SAMPLE.read_text(encoding="utf-8")
    start, cut = text.index("4:25 p.m."), text.index("2:30 p.m.")
    return (text[:start] + text[cut:]).encode()


class Site:
    """What the server serves; tests change it between polls."""

    def __init__(self) -> None:
        self.blog = _older_snapshot()
        self.page = PAGE.read_bytes()
        self.hits: dict[str, int] = {}
        self.big = b"x" * 200_000


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (the http.server API)
            path = self.path
            site.hits[path] = site.hits.get(path, 0) + 1
            if path == "/robots.txt":
                self._send(200, ROBOTS)
            elif path == "/blog.txt":  # ETag-aware
                etag = '"' + hashlib.sha256(site.blog).hexdigest()[:12] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self._send(304, ETag=etag)
                else:
                    self._send(200, site.blog, ETag=etag, Content_Type="text/plain")
            elif path == "/page.html":  # no validators: same bytes tell "unchanged"
                self._send(200, site.page, Content_Type="text/html; charset=utf-8")
            elif path == "/hang":
                time.sleep(4)
                try:
                    self._send(200, b"late")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should
            elif path == "/error500":
                self._send(500, b"oops")
            elif path == "/busy":
                self._send(429, b"slow down", Retry_After="0")
            elif path == "/loop":
                self._send(302, Location="/loop")
            elif path == "/big":
                self._send(200, site.big)
            elif path == "/saved-page":  # a page behind a line of text: detected as text
                self._send(200, b"Saved from the browser\n" + site.page)
            elif path == "/about.html":
                self._send(
                    200, b"<!DOCTYPE html><html><body><h1>About</h1><p>Us.</p></body></html>"
                )
            else:
                self._send(404, b"not here")

    return Handler


@pytest.fixture()
def server() -> Iterator[tuple[str, Site]]:
    site = Site()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", site
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


ENV = {"LIVELEDGER_FETCH_TIMEOUT": "1", "LIVELEDGER_FETCH_BACKOFF": "0.05"}


def fetch(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **ENV, "LIVELEDGER_DB": str(db)}
    return subprocess.run(
        [sys.executable, "-m", "liveledger.cli", "fetch", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def polls(db: Path) -> list[tuple[object, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select url, outcome, http_status, error_code, load_batch_id is not null "
            "from raw.fetch_polls order by requested_at"
        ).fetchall()


def live_entries(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("select count(distinct entry_key) from raw.entry_events").fetchone()
    assert row is not None
    return int(row[0])


def test_fetch_loads_snapshots_and_skips_unchanged_pages(
    server: tuple[str, Site], tmp_path: Path
) -> None:
    base, site = server
    db = tmp_path / "w.duckdb"
    first = fetch(db, f"{base}/blog.txt")
    assert first.returncode == 0, first.stderr
    assert "27 entries seen, 27 appended" in first.stdout
    again = fetch(db, f"{base}/blog.txt")
    assert again.returncode == 0 and "not modified (304)" in again.stdout
    site.blog = SAMPLE.read_bytes()  # the blog grew by two entries
    grown = fetch(db, f"{base}/blog.txt")
    assert grown.returncode == 0, grown.stderr
    assert "29 entries seen, 2 appended, 27 already present" in grown.stdout
    # the web page of the same blog: same keys, nothing new; then the same bytes again
    page = fetch(db, f"{base}/page.html")
    assert page.returncode == 0 and "0 appended, 29 already present" in page.stdout
    same = fetch(db, f"{base}/page.html")
    assert same.returncode == 0 and "unchanged (same bytes" in same.stdout
    assert [p[1:] for p in polls(db)] == [
        ("loaded", 200, None, True),
        ("not_modified", 304, None, False),
        ("loaded", 200, None, True),
        ("loaded", 200, None, True),
        ("unchanged", 200, None, False),
    ]
    assert live_entries(db) == 29
    # archived byte for byte, as a loaded file is
    archive = db.parent / "archive"
    assert (
        archive / hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    ).read_bytes() == SAMPLE.read_bytes()
    with duckdb.connect(str(db), read_only=True) as con:
        sources = con.execute(
            "select distinct source_path from raw.load_batches order by 1"
        ).fetchall()
    assert sources == [(f"{base}/blog.txt",), (f"{base}/page.html",)]


def test_fetch_reads_the_format_it_is_told(server: tuple[str, Site], tmp_path: Path) -> None:
    base, _ = server
    db = tmp_path / "w.duckdb"
    told = fetch(db, "--format", "html", f"{base}/saved-page")
    assert told.returncode == 0, told.stderr
    assert "29 entries seen, 29 appended" in told.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select parser_version from raw.load_batches").fetchall() == [
            (f"{PARSER_VERSION}+html",)
        ]
        assert con.execute("select distinct time_source from raw.entry_events").fetchall() == [
            ("html",)
        ]


def test_fetch_records_each_failure_and_goes_on(server: tuple[str, Site], tmp_path: Path) -> None:
    base, site = server
    db = tmp_path / "w.duckdb"
    urls = [
        f"{base}/{p}"
        for p in (
            "hang",
            "error500",
            "busy",
            "loop",
            "big",
            "about.html",
            "private/x",
            "missing",
            "blog.txt",
        )
    ]
    started = time.monotonic()
    result = fetch(db, *urls, "--retries", "2", "--max-bytes", "100000")
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "liveledger: error: 8 of 9 URLs failed; each poll is recorded in raw.fetch_polls"
    )
    recorded = {
        str(url).removeprefix(base): (outcome, status, code)
        for url, outcome, status, code, _ in polls(db)
    }
    assert recorded == {
        "/hang": ("error", None, "timeout"),
        "/error500": ("error", 500, "server_error"),
        "/busy": ("error", 429, "rate_limited"),
        "/loop": ("error", None, "redirect_loop"),
        "/big": ("error", 200, "too_large"),
        "/about.html": ("rejected", 200, "not_a_live_blog"),
        "/private/x": ("error", None, "robots_disallowed"),
        "/missing": ("error", 404, "http_error"),
        "/blog.txt": ("loaded", 200, None),
    }
    assert site.hits["/error500"] == site.hits["/busy"] == 3  # one attempt, two retries
    assert site.hits["/hang"] == 1  # a timeout is not retried
    assert site.hits["/robots.txt"] == 1  # once per site and run
    assert "/private/x" not in site.hits
    assert "after 3 attempts" in result.stderr
    assert live_entries(db) == 27
    assert elapsed < 60


def test_fetch_rejects_a_url_that_is_not_http(tmp_path: Path) -> None:
    result = fetch(tmp_path / "w.duckdb", "samples/x.txt")
    assert result.returncode == 2
    assert "is not an http(s) URL" in result.stderr and "Traceback" not in result.stderr


def test_watch_builds_after_changes_only_and_stops_at_until(
    server: tuple[str, Site],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The real CLI code in-process, with dbt replaced by a recorder (a build takes minutes)."""
    base, site = server
    built: list[int] = []
    monkeypatch.setattr(cli.build, "build", lambda project, db, **kw: built.append(1))
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)
    until = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=6)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    db = tmp_path / "w.duckdb"

    def grow_after_second_round() -> None:
        while site.hits.get("/blog.txt", 0) < 2:
            time.sleep(0.05)
        site.blog = SAMPLE.read_bytes()

    threading.Thread(target=grow_after_second_round, daemon=True).start()
    code = cli.main(
        ["--db", str(db), "watch", f"{base}/blog.txt", "--every", "1s", "--until", until, "--quiet"]
    )
    assert code == 0, capsys.readouterr().err
    outcomes = [p[1] for p in polls(db)]
    assert outcomes[:2] == ["loaded", "not_modified"]
    assert "loaded" in outcomes[2:]
    assert len(built) == outcomes.count("loaded")
    assert "watch stopped after" in capsys.readouterr().err


def test_watch_ends_cleanly_on_sigterm(server: tuple[str, Site], tmp_path: Path) -> None:
    base, _ = server
    env = {**os.environ, **ENV, "LIVELEDGER_DB": str(tmp_path / "w.duckdb")}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "liveledger.cli", "watch", f"{base}/missing", "--every", "1h"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "w.duckdb").exists() or not _polled(tmp_path / "w.duckdb"):
        assert time.monotonic() < deadline and watcher.poll() is None
        time.sleep(0.2)
    watcher.send_signal(signal.SIGTERM)
    _, err = watcher.communicate(timeout=30)
    assert "Traceback" not in err
    assert "watch stopped after 1 rounds (1 with failures)" in err
    assert watcher.returncode == 1  # the one round failed (404)


def _polled(db: Path) -> bool:
    try:
        return bool(polls(db))
    except duckdb.Error:
        return False


def test_fetched_snapshots_are_replayed_by_rebuild(
    server: tuple[str, Site], tmp_path: Path
) -> None:
    from liveledger import history
    from liveledger.places import PlaceIndex

    base, site = server
    db = tmp_path / "w.duckdb"
    assert fetch(db, f"{base}/blog.txt").returncode == 0
    site.blog = SAMPLE.read_bytes()
    assert fetch(db, f"{base}/blog.txt").returncode == 0

    def events() -> list[tuple[object, ...]]:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(
                "select event_id, entry_key, time_source, observed_at "
                "from raw.entry_events order by event_id"
            ).fetchall()

    before = events()
    result = history.rebuild(db, PlaceIndex.from_seed_dir(REPO / "seeds" / "reference"))
    assert result.loads == 2
    assert events() == before
