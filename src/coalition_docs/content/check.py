"""Pass 1: load each content file and check it against its schema; list a folder's files."""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import re

from coalition_docs.content import vocab
from coalition_docs.content.cache import FileCache
from coalition_docs.content.ids import ID_RE, ID_RULE, slugify
from coalition_docs.content.load import (Document, FrontMatterPage, LoadError, page_from_text, parse_yaml, read_text,
                                         relative_name)
from coalition_docs.content.store import ContentStore
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
    cache: FileCache | None = None  # what an earlier load of the same folder read (serve): files read again only if changed
    store: ContentStore | None = None  # what earlier runs found reading each file (store.py), by its text
    real_folders: dict[str, str | None] = field(default_factory=dict)  # load.read_text's, for this reading

    def load(self, path: Path, schema_name: str) -> Loaded | None:
        if self.cache is None:
            loaded, problems = self._load_stored(path, schema_name)
        else:
            loaded, problems = self.cache.file(path, schema_name, lambda: self._load_stored(path, schema_name))
        self.problems.extend(problems)
        return loaded

    def _load_stored(self, path: Path, schema_name: str) -> tuple[Loaded | None, list[Problem]]:
        """One file loaded and checked, through the store when there is one."""
        return self._read_all([path], schema_name, 1, None)[path]

    def load_all(self, paths: list[Path], schema_name: str, jobs: int = 1,
                 first: Callable[[], None] | None = None) -> list[Loaded | None]:
        """`load` each of `paths`, in order; in `jobs` processes when there are many.

        `first`, other reading for this process, runs before its own share (while
        the workers read theirs), or before anything when it reads alone.

        A thousand partner files take a fifth of a second to read and check on
        one core. With at least PARALLEL_FILES for each, forked workers take a
        share each while this process reads the first; the problems are added
        in the order of `paths`, after those of `first`, as on one core. With a
        cache, only the files that changed since they were read are read again.
        """
        results: dict[Path, tuple[Loaded | None, list[Problem]]] = {}
        todo = list(paths)
        if self.cache is not None:
            todo = []
            for path in paths:
                known = self.cache.lookup(path, schema_name)
                if known is None:
                    todo.append(path)
                else:
                    results[path] = known
            before = {path: self.cache.before_reading(path) for path in todo}
        results.update(self._read_all(todo, schema_name, jobs, first))
        if self.cache is not None:
            for path in todo:
                self.cache.remember(path, schema_name, before[path], results[path])
        loaded = []
        for path in paths:
            value, problems = results[path]
            self.problems.extend(problems)
            loaded.append(value)
        return loaded

    def _read_all(self, paths: list[Path], schema_name: str, jobs: int,
                  first: Callable[[], None] | None) -> dict[Path, tuple[Loaded | None, list[Problem]]]:
        """Each of `paths` loaded and checked, by path: through the store when there is one."""
        if self.store is None:
            return self._read(paths, schema_name, jobs, first)
        # This process reads every file (whether it may be read is checked every time);
        # the texts the store does not know are parsed and checked, in workers when many.
        results: dict[Path, tuple[Loaded | None, list[Problem]]] = {}
        texts: list[_Text] = []
        for path in paths:
            name = relative_name(path, self.root)
            try:
                read = _Text(path, name, read_text(path, self.root, name, self.real_folders))
            except LoadError as exc:
                results[path] = None, [exc.problem]
                continue
            read.key = self.store.key(name, schema_name, read.text)
            found = self.store.get(read.key)
            if found is None:
                texts.append(read)
            else:
                results[path] = found
        kept: dict[Any, bytes] = {}  # what workers parsed comes pickled: it goes to the store as it came
        parsed = self._read(texts, schema_name, jobs, first, kept)
        for read in texts:
            if read in kept:
                self.store.put_pickled(read.key, kept[read])
            else:
                self.store.put(read.key, parsed[read])
            results[read.path] = parsed[read]
        return results

    def _read(self, items: list, schema_name: str, jobs: int, first: Callable[[], None] | None,
              kept: dict[Any, bytes] | None = None) -> dict[Any, tuple[Loaded | None, list[Problem]]]:
        """Each of `items` (a path to read, or a `_Text` read already) loaded and checked, by item.

        With `kept`, workers send their results pickled, and `kept` receives each as it came."""
        from coalition_docs.engine import policy, runner  # the generic runner: it knows nothing of content

        shares = min(jobs, len(items) // PARALLEL_FILES)
        if shares < 2 or not policy.can_fork():
            if first is not None:
                first()
            return dict(zip(items, _load_share(self.root, items, schema_name)))
        # This process's share is a little larger: a worker first starts, and sends its files back.
        own = round(len(items) * 1.12 / shares)
        size = -(-(len(items) - own) // (shares - 1))
        chunks = [items[:own]] + [items[start:start + size] for start in range(own, len(items), size)]
        share = _load_share if kept is None else _load_share_pickled
        tasks = [runner.Task(f"load {index}", share, (self.root, chunk, schema_name))
                 for index, chunk in enumerate(chunks[1:], 1)]
        mine: list[tuple[Loaded | None, list[Problem]]] = []
        theirs: dict[str, list[tuple[Loaded | None, list[Problem]]]] = {}
        with runner.Workers(len(tasks)) as workers:
            runner.run(tasks, len(tasks), lambda task, result: theirs.__setitem__(task.name, result), workers,
                       meanwhile=lambda: (first() if first else None,
                                          mine.extend(_load_share(self.root, chunks[0], schema_name))))
        results = dict(zip(chunks[0], mine))
        for task, chunk in zip(tasks, chunks[1:]):
            if kept is None:
                results.update(zip(chunk, theirs[task.name]))
                continue
            for item, data in zip(chunk, theirs[task.name]):
                kept[item] = data
                results[item] = pickle.loads(data)
        return results

    def check(self, document: Document, schema_name: str) -> Loaded:
        """`document` checked against the schema record named `schema_name` (e.g. "PartnerFile"): its values
        as values.Value, or its problems. The schema (pydantic) is imported here, for a file the store does
        not know."""
        from pydantic import ValidationError

        from coalition_docs.content import schema
        from coalition_docs.content.schema_errors import schema_problems
        from coalition_docs.content.values import plain

        self.problems.extend(document.problems)
        data = document.data
        if data is None:
            data = {}
        if not isinstance(data, dict):
            self.problems.append(
                document.problem((), f"expected a map of fields at the top of the file, found {describe(data)}")
            )
            return Loaded(document)
        model = getattr(schema, schema_name)
        try:
            return Loaded(document, plain(model.model_validate(data)))
        except ValidationError as exc:
            self.problems.extend(schema_problems(document, model, exc))
            return Loaded(document)

    def page(self, path: Path) -> tuple[FrontMatterPage, Loaded, list[Problem]] | None:
        """pages/NAME.md: the page, its front matter checked, and the problems of that check (for the
        caller to report); None, with its problem reported, when it cannot be read or has no front matter.
        Through the store when there is one."""
        name = relative_name(path, self.root)
        try:
            text = read_text(path, self.root, name, self.real_folders)
        except LoadError as exc:
            self.problems.append(exc.problem)
            return None
        key = self.store.key(name, "page", text) if self.store is not None else b""
        found = self.store.get(key) if self.store is not None else None
        if found is None:
            found = _page_one(name, text)
            if self.store is not None:
                self.store.put(key, found)
        if isinstance(found, Problem):
            self.problems.append(found)
            return None
        return found

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
        entries = tuple(sorted((entry.name, _is_dir(entry)) for entry in os.scandir(folder)
                               if not entry.name.startswith(".")))
        refused = frozenset(path for path in self.refused if path.parent == folder)
        if self.cache is None:
            paths, problems = _listing(folder, name, suffix, entries, refused)
        else:
            paths, problems = self.cache.folder((folder, suffix, entries, refused),
                                                lambda: _listing(folder, name, suffix, entries, refused))
        self.problems.extend(problems)
        return list(paths)


def _listing(folder: Path, name: str, suffix: str, entries: tuple[tuple[str, bool], ...],
             refused: frozenset[Path]) -> tuple[list[Path], list[Problem]]:
    """The files of `folder` that hold records (`entries`: each name and whether it is a folder), and the
    problems of their names."""
    paths, problems = [], []
    for entry, is_dir in entries:
        if is_dir:
            continue
        path = folder / entry
        if path in refused:
            continue
        rel = f"{name}/{entry}"
        if path.suffix == ".yml" and suffix == ".yaml":
            problems.append(Problem(rel, 1, 1, f"file is ignored: wrong extension (expected "
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
            problems.append(Problem(rel, 1, 1, f"file name is not a valid id (expected {ID_RULE}, found "
                                    f"'{path.stem}')", hint))
        paths.append(path)
    return paths, problems


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # a link to a folder counts as one, as Path.is_dir() has it
    except OSError:
        return False


@dataclass(eq=False)  # found by identity: two files may hold the same text
class _Text:
    """A content file read by this process: its path, its name in messages, its text, its key in the store."""

    path: Path
    name: str
    text: str
    key: bytes = b""


def _load_one(root: Path, path: Path, schema_name: str) -> tuple[Loaded | None, list[Problem]]:
    """One file loaded and checked against its schema, with the problems it has on its own."""
    name = relative_name(path, root)
    try:
        text = read_text(path, root, name)
    except LoadError as exc:
        return None, [exc.problem]
    return _parse_one(name, text, schema_name)


def _parse_one(name: str, text: str, schema_name: str) -> tuple[Loaded | None, list[Problem]]:
    """A file's text (read already) parsed and checked against its schema, with its own problems."""
    checker = Checker(Path("."))
    try:
        document = parse_yaml(text, name)
    except LoadError as exc:
        return None, [exc.problem]
    return checker.check(document, schema_name), checker.problems


def _page_one(name: str, text: str) -> tuple[FrontMatterPage, Loaded, list[Problem]] | Problem:
    """A page's text (read already) as Checker.page gives it, or the problem that stops reading it."""
    try:
        page = page_from_text(text, name)
    except LoadError as exc:
        return exc.problem
    checker = Checker(Path("."))
    loaded = checker.check(page.front, "PageFrontMatter")
    return page, loaded, checker.problems


def _load_share_pickled(root: Path, items: list, schema_name: str) -> list[bytes]:
    """_load_share's results, each pickled here (in the worker) as the store keeps it."""
    return [pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL) for result in _load_share(root, items, schema_name)]


def _load_share(root: Path, items: list, schema_name: str) -> list[tuple[Loaded | None, list[Problem]]]:
    """A worker's share of Checker.load_all: each file's result with its own problems
    (an item is a path to read, or a `_Text` this process read already)."""
    return [_parse_one(item.name, item.text, schema_name) if isinstance(item, _Text) else _load_one(root, item, schema_name)
            for item in items]
