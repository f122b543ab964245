"""What a process that builds again and again (`serve`) keeps of the content files it has read.

Reading a thousand partner files and checking each against its schema is
most of the work of loading a coalition; a person's edit changes one of them.
`FileCache` keeps each file's result (the loaded `Loaded`, or nothing, and the
problems it had on its own), and hands it back while the file is unchanged;
the passes that need several files (cross-references, languages, links) run
on the whole coalition every time, so a build with a cache reports exactly
what a fresh `check` does.

A file is unchanged when its size, modification time, inode and change time
are those it had when it was read. A file written again within the same tick
of the file system's clock can keep all four (a rename of the same length,
saved twice in a second), as Git's index knows: a file that was read less than
`RACY_SECONDS` after its modification is compared by the hash of its bytes
until it is older. The hash is taken before the file is parsed, so a change
that lands in between is found by the next build.

The listing of a folder (which files are partners, which names are refused)
is kept by what the folder holds: names, kinds and the links refused.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RACY_SECONDS = 3.0  # covers file systems with a coarse clock (FAT's is 2 s)

Signature = tuple[int, int, int, int, int]


def _signature(info: os.stat_result) -> Signature:
    return info.st_size, info.st_mtime_ns, info.st_ino, info.st_dev, info.st_ctime_ns


def _racy(info: os.stat_result) -> bool:
    return time.time_ns() - info.st_mtime_ns < RACY_SECONDS * 1e9


def _racy_signature(signature: Signature) -> bool:
    return time.time_ns() - signature[1] < RACY_SECONDS * 1e9


def _digest(path: Path) -> str | None:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return None


class FileCache:
    """Each content file's load and schema check, kept while the file is unchanged."""

    def __init__(self) -> None:
        # (path, schema) -> (signature, digest or None when not racy, result)
        self._files: dict[tuple[Path, type], tuple[Signature, str | None, Any]] = {}
        self._folders: dict[tuple, Any] = {}
        self.hits = self.misses = 0  # files handed back and files read, for the tests and the benchmark

    @property
    def fresh(self) -> bool:
        """Nothing read yet."""
        return not self._files and not self._folders

    def lookup(self, path: Path, schema: str) -> Any:
        """What loading `path` against `schema` gave while the file is as it was then; None if it changed."""
        known = self._files.get((path, schema))
        if known is None:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        if known[0] != _signature(info) or (known[1] is not None and known[1] != _digest(path)):
            return None
        if known[1] is not None and not _racy(info):  # old enough now: the stat alone will do
            self._files[(path, schema)] = (known[0], None, known[2])
        self.hits += 1
        return known[2]

    @staticmethod
    def before_reading(path: Path) -> tuple[Signature, str | None] | None:
        """What `path` is before it is read: its signature and, for a racy file, its digest; None for a
        file that is not kept (missing, unreadable, not a regular file: its load reports it every time)."""
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return _signature(info), _digest(path) if _racy(info) else None

    def remember(self, path: Path, schema: str, before: tuple[Signature, str | None] | None, result: Any) -> None:
        """`result` of loading `path`, which was as `before` found it when its reading began."""
        self.misses += 1
        if before is not None and (before[1] is not None or not _racy_signature(before[0])):
            self._files[(path, schema)] = (before[0], before[1], result)

    def file(self, path: Path, schema: str, load: Callable[[], Any]) -> Any:
        """`load()`'s result for `path`, again while the file is unchanged."""
        known = self.lookup(path, schema)
        if known is not None:
            return known
        before = self.before_reading(path)
        result = load()
        self.remember(path, schema, before, result)
        return result

    def folder(self, key: tuple, list_folder: Callable[[], Any]) -> Any:
        """`list_folder()`'s result, again while `key` (what the folder holds) is the same."""
        if key not in self._folders:
            if len(self._folders) > 64:
                self._folders.clear()
            self._folders[key] = list_folder()
        return self._folders[key]

    def forget(self, keep: set[Path]) -> None:
        """Drop the files that are gone from the content folder (not in `keep`)."""
        for key in [k for k in self._files if k[0] not in keep]:
            del self._files[key]
