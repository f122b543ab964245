"""Babel extractor for the theme's words that are written in Python, not in templates.

The vocabulary labels (content/vocab.py) and the few headings that the site's and
documents' code hands to templates (page and section titles, "Other areas") are
plain string constants. Templates print them through the `translate` filter, so
each needs a msgid in the catalogs. This extractor yields every string constant of
a module that starts with a capital letter and is not a docstring or part of an
f-string: ids are lower case and messages to people are f-strings, so it takes
the labels and headings and nothing else. babel.cfg names the modules.
"""

from __future__ import annotations

import ast
import re
from typing import IO, Iterator

_WORDS = re.compile(r"[A-Z][a-z ]")


def extract_labels(fileobj: IO[bytes], keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        elif isinstance(node, ast.JoinedStr):
            skip.update(id(part) for part in ast.walk(node))
    found = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skip and _WORDS.match(node.value)
    ]
    for node in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
        yield node.lineno, "gettext", node.value, []
