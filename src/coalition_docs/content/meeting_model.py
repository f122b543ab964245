"""A meeting of the coalition (content-format v1.2), as every later stage reads it.

Times are aware datetimes in the coalition's time zone (zoneinfo): `starts`,
`ends` and each agenda item's `starts` and `ends`, its clock times computed
from the meeting's start and the running minutes. Translatable texts are
model.Text (`text.get("es")`); `untranslated(language)` names what an agenda
in that language would lack. Nothing here imports rendering code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from coalition_docs.content.model import Coalition, Located, Person, Source, Text, WorkingGroup
from coalition_docs.content.records import record


@record("PlaceEntry", frozen=True)
class Place:
    """A meeting's `place`: `online` (the video call's address) is internal."""


@record("AgendaItemEntry", eq=False)
class AgendaItem:
    """An item of a meeting's `agenda` (its `notes` are internal), and its clock times."""

    starts: dt.datetime | None = None  # its clock time; None while the meeting has no time (a draft)
    ends: dt.datetime | None = None


@record("MeetingFile", eq=False)
class Meeting(Located):
    """meetings/ID.yaml; `group` is as written, `notes` and `decisions` are internal."""

    id: str  # the file's stem
    source: Source
    group_name: str = ""  # the working group's name (a Text), else the vocabulary label
    working_group: WorkingGroup | None = None  # when `group` is a working group
    starts: dt.datetime | None = None  # aware, in the coalition's zone; None for a draft without one
    ends: dt.datetime | None = None  # as written, else starts + the agenda's minutes
    ends_written: bool = False
    invitees: tuple[Person, ...] = ()  # attendees if written, else the group's people
    agenda_languages: tuple[str, ...] = ()  # the primary language, then `languages`
    positions: Mapping[str, Source] = field(default_factory=dict, repr=False)

    @property
    def minutes(self) -> int:
        """The agenda's length."""
        return sum(item.minutes for item in self.agenda)

    @property
    def length(self) -> int | None:
        """The meeting's length in minutes, from `starts` to `ends`."""
        if self.starts is None or self.ends is None:
            return None
        return int((self.ends.astimezone(dt.timezone.utc) - self.starts.astimezone(dt.timezone.utc))
                   .total_seconds() // 60)

    def held(self, today: dt.date) -> bool:
        """Whether it took place before `today` (by its local date)."""
        return self.starts is not None and self.starts.date() < today

    def texts(self) -> Iterator[tuple[Source, str, Text | None]]:
        """(where, field, value) of every translatable text, as `languages.completeness` counts them."""
        yield self.position("title"), "title", self.title
        for index, text in enumerate(self.accessibility):
            yield self.position(f"accessibility.{index}"), f"accessibility[{index}]", text
        yield self.position("preparation"), "preparation", self.preparation
        for index, item in enumerate(self.agenda):
            yield self.position(f"agenda.{index}.topic"), f"agenda[{index}].topic", item.topic
            yield self.position(f"agenda.{index}.notes"), f"agenda[{index}].notes", item.notes

    def untranslated(self, language: str) -> list[tuple[Source, str]]:
        """Where a text of this meeting has no version in `language`: what its agenda there would lack."""
        return [(where, what) for where, what, value in self.texts()
                if value and not (isinstance(value, Text) and value.get(language) is not None)]


def meeting_warnings(coalition: Coalition) -> list[str]:
    """What `check` and `build` say about meetings that still build: an agenda longer than its meeting."""
    warnings = []
    for meeting in coalition.meeting_list:
        length = meeting.length
        if meeting.ends_written and length is not None and meeting.minutes > length:
            assert meeting.starts is not None and meeting.ends is not None
            warnings.append(
                f"{meeting.position('ends')}: warning: the agenda is longer than the meeting (expected at most "
                f"{length} minutes of items from {meeting.starts:%H:%M} to {meeting.ends:%H:%M}, found "
                f"{meeting.minutes}); the last items run past {meeting.ends:%H:%M}")
    return warnings
