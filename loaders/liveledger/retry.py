"""Retrying a step that failed for a transient reason, and only then.

A scheduled ``run --inbox`` can meet a warehouse that a BI tool holds open,
or a disk that log rotation is about to free: running the same step again a
little later succeeds with nothing changed. A terminal error (a bad file, a
failing dbt test, a broken project) would only fail again, so it is raised at
once. Every step retried here is safe to repeat: loads skip what is already
loaded, and build and publish are idempotent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from .errors import LiveledgerError

T = TypeVar("T")


def retry_transient(
    step: Callable[[], T],
    *,
    retries: int,
    first_wait: float,
    say: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``step``; after a transient ``LiveledgerError`` wait and run it again.

    Up to ``retries`` more attempts, waiting ``first_wait`` seconds and twice
    as long before each later one. The last transient error, and any terminal
    one, is raised unchanged (its message and exit code are the command's).
    """
    wait = first_wait
    for attempt in range(retries + 1):
        try:
            return step()
        except LiveledgerError as error:
            if not error.transient or attempt == retries:
                raise
            say(f"{error} (transient: retry {attempt + 1} of {retries} in {wait:g} s)")
            sleep(wait)
            wait *= 2
    raise AssertionError("unreachable: the loop returns or raises")
