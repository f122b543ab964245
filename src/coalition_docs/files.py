"""Reading files without surprises: only regular files, never a hang, a size limit.

Every file the tool reads from a person's folders (content, theme overrides,
spreadsheets) goes through `read_regular`: it opens without blocking (so a
FIFO cannot hang the tool), refuses anything that is not a regular file
(FIFOs, sockets, devices, folders), and refuses files larger than a limit
before reading them. Problems are raised as `UnreadableFile` carrying one
sentence that says what is wrong and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_CONTENT_BYTES = 5 * 1024 * 1024  # a YAML or Markdown file
MAX_STATIC_BYTES = 50 * 1024 * 1024  # an image or PDF in static/

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a link"),
)

# Editor, backup and system files: never content, never published.
_JUNK_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".bak", ".orig", ".rej", ".tmp")
_JUNK_NAMES = {"Thumbs.db", "desktop.ini"}


class UnreadableFile(Exception):
    """A file that cannot be read as a regular file; the message is for a person."""


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def is_junk(name: str) -> bool:
    """Editor swap files, backups and dotfiles: skipped everywhere, never published."""
    return name.startswith((".", "#")) or name.endswith(_JUNK_SUFFIXES) or name in _JUNK_NAMES


def check_regular(path: Path, limit: int = MAX_CONTENT_BYTES) -> os.stat_result:
    """The stat of `path` (links followed) if it is a regular file within `limit`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile("file not found (a link to a missing file?)") from None
    except PermissionError:
        raise UnreadableFile("permission denied (expected a file this user can read)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("link loop (the link points back at itself)") from None
        raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(f"not a regular file (expected a file, found {kind_of(info.st_mode)})")
    if info.st_size > limit:
        raise UnreadableFile(
            f"file is too large (expected at most {_size(limit)}, found {_size(info.st_size)})"
        )
    return info


def read_regular(path: Path, limit: int = MAX_CONTENT_BYTES) -> bytes:
    """The bytes of a regular file, read without ever blocking on a FIFO or device."""
    check_regular(path, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise UnreadableFile("permission denied (expected a file this user can read)") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)  # the file opened may not be the one checked: check again
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"not a regular file (expected a file, found {kind_of(info.st_mode)})")
        chunks = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError as exc:
                raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise UnreadableFile(f"file is too large (expected at most {_size(limit)}, found more)")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 MiB", " MiB")
    if n >= 1024:
        return f"{n / 1024:.1f} KiB".replace(".0 KiB", " KiB")
    return f"{n} bytes"
