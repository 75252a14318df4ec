"""Read, archive and parse many input files, in worker processes when it pays.

Parsing is pure Python and the slowest part of a large load, while the one
process that may write the DuckDB file is busy appending earlier groups. So
for many files the reading, archiving and parsing run in a pool of worker
processes (one per core by default) and the writer receives the results in
input order. At most a few chunks are in flight at any time, so memory stays
flat however large the corpus. Nothing here touches the database: the
writer decides what is already loaded and what gets appended.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from . import eventlog
from .archive import NEW, REPAIRED, Archive
from .errors import InputFileError
from .intake import read_input
from .places import PlaceIndex
from .prepare import LoadOptions, load_key, prepare_bytes
from .records import escape_undecodable, path_text

#: Below this many files the start-up of worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 64
#: Files per task sent to a worker, and tasks in flight per worker.
CHUNK_FILES = 16
CHUNKS_IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True)
class Prepared:
    """A file that was read, archived and parsed."""

    path: Path
    key: eventlog.LoadKey
    pending: eventlog.PendingBatch
    status: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class AlreadyLoaded:
    """A file whose bytes were loaded before this run (not parsed again)."""

    path: Path
    key: eventlog.LoadKey
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unreadable:
    """A file that could not be read; the error's parts, as they cross processes."""

    path: Path
    message: str
    reason_code: str
    started_at: dt.datetime

    def error(self) -> InputFileError:
        return InputFileError(self.message, self.reason_code)


Item = Prepared | AlreadyLoaded | Unreadable


@dataclass(frozen=True)
class _Context:
    archive_of: Path
    options: LoadOptions
    places: PlaceIndex
    known: frozenset[eventlog.LoadKey]


def prepare_file(path: Path, context: _Context) -> Item:
    """Read one file, archive its bytes and parse it (unless loaded before)."""
    started_at = eventlog.utc_now()
    try:
        data = read_input(path, follow_symlinks=context.options.follow_symlinks)
    except InputFileError as error:
        return Unreadable(path, escape_undecodable(str(error)), error.reason_code, started_at)
    except ValueError:  # a NUL in the name, from a list file: no OS can open it
        return Unreadable(
            path,
            f"{path_text(path)}: cannot be opened (the name holds a NUL "
            "character; fix the list of files)",
            "unreadable_file",
            started_at,
        )
    sha256 = hashlib.sha256(data).hexdigest()
    key = load_key(sha256, context.options)
    archive = Archive(context.archive_of)
    # Storing checks a blob that is already there and rewrites a damaged one,
    # so loading the file again is how a damaged archive is repaired.
    stored = archive.store(data, sha256)
    if key in context.known:
        return AlreadyLoaded(path, key, _repair_note(path, archive, sha256, stored, True))
    pending, status, messages = prepare_bytes(
        data, str(path), context.options, context.places, started_at
    )
    return Prepared(
        path, key, pending, status, (*_repair_note(path, archive, sha256, stored, False), *messages)
    )


def _repair_note(
    path: Path,
    archive: Archive,
    sha256: str,
    stored: str,
    expected: bool,
) -> tuple[str, ...]:
    """One line when storing repaired the archive: a damaged blob, or a missing one."""
    blob = archive.folder / sha256
    if stored == REPAIRED:
        return (
            f"{path}: archive blob {blob} was damaged (its bytes did not match their "
            "sha256); rewrote it from this file",
        )
    if stored == NEW and expected:
        return (f"{path}: archive blob {blob} was missing; rewrote it from this file",)
    return ()


def default_workers() -> int:
    return (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )


def prepare_files(
    paths: list[Path],
    db_path: Path,
    options: LoadOptions,
    places: PlaceIndex,
    known: set[eventlog.LoadKey],
    workers: int,
) -> Iterator[Item]:
    """Every path's ``Item``, in input order; in ``workers`` processes if many files."""
    context = _Context(db_path, options, places, frozenset(known))
    if workers <= 1 or len(paths) < MIN_FILES_FOR_WORKERS:
        for path in paths:
            yield prepare_file(path, context)
        return
    chunks = (paths[i : i + CHUNK_FILES] for i in range(0, len(paths), CHUNK_FILES))
    # spawn, not fork: the parent holds a DuckDB connection and its threads.
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(context, os.getpid()),
    ) as pool:
        try:
            # The workers start during these first submits. SIGINT is blocked
            # meanwhile so that they inherit it blocked: Ctrl-C reaches the
            # whole process group, and a worker still importing would print
            # a traceback of its own. The writer gets it once this ends.
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                in_flight: deque[Future[list[Item]]] = deque(
                    pool.submit(_prepare_chunk, chunk)
                    for chunk in islice(chunks, workers * CHUNKS_IN_FLIGHT_PER_WORKER)
                )
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            while in_flight:
                done = in_flight.popleft().result()
                following = next(chunks, None)
                if following is not None:
                    in_flight.append(pool.submit(_prepare_chunk, following))
                yield from done
        except BaseException:
            # Interrupted (or the writer failed): drop the queued chunks rather
            # than parse them for nobody; only the running ones are waited for.
            pool.shutdown(wait=False, cancel_futures=True)
            raise


_WORKER_CONTEXT: _Context | None = None


def _start_worker(context: _Context, writer_pid: int) -> None:
    global _WORKER_CONTEXT
    _WORKER_CONTEXT = context
    # Ctrl-C reaches the whole process group; the writer handles it (and
    # stops the pool), a worker would only print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(writer_pid)


def _die_with(writer_pid: int) -> None:
    """End this worker when the writer dies, however it dies.

    A writer killed with SIGKILL runs no clean-up; its workers would live
    on as orphans, holding the terminal's (or a caller's) pipes open. On
    Linux the kernel can send them SIGKILL when their parent dies
    (prctl PR_SET_PDEATHSIG); elsewhere a worker ends at its next task,
    when it finds the queue's other end closed.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != writer_pid:  # the writer died before prctl took effect
        os._exit(1)


def _prepare_chunk(paths: list[Path]) -> list[Item]:
    assert _WORKER_CONTEXT is not None
    return [prepare_file(path, _WORKER_CONTEXT) for path in paths]
