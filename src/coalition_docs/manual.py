"""`coalition-docs docs [TOPIC]`: the documentation that ships with the package, printed as Markdown.

The pages are the repository's docs/ folder, installed as coalition_docs/docs
(pyproject.toml maps it). A topic is a page's file stem (`content-format`);
without one, the command lists every topic with its page's title.
"""

from __future__ import annotations

import sys
from pathlib import Path

from coalition_docs.errors import CoalitionDocsError, UsageError, did_you_mean

PACKAGE_DIR = Path(__file__).resolve().parent

# The order a reader meets the topics in; a page not named here is listed after them.
ORDER = ("getting-started", "install", "content-format", "commands", "site", "documents", "languages",
         "mailings", "theme", "launch-kit", "promises", "how-it-works", "code-layout", "benchmarks")


def docs_dir() -> Path:
    """The installed pages (coalition_docs/docs), else the checkout's docs/."""
    for candidate in (PACKAGE_DIR / "docs", PACKAGE_DIR.parents[1] / "docs"):
        if (candidate / "content-format.md").is_file():
            return candidate
    raise CoalitionDocsError("the documentation is missing from this installation (expected coalition_docs/docs "
                             "inside the package; reinstall coalition-docs)")


def topics(folder: Path | None = None) -> dict[str, Path]:
    """Every topic and its page, in reading order (the index, README.md, is not a topic)."""
    folder = folder or docs_dir()
    pages = {path.stem: path for path in folder.glob("*.md") if path.stem != "README"}
    ordered = [name for name in ORDER if name in pages] + sorted(set(pages) - set(ORDER))
    return {name: pages[name] for name in ordered}


def title(path: Path) -> str:
    """A page's first heading, without its hashes."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def show(topic: str | None, out=None) -> None:
    """Print the list of topics, or one topic's Markdown, to `out` (default: standard output)."""
    out = out or sys.stdout
    pages = topics()
    if topic is None:
        width = max(map(len, pages))
        lines = [f"  {name:<{width}}  {title(path)}" for name, path in pages.items()]
        _write(out, "The documentation of coalition-docs; print a topic with `coalition-docs docs TOPIC`:\n"
               + "\n".join(lines) + "\n")
        return
    name = topic.removesuffix(".md")
    if name not in pages:
        hint = did_you_mean(name, pages)
        raise UsageError(f"no documentation topic '{topic}' (expected one of {', '.join(pages)})"
                         + (f"; {hint}" if hint else ""))
    _write(out, pages[name].read_text(encoding="utf-8"))


def _write(out, text: str) -> None:
    """Text as UTF-8 where the stream's own encoding cannot hold it (a Windows console, a pipe)."""
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        if hasattr(out, "buffer"):
            out.flush()
            out.buffer.write(text.encode("utf-8"))
            out.buffer.flush()
            return
    out.write(text)
