"""Output folders liveledger owns, and the rule that it deletes only its own files.

``publish`` and ``export-raw`` replace what they wrote before, so they must
delete files. A user may point ``--out`` at a folder that holds other things
(their own Parquet files, dot files, a notebook). So each command writes
into a folder it *owns*: one that was new or empty when the command first
wrote there, marked by a marker file (``.liveledger-publish``,
``.liveledger-export``). A folder without the marker that is not empty is
refused, and even inside an owned folder only the names the command itself
writes are ever deleted.

A folder written by an older liveledger, before markers existed, is adopted
only when everything in it is exactly what that version wrote (``adopt``
decides), so an upgrade keeps the default folders working without ever
deleting anything it did not write.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .errors import ForeignFolderError, OutputDirError


def claim(
    folder: Path, marker: str, command: str, adopt: Callable[[Path], bool] | None = None
) -> None:
    """Make sure ``folder`` is ours to write: new, empty, marked, or adoptable.

    Raises ``ForeignFolderError`` for a folder that holds things this command
    did not write, and ``OutputDirError`` when ``folder`` is not a folder.
    """
    if folder.exists() and not folder.is_dir():
        raise OutputDirError(f"--out {folder} is a file; give a folder")
    if folder.is_symlink() and not folder.exists():
        raise OutputDirError(f"--out {folder} is a symbolic link to nothing; give a folder")
    folder.mkdir(parents=True, exist_ok=True)
    mark = folder / marker
    if mark.is_symlink() or (mark.exists() and not mark.is_file()):
        raise ForeignFolderError(
            f"{mark} is not the marker file liveledger {command} writes; "
            f"give {command} a new or empty folder"
        )
    if mark.is_file():
        return
    if any(folder.iterdir()) and not (adopt is not None and adopt(folder)):
        names = sorted(p.name for p in folder.iterdir())
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        raise ForeignFolderError(
            f"{folder} is not empty ({shown}) and was not written by liveledger {command} "
            f"(it has no {marker} file); nothing was changed. Give a new or empty folder: "
            f"{command} deletes what it wrote before, so it writes only where nothing else is"
        )
    write_marker(mark, command)


def write_marker(mark: Path, command: str) -> None:
    """The marker: a small file saying which command owns the folder, and why."""
    partial = mark.with_name(f"{mark.name}.{os.getpid()}.partial")
    partial.write_text(
        f"This folder is written by liveledger {command}, which replaces and deletes the\n"
        "files it wrote here (and nothing else). Do not keep other files in it.\n",
        encoding="utf-8",
    )
    os.replace(partial, mark)


def remove_file(path: Path) -> None:
    """Delete one file we wrote, if it is still there (a symlink is removed, not followed)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass


def remove_dir_if_empty(path: Path) -> bool:
    """Remove a folder we made once our files are out of it; keep it if anything else is left."""
    try:
        path.rmdir()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def fsync_directory(folder: Path) -> None:
    """Make renames in ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
