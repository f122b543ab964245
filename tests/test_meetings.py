"""Meetings, the time zone and the working agreement (content-format v1.2): the model and every check."""

from __future__ import annotations

import datetime as dt

import pytest

from coalition_docs.content.meeting_model import meeting_warnings
from coalition_docs.content.validate import load_coalition
from coalition_docs.errors import ContentErrors

from .conftest import edit

MEETING = """\
title:
  en: Getting to know one another
  es: Conocernos
launch_activity: get-acquainted
starts: 2027-02-10 18:00
ends: "20:00"
place:
  name: Testville Library
  address: |
    1 Main Street
    Testville
  online: https://meet.example.org/kickoff
accessibility:
  - en: Spanish interpretation
    es: Interpretación al español
facilitator: pat-manager
note_taker: nguyen-thi-huong
languages: [es]
preparation:
  en: Bring a photo.
  es: Traiga una foto.
agenda:
  - topic: {en: Welcome, es: Bienvenida}
    minutes: 15
    lead: pat-manager
    notes: {en: Keep it short., es: Breve.}
  - topic: {en: Introductions, es: Presentaciones}
    minutes: 60
notes: The room was too warm.
decisions: [Meet on Wednesdays]
public: true
"""


def with_meeting(content, text: str = MEETING, name: str = "kickoff", timezone: str | None = "America/Detroit"):
    """The minimal fixture with a time zone, Spanish, and meetings/NAME.yaml holding `text`."""
    coalition = content / "coalition.yaml"
    if "languages:" not in coalition.read_text(encoding="utf-8"):
        edit(coalition, "  language: en\n", "  language: en\n  languages: [es]\n")
        if timezone:
            coalition.write_text(coalition.read_text(encoding="utf-8") + f"timezone: {timezone}\n", encoding="utf-8")
    (content / "meetings").mkdir(exist_ok=True)
    (content / "meetings" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return content


def problems(content) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_coalition(content)
    return [p.format() for p in caught.value.problems]


def test_a_meeting_has_local_times_and_clock_times_for_its_items(content):
    c = load_coalition(with_meeting(content))
    m = c.meeting("kickoff")
    assert m.starts == dt.datetime(2027, 2, 10, 18, 0, tzinfo=c.tz) and m.starts.utcoffset() == dt.timedelta(hours=-5)
    assert m.ends == dt.datetime(2027, 2, 10, 20, 0, tzinfo=c.tz) and m.ends_written
    assert [(i.starts.strftime("%H:%M"), i.ends.strftime("%H:%M")) for i in m.agenda] == [
        ("18:00", "18:15"), ("18:15", "19:15")]
    assert m.minutes == 75 and m.length == 120
    assert m.agenda[0].lead is c.person("pat-manager") and m.agenda[1].lead is None
    assert m.facilitator is c.person("pat-manager") and m.note_taker is c.person("nguyen-thi-huong")
    assert m.launch_activity.id == "get-acquainted" and m.launch_activity.label == "Getting acquainted"
    assert m.group == "coalition" and m.group_name == "The whole coalition"
    assert m.place.online == "https://meet.example.org/kickoff" and m.place.address == "1 Main Street\nTestville\n"
    assert m.agenda_languages == ("en", "es")
    assert m.title == "Getting to know one another" and m.title.get("es") == "Conocernos"
    assert m.agenda[0].notes.get("es") == "Breve." and m.accessibility[0].get("es") == "Interpretación al español"
    assert m.untranslated("es") == [] and c.built_meetings == (m,)


def test_ends_defaults_to_the_agenda_and_may_run_past_midnight(content):
    text = MEETING.replace('ends: "20:00"\n', "").replace("starts: 2027-02-10 18:00", "starts: 2027-02-10 23:00")
    m = load_coalition(with_meeting(content, text)).meeting("kickoff")
    assert not m.ends_written and m.ends.isoformat() == "2027-02-11T00:15:00-05:00"
    assert m.agenda[1].starts.isoformat() == "2027-02-10T23:15:00-05:00"


def test_item_times_count_real_minutes_across_a_clock_change(content):
    # 2027-11-07 in Detroit: 02:00 daylight time becomes 01:00 standard time; 01:30 means its first occurrence
    text = MEETING.replace("starts: 2027-02-10 18:00", "starts: 2027-11-07 01:30").replace('ends: "20:00"\n', "")
    m = load_coalition(with_meeting(content, text)).meeting("kickoff")
    assert m.starts.utcoffset() == dt.timedelta(hours=-4)
    assert [i.starts.strftime("%H:%M %z") for i in m.agenda] == ["01:30 -0400", "01:45 -0400"]
    assert m.ends.strftime("%H:%M %z") == "01:45 -0500"


@pytest.mark.parametrize("group, expected", [
    ("coalition", ["pat-manager", "nguyen-thi-huong"]),
    ("management-team", ["pat-manager"]),
    ("champions", ["nguyen-thi-huong"]),
    ("homes", ["pat-manager"]),
])
def test_invitees_are_the_groups_people(content, group, expected):
    edit(content / "roster.yaml", "    compensated: true\n", "    compensated: true\n    champion: true\n")
    m = load_coalition(with_meeting(content, MEETING + f"group: {group}\n")).meeting("kickoff")
    assert [p.id for p in m.invitees] == expected and m.attendees is None


def test_attendees_override_the_group(content):
    m = load_coalition(with_meeting(content, MEETING + "group: homes\nattendees: [nguyen-thi-huong]\n")).meeting("kickoff")
    assert [p.id for p in m.invitees] == ["nguyen-thi-huong"] and m.group_name == "Homes"
    assert m.working_group.id == "homes"


def test_the_agreement_and_time_zone_are_on_the_coalition(content):
    coalition = content / "coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8") + (
        "timezone: Europe/Madrid\nagreement:\n  norms:\n    - Start on time.\n  decisions: The team proposes.\n"
        "  communication:\n    - {channel: E-mail list, use: Announcements}\n"), encoding="utf-8")
    c = load_coalition(content)
    assert c.timezone == "Europe/Madrid" and c.tz.key == "Europe/Madrid"
    assert c.agreement.norms == ("Start on time.",) and c.agreement.decisions == "The team proposes."
    assert c.agreement.communication[0].channel == "E-mail list" and c.meeting_list == ()
