"""Links written in Markdown, checked with the content so that `check` refuses what the build would.

A link in a page or a Markdown field is written from the site root
(`members/`, `static/map.png`, `/about/`); the site rebases it for each page.
Links that climb out of the site (`../`), point at a file static/ does not
hold, or at a top-level page the site does not have, are located errors here
instead of a broken-link failure at the end of a build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from coalition_docs.content import vocab

# A link with a scheme (https:, mailto:) or a network path (//host) leaves the site.
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The one Markdown parser of the tool: CommonMark and tables, raw HTML off.

    markdown-it's validateLink refuses javascript:, vbscript:, file: and
    non-image data: URLs. Rendered with `env={"root": "../../"}`, links are
    rebased onto that root (`_rebase_links`).
    """
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.core.ruler.push("rebase_links", _rebase_links)
    return md


def _rebase_links(state) -> None:
    """Rewrite links written from the site root for a page at `state.env["root"]`.

    A coalition's Markdown shows on pages at several depths (a member's summary
    is on the directory and on the member's page), so a relative link in it
    means "from the site root": `members/harbor/`, `static/map.png`; a leading
    "/" means the same. "./" and "../" links, external links and `#anchors`
    are kept as written.
    """
    root = state.env.get("root") if isinstance(state.env, dict) else None
    if root is None:
        return
    site_root = state.env.get("site_root", root)
    stack = list(state.tokens)
    while stack:
        token = stack.pop()
        if token.children:
            stack.extend(token.children)
        name = "href" if token.type == "link_open" else "src" if token.type == "image" else None
        value = token.attrs.get(name) if name else None
        if not isinstance(value, str) or not value or value.startswith(("#", "./", "../")) \
                or value in (".", "..") or EXTERNAL.match(value):
            continue
        value = value.lstrip("/")
        token.attrs[name] = (site_root if value.startswith("static/") else root) + value


def links(text: str) -> list[tuple[int, str]]:
    """(line offset within the text, target) of every link and image in Markdown `text`."""
    found: list[tuple[int, str]] = []
    for block in markdown().parse(text or ""):
        line = block.map[0] if block.map else 0
        for token in block.children or ():
            if token.type == "link_open":
                found.append((line, str(token.attrs.get("href", ""))))
            elif token.type == "image":
                found.append((line, str(token.attrs.get("src", ""))))
    return found


def link_problem(target: str, pages: Iterable[str], static_files: Iterable[str], base: str = "") -> str | None:
    """Why the site could not follow `target`, or None when it can.

    `base` is the folder of the page the text is shown on ("about/" for pages/about.md); text
    shown on several pages (a partner's summary) has no base, so '..' in it always climbs out
    on some page.
    """
    path = _path_of(target, base)
    if path is _CLIMBS_OUT:
        return (f"link '{target}' leaves the site (expected a link from the site root such as "
                "'members/' or 'static/map.png', found one that climbs out with '..')")
    if not path:
        return None
    first = path.split("/", 1)[0]
    if first == "static":
        name = path.removeprefix("static/")
        if name and name not in set(static_files):
            return f"link '{target}' points at static/{name}, which is not in static/ (expected a file there)"
        return None
    known = set(vocab.RESERVED_PAGE_NAMES) | set(pages)
    if first not in known and first.removesuffix(".html") not in known:
        return (f"link '{target}' points at a page the site does not have (expected one of "
                f"{', '.join(sorted(known - {'index', '404', 'assets'}))}, found '{first}')")
    return None



_CLIMBS_OUT = object()  # a link whose '..' climbs above the site root


def _path_of(target: str, base: str = "") -> str | object | None:
    """The path from the site root that a link leads to ("" for the root), _CLIMBS_OUT, or None
    when it is not a link into the site (an external link, an anchor, a query)."""
    if not target or target.startswith(("#", "?")) or EXTERNAL.match(target):
        return None
    path = unquote(urlsplit(target).path)
    if not path.startswith("/") and (path == ".." or path.startswith("../") or "/../" in f"/{path}"):
        resolved = normalise_path(base + path) if base else None
        if resolved is None:
            return _CLIMBS_OUT
        path = resolved
    return path.lstrip("/").removeprefix("./")


def site_path(target: str, base: str = "") -> str | None:
    """The path from the site root that a Markdown link leads to ("" for the root); None for a link
    that is not into the site, or that climbs out of it (link_problem says so)."""
    path = _path_of(target, base)
    return path if isinstance(path, str) else None


def normalise_path(path: str) -> str | None:
    """"a/./b/../c" -> "a/c"; None when ".." climbs above the start (the site's root)."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)
