"""Links written in Markdown fields and pages: each must lead to a page or a static file the site has."""

from __future__ import annotations

from typing import Any

from coalition_docs.content.check import Checker
from coalition_docs.content.links import link_problem, links
from coalition_docs.content.load import Document
from coalition_docs.errors import Problem, field_path

# Markdown fields whose links the site renders: (file kind, path to the field, list key).
_MARKDOWN_FIELDS = {
    "coalition": [("mission",), ("working_groups", "*", "description"), ("agreement", "decisions")],
    "partner": [("summary",)],
    "roster": [("people", "*", "bio")],
    "statement": [("statement",)],
}


def check_links(run: Checker, coalition, roster, partners, statements, pages, static) -> None:
    page_names = [name for name, (loaded, _) in pages.items()
                  if loaded.value is not None and not loaded.value.draft]

    def check_text(document: Document, loc: tuple, text: Any, first_line: int | None = None,
                   base: str = "") -> None:
        if not isinstance(text, str) or ("](" not in text and "]:" not in text):
            return
        for offset, target in links(text):
            problem = link_problem(target, page_names, static, base)
            if problem is None:
                continue
            if first_line is not None:
                run.problems.append(Problem(document.path, first_line + offset, 1, problem))
            else:
                run.problems.append(document.problem(loc, f"{field_path(loc)}: {problem}"))

    def fields(loaded, kind: str) -> None:
        if loaded is None:
            return
        for path in _MARKDOWN_FIELDS[kind]:
            for loc, value in _expand(loaded.document.data, path):
                check_text(loaded.document, loc, value)

    fields(coalition, "coalition")
    fields(roster, "roster")
    for loaded in partners.values():
        fields(loaded, "partner")
    for loaded in statements.values():
        fields(loaded, "statement")
    for name, (loaded, page) in pages.items():
        check_text(loaded.document, (), page.body, page.body_line, base=f"{name}/")


def _expand(data: Any, path: tuple) -> list[tuple[tuple, Any]]:
    """The values at `path` in data ("*" for every item of a list), with their locations."""
    found = [((), data)]
    for part in path:
        step = []
        for loc, value in found:
            if part == "*":
                if isinstance(value, list):
                    step.extend((loc + (i,), item) for i, item in enumerate(value))
            elif isinstance(value, dict) and part in value:
                step.append((loc + (part,), value[part]))
        found = step
    return found
