"""Run a round of work every so often until a deadline or a signal.

``liveledger watch`` is a long-running process under a terminal, systemd or
a container runtime, so it must stop cleanly: the first Ctrl-C or SIGTERM
lets the round in progress finish (a poll commits whole or not at all) and
ends the loop; a second Ctrl-C aborts the round (the transaction rolls back).
Sleeping between rounds wakes at once on a signal.
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from .errors import LiveledgerError


class StopSignal:
    """Set by SIGINT/SIGTERM while installed; a second SIGINT raises KeyboardInterrupt."""

    def __init__(self) -> None:
        self._event = threading.Event()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True if a stop was asked for."""
        return self._event.wait(max(seconds, 0.0))

    @contextmanager
    def installed(self, on_first: Callable[[], None] | None = None) -> Iterator[None]:
        def handle(signum: int, frame: FrameType | None) -> None:
            if self._event.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            self._event.set()
            if on_first is not None:
                on_first()

        previous = {s: signal.signal(s, handle) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


@dataclass(frozen=True)
class Repeated:
    rounds: int
    failed: int


def repeat(
    one_round: Callable[[], bool],
    *,
    every: float,
    until: dt.datetime | None,
    stop: StopSignal,
    on_error: Callable[[LiveledgerError], None],
    now: Callable[[], dt.datetime] | None = None,
) -> Repeated:
    """Call ``one_round`` every ``every`` seconds (start to start) until ``until`` (naive UTC).

    A round returns False when it failed (a URL that did not answer is
    recorded in ``raw.fetch_polls``), or raises a ``LiveledgerError``. A
    transient one (the warehouse held by another process, disk full) is
    reported through ``on_error`` and the loop goes on: one bad round must not
    end a watch that runs for days. A terminal one (a failing dbt test, a
    broken project) would fail every round the same way, so it ends the watch
    and is raised, with its message and exit code.
    """
    clock = now or (lambda: dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    rounds = failed = 0
    while not stop.is_set and (until is None or clock() <= until):
        started = time.monotonic()
        try:
            ok = one_round()
        except LiveledgerError as error:
            if not error.transient:
                raise
            on_error(error)
            ok = False
        rounds += 1
        failed += 0 if ok else 1
        pause = every - (time.monotonic() - started)
        if until is not None and (until - clock()).total_seconds() < pause:
            break  # the next round would start after --until: no need to wait for it
        if stop.wait(pause):
            break
    return Repeated(rounds, failed)
