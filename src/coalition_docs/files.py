"""Reading files without surprises: only regular files, never a hang, a size limit.

Every file the tool reads from a person's folders (content, theme overrides,
spreadsheets) goes through `read_regular`: it opens without blocking (so a
FIFO cannot hang the tool), refuses anything that is not a regular file
(FIFOs, sockets, devices, folders), and refuses files larger than a limit
before reading them. Problems are raised as `UnreadableFile` carrying one
sentence that says what is wrong and what to do.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_CONTENT_BYTES = 5 * 1024 * 1024  # a YAML or Markdown file
MAX_STATIC_BYTES = 50 * 1024 * 1024  # an image or PDF in static/

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISLNK, "a link"),
)

# Editor, backup and system files: never content, never published.
_JUNK_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".bak", ".orig", ".rej", ".tmp")
_JUNK_NAMES = {"Thumbs.db", "desktop.ini"}


class UnreadableFile(Exception):
    """A file that cannot be read as a regular file; the message is for a person."""


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def is_junk(name: str) -> bool:
    """Editor swap files, backups and dotfiles: skipped everywhere, never published."""
    return name.startswith((".", "#")) or name.endswith(_JUNK_SUFFIXES) or name in _JUNK_NAMES


def check_regular(path: Path, limit: int = MAX_CONTENT_BYTES) -> os.stat_result:
    """The stat of `path` (links followed) if it is a regular file within `limit`."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile("file not found (a link to a missing file?)") from None
    except PermissionError:
        raise UnreadableFile("permission denied (expected a file this user can read)") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnreadableFile("link loop (the link points back at itself)") from None
        raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(f"not a regular file (expected a file, found {kind_of(info.st_mode)})")
    if info.st_size > limit:
        raise UnreadableFile(
            f"file is too large (expected at most {_size(limit)}, found {_size(info.st_size)})"
        )
    return info


CACHE_OFF = {"off", "0", "no", "none"}  # COALITION_DOCS_CACHE values that turn the cache off


def user_cache(name: str) -> Path | None:
    """The folder `name` of the tool's cache (made if missing, private to this user); None if it cannot be used.

    The cache is $COALITION_DOCS_CACHE, else $XDG_CACHE_HOME/coalition-docs, else ~/.cache/coalition-docs;
    COALITION_DOCS_CACHE=off keeps nothing. Everything in it is an optimisation: a run without it does the
    same work again.
    """
    base = os.environ.get("COALITION_DOCS_CACHE", "")
    if base.strip().lower() in CACHE_OFF:
        return None
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        home = os.path.expanduser("~")
        if os.path.isabs(xdg):  # the XDG rule: a relative path is to be ignored
            base = os.path.join(xdg, "coalition-docs")
        elif os.path.isabs(home):  # no home at all: no cache, rather than a "~" folder made where we stand
            base = os.path.join(home, ".cache", "coalition-docs")
        else:
            return None
    folder = os.path.join(base, name)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return Path(folder) if os.access(folder, os.W_OK | os.R_OK | os.X_OK) else None


def read_regular(path: Path, limit: int = MAX_CONTENT_BYTES) -> bytes:
    """The bytes of a regular file, read without ever blocking on a FIFO or device."""
    check_regular(path, limit)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except PermissionError:
        raise UnreadableFile("permission denied (expected a file this user can read)") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)  # the file opened may not be the one checked: check again
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"not a regular file (expected a file, found {kind_of(info.st_mode)})")
        chunks = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, 1 << 20)
            except OSError as exc:
                raise UnreadableFile(f"cannot be read ({exc.strerror})") from None
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise UnreadableFile(f"file is too large (expected at most {_size(limit)}, found more)")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB".replace(".0 MiB", " MiB")
    if n >= 1024:
        return f"{n / 1024:.1f} KiB".replace(".0 KiB", " KiB")
    return f"{n} bytes"


# ---------------------------------------------------------------- writing

SIGNATURE = "coalition-docs"  # how a file the tool wrote says so (a comment, a property, a heading)


class WriteRefused(Exception):
    """A write that would overwrite or clobber what a person wrote; the message says how to allow it."""


def os_problem(exc: OSError, path: Path | str, doing: str = "write") -> str:
    """One sentence for a person: what failed, where, and what to do."""
    import errno as _errno

    advice = {
        _errno.ENOSPC: "free some disk space and try again",
        _errno.EDQUOT: "free some space within your quota and try again",
        _errno.EROFS: "the disk is read-only: choose a folder on a writable disk",
        _errno.EACCES: "choose a folder you may write to, or change its permissions",
        _errno.EPERM: "the file or folder is protected (immutable or owned by someone else): choose another",
        _errno.ENOTDIR: "a part of that path is a file, not a folder: choose another path",
        _errno.EISDIR: "that path is a folder: name a file inside it",
        _errno.ENAMETOOLONG: "choose a shorter path",
        _errno.EMFILE: "too many open files: close other programs and try again",
        _errno.EIO: "the disk reported an input/output error: check the disk",
    }.get(exc.errno, "check the path and try again")
    reason = exc.strerror or str(exc)
    return f"cannot {doing} {path}: {reason} ({advice})"


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` to `path` through a temporary file beside it, fsynced, then renamed over it.

    A reader never sees half a file, and a failure (disk full, killed) leaves the old file whole.
    """
    import tempfile

    if isinstance(data, str):
        data = data.encode("utf-8")
    path = Path(path)
    folder = path.parent
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            try:
                os.chmod(temp, stat.S_IMODE(os.stat(path).st_mode))
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def inside_content_folder(path: Path) -> Path | None:
    """The content folder (a folder holding coalition.yaml) that `path` lies in, if any."""
    try:
        here = Path(path).resolve().parent
    except (OSError, RuntimeError):
        return None
    for folder in (here, *here.parents):
        if (folder / "coalition.yaml").is_file():
            return folder
    return None


def check_target(path: Path, *, force: bool, ours: "callable[[Path], bool]", what: str) -> None:
    """Refuse to write `path` when it lies in a content folder or holds a file the tool did not write.

    `ours(path)` tells whether an existing file carries the tool's signature. With force, anything goes
    except writing over a folder.
    """
    path = Path(path)
    if path.is_dir():
        raise WriteRefused(f"{path} is a folder (expected a file name for the {what})")
    if force:
        return
    content = inside_content_folder(path)
    if content is not None:
        raise WriteRefused(
            f"refusing to write the {what} to {path}: it is inside the content folder {content}, "
            "where every file is a person's record (choose a path outside it, or add --force)")
    if path.exists() or path.is_symlink():
        try:
            mine = path.is_file() and not path.is_symlink() and ours(path)
        except (OSError, ValueError):
            mine = False
        if not mine:
            raise WriteRefused(
                f"refusing to overwrite {path}: coalition-docs did not write it (expected a new file or "
                f"one written by coalition-docs; add --force to replace it)")


# ---------------------------------------------------------------- images

MAX_IMAGE_PIXELS = 40_000_000  # about 8000 x 5000: more is no logo or photo a page needs
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def image_problem(path: Path) -> str | None:
    """Why an image in static/ could not be shown or printed, or None (checked by its first bytes)."""
    suffix = path.suffix.lower()
    if suffix not in _IMAGE_SUFFIXES:
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    kind = {".jpg": "JPEG", ".jpeg": "JPEG"}.get(suffix, suffix[1:].upper())
    if suffix == ".png":
        if not head.startswith(b"\x89PNG\r\n\x1a\n") or head[12:16] != b"IHDR":
            return "not a PNG image (expected a file that starts like a PNG, found other bytes); save it again as PNG"
        width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        if width * height > MAX_IMAGE_PIXELS:
            return (f"image is too large (expected at most {MAX_IMAGE_PIXELS:,} pixels, found {width} x {height}); "
                    "scale it down")
        return None
    if suffix in (".jpg", ".jpeg") and not head.startswith(b"\xff\xd8\xff"):
        return f"not a {kind} image (expected a file that starts like a JPEG, found other bytes)"
    if suffix == ".gif" and not head.startswith((b"GIF87a", b"GIF89a")):
        return "not a GIF image (expected a file that starts like a GIF, found other bytes)"
    if suffix == ".webp" and not (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "not a WebP image (expected a file that starts like a WebP, found other bytes)"
    if suffix == ".svg":
        text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
        if not text.startswith("<") or "<svg" not in head.decode("utf-8", "replace"):
            return "not an SVG image (expected an XML file with an <svg> element, found other text)"
    return None
