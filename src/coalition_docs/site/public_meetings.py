"""The allow-list for v1.2: public meetings and the public part of the working agreement.

A meeting reaches the site only when `public` is true and it is not a
draft, and then only with its title, its group's name, its launch activity,
its times, its place's name and address, and its accessibility provisions.
Its online link, agenda, notes, decisions, facilitator, note taker and
invitees stay internal. Of the agreement, the norms and the decisions are
public; the communication channels are not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from coalition_docs.content import model
from coalition_docs.content.meeting_model import Meeting


@dataclass(frozen=True)
class PublicMeeting:
    id: str  # the file's stem, as written by the coalition for a public meeting
    title: str
    group_name: str
    launch_activity: Any  # public.PublicTerm or None (public.py builds on this module)
    starts: dt.datetime  # aware, in the coalition's time zone
    ends: dt.datetime
    place_name: str | None
    place_address: str | None  # multi-line
    accessibility: tuple[str, ...]


@dataclass(frozen=True)
class PublicAgreement:
    norms: tuple[str, ...]
    decisions: str | None  # Markdown


def public_meetings(coalition: model.Coalition, t: Any) -> tuple[PublicMeeting, ...]:
    """The meetings the site lists: public, not drafts, by date; texts in the language of `t` (public._Texts)."""
    return tuple(_meeting(m, t) for m in coalition.meeting_list
                 if m.public and not m.draft and m.starts is not None and m.ends is not None)


def _meeting(meeting: Meeting, t: Any) -> PublicMeeting:
    assert meeting.starts is not None and meeting.ends is not None
    place, activity = meeting.place, meeting.launch_activity
    return PublicMeeting(
        id=meeting.id,
        title=t(meeting.title),
        group_name=t(meeting.group_name) if meeting.working_group is not None else t.label(meeting.group_name),
        launch_activity=t.term(activity) if activity is not None else None,
        starts=meeting.starts,
        ends=meeting.ends,
        place_name=place.name if place else None,
        place_address=place.address if place else None,
        accessibility=tuple(t(text) for text in meeting.accessibility),
    )


def public_agreement(coalition: model.Coalition, t: Any) -> PublicAgreement:
    agreement = coalition.agreement
    return PublicAgreement(norms=tuple(t(norm) for norm in agreement.norms), decisions=t(agreement.decisions))
