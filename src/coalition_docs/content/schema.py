"""The declared schema of every content file, and its JSON Schema export.

One pydantic model per file kind, exactly as the content format lists the
fields, plus the optional additions this project documents in
docs/content-format.md (marked "addition" below). Unknown fields are refused
(`extra="forbid"`), so a typo is an error with a "did you mean", never
silently ignored. Fixed
vocabularies are Literals; the three a coalition may extend (populations,
areas, assets) are ids here and checked against the merged vocabulary in
validate.py, where coalition.yaml's extra_vocabulary is known.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, ValidationError, BaseModel, ConfigDict, Field, StrictBool, StringConstraints, WithJsonSchema,
                      WrapValidator)

from pydantic_core import PydanticCustomError

from coalition_docs.content import vocab

Id = Annotated[str, StringConstraints(pattern=vocab.ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]

# A line break (the YAML escapes \n, \r, \x85, \u2028 and \u2029 too), a tab or any other control character.
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
ONE_LINE_PATTERN = "^[^\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029]*$"


def _one_line(value: str) -> str:
    """A text that prints on one line (a name, a title, an e-mail address, a phone number): no line break,
    tab or control character, which would split it, or reach an e-mail header or an envelope."""
    if NOT_ONE_LINE.search(value):
        raise PydanticCustomError("one_line", "not one line")
    return value


# Every field that prints on one line is declared with one of these (a required one: OneLineText; translatable: TOneLine, TOneLineText).
OneLine = Annotated[str, AfterValidator(_one_line), Field(json_schema_extra={"pattern": ONE_LINE_PATTERN})]
OneLineText = Annotated[str, StringConstraints(min_length=1), AfterValidator(_one_line),
                 Field(json_schema_extra={"pattern": ONE_LINE_PATTERN})]
Language = Annotated[str, StringConstraints(pattern=vocab.LANGUAGE_PATTERN)]


class Translations(dict):
    """A translatable field written as a map of language code to text (content-format v1.1)."""


class _TranslatableMark:
    """Marks a translatable field; languages.py finds every one through it."""

    def __repr__(self) -> str:
        return "translatable"


TRANSLATABLE = _TranslatableMark()


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
TStr = Annotated[str, WrapValidator(_translatable), WithJsonSchema(_translatable_schema(False)), TRANSLATABLE]
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


def _vocab_ids(table: dict | Any, what: str) -> Any:
    """A list of ids from `table`, open to the coalition's own extra ids."""
    return Field(
        default_factory=list,
        description=f"{what}: ids from the fixed vocabulary or coalition.yaml extra_vocabulary",
        json_schema_extra={
            "items": {"anyOf": [{"enum": list(table)}, {"type": "string", "pattern": vocab.ID_PATTERN}]}
        },
    )


def _literal(table: dict) -> Any:
    return Literal[tuple(table)]  # type: ignore[valid-type]


OrganizationType = _literal(vocab.ORGANIZATION_TYPES)
Relationship = _literal(vocab.RELATIONSHIPS)
Stage = _literal(vocab.STAGES)
Response = _literal(vocab.RESPONSES)
DecisionModel = _literal(vocab.DECISION_MODELS)
ManagementRole = _literal(vocab.MANAGEMENT_ROLES)
StatementKind = _literal(vocab.STATEMENT_KINDS)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


# -- coalition.yaml ----------------------------------------------------------


class SiteSettings(Strict):
    url: Url | None = Field(None, description="The public base URL; may carry a sub-path")
    language: Language = "en"
    languages: list[Language] = Field(
        default_factory=list, description="v1.1: more languages the site and letters are published in, e.g. [es, vi]")


class Needs(Strict):
    populations: list[Id] = _vocab_ids(vocab.POPULATIONS, "Worksheet part 1, question 1")
    areas: list[Id] = _vocab_ids(vocab.AREAS, "Worksheet part 1, question 2")
    assets: list[Id] = _vocab_ids(vocab.ASSETS, "Worksheet part 1, question 3")


class DataPointEntry(Strict):
    text: TText
    source: TOneLine | None = None


class InvitationDefaults(Strict):
    what_is_different: TStr | None = None
    resources_offered: TStr | None = None
    power_sharing: TStr | None = None
    respond_by: dt.date | None = None
    date: dt.date | None = Field(None, description="v1.1: the date printed on letters that have no sent date")


class PrintSettings(Strict):
    """v1.1: how the documents are printed."""

    paper: Literal["letter", "a4"] = Field(
        "letter", description="The page size of every PDF: US letter (8.5 x 11 in) or A4 (210 x 297 mm); "
        "envelopes are No. 10 on letter, DL on A4; labels Avery 5160 on letter, L7160 on A4")
    duplex: StrictBool = Field(
        False, description="Double-sided printing: every letter in letters.pdf starts on a right-hand page")


class WorkingGroupEntry(Strict):
    id: Id
    name: TOneLineText
    description: TStr | None = None
    lead: Id | None = None
    areas: list[Id] = _vocab_ids(vocab.AREAS, "Areas the group works on")
    meets: TOneLine | None = None


class MeetingsEntry(Strict):
    management_team: TStr | None = None
    working_groups: TStr | None = None
    champions: TStr | None = None


class ExtraVocabulary(Strict):
    populations: dict[Id, OneLineText] = Field(default_factory=dict)
    areas: dict[Id, OneLineText] = Field(default_factory=dict)
    assets: dict[Id, OneLineText] = Field(default_factory=dict)


class CoalitionFile(Strict):
    """coalition.yaml: the coalition itself."""

    name: TOneLineText
    community: OneLineText
    convener: Id = Field(description="Partner id of the convening (backbone) organization")
    project_manager: Id = Field(description="Person id, introduced in every invitation letter")
    decision_model: DecisionModel | None = None
    mission: TText
    site: SiteSettings = Field(default_factory=SiteSettings)
    needs: Needs = Field(default_factory=Needs)
    data_points: list[DataPointEntry] = Field(default_factory=list)
    invitation: InvitationDefaults = Field(default_factory=InvitationDefaults)
    print: PrintSettings = Field(default_factory=PrintSettings)
    working_groups: list[WorkingGroupEntry] = Field(default_factory=list)
    meetings: MeetingsEntry = Field(default_factory=MeetingsEntry)
    extra_vocabulary: ExtraVocabulary = Field(default_factory=ExtraVocabulary)


# -- partners/ID.yaml --------------------------------------------------------


class ContactEntry(Strict):
    name: OneLine | None = None
    title: OneLine | None = None
    email: Email | None = None
    phone: OneLine | None = None
    address: str | None = None


class PartnerInvitation(Strict):
    sender: Id | None = None
    rationale: TStr | None = None
    resources_offered: TStr | None = None
    power_sharing: TStr | None = None
    what_is_different: TStr | None = None
    sent: dt.date | None = None
    response: Response | None = None


class PartnerFile(Strict):
    """partners/ID.yaml: one organization of the inventory."""

    name: OneLineText
    type: OrganizationType
    relationship: Relationship
    stage: Stage = "inventory"
    website: Url | None = None
    summary: TStr | None = None
    populations: list[Id] = _vocab_ids(vocab.POPULATIONS, "Target populations served")
    domains: list[Id] = _vocab_ids(vocab.AREAS, "Domains of work")
    assets: list[Id] = _vocab_ids(vocab.ASSETS, "Assets")
    asset_notes: str | None = None
    aligned_initiatives: str | None = None
    motivations: str | None = None
    roles: str | None = None
    considerations: str | None = None
    contact: ContactEntry | None = None
    invitation: PartnerInvitation | None = None
    language: Language | None = Field(
        None, description="v1.1: the language of this partner's letter: the primary language or one of "
        "site.languages (default: the primary language)")


# -- roster.yaml -------------------------------------------------------------


class PersonEntry(Strict):
    id: Id
    name: OneLineText
    organization: Id | None = None
    title: TOneLine | None = None
    pronouns: OneLine | None = None
    bio: TStr | None = None
    community_member: StrictBool = False
    compensated: StrictBool = False
    roles: list[ManagementRole] = Field(default_factory=list)
    working_groups: list[Id] = Field(default_factory=list)
    champion: StrictBool = False
    email: Email | None = None
    phone: OneLine | None = None
    public: StrictBool = False


class RosterFile(Strict):
    """roster.yaml: the people who serve on the coalition."""

    people: list[PersonEntry] = Field(default_factory=list)


# -- positionality/ID.yaml ---------------------------------------------------


class ReflectionEntry(Strict):
    prompt: OneLineText
    answer: Text


class StatementFile(Strict):
    """positionality/ID.yaml: one positionality statement."""

    kind: StatementKind
    author: OneLineText = Field(description="Person id (individual), partner id (institutional) or free text (team)")
    title: TOneLine | None = None
    identities: dict[str, OneLine] = Field(default_factory=dict)
    reflections: list[ReflectionEntry] = Field(default_factory=list)
    statement: TText
    public: StrictBool = False


# -- pages/NAME.md front matter ----------------------------------------------


class PageFrontMatter(Strict):
    """The YAML front matter of pages/NAME.md."""

    title: OneLineText
    order: int | None = None
    draft: StrictBool = False
    description: OneLine | None = Field(None, description="addition: a one-line summary for search engines")


FILE_SCHEMAS: dict[str, type[Strict]] = {
    "coalition": CoalitionFile,
    "partner": PartnerFile,
    "roster": RosterFile,
    "positionality": StatementFile,
    "page": PageFrontMatter,
}

# Which files each schema applies to, for editors' YAML language servers.
FILE_GLOBS: dict[str, str] = {
    "coalition": "coalition.yaml",
    "partner": "partners/*.yaml",
    "roster": "roster.yaml",
    "positionality": "positionality/*.yaml",
}


def json_schema(kind: str) -> dict[str, Any]:
    model = FILE_SCHEMAS[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"coalition-docs/{kind}.schema.json"
    return schema


def json_schema_text(kind: str, *, signed: bool = False) -> str:
    schema = json_schema(kind)
    if signed:  # a file written by `schema --out` says so, so that it may be replaced next time
        schema = {"$comment": "Written by coalition-docs; `coalition-docs schema --out` writes it again.",
                  **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
