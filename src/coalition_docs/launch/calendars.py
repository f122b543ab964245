"""The calendars (RFC 5545): documents/meetings.ics, and the site's meetings.ics in each language.

Both are written from `Event`s, a plain record of what a calendar shows:

- the internal calendar has every meeting that is not a draft, with its
  invitees (ATTENDEE), the facilitator as ORGANIZER, the agenda in the
  description and the online link as URL;
- the site's has the public meetings, with public fields only (title, group,
  times, place name and address, accessibility), in the site's language.

Times are local times in the coalition's zone (DTSTART;TZID=...), the zone
described by a VTIMEZONE for the years the meetings fall in. A meeting's UID
is its id at the coalition's host (or name); DTSTAMP is its start in UTC, so
that the same content gives the same bytes whenever it is built.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from coalition_docs.launch import lines
from coalition_docs.launch.contacts import PRODID
from coalition_docs.launch.timezones import vtimezone

UTC = dt.timezone.utc


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str | None
    ident: str  # stands in for an address the person has none of: urn:uuid from it
    chair: bool = False


@dataclass(frozen=True)
class Event:
    uid: str
    starts: dt.datetime  # aware
    ends: dt.datetime | None
    summary: str
    summary_language: str | None = None  # when the summary is in another language than the calendar
    location: str | None = None
    description: str | None = None
    url: str | None = None
    attendees: tuple[Attendee, ...] = ()
    organizer: Attendee | None = None
    categories: tuple[str, ...] = ()


def _utc(moment: dt.datetime) -> str:
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def _address(person: Attendee) -> str:
    if person.email and "@" in person.email and not any(c.isspace() for c in person.email):
        return "mailto:" + person.email
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"coalition-docs:{person.ident}"))


def _local(name: str, moment: dt.datetime, zone_name: str | None) -> str:
    if zone_name is None:
        return lines.line(name, _utc(moment))
    return lines.line(name, f"{moment:%Y%m%dT%H%M%S}", [("TZID", zone_name)])


def _event(event: Event, zone_name: str | None) -> str:
    out = [lines.line("BEGIN", "VEVENT"), lines.line("UID", lines.text(event.uid)),
           lines.line("DTSTAMP", _utc(event.starts)), _local("DTSTART", event.starts, zone_name)]
    if event.ends is not None:
        out.append(_local("DTEND", event.ends, zone_name))
    language = [("LANGUAGE", event.summary_language)] if event.summary_language else []
    out.append(lines.line("SUMMARY", lines.text(event.summary), language))
    if event.location:
        out.append(lines.line("LOCATION", lines.text(event.location)))
    if event.description:
        out.append(lines.line("DESCRIPTION", lines.text(event.description)))
    if event.categories:
        out.append(lines.line("CATEGORIES", ",".join(lines.text(c) for c in event.categories)))
    if event.url:
        out.append(lines.line("URL", event.url.strip(), [("VALUE", "URI")]))
    if event.organizer is not None:
        out.append(lines.line("ORGANIZER", _address(event.organizer), [("CN", event.organizer.name)]))
    for person in event.attendees:
        out.append(lines.line("ATTENDEE", _address(person), [
            ("CN", person.name), ("ROLE", "CHAIR" if person.chair else "REQ-PARTICIPANT"),
            ("PARTSTAT", "NEEDS-ACTION")]))
    out.append(lines.line("END", "VEVENT"))
    return "".join(out)


def calendar(name: str, events: Sequence[Event], zone_name: str | None, language: str | None = None) -> str:
    """An iCalendar file of `events` (in their order), times in `zone_name` (None: UTC)."""
    out = [lines.line("BEGIN", "VCALENDAR"), lines.line("VERSION", "2.0"),
           lines.line("PRODID", lines.text(PRODID)), lines.line("CALSCALE", "GREGORIAN"),
           lines.line("X-WR-CALNAME", lines.text(name), [("LANGUAGE", language)] if language else [])]
    if zone_name is not None:
        out.append(lines.line("X-WR-TIMEZONE", lines.text(zone_name)))
        if events:
            years = [moment.year for e in events for moment in (e.starts, e.ends) if moment is not None]
            out.append(vtimezone(zone_name, ZoneInfo(zone_name), min(years), max(years)))
    out += [_event(event, zone_name) for event in events]
    out.append(lines.line("END", "VCALENDAR"))
    return "".join(out)
