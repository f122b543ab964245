"""The site as a stage of the build (stage.py's protocol): its pages, its assets, its link check.

Planning the site decides every page it makes, so this is also where a link
written in Markdown to a page under a folder of the site (`members/<id>/`,
`working-groups/<id>/`) is checked against the pages that will exist: `check`
reports a wrong id at its place in the Markdown, as `build` would refuse it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from coalition_docs.content import model
from coalition_docs.content.links import links, site_path
from coalition_docs.engine.manifest import OutputRecords
from coalition_docs.errors import ContentErrors, Problem, did_you_mean
from coalition_docs.site.plan import SITE_FOLDER
from coalition_docs.site.render import plan_outputs
from coalition_docs.stage import Plan
from coalition_docs.templating import Theme


class SiteStage:
    name = "site"
    folders = (SITE_FOLDER,)
    label = "pages"

    def warm_up(self, content: Path, theme: Theme) -> None:
        return None  # pages render in the build's process and in workers forked after the plan

    def plan(self, coalition: model.Coalition, theme: Theme, records: OutputRecords) -> Plan:
        site = plan_outputs(coalition, theme, records)
        problems = page_link_problems(coalition, [o.path.removeprefix(SITE_FOLDER + "/") for o in site.outputs])
        if problems:
            raise ContentErrors(problems)
        return Plan(site.outputs, [site.check])


def _markdown(coalition: model.Coalition) -> Iterator[tuple[Callable[[], model.Source], str | None, str | None, str,
                                                                int | None]]:
    """Every Markdown text the site shows: (where, its field or None for a page, the text, the folder its
    links start from, a page's first line of text). Where is asked only of a text with a wrong link: a
    record's positions are made on first use."""
    yield partial(coalition.position, "mission"), "mission", coalition.mission, "", None
    for index, group in enumerate(coalition.working_groups):
        yield (partial(coalition.position, f"working_groups.{index}.description"),
               f"working_groups[{index}].description", group.description, "", None)
    for partner in coalition.partners:
        yield partial(partner.position, "summary"), "summary", partner.summary, "", None
    for person in coalition.people:
        yield partial(getattr, person, "source"), "bio", person.bio, "", None
    for statement in coalition.statements:
        yield partial(getattr, statement, "source"), "statement", statement.statement, "", None
    for page in coalition.pages:
        if not page.draft:
            yield partial(getattr, page, "source"), None, page.body, f"{page.name}/", page.body_line


def page_link_problems(coalition: model.Coalition, pages: Iterable[str]) -> list[Problem]:
    """A located problem for each Markdown link to a page below a folder of the site that the site does not make.

    `pages` are the site's planned files ("members/harbor/index.html"). Links to static/ and to
    names no site has were checked with the content (content/links.py); here a link to a page of
    the site's own that this coalition has none of (`statements/` without a public statement) too.
    """
    made = set(pages)
    top = {p.split("/", 1)[0].removesuffix(".html") for p in made}  # "members", "about", "404", "sitemap.xml"
    sections = sorted({p.split("/", 1)[0] for p in made if p.count("/") == 1 and p.endswith("/index.html")})
    problems = []
    for located, name, text, base, first_line in _markdown(coalition):
        if not isinstance(text, str) or "](" not in text and "]:" not in text:
            continue
        for offset, target in links(text):
            path = site_path(target, base)
            if path is None:
                continue
            folder, _, rest = path.removesuffix("index.html").strip("/").partition("/")
            if not folder or folder == "static" or path in made or f"{path.rstrip('/')}/index.html" in made:
                continue
            if not rest:  # a page of the site's own that this coalition has none of (no public statement)
                if folder.removesuffix(".html") in top:
                    continue
                message = (f"link '{target}' points at a page the site does not have (expected one of "
                           f"{', '.join(sections)}, found '{folder}')")
                hint = did_you_mean(folder, sections)
            else:
                siblings = sorted({p.removesuffix("index.html") for p in made
                                   if p.startswith(f"{folder}/") and p.count("/") == 2})
                message = (f"link '{target}' points at a page the site does not have (expected one of the pages "
                           f"under {folder}/, found '{path}')")
                hint = did_you_mean(path, siblings) if siblings else None
            where = located()
            if first_line is not None:
                problems.append(Problem(where.path, first_line + offset, 1, message, hint))
            else:
                problems.append(Problem(where.path, where.line, where.column, f"{name}: {message}", hint))
    return problems
