"""Pass 1: load each content file and check it against its schema; list a folder's files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

import re

from coalition_docs.content import vocab
from coalition_docs.content.ids import ID_RE, ID_RULE, slugify
from coalition_docs.content.load import Document, LoadError, load_yaml_file
from coalition_docs.content.schema_errors import schema_problems
from coalition_docs.errors import Problem, describe


LANGUAGE_RE = re.compile(vocab.LANGUAGE_PATTERN)


@dataclass
class Loaded:
    """A file that loaded: its document and, if it passed its schema, the value."""

    document: Document
    value: Any = None


PARALLEL_FILES = 200  # files a worker must have to be worth its start and the trip of its results


@dataclass
class Checker:
    """Loads and checks content files, gathering every problem instead of stopping at the first."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)  # links to other content files, already reported

    def load(self, path: Path, model_cls: type[BaseModel]) -> Loaded | None:
        try:
            document = load_yaml_file(path, self.root)
        except LoadError as exc:
            self.problems.append(exc.problem)
            return None
        return self.check(document, model_cls)

    def load_all(self, paths: list[Path], model_cls: type[BaseModel], jobs: int = 1,
                 first: Callable[[], None] | None = None) -> list[Loaded | None]:
        """`load` each of `paths`, in order; in `jobs` processes when there are many.

        `first`, other reading for this process, runs before its own share (while
        the workers read theirs), or before anything when it reads alone.

        A thousand partner files take a fifth of a second to read and check on
        one core. With at least PARALLEL_FILES for each, forked workers take a
        share each while this process reads the first; their problems are
        added after its own, so the order is the same as on one core.
        """
        from coalition_docs.engine import policy, runner  # the generic runner: it knows nothing of content

        shares = min(jobs, len(paths) // PARALLEL_FILES)
        if shares < 2 or not policy.can_fork():
            if first is not None:
                first()
            return [self.load(path, model_cls) for path in paths]
        # This process's share is a little larger: a worker first starts, and sends its files back.
        own = round(len(paths) * 1.12 / shares)
        size = -(-(len(paths) - own) // (shares - 1))
        chunks = [paths[:own]] + [paths[start:start + size] for start in range(own, len(paths), size)]
        tasks = [runner.Task(f"load {index}", _load_share, (self.root, chunk, model_cls))
                 for index, chunk in enumerate(chunks[1:], 1)]
        mine: list[Loaded | None] = []
        theirs: dict[str, list[tuple[Loaded | None, list[Problem]]]] = {}
        with runner.Workers(len(tasks)) as workers:
            runner.run(tasks, len(tasks), lambda task, result: theirs.__setitem__(task.name, result), workers,
                       meanwhile=lambda: (first() if first else None,
                                          mine.extend(self.load(path, model_cls) for path in chunks[0])))
        for task in tasks:
            for loaded, problems in theirs[task.name]:
                mine.append(loaded)
                self.problems.extend(problems)
        return mine

    def check(self, document: Document, model_cls: type[BaseModel]) -> Loaded:
        self.problems.extend(document.problems)
        data = document.data
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.problems.append(
                document.problem((), f"expected a map of fields at the top of the file, found {describe(data)}")
            )
            return Loaded(document)
        try:
            return Loaded(document, model_cls.model_validate(data))
        except ValidationError as exc:
            self.problems.extend(schema_problems(document, model_cls, exc))
            return Loaded(document)

    def missing(self, name: str, what: str) -> None:
        self.problems.append(Problem(name, 1, 1, f"required {what} is missing (expected {name} in the content folder)"))

    def folder(self, name: str, suffix: str, *, required: bool) -> list[Path]:
        folder = self.root / name
        if not folder.is_dir():
            if required:
                self.problems.append(
                    Problem(f"{name}/", 1, 1, f"required folder is missing (expected a folder {name}/ "
                            "in the content folder; it may be empty)")
                )
            return []
        paths = []
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if entry.name.startswith(".") or _is_dir(entry):
                continue
            path = folder / entry.name
            if path in self.refused:
                continue
            rel = f"{name}/{entry.name}"
            if path.suffix == ".yml" and suffix == ".yaml":
                self.problems.append(Problem(rel, 1, 1, f"file is ignored: wrong extension (expected "
                                             f"{path.stem}.yaml, found {path.name})"))
                continue
            if path.suffix != suffix:
                continue
            base, dot, _ = path.stem.partition(".")
            if suffix == ".md" and dot and ID_RE.match(base):
                # pages/NAME.LANG.md: a translation; languages.py checks the language (one error for
                # about.e$.md, not a second one for its name)
                paths.append(path)
                continue
            if not ID_RE.match(path.stem):
                hint = f"rename it to {slugify(path.stem)}{suffix}" if slugify(path.stem) else None
                self.problems.append(
                    Problem(rel, 1, 1, f"file name is not a valid id (expected {ID_RULE}, found "
                            f"'{path.stem}')", hint)
                )
            paths.append(path)
        return paths


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # a link to a folder counts as one, as Path.is_dir() has it
    except OSError:
        return False


def _load_share(root: Path, paths: list[Path], model_cls: type[BaseModel]) -> list[tuple[Loaded | None, list[Problem]]]:
    """A worker's share of Checker.load_all: each file's result with its own problems."""
    checker = Checker(root)
    results = []
    for path in paths:
        before = len(checker.problems)
        loaded = checker.load(path, model_cls)
        results.append((loaded, checker.problems[before:]))
    return results
