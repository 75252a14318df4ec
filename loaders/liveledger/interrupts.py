"""Ctrl-C and SIGTERM: stop cleanly, say so on one line, exit 128 + signal.

A scheduler stops a job with SIGTERM, a person with Ctrl-C (SIGINT). Either
way the command must unwind like an error does: the DuckDB transaction of
the load group being written rolls back, the warehouse lock is released,
and the user reads one line, not a traceback. So both signals raise
``KeyboardInterrupt`` in the main thread (dbt cancels its queries on that
exception and nothing else), the signal is remembered, and ``cli.main``
turns whatever exception the unwinding ends in (DuckDB reports an
interrupted query as its own error) into ``liveledger: interrupted …``.

A signal that arrives while the first one is being handled is only
remembered: raising again would interrupt the rollback it is waiting for.
A signal that is ignored when liveledger starts (a shell's background job
ignores SIGINT) stays ignored.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_received: int | None = None
_silenced_stdout = False
_previous: dict[int, object] = {}


def install() -> None:
    """Catch SIGINT and SIGTERM for the rest of this command."""
    global _received
    _received = None
    for signum in _SIGNALS:
        current = signal.getsignal(signum)
        if current is signal.SIG_IGN:
            continue
        _previous[signum] = current
        signal.signal(signum, _handle)


def uninstall() -> None:
    """Give the signals back to what handled them before ``install``."""
    for signum, handler in _previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]
    _previous.clear()


def received() -> int | None:
    """The first signal that arrived since ``install``, or None."""
    return _received


def exit_code(signum: int) -> int:
    """The shell's convention: 130 for SIGINT, 143 for SIGTERM."""
    return 128 + signum


def name(signum: int) -> str:
    return signal.Signals(signum).name


def _handle(signum: int, frame: FrameType | None) -> None:
    global _received
    if _received is not None:
        return
    _received = signum
    if _silenced_stdout:
        _drop_stdout()
    raise KeyboardInterrupt


@contextmanager
def silent_stdout_after_interrupt() -> Iterator[None]:
    """While this runs, a signal also sends the rest of stdout to /dev/null.

    dbt, interrupted in-process, logs the ``KeyboardInterrupt``'s traceback
    to stdout on its way out; that traceback is our own doing, not news for
    the user, who gets ``liveledger: interrupted …`` on stderr instead.
    stdout is restored when the block ends.
    """
    global _silenced_stdout
    sys.stdout.flush()
    saved = os.dup(1)
    _silenced_stdout = True
    try:
        yield
    finally:
        _silenced_stdout = False
        try:
            sys.stdout.flush()
        except (OSError, ValueError, RuntimeError):
            pass
        os.dup2(saved, 1)
        os.close(saved)


def _drop_stdout() -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError, RuntimeError):  # a write was under way: it is lost, fine
        pass
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
