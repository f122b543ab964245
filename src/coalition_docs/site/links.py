"""The built site's own link check: every internal link, asset and #anchor must resolve.

After the pages are written, `check_links` fails the build, naming the page
and the link, when one does not. The links and ids of a page rendered in this
build come from the worker that rendered it (`scan_html`, beside the writing);
the other files (carried over, assets) are read back.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from coalition_docs.content.links import EXTERNAL, normalise_path
from coalition_docs.errors import BuildError

# The site's HTML comes from autoescaped templates and markdown-it, which both
# quote every attribute with double quotes and escape quotes inside text, so
# one pattern reads every link and id reliably (and fast): each `="` (a literal
# that the regular expression engine searches for quickly), with a blank and
# one of the four names before it; a group for each name, then the value.
# It finds what \s(href|src|srcset|id)="([^"]*)" finds, in the same order.
_ATTR = re.compile(r'="(?:(?<=\s(href)=")|(?<=\s(src)=")|(?<=\s(srcset)=")|(?<=\s(id)="))([^"]*)"')
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
MAX_REPORTED_LINKS = 50


Scan = tuple[list[str], set[str]]


def scan_html(text: str) -> Scan:
    """The links and the ids of one HTML page."""
    return _scan(text, False)


def _scan(text: str, is_css: bool) -> Scan:
    """The links and the ids of one HTML or CSS file."""
    if is_css:
        return [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)], set()
    links: list[str] = []
    ids: set[str] = set()
    for _, _, srcset, id_, value in _ATTR.findall(text):
        if "&" in value:
            value = html.unescape(value)
        if id_:
            ids.add(value)
        elif srcset:
            links.extend(c.split()[0] for c in value.split(",") if c.strip())
        else:
            links.append(value)
    return links, ids


def check_links(
    site_dir: Path,
    files: Iterable[str],
    base: str = "/",
    scans: Mapping[str, Scan] | None = None,
) -> None:
    """Raise BuildError naming every page and link that does not resolve.

    Checks links and assets of every HTML file and `url()` of every CSS file in
    `files` (paths inside `site_dir`; `scans` may hold the links and ids of some
already, as `scan_html` found them).
    Relative links resolve from the page; absolute paths (the 404 page's) must
    start with `base`, the path of site.url. A folder link resolves to its
    index.html; an `#anchor` must name an id in the target page.
    """
    site_dir = Path(site_dir)
    scans = scans or {}
    existing = set(files)
    ids: dict[str, set[str]] = {}
    scanned: dict[str, list[str]] = {}

    def scan(path: str) -> None:
        known = scans.get(path)
        if known is None:
            text = (site_dir / path).read_text(encoding="utf-8", errors="replace")
            known = _scan(text, path.endswith(".css"))
        scanned[path], ids[path] = known

    def exists(path: str) -> bool:
        return path in existing or (site_dir / path).is_file()

    split: dict[str, tuple[str, str]] = {}  # link -> (path, fragment)
    targets: dict[str, str | None] = {}  # joined path -> file, or None

    def target(joined: str, page: str) -> str | None:
        """The file a joined link path reaches, or None."""
        rel = normalise_path(joined)
        if rel is None:
            return None
        last = joined.rpartition("/")[2]
        if joined.endswith("/") or (last in ("", ".", "..") and joined != page):
            return f"{rel}/index.html" if rel else "index.html"
        if not exists(rel) and exists(f"{rel}/index.html"):
            return f"{rel}/index.html"
        return rel

    pages = sorted(p for p in existing if p.endswith((".html", ".css")))
    for path in pages:
        scan(path)
    problems: list[str] = []
    # depth -> the links found good from a page at that depth that do not depend on its folder (from the
    # site root, absolute, external): a thousand pages at one depth share their navigation's links.
    good: dict[int, set[str]] = {}
    for path in pages:
        folder = path.rpartition("/")[0]
        root = "../" * path.count("/")
        known_good = good.setdefault(path.count("/"), set())
        for link in scanned[path]:
            if link in known_good:
                continue
            if link in split:
                link_path, fragment = split[link]
            elif EXTERNAL.match(link):
                split[link] = ("", "\0external")
                continue
            else:
                parts = urlsplit(link)
                link_path, fragment = split[link] = (unquote(parts.path), unquote(parts.fragment))
            if fragment == "\0external":
                known_good.add(link)
                continue
            if link.startswith("/"):
                if not link_path.startswith(base):
                    problems.append(f"{path}: broken link '{link}' (outside the site's path {base})")
                    continue
                joined = link_path[len(base):]
            elif link_path.startswith(root) and not link_path.startswith("../", len(root)):
                joined = link_path[len(root):]  # the usual case: from the site root, any depth
            elif link_path:
                joined = f"{folder}/{link_path}" if folder else link_path
            else:
                joined = path
            if joined in targets:
                rel = targets[joined]
            else:
                rel = targets[joined] = target(joined, path)
            if rel is None:
                problems.append(f"{path}: broken link '{link}' (leaves the site)")
                continue
            if not exists(rel):
                problems.append(f"{path}: broken link '{link}' (no such file: {rel})")
                continue
            if fragment and rel.endswith(".html"):
                if rel not in ids:
                    scan(rel)
                if fragment not in ids[rel]:
                    problems.append(f"{path}: broken link '{link}' (no id '{fragment}' in {rel})")
                    continue
            if link.startswith("/") or link_path.startswith(root) and not link_path.startswith("../", len(root)):
                known_good.add(link)
    if problems:
        shown = problems[:MAX_REPORTED_LINKS]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more")
        raise BuildError(
            f"the built site has {len(problems)} broken link{'s' if len(problems) != 1 else ''}:\n"
            + "\n".join(f"  {p}" for p in shown)
        )
