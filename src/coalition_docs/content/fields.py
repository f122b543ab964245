"""The building blocks of every file schema: ids, texts, one-line texts, translatable texts, addresses.

schema.py (the content files) and meetings_schema.py (meetings/ID.yaml) declare their
fields with these, so that each kind of value is checked, and exported to JSON Schema,
the same way everywhere.
"""

from __future__ import annotations

import re
import typing
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (AfterValidator, ValidationError, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema,
                      WrapValidator)

from pydantic_core import PydanticCustomError

from coalition_docs.content import vocab
from coalition_docs.content.marks import PUBLIC, TRANSLATABLE, Refers, Terms, Translations, _PublicMark  # noqa: F401

# Every text field is one of two kinds, declared here once:
# - one line (a name, a title, an e-mail address, a phone number: what prints on one line): no line
#   break (the YAML escapes \n, \r, \x85, \u2028 and \u2029 too), tab or other control character,
#   which would split it, or reach an e-mail header or an envelope;
# - several lines (an address, a summary, a statement): line feeds and tabs, no other control character
#   (a carriage return or NEL can only come from an escape: YAML makes every line break of a file a line feed).
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]*$"
NOT_MULTI_LINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _one_line(value: str) -> str:
    if NOT_ONE_LINE.search(value):
        raise PydanticCustomError("one_line", "not one line")
    return value


def _multi_line(value: str) -> str:
    if NOT_MULTI_LINE.search(value):
        raise PydanticCustomError("multi_line", "a control character")
    return value


Id = Annotated[str, StringConstraints(pattern=vocab.ID_PATTERN)]
MultiLine = Annotated[str, AfterValidator(_multi_line)]
Text = Annotated[str, StringConstraints(min_length=1), AfterValidator(_multi_line)]


# Every field that prints on one line is declared with one of these (a required one: OneLineText; translatable: TOneLine, TOneLineText).
OneLine = Annotated[str, AfterValidator(_one_line), Field(json_schema_extra={"pattern": ONE_LINE_PATTERN})]
OneLineText = Annotated[str, StringConstraints(min_length=1), AfterValidator(_one_line),
                 Field(json_schema_extra={"pattern": ONE_LINE_PATTERN})]
Language = Annotated[str, StringConstraints(pattern=vocab.LANGUAGE_PATTERN)]


T = TypeVar("T")
Public = Annotated[T, PUBLIC]  # Public[OneLineText]: the field reaches the site


def is_public(info: Any) -> bool:
    """Whether a pydantic field (model_fields value) is marked public (Public[...])."""
    return marks(info, _PublicMark) is not None


def is_translatable(info: Any) -> bool:
    """Whether a pydantic field (model_fields value) is translatable, optional or not."""
    if TRANSLATABLE in info.metadata:
        return True
    return any(TRANSLATABLE in getattr(arg, "__metadata__", ()) for arg in typing.get_args(info.annotation))


def _translatable(value: Any, handler: Any) -> Any:
    """A string in the primary language, or a map of language code to string: each text checked as text."""
    if not isinstance(value, dict):
        return handler(value)
    if not value:
        raise PydanticCustomError("translations_empty", "an empty map")
    texts = Translations()
    for key, text in value.items():
        try:
            texts[str(key)] = handler(text)
        except ValidationError as exc:
            kind = exc.errors()[0]["type"]
            raise PydanticCustomError("translation", "{key}", {"key": str(key), "kind": kind, "found": text}) from None
    return texts


def _translatable_schema(required: bool, one_line: bool = False) -> dict:
    text: dict = {"type": "string", "minLength": 1} if required else {"type": "string"}
    if one_line:
        text["pattern"] = ONE_LINE_PATTERN
    return {"anyOf": [text, {"type": "object", "propertyNames": {"pattern": vocab.LANGUAGE_PATTERN},
                             "additionalProperties": text, "minProperties": 1}],
            "description": "v1.1 translatable: text in the primary language, or a map of language code to text"}


# Translatable fields (content-format v1.1, "Languages"): TText when required, TStr when optional.
TText = Annotated[Text, WrapValidator(_translatable), WithJsonSchema(_translatable_schema(True)), TRANSLATABLE]
TStr = Annotated[MultiLine, WrapValidator(_translatable), WithJsonSchema(_translatable_schema(False)), TRANSLATABLE]
TOneLineText = Annotated[Annotated[str, StringConstraints(min_length=1), AfterValidator(_one_line)],
                  WrapValidator(_translatable), WithJsonSchema(_translatable_schema(True, True)), TRANSLATABLE]
TOneLine = Annotated[Annotated[str, AfterValidator(_one_line)], WrapValidator(_translatable),
                     WithJsonSchema(_translatable_schema(False, True)), TRANSLATABLE]


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")  # \s is str.isspace(): Unicode spaces too


def _http_url(value: str) -> str:
    """An http(s) address that every later step can parse: host present, port valid, no spaces."""
    from urllib.parse import urlsplit

    if _SPACE_OR_CONTROL.search(value):
        raise ValueError("url")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        raise ValueError("url") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or "://" not in value:
        raise ValueError("url")
    return value


def _email(value: str) -> str:
    local, at, domain = value.partition("@")
    if not at or not local or "." not in domain or " " in value:
        raise ValueError("email")
    return value


Url = Annotated[str, AfterValidator(_http_url), Field(json_schema_extra={"format": "uri", "pattern": "^https?://"})]
Email = Annotated[str, AfterValidator(_one_line), AfterValidator(_email), Field(json_schema_extra={"format": "email"})]


PartnerId = Annotated[Id, Refers("partner")]
PersonId = Annotated[Id, Refers("person")]
WorkingGroupId = Annotated[Id, Refers("working_group")]


def _term_ids(kind: str, table: dict) -> Any:
    """A list of ids of the vocabulary `kind`, open to the coalition's own extra ids."""
    return Annotated[list[Id], Terms(kind), Field(json_schema_extra={
        "items": {"anyOf": [{"enum": list(table)}, {"type": "string", "pattern": vocab.ID_PATTERN}]}})]


PopulationIds = _term_ids("populations", vocab.POPULATIONS)
AreaIds = _term_ids("areas", vocab.AREAS)
AssetIds = _term_ids("assets", vocab.ASSETS)


def vocab_ids(what: str) -> Any:
    """The default and description of a list of vocabulary ids (PopulationIds, AreaIds, AssetIds)."""
    return Field(default_factory=list, description=f"{what}: ids from the fixed vocabulary or coalition.yaml "
                 "extra_vocabulary")


def marks(info: Any, kind: type) -> Any:
    """The mark of class `kind` on a pydantic field (a model_fields value) or on what it holds (an optional
    value, the items of a list), else None."""
    found = [*info.metadata]
    inner = [*typing.get_args(info.annotation)]
    while inner:
        arg = inner.pop()
        found += getattr(arg, "__metadata__", ())
        inner += typing.get_args(arg)
    return next((mark for mark in found if isinstance(mark, kind)), None)


def literal_of(table: dict) -> Any:
    return Literal[tuple(table)]  # type: ignore[valid-type]


class Strict(BaseModel):
    # Each model's validator is made when it is first used, not when the module is imported: a build
    # makes only those of the files it reads (the schemas import in about half the time).
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True, defer_build=True)

