"""From a path to text the parser can read, and back to the pieces it can't use.

Scheduled loads get whatever lands in a folder: half-written files, saved web
pages, files in the wrong encoding, directories, pipes. This module decides
what of it is text, and says precisely why the rest is not, so that the
loader never crashes and never drops anything silently:

- :func:`read_input` opens the path once and reads from that open file, so a
  file deleted after we opened it is still read whole, and a directory, a pipe
  or a device is refused instead of being read (reading a pipe would hang).
- :func:`decode` turns bytes into text. UTF-8 is expected; UTF-16 with a
  byte-order mark and Windows-1252 (a file with no UTF-8 sequence at all
  whose bytes are all Windows-1252 characters, as Windows editors save) are
  read too, and the encoding used is stated. A file that is empty, binary,
  markup or mostly not UTF-8 is unusable as a whole. A file with a few bytes
  that are not UTF-8, or a few NUL bytes, is still parsed, with those bytes
  replaced by U+FFFD and their lines remembered, so that its good entries
  load.
- :func:`set_aside_undecodable` then rejects, with reason ``invalid_utf8``
  (or ``nul_byte``), each entry and header line that held such bytes.
"""

from __future__ import annotations

import bisect
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
#: A text file has a stray NUL now and then; a file with more than this
#: share of them is binary.
_MAX_NUL_SHARE = 0.01
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_CONTROL_BYTE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
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
    #: The lines that held NUL bytes (also replaced by U+FFFD).
    nul_lines: tuple[int, ...] = ()
    #: How the bytes were read: ``utf-8``, ``utf-16`` or ``windows-1252``.
    encoding: str = "utf-8"

    @property
    def encoding_note(self) -> str | None:
        """A warning to show when the file was not UTF-8, saying what was used."""
        if self.encoding == "utf-8":
            return None
        why = (
            "it starts with a UTF-16 byte-order mark"
            if self.encoding == "utf-16"
            else "it holds no UTF-8 sequence and every byte is a Windows-1252 character"
        )
        return f"the file is not UTF-8; read as {self.encoding} ({why})"


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
        raise InputFileError(
            f"{path}: no such file (was it moved or deleted?)", "file_missing"
        ) from None
    except OSError as error:
        if not follow_symlinks and error.errno == errno.ELOOP:
            raise InputFileError(
                f"{path}: is a symbolic link; liveledger run reads only regular files in "
                "the inbox and never follows links out of it (nothing was read; the link "
                "was moved to rejected/): copy the file itself into the inbox",
                "symlink_refused",
            ) from None
        raise InputFileError(
            f"{path}: cannot be opened ({error.strerror})", "unreadable_file"
        ) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(
                f"{path}: is a directory; pass the live-blog files inside it", "not_a_file"
            )
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(
                f"{path}: is not a regular file (a pipe, socket or device); "
                "save the live blog to a file and load that",
                "not_a_file",
            )
        if info.st_size > MAX_INPUT_BYTES:
            raise InputFileError(
                f"{path}: is {info.st_size / 1048576:.0f} MB, more than the "
                f"{MAX_INPUT_BYTES // 1048576} MB a live blog can plausibly be; "
                "is it the right file?",
                "file_too_large",
            )
        chunks: list[bytes] = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise InputFileError(
            f"{path}: cannot be read ({error.strerror})", "unreadable_file"
        ) from None
    finally:
        os.close(fd)


def decode(data: bytes) -> DecodedInput:
    """Text to parse, or the rejection that says why the bytes are not a live blog."""
    if not data.strip():
        return DecodedInput(None, Rejection("empty_file", "the file is empty", "", None))
    encoding = "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            return DecodedInput(
                None,
                Rejection(
                    "invalid_utf8",
                    "the file starts like UTF-16 text but is not valid UTF-16; "
                    "save it as UTF-8 and load it again",
                    _preview(data),
                    None,
                ),
            )
        encoding = "utf-16"
    nuls = data.count(b"\x00")
    if nuls and not _is_text_with_stray_nuls(data, nuls):
        return DecodedInput(
            None,
            Rejection(
                "not_text",
                "the file is binary (it contains NUL bytes), not a plain-text live blog",
                _preview(data),
                None,
            ),
        )
    if encoding == "utf-8" and _is_windows_1252(data):
        data = data.decode("cp1252").encode("utf-8")
        encoding = "windows-1252"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        decoded = _decode_damaged(data, error)
    else:
        decoded = DecodedInput(text)
    if decoded.text is None:
        return decoded
    text = decoded.text
    if _is_markup(text):
        return DecodedInput(
            None,
            Rejection(
                "not_plain_text",
                "the file is HTML or XML markup, not plain text; save the "
                "live blog as plain text (e.g. copy the article text) and load that",
                text[:_PREVIEW_CHARS],
                1,
            ),
        )
    if nuls:
        lines = normalise_text(text).split("\n")
        decoded = replace(
            decoded,
            text=text.replace("\x00", _REPLACEMENT),
            nul_lines=tuple(n for n, line in enumerate(lines, start=1) if "\x00" in line),
        )
    return replace(decoded, encoding=encoding)


def _is_text_with_stray_nuls(data: bytes, nuls: int) -> bool:
    """UTF-8 text with a NUL here and there (a sync tool, a bad copy), not binary.

    Binary formats hold runs of NULs and bytes that are not UTF-8; a text
    file with a stray NUL is valid UTF-8 around it.
    """
    if b"\x00\x00" in data or nuls > _MAX_NUL_SHARE * len(data):
        return False
    try:
        data.replace(b"\x00", b"").decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_windows_1252(data: bytes) -> bool:
    """Bytes a Windows editor saved: not UTF-8 and not one UTF-8 sequence in them.

    A UTF-8 file with a few damaged bytes still holds UTF-8 sequences (its
    dashes, quotes and accents), so it is not taken for Windows-1252; a
    Windows-1252 file has high bytes and none of them forms one. Control
    bytes other than tab, line breaks and form feed mean binary, not text.
    """
    if not _HIGH_BYTE.search(data) or _UTF8_SEQUENCE.search(data) or _CONTROL_BYTE.search(data):
        return False
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are not Windows-1252
        return False
    return True


def set_aside_undecodable(parsed: ParsedBlog, decoded: DecodedInput) -> ParsedBlog:
    """Reject the entries and header lines that held bytes which are not UTF-8.

    An entry keeps counting as seen; it moves from ``entries`` to the
    rejections, so ``entries_seen = entries + rejected entries`` still holds.
    Lines after the first time marker that belong to no entry are already
    rejected as pieces of their own (page stamps, stray text).
    """
    if decoded.encoding_note:
        parsed = replace(
            parsed, warnings=(decoded.encoding_note, *parsed.warnings), encoding=decoded.encoding
        )
    if not (decoded.undecodable_lines or decoded.nul_lines) or decoded.text is None:
        return parsed
    kept = tuple(e for e in parsed.entries if not _damaged(e))
    nul_entries = _entries_with_nul(parsed, decoded.nul_lines)
    moved = [
        Rejection(
            "nul_byte",
            f"line {e.line_number}: entry {e.time_marker!r} holds a NUL byte (shown as "
            "\ufffd); it was not loaded: remove the NUL byte and load the file again",
            f"{e.time_marker}\n{e.body}",
            e.line_number,
            is_entry=True,
        )
        if e.line_number in nul_entries
        else Rejection(
            "invalid_utf8",
            f"line {e.line_number}: entry {e.time_marker!r} holds bytes that are not valid "
            "UTF-8 (shown as \ufffd); it was not loaded: save the file as UTF-8 and load it again",
            f"{e.time_marker}\n{e.body}",
            e.line_number,
            is_entry=True,
        )
        for e in parsed.entries
        if _damaged(e)
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
            lines[number - 1],
            number,
        )
        for number in decoded.undecodable_lines
        if first_marker is None or number < first_marker
    ] + [
        Rejection(
            "nul_byte",
            f"line {number}: header text holds a NUL byte (shown as \ufffd); the line was not read",
            lines[number - 1],
            number,
        )
        for number in decoded.nul_lines
        if (first_marker is None or number < first_marker)
        and number not in decoded.undecodable_lines
    ]
    rejections = sorted([*parsed.rejections, *moved, *header], key=lambda r: r.line_number or 0)
    return replace(
        parsed, entries=kept, rejections=tuple(rejections), blog_id=parsed.blog_id if kept else None
    )


def _decode_damaged(data: bytes, error: UnicodeDecodeError) -> DecodedInput:
    """Decode text that has some bytes which are not UTF-8, remembering where."""
    escaped = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for c in escaped if "\udc80" <= c <= "\udcff")
    if bad > _MAX_UNDECODABLE_SHARE * len(data):
        line = data[: error.start].count(b"\n") + 1
        return DecodedInput(
            None,
            Rejection(
                "invalid_utf8",
                f"line {line}: the file is not UTF-8 text ({bad} of its {len(data)} bytes are not "
                "valid UTF-8; is it binary, or in another encoding?); save it as UTF-8 and load "
                "it again",
                _preview(data),
                line,
            ),
        )
    lines = normalise_text(escaped).split("\n")
    damaged = tuple(
        n for n, line in enumerate(lines, start=1) if any("\udc80" <= c <= "\udcff" for c in line)
    )
    text = re.sub("[\udc80-\udcff]", _REPLACEMENT, escaped)
    return DecodedInput(text, None, damaged)


def _entries_with_nul(parsed: ParsedBlog, nul_lines: tuple[int, ...]) -> set[int]:
    """Line numbers of the entries (by their marker line) whose text holds a NUL line."""
    starts = sorted(e.line_number for e in parsed.entries)
    heads = (bisect.bisect_right(starts, line) for line in nul_lines)
    return {starts[head - 1] for head in heads if head}


def _damaged(entry: Entry) -> bool:
    return _REPLACEMENT in entry.body or _REPLACEMENT in entry.time_marker


def _is_markup(text: str) -> bool:
    """A saved web page or feed: starts with a tag and is full of them."""
    head = text[:_PREVIEW_CHARS].removeprefix("\ufeff")
    return bool(_MARKUP_START.match(head)) and len(_TAG.findall(text[:100_000])) >= 3


def _preview(data: bytes) -> str:
    return f"<{len(data)} bytes; starts {data[:32].hex()}>"
