"""Poll live blogs over HTTP: one polite, conditional request per URL per poll.

Each poll of a URL sends the ETag / Last-Modified remembered from the last
good response (``raw.fetch_polls``), so an unchanged page costs a 304. New
bytes go the way a file given to ``load`` goes: archived byte for byte,
parsed in whatever format they are (text, web page, NDJSON) and appended as
a snapshot of that blog with the same snapshot diff. The same bytes as the
last poll, or a 304, append nothing.

Being a good citizen: a User-Agent naming liveledger, robots.txt honoured,
a timeout on every request, a size cap, and retries with exponential
backoff only for transient failures (connection errors, 5xx, 429, honouring
a short Retry-After). Every failure is recorded as a poll row and never
stops the other URLs.
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

import duckdb
import requests

from . import __version__, eventlog, polls
from .archive import Archive
from .errors import OptionError
from .load import LoadOptions, load_bytes
from .lock import env_seconds
from .places import PlaceIndex

USER_AGENT = f"liveledger/{__version__} (live-blog archiver; honours robots.txt)"
#: The token robots.txt rules are matched against.
ROBOTS_AGENT = "liveledger"
TIMEOUT_VARIABLE = "LIVELEDGER_FETCH_TIMEOUT"
BACKOFF_VARIABLE = "LIVELEDGER_FETCH_BACKOFF"
DEFAULT_TIMEOUT = 30.0
DEFAULT_BACKOFF = 2.0
DEFAULT_RETRIES = 3
#: A live-blog page is a few hundred kB to a few MB.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
MAX_REDIRECTS = 10
#: A Retry-After longer than this is not waited for; the poll is recorded as failed.
MAX_RETRY_AFTER = 60.0


@dataclass(frozen=True)
class FetchSettings:
    """How patient and how polite one fetch is."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_bytes: int = DEFAULT_MAX_BYTES
    respect_robots: bool = True

    @classmethod
    def from_env(
        cls,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        max_bytes: int | None = None,
    ) -> FetchSettings:
        """Options win; then $LIVELEDGER_FETCH_TIMEOUT / $LIVELEDGER_FETCH_BACKOFF."""
        return cls(
            timeout=timeout
            if timeout is not None
            else env_seconds(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT),
            retries=DEFAULT_RETRIES if retries is None else retries,
            backoff=env_seconds(BACKOFF_VARIABLE, DEFAULT_BACKOFF),
            max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes,
        )


@dataclass(frozen=True)
class PollResult:
    """One URL's poll, for the CLI to report."""

    url: str
    poll: polls.Poll
    messages: tuple[str, ...] = field(default=())
    appended: int = 0
    removed: int = 0

    @property
    def ok(self) -> bool:
        return self.poll.outcome in ("loaded", "unchanged", "not_modified")

    @property
    def new_batch(self) -> bool:
        """Whether this poll committed a new batch (something for ``build`` to do)."""
        return self.poll.outcome in ("loaded", "rejected")


class FetchError(Exception):
    """A poll that got no usable response; ``code`` goes to ``raw.fetch_polls``."""

    def __init__(
        self, code: str, message: str, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Response:
    status: int
    etag: str | None
    last_modified: str | None
    content: bytes


class _ResponseFields(TypedDict):
    """The ``polls.Poll`` fields every poll that got the page's bytes records."""

    http_status: int
    etag: str | None
    last_modified: str | None
    content_bytes: int
    content_sha256: str


def fetch_urls(
    db_path: Path,
    urls: list[str],
    options: LoadOptions,
    places: PlaceIndex,
    settings: FetchSettings,
    on_poll: Callable[[PollResult], None] | None = None,
) -> list[PollResult]:
    """Poll each URL once, in order; load what changed. The caller holds the writer lock."""
    for url in urls:
        check_url(url)
    results: list[PollResult] = []
    archive = Archive(db_path)
    con = eventlog.connect(db_path)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    session.max_redirects = MAX_REDIRECTS
    robots: dict[str, urllib.robotparser.RobotFileParser | FetchError] = {}
    try:
        eventlog.ensure_schema(con)
        polls.ensure_schema(con)
        archive.reconcile(con)
        for url in urls:
            result = _poll(con, archive, session, robots, url, options, places, settings)
            polls.record(con, result.poll)
            results.append(result)
            if on_poll is not None:
                on_poll(result)
        con.execute("checkpoint")
    finally:
        session.close()
        con.close()
    return results


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OptionError(
            f"{url!r} is not an http(s) URL; give the live blog's address, "
            "e.g. https://example.com/live/storm"
        )


def _poll(
    con: duckdb.DuckDBPyConnection,
    archive: Archive,
    session: requests.Session,
    robots: dict[str, urllib.robotparser.RobotFileParser | FetchError],
    url: str,
    options: LoadOptions,
    places: PlaceIndex,
    settings: FetchSettings,
) -> PollResult:
    requested_at = eventlog.utc_now()
    previous = polls.last_validators(con, url)

    def failed(error: FetchError) -> PollResult:
        poll = polls.Poll(
            url,
            requested_at,
            eventlog.utc_now(),
            "error",
            http_status=error.status,
            error_code=error.code,
            error=str(error),
        )
        return PollResult(url, poll, (f"{url}: {error.code}: {error}",))

    try:
        if settings.respect_robots:
            _check_robots(session, robots, url, settings)
        headers = {}
        if previous and previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous and previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        response = _get(session, url, headers, settings)
    except FetchError as error:
        return failed(error)

    if response.status == 304 and previous is None:
        return failed(
            FetchError(
                "http_error",
                "the server answered 304 Not Modified to a request that was not conditional",
                304,
            )
        )
    if response.status == 304:
        assert previous is not None
        poll = polls.Poll(
            url,
            requested_at,
            eventlog.utc_now(),
            "not_modified",
            304,
            previous.etag,
            previous.last_modified,
            None,
            previous.content_sha256,
        )
        return PollResult(url, poll, (f"{url}: not modified (304); nothing appended",))
    sha256 = hashlib.sha256(response.content).hexdigest()
    base = _ResponseFields(
        http_status=response.status,
        etag=response.etag,
        last_modified=response.last_modified,
        content_bytes=len(response.content),
        content_sha256=sha256,
    )
    if previous is not None and previous.content_sha256 == sha256:
        poll = polls.Poll(url, requested_at, eventlog.utc_now(), "unchanged", **base)
        return PollResult(
            url, poll, (f"{url}: unchanged (same bytes as the last poll); nothing appended",)
        )
    snapshot = LoadOptions(
        date=options.date,
        time_zone=options.time_zone,
        blog_id=options.blog_id,
        observed_at=requested_at,
        format=options.format,
    )
    outcome = load_bytes(con, archive, response.content, url, snapshot, places)
    counts = outcome.counts
    if outcome.status == "already_loaded":
        kind, code, error_text = "unchanged", None, None
    elif outcome.status == "loaded":
        kind, code, error_text = "loaded", None, None
    else:
        kind, code = "rejected", "not_a_live_blog"
        error_text = "; ".join(outcome.messages) or "no entries could be parsed"
    poll = polls.Poll(
        url,
        requested_at,
        eventlog.utc_now(),
        kind,
        **base,
        load_batch_id=outcome.load_batch_id,
        error_code=code,
        error=error_text,
    )
    messages = list(outcome.messages)
    if counts is not None:
        removed = f", {counts.entries_removed} removed" if counts.entries_removed else ""
        messages.append(
            f"{url}: batch {outcome.load_batch_id}: {counts.entries_seen} entries seen, "
            f"{counts.entries_appended} appended, {counts.entries_already_present} already "
            f"present, {counts.entries_rejected} rejected{removed}"
        )
    return PollResult(
        url,
        poll,
        tuple(messages),
        counts.entries_appended if counts else 0,
        counts.entries_removed if counts else 0,
    )


def _get(
    session: requests.Session, url: str, headers: dict[str, str], settings: FetchSettings
) -> _Response:
    """GET with retries on transient failures; the body read up to the size cap."""
    attempt = 0
    while True:
        try:
            return _get_once(session, url, headers, settings)
        except FetchError as error:
            transient = error.code in ("connect_error", "server_error", "rate_limited")
            if not transient or attempt >= settings.retries:
                if attempt:
                    raise FetchError(
                        error.code, f"{error} (after {attempt + 1} attempts)", error.status
                    ) from None
                raise
            wait = settings.backoff * (2**attempt)
            if error.retry_after is not None:
                if error.retry_after > MAX_RETRY_AFTER:
                    raise
                wait = max(wait, error.retry_after)
            time.sleep(wait)
            attempt += 1


def _get_once(
    session: requests.Session, url: str, headers: dict[str, str], settings: FetchSettings
) -> _Response:
    try:
        with session.get(url, headers=headers, timeout=settings.timeout, stream=True) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise FetchError(
                    "rate_limited" if status == 429 else "server_error",
                    f"the server answered {status} {response.reason}",
                    status,
                    _retry_after(response.headers.get("Retry-After")),
                )
            if status != 304 and not 200 <= status < 300:
                raise FetchError(
                    "http_error",
                    f"the server answered {status} {response.reason}; check the URL",
                    status,
                )
            if status not in (200, 203, 304):
                raise FetchError(
                    "http_error",
                    f"the server answered {status} {response.reason}, not a page",
                    status,
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                raise _too_big(int(declared), settings, status)
            content = _read_capped(response, settings, status)
            return _Response(
                status, response.headers.get("ETag"), response.headers.get("Last-Modified"), content
            )
    except requests.TooManyRedirects:
        raise FetchError(
            "redirect_loop",
            f"more than {MAX_REDIRECTS} redirects (a redirect "
            "loop?); open the URL in a browser to see where it leads",
        ) from None
    except requests.exceptions.ConnectTimeout:
        raise FetchError("connect_error", f"no connection within {settings.timeout:g} s") from None
    except (
        requests.exceptions.ReadTimeout,
        requests.exceptions.ChunkedEncodingError,
        TimeoutError,
    ) as error:
        if (
            isinstance(error, requests.exceptions.ChunkedEncodingError)
            and "timed out" not in str(error).lower()
        ):
            raise FetchError("connect_error", f"the connection broke ({error})") from None
        raise FetchError(
            "timeout", f"no answer within {settings.timeout:g} s (pass --timeout to wait longer)"
        ) from None
    except requests.ConnectionError as error:
        raise FetchError("connect_error", f"cannot connect ({_reason(error)})") from None
    except requests.RequestException as error:
        raise FetchError("request_failed", f"the request failed ({error})") from None


def _read_capped(response: requests.Response, settings: FetchSettings, status: int) -> bytes:
    """The body, or ``too_large`` as soon as it passes the cap; a stalled body times out."""
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + max(settings.timeout * 10, 60.0)
    for chunk in response.iter_content(1 << 16):
        size += len(chunk)
        if size > settings.max_bytes:
            raise _too_big(size, settings, status, at_least=True)
        if time.monotonic() > deadline:
            raise FetchError("timeout", "the page took too long to download", status)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(
    size: int, settings: FetchSettings, status: int, *, at_least: bool = False
) -> FetchError:
    return FetchError(
        "too_large",
        f"the page is {'more than ' if at_least else ''}{size} "
        f"bytes, over the {settings.max_bytes}-byte cap (--max-bytes)",
        status,
    )


def _check_robots(
    session: requests.Session,
    cache: dict[str, urllib.robotparser.RobotFileParser | FetchError],
    url: str,
    settings: FetchSettings,
) -> None:
    """Refuse a URL robots.txt disallows for liveledger; one robots.txt per site and run."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    if origin not in cache:
        cache[origin] = _read_robots(session, f"{origin}/robots.txt", settings)
    rules = cache[origin]
    if isinstance(rules, FetchError):
        raise rules
    if not rules.can_fetch(ROBOTS_AGENT, url):
        raise FetchError(
            "robots_disallowed",
            f"{origin}/robots.txt disallows this URL for {ROBOTS_AGENT}; it was not fetched",
        )


def _read_robots(
    session: requests.Session, robots_url: str, settings: FetchSettings
) -> urllib.robotparser.RobotFileParser | FetchError:
    """The site's rules: as urllib does, 401/403 disallow all, other 4xx allow all.

    A robots.txt that cannot be read (no connection, 5xx) is an error for
    every URL of the site this run: we do not fetch what we could not check.
    """
    rules = urllib.robotparser.RobotFileParser(robots_url)
    try:
        response = _get(session, robots_url, {}, settings)
    except FetchError as error:
        # What RobotFileParser.read() sets for these statuses; typeshed's stub
        # leaves out the two attributes (__init__ sets both to False).
        if error.status in (401, 403):
            rules.disallow_all = True  # type: ignore[attr-defined]
        elif error.status is not None and 400 <= error.status < 500:
            rules.allow_all = True  # type: ignore[attr-defined]
        else:
            return FetchError(
                "robots_unavailable",
                f"cannot read {robots_url} ({error}); not fetching what robots.txt may forbid",
                error.status,
            )
        return rules
    rules.parse(response.content.decode("utf-8", "replace").splitlines())
    return rules


def _retry_after(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _reason(error: requests.ConnectionError) -> str:
    text = str(error)
    for hint in (
        "Connection refused",
        "Name or service not known",
        "No route to host",
        "Connection reset",
    ):
        if hint in text:
            return hint.lower()
    return text[:200]
