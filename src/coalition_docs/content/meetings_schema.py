"""The schema of meetings/ID.yaml, and of coalition.yaml's `timezone` and `agreement` (content-format v1.2).

A meeting's `starts` and `ends` are read here as local times without a zone
(times.py); which zone, and whether the clocks skip that time, is checked
with the coalition (meetings_check.py). Who a `group`, a `facilitator` or a
`lead` names is checked there too, where the roster is known.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field, PlainValidator, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from coalition_docs.content import times, vocab
from coalition_docs.errors import describe
from coalition_docs.content.fields import (Id, Language, MultiLine, OneLine, OneLineText, PersonId, Public, Strict,
                                           Terms, TOneLineText, TStr, Url, literal_of)

LaunchActivity = Annotated[literal_of(vocab.LAUNCH_ACTIVITIES), Terms("launch_activities")]


def _checked(parse):
    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise PydanticCustomError("meeting_value", str(exc)) from None
    return validate


def _minutes(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise PydanticCustomError("meeting_value", "not a whole number of minutes (expected a whole number "
                                  "greater than 0, such as 20, found {found})", {"found": describe(value)})
    if value <= 0:
        raise PydanticCustomError("meeting_value", "must be more than zero (expected a whole number of minutes "
                                  "greater than 0, such as 20, found {found})", {"found": describe(value)})
    return int(value)


def _time_zone(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("meeting_value", "not a time zone (expected an IANA time-zone name such as "
                                  "America/Detroit, found {found})", {"found": describe(value)})
    return value  # whether the name exists is checked with its did-you-mean (meetings_check.py)


LocalDateTime = Annotated[dt.datetime, PlainValidator(_checked(times.parse_starts)), WithJsonSchema({
    "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$",
    "description": "v1.2: a local date and time in the coalition's timezone, YYYY-MM-DD HH:MM (24-hour)"})]
ClockTime = Annotated[dt.time, PlainValidator(_checked(times.parse_clock)), WithJsonSchema({
    "type": "string", "pattern": r"^\d{2}:\d{2}$",
    "description": "v1.2: a time of day, HH:MM (24-hour), on the day the meeting starts"})]
Minutes = Annotated[int, PlainValidator(_minutes), WithJsonSchema({"type": "integer", "minimum": 1})]
TimeZone = Annotated[str, PlainValidator(_time_zone), WithJsonSchema({
    "type": "string", "description": "v1.2: an IANA time-zone name, e.g. America/Detroit"})]


# -- coalition.yaml: the working agreement -----------------------------------


class CommunicationEntry(Strict):
    channel: OneLineText = Field(description="The platform, e.g. \"Group e-mail list\"")
    use: OneLineText = Field(description="What it is used for; internal")


class AgreementEntry(Strict):
    """v1.2: the working agreement the coalition reaches in its launch meetings."""

    norms: Public[list[TOneLineText]] = Field(
        default_factory=list, description="How members treat one another (public)")
    decisions: Public[TStr] | None = Field(
        None, description="Markdown: who gives input and who has the final say (public)")
    communication: list[CommunicationEntry] = Field(
        default_factory=list, description="Which platform is used for what (internal)")


# -- meetings/ID.yaml --------------------------------------------------------


class PlaceEntry(Strict):
    name: Public[OneLine] | None = None
    address: Public[MultiLine] | None = Field(None, description="Multi-line postal address")
    online: Url | None = Field(None, description="The video call's address; internal")


class AgendaItemEntry(Strict):
    topic: TOneLineText
    minutes: Minutes
    lead: PersonId | None = Field(None, description="Person id")
    notes: TStr | None = Field(None, description="Markdown; internal")


class MeetingFile(Strict):
    """meetings/ID.yaml: one meeting (v1.2)."""

    title: Public[TOneLineText]
    group: Public[Id] = Field("coalition", description="coalition, management-team, champions or a working group id")
    launch_activity: Public[LaunchActivity] | None = None
    starts: Public[LocalDateTime] | None = Field(None, description="Required unless draft")
    ends: Public[ClockTime] | None = Field(None, description="Default: starts plus the agenda's minutes")
    place: Public[PlaceEntry] | None = None  # its name and address
    accessibility: Public[list[TOneLineText]] = Field(default_factory=list)
    facilitator: PersonId | None = Field(None, description="Person id")
    note_taker: PersonId | None = Field(None, description="Person id")
    attendees: list[PersonId] | None = Field(None, description="Person ids; overrides the group's people")
    languages: list[Language] = Field(
        default_factory=list, description="More languages the agenda is printed in, beside the primary one")
    preparation: TStr | None = Field(None, description="Markdown: what to read or bring")
    agenda: list[AgendaItemEntry] = Field(min_length=1)
    notes: MultiLine | None = Field(None, description="Markdown; internal")
    decisions: list[OneLineText] = Field(default_factory=list, description="Internal")
    public: StrictBool = False
    draft: StrictBool = Field(False, description="Checked but not built")

