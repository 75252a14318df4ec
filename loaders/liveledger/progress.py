"""How long-running steps tell the person (or the log) where they are.

A person at a terminal wants a progress bar; a scheduler's log wants one
plain line per file it can grep later; ``--quiet`` wants nothing but
errors. The load loop only calls ``Progress.advance`` and stays unaware of
which of the three it is talking to.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class Progress:
    """Progress of ``total`` items: a rich bar on a TTY, log lines otherwise.

    Use as a context manager; ``advance(line)`` after each item. ``line`` is
    what the log would say about it (printed above the bar on a terminal).
    """

    def __init__(
        self, total: int, description: str, *, quiet: bool = False, stream: TextIO | None = None
    ) -> None:
        self.total = total
        self.description = description
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stdout
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    @property
    def interactive(self) -> bool:
        """A bar only when a person is watching: stdout is a terminal."""
        return not self.quiet and self.stream.isatty()

    def __enter__(self) -> Progress:
        if self.interactive:
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self.stream),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def advance(self, line: str | None = None) -> None:
        """One item done; ``line`` describes it."""
        if self.quiet:
            return
        if self._bar is not None and self._task is not None:
            if line:
                self._bar.console.print(line, markup=False, highlight=False)
            self._bar.advance(self._task)
        elif line:
            print(line, file=self.stream, flush=True)

    def note(self, line: str) -> None:
        """A message that is not an item (a step starting), unless quiet."""
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
