"""Reading content files safely, keeping the source position of every value.

YAML is composed into PyYAML's node graph (libyaml's C parser when present),
never constructed by PyYAML itself: this module turns nodes into plain Python
values while recording where each key and value was written, refusing
duplicate keys, tags other than YAML's standard ones (so `!!python/...` can
execute nothing), and aliases that would expand beyond a sane size (the
"billion laughs"). The expanded size is counted on the graph before anything
is built, so such a file is refused in microseconds.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import yaml

from coalition_docs.content.scalars import CONTROL, Loader, char_name, resolve_plain
from coalition_docs.errors import Problem, field_path
from coalition_docs.files import MAX_CONTENT_BYTES, UnreadableFile, read_regular

_Loader = Loader  # scalars.py: the safe loader, libyaml when present

MAX_FILE_BYTES = MAX_CONTENT_BYTES
MAX_EXPANDED_NODES = 500_000

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    _STR,
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

from coalition_docs.content.document import INVALID, Document, Loc, Position, _Invalid  # noqa: F401 - where they were


class LoadError(Exception):
    """A file that cannot be read at all; carries its located problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


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


def line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def load_yaml_file(path: Path, root: Path) -> Document:
    """Load one YAML file into a Document, or raise LoadError."""
    name = relative_name(path, root)
    return parse_yaml(read_text(path, root, name), name)


def parse_yaml(text: str, name: str, line_offset: int = 0) -> Document:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        what = exc.problem or "invalid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise LoadError(Problem(name, line, column, f"YAML syntax error: {what}")) from None
    except yaml.reader.ReaderError as exc:
        line, column = line_column(text, exc.position)
        raise LoadError(Problem(name, line + line_offset, column, f"character {char_name(chr(exc.character))} "
                                "is not allowed in YAML (expected printable text)")) from None
    except yaml.YAMLError as exc:
        raise LoadError(Problem(name, 1 + line_offset, 1, f"YAML error: {exc}")) from None
    except RecursionError:
        raise LoadError(Problem(name, 1 + line_offset, 1, "YAML is nested too deeply")) from None
    document = Document(name, None, line_offset=line_offset)
    if node is None:
        return document
    if "&" in text:  # without an anchor there is no alias, so nothing can expand
        _check_size(node, document)
    document.data = _Builder(document).build(node, ())
    return document


def _pos(node: yaml.Node, document: Document) -> Position:
    return Position(node.start_mark.line + 1 + document.line_offset, node.start_mark.column + 1)


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


MAX_DEPTH = 50  # content files nest five or six levels; deeper is a mistake or an attack


def _check_size(root: yaml.Node, document: Document) -> None:
    """Refuse recursive aliases and graphs that expand past MAX_EXPANDED_NODES.

    Aliases make the node graph a DAG whose expansion can be exponential; the
    expanded size of each node is memoised, so this is linear in the file.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            in_progress.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_EXPANDED_NODES:
                where = _pos(node, document)
                raise LoadError(
                    Problem(document.path, where.line, where.column,
                            f"aliases expand this YAML beyond a sane size (expected at most "
                            f"{MAX_EXPANDED_NODES:,} values, found more than {total:,}); "
                            "is this a 'billion laughs' file?")
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in in_progress:
            where = _pos(node, document)
            raise LoadError(
                Problem(document.path, where.line, where.column,
                        "recursive alias: a value contains itself (expected a tree of values)")
            )
        in_progress.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, False))


class _Builder:
    def __init__(self, document: Document):
        self.document = document

    def fail(self, node: yaml.Node, message: str) -> LoadError:
        where = _pos(node, self.document)
        return LoadError(Problem(self.document.path, where.line, where.column, message))

    def report(self, node: yaml.Node, loc: Loc, message: str) -> _Invalid:
        where = _pos(node, self.document)
        if loc:
            message = f"{field_path(loc)}: {message}"
        self.document.problems.append(Problem(self.document.path, where.line, where.column, message))
        self.document.invalid.add(loc)
        return INVALID

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if len(loc) >= MAX_DEPTH:  # the root is at depth 1: refuse before recursing any further
            raise self.fail(node, f"lists and maps nested too deeply (expected at most {MAX_DEPTH} levels, "
                            "found more)")
        self.document.values.setdefault(loc, _pos(node, self.document))
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                return self.report(node, loc, self.unsupported(node))
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                return self.report(node, loc, self.unsupported(node))
            return [self.build(item, loc + (index,)) for index, item in enumerate(node.value)]
        try:
            return self.scalar(node)
        except LoadError as exc:
            return self.report(node, loc, exc.problem.message)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict:
        result: dict = {}
        first_seen: dict[Any, Position] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain name (expected text, found a list or map)")
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported (expected a field name); "
                                "write the fields out")
            key = self.scalar(key_node)
            if not isinstance(key, (str, int, float, bool, dt.date)) or key is None:
                raise self.fail(key_node, "a key must be a plain name")
            if isinstance(key, (int, float, bool, dt.date)):
                key = key_node.value  # keep what was written, e.g. "2024" or "yes"
            where = _pos(key_node, self.document)
            if key in first_seen:
                self.report(
                    key_node,
                    loc + (key,),
                    f"duplicate key '{key}' (expected each key once, found it again; "
                    f"first written at line {first_seen[key].line})",
                )
                continue
            first_seen[key] = where
            self.document.keys[loc + (key,)] = where
            result[key] = self.build(value_node, loc + (key,))
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            raise self.fail(node, self.unsupported(node))
        if tag == _STR:
            return self.text(node)
        if not node.style:  # a plain scalar: resolved by YAML 1.2's core rules, not 1.1's
            return resolve_plain(node.value, lambda message: self.fail(node, message))
        try:
            return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
        except (ValueError, OverflowError):
            if tag == "tag:yaml.org,2002:timestamp":
                raise self.fail(node, f"not a real date (expected a date such as 2027-01-15, "
                                f"found '{node.value}')") from None
            raise self.fail(node, f"cannot read the value '{node.value}'") from None

    def text(self, node: yaml.ScalarNode) -> str:
        bad = CONTROL.search(node.value)
        if bad:  # written as an escape in a double-quoted string, e.g. "\\0" or "\\x07"
            raise self.fail(node, f"control character {char_name(bad.group())} in the text "
                            "(expected printable text; remove the escape)")
        return node.value

    @staticmethod
    def unsupported(node: yaml.Node) -> str:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        return f"unsupported YAML tag '{tag}' (expected plain text, numbers, dates, lists and maps)"


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
