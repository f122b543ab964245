"""Pydantic's errors as located, human messages: what was expected, what was found, a did-you-mean."""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from coalition_docs.content import vocab
from coalition_docs.content.ids import ID_RULE, slugify
from coalition_docs.content.load import Document
from coalition_docs.errors import Problem, describe, did_you_mean, field_path


def _unwrap(annotation: Any) -> Any:
    """Strip Optional / Annotated down to the type that matters."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def _model_at(model_cls: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that holds the mapping at `loc`, if any."""
    current: Any = model_cls
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
        while typing.get_origin(current) in (list, tuple):
            current = _unwrap(typing.get_args(current)[0])
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _expected_for(model_cls: type[BaseModel], loc: tuple) -> str:
    owner = _model_at(model_cls, loc[:-1])
    info = owner.model_fields.get(loc[-1]) if owner else None
    if info is None:
        return "a value"
    annotation = _unwrap(info.annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return "one of " + ", ".join(typing.get_args(annotation))
    if typing.get_origin(annotation) is list:
        return "a list"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a map of fields"
    if loc[-1] in ("id", "convener", "project_manager", "lead", "sender"):
        return ID_RULE
    return "text"


_EXPECTED_BY_TYPE = {
    "string_type": "text",
    "string_too_short": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "date_type": "a date such as 2027-01-15",
    "date_parsing": "a date such as 2027-01-15",
    "date_from_datetime_parsing": "a date such as 2027-01-15",
    "date_from_datetime_inexact": "a date without a time, such as 2027-01-15",
    "list_type": "a list",
    "dict_type": "a map of fields",
    "model_type": "a map of fields",
    "model_attributes_type": "a map of fields",
}


def _not_one_line(text: Any) -> str:
    """What a one-line field holds that it must not: the first line break, tab or control character."""
    from coalition_docs.content.fields import NOT_ONE_LINE

    bad = NOT_ONE_LINE.search(str(text))
    char = bad.group() if bad else "\n"
    found = ("a line break" if char in "\n\r\x85\u2028\u2029\x0b\x0c" else "a tab" if char == "\t"
             else f"control character U+{ord(char):04X}")
    return f"this field prints on one line (expected one line of text, found {found})"


def _control(text: Any) -> str:
    """What a text of several lines holds that it must not: a control character other than a line feed or tab."""
    from coalition_docs.content.fields import NOT_MULTI_LINE

    bad = NOT_MULTI_LINE.search(str(text))
    code = ord(bad.group()) if bad else 0
    return (f"control character U+{code:04X} in the text (expected text, line breaks and tabs; "
            f"{'write a line break as a new line' if code in (0x0D, 0x85) else 'remove the escape'})")


def schema_problems(document: Document, model_cls: type[BaseModel], error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        if any(loc[:n] in document.invalid for n in range(len(loc) + 1)):
            continue  # already reported by the loader
        problems.append(translate(document, model_cls, item))
    return problems


def translate(document: Document, model_cls: type[BaseModel], item: dict) -> Problem:
    kind, found = item["type"], item.get("input")
    loc = tuple(item["loc"])
    field_name = field_path(loc)
    prefix = f"{field_name}: " if field_name else ""
    if kind == "extra_forbidden":
        owner = _model_at(model_cls, loc[:-1])
        known = list(owner.model_fields) if owner else []
        where = field_path(loc[:-1])
        return document.problem(
            loc,
            f"unknown field '{loc[-1]}'" + (f" in {where}" if where else "")
            + f" (expected one of {', '.join(known)})",
            did_you_mean(str(loc[-1]), known),
            prefer_key=True,
        )
    if kind == "missing":
        return document.problem(
            loc[:-1],
            f"{prefix}required field is missing (expected {_expected_for(model_cls, loc)}, found nothing)",
        )
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", item.get("ctx", {}).get("expected", ""))
        return document.problem(
            loc,
            f"{prefix}unknown value (expected one of {', '.join(allowed)}, found {describe(found)})",
            did_you_mean(found, allowed),
        )
    if kind == "string_pattern_mismatch":
        pattern = item.get("ctx", {}).get("pattern")
        if pattern == vocab.ID_PATTERN:
            hint = None
            if isinstance(found, str) and slugify(found) and slugify(found) != found:
                hint = f"did you mean '{slugify(found)}'?"
            return document.problem(loc, f"{prefix}not a valid id (expected {ID_RULE}, found {describe(found)})", hint)
        return document.problem(
            loc, f"{prefix}not a valid language code (expected a code such as en or es-MX, found {describe(found)})"
        )
    if kind == "one_line":
        return document.problem(loc, f"{prefix}{_not_one_line(found)}")
    if kind == "multi_line":
        return document.problem(loc, f"{prefix}{_control(found)}")
    if kind == "translation":  # one text of a translatable field's map
        ctx = item.get("ctx", {})
        where = (*loc, ctx.get("key"))
        what = _EXPECTED_BY_TYPE.get(ctx.get("kind"), "text")
        text = ctx.get("found")
        if ctx.get("kind") == "one_line":
            return document.problem(where, f"{field_path(where)}: {_not_one_line(text)}")
        if ctx.get("kind") == "multi_line":
            return document.problem(where, f"{field_path(where)}: {_control(text)}")
        if ctx.get("kind") == "string_too_short":
            return document.problem(where, f"{field_path(where)}: must not be empty (expected text, found an empty string)")
        return document.problem(where, f"{field_path(where)}: not text (expected {what}, found {describe(text)})")
    if kind == "translations_empty":
        return document.problem(loc, f"{prefix}no text (expected text, or a map of language codes to texts such as "
                                "{en: ..., es: ...}, found an empty map)")
    if kind == "value_error":
        what = str(item.get("ctx", {}).get("error", ""))
        expected = {"url": "an http:// or https:// address", "email": "an email address such as name@example.org"}
        return document.problem(
            loc, f"{prefix}not a valid {'web address' if what == 'url' else what} "
            f"(expected {expected.get(what, 'a valid value')}, found {describe(found)})"
        )
    if kind == "string_too_short":
        return document.problem(loc, f"{prefix}must not be empty (expected text, found an empty string)")
    if kind == "meeting_value":  # v1.2 times, minutes, time zone: the message says expected and found
        return document.problem(loc, f"{prefix}{item['msg']}")
    if kind == "too_short":
        return document.problem(loc, f"{prefix}no items (expected at least one, found an empty list)")
    expected = _EXPECTED_BY_TYPE.get(kind)
    if expected is None:
        return document.problem(loc, f"{prefix}{item['msg']} (found {describe(found)})")
    hint = None
    if expected == "text" and isinstance(found, (bool, dt.date)):
        hint = "put the value in quotes to keep it as text, e.g. \"yes\""
    elif expected == "true or false" and str(found).lower() in ("yes", "no", "on", "off", "y", "n", "1", "0"):
        hint = "write true or false (YAML's yes/no/on/off are read as text here)"
    elif expected == "text" and isinstance(found, (list, dict)):
        hint = "put the value in quotes if it holds ': ', '[' or '{'"
    return document.problem(loc, f"{prefix}wrong kind of value (expected {expected}, found {describe(found)})", hint)
