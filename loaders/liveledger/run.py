"""One scheduled step: load what arrived in an inbox, build, publish.

A scheduler (cron, systemd timer) runs ``liveledger run --inbox DIR`` every
few minutes during a crisis. It must be safe to run again and again, and
its exit code must say whether everything went well, because nobody reads
the output unless something failed.

The inbox is a plain folder another job drops snapshots into. A file is
handled once: after its load it is moved to ``DIR/processed/`` (loaded, or
its bytes were already loaded) or ``DIR/rejected/`` (nothing usable; the
reasons are in ``raw.rejected_input``). Moving, rather than keeping a
record, makes "new" visible with ``ls`` and keeps each run's work to the
files that are really new; the loader's own check on the bytes still
guarantees that a file copied in twice appends nothing the second time.
Files that cannot be read (permissions) stay where they are.

The good files are built and published even when another file was
rejected; the run then still fails, so the rejection is noticed.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import build, load, publish
from .errors import InputFileError, LiveledgerError, OptionError
from .places import PlaceIndex
from .progress import Progress
from .project import Project

Publisher = Callable[[Path, Path], object]
PROCESSED = "processed"
REJECTED = "rejected"


class PublishFailedError(LiveledgerError):
    """The marts were built but the read-only copy could not be written."""


@dataclass(frozen=True)
class RunResult:
    """What one run did, for the CLI to summarise."""

    outcomes: tuple[load.FileOutcome, ...]
    built: bool
    published_to: Path | None

    @property
    def failed(self) -> tuple[load.FileOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)


def default_publisher() -> Publisher:
    """The publish step: a read-only snapshot of the marts (``liveledger publish``).

    ``run`` holds the writer lock for the whole step, so the snapshot always
    shows the build that just finished.
    """
    return publish.publish_marts


def inbox_files(inbox: Path) -> list[Path]:
    """The files waiting in the inbox, oldest first (then by name).

    Hidden files are left alone: a fetcher writing ``.partial`` files and
    renaming them when complete is never picked up half-written.
    """
    if not inbox.exists():
        raise OptionError(f"{inbox}: no such inbox folder; create it or pass another --inbox")
    if not inbox.is_dir():
        raise OptionError(f"{inbox}: is not a folder; --inbox takes the folder files arrive in")
    files = [p for p in inbox.iterdir() if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def run_inbox(
    project: Project, db_path: Path, inbox: Path, *, publish_dir: Path,
    publisher: Publisher, places: PlaceIndex, quiet: bool = False,
) -> RunResult:
    """Load every new inbox file, build, publish; raise if any step failed."""
    files = inbox_files(inbox)
    with Progress(len(files), "loading", quiet=quiet) as progress:
        def on_file(outcome: load.FileOutcome) -> None:
            if not outcome.ok:  # problems go to stderr, even when quiet
                for message in outcome.messages:
                    print(message, file=sys.stderr)
            lines = list(outcome.messages) if outcome.ok else []
            summary = load.outcome_summary(outcome)
            progress.advance("\n".join([*lines, summary] if summary else lines) or None)

        if not files:
            progress.note(f"{inbox}: no new files")
        outcomes = tuple(load.load_paths(db_path, files, load.LoadOptions(), places,
                                         on_file=on_file)) if files else ()
    for outcome in outcomes:
        _file_away(inbox, outcome)

    if not quiet:
        print("building the marts (dbt build) ...", flush=True)
    build.build(project, db_path, quiet=quiet)

    try:
        publisher(db_path, publish_dir)
    except LiveledgerError:
        raise
    except Exception as error:  # the publish step's own failure, reported in one line
        raise PublishFailedError(f"publish to {publish_dir} failed: {error}") from error
    published_to: Path | None = publish_dir
    if not quiet:
        print(f"published the marts to {publish_dir}")

    result = RunResult(outcomes, True, published_to)
    if result.failed:
        names = ", ".join(o.path.name for o in result.failed)
        published = " and published" if published_to is not None else ""
        raise InputFileError(
            f"{len(result.failed)} of {len(outcomes)} inbox files could not be loaded "
            f"({names}); they are in {inbox / REJECTED} and their reasons in "
            f"raw.rejected_input; the other files were loaded and built{published}")
    return result


def _file_away(inbox: Path, outcome: load.FileOutcome) -> None:
    """Move a handled file out of the inbox so the next run skips it."""
    if outcome.status == "unreadable" or not outcome.path.exists():
        return
    folder = inbox / (PROCESSED if outcome.ok else REJECTED)
    folder.mkdir(exist_ok=True)
    target = folder / outcome.path.name
    counter = 1
    while target.exists():  # a fetcher may reuse one name for every snapshot
        target = folder / f"{outcome.path.stem}~{counter}{outcome.path.suffix}"
        counter += 1
    shutil.move(str(outcome.path), target)
