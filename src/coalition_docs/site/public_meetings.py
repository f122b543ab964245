"""The allow-list for v1.2: public meetings and the public part of the working agreement.

A meeting reaches the site only when `public` is true and it is not a
draft, and then only with its title, its group's name, its launch activity,
its times, its place's name and address, and its accessibility provisions.
Its online link, agenda, notes, decisions, facilitator, note taker and
invitees stay internal. Of the agreement, the norms and the decisions are
public; the communication channels are not. The schema marks those fields
(meetings_schema.py, `Public[...]`), as public.py says.
"""

from __future__ import annotations

from typing import Any

from coalition_docs.content import model
from coalition_docs.content.meeting_model import Meeting
from coalition_docs.content.records import record


@record("MeetingFile", public=True, frozen=True, omit={
    "group": "group_name", "place": "place_name, place_address (not the online link)"})
class PublicMeeting:
    id: str  # the file's stem, as written by the coalition for a public meeting
    group_name: str
    place_name: str | None
    place_address: str | None  # multi-line
    # and title, launch_activity (a public.PublicTerm), starts and ends (aware, in the coalition's zone),
    # accessibility


@record("AgreementEntry", public=True, frozen=True)
class PublicAgreement:
    """The public part of the working agreement: norms and decisions."""


def public_meetings(coalition: model.Coalition, t: Any) -> tuple[PublicMeeting, ...]:
    """The meetings the site lists: public, not drafts, by date; texts in the language of `t` (public._Texts)."""
    return tuple(_meeting(m, t) for m in coalition.meeting_list
                 if m.public and not m.draft and m.starts is not None and m.ends is not None)


def _meeting(meeting: Meeting, t: Any) -> PublicMeeting:
    place = meeting.place
    return t.copy(
        PublicMeeting, meeting, id=meeting.id,
        group_name=t(meeting.group_name) if meeting.working_group is not None else t.label(meeting.group_name),
        place_name=place.name if place else None, place_address=place.address if place else None)
