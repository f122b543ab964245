"""Each content file's reading and schema check, kept from one run to the next.

Parsing the YAML of a thousand partner files and checking each against its
schema is most of the work of loading a coalition, and between two runs a
person edits a few of them. The result of that work for one file (its
`Loaded` and the problems it has on its own) depends on nothing but the
file's text, its name and the schema, so it is kept under a hash of the
three, in one file per content folder in the user's cache folder
(`$COALITION_DOCS_CACHE`, else `$XDG_CACHE_HOME/coalition-docs`, else
`~/.cache/coalition-docs`), beside the compiled templates.

What is never kept: whether a file may be read at all (a link out of the
content folder, a FIFO, a file too large, bytes that are not UTF-8), which is
found by reading it again every time; and every check that looks at several
files (ids, cross-references, languages, links), which runs on the whole
coalition every time. So a run with a warm cache reports exactly what a run
without one does.

The store is only ever an optimisation. It is tied to the tool's code and to
the versions of Python, PyYAML and pydantic: another version starts afresh.
What it keeps are values.Value objects, which load without pydantic: a run
whose files the store knows never imports it.
A cache folder that cannot be made or written, a store file that cannot be
read or is damaged, means reading as before; a store file is replaced whole
(a temporary file renamed over it), so two runs at once never see half of
one. At most `KEEP` content folders are kept; the least recently used go.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from coalition_docs.files import read_regular, user_cache

KEEP = 32  # content folders whose files are kept
MAX_STORE_BYTES = 512 * 1024 * 1024
FORMAT = 2
ABANDONED_SECONDS = 3600  # a save's temporary file older than this was left by a run that was killed


def _versions(tool: str) -> str:
    return f"{FORMAT}|{tool}|{sys.version}|{_package('yaml')}|{_package('pydantic')}|{_package('pydantic_core')}"


def _package(name: str) -> str:
    """Which version of an installed package parses and checks the files, without importing it (a warm
    run never does): a hash of its __init__.py and version.py, which name the version."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return "missing"
    if spec is None or not spec.origin:
        return "missing"
    folder = Path(spec.origin).parent
    digest = hashlib.blake2b(digest_size=8)
    for part in (Path(spec.origin), folder / "version.py"):
        try:
            digest.update(part.read_bytes())
        except OSError:
            digest.update(b"-")
    return digest.hexdigest()


class ContentStore:
    """What reading and checking each file of one content folder gave, by the hash of its text."""

    def __init__(self, path: Path | None, versions: str, entries: dict[bytes, bytes] | None = None):
        self.path = path  # None: kept for this run only
        self.versions = versions
        self._earlier = entries or {}  # key -> pickled result, as the last run left them
        self._now: dict[bytes, bytes] = {}  # the entries this run used: what the store keeps

    @classmethod
    def open(cls, content_dir: Path, tool: str) -> "ContentStore":
        """The store of `content_dir` for this tool, empty when there is none (or none can be kept)."""
        versions = _versions(tool)
        folder = user_cache("content")
        if folder is None:
            return cls(None, versions)
        real = os.path.realpath(content_dir)
        path = folder / (hashlib.blake2b(real.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
                         + ".pickle")
        return cls(path, versions, _read(path, versions))

    @staticmethod
    def key(name: str, schema: str, text: str) -> bytes:
        digest = hashlib.blake2b(f"{schema}\0{name}\0".encode("utf-8", "surrogatepass"), digest_size=20)
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def get(self, key: bytes) -> Any:
        """The result kept under `key`, as a new object; None if there is none (or it cannot be read)."""
        data = self._now.get(key) or self._earlier.get(key)
        if data is None:
            return None
        try:
            value = pickle.loads(data)
        except Exception:  # written by a code that no longer loads it: read the file again
            return None
        self._now[key] = data
        return value

    def put(self, key: bytes, value: Any) -> None:
        try:
            self._now[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # a value that does not pickle is simply not kept
            pass

    def put_pickled(self, key: bytes, data: bytes) -> None:
        """`put`, for a value pickled already (by the worker that made it)."""
        self._now[key] = data

    def save(self) -> None:
        """Keep this run's entries for the next run (nothing is written when nothing changed)."""
        if self.path is None:
            return
        if self._now == self._earlier:
            try:
                os.utime(self.path)  # used: the least recently used stores are the ones that go
            except OSError:
                pass
            return
        data = pickle.dumps((self.versions, self._now), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            handle, temporary = tempfile.mkstemp(prefix=".store-", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:  # a full disk or a read-only cache: nothing is lost but time
            return
        self._earlier = self._now
        _forget_old(self.path.parent, keep=self.path)


def _read(path: Path, versions: str) -> dict[bytes, bytes]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            return {}  # only a file of this user's own is trusted
        kept, entries = pickle.loads(read_regular(path, MAX_STORE_BYTES))
    except Exception:  # unreadable, damaged, or another version's: start afresh
        return {}
    if kept != versions or not isinstance(entries, dict):
        return {}
    return entries


def _forget_old(folder: Path, keep: Path) -> None:
    """Remove the stores of the content folders used least recently, beyond KEEP, and the temporary
    files of saves that never finished (a run killed while writing) once they are an hour old."""
    try:
        entries = [entry for entry in os.scandir(folder) if entry.is_file(follow_symlinks=False)]
        stores = sorted(((entry.stat().st_mtime_ns, entry.path) for entry in entries
                         if entry.name.endswith(".pickle")), reverse=True)
        abandoned = [entry.path for entry in entries if entry.name.startswith(".store-")
                     and time.time() - entry.stat().st_mtime > ABANDONED_SECONDS]
    except OSError:
        return
    for path in [path for _, path in stores[KEEP:] if path != str(keep)] + abandoned:
        try:
            os.unlink(path)
        except OSError:
            pass
