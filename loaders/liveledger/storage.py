"""Recognise storage failures, so they end in one line instead of a traceback.

Two kinds of failure are not bugs and not the user's input: a disk that
fills up during a write, and a warehouse file that DuckDB cannot read (cut
short, overwritten, not a database at all, or a directory given as --db).
DuckDB reports both as ``duckdb.Error`` with only a message to tell them
apart, so the words are matched here, in one place.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from .errors import DatabaseUnreadableError, DiskFullError, LiveledgerError

#: Words of DuckDB's errors for a file that is damaged or not a database at
#: all, at open or when a query reaches a damaged block.
_DAMAGE = (
    "not a valid duckdb database",
    "could not read enough bytes",
    "corrupt",
    "checksum",
    "is a directory",
    "could not read from file",
    "invalid block",
    "failed to read",
    "database has been invalidated",
)
_DISK_FULL = (
    "no space left on device",
    "disk is full",
    "not enough space on the disk",
    "out of disk",
    "disk quota exceeded",
)


def is_lock_conflict(error: BaseException) -> bool:
    """Whether DuckDB refused the file because another process holds its lock.

    Matched on DuckDB's own wording, not on "lock" alone, which "block" contains.
    """
    text = str(error).lower()
    return isinstance(error, duckdb.IOException) and (
        "set lock on file" in text or "conflicting lock" in text
    )


def is_damage(error: BaseException) -> bool:
    """Whether a DuckDB error says the database file is damaged or unreadable."""
    return isinstance(error, duckdb.Error) and any(word in str(error).lower() for word in _DAMAGE)


def is_disk_full(error: BaseException) -> bool:
    """Whether an error (OS or DuckDB, here or in a worker) means the disk is full."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    return isinstance(error, duckdb.Error) and any(
        word in str(error).lower() for word in _DISK_FULL
    )


def unreadable(path: Path, error: BaseException | None = None) -> DatabaseUnreadableError:
    """One line for a warehouse file DuckDB cannot read, saying what to do."""
    if path.is_dir():
        return DatabaseUnreadableError(
            f"{path} is a directory, not a DuckDB database file: check --db (or LIVELEDGER_DB)"
        )
    detail = str(error).splitlines()[0] if error is not None else "unreadable"
    if "permission denied" in detail.lower():
        found = DatabaseUnreadableError(
            f"cannot open {path} ({detail}): check the file's permissions, or --db "
            "(or LIVELEDGER_DB)"
        )
    else:
        found = DatabaseUnreadableError(
            f"{path} is not a readable DuckDB database ({detail}): `liveledger rebuild` "
            "recreates it from the archive and keeps the damaged file aside; or check --db "
            "(or LIVELEDGER_DB) if this is not the warehouse"
        )
    found.detail = detail
    return found


def as_user_error(error: BaseException) -> LiveledgerError | None:
    """The one-line error for a full disk or a damaged database, else None (a bug)."""
    if is_disk_full(error):
        return disk_full(None)
    if is_damage(error):
        detail = str(error).splitlines()[0]
        return DatabaseUnreadableError(
            f"the warehouse database could not be read ({detail}): `liveledger rebuild` "
            "recreates it from the archive and keeps the damaged file aside"
        )
    return None


#: DuckDB's file starts with three 4 KiB headers, then its fixed-size blocks.
_HEADER_BYTES = 3 * 4096


def check_whole(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a database file too short for the blocks it uses (cut short).

    DuckDB opens such a file and fails only when a query reaches a missing
    block, so a load that happens to read only the blocks that are left
    would write into a damaged file. Checked only with no ``.wal`` beside
    it: then the file is a finished checkpoint and holds every listed block.
    """
    if path.with_name(path.name + ".wal").exists():
        return
    found = con.execute(
        "select block_size, used_blocks from pragma_database_size() "
        "where database_name = current_database()"
    ).fetchone()
    if found is None or not found[0]:
        return
    # Blocks in use must all be in the file (free ones may lie beyond its end).
    block_size, used_blocks = int(found[0]), int(found[1])
    expected = _HEADER_BYTES + block_size * used_blocks
    size = path.stat().st_size
    if size < expected:
        con.close()
        raise unreadable(
            path,
            RuntimeError(
                f"the file is {size} bytes, too short for the {used_blocks} blocks it uses "
                f"({expected} bytes): it was cut short"
            ),
        )


def disk_full(where: Path | None) -> DiskFullError:
    place = f" under {where}" if where is not None else ""
    return DiskFullError(
        f"disk full while writing{place}: nothing lost (what committed is whole, "
        "the rest was rolled back); free space and run the same command again"
    )


@contextmanager
def disk_full_is_an_error(where: Path) -> Iterator[None]:
    """Turn a full disk met inside the block into ``DiskFullError``."""
    try:
        yield
    except (OSError, duckdb.Error) as error:
        if is_disk_full(error):
            raise disk_full(where) from None
        raise
