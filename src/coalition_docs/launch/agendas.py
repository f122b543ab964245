"""The agendas: a PDF per meeting that is not a draft, and one per language it lists.

`agenda_context` gives the agenda template everything it prints, in one
language: the texts of the meeting in it, its date and times written as that
language writes them (when.py), each item's clock time from the meeting's
start and the running minutes. Vocabulary labels (the group, the launch
activity) stay in English for the template's `translate` filter. What an
agenda in a language lacks (a title, a topic, a provision without a version
in it) is a located problem: `agenda_problems` names every one, and the build
makes no agenda until each is written. Names (the coalition's, a working
group's) may stay as written: the agenda marks them with their language.
"""

from __future__ import annotations

from typing import Any

from coalition_docs.content import model, vocab
from coalition_docs.content.languages import language_name
from coalition_docs.errors import Problem
from coalition_docs.launch import when

AGENDA_TEMPLATE = "documents/agenda.html"
AGENDAS_FOLDER = "agendas"


def agenda_path(meeting: Any, language: str, primary: str) -> str:
    """agendas/ID.pdf in the primary language, agendas/ID.LANG.pdf in another."""
    suffix = "" if language == primary else f".{language}"
    return f"{AGENDAS_FOLDER}/{meeting.id}{suffix}.pdf"


def _in(value: Any, language: str, primary: str) -> str | None:
    """`value` in `language`, else (for a problem already reported) as written."""
    if value is None:
        return None
    found = model.text_in(value, language, primary)
    return found if found is not None else str(value)


def _name(value: Any, language: str, primary: str) -> dict[str, str | None]:
    """A name (the coalition's, a working group's) in `language`, else as written in the primary
    language, with that language to mark it by (a name may stay untranslated)."""
    found = model.text_in(value, language, primary)
    return {"text": found, "lang": None} if found is not None else {"text": str(value), "lang": primary}


def _person(person: model.Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"name": person.name, "organization": person.organization.name if person.organization else None}


def group_of(meeting: Any, language: str, primary: str) -> dict[str, Any]:
    """Who the meeting is for: a working group's name in `language`, else the label to translate."""
    if meeting.working_group is not None:
        return {"name": _name(meeting.working_group.name, language, primary), "label": None}
    return {"name": None, "label": vocab.MEETING_GROUPS.get(meeting.group, meeting.group)}


def agenda_context(coalition: model.Coalition, meeting: Any, language: str) -> dict[str, Any]:
    """What the agenda of `meeting` prints in `language`."""
    primary = coalition.language
    activity = meeting.launch_activity
    activities = list(vocab.LAUNCH_ACTIVITIES)
    items = []
    for item in meeting.agenda:
        items.append({
            "clock": when.clock(item.starts, language) if item.starts else "",
            "starts": item.starts.isoformat() if item.starts else None,
            "minutes": item.minutes,
            "topic": _in(item.topic, language, primary),
            "lead": _person(item.lead),
            "notes": _in(item.notes, language, primary),
        })
    place = meeting.place
    return {
        "language": language,
        "coalition": {"name": _name(coalition.name, language, primary), "community": coalition.community},
        "meeting": {
            "id": meeting.id,
            "title": _in(meeting.title, language, primary),
            "group": group_of(meeting, language, primary),
            "activity": activity.label if activity is not None else None,
            "activity_number": activities.index(activity.id) + 1 if activity is not None else None,
            "activity_count": len(activities),
            "day": when.day(meeting.starts, language),
            "times": when.span(meeting.starts, meeting.ends, language),
            "starts": meeting.starts.isoformat(),
            "ends": meeting.ends.isoformat() if meeting.ends else None,
            "place": None if place is None else {
                "name": place.name, "address": [line.strip() for line in (place.address or "").splitlines()
                                                if line.strip()], "online": place.online},
            "accessibility": [_in(text, language, primary) for text in meeting.accessibility],
            "facilitator": _person(meeting.facilitator),
            "note_taker": _person(meeting.note_taker),
            "preparation": _in(meeting.preparation, language, primary),
            "agenda": items,
            "minutes": meeting.minutes,
            "invitees": len(meeting.invitees),
        },
    }


def agenda_problems(coalition: model.Coalition, meeting: Any, language: str) -> list[Problem]:
    """Every text of `meeting` that its agenda in `language` prints and that has no version in it.

    Names (the coalition's, its working groups') may stay as the primary language writes them:
    the agenda marks them with that language."""
    if language == coalition.language:
        return []
    name = f"{language_name(language)} ({language})"
    missing = list(meeting.untranslated(language))
    return [Problem(where.path, where.line, where.column,
                    f"meeting {meeting.id}: the agenda in {name} needs {what} in {name}",
                    f"write it as a map with {language}: beside {coalition.language}:, or take {language} out of "
                    "the meeting's languages")
            for where, what in missing]


def planned_agendas(coalition: model.Coalition) -> list[tuple[str, Any, str]]:
    """(path, meeting, language) of every agenda: each meeting that is not a draft, in each of its languages."""
    found = []
    for meeting in coalition.built_meetings:
        for language in meeting.agenda_languages:
            found.append((agenda_path(meeting, language, coalition.language), meeting, language))
    return found
