"""Reading the input and writing `-o` safely, whatever the path names.

Input is read in blocks up to `MAX_INPUT_BYTES` and stops at the first NUL
byte, so `irc opt /dev/zero` or an endless pipe ends in a diagnostic instead
of exhausting memory.  Output to a regular file (or a new one) is written to a
temporary file in the same folder and renamed over the target, keeping the
target's mode, so a failure never leaves a half-written file or a stray
temporary; devices, pipes and sockets are written through, and a symlink is
followed to its target (the link stays a link).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from typing import BinaryIO, Tuple

# The largest input irc reads (documented in README and `irc opt --help`).
MAX_INPUT_BYTES = 256 << 20
_BLOCK = 1 << 20


class InputError(Exception):
    """The input cannot be read: a one-line command-line error (no source location)."""


def read_input(path: str) -> Tuple[str, str]:
    """(text, buffer name) of `path` ('-' for stdin); raise InputError or a located DiagnosticError."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", sys.stdin)  # a text stream where stdin is replaced (tests)
        return _read_bounded(stream, "<stdin>"), "<stdin>"
    try:
        with open(path, "rb") as f:
            return _read_bounded(f, path), path
    except FileNotFoundError:
        raise InputError(f"could not open input file '{path}': no such file") from None
    except IsADirectoryError:
        raise InputError(f"could not open input file '{path}': is a directory") from None
    except OSError as e:
        raise InputError(f"could not open input file '{path}': {e.strerror}") from None


def _read_bounded(stream: BinaryIO, name: str) -> str:
    blocks, size = [], 0
    while True:
        block = stream.read(_BLOCK)
        if not block:
            break
        if isinstance(block, str):
            block = block.encode("utf-8", errors="surrogateescape")
        nul = block.find(b"\0")
        if nul >= 0:
            blocks.append(block[:nul])
            _nul_error(b"".join(blocks), name)
        size += len(block)
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"input '{name}' is larger than {MAX_INPUT_BYTES >> 20} MiB, the most irc reads"
            )
        blocks.append(block)
    return _decode(b"".join(blocks), name)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"could not read input file '{name}': not UTF-8 text ({e.reason} at byte {e.start})") from None


def _nul_error(before: bytes, name: str):
    """A located error at the first NUL byte (`before` is the text preceding it)."""
    from irc.diagnostics import SOURCES, error
    from irc.location import FileLineColLoc

    text = before.decode("utf-8", errors="replace")
    line = text.count("\n") + 1
    col = len(text) - (text.rfind("\n") + 1) + 1
    SOURCES.add(name, text)
    raise error("input contains a NUL byte; irc reads text", FileLineColLoc(name, line, col))


# ----------------------------------------------------------------------------
# output


class OutputError(Exception):
    """The output file cannot be written: a one-line command-line error."""


def write_output(path: str, text: str) -> None:
    """Write `text` to `path` ('-' for stdout): atomically for regular files, through for the rest."""
    if path == "-":
        sys.stdout.write(text)
        return
    data = text.encode("utf-8")
    target = os.path.realpath(path)  # a symlink is followed; the link itself stays
    try:
        try:
            st = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(f"could not write output file '{path}': is a directory")
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_through(target, data)
        else:
            _replace_atomically(target, data, st)
    except OSError as e:
        raise OutputError(f"could not write output file '{path}': {e.strerror or e}") from None


def _write_through(target: str, data: bytes) -> None:
    """A device, pipe or socket: write into it, never replace it."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _replace_atomically(target: str, data: bytes, st) -> None:
    """Write a temporary file beside `target` and rename it over; remove it on any failure."""
    folder = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))
            if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                try:
                    os.chown(tmp, st.st_uid, st.st_gid)
                except OSError:
                    pass  # only root may give a file away; the mode is kept either way
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
