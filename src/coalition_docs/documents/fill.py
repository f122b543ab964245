"""Filling the document templates with Jinja, before any layout.

A template that asks for a value the content lacks is a located content
problem: every missing value of every document is collected (a placeholder
stands in while the rest of the template is checked) and reported at once,
before any PDF is laid out. Each document is filled once per build; the HTML
is what its PDF is laid out from and part of its cache key.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import jinja2

from coalition_docs.documents.plan import DocumentPlan, Fields, PlannedDocument
from coalition_docs.errors import BuildError, ContentErrors, Problem
from coalition_docs.templating import Theme, template_location


class _MissingValue(jinja2.UndefinedError):
    def __init__(self, key: str, message: str):
        super().__init__(message)
        self.key = key


class _Undefined(jinja2.StrictUndefined):
    """StrictUndefined that says which value was missing ("contact.name")."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args, **kwargs):
        obj, name = self._undefined_obj, self._undefined_name
        if isinstance(obj, Fields):
            key = f"{obj._field_prefix}.{name}"
        elif obj is jinja2.utils.missing:
            key = str(name)
        else:
            key = f"{type(obj).__name__}.{name}"
        try:
            super()._fail_with_undefined_error(*args, **kwargs)
        except jinja2.UndefinedError as exc:
            raise _MissingValue(key, str(exc)) from None

    def __format__(self, spec: str) -> str:  # f"{value:%B}" in a filter
        return self._fail_with_undefined_error()


# Undefined binds every operator (str(), iteration, ==, +, ...) to the base
# class's failing method; point them at ours.
for _name, _value in [*vars(jinja2.Undefined).items(), *vars(jinja2.StrictUndefined).items()]:
    if _value is jinja2.Undefined._fail_with_undefined_error and _name != "_fail_with_undefined_error":
        setattr(_Undefined, _name, _Undefined._fail_with_undefined_error)
del _name, _value


def _finalize(value: Any) -> Any:
    # A None that reaches the output is a blank, never the word "None".
    return "" if value is None else value


def document_environment(theme: Theme, language: str | None = None) -> jinja2.Environment:
    """The documents' Jinja environment; with `language`, the theme's words and dates in it."""
    env = theme.environment(autoescape=True)
    env.undefined = _Undefined
    env.finalize = _finalize
    if language is not None:
        from coalition_docs import i18n

        i18n.localize(env, theme, language)
    return env


def render_html(env: jinja2.Environment, planned: PlannedDocument) -> tuple[str | None, list[Problem]]:
    """Fill the document's template; return the HTML, or None and every value it lacks."""
    template = env.get_template(planned.template)
    context = dict(planned.context)
    problems: list[Problem] = []
    seen: set[str] = set()
    while True:
        try:
            html = template.render(context)
        except _MissingValue as exc:
            need = planned.needs.get(exc.key)
            if need is None or exc.key in seen:
                where = template_location(exc, "")
                raise BuildError(
                    f"{where or planned.template}: the template asks for {exc.key}, which this "
                    f"document does not have ({exc})") from None
            if not seen:  # placeholders go into a copy; the plan stays as it was
                context = copy.deepcopy(context)
            seen.add(exc.key)
            problems.append(need.problem)
            _fill(context, exc.key, need.placeholder)
            continue
        except jinja2.TemplateError as exc:
            raise BuildError(f"{template_location(exc, planned.template)}: {exc}") from None
        return (None, problems) if problems else (html, [])


def _fill(context: dict[str, Any], key: str, placeholder: Any) -> None:
    """Put a placeholder where the missing value would be, to check the rest."""
    prefix, _, name = key.rpartition(".")
    if not prefix:
        context[key] = copy.deepcopy(placeholder)
        return
    head, _, index = prefix.partition("[")
    target = context[head]
    if index:
        target = target[int(index.rstrip("]"))]
    target[name] = copy.deepcopy(placeholder)



def check_documents(theme: Theme, plan: DocumentPlan, kept: Mapping[str, str] | None = None,
                    loaded: set[str] | None = None) -> dict[str, str]:
    """Every document's HTML, each in its language; raises ContentErrors with every value any letter lacks.

    `kept`: the HTML of documents filled from the same inputs before, by path (filled.py), used as it is;
    `loaded` is given the name of every template the filling looks up."""
    html: dict[str, str] = {}
    problems: list[Problem] = list(plan.problems)
    environments: dict[str, jinja2.Environment] = {}
    for planned in plan.documents:
        if kept and planned.path in kept:
            html[planned.path] = kept[planned.path]
            continue
        env = environments.get(planned.language)
        if env is None:
            env = environments[planned.language] = document_environment(theme, planned.language)
            if loaded is not None:
                env.loaded = loaded
        text, missing = render_html(env, planned)
        problems.extend(missing)
        if text is not None:
            html[planned.path] = text
    if problems:
        raise ContentErrors(problems)
    return html
