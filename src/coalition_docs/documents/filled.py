"""The documents' filled HTML, kept from one build for the next.

Filling 200 letters with Jinja takes longer than anything else a build plans,
and an edit changes few of them. Each document is keyed by everything its HTML
is made from: its template's name and language, every file of the theme, the
tool (its code and catalogs), the versions of the libraries that fill it, and
its context, value by value. A build keeps, beside the pieces, the HTML of
every document it filled (and the characters it prints, for the glyph check),
by key; the next build fills again only the documents whose key is new.

Only a build that succeeded keeps anything, and it fills every document without
a missing value: a kept HTML is that of a document whose template found every
value it asked for. A document that lacks one is never kept, so `check` and a
failed `build` report it again, at the same place. A context that holds
anything but plain values (text, numbers, dates without a time zone, lists and
maps of them) is not keyed: that document is filled every build.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup

from coalition_docs.documents.plan import DocumentPlan, Fields
from coalition_docs.engine.manifest import digest_bytes, file_digest, tree_files
from coalition_docs.engine.outputs import PlannedOutput
from coalition_docs.files import UnreadableFile, read_regular
from coalition_docs.templating import Theme

FILLED = "filled.bin"  # beside the pieces: {key: (HTML, the characters it prints)}
MAX_FILLED_BYTES = 1 << 30  # about 5 MB for 1,000 partners
_LIBRARIES = ("jinja2", "markupsafe", "markdown-it-py", "babel")


class _Unkeyed(Exception):
    """A context holds a value that is not plain data: its document is filled every build."""


def _plain(value: Any, out: list[str]) -> None:
    """Append a description of `value` that two values share only if they are equal and of the same types."""
    kind = type(value)
    if value is None or kind in (bool, int, float):
        out.append(f"{kind.__name__}:{value!r}")
    elif kind is str or kind is Markup:
        out.append(f"{kind.__name__}:{len(value)}:{value}")
    elif kind is dt.date or (kind is dt.datetime and value.tzinfo is None):
        out.append(f"{kind.__name__}:{value.isoformat()}")
    elif kind in (list, tuple):
        out.append(f"{kind.__name__}:{len(value)}")
        for item in value:
            _plain(item, out)
    elif kind is dict or kind is Fields:
        out.append(f"{kind.__name__}:{getattr(value, '_field_prefix', '')}:{len(value)}")
        for key, item in value.items():
            _plain(key, out)
            _plain(item, out)
    else:
        raise _Unkeyed(kind.__name__)


class Kept:
    """What the last build kept ({key: two texts}: a document's HTML and the characters it prints, an
    e-mail draft's subject and body), and what this build keeps for the next.

    A key is made of what a document was filled from (`key`) and of what every filling shares: the
    tool, the libraries, the theme's catalogs and each template the last build's fillings looked up
    (the file that wins for its name, or its absence), which they record in `loaded`."""

    def __init__(self, theme: Theme, tool: str, previous: Path | None, folder: str):
        self.theme, self.tool, self.path = theme, tool, f"{folder}/{FILLED}"
        self.last, self.names = read_filled(previous, folder)
        self.common = _environment_key(theme, tool, self.names)
        self.loaded: set[str] = set()  # the templates this build's environments looked up (sandbox.Sandbox)
        self.entries: dict[str, tuple[str, str]] = {}

    def key(self, template: str, language: str, context: Mapping[str, Any]) -> str | None:
        """What a template filled with `context` in `language` is made from; None if the context is not plain data."""
        described: list[str] = []
        try:
            _plain(dict(context), described)
        except (_Unkeyed, RecursionError):
            return None
        return digest_bytes(template, language, "\n".join(described))

    def get(self, key: str | None) -> tuple[str, str] | None:
        """What the last build filled from the same inputs, if it kept it."""
        return self.last.get(digest_bytes(self.common, key)) if key is not None else None

    def keep(self, key: str | None, first: str, second: str) -> None:
        if key is not None:
            self.entries[key] = (first, second)

    def output(self) -> PlannedOutput:
        """The file of what this build keeps, an output of the engine keyed by its keys."""
        names = tuple(sorted(set(self.names) | self.loaded))
        common = _environment_key(self.theme, self.tool, names)
        entries = tuple(sorted((digest_bytes(common, key), value) for key, value in self.entries.items()))
        return PlannedOutput(self.path, digest_bytes(*names, *(key for key, _ in entries)), write_filled,
                             (entries, names), cost=0.01)


def fill_keys(plan: DocumentPlan, kept: Kept) -> dict[str, str]:
    """What each document whose context is plain data is made from (by path): `Kept.key`."""
    keys = {}
    for document in plan.documents:
        key = kept.key(document.template, document.language, document.context)
        if key is not None:
            keys[document.path] = key
    return keys


def _environment_key(theme: Theme, tool: str, names: Iterable[str]) -> str:
    """What every filling shares: the tool (its code and catalogs), the libraries, the theme's catalogs,
    and the file each of `names` resolves to in the theme (a template a filling looked up)."""
    from importlib.metadata import PackageNotFoundError, version

    parts = [tool]
    for library in _LIBRARIES:
        try:
            parts.append(f"{library}:{version(library)}")
        except PackageNotFoundError:
            parts.append(f"{library}:none")
    for base in theme.search_path:  # a coalition's own catalogs, then the theme's
        kind = "override" if base == theme.override_dir else "theme"
        parts += [f"{kind}:{path.relative_to(base).as_posix()}:{file_digest(path)}"
                  for path in tree_files(base / "locale")]
    for name in names:
        try:
            parts.append(f"{name}:{file_digest(theme.find(name))}")
        except (FileNotFoundError, OSError, ValueError):
            parts.append(f"{name}:missing")
    return digest_bytes(*parts)


def read_filled(previous: Path | None, folder: str) -> tuple[dict[str, tuple[str, str]], tuple[str, ...]]:
    """What the last build kept ({key: two texts}) and the templates its fillings looked up; nothing
    when missing, damaged or not ours."""
    if previous is None:
        return {}, ()
    try:
        kept, names = marshal.loads(read_regular(Path(previous) / folder / FILLED, MAX_FILLED_BYTES))
    except (OSError, UnreadableFile, ValueError, EOFError, TypeError):
        return {}, ()
    if not isinstance(kept, dict) or not isinstance(names, tuple) or not all(isinstance(n, str) for n in names):
        return {}, ()
    return {key: entry for key, entry in kept.items()
            if isinstance(key, str) and isinstance(entry, tuple) and len(entry) == 2
            and all(isinstance(part, str) for part in entry)}, names


def write_filled(root: Path, path: str, entries: Iterable[tuple[str, tuple[str, str]]], names: tuple[str, ...]
                 ) -> None:
    """Write what this build filled (an output of the engine, rendered as any other)."""
    # marshal's version 2: no references between objects, so the same bytes every time
    (root / path).write_bytes(marshal.dumps((dict(entries), names), 2))
