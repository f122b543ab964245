"""What an earlier build made, and from what: the manifest behind incremental builds.

Every build writes `OUT/.coalition-docs.json`. For every output file it records
a key: a hash of everything that file was made from (the values its template
read, the templates and stylesheets it used, fonts and images, the tool's
version and code). The next build computes the keys again and re-renders only
the outputs whose key changed; the others are carried over from the previous
output unchanged, and outputs that no longer have a source are simply not
carried over.

The manifest also records a fingerprint of every input file (content, theme,
tool). When nothing changed at all, a build stops there: no YAML is parsed and
no template is rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import stat
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any


MANIFEST = ".coalition-docs.json"
FORMAT = 3  # bump when the manifest's shape or the meaning of a key changes

_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _blake(data: bytes = b"") -> "hashlib._Hash":
    return hashlib.blake2b(data, digest_size=16)


def digest_bytes(*parts: bytes | str) -> str:
    h = _blake()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """The hash of a file's bytes; a FIFO, device or folder is never read (it would block),
    it hashes as its kind, and the stage that needs the file reports it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return _blake(f"unreadable:{exc.errno}".encode()).hexdigest()
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return _blake(f"special:{stat.S_IFMT(info.st_mode)}:{info.st_mtime_ns}".encode()).hexdigest()
        if info.st_size < _SMALL_FILE:  # most inputs: one read, without file_digest's 256 KiB buffer
            data = handle.read()
            if len(data) < _SMALL_FILE:
                return _blake(data).hexdigest()
            h = _blake(data)  # it grew since fstat: hash the rest as it comes
            hashlib.file_digest(handle, lambda: h)
            return h.hexdigest()
        return hashlib.file_digest(handle, lambda: _blake()).hexdigest()


_SMALL_FILE = 1 << 16


_FIELDS: dict[type, tuple[bytes, tuple[tuple[str, bytes], ...]]] = {}


def _fields(kind: type) -> tuple[bytes, tuple[tuple[str, bytes], ...]]:
    """A dataclass's opening bytes and its fields, each with the bytes that name it."""
    found = _FIELDS.get(kind)
    if found is None:
        found = _FIELDS[kind] = (f"D{kind.__name__}(".encode(),
                                 tuple((f.name, f.name.encode() + b"=") for f in dataclasses.fields(kind)))
    return found


# What _feed does with a value depends on its type alone: decided once per type.
_TEXT, _SCALAR, _SEQUENCE, _MAPPING, _BYTES, _SET, _STAMP, _OBJECT = range(8)
_KINDS: dict[type, int] = {}


def _kind(kind: type) -> int:
    if issubclass(kind, str):  # str and markupsafe.Markup
        found = _TEXT
    elif kind is type(None) or issubclass(kind, (bool, int, float)):
        found = _SCALAR
    elif issubclass(kind, (list, tuple)):
        found = _SEQUENCE
    elif issubclass(kind, Mapping):
        found = _MAPPING
    elif issubclass(kind, (bytes, bytearray)):
        found = _BYTES
    elif issubclass(kind, (set, frozenset)):
        found = _SET
    elif issubclass(kind, (PurePath, dt.date, dt.datetime)):
        found = _STAMP
    else:
        found = _OBJECT
    _KINDS[kind] = found
    return found


def _feed(h, value: Any, memo: dict[int, tuple[Any, bytes]] | None = None) -> None:
    """Feed a value into a hash in a form that is the same in every process.

    repr() is not enough: the order of a set of strings changes from one Python
    process to the next (hash randomisation). With `memo`, a dataclass or
    object met again (a member on its page and in the directory) is fed as the
    digest of its first meeting.
    """
    kind = _KINDS.get(type(value))
    if kind is None:
        kind = _kind(type(value))
    if kind == _TEXT:
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
    elif kind == _SEQUENCE:
        h.update(b"[")
        for item in value:
            _feed(h, item, memo)
        h.update(b"]")
    elif kind == _OBJECT:
        if memo is not None and (dataclasses.is_dataclass(value) or hasattr(value, "__dict__")):
            known = memo.get(id(value))
            if known is None:
                inner = _blake()
                _feed_object(inner, value, memo)
                known = memo[id(value)] = (value, inner.digest())  # the value too: its id stays its own
            h.update(b"#" + known[1])
        else:
            _feed_object(h, value, memo)
    elif kind == _SCALAR:
        h.update(f"{type(value).__name__}:{value!r};".encode())
    elif kind == _MAPPING:
        h.update(b"{")
        for key, item in value.items():
            _feed(h, key, memo)
            _feed(h, item, memo)
        h.update(b"}")
    elif kind == _BYTES:
        h.update(b"b%d:" % len(value))
        h.update(value)
    elif kind == _SET:
        h.update(b"<")
        for item in sorted(value, key=repr):
            _feed(h, item, memo)
        h.update(b">")
    else:  # _STAMP
        h.update(f"{type(value).__name__}:{value};".encode())


def _feed_object(h, value: Any, memo: dict[int, tuple[Any, bytes]] | None) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        opening, fields = _fields(type(value))
        h.update(opening)
        for name, label in fields:
            h.update(label)
            _feed(h, getattr(value, name), memo)
        h.update(b")")
    elif hasattr(value, "__dict__"):
        h.update(f"O{type(value).__name__}(".encode())
        for key in sorted(vars(value)):
            if not key.startswith("__"):
                h.update(key.encode() + b"=")
                _feed(h, vars(value)[key], memo)
        h.update(b")")
    else:
        h.update(f"{type(value).__name__}:{value!r};".encode())


def digest_value(*values: Any, memo: dict[int, tuple[Any, bytes]] | None = None) -> str:
    """A stable hash of plain data: dataclasses, mappings, sequences, strings, numbers.

    Pass the same `memo` dict to hash many values that share parts (the pages
    of one build); it must not outlive the values, which must not change.
    """
    h = _blake()
    for value in values:
        _feed(h, value, memo)
    return h.hexdigest()


def tool_fingerprint() -> str:
    """The code the tool runs (its version, in __init__.py, too) and its catalogs: an edited checkout is a new tool."""
    h = _blake()
    files = [*_PACKAGE_DIR.rglob("*.py"), *_PACKAGE_DIR.rglob("*.po"), *_PACKAGE_DIR.rglob("*.mo")]
    for path in sorted(files):
        h.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
        h.update(file_digest(path).encode())
    return h.hexdigest()


def tree_files(root: Path) -> list[Path]:
    """Every regular file under root, sorted, skipping hidden files and folders."""
    return [Path(root) / rel for rel in _tree(str(root))]


def _tree(root: str) -> list[str]:
    """tree_files as paths relative to root ("partners/a.yaml"), in the same order.

    As os.walk, a link to a folder is not followed; a link to a file is listed.
    """
    found: list[str] = []
    folders = [""]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(f"{root}/{folder}" if folder else root))
        except OSError:
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if name != "__pycache__" and not entry.is_symlink():
                    folders.append(f"{folder}{name}/")
            elif not name.endswith("~"):
                found.append(folder + name)
    return sorted(found, key=lambda rel: rel.split("/"))  # as Paths sort: part by part


def inputs_fingerprint(roots: Iterable[Path], extra: Mapping[str, Any], previous: Mapping[str, Any] | None = None
                       ) -> tuple[str, dict[str, list]]:
    """A hash over every input file (path and contents) and the build's options.

    `previous` is the file table of the last manifest: a file whose size and
    modification time are unchanged keeps its recorded digest without being read.
    Returns the fingerprint and the new file table.
    """
    old = previous or {}
    table: dict[str, list] = {}
    h = _blake()
    _feed(h, dict(extra))
    for root in roots:
        root = Path(root)
        for rel in _tree(str(root)):
            path = f"{root}/{rel}"
            try:
                st = os.stat(path)
            except OSError:
                continue
            name = f"{root}//{rel}"
            known = old.get(name)
            if known and known[0] == st.st_size and known[1] == st.st_mtime_ns:
                digest = known[2]
            else:
                digest = file_digest(path)
            table[name] = [st.st_size, st.st_mtime_ns, digest]
            h.update(name.encode())
            h.update(digest.encode())
    return h.hexdigest(), table


@dataclass
class OutputRecord:
    key: str
    # Stage-specific facts the next build needs to recompute the key, e.g. which
    # parts of the site's data a page's templates read.
    deps: list[str] = field(default_factory=list)

    def to_json(self) -> list:
        return [self.key, self.deps] if self.deps else [self.key]

    @classmethod
    def from_json(cls, data: Any) -> "OutputRecord | None":
        if isinstance(data, list) and data and isinstance(data[0], str):
            deps = data[1] if len(data) > 1 and isinstance(data[1], list) else []
            return cls(data[0], [str(d) for d in deps])
        return None


@dataclass
class Manifest:
    """The manifest of one build: `outputs` maps "site/index.html" to its record."""

    tool: str = ""
    fingerprint: str = ""
    files: dict[str, list] = field(default_factory=dict)
    outputs: dict[str, OutputRecord] = field(default_factory=dict)
    # What the build warned about, by stage (said again by a build that finds nothing changed,
    # and kept for a stage that `--only` leaves as it was).
    stage_warnings: dict[str, list[str]] = field(default_factory=dict)
    version: str = ""  # the version of coalition-docs that wrote it

    @property
    def warnings(self) -> list[str]:
        return [warning for stage in self.stage_warnings.values() for warning in stage]

    @classmethod
    def read(cls, out: Path) -> "Manifest | None":
        """The manifest of the output folder, or None if there is none (or it is unreadable)."""
        try:
            data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return None
        outputs = {}
        for path, raw in (data.get("outputs") or {}).items():
            record = OutputRecord.from_json(raw)
            if record is not None:
                outputs[path] = record
        files = data.get("files") if isinstance(data.get("files"), dict) else {}
        warnings = data.get("warnings") if isinstance(data.get("warnings"), dict) else {}
        return cls(str(data.get("tool", "")), str(data.get("fingerprint", "")), files, outputs,
                   {str(stage): [str(w) for w in said] for stage, said in warnings.items() if isinstance(said, list)},
                   str(data.get("version", "")))

    def write(self, folder: Path) -> None:
        data = {
            "generator": "coalition-docs",
            "version": self.version,
            "format": FORMAT,
            "tool": self.tool,
            "fingerprint": self.fingerprint,
            "warnings": {stage: list(said) for stage, said in self.stage_warnings.items()},
            "outputs": {path: self.outputs[path].to_json() for path in sorted(self.outputs)},
            "files": {name: self.files[name] for name in sorted(self.files)},
        }
        (Path(folder) / MANIFEST).write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")

    def outputs_intact(self, out: Path) -> bool:
        """Whether every recorded output file is still there."""
        return all((Path(out) / path).is_file() for path in self.outputs)


class OutputRecords:
    """What a stage needs to build incrementally, and what it reports back.

    `take(path, key)` carries `path` (relative to the output folder) over from
    the previous build when its recorded key equals `key`; `made(path, key)`
    records a file the stage has just written. Every output a build keeps is in
    `records` afterwards, with its key: the next build's manifest.
    """

    def __init__(self, previous: Manifest | None = None, staging: Any = None, tool: str = ""):
        self.previous = previous
        self.staging = staging
        self.tool = tool
        self.records: dict[str, OutputRecord] = {}
        self.rendered: list[str] = []
        self.reused: list[str] = []

    @property
    def previous_folder(self) -> Path | None:
        """The previous build's output folder, when there is one (a stage may keep files there for the next)."""
        return Path(self.staging.out) if self.previous is not None and self.staging is not None else None

    def record(self, path: str) -> OutputRecord | None:
        return self.previous.outputs.get(path) if self.previous else None

    def unchanged(self, path: str, key: str) -> bool:
        """Whether the previous build made `path` from the same key (and can hand it over)."""
        old = self.record(path)
        return old is not None and old.key == key and self.staging is not None

    def carry(self, path: str, key: str, deps: list[str] | None = None) -> bool:
        """Carry an unchanged output over from the previous build; False if its file is gone."""
        old = self.record(path)
        if not self.unchanged(path, key) or not self.staging.reuse(path):
            return False
        assert old is not None
        self.records[path] = OutputRecord(key, list(deps if deps is not None else old.deps))
        self.reused.append(path)
        return True

    def take(self, path: str, key: str, deps: list[str] | None = None) -> bool:
        return self.carry(path, key, deps)

    def made(self, path: str, key: str, deps: list[str] | None = None) -> None:
        self.records[path] = OutputRecord(key, sorted(deps or []))
        self.rendered.append(path)
