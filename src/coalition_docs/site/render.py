"""The public website: which pages exist, and how each one is rendered.

The site is a list of planned pages (`plan_site`): each names its output path,
its template and the page-specific variables it adds to the common ones. A full
build renders them one by one; an incremental build can render any one alone
with `render_page`. Templates receive the public view only (`public.py`), never
the model.

Every link is relative: a page at `members/harbor/index.html` reaches the home
page as `../../`, so the folder works under any sub-path of a host. Links use
clean URLs (`members/harbor/`); `site.js` adds `index.html` to them when the
site is opened from disk. The 404 page is the exception: a host serves it at
whatever depth the missing URL had, so its links are absolute paths built from
the path of `site.url`.

After writing, `check_links` reads every HTML and CSS file it wrote and fails
the build, naming the page and the link, when an internal link, asset or
`#anchor` does not resolve.
"""

from __future__ import annotations

import html
import math
import multiprocessing
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape as xml_escape

import jinja2
import jinja2.meta
from markupsafe import Markup

from coalition_docs.content import model
from coalition_docs.content import vocab
from coalition_docs.content.links import EXTERNAL, normalise_path
from coalition_docs.files import UnreadableFile, read_regular
from coalition_docs.errors import BuildError
from coalition_docs.engine.manifest import Outputs, digest_bytes, digest_value, file_digest
from coalition_docs.site.public import (
    PublicPerson,
    PublicSite,
    PublicTerm,
    PublicWorkingGroup,
    public_view,
)
from coalition_docs.templating import Theme, render_markdown

SITE_FOLDER = "site"

RESERVED_NAMES = vocab.RESERVED_PAGE_NAMES

# A Markdown page with one of these names becomes the home page's call to action.
CALL_TO_ACTION_PAGES = ("get-involved", "join", "join-us", "participate", "contact")


FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")
# Static font faces the stylesheet uses; other weights are not copied.
FONT_STYLES = {
    "regular": ("400", "normal"),
    "italic": ("400", "italic"),
    "bold": ("700", "normal"),
    "bolditalic": ("700", "italic"),
}


@dataclass(frozen=True)
class PlannedPage:
    """One page of the site, before rendering."""

    path: str  # output path inside site/, e.g. "members/harbor/index.html"
    template: str  # theme-relative template name, e.g. "site/member.html"
    title: str
    section: str  # which navigation entry is current ("" for none)
    context: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None
    in_sitemap: bool = True

    @property
    def url(self) -> str:
        """The clean URL relative to the site root: "", "members/", "members/harbor/"."""
        return self.path.removesuffix("index.html")

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the site root."""
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str  # relative to the site root
    section: str


# ---------------------------------------------------------------- planning


def plan_site(view: PublicSite) -> list[PlannedPage]:
    """Every page of the site, in navigation order, each with its own variables."""
    coalition = view.coalition
    for page in view.pages:
        if page.name in RESERVED_NAMES:
            raise BuildError(
                f"pages/{page.name}.md: the name '{page.name}' is used by the site itself; "
                "rename the file (reserved: " + ", ".join(sorted(RESERVED_NAMES)) + ")"
            )

    pages: list[PlannedPage] = [
        PlannedPage(
            path="index.html",
            template="site/home.html",
            title=coalition.name,
            section="home",
            context={
                "stats": _stats(view),
                "call_to_action": _call_to_action(view),
            },
        ),
        PlannedPage(
            path="structure/index.html",
            template="site/structure.html",
            title="How we are organized",
            section="structure",
            context=_structure(view),
        ),
        PlannedPage(
            path="members/index.html",
            template="site/members.html",
            title="Members",
            section="members",
            context=_directory(view),
        ),
    ]
    for member in view.members:
        pages.append(
            PlannedPage(
                path=f"members/{member.id}/index.html",
                template="site/member.html",
                title=member.name,
                section="members",
                context={
                    "member": member,
                    "groups": _groups_of(view, member.people),
                },
            )
        )
    pages.append(
        PlannedPage(
            path="people/index.html",
            template="site/people.html",
            title="People",
            section="people",
            context={"sections": _people_sections(view)},
        )
    )
    if view.working_groups:
        pages.append(
            PlannedPage(
                path="working-groups/index.html",
                template="site/working-groups.html",
                title="Working groups",
                section="working-groups",
                context={"groups": view.working_groups},
            )
        )
        for group in view.working_groups:
            pages.append(
                PlannedPage(
                    path=f"working-groups/{group.id}/index.html",
                    template="site/working-group.html",
                    title=group.name,
                    section="working-groups",
                    context={"group": group, "related_members": _related_members(view, group)},
                )
            )
    if view.statements:
        pages.append(
            PlannedPage(
                path="statements/index.html",
                template="site/statements.html",
                title="Positionality statements",
                section="statements",
                context={"statements": view.statements},
            )
        )
    pages.append(
        PlannedPage(
            path="coverage/index.html",
            template="site/coverage.html",
            title="What our members cover",
            section="coverage",
            context={"coverage": _coverage(view)},
        )
    )
    for page in view.pages:
        pages.append(
            PlannedPage(
                path=f"{page.name}/index.html",
                template="site/page.html",
                title=page.title,
                section=page.name,
                description=page.description,
                context={"markdown_page": page},
            )
        )
    pages.append(
        PlannedPage(
            path="404.html",
            template="site/404.html",
            title="Page not found",
            section="",
            in_sitemap=False,
        )
    )
    return pages


def navigation(view: PublicSite) -> list[NavItem]:
    """The main navigation: the site's own sections, then the Markdown pages."""
    items = [NavItem("Members", "members/", "members"), NavItem("People", "people/", "people")]
    items.append(NavItem("Structure", "structure/", "structure"))
    if view.working_groups:
        items.append(NavItem("Working groups", "working-groups/", "working-groups"))
    if view.statements:
        items.append(NavItem("Statements", "statements/", "statements"))
    items.append(NavItem("Coverage", "coverage/", "coverage"))
    items.extend(NavItem(p.title, f"{p.name}/", p.name) for p in view.pages)
    return items


def _stats(view: PublicSite) -> dict[str, int]:
    covered = {t.id for m in view.members for t in m.domains if t.id in vocab.AREAS}
    return {
        "members": len(view.members),
        "working_groups": len(view.working_groups),
        "people": len(view.people),
        "areas_covered": len(covered),
        "areas_total": len(vocab.AREAS),
    }


def _call_to_action(view: PublicSite) -> NavItem | None:
    by_name = {p.name: p for p in view.pages}
    for name in CALL_TO_ACTION_PAGES:
        if name in by_name:
            return NavItem(by_name[name].title, f"{name}/", name)
    return None


def _groups_of(view: PublicSite, people: Iterable[PublicPerson]) -> tuple[PublicWorkingGroup, ...]:
    wanted = {g.id for person in people for g in person.working_groups}
    return tuple(g for g in view.working_groups if g.id in wanted)


def _related_members(view: PublicSite, group: PublicWorkingGroup) -> tuple:
    areas = {t.id for t in group.areas}
    if not areas:
        return ()
    return tuple(m for m in view.members if areas.intersection(t.id for t in m.domains))


# ---------------------------------------------------------------- directory


def _directory(view: PublicSite) -> dict[str, Any]:
    type_counts: dict[str, int] = {}
    area_counts: dict[str, int] = {}
    for member in view.members:
        type_counts[member.type.id] = type_counts.get(member.type.id, 0) + 1
        for term in member.domains:
            area_counts[term.id] = area_counts.get(term.id, 0) + 1
    type_options = [(t, type_counts.get(t.id, 0)) for t in view.organization_types]
    area_groups = []
    for pillar_id, pillar_label, _ in vocab.PILLARS:
        options = [(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar == pillar_id]
        area_groups.append((pillar_label, options))
    custom = [(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar is None]
    if custom:
        area_groups.append(("Other areas", custom))
    return {"members": view.members, "type_options": type_options, "area_groups": area_groups}


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonEntry:
    person: PublicPerson
    full: bool  # the person's full card; False: a link to the card shown earlier
    note: str | None = None  # e.g. "Lead"


@dataclass(frozen=True)
class PeopleGroup:
    title: str | None
    anchor: str | None
    meets: str | None
    entries: tuple[PersonEntry, ...]


@dataclass(frozen=True)
class PeopleSection:
    anchor: str
    title: str
    intro: str | None
    groups: tuple[PeopleGroup, ...]


def _people_sections(view: PublicSite) -> list[PeopleSection]:
    """Management team by role, champions, working groups, everyone else.

    Each person's card (with bio) appears once, where they first appear; later
    mentions link back to it.
    """
    shown: set[str] = set()

    def entries(people: Iterable[PublicPerson], notes: Mapping[str, str] | None = None):
        out = []
        for person in people:
            out.append(PersonEntry(person, person.id not in shown, (notes or {}).get(person.id)))
            shown.add(person.id)
        return tuple(out)

    meetings = view.coalition.meetings
    sections: list[PeopleSection] = []

    role_order = {role.id: index for index, role in enumerate(view.roles)}
    team = sorted(
        (p for p in view.people if p.roles),
        key=lambda p: min(role_order.get(r.id, len(role_order)) for r in p.roles),
    )
    if team:
        sections.append(
            PeopleSection(
                "management-team",
                "Management team",
                meetings.management_team,
                (PeopleGroup(None, None, None, entries(team)),),
            )
        )

    champions = [p for p in view.people if p.champion]
    if champions:
        sections.append(
            PeopleSection(
                "champions",
                "Champions",
                meetings.champions,
                (PeopleGroup(None, None, None, entries(champions)),),
            )
        )

    group_blocks = []
    for group in view.working_groups:
        people = ([group.lead] if group.lead else []) + [
            p for p in group.members if group.lead is None or p.id != group.lead.id
        ]
        if people:
            notes = {group.lead.id: "Lead"} if group.lead else {}
            group_blocks.append(
                PeopleGroup(group.name, f"group-{group.id}", group.meets, entries(people, notes))
            )
    if group_blocks:
        sections.append(
            PeopleSection("working-groups", "Working groups", meetings.working_groups, tuple(group_blocks))
        )

    others = [p for p in view.people if p.id not in shown]
    if others:
        sections.append(
            PeopleSection(
                "others",
                "Also part of the coalition",
                None,
                (PeopleGroup(None, None, None, entries(others)),),
            )
        )
    return sections


# ---------------------------------------------------------------- structure


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _structure(view: PublicSite) -> dict[str, Any]:
    """Figure 2-2 drawn from the data: three rings, working groups on the middle one."""
    size = 720
    c = size / 2
    rings = {"champions": 354, "partners": 278, "management": 102}
    groups = view.working_groups
    n = len(groups)
    nodes = []
    # Nodes sit on the middle ring except its top, where the ring's label goes.
    orbit = (rings["management"] + rings["partners"]) / 2
    gap = math.radians(64)  # half the opening left at the top for the label
    labelled = n <= 7
    if n:
        span = 2 * math.pi - 2 * gap
        step = span / n
        radius = min(76.0, orbit * step / 2 - 6)
        for i, group in enumerate(groups):
            angle = -math.pi / 2 + gap + step * (i + 0.5)
            x = c + orbit * math.cos(angle)
            y = c + orbit * math.sin(angle)
            width = 12 if radius >= 66 else 10
            lines = _wrap(group.name, width) if labelled else [str(i + 1)]
            if len(lines) > 4:
                lines = lines[:4]
                lines[-1] = lines[-1].rstrip(".,;:") + "…"
            font = (17 if radius >= 66 else 15) if labelled else 22
            first = -(len(lines) - 1) * font * 1.15 / 2
            nodes.append(
                {
                    "group": group,
                    "number": i + 1,
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "r": round(radius, 1),
                    "font": font,
                    "lines": [(line, round(first + k * font * 1.15 + font * 0.35, 1)) for k, line in enumerate(lines)],
                }
            )
    management = []
    for role in view.roles:
        holders = tuple(p for p in view.people if any(r.id == role.id for r in p.roles))
        management.append((role, holders))
    return {
        "figure": {
            "size": size,
            "center": c,
            "rings": rings,
            "nodes": nodes,
            "labelled": labelled,
        },
        "management": management,
        "champions": tuple(p for p in view.people if p.champion),
        "groups": groups,
    }


# ---------------------------------------------------------------- coverage


def _coverage(view: PublicSite) -> dict[str, Any]:
    """How many members work on each area (by pillar) and are of each type."""
    area_counts: dict[str, int] = {}
    type_counts: dict[str, int] = {}
    for member in view.members:
        type_counts[member.type.id] = type_counts.get(member.type.id, 0) + 1
        for term in member.domains:
            area_counts[term.id] = area_counts.get(term.id, 0) + 1
    total = len(view.members)

    def row(term: PublicTerm, count: int) -> dict[str, Any]:
        share = 0 if not total else round(100 * count / total, 1)
        return {"term": term, "count": count, "share": share}

    pillars = []
    for pillar_id, pillar_label, _ in vocab.PILLARS:
        rows = [row(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar == pillar_id]
        pillars.append(
            {
                "id": pillar_id,
                "label": pillar_label,
                "rows": rows,
                "covered": sum(1 for r in rows if r["count"]),
            }
        )
    custom = [row(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar is None]
    types = [row(t, type_counts.get(t.id, 0)) for t in view.organization_types]
    covered = sum(p["covered"] for p in pillars)
    return {
        "members": total,
        "pillars": pillars,
        "custom_areas": custom,
        "types": types,
        "areas_covered": covered,
        "areas_total": len(vocab.AREAS),
        "gaps": [r["term"] for p in pillars for r in p["rows"] if not r["count"]],
        "type_gaps": [r["term"] for r in types if not r["count"]],
        "types_covered": sum(1 for r in types if r["count"]),
    }


# ---------------------------------------------------------------- rendering


_MARKDOWN_LINK = re.compile(r'(\s(?:href|src)=")([^"]*)"')


def _markdown_filter() -> Any:
    """The site's `markdown` filter: Markdown as HTML, relative links rebased.

    A coalition's Markdown appears on pages at different depths (a member's
    summary is on the directory and on the member's page), so a relative link
    or image in it means "from the site root": `members/harbor/`,
    `static/map.png`; a leading "/" means the same. Links that start with
    "./" or "../" are kept as written (relative to the page they are on), and
    so are external links and `#anchors`. Each text is rendered once per build.
    """
    html_of: dict[str, str] = {}
    rebased: dict[tuple[str, str], Markup] = {}

    @jinja2.pass_context
    def markdown(context: Any, text: str | None) -> Markup:
        text = text or ""
        root = context["root"]
        done = rebased.get((text, root))
        if done is None:
            rendered = html_of.get(text)
            if rendered is None:
                rendered = html_of[text] = render_markdown(text)
            if "href=" in rendered or "src=" in rendered:
                rendered = _MARKDOWN_LINK.sub(lambda m: _rebase(m, root), rendered)
            done = rebased[(text, root)] = Markup(rendered)
        return done

    return markdown


def _rebase(match: re.Match[str], root: str) -> str:
    value = match.group(2)
    if not value or value.startswith(("#", "./", "../")) or value in (".", "..") or EXTERNAL.match(value):
        return match.group(0)
    return f'{match.group(1)}{root}{value.lstrip("/")}"'


@jinja2.pass_context
def _url(context: Any, path: str = "") -> str:
    """A link from the current page to `path` (relative to the site root)."""
    return (context["root"] + path) or "./"


def site_environment(theme: Theme) -> jinja2.Environment:
    """The theme's HTML environment with the site's helpers; compile once, reuse."""
    env = theme.environment(autoescape=True)
    env.auto_reload = False  # one environment per build: no need to stat templates per page
    env.filters["markdown"] = _markdown_filter()
    env.globals["url"] = _url
    return env


def base_path(view: PublicSite) -> str:
    """The path part of site.url ("/coalition/"), or "/" without a URL."""
    if not view.coalition.site_url:
        return "/"
    path = urlsplit(view.coalition.site_url).path or "/"
    return path if path.endswith("/") else path + "/"


class _TrackedSite:
    """The public view as a template sees it, noting which of its parts the page reads.

    An incremental build re-renders a page only when one of those parts, its
    own variables or its templates changed.
    """

    __slots__ = ("_view", "_read")

    def __init__(self, view: PublicSite, read: set[str]):
        self._view = view
        self._read = read

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._view, name)
        self._read.add(name)
        return value


def render_page(env: jinja2.Environment, view: PublicSite, page: PlannedPage, *, has_fonts: bool = False,
                read: set[str] | None = None) -> str:
    """The HTML of one planned page; `read` collects the parts of `site` it used."""
    root = base_path(view) if page.path == "404.html" else page.root
    site_url = view.coalition.site_url
    canonical = site_url + page.url if site_url and page.in_sitemap else None
    variables = {
        "site": view if read is None else _TrackedSite(view, read),
        "coalition": view.coalition,
        "page": page,
        "nav": navigation(view),
        "root": root,
        "canonical": canonical,
        "has_fonts": has_fonts,
    }
    variables.update(page.context)
    try:
        return env.get_template(page.template).render(variables)
    except jinja2.TemplateError as error:
        raise BuildError(f"{_template_location(error)}: {error} (while rendering {page.path})") from error


def _template_location(error: BaseException) -> str:
    """"file:line" of the template that failed, from the error or its traceback."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    tb = error.__traceback__
    while tb is not None:  # the innermost template frame wins
        code = tb.tb_frame.f_code.co_filename
        if code.endswith((".html", ".xml", ".txt")):
            filename, line = code, tb.tb_lineno
        tb = tb.tb_next
    return f"{filename or 'template'}:{line or 1}"


def copy_assets(theme: Theme, content_dir: Path, static_files: Iterable[str], site_dir: Path,
                outputs: Outputs | None = None) -> tuple[list[str], bool]:
    """Copy the theme's assets, its fonts and content/static; return paths and whether fonts exist.

    A file whose source is unchanged since the previous build is carried over.
    """
    outputs = outputs if outputs is not None else Outputs()
    prefix = f"{site_dir.name}/"
    written: list[str] = []

    def copy(source: Path, rel: str) -> None:
        key = file_digest(source)
        if not outputs.take(prefix + rel, key):
            target = site_dir / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            outputs.made(prefix + rel, key)
        written.append(rel)

    for rel in theme.files("site/assets"):
        copy(theme.find(rel), "assets/" + rel.removeprefix("site/assets/"))

    faces = []
    for rel in theme.files("fonts"):
        name = PurePosixPath(rel).name
        face = _font_face(name)
        if face is None and not name.upper().startswith(("OFL", "LICENSE")):
            continue
        copy(theme.find(rel), f"assets/fonts/{name}")
        if face is not None:
            faces.append(face)
    if faces and "assets/fonts.css" not in written:  # a theme's own fonts.css wins
        css = "\n".join(faces) + "\n"
        key = digest_bytes(css)
        if not outputs.take(prefix + "assets/fonts.css", key):
            _write(site_dir / "assets" / "fonts.css", css)
            outputs.made(prefix + "assets/fonts.css", key)
        written.append("assets/fonts.css")
    has_fonts = "assets/fonts.css" in written

    static_root = Path(content_dir) / "static"
    real_static = static_root.resolve()
    for rel in static_files:
        source = static_root / rel
        # checked again here: a link changed since the content was checked publishes nothing
        if source.is_symlink() and not source.resolve().is_relative_to(real_static) or not source.is_file():
            raise BuildError(f"static/{rel}: changed while building (expected a regular file inside static/); "
                             "build again")
        copy(source, f"static/{rel}")
    return written, has_fonts


def theme_has_fonts(theme: Theme) -> bool:
    """Whether the theme ships font files the site uses (and so writes assets/fonts.css)."""
    return any(_font_face(PurePosixPath(rel).name) for rel in theme.files("fonts"))


def _font_face(filename: str) -> str | None:
    """An @font-face rule for a font file named like NotoSans-BoldItalic.ttf."""
    stem, _, suffix = filename.rpartition(".")
    if "." + suffix.lower() not in FONT_SUFFIXES:
        return None
    family_part, _, style_part = stem.partition("-")
    if "[" in family_part:  # a variable font, NotoSans[wdth,wght].ttf
        family_part, _, axes = family_part.partition("[")
        if "wght" not in axes:
            return None
        weight, style = "100 900", "italic" if "italic" in stem.lower() else "normal"
    else:
        key = style_part.lower()
        if key not in FONT_STYLES:
            return None
        weight, style = FONT_STYLES[key]
    family = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family_part)
    fmt = {"woff2": "woff2", "woff": "woff", "ttf": "truetype", "otf": "opentype"}[suffix.lower()]
    return (
        "@font-face {\n"
        f'  font-family: "{family}";\n'
        f'  src: url("fonts/{filename}") format("{fmt}");\n'
        f"  font-weight: {weight};\n"
        f"  font-style: {style};\n"
        "  font-display: swap;\n"
        "}"
    )


def sitemap_xml(view: PublicSite, pages: Iterable[PlannedPage]) -> str | None:
    """sitemap.xml with absolute URLs of the public pages, or None without site.url."""
    site_url = view.coalition.site_url
    if not site_url:
        return None
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for page in pages:
        if page.in_sitemap:
            lines.append(f"  <url><loc>{xml_escape(site_url + page.url)}</loc></url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


# Large sites render in forked worker processes too (the machine's cores, at
# most MAX_WORKERS), each writing its share of the pages; small ones, and any
# process that already runs threads (forking those is unsafe), render serially.
PARALLEL_MIN_PAGES = 200
MAX_WORKERS = 4
_SHARED: tuple | None = None  # what forked workers inherit: env, view, pages, site_dir, has_fonts


def _workers(page_count: int) -> int:
    if page_count < PARALLEL_MIN_PAGES or threading.active_count() > 1:
        return 1
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_WORKERS))


def _render_share(start: int, step: int) -> list[tuple[str, str, list[str]]]:
    """Render and write every `step`-th planned page from `start`."""
    assert _SHARED is not None
    env, view, pages, site_dir, has_fonts = _SHARED
    done = []
    for page in pages[start::step]:
        read: set[str] = set()
        text = render_page(env, view, page, has_fonts=has_fonts, read=read)
        _write(site_dir / page.path, text)
        done.append((page.path, text, sorted(read)))
    return done


def _render_all(theme, env, view, pages, site_dir, has_fonts) -> dict[str, tuple[str, list[str]]]:
    """Render and write every page; return their HTML and the parts of `site` each read."""
    global _SHARED
    workers = _workers(len(pages))
    _SHARED = (env, view, pages, site_dir, has_fonts)
    try:
        if workers == 1:
            results = _render_share(0, 1)
        else:
            for name in theme.files("site"):  # compile every template once, before forking
                if name.endswith(".html"):
                    env.get_template(name)
            sys.stdout.flush()
            sys.stderr.flush()
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers - 1, mp_context=context) as pool:
                jobs = {share: pool.submit(_render_share, share, workers) for share in range(1, workers)}
                results = _render_share(0, workers)
                for share, job in jobs.items():
                    try:
                        results += job.result()
                    except Exception:  # noqa: BLE001 - any failure: redo the share here
                        # Render that share here: the error, if real, is raised
                        # again with its own traceback (and a lost worker costs
                        # only time).
                        results += _render_share(share, workers)
        return {path: (text, read) for path, text, read in results}
    finally:
        _SHARED = None


# What a page's key is made of, beyond its own variables. A method of the view
# depends on the data it looks in.
_PART_OF = {"member": "members"}


class _PageKeys:
    """The key of a page: a hash of everything its HTML is made from."""

    def __init__(self, env: jinja2.Environment, theme: Theme, view: PublicSite, has_fonts: bool, tool: str):
        self.env, self.theme, self.view = env, theme, view
        self.common = digest_value(tool, view.coalition, navigation(view), has_fonts, base_path(view))
        self._parts: dict[str, str] = {}
        self._templates: dict[str, str] = {}

    def part(self, name: str) -> str:
        name = _PART_OF.get(name, name)
        if name not in self._parts:
            value = getattr(self.view, name, None)
            self._parts[name] = digest_value(self.view if callable(value) else value)
        return self._parts[name]

    def template(self, name: str) -> str:
        """A hash of the template and of every template it extends, includes or imports."""
        if name not in self._templates:
            seen: set[str] = set()
            stack = [name]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                try:
                    source = read_regular(self.theme.find(current)).decode("utf-8", "replace")
                    references = list(jinja2.meta.find_referenced_templates(self.env.parse(source)))
                except (FileNotFoundError, UnreadableFile, jinja2.TemplateSyntaxError):
                    continue  # rendering reports it
                for ref in references:
                    if ref is None:  # a computed name: any template of the theme
                        stack.extend(t for t in self.theme.files("site") if t.endswith((".html", ".xml")))
                    else:
                        stack.append(ref)
            self._templates[name] = digest_bytes(
                *(f"{t}:{file_digest(self.theme.find(t))}" for t in sorted(seen) if self._exists(t)))
        return self._templates[name]

    def _exists(self, name: str) -> bool:
        try:
            self.theme.find(name)
        except FileNotFoundError:
            return False
        return True

    def key(self, page: PlannedPage, reads: Iterable[str]) -> str:
        return digest_bytes(self.common, self.template(page.template), digest_value(page),
                            *(f"{r}={self.part(r)}" for r in sorted(reads)))


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def build_site(coalition: model.Coalition, theme: Theme, dest: Path, outputs: Outputs | None = None,
               progress: Any = None) -> list[str]:
    """Write the public site into dest/site; return the written paths, sorted.

    With `outputs` from an earlier build, a page whose key is unchanged is
    carried over instead of rendered.
    """
    outputs = outputs if outputs is not None else Outputs()
    view = public_view(coalition)
    site_dir = Path(dest) / SITE_FOLDER
    if site_dir.exists():
        shutil.rmtree(site_dir)
    site_dir.mkdir(parents=True)

    written, has_fonts = copy_assets(theme, coalition.content_dir, view.static_files, site_dir, outputs)
    env = site_environment(theme)
    pages = plan_site(view)
    keys = _PageKeys(env, theme, view, has_fonts, outputs.tool)
    prefix = f"{SITE_FOLDER}/"
    todo = []
    for page in pages:
        old = outputs.record(prefix + page.path)
        if old is None or not outputs.take(prefix + page.path, keys.key(page, old.deps)):
            todo.append(page)
    if progress is not None:
        progress.pages(len(pages), len(pages) - len(todo))
    rendered = _render_all(theme, env, view, todo, site_dir, has_fonts)
    for page in todo:
        _, read = rendered[page.path]
        outputs.made(prefix + page.path, keys.key(page, read), read)
    written.extend(page.path for page in pages)

    sitemap = sitemap_xml(view, pages)
    if sitemap is not None:
        key = digest_bytes(sitemap)
        if not outputs.take(prefix + "sitemap.xml", key):
            _write(site_dir / "sitemap.xml", sitemap)
            outputs.made(prefix + "sitemap.xml", key)
        written.append("sitemap.xml")

    check_links(site_dir, written, base_path(view), {path: text for path, (text, _) in rendered.items()})
    return sorted(written)


# ---------------------------------------------------------------- link checking

# The site's HTML comes from autoescaped templates and markdown-it, which both
# quote every attribute with double quotes and escape quotes inside text, so
# one pattern reads every link and id reliably (and fast).
_ATTR = re.compile(r'\s(href|src|srcset|id)="([^"]*)"')
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
MAX_REPORTED_LINKS = 50


def _scan(text: str, is_css: bool) -> tuple[list[str], set[str]]:
    """The links and the ids of one HTML or CSS file."""
    if is_css:
        return [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)], set()
    links: list[str] = []
    ids: set[str] = set()
    for name, value in _ATTR.findall(text):
        if "&" in value:
            value = html.unescape(value)
        if name == "id":
            ids.add(value)
        elif name == "srcset":
            links.extend(c.split()[0] for c in value.split(",") if c.strip())
        else:
            links.append(value)
    return links, ids


def check_links(
    site_dir: Path,
    files: Iterable[str],
    base: str = "/",
    texts: Mapping[str, str] | None = None,
) -> None:
    """Raise BuildError naming every page and link that does not resolve.

    Checks links and assets of every HTML file and `url()` of every CSS file in
    `files` (paths inside `site_dir`; `texts` may hold their contents already).
    Relative links resolve from the page; absolute paths (the 404 page's) must
    start with `base`, the path of site.url. A folder link resolves to its
    index.html; an `#anchor` must name an id in the target page.
    """
    site_dir = Path(site_dir)
    texts = texts or {}
    existing = set(files)
    ids: dict[str, set[str]] = {}
    scanned: dict[str, list[str]] = {}

    def scan(path: str) -> None:
        text = texts.get(path)
        if text is None:
            text = (site_dir / path).read_text(encoding="utf-8", errors="replace")
        scanned[path], ids[path] = _scan(text, path.endswith(".css"))

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
    for path in pages:
        folder = path.rpartition("/")[0]
        root = "../" * path.count("/")
        for link in scanned[path]:
            if link in split:
                link_path, fragment = split[link]
            elif EXTERNAL.match(link):
                split[link] = ("", "\0external")
                continue
            else:
                parts = urlsplit(link)
                link_path, fragment = split[link] = (unquote(parts.path), unquote(parts.fragment))
            if fragment == "\0external":
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
    if problems:
        shown = problems[:MAX_REPORTED_LINKS]
        if len(problems) > len(shown):
            shown.append(f"... and {len(problems) - len(shown)} more")
        raise BuildError(
            f"the built site has {len(problems)} broken link{'s' if len(problems) != 1 else ''}:\n"
            + "\n".join(f"  {p}" for p in shown)
        )


