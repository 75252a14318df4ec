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

Nothing outside the inbox is read or touched through it: an inbox entry
that is a symbolic link is refused unread (reason ``symlink_refused``, the
link itself moved to ``rejected/``), regular files are opened with
``O_NOFOLLOW``, and a ``processed/`` or ``rejected/`` that is a link (or
leads outside the inbox) stops the run before anything moves.

The good files are built and published even when another file was
rejected; the run then still fails, so the rejection is noticed.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import build, load, publish
from .errors import InputFileError, LiveledgerError, OptionError
from .lock import env_seconds
from .places import PlaceIndex
from .progress import Progress
from .project import Project

Publisher = Callable[[Path, Path], object]
PROCESSED = "processed"
REJECTED = "rejected"


#: Extra attempts of a whole step after a transient failure (``run --retries``).
DEFAULT_RETRIES = 2
#: With doubling waits, 10 retries already span hours: more is a typo.
MAX_RETRIES = 10
#: Seconds before the first retry, from this variable (doubling after).
RETRY_WAIT_VARIABLE = "LIVELEDGER_RETRY_WAIT"
DEFAULT_RETRY_WAIT = 30.0


def retry_wait() -> float:
    """The first wait before retrying a transient failure, from the environment."""
    return env_seconds(RETRY_WAIT_VARIABLE, DEFAULT_RETRY_WAIT, " (e.g. 30)")


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
    shows the build that just finished. The lock keeps a read-write
    connection open (the load and the build need one), and DuckDB refuses a
    read-only connection to the same file beside it in one process, so the
    publish step reads the marts through a read-write connection too (it
    still writes nothing there).
    """
    return functools.partial(publish.publish_marts, read_only=False)


def inbox_files(inbox: Path) -> list[Path]:
    """The files waiting in the inbox, oldest first (then by name).

    Hidden files are left alone: a fetcher writing ``.partial`` files and
    renaming them when complete is never picked up half-written. Symbolic
    links are listed (by their own time, not their target's) so that the
    load refuses them and they are filed away as rejected; folders, pipes and
    devices are not inbox files.
    """
    if not inbox.exists():
        raise OptionError(f"{inbox}: no such inbox folder; create it or pass another --inbox")
    if not inbox.is_dir():
        raise OptionError(f"{inbox}: is not a folder; --inbox takes the folder files arrive in")
    check_subfolders(inbox)
    found: list[tuple[float, str, Path]] = []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            info = entry.stat(follow_symlinks=False)  # the entry itself, never its target
            if stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
                found.append((info.st_mtime, entry.name, inbox / entry.name))
    return [path for _, _, path in sorted(found)]


def check_inbox_is_apart(
    inbox: Path, *, project: Project, db_path: Path, publish_dir: Path
) -> None:
    """Refuse an inbox that is the project, or holds the warehouse or its copies.

    ``run`` moves every file of its inbox into ``processed/`` or
    ``rejected/``. Pointed at the checkout (``--inbox .``) it would move the
    README, the Makefile and ``dbt_project.yml``; pointed at the warehouse's
    folder, the database and its journal. Those files were never named as
    input, so such an inbox stops the run before anything moves.
    """
    if not inbox.is_dir():
        return  # inbox_files says what is wrong with it
    real_inbox = inbox.resolve()
    guarded = {
        "the liveledger project": project.root.resolve(),
        "the warehouse's folder": db_path.resolve().parent,
        "the publish folder": publish_dir.resolve(),
    }
    for what, folder in guarded.items():
        if real_inbox == folder or real_inbox in folder.parents:
            raise OptionError(
                f"{inbox}: is {what} ({folder}) or a folder above it; run would move its "
                "files into processed/ and rejected/: give --inbox a folder of its own "
                "that only receives live-blog files"
            )


def check_subfolders(inbox: Path) -> None:
    """Refuse a ``processed/`` or ``rejected/`` that would move files out of the inbox.

    Such a folder that is a symbolic link, or that resolves outside the
    inbox, would make ``run`` put inbox files wherever it leads.
    """
    real_inbox = inbox.resolve()
    for name in (PROCESSED, REJECTED):
        folder = inbox / name
        if folder.is_symlink():
            raise OptionError(
                f"{folder}: is a symbolic link (to {os.readlink(folder)}); run moves inbox "
                f"files only into real folders inside the inbox: replace it with a folder"
            )
        if folder.exists() and not folder.is_dir():
            raise OptionError(
                f"{folder}: is not a folder; move it away so run can file {name} inbox files there"
            )
        if folder.exists() and folder.resolve().parent != real_inbox:
            raise OptionError(
                f"{folder}: leads outside the inbox ({folder.resolve()}); "
                "replace it with a folder inside the inbox"
            )


def run_inbox(
    project: Project,
    db_path: Path,
    inbox: Path,
    *,
    publish_dir: Path,
    publisher: Publisher,
    places: PlaceIndex,
    quiet: bool = False,
) -> RunResult:
    """Load every new inbox file, build, publish; raise if any step failed."""
    check_inbox_is_apart(inbox, project=project, db_path=db_path, publish_dir=publish_dir)
    files = inbox_files(inbox)
    publish.claim_out_dir(publish_dir)  # a foreign publish folder fails before anything moves
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
        options = load.LoadOptions(follow_symlinks=False)  # O_NOFOLLOW: links are refused
        outcomes = (
            tuple(load.load_paths(db_path, files, options, places, on_file=on_file))
            if files
            else ()
        )
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
            f"raw.rejected_input; the other files were loaded and built{published}"
        )
    return result


def _file_away(inbox: Path, outcome: load.FileOutcome) -> None:
    """Move a handled file out of the inbox so the next run skips it.

    A refused symbolic link is moved itself (its target is never touched).
    The move goes through file descriptors of the inbox and the subfolder,
    opened without following links, so a subfolder swapped for a link after
    ``check_subfolders`` still cannot lead anywhere else.
    """
    name = outcome.path.name
    inbox_fd = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            info = os.stat(name, dir_fd=inbox_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        is_link = stat.S_ISLNK(info.st_mode)
        if outcome.status == "unreadable" and not is_link:
            return  # e.g. no permission: it stays for the next run
        folder = PROCESSED if outcome.ok else REJECTED
        try:
            os.mkdir(folder, dir_fd=inbox_fd)
        except FileExistsError:
            pass
        try:
            folder_fd = os.open(
                folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=inbox_fd
            )
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR):
                raise OptionError(
                    f"{inbox / folder}: is not a real folder inside the inbox "
                    "(a symbolic link?); replace it with a folder"
                ) from None
            raise
        try:
            target = name
            stem, suffix = os.path.splitext(name)
            counter = 1
            while _exists(target, folder_fd):  # a fetcher may reuse one name for every snapshot
                target = f"{stem}~{counter}{suffix}"
                counter += 1
            os.rename(name, target, src_dir_fd=inbox_fd, dst_dir_fd=folder_fd)
        finally:
            os.close(folder_fd)
    finally:
        os.close(inbox_fd)


def _exists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True
