"""A loaded content file: its data, and where each value and key was written (load.py makes them)."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple

from coalition_docs.errors import Problem

Loc = tuple[Any, ...]


class _Invalid:
    """Stands in for a value that was already reported; the schema skips it."""

    def __repr__(self) -> str:
        return "INVALID"

    def __reduce__(self) -> str:
        return "INVALID"  # one of it: a document loaded in another process keeps `is INVALID` true


INVALID = _Invalid()


class Position(NamedTuple):  # a tuple: made tens of thousands of times a build, and sent between processes
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class Document:
    """A loaded file: its data, and where each value and key was written."""

    path: str  # relative to the content folder, with forward slashes
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    line_offset: int = 0  # front matter starts below the opening ---
    # problems with single values (the rest of the file still loads)
    problems: list[Problem] = field(default_factory=list)
    invalid: set[Loc] = field(default_factory=set)  # values replaced by INVALID

    def position(self, loc: Loc, *, prefer_key: bool = False) -> Position:
        """Where `loc` was written; the nearest written parent if it was not."""
        loc = tuple(loc)
        while True:
            if prefer_key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if loc in self.keys:
                return self.keys[loc]
            if not loc:
                return Position(1 + self.line_offset, 1)
            loc = loc[:-1]

    def problem(self, loc: Loc, message: str, hint: str | None = None, *, prefer_key: bool = False) -> Problem:
        where = self.position(loc, prefer_key=prefer_key)
        return Problem(self.path, where.line, where.column, message, hint)

    def __reduce__(self) -> tuple:
        # From a worker that read it (check.Checker.load_all), or from an earlier run (store.py):
        # the positions travel as one string of bytes, made back into maps only when asked
        # (most documents never are: they have no problem to locate).
        raw = self.__dict__.get("_positions")
        if raw is None:
            raw = pickle.dumps((tuple(self.values), tuple(map(tuple, self.values.values())),
                                tuple(self.keys), tuple(map(tuple, self.keys.values()))),
                               protocol=pickle.HIGHEST_PROTOCOL)
        return _document, (self.path, self.data, raw, self.line_offset, self.problems, self.invalid)

    def __getattr__(self, name: str) -> Any:
        raw = self.__dict__.pop("_positions", None) if name in ("values", "keys") else None
        if raw is None:
            raise AttributeError(name)
        value_locs, values, key_locs, keys = pickle.loads(raw)
        self.values = dict(zip(value_locs, map(_position, values)))
        self.keys = dict(zip(key_locs, map(_position, keys)))
        return self.__dict__[name]


_position = partial(tuple.__new__, Position)  # a Position from a (line, column) tuple, without Python-level calls


def _document(path: str, data: Any, positions: bytes, line_offset: int, problems: list[Problem],
              invalid: set[Loc]) -> Document:
    document = Document.__new__(Document)
    document.__dict__.update(path=path, data=data, line_offset=line_offset, problems=problems, invalid=invalid,
                             _positions=positions)
    return document


class LoadError(Exception):
    """A file that cannot be read at all; carries its located problem."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


def line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
