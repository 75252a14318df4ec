"""From a path to text the parser can read, and back to the pieces it can't use.

Scheduled loads get whatever lands in a folder: half-written files, saved web
pages, files in the wrong encoding, directories, pipes. This module decides
what of it is text, and says precisely why the rest is not, so that the
loader never crashes and never drops anything silently:

- :func:`read_input` opens the path once and reads from that open file, so a
  file deleted after we opened it is still read whole, and a directory, a pipe
  or a device is refused instead of being read (reading a pipe would hang).
- :func:`decode` turns bytes into text. A file that is empty, binary, markup
  or mostly not UTF-8 is unusable as a whole. A file with a few bytes that are
  not UTF-8 is still parsed, with those bytes replaced by U+FFFD and their
  lines remembered, so that its good entries load.
- :func:`set_aside_undecodable` then rejects, with reason ``invalid_utf8``,
  each entry and header line that held such bytes.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InputFileError
from .parser import normalise_text
from .records import Entry, ParsedBlog, Rejection

#: A live blog is a few hundred kB; a file this big is almost surely not one,
#: and parsing it would take memory the scheduled job may not have.
MAX_INPUT_BYTES = 64 * 1024 * 1024

#: Above this share of undecodable bytes a file is not "text with a few bad
#: bytes" but binary or another encoding, and is refused as a whole.
_MAX_UNDECODABLE_SHARE = 0.10

_MARKUP_START = re.compile(r"\A\s*<(?:!doctype|\?xml|!--|[a-z][a-z0-9]*[\s>/])", re.IGNORECASE)
_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]{0,500})?/?>", re.IGNORECASE)
_REPLACEMENT = "\ufffd"
_PREVIEW_CHARS = 2000


@dataclass(frozen=True)
class DecodedInput:
    """The text of a file, or the reason it has none.

    ``undecodable_lines`` are the (1-based, as the parser counts them) lines
    where bytes that are not UTF-8 were replaced by U+FFFD.
    """

    text: str | None
    problem: Rejection | None = None
    undecodable_lines: tuple[int, ...] = ()


def read_input(path: Path, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of a regular file, or an ``InputFileError`` saying what is wrong.

    ``follow_symlinks=False`` opens with ``O_NOFOLLOW``: a path that is a
    symbolic link is refused (``symlink_refused``) before a byte of its
    target is read, even if it became a link after it was listed.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK  # O_NONBLOCK: opening a pipe must not wait for a writer
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file (was it moved or deleted?)",
                             "file_missing") from None
    except OSError as error:
        if not follow_symlinks and error.errno == errno.ELOOP:
            raise InputFileError(
                f"{path}: is a symbolic link; liveledger run reads only regular files in "
                "the inbox and never follows links out of it (nothing was read; the link "
                "was moved to rejected/): copy the file itself into the inbox",
                "symlink_refused") from None
        raise InputFileError(f"{path}: cannot be opened ({error.strerror})",
                             "unreadable_file") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{path}: is a directory; pass the live-blog files inside it",
                                 "not_a_file")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{path}: is not a regular file (a pipe, socket or device); "
                                 "save the live blog to a file and load that", "not_a_file")
        if info.st_size > MAX_INPUT_BYTES:
            raise InputFileError(
                f"{path}: is {info.st_size / 1048576:.0f} MB, more than the "
                f"{MAX_INPUT_BYTES // 1048576} MB a live blog can plausibly be; "
                "is it the right file?", "file_too_large")
        chunks: list[bytes] = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({error.strerror})",
                             "unreadable_file") from None
    finally:
        os.close(fd)


def decode(data: bytes) -> DecodedInput:
    """Text to parse, or the rejection that says why the bytes are not a live blog."""
    if not data.strip():
        return DecodedInput(None, Rejection("empty_file", "the file is empty", "", None))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodedInput(None, Rejection(
            "invalid_utf8", "the file is UTF-16 text, not UTF-8; save it as UTF-8 and "
            "load it again", _preview(data), None))
    if b"\x00" in data:
        return DecodedInput(None, Rejection(
            "not_text", "the file is binary (it contains NUL bytes), not a plain-text live blog",
            _preview(data), None))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return _decode_damaged(data, error)
    if _is_markup(text):
        return DecodedInput(None, Rejection(
            "not_plain_text", "the file is HTML or XML markup, not plain text; save the "
            "live blog as plain text (e.g. copy the article text) and load that",
            text[:_PREVIEW_CHARS], 1))
    return DecodedInput(text)


def set_aside_undecodable(parsed: ParsedBlog, decoded: DecodedInput) -> ParsedBlog:
    """Reject the entries and header lines that held bytes which are not UTF-8.

    An entry keeps counting as seen; it moves from ``entries`` to the
    rejections, so ``entries_seen = entries + rejected entries`` still holds.
    Lines after the first time marker that belong to no entry are already
    rejected as pieces of their own (page stamps, stray text).
    """
    if not decoded.undecodable_lines or decoded.text is None:
        return parsed
    kept = tuple(e for e in parsed.entries if not _damaged(e))
    moved = [
        Rejection(
            "invalid_utf8",
            f"line {e.line_number}: entry {e.time_marker!r} holds bytes that are not valid "
            "UTF-8 (shown as \ufffd); it was not loaded: save the file as UTF-8 and load it again",
            f"{e.time_marker}\n{e.body}", e.line_number, is_entry=True)
        for e in parsed.entries if _damaged(e)
    ]
    marker_lines = [e.line_number for e in parsed.entries]
    marker_lines += [r.line_number for r in parsed.rejections if r.is_entry and r.line_number]
    first_marker = min(marker_lines, default=None)
    lines = normalise_text(decoded.text).split("\n")
    header = [
        Rejection(
            "invalid_utf8",
            f"line {number}: header text holds bytes that are not valid UTF-8 (shown as "
            "\ufffd); save the file as UTF-8 and load it again",
            lines[number - 1], number)
        for number in decoded.undecodable_lines
        if first_marker is None or number < first_marker
    ]
    rejections = sorted([*parsed.rejections, *moved, *header], key=lambda r: r.line_number or 0)
    return replace(parsed, entries=kept, rejections=tuple(rejections),
                   blog_id=parsed.blog_id if kept else None)


def _decode_damaged(data: bytes, error: UnicodeDecodeError) -> DecodedInput:
    """Decode text that has some bytes which are not UTF-8, remembering where."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for c in escaped if "\udc80" <= c <= "\udcff")
    if bad > _MAX_UNDECODABLE_SHARE * len(data):
        line = data[: error.start].count(b"\n") + 1
        return DecodedInput(None, Rejection(
            "invalid_utf8",
            f"line {line}: the file is not UTF-8 text ({bad} of its {len(data)} bytes are not "
            "valid UTF-8; is it binary, or in another encoding?); save it as UTF-8 and load "
            "it again", _preview(data), line))
    lines = normalise_text(escaped).split("\n")
    damaged = tuple(n for n, line in enumerate(lines, start=1)
                    if any("\udc80" <= c <= "\udcff" for c in line))
    text = re.sub("[\udc80-\udcff]", _REPLACEMENT, escaped)
    return DecodedInput(text, None, damaged)


def _damaged(entry: Entry) -> bool:
    return _REPLACEMENT in entry.body or _REPLACEMENT in entry.time_marker


def _is_markup(text: str) -> bool:
    """A saved web page or feed: starts with a tag and is full of them."""
    head = text[:_PREVIEW_CHARS].removeprefix("\ufeff")
    return bool(_MARKUP_START.match(head)) and len(_TAG.findall(text[:100_000])) >= 3


def _preview(data: bytes) -> str:
    return f"<{len(data)} bytes; starts {data[:32].hex()}>"
