"""One writer at a time: an advisory lock file next to the warehouse.

DuckDB lets one process open a database file for writing, and a process that
has it open read-only blocks writers too. A second process does not wait: it
fails at once. A scheduled load that happens to start while a build runs, or
while an analyst has the file open, would fail for no fault of its own.

So every command that writes the warehouse (``load``, ``build``; ``publish``,
which must read a finished build) runs inside :func:`writer_lock`:

1. It takes an exclusive ``flock`` on ``<database>.lock``, retrying until a
   timeout (``--lock-timeout`` / ``LIVELEDGER_LOCK_TIMEOUT``, default 60 s),
   and writes who holds it (PID, command, start time) into that file, so a
   process that has to wait, or gives up, can say whom it waited for.
2. Within the same time budget it then waits for DuckDB's own file lock,
   which a program outside liveledger (a BI tool, the duckdb shell) may hold.
3. It keeps that DuckDB connection open until it releases the lock.
   Connections within one process share one open database, so the command's
   own connections (and dbt's) reuse it, and no other process can slip in
   between the wait and the command's first query.

The kernel drops a ``flock`` when its process ends, even by SIGKILL, so a
crashed loader never leaves a stale lock; the holder record it leaves behind
is recognised as stale because its PID is gone.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from . import storage
from .errors import DatabaseBusyError, LockTimeoutError, OptionError, ProjectError
from .eventlog import lock_holder

DEFAULT_TIMEOUT_SECONDS = 60.0
TIMEOUT_VARIABLE = "LIVELEDGER_LOCK_TIMEOUT"
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Holder:
    """Who holds the warehouse lock, as recorded in the lock file."""

    pid: int
    command: str
    started_at: str  # ISO 8601, UTC

    def describe(self) -> str:
        return f"PID {self.pid} (liveledger {self.command}, started {self.started_at})"


def lock_path(db_path: Path) -> Path:
    """The lock file that guards ``db_path``: the same name plus ``.lock``."""
    return db_path.with_name(db_path.name + ".lock")


def resolve_timeout(option: float | None) -> float:
    """Seconds to wait: the option, else ``LIVELEDGER_LOCK_TIMEOUT``, else 60."""
    if option is not None:
        return option
    return env_seconds(TIMEOUT_VARIABLE, DEFAULT_TIMEOUT_SECONDS, " (e.g. 60; 0 = do not wait)")


def env_seconds(name: str, default: float, example: str = "") -> float:
    """A number of seconds from environment variable ``name``, or ``default`` when unset.

    Shared by every setting a scheduler's environment may carry (lock wait,
    fetch timeout and backoff), so all refuse a bad value the same way.
    """
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also rejects nan
        raise OptionError(f"${name}={raw!r} is not a number of seconds{example}")
    return value


def read_holder(path: Path) -> Holder | None:
    """The live holder recorded in lock file ``path``, or None.

    None when nobody recorded themselves, or when the recorded process is gone
    (a holder killed before it could clear its record).
    """
    try:
        raw = path.read_text(encoding="utf-8")
        record = json.loads(raw)
        holder = Holder(int(record["pid"]), str(record["command"]), str(record["started_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return holder if process_alive(holder.pid) else None


@contextmanager
def writer_lock(
    db_path: Path,
    command: str,
    timeout: float | None = None,
    *,
    read_only: bool = False,
    on_wait: Callable[[str], None] | None = None,
    hold_database: bool = True,
) -> Iterator[None]:
    """Hold the warehouse exclusively for ``command`` while the block runs.

    ``timeout`` is the total number of seconds to wait for other holders
    (None: :func:`resolve_timeout`). ``read_only`` is for a command that only
    reads the warehouse but must not overlap a writer (``publish``): the
    DuckDB file is then opened read-only and must already exist.
    ``on_wait`` is called once, with a sentence naming the holder, if we have
    to wait; the CLI prints it so a waiting scheduled job explains itself.
    ``hold_database=False`` skips holding a DuckDB connection for the block,
    for commands that replace the database file itself (``rebuild``).

    Raises ``LockTimeoutError`` (another liveledger command holds the lock) or
    ``DatabaseBusyError`` (another program has the DuckDB file open) after
    ``timeout`` seconds, each naming the holder.
    """
    seconds = resolve_timeout(timeout)
    deadline = time.monotonic() + seconds
    if read_only and not db_path.exists():
        raise ProjectError(
            f"no warehouse at {db_path}: load something first (liveledger load FILE)"
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, db_path, seconds, deadline, on_wait)
        try:
            record = Holder(os.getpid(), command, _utc_now())
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(asdict(record)).encode(), 0)
            if not hold_database:
                yield
                return
            con = _open_database(db_path, read_only, seconds, deadline, on_wait)
            try:
                yield
            finally:
                con.close()
        finally:
            os.ftruncate(fd, 0)  # clear our record before anyone else can write theirs
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(
    fd: int,
    path: Path,
    db_path: Path,
    seconds: float,
    deadline: float,
    on_wait: Callable[[str], None] | None,
) -> None:
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.EACCES):
                raise
        holder = read_holder(path)
        who = holder.describe() if holder else "another liveledger process"
        if time.monotonic() >= deadline:
            raise LockTimeoutError(
                f"{db_path} is locked by {who}; gave up after waiting {seconds:g} s. "
                f"Let it finish, or wait longer with --lock-timeout SECONDS "
                f"(or {TIMEOUT_VARIABLE})"
            )
        if on_wait is not None and not told:
            on_wait(f"waiting for {who} to release {db_path} (up to {seconds:g} s)")
            told = True
        time.sleep(max(0.0, min(_POLL_SECONDS, deadline - time.monotonic())))


def _open_database(
    db_path: Path,
    read_only: bool,
    seconds: float,
    deadline: float,
    on_wait: Callable[[str], None] | None,
) -> duckdb.DuckDBPyConnection:
    """Open the DuckDB file, waiting while a program outside liveledger holds it."""
    told = False
    while True:
        if db_path.is_dir():
            raise storage.unreadable(db_path)
        try:
            return duckdb.connect(str(db_path), read_only=read_only)
        except duckdb.Error as error:
            if not storage.is_lock_conflict(error):
                if storage.is_disk_full(error):
                    raise storage.disk_full(db_path.parent) from None
                if isinstance(error, duckdb.IOException) or storage.is_damage(error):
                    raise storage.unreadable(db_path, error) from None
                raise
            who = lock_holder(error) or "unknown PID"
        if time.monotonic() >= deadline:
            raise DatabaseBusyError(
                f"{db_path} is open in another program ({who}) that does not take "
                f"liveledger's lock; gave up after waiting {seconds:g} s. Close it, and point "
                "BI tools and notebooks at the published snapshot (liveledger publish)"
            )
        if on_wait is not None and not told:
            on_wait(f"waiting for another program ({who}) to close {db_path} (up to {seconds:g} s)")
            told = True
        time.sleep(max(0.0, min(_POLL_SECONDS, deadline - time.monotonic())))


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (one we may not signal still does)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
