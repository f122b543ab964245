"""Which pages the site has: each with its output path, its template and its own variables.

Every link is relative: a page at `members/harbor/index.html` reaches the home
page as `../../`, so the folder works under any sub-path of a host. Links use
clean URLs (`members/harbor/`); `site.js` adds `index.html` to them when the
site is opened from disk. The 404 page is the exception: a host serves it at
whatever depth the missing URL had, so its links are absolute paths built from
the path of `site.url`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from coalition_docs.content import vocab
from coalition_docs.errors import BuildError
from coalition_docs.site import views
from coalition_docs.site.public import PublicSite

SITE_FOLDER = "site"

RESERVED_NAMES = vocab.RESERVED_PAGE_NAMES

# A Markdown page with one of these names becomes the home page's call to action.
CALL_TO_ACTION_PAGES = ("get-involved", "join", "join-us", "participate", "contact")


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
    language: str = "en"
    prefix: str = ""  # the language's folder: "" for the primary language, "es/" for Spanish
    alternates: tuple[tuple[str, str], ...] = ()  # (language, URL from the site root) of this page in each

    @property
    def url(self) -> str:
        """The clean URL relative to the site root: "", "members/", "es/members/harbor/"."""
        return self.path.removesuffix("index.html")

    @property
    def site_root(self) -> str:
        """The relative prefix from this page back to the site root (where assets/ and static/ are)."""
        return "../" * self.path.count("/")

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the root of its language's pages."""
        return "../" * (self.path.count("/") - self.prefix.count("/"))


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str  # relative to the site root
    section: str


# ---------------------------------------------------------------- planning


def plan_languages(views: Mapping[str, PublicSite], gettext: Mapping[str, Any] | None = None) -> list[PlannedPage]:
    """Every page of every language: the primary language at the root, each other under LANG/.

    `views` maps each language to its public view (the primary first); each
    page lists the same page in every language (hreflang alternates). There is
    one 404 page, the primary language's.
    """
    primary = next(iter(views))
    prefixes = {code: "" if code == primary else f"{code}/" for code in views}
    planned = {code: plan_site(view, (gettext or {}).get(code)) for code, view in views.items()}
    paths = {code: {page.path for page in pages} for code, pages in planned.items()}
    pages = []
    for code, own in planned.items():
        for page in own:
            if page.path == "404.html" and code != primary:
                continue
            alternates = () if len(views) == 1 or page.path == "404.html" else tuple(
                (other, prefixes[other] + page.url) for other in views if page.path in paths[other])
            pages.append(replace(page, path=prefixes[code] + page.path, language=code, prefix=prefixes[code],
                                 alternates=alternates))
    return pages


def plan_site(view: PublicSite, gettext: Any = None) -> list[PlannedPage]:
    """Every page of the site in the view's language, in navigation order, each with its own variables."""
    _ = gettext or (lambda text: text)
    coalition = view.coalition
    for page in view.pages:
        if page.name in RESERVED_NAMES:
            raise BuildError(
                f"pages/{page.name}.md: the name '{page.name}' is used by the site itself; "
                "rename the file (reserved: " + ", ".join(sorted(RESERVED_NAMES)) + ")"
            )

    def page(path: str, template: str, title: str, section: str, context: Mapping[str, Any] | None = None,
             **options: Any) -> PlannedPage:
        return PlannedPage(path, f"site/{template}.html", title, section, context or {}, **options)

    pages = [
        page("index.html", "home", coalition.name, "home",
             {"stats": views.stats(view), "call_to_action": _call_to_action(view)}),
        page("structure/index.html", "structure", _("How we are organized"), "structure", views.structure(view)),
        page("members/index.html", "members", _("Members"), "members", views.directory(view)),
    ]
    pages += [page(f"members/{member.id}/index.html", "member", str(member.name), "members",
                   {"member": member, "groups": views.groups_of(view, member.people)})
              for member in view.members]
    pages.append(page("people/index.html", "people", _("People"), "people",
                      {"sections": views.people_sections(view)}))
    if view.working_groups:
        pages.append(page("working-groups/index.html", "working-groups", _("Working groups"), "working-groups",
                          {"groups": view.working_groups}))
        pages += [page(f"working-groups/{group.id}/index.html", "working-group", str(group.name), "working-groups",
                       {"group": group, "related_members": views.related_members(view, group)})
                  for group in view.working_groups]
    if view.statements:
        pages.append(page("statements/index.html", "statements", _("Positionality statements"), "statements",
                          {"statements": view.statements}))
    if view.meetings:
        pages.append(page("meetings/index.html", "meetings", _("Meetings"), "meetings", views.meetings(view)))
    pages.append(page("coverage/index.html", "coverage", _("What our members cover"), "coverage",
                      {"coverage": views.coverage(view)}))
    pages += [page(f"{p.name}/index.html", "page", str(p.title), p.name, {"markdown_page": p},
                   description=p.description)
              for p in view.pages]
    pages.append(page("404.html", "404", _("Page not found"), "", in_sitemap=False))
    return pages


def navigation(view: PublicSite, gettext: Any = None) -> list[NavItem]:
    """The main navigation: the site's own sections, then the Markdown pages."""
    _ = gettext or (lambda text: text)
    items = [NavItem(_("Members"), "members/", "members"), NavItem(_("People"), "people/", "people")]
    items.append(NavItem(_("Structure"), "structure/", "structure"))
    if view.working_groups:
        items.append(NavItem(_("Working groups"), "working-groups/", "working-groups"))
    if view.statements:
        items.append(NavItem(_("Statements"), "statements/", "statements"))
    if view.meetings:
        items.append(NavItem(_("Meetings"), "meetings/", "meetings"))
    items.append(NavItem(_("Coverage"), "coverage/", "coverage"))
    # A page's own title as the view has it: a text shown untranslated keeps its language (the `lang` filter).
    items.extend(NavItem(p.title, f"{p.name}/", p.name) for p in view.pages)
    return items




def _call_to_action(view: PublicSite) -> NavItem | None:
    by_name = {p.name: p for p in view.pages}
    for name in CALL_TO_ACTION_PAGES:
        if name in by_name:
            return NavItem(by_name[name].title, f"{name}/", name)
    return None
