"""Reading content files safely, keeping the source position of every value.

This module reads a file's text (read_text: a regular file inside the content
folder, UTF-8, of sane size); yaml_doc.py parses it. YAML is composed into
PyYAML's node graph (libyaml's C parser when present), never constructed by
PyYAML itself: yaml_doc.py turns nodes into plain Python values while
recording where each key and value was written, refusing
duplicate keys, tags other than YAML's standard ones (so `!!python/...` can
execute nothing), and aliases that would expand beyond a sane size (the
"billion laughs"). The expanded size is counted on the graph before anything
is built, so such a file is refused in microseconds.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coalition_docs.content.scalars import CONTROL, char_name
from coalition_docs.errors import Problem
from coalition_docs.files import MAX_CONTENT_BYTES, UnreadableFile, read_regular

MAX_FILE_BYTES = MAX_CONTENT_BYTES

from coalition_docs.content.document import (INVALID, Document, LoadError, Loc, Position, _Invalid,  # noqa: F401
                                             line_column)  # where they were


def relative_name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _real_root(root: Path) -> str:
    """The content folder's real path, as a prefix of the real paths of the files inside it."""
    # keyed on the absolute path: a relative "content" means another folder after a chdir
    return _real_absolute(os.path.abspath(root))


@lru_cache(maxsize=64)
def _real_absolute(root: str) -> str:
    real = os.path.normcase(os.path.realpath(root))
    return real if real.endswith(os.sep) else real + os.sep


def _real_path(path: str, folders: dict[str, str | None] | None) -> str | None:
    """What Path.resolve(strict=True) gives, None where it fails; `folders`, the real paths of the folders
    met so far in one reading of the content (a file that is no link is its folder's real path and its name)."""
    if folders is not None:
        try:
            if not stat.S_ISLNK(os.lstat(path).st_mode):
                folder, _, base = path.rpartition(os.sep)
                if folder not in folders:
                    folders[folder] = _real_path(folder, None) if folder else None
                if folders[folder] is not None:
                    return os.path.join(folders[folder], base)
        except OSError:
            return None
    try:
        return os.path.realpath(path, strict=True)
    except (OSError, RuntimeError):
        return None


def read_text(path: Path, root: Path, name: str | None = None, folders: dict[str, str | None] | None = None) -> str:
    """A content file's text: a regular file inside the content folder, UTF-8, of sane size,
    without control characters. `name` is its name relative to `root`, when known; `folders`,
    what an earlier call of the same reading found (see _real_path)."""
    name = name or relative_name(path, root)
    resolved = _real_path(str(path), folders)
    if resolved is not None and not os.path.normcase(resolved + os.sep).startswith(_real_root(root)):
        raise LoadError(
            Problem(name, 1, 1, f"file resolves outside the content folder (a link to {resolved}); "
                    "content files must live inside the content folder")
        )
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except UnreadableFile as exc:
        raise LoadError(Problem(name, 1, 1, str(exc))) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.decode("utf-8", "replace")) - (before.decode("utf-8", "replace").rfind("\n") + 1) + 1
        raise LoadError(
            Problem(name, line, column, f"file is not valid UTF-8 (expected UTF-8 text, found byte "
                    f"0x{raw[exc.start]:02x}); save the file as UTF-8")
        ) from None
    text = text.removeprefix("\ufeff")
    bad = CONTROL.search(text)
    if bad:
        line, column = line_column(text, bad.start())
        raise LoadError(Problem(name, line, column, f"control character {char_name(bad.group())} in the "
                                "file (expected text; a NUL byte or other control character is often the sign "
                                "of a binary file or a bad copy and paste)"))
    return text


def load_yaml_file(path: Path, root: Path) -> Document:
    """Load one YAML file into a Document, or raise LoadError."""
    name = relative_name(path, root)
    return parse_yaml(read_text(path, root, name), name)


def parse_yaml(text: str, name: str, line_offset: int = 0) -> Document:
    """A YAML text as a Document (yaml_doc.py: PyYAML, imported for the files the store does not know)."""
    from coalition_docs.content.yaml_doc import parse

    return parse(text, name, line_offset)


@dataclass
class FrontMatterPage:
    front: Document
    body: str
    body_line: int  # 1-based line where the body starts


def load_page_file(path: Path, root: Path) -> FrontMatterPage:
    """A Markdown page: YAML front matter between --- lines, then the body."""
    name = relative_name(path, root)
    return page_from_text(read_text(path, root, name), name)


def page_from_text(text: str, name: str) -> FrontMatterPage:
    """A page's text (read already) as its front matter and body; LoadError if it has no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise LoadError(
            Problem(name, 1, 1, "page has no front matter (expected a first line '---' opening "
                    "YAML front matter with at least a title, found "
                    f"{_describe_line(lines[0] if lines else '')})")
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front_text = "".join(lines[1:index])
            body = "".join(lines[index + 1 :])
            front = parse_yaml(front_text, name, line_offset=1)
            return FrontMatterPage(front, body, index + 2)
    raise LoadError(
        Problem(name, 1, 1, "front matter is not closed (expected a line '---' after the "
                "front matter, found the end of the file)")
    )


def _describe_line(line: str) -> str:
    line = line.rstrip("\r\n")
    return f"'{line[:30]}'" if line else "an empty line"
