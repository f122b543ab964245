"""The declared schema of every content file, and its JSON Schema export.

One pydantic model per file kind, exactly as the content format lists the
fields, plus the optional additions this project documents in
docs/content-format.md (marked "addition" below). Unknown fields are refused
(`extra="forbid"`), so a typo is an error with a "did you mean", never
silently ignored. Fixed
vocabularies are Literals; the three a coalition may extend (populations,
areas, assets) are ids here and checked against the merged vocabulary in
validate.py, where coalition.yaml's extra_vocabulary is known. The kinds of
value (ids, one-line and translatable texts, addresses) are declared in
fields.py, and meetings/ID.yaml in meetings_schema.py.
"""


from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool

from coalition_docs.content import vocab
from coalition_docs.content.fields import (NOT_MULTI_LINE, TRANSLATABLE, AreaIds, AssetIds,  # noqa: F401
                                           Email, Id, Language, MultiLine, OneLine, OneLineText, PartnerId,
                                           PersonId, PopulationIds, Public, Refers, Strict, Terms, Text, TOneLine,
                                           TOneLineText, Translations, TStr, TText, Url, WorkingGroupId,
                                           is_translatable, literal_of, vocab_ids)
from coalition_docs.content.meetings_schema import AgreementEntry, MeetingFile, TimeZone

OrganizationType = Annotated[literal_of(vocab.ORGANIZATION_TYPES), Terms("organization_types")]
Relationship = literal_of(vocab.RELATIONSHIPS)
Stage = literal_of(vocab.STAGES)
Response = literal_of(vocab.RESPONSES)
DecisionModel = literal_of(vocab.DECISION_MODELS)
ManagementRole = Annotated[literal_of(vocab.MANAGEMENT_ROLES), Terms("roles")]
StatementKind = literal_of(vocab.STATEMENT_KINDS)


# -- coalition.yaml ----------------------------------------------------------


class SiteSettings(Strict):
    url: Url | None = Field(None, description="The public base URL; may carry a sub-path")
    language: Language = "en"
    languages: list[Language] = Field(
        default_factory=list, description="v1.1: more languages the site and letters are published in, e.g. [es, vi]")


class Needs(Strict):
    populations: PopulationIds = vocab_ids("Worksheet part 1, question 1")
    areas: AreaIds = vocab_ids("Worksheet part 1, question 2")
    assets: AssetIds = vocab_ids("Worksheet part 1, question 3")


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
    name: Public[TOneLineText]
    description: Public[TStr] | None = None
    lead: Public[PersonId] | None = None  # if that person is public
    areas: Public[AreaIds] = vocab_ids("Areas the group works on")
    meets: Public[TOneLine] | None = None


class MeetingsEntry(Strict):
    management_team: Public[TStr] | None = None
    working_groups: Public[TStr] | None = None
    champions: Public[TStr] | None = None


class ExtraVocabulary(Strict):
    populations: dict[Id, OneLineText] = Field(default_factory=dict)
    areas: dict[Id, OneLineText] = Field(default_factory=dict)
    assets: dict[Id, OneLineText] = Field(default_factory=dict)


class CoalitionFile(Strict):
    """coalition.yaml: the coalition itself."""

    name: Public[TOneLineText]
    community: Public[OneLineText]
    convener: Public[PartnerId] = Field(description="Partner id of the convening (backbone) organization")  # its name
    project_manager: PersonId = Field(description="Person id, introduced in every invitation letter")
    decision_model: Public[DecisionModel] | None = None
    mission: Public[TText]
    site: SiteSettings = Field(default_factory=SiteSettings)
    needs: Needs = Field(default_factory=Needs)
    data_points: list[DataPointEntry] = Field(default_factory=list)
    invitation: InvitationDefaults = Field(default_factory=InvitationDefaults)
    print: PrintSettings = Field(default_factory=PrintSettings)
    working_groups: Public[list[WorkingGroupEntry]] = Field(default_factory=list)
    meetings: Public[MeetingsEntry] = Field(default_factory=MeetingsEntry)
    extra_vocabulary: ExtraVocabulary = Field(default_factory=ExtraVocabulary)
    timezone: Public[TimeZone] | None = Field(None, description="v1.2: the IANA time zone of meeting times, e.g. "
                                              "America/Detroit; required once a meeting is not a draft")
    agreement: Public[AgreementEntry] = Field(default_factory=AgreementEntry)


# -- partners/ID.yaml --------------------------------------------------------


class ContactEntry(Strict):
    name: OneLine | None = None
    title: OneLine | None = None
    email: Email | None = None
    phone: OneLine | None = None
    address: MultiLine | None = None


class PartnerInvitation(Strict):
    sender: PersonId | None = None
    rationale: TStr | None = None
    resources_offered: TStr | None = None
    power_sharing: TStr | None = None
    what_is_different: TStr | None = None
    sent: dt.date | None = None
    response: Response | None = None


class PartnerFile(Strict):
    """partners/ID.yaml: one organization of the inventory."""

    name: Public[OneLineText]
    type: Public[OrganizationType]
    relationship: Relationship
    stage: Stage = "inventory"
    website: Public[Url] | None = None
    summary: Public[TStr] | None = None
    populations: Public[PopulationIds] = vocab_ids("Target populations served")
    domains: Public[AreaIds] = vocab_ids("Domains of work")
    assets: Public[AssetIds] = vocab_ids("Assets")
    asset_notes: MultiLine | None = None
    aligned_initiatives: MultiLine | None = None
    motivations: MultiLine | None = None
    roles: MultiLine | None = None
    considerations: MultiLine | None = None
    contact: ContactEntry | None = None
    invitation: PartnerInvitation | None = None
    language: Language | None = Field(
        None, description="v1.1: the language of this partner's letter: the primary language or one of "
        "site.languages (default: the primary language)")


# -- roster.yaml -------------------------------------------------------------


class PersonEntry(Strict):
    id: Id
    name: Public[OneLineText]
    organization: Public[PartnerId] | None = None  # its name, if a member
    title: Public[TOneLine] | None = None
    pronouns: Public[OneLine] | None = None
    bio: Public[TStr] | None = None
    community_member: StrictBool = False
    compensated: StrictBool = False
    roles: Public[list[ManagementRole]] = Field(default_factory=list)
    working_groups: Public[list[WorkingGroupId]] = Field(default_factory=list)
    champion: Public[StrictBool] = False
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

    kind: Public[StatementKind]
    author: Public[OneLineText] = Field(  # its name, where the author is public
        description="Person id (individual), partner id (institutional) or free text (team)")
    title: Public[TOneLine] | None = None
    identities: dict[str, OneLine] = Field(default_factory=dict)
    reflections: list[ReflectionEntry] = Field(default_factory=list)
    statement: Public[TText]
    public: StrictBool = False


# -- pages/NAME.md front matter ----------------------------------------------


class PageFrontMatter(Strict):
    """The YAML front matter of pages/NAME.md."""

    title: Public[OneLineText]
    order: Public[int] | None = None
    draft: StrictBool = False
    description: Public[OneLine] | None = Field(None, description="addition: a one-line summary for search engines")


FILE_SCHEMAS: dict[str, type[Strict]] = {
    "coalition": CoalitionFile,
    "partner": PartnerFile,
    "roster": RosterFile,
    "positionality": StatementFile,
    "page": PageFrontMatter,
    "meeting": MeetingFile,
}

# Which files each schema applies to, for editors' YAML language servers.
FILE_GLOBS: dict[str, str] = {
    "coalition": "coalition.yaml",
    "partner": "partners/*.yaml",
    "roster": "roster.yaml",
    "positionality": "positionality/*.yaml",
    "meeting": "meetings/*.yaml",
}


def _numbers_as_text(node: Any) -> None:
    """Text that check reads from a number (`age: 44`) as typed: the JSON Schema accepts a number there too,
    so that every file check accepts is valid for an editor. Addresses (a format) and closed lists stay text."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"format", "enum", "const"} & node.keys():
            node["type"] = ["string", "number"]
        node = list(node.values())
    for value in node if isinstance(node, list) else ():
        _numbers_as_text(value)


def json_schema(kind: str) -> dict[str, Any]:
    model = FILE_SCHEMAS[kind]
    schema = model.model_json_schema()
    _numbers_as_text(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"coalition-docs/{kind}.schema.json"
    return schema


def json_schema_text(kind: str, *, signed: bool = False) -> str:
    schema = json_schema(kind)
    if signed:  # a file written by `schema --out` says so, so that it may be replaced next time
        schema = {"$comment": "Written by coalition-docs; `coalition-docs schema --out` writes it again.",
                  **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
