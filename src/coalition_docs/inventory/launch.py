"""`coalition-docs report --launch`: the chapter's five launch activities, the meetings that cover each, the gaps.

A meeting covers an activity when it is not a draft and names it in
`launch_activity`; it has been held when it starts before "today" (the
report's `--today`, else the system date: this is a report, not a build
output, so it may depend on the clock). Drafts that name an activity are
listed beside it, since they are the meetings still to plan.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TextIO

from coalition_docs.content import model, vocab
from coalition_docs.content.meeting_model import Meeting


@dataclass(frozen=True)
class Activity:
    id: str
    label: str
    meetings: tuple[Meeting, ...]  # not drafts, by date
    drafts: tuple[Meeting, ...]
    today: dt.date

    @property
    def covered(self) -> bool:
        return bool(self.meetings)

    @property
    def held(self) -> bool:
        return any(m.held(self.today) for m in self.meetings)

    @property
    def gap(self) -> str | None:
        return None if self.covered else f"no meeting covers {self.label[:1].lower()}{self.label[1:]} yet"

    def as_json(self) -> dict:
        return {"activity": self.id, "label": self.label, "covered": self.covered, "held": self.held,
                "meetings": [_meeting_json(m, self.today) for m in self.meetings],
                "drafts": [m.source.path for m in self.drafts]}


def _meeting_json(meeting: Meeting, today: dt.date) -> dict:
    assert meeting.starts is not None
    return {"meeting": meeting.id, "file": meeting.source.path, "title": str(meeting.title),
            "starts": meeting.starts.isoformat(), "held": meeting.held(today)}


def launch(coalition: model.Coalition, today: dt.date) -> list[Activity]:
    """The five activities in the chapter's order, each with the meetings that name it."""
    return [Activity(
        id=key, label=label, today=today,
        meetings=tuple(m for m in coalition.built_meetings if m.launch_activity and m.launch_activity.id == key),
        drafts=tuple(m for m in coalition.meeting_list if m.draft and m.launch_activity
                     and m.launch_activity.id == key),
    ) for key, label in vocab.LAUNCH_ACTIVITIES.items()]


def render_json(activities: list[Activity], today: dt.date, stream: TextIO) -> None:
    data = {"today": today.isoformat(), "activities": [a.as_json() for a in activities],
            "gaps": [a.gap for a in activities if a.gap]}
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def render_text(activities: list[Activity], coalition: model.Coalition, today: dt.date, stream: TextIO) -> None:
    covered, held = sum(a.covered for a in activities), sum(a.held for a in activities)
    stream.write(f"{coalition.name}: the launch on {today.isoformat()} ({covered} of {len(activities)} activities "
                 f"covered, {held} held)\n")
    for number, activity in enumerate(activities, 1):
        stream.write(f"{number}. {activity.label}\n")
        for meeting in activity.meetings:
            assert meeting.starts is not None
            state = "held" if meeting.held(today) else "to come"
            stream.write(f"   {meeting.starts:%Y-%m-%d %H:%M}  {meeting.title} ({meeting.source.path}), {state}\n")
        if activity.gap:
            stream.write(f"   {activity.gap}\n")
        for draft in activity.drafts:
            stream.write(f"   draft: {draft.title} ({draft.source.path})\n")
    gaps = [a.gap for a in activities if a.gap]
    stream.write(("Gaps: " + "; ".join(gaps) if gaps else "No gaps: a meeting covers every launch activity.") + "\n")
