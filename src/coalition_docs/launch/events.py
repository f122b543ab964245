"""Meetings as calendar events: the internal calendar's, and the public one's for each site language.

The description of an event is plain text from a theme template, in the
calendar's language: documents/event.txt (the agenda, with its times, leads
and notes, the preparation, the accessibility provisions, the online link)
for the internal calendar; site/event.txt (the group and the accessibility
provisions, nothing else) for the site's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import jinja2

from coalition_docs.content import model
from coalition_docs.errors import BuildError
from coalition_docs.launch.agendas import agenda_context
from coalition_docs.launch.calendars import Attendee, Event, calendar
from coalition_docs.launch.contacts import namespace
from coalition_docs.templating import Theme, template_location

INTERNAL_EVENT_TEMPLATE = "documents/event.txt"
PUBLIC_EVENT_TEMPLATE = "site/event.txt"
CALENDAR_NAME = "meetings.ics"


def text_template(theme: Theme, language: str, name: str) -> jinja2.Template:
    """A plain-text template of the theme, speaking `language`."""
    from coalition_docs import i18n

    env = theme.environment(autoescape=False)
    i18n.localize(env, theme, language)
    try:
        return env.get_template(name)
    except jinja2.TemplateError as exc:
        raise BuildError(f"{template_location(exc, name)}: {exc}") from None


def render_text(template: jinja2.Template, context: dict[str, Any]) -> str:
    try:
        text = template.render(context)
    except jinja2.TemplateError as exc:
        raise BuildError(f"{template_location(exc, template.name or '')}: {exc}") from None
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _attendee(person: model.Person, host: str, chair: bool = False) -> Attendee:
    return Attendee(person.name, person.email, f"{host}:person:{person.id}", chair)


def internal_calendar(coalition: model.Coalition, theme: Theme) -> str | None:
    """documents/meetings.ics: every meeting that is not a draft; None when there is none."""
    meetings = coalition.built_meetings
    if not meetings:
        return None
    host = namespace(coalition)
    language = coalition.language
    template = text_template(theme, language, INTERNAL_EVENT_TEMPLATE)
    label = _label(theme, language)
    events = []
    for meeting in meetings:
        context = agenda_context(coalition, meeting, language)
        place = meeting.place
        facilitator = meeting.facilitator
        invitees = list(meeting.invitees)
        if facilitator is not None and facilitator not in invitees:
            invitees.insert(0, facilitator)
        events.append(Event(
            uid=f"{meeting.id}@{host}", starts=meeting.starts, ends=meeting.ends, summary=str(meeting.title),
            location=_location(place.name if place else None, place.address if place else None),
            description=render_text(template, context), url=place.online if place else None,
            attendees=tuple(_attendee(p, host, p is facilitator) for p in invitees),
            organizer=_attendee(facilitator, host) if facilitator is not None else None,
            categories=tuple(label(text) for text in _categories(meeting))))
    return calendar(_name(label, str(coalition.name)), events, coalition.timezone, language)


def public_calendars(view: Any, theme: Theme, language: str, host: str) -> dict[str, str]:
    """The site's calendars in `language`: meetings.ics with every public meeting, and
    meetings/ID.ics with one; public fields only. None when no meeting is public.

    `host` is the internal calendar's (contacts.namespace): a meeting has one UID in all."""
    meetings = view.meetings
    if not meetings:
        return {}
    coalition = view.coalition
    template = text_template(theme, language, PUBLIC_EVENT_TEMPLATE)
    name = _name(_label(theme, language), str(coalition.name))
    events = []
    for meeting in meetings:
        title_language = getattr(meeting.title, "language", None)
        events.append(Event(
            uid=f"{meeting.id}@{host}", starts=meeting.starts, ends=meeting.ends, summary=str(meeting.title),
            summary_language=title_language if title_language and title_language != language else None,
            location=_location(meeting.place_name, meeting.place_address),
            description=render_text(template, {"meeting": meeting, "language": language}) or None))
    files = {CALENDAR_NAME: calendar(name, events, coalition.timezone, language)}
    for meeting, event in zip(meetings, events):
        files[f"meetings/{meeting.id}.ics"] = calendar(name, [event], coalition.timezone, language)
    return files


def _label(theme: Theme, language: str) -> Callable[[str], str]:
    from coalition_docs import i18n

    return i18n.labels(theme, language)


def _name(label: Callable[[str], str], coalition: str) -> str:
    return f"{coalition} · {label('Meetings')}"


def _categories(meeting: Any) -> Sequence[str]:
    return [meeting.launch_activity.label] if meeting.launch_activity is not None else []


def _location(name: str | None, address: str | None) -> str | None:
    parts = [name.strip()] if name and name.strip() else []
    parts += [line.strip() for line in (address or "").splitlines() if line.strip()]
    return ", ".join(dict.fromkeys(parts)) or None
