"""Change a content file in place: the values that changed, and not one byte more.

A command that updates a person's YAML file (`import --force` today) must
keep what it does not own: comments (on the first line, inline after a
value), the order of keys, quoting, blank lines, indentation, and the fields
it knows nothing of. So the file is never written anew: its text is composed
once for the positions of its keys and values, and only the spans of the
values that differ are replaced, removed or inserted, as Renovate or
Dependabot edit a file. A value that is the same leaves its bytes alone, so
an edit that changes nothing returns the text as it was.

New text is written as `partner_yaml` writes a new file (PyYAML's safe
emitter, which quotes "no", "on" and "0123" so that any YAML reader, 1.1 or
1.2, reads them back as text). A one-line text keeps the quoting it had when
the new value allows it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from coalition_docs.content.scalars import Written

Orders = Mapping[tuple[str, ...], Sequence[str]]  # where a new key goes, by the path of its mapping


class Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # lists indented under their key
        return super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _number(dumper: yaml.SafeDumper, value: Written) -> yaml.Node:
    """A number as the person wrote it ("0x1F", "1.50"), not as Python prints it."""
    tag = "tag:yaml.org,2002:int" if isinstance(value, int) else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, value.written)


Dumper.add_representer(str, _str)
Dumper.add_multi_representer(Written, _number)


def dump(data: Any, width: int = 96) -> str:
    """Block style, keys in the order given, UTF-8 as it is."""
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=width,
                     default_flow_style=False)


def edit_yaml(text: str, old: Mapping[str, Any], new: Mapping[str, Any], orders: Orders | None = None) -> str:
    """`text`, whose data is `old`, changed where `new` differs from it (at the top level and in nested maps)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    editor = _Editor(body, orders or {})
    node = yaml.compose(body, Loader=yaml.SafeLoader)
    if isinstance(node, yaml.MappingNode) and not node.flow_style:
        editor.mapping(node, old, new, ())
    elif isinstance(node, yaml.MappingNode) and dict(old) != dict(new):  # {name: ..., type: ...} stays a flow map
        editor.edits.append((node.start_mark.index, node.end_mark.index, _flow(_ordered(new, editor.orders, ()))))
    elif dict(old) != dict(new):  # an empty file, or comments only: the fields go after them
        lead = "" if not body or body.endswith("\n") else editor.nl
        editor.edits.append((len(body), len(body), lead + editor.block(dump(_ordered(new, editor.orders, ())), 0)))
    # From the end of the text back, so that every position still holds; of two insertions at one place,
    # the one planned first comes first (an item added to a list, then a field added after the list).
    for start, end, _, replacement in sorted(((s, e, n, r) for n, (s, e, r) in enumerate(editor.edits)),
                                             reverse=True):
        body = body[:start] + replacement + body[end:]
    return bom + body


def _ordered(data: Mapping[str, Any], orders: Orders, path: tuple[str, ...]) -> dict[str, Any]:
    order = list(orders.get(path, ()))
    out = {k: data[k] for k in order if k in data} | {k: v for k, v in data.items() if k not in order}
    return {k: _ordered(v, orders, (*path, k)) if isinstance(v, Mapping) else v for k, v in out.items()}


_ITEM = re.compile(r"[ \t]*-[ \t]+")


class _Editor:
    def __init__(self, text: str, orders: Orders):
        self.text = text
        self.orders = orders
        self.nl = "\r\n" if "\r\n" in text else "\n"
        self.edits: list[tuple[int, int, str]] = []

    # -- positions

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def next_line(self, index: int) -> int:
        """The start of the line after the one `index` is on (the end of the text on the last line)."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def end(self, node: yaml.Node) -> int:
        """Where a value's own text ends: not the comments and blank lines PyYAML counts into a block."""
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                return node.start_mark.index + len(self.text[node.start_mark.index:node.end_mark.index].rstrip())
            return node.end_mark.index
        if node.flow_style or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return max(self.end(part) for part in last) if isinstance(last, tuple) else self.end(last)

    def block(self, text: str, column: int, first: bool = True) -> str:
        """Dumped lines, each at `column`, in the file's own line ending (the first unindented if not `first`)."""
        lines = text.splitlines()
        return "".join((" " * column if first or i else "") + line + self.nl for i, line in enumerate(lines))

    # -- edits

    def mapping(self, node: yaml.MappingNode, old: Mapping, new: Mapping, path: tuple[str, ...]) -> None:
        pairs = {key.value: (key, value) for key, value in node.value if isinstance(key, yaml.ScalarNode)}
        column = node.value[0][0].start_mark.column if node.value else 0
        for name, (key, value) in pairs.items():
            if name not in old:
                continue
            if name not in new:
                start = self.line_start(key.start_mark.index)
                if self.text[start:key.start_mark.index].strip():
                    start = key.start_mark.index
                self.edits.append((start, self.next_line(self.end(value)), ""))
            elif new[name] != old[name]:
                self.replace(key, value, old[name], new[name], (*path, name))
        order = list(self.orders.get(path, ()))
        for name in [n for n in new if n not in old]:
            rank = order.index(name) if name in order else len(order)
            before = [n for n in pairs if n in new and (order.index(n) if n in order else len(order)) <= rank]
            pair = dump({name: _ordered(new[name], self.orders, (*path, name)) if isinstance(new[name], Mapping)
                         else new[name]})
            if before:
                at = self.next_line(self.end(pairs[before[-1]][1]))
                lead = "" if at == 0 or self.text[at - 1] == "\n" else self.nl
                self.edits.append((at, at, lead + self.block(pair, column)))
            else:
                at = node.value[0][0].start_mark.index if node.value else node.start_mark.index
                self.edits.append((at, at, self.block(pair, column, first=False) + " " * column))

    def replace(self, key: yaml.Node, value: yaml.Node, old: Any, new: Any, path: tuple[str, ...]) -> None:
        if isinstance(value, yaml.MappingNode) and not value.flow_style and isinstance(old, Mapping) \
                and isinstance(new, Mapping) and new:
            return self.mapping(value, old, new, path)
        if isinstance(value, (yaml.MappingNode, yaml.SequenceNode)) and value.flow_style \
                and isinstance(new, (Mapping, list)) and new:  # a flow map or list stays one
            flow = _flow(_ordered(new, self.orders, path) if isinstance(new, Mapping) else new)
            return self.edits.append((value.start_mark.index, value.end_mark.index, flow))
        if isinstance(value, yaml.SequenceNode) and isinstance(new, list) and new \
                and all(isinstance(item, str) and "\n" not in item for item in new):
            if self.sequence(value, old, new):
                return None
        if isinstance(value, yaml.ScalarNode) and value.style in (None, "'", '"') and isinstance(new, str) \
                and new and "\n" not in new and value.value:
            return self.edits.append((value.start_mark.index, value.end_mark.index, _scalar(new, value.style)))
        pair = dump({key.value: _ordered(new, self.orders, path) if isinstance(new, Mapping) else new})
        self.edits.append((key.start_mark.index, self.end(value),
                           self.block(pair, key.start_mark.column, first=False).removesuffix(self.nl)))

    def sequence(self, node: yaml.SequenceNode, old: list, new: list) -> bool:
        """A block list of one-line items, item by item: the lines of items that stay are kept (and the
        comments between them); False if the list is not written one item a line."""
        items = node.value
        if not isinstance(old, list) or len(old) != len(items) or not all(
                isinstance(item, yaml.ScalarNode) and _ITEM.fullmatch(
                    self.text[self.line_start(item.start_mark.index):item.start_mark.index])
                and item.start_mark.line == item.end_mark.line for item in items):
            return False
        if len({item.start_mark.line for item in items}) != len(items):
            return False
        first = items[0].start_mark.index
        prefix = self.text[self.line_start(first):first]
        spans = [(self.line_start(item.start_mark.index), self.next_line(self.end(item))) for item in items]

        def lines(values: list[str]) -> str:
            return "".join(prefix + _scalar(v, None) + self.nl for v in values)

        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op in ("delete", "replace"):
                for start, stop in spans[i1:i2]:
                    self.edits.append((start, stop, ""))
            if op in ("insert", "replace"):
                at = spans[i1][0] if i1 < len(spans) else spans[-1][1]
                lead = "" if at == 0 or self.text[at - 1] == "\n" else self.nl
                self.edits.append((at, at, lead + lines(new[j1:j2])))
        return True


def _flow(value: Any) -> str:
    """A map or list as one line of YAML's flow style: {name: A, type: x}, [a, b]."""
    return yaml.dump(value, Dumper=Dumper, default_flow_style=True, sort_keys=False, allow_unicode=True,
                     width=1 << 30).removesuffix("\n")


def _scalar(value: str, style: str | None) -> str:
    """`value` as one line of YAML in `style` (None: plain) if the emitter allows it, else quoted."""
    text = yaml.dump(value, Dumper=Dumper, default_style=style, allow_unicode=True, width=1 << 30)
    return text.removesuffix("\n").removesuffix("\n...").strip()
