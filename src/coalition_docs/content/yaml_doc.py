"""Parsing YAML into a Document: each value and where it was written (load.py reads the file, see there).

Imported only to parse a file: a run whose files the store knows (store.py)
never loads PyYAML.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

import yaml

from coalition_docs.content.document import INVALID, Document, LoadError, Loc, Position, _Invalid, line_column
from coalition_docs.content.scalars import CONTROL, char_name, resolve_plain
from coalition_docs.errors import Problem, field_path

MAX_EXPANDED_NODES = 500_000

try:  # libyaml is about ten times faster; the pure-Python parser is a fallback
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

# The first characters of a plain scalar that an implicit resolver of YAML 1.1 may claim
# (digits, signs, y/n/t/f/o for booleans, ~ and "null", "<<", "="): any other is text.
_CLAIMED = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)
_TEXT = "tag:yaml.org,2002:str"


class Loader(_Base):
    """The safe loader (load.py composes with it), resolving in one step the scalars that no implicit
    resolver may claim: the tag PyYAML's Resolver.resolve gives them (text), without trying each
    resolver. It is asked for each of the tens of thousands of scalars of a large coalition."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and value and (not implicit[0] or value[0] not in _CLAIMED) \
                and None not in _CLAIMED and not self.yaml_path_resolvers:
            return _TEXT
        return super().resolve(kind, value, implicit)


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


def parse(text: str, name: str, line_offset: int = 0) -> Document:
    """A YAML text as a Document, or LoadError (load.parse_yaml)."""
    try:
        node = yaml.compose(text, Loader=Loader)
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
