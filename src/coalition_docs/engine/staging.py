"""Writing output safely: a staging folder beside the output, swapped in whole.

A build writes everything into a fresh temporary folder next to the output
folder and only renames it into place once every stage has succeeded, so a
failed or interrupted build leaves the previous output exactly as it was. The
tool only ever deletes folders it created: the staging folder, and an output
folder that carries its manifest file.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from pathlib import Path

from coalition_docs.errors import BuildError, UsageError
from coalition_docs.files import os_problem
from coalition_docs.engine.manifest import MANIFEST

STAGING_MARK = ".coalition-docs-staging"


def _file_above(path: Path) -> Path | None:
    """The nearest existing ancestor of `path`, if it is a file rather than a folder."""
    for parent in path.parents:
        if parent.exists():
            return parent if not parent.is_dir() else None
    return None


def check_output_folder(out: Path, content: Path) -> None:
    """Refuse output folders whose replacement could destroy someone's files."""
    out_r, content_r = out.resolve(), content.resolve()
    home = Path.home().resolve()
    reason = None
    if out_r == Path(out_r.anchor):
        reason = "it is the root of the file system"
    elif out_r == home:
        reason = "it is your home folder"
    elif content_r == out_r or content_r.is_relative_to(out_r):
        reason = "it holds the content folder"
    elif out_r.is_relative_to(content_r):
        reason = "it is inside the content folder"
    elif (out_r / ".git").exists() or (out_r / "pyproject.toml").exists():
        reason = "it looks like a project folder"
    elif out_r.exists() and not out_r.is_dir():
        reason = "it is a file, not a folder"
    elif _file_above(out_r) is not None:
        reason = f"{_file_above(out_r)} is a file, so no folder can be made inside it"
    elif out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MANIFEST).is_file():
        reason = f"it is not empty and was not made by coalition-docs (no {MANIFEST} in it)"
    if reason:
        raise UsageError(f"refusing to write the build into {out}: {reason} (expected an empty or new "
                         "folder, or one an earlier build made; choose another --out)")


class Staging:
    """`with Staging(out) as tmp:` build into tmp; on success tmp becomes out.

    The staging folder is a sibling of `out` (same file system, so the final
    rename is atomic). Unchanged files of the previous output are hard-linked
    into it (`reuse`), never modified in place: a file that changes is written
    as a new file. A build that fails, or is killed, leaves `out` as it was; the
    next build removes the staging folders that killed builds left behind.
    """

    def __init__(self, out: Path):
        self.out = out
        self.path: Path | None = None

    def __enter__(self) -> Path:
        target = self.out.resolve()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            remove_leftovers(target)
            self.path = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
            (self.path / STAGING_MARK).write_text(str(os.getpid()), encoding="ascii")
        except OSError as exc:
            if self.path is not None:
                shutil.rmtree(self.path, ignore_errors=True)
            raise BuildError(os_problem(exc, self.out, "write the build into")
                             + "; the previous output is unchanged") from None
        return self.path

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.path is not None
        if exc_type is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            if isinstance(exc, OSError) and not isinstance(exc, (FileNotFoundError, InterruptedError)):
                # the machine failed (disk full, read-only, permission): say so about the output folder
                raise BuildError(os_problem(exc, self.out, "write the build into")
                                 + "; the previous output is unchanged") from None
            return
        try:
            (self.path / STAGING_MARK).unlink()
            self.path.chmod(0o755)  # mkdtemp makes it private; the output should not be
            self.swap()
        except OSError as exc:
            shutil.rmtree(self.path, ignore_errors=True)
            raise BuildError(os_problem(exc, self.out, "replace")
                             + "; the previous output is unchanged") from None

    def reuse(self, relative: str) -> bool:
        """Carry `relative` over from the previous output; False if it is not there."""
        assert self.path is not None
        source = self.out / relative
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except FileNotFoundError:
            return False
        except OSError:  # no hard links here (another file system): copy
            try:
                shutil.copy2(source, target)
            except FileNotFoundError:
                return False
        return True

    def swap(self) -> None:
        assert self.path is not None
        target = self.out.resolve()
        if target.exists() and _exchange(self.path, target):
            # One atomic step: `out` is the new build, the staging path the old one.
            (self.path / STAGING_MARK).touch()
            shutil.rmtree(self.path, ignore_errors=True)
            return
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            (old / STAGING_MARK).touch()
            os.replace(target, old / target.name)
        try:
            os.replace(self.path, target)
        except OSError:
            if old is not None:  # put the previous output back before reporting
                os.replace(old / target.name, target)
                shutil.rmtree(old, ignore_errors=True)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_renameat2 = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    global _renameat2
    if _renameat2 is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            _renameat2 = libc.renameat2
            _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        except (OSError, AttributeError):
            _renameat2 = False
    if not _renameat2:
        return False
    done = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def _alive(pid_text: str) -> bool:
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_leftovers(target: Path) -> None:
    """Remove staging folders of builds of `target` that were killed.

    Only folders that carry our mark are touched, and not those of a build that
    is still running (the mark holds its process id).
    """
    for prefix in (f".{target.name}.building-", f".{target.name}.old-"):
        for folder in target.parent.glob(prefix + "*"):
            mark = folder / STAGING_MARK
            if folder.is_dir() and not folder.is_symlink() and mark.is_file():
                try:
                    owner = mark.read_text(encoding="ascii").strip()
                except (OSError, UnicodeDecodeError):
                    owner = ""
                if not _alive(owner):
                    shutil.rmtree(folder, ignore_errors=True)


def carry_over(previous: Path, staging: Path, folder: str) -> None:
    """Keep a stage's previous output (e.g. documents/ during `--only site`)."""
    source = previous / folder
    if source.is_dir():
        shutil.copytree(source, staging / folder, copy_function=os.link)
