"""Rendering the site: every page, asset and the sitemap as outputs of the one engine.

`plan_outputs` turns the planned pages (plan.py) and the files that are not
pages (assets.py) into `PlannedOutput`s (engine/outputs.py). The engine reuses what
did not change and renders the rest on the runner, together with the PDFs, so
`--jobs` applies to both. Templates receive the public view only (`public.py`),
never the model.

A page's key is a hash of the templates it loaded, its own variables, the
variables every page shares, and the parts of `site` its templates read while
rendering (a tracking proxy notes the parts, the environment the templates;
the next build recomputes the key from what was recorded). Keys are made in the
workers, beside the rendering, and so are the links and ids of each page:
`check_links` (links.py) then fails the build on a broken internal link, asset
or `#anchor`, reading back only the files this build did not render.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markdown_it.common.utils import escapeHtml as escape_html
from markupsafe import Markup, escape

from coalition_docs.content import model
from coalition_docs.content.languages import language_name
from coalition_docs.engine import runner
from coalition_docs.engine.manifest import OutputRecords, digest_bytes, digest_value, file_digest
from coalition_docs.engine.outputs import PlannedOutput, make
from coalition_docs.errors import BuildError
from coalition_docs.i18n import catalog_files
from coalition_docs.site.assets import plan_assets, sitemap_xml, write_text
from coalition_docs.site.links import Scan, check_links, scan_html
from coalition_docs.site.plan import (RESERVED_NAMES, SITE_FOLDER, NavItem, PlannedPage, navigation, plan_languages,
                                      plan_site)
from coalition_docs.content.model import AsWritten
from coalition_docs.site.public import PublicSite, public_view
from coalition_docs.templating import Theme, render_markdown, template_location

__all__ = ["RESERVED_NAMES", "SITE_FOLDER", "base_path", "build_site", "check_links", "plan_outputs",
           "plan_site", "render_page", "site_environment"]


# Stand-ins for the page's roots while a text is rendered once for every depth (private-use
# characters: links are percent-encoded before content/links.py prefixes the root, and HTML
# escaping leaves them as they are).
_ROOT, _SITE_ROOT = "\ue000root\ue000", "\ue000site\ue000"


_RENDERED: dict[str, str] = {}  # Markdown text -> its HTML with the stand-ins (render_markdown depends on nothing else)
_MAX_RENDERED = 50_000
_own_name = lru_cache(maxsize=None)(lambda code: language_name(code, code))  # "Español": Babel takes 20 us


def _markdown_filter() -> Any:
    """The site's `markdown` filter: Markdown as HTML, links rebased for the page's depth.

    Each text is rendered once per process (a member's summary shows on the
    directory and on the member's page, and `serve` builds again and again):
    with stand-ins for the roots that content/links.py puts before a link,
    which each page then replaces with its own, escaped as markdown-it escapes
    an attribute. A text shown in the primary language for want of a
    translation is marked with its language.
    """
    rendered = _RENDERED
    if len(rendered) > _MAX_RENDERED:
        rendered.clear()

    @jinja2.pass_context
    def markdown(context: Any, text: str | None) -> Markup:
        text = text or ""
        root = context["root"]
        site_root = context.get("site_root", root)
        if "\ue000" in text:  # the stand-in's character, typed: rendered for this depth alone
            return _mark(context, text, Markup(render_markdown(text, root, site_root)), "div")
        html = rendered.get(text)
        if html is None:
            html = rendered[text] = render_markdown(text, _ROOT, _SITE_ROOT)
        if "\ue000" in html:
            html = html.replace(_ROOT, escape_html(root)).replace(_SITE_ROOT, escape_html(site_root))
        return _mark(context, text, Markup(html), "div")

    return markdown


def _mark(context: Any, text: Any, html: Any, element: str) -> Any:
    """`html` in an element naming its language when `text` is in another language than the page."""
    page = context.get("page")
    if isinstance(text, AsWritten) and page is not None and text.language != page.language:
        return Markup(f'<{element} lang="{text.language}">') + html + Markup(f"</{element}>")
    return html


@jinja2.pass_context
def _in_own_language(context: Any, text: Any) -> Any:
    """The `lang` filter: a text shown untranslated, in a span naming its language."""
    return _mark(context, text, escape(text), "span") if isinstance(text, AsWritten) else text


@jinja2.pass_context
def _url(context: Any, path: str = "") -> str:
    """A link from the current page to `path`: a page of its language, or a file of assets/ or static/."""
    if path.startswith(SHARED_FOLDERS):
        return context.get("site_root", context["root"]) + path
    return (context["root"] + path) or "./"


SHARED_FOLDERS = ("assets/", "static/")  # one copy for every language, at the site root


def site_environment(theme: Theme) -> jinja2.Environment:
    """The theme's HTML environment with the site's helpers; compile once, reuse."""
    env = theme.environment(autoescape=True)
    env.auto_reload = False  # one environment per build: no need to stat templates per page
    env.filters["markdown"] = _markdown_filter()
    env.filters["lang"] = _in_own_language
    env.own(url=_url)
    return env


def base_path(view: PublicSite) -> str:
    """The path part of site.url ("/coalition/"), or "/" without a URL."""
    if not view.coalition.site_url:
        return "/"
    path = urlsplit(view.coalition.site_url).path or "/"
    return path if path.endswith("/") else path + "/"


class _TrackedSite:
    """The public view as a template sees it, noting which of its parts the page reads."""

    __slots__ = ("_view", "_read")

    def __init__(self, view: PublicSite, read: set[str]):
        self._view = view
        self._read = read

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._view, name)
        self._read.add(name)
        return value


def render_page(env: jinja2.Environment, view: PublicSite, page: PlannedPage, *, has_fonts: bool = False,
                read: set[str] | None = None, gettext: Any = None, loaded: set[str] | None = None,
                nav: Sequence[NavItem] | None = None) -> str:  # nav: navigation(view, gettext), made once
    """The HTML of one planned page; `read` collects the parts of `site` it used, `loaded` its templates."""
    absolute = page.path == "404.html"  # served at any depth: links are absolute paths
    root = base_path(view) if absolute else page.root
    site_url = view.coalition.site_url
    canonical = site_url + page.url if site_url and page.in_sitemap else None
    variables = {
        "site": view if read is None else _TrackedSite(view, read),
        "coalition": view.coalition,
        "page": page,
        "nav": navigation(view, gettext) if nav is None else list(nav),  # a page's own list
        "root": root,
        "site_root": base_path(view) if absolute else page.site_root,
        "canonical": canonical,
        "has_fonts": has_fonts,
        # The same page in every language: absolute for search engines when the site has a URL ...
        "alternates": [(code, (site_url + url) if site_url else page.site_root + url)
                       for code, url in page.alternates],
        # ... and relative for the language switcher, which works under any sub-path and from disk.
        "languages": [(code, _own_name(code), (page.site_root + url) or "./")
                      for code, url in page.alternates],
    }
    variables.update(page.context)
    if loaded is not None:
        env.loaded = loaded  # sandbox.Sandbox notes each template as it is loaded
    try:
        return env.get_template(page.template).render(variables)
    except jinja2.TemplateError as error:
        raise BuildError(f"{template_location(error)}: {error} (while rendering {page.path})") from error
    finally:
        if loaded is not None:
            env.loaded = None


# ---------------------------------------------------------------- the pages as outputs


@dataclass(frozen=True)
class SiteSource:
    """What a worker needs to render pages: the content folder, and a token naming this build's plan.

    A forked worker finds the plan (environment, view, pages) that the build
    made before the pool started; a worker started fresh (spawn) loads the
    content again, once.
    """

    token: str
    content_dir: str
    tool: str  # the tool's fingerprint, part of every page's key

    def state(self) -> "SiteState":
        return runner.once_per_process(("site", self.token), self._load)

    def _load(self):
        from coalition_docs.content.validate import load_coalition

        coalition = load_coalition(Path(self.content_dir))
        return _state(coalition, Theme(coalition.content_dir), self.tool)


@dataclass
class SiteState:
    """The site of one build in every language: environments, public views, pages."""

    envs: dict[str, jinja2.Environment]  # language -> the theme in that language
    views: dict[str, PublicSite]  # language -> public view, the primary first
    pages: dict[str, PlannedPage]  # path -> page
    has_fonts: bool
    gettexts: dict[str, Any]  # language -> the theme catalog's gettext (page titles, navigation)
    keys: dict[str, "PageKeys"]  # language -> how its pages' keys are made


def _state(coalition: model.Coalition, theme: Theme, tool: str) -> SiteState:
    from coalition_docs import i18n

    envs, views, gettexts = {}, {}, {}
    for code in coalition.languages or (coalition.language,):
        env = envs[code] = site_environment(theme)
        i18n.localize(env, theme, code)
        gettexts[code] = i18n.translations(theme, code).gettext  # read once: a label is a dictionary lookup
        views[code] = public_view(coalition, code, lambda text, words=gettexts[code]: words(text) if text else text)
    _, has_fonts = plan_assets(theme, coalition.content_dir, views[coalition.language].static_files)
    templates: dict[str, str] = {}  # a template's digest, shared by the languages
    keys = {code: PageKeys(envs[code], theme, views[code], has_fonts, tool, templates, gettexts[code])
            for code in views}
    for env in envs.values():
        _compile_site_templates(env)
    return SiteState(envs, views, {p.path: p for p in plan_languages(views, gettexts)}, has_fonts, gettexts, keys)


def _compile_site_templates(env: jinja2.Environment) -> None:
    """Load the theme's site templates once, before workers are forked, so that none loads them again.

    A template that does not compile is left for the page that uses it to report.
    """
    for name in env.list_templates(filter_func=lambda name: name.startswith("site/") and name.endswith(".html")):
        try:
            env.get_template(name)
        except (jinja2.TemplateError, OSError):
            pass


Rendered = tuple[str, tuple[str, ...], str, Scan]  # key, parts read, path in the site, links and ids


def _render(root: Path, path: str, source: SiteSource) -> Rendered:
    """Render and write one page (in a worker); return its key, the parts of `site` it read, its links.

    The key and the links are found here, beside the rendering, so that hashing
    and scanning a thousand pages is shared by the workers instead of falling
    on the build's process (which would read every page back from disk).
    """
    state = source.state()
    page = state.pages[path.removeprefix(SITE_FOLDER + "/")]
    read: set[str] = set()
    loaded: set[str] = set()
    keys = state.keys[page.language]  # and the navigation its key covers
    text = render_page(state.envs[page.language], state.views[page.language], page, has_fonts=state.has_fonts,
                       read=read, gettext=state.gettexts[page.language], loaded=loaded, nav=keys.nav)
    write_text(root, path, text)
    deps = tuple(sorted(read)) + tuple(sorted(TEMPLATE + name for name in loaded))
    return keys.key(page, deps), deps, page.path, scan_html(text)


# What a page's key is made of, beyond its own variables. A method of the view
# depends on the data it looks in.
_PART_OF = {"member": "members"}
TEMPLATE = "template:"  # a dependency on a template file, beside the parts of `site` read


class PageKeys:
    """The key of a page: a hash of everything its HTML is made from."""

    def __init__(self, env: jinja2.Environment, theme: Theme, view: PublicSite, has_fonts: bool, tool: str,
                 templates: dict[str, str] | None = None, gettext: Any = None):
        self.env, self.theme, self.view = env, theme, view
        self.memo: dict = {}  # pages share members, groups and terms: each is hashed once
        catalogs = [file_digest(p) for p in catalog_files(theme, env.globals.get("language", "en"))]
        self.nav = tuple(navigation(view, gettext))  # the main navigation of every page of the language
        self.common = digest_value(tool, view.coalition, self.nav, has_fonts,
                                   base_path(view), catalogs, memo=self.memo)
        self._parts: dict[str, str] = {}
        self._templates: dict[str, str] = templates if templates is not None else {}  # shared by languages

    def part(self, name: str) -> str:
        name = _PART_OF.get(name, name)
        if name not in self._parts:
            value = getattr(self.view, name, None)
            self._parts[name] = digest_value(self.view if callable(value) else value, memo=self.memo)
        return self._parts[name]

    def template(self, name: str) -> str:
        """A hash of one template file as the theme resolves it (an override wins)."""
        if name not in self._templates:
            self._templates[name] = file_digest(self.theme.find(name)) if self._exists(name) else "missing"
        return self._templates[name]

    def _exists(self, name: str) -> bool:
        try:
            self.theme.find(name)
        except FileNotFoundError:
            return False
        return True

    def key(self, page: PlannedPage, deps: Iterable[str]) -> str:
        """The page's key from what its last rendering used: parts of `site` and templates (TEMPLATE + name).

        The templates are those it loaded, so a computed include counts as what it
        named, and an edit of a template changes the pages made with it, no other.
        """
        reads, templates = [], {page.template}
        for dep in deps:
            if dep.startswith(TEMPLATE):
                templates.add(dep[len(TEMPLATE):])
            else:
                reads.append(dep)
        return digest_bytes(self.common, digest_value(page, memo=self.memo),
                            *(f"{t}:{self.template(t)}" for t in sorted(templates)),
                            *(f"{r}={self.part(r)}" for r in sorted(reads)))


@dataclass
class SitePlan:
    outputs: list[PlannedOutput]
    base: str  # the path of site.url, for the link check
    scans: dict[str, Scan] = field(default_factory=dict)  # page -> its links and ids, from its rendering

    def made(self, value: Rendered) -> tuple[str, tuple[str, ...]]:
        """A page's key and parts read, as its render returned them (its links are kept for the check)."""
        key, deps, page, scan = value
        self.scans[page] = scan
        return key, deps

    def check(self, root: Path) -> None:
        """Fail the build on a broken internal link of the site written into root."""
        prefix = SITE_FOLDER + "/"
        check_links(Path(root) / SITE_FOLDER, [o.path.removeprefix(prefix) for o in self.outputs], self.base,
                    self.scans)


def plan_outputs(coalition: model.Coalition, theme: Theme, outputs: OutputRecords) -> SitePlan:
    """Every file of the site as an output of the engine (`outputs` holds the previous build's records)."""
    state = _state(coalition, theme, outputs.tool)
    token = runner.hand_to_workers("site", state)  # what forked workers inherit
    source = SiteSource(token, str(coalition.content_dir), outputs.tool)
    view = state.views[coalition.language]
    planned, _ = plan_assets(theme, coalition.content_dir, view.static_files)
    plan = SitePlan(planned, base_path(view))
    for page in state.pages.values():
        path = f"{SITE_FOLDER}/{page.path}"
        old = outputs.record(path)
        planned.append(PlannedOutput(
            path, state.keys[page.language].key(page, old.deps) if old is not None else "", _render, (source,),
            cost=_cost(page), deps=tuple(old.deps) if old is not None else (), batch=SITE_FOLDER, rekey=plan.made,
            inherits=True))
    if coalition.meeting_list:  # meetings.ics in each language (the calendar code is loaded only then)
        from coalition_docs.launch.plan import site_calendars

        planned += site_calendars(coalition, theme, state.views, SITE_FOLDER)
    sitemap = sitemap_xml(view, state.pages.values())
    if sitemap is not None:
        planned.append(PlannedOutput(f"{SITE_FOLDER}/sitemap.xml", digest_bytes(sitemap), write_text, (sitemap,),
                                     cost=0.01, batch=SITE_FOLDER))
    return plan


def _cost(page: PlannedPage) -> float:
    """A page's rough work, in pages of one member: a directory costs a fifth of a page per entry it lists."""
    return 1.0 + 0.2 * sum(len(value) for value in page.context.values() if isinstance(value, (list, tuple)))


def build_site(coalition: model.Coalition, theme: Theme, dest: Path, outputs: OutputRecords | None = None,
               jobs: int | None = None) -> list[str]:
    """Write the public site alone into dest/site; return the written paths (inside site/), sorted.

    The build (phases.py) plans the site with the other stages instead;
    this is the site on its own, for tests and benchmarks.
    """
    outputs = outputs if outputs is not None else OutputRecords()
    site_dir = Path(dest) / SITE_FOLDER
    if site_dir.exists():
        shutil.rmtree(site_dir)
    plan = plan_outputs(coalition, theme, outputs)
    made = make(plan.outputs, outputs, Path(dest), label="pages", jobs=jobs)
    plan.check(Path(dest))
    return sorted(path.removeprefix(SITE_FOLDER + "/") for path in made)
