"""What the content folder may publish: the files of static/, and no link from one content file to another."""

from __future__ import annotations

import os
from pathlib import Path

from coalition_docs.content.check import Checker
from coalition_docs.content.load import relative_name
from coalition_docs.files import MAX_STATIC_BYTES, UnreadableFile, check_regular, image_problem, is_junk
from coalition_docs.errors import Problem


def static_files(root: Path, run: Checker) -> tuple[str, ...]:
    """The files of static/ that are published: regular files whose real path lies inside static/.

    Editor and backup files and dotfiles are skipped; anything else that cannot be published
    (a link leaving static/, a FIFO, a file too large) is a located problem, never silently copied.
    """
    folder = root / "static"
    if folder.is_symlink():
        run.problems.append(Problem("static/", 1, 1, f"static/ is a link (to {_target(folder)}); "
                                    "expected a folder: static/ is published whole, so it must be a real "
                                    "folder inside the content folder"))
        return ()
    if not folder.is_dir():
        return ()
    real_static = folder.resolve()
    files = []
    for directory, dirs, names in os.walk(folder):
        here = Path(directory)
        dirs[:] = sorted(d for d in dirs if not is_junk(d))
        for name in sorted(names) + [d for d in dirs if (here / d).is_symlink()]:
            if is_junk(name):
                continue
            path = here / name
            rel = relative_name(path, root)
            real = _real(path)
            if real is None:
                run.problems.append(Problem(rel, 1, 1, "link to a missing file or a link loop "
                                            "(expected a file to publish)"))
                continue
            if not real.is_relative_to(real_static):
                inside = real.is_relative_to(root.resolve())
                what = "another content file" if inside else "a file outside the content folder"
                run.problems.append(Problem(
                    rel, 1, 1, f"link to {what} ({real}); only files inside static/ are published "
                    "(expected a file in static/, found a link leaving it)",
                    "copy the file into static/ if it is meant to be public" if not inside else None))
                continue
            try:
                check_regular(path, MAX_STATIC_BYTES)
            except UnreadableFile as exc:
                run.problems.append(Problem(rel, 1, 1, str(exc)))
                continue
            problem = image_problem(path)
            if problem is not None:
                run.problems.append(Problem(rel, 1, 1, problem))
                continue
            files.append(path.relative_to(folder).as_posix())
    return tuple(sorted(files))


def _real(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None


def _target(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _links(root: Path) -> list[tuple[Path, bool]]:
    """Every symbolic link below `root` and whether it stands for a folder, in the order of os.walk (top
    down, folders sorted; a folder's files before its folders; hidden folders skipped, links to folders
    not followed). The kinds come from the folder listing, without a call per file."""
    found: list[tuple[Path, bool]] = []
    stack = [root]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = list(listing)
        except OSError:
            continue
        files, dirs = [], []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if not is_dir:
                files.append(entry)
            elif not entry.name.startswith("."):
                dirs.append(entry)
        files.sort(key=lambda entry: entry.name)
        dirs.sort(key=lambda entry: entry.name)
        found += [(here / entry.name, False) for entry in files if entry.is_symlink()]
        found += [(here / entry.name, True) for entry in dirs if entry.is_symlink()]
        stack += [here / entry.name for entry in reversed(dirs) if not entry.is_symlink()]
    return found


def content_links(root: Path, run: Checker) -> set[Path]:
    """A link inside the content folder that points at another content file is an error.

    Such a link would publish or duplicate a file under another name (static/roster.yaml ->
    ../roster.yaml), so it is refused wherever it sits; links inside static/ that stay in static/
    are checked with static/ itself.
    """
    real_root = root.resolve()
    refused: set[Path] = set()
    for path, is_dir in _links(root):
        real = _real(path)
        rel = relative_name(path, root) + ("/" if is_dir else "")
        if real is None or not real.is_relative_to(real_root):
            continue  # a missing target or one outside: reported where the file is read
        if path.is_relative_to(root / "static"):
            continue  # static/ and what it holds are checked by static_files
        shown = relative_name(real, real_root) if real != real_root else "the content folder itself"
        run.problems.append(Problem(
            rel, 1, 1, f"link to another content file ({shown}) (expected a file of its own, "
            "found a link inside the content folder)", "replace the link by a copy, or remove it"))
        refused.add(path)
    return refused
