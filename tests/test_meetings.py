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


# -- checks: each a located error, all at once ---------------------------------------------------


def test_unknown_people_and_group_are_located_with_did_you_mean(content):
    text = (MEETING.replace("facilitator: pat-manager", "facilitator: pat-manger")
            .replace("note_taker: nguyen-thi-huong", "note_taker: nobody").replace("    lead: pat-manager", "    lead: pat")
            + "group: hoems\nattendees: [pat-manager, huong]\n")
    assert problems(with_meeting(content, text)) == [
        "meetings/kickoff.yaml:16:14: facilitator: no such person (expected an id from roster.yaml, found "
        "'pat-manger')\n    did you mean 'pat-manager'?",
        "meetings/kickoff.yaml:17:13: note_taker: no such person (expected an id from roster.yaml, found 'nobody')",
        "meetings/kickoff.yaml:25:11: agenda[0].lead: no such person (expected an id from roster.yaml, found 'pat')",
        "meetings/kickoff.yaml:32:8: group: no such group (expected coalition, management-team, champions or homes, "
        "found 'hoems')\n    did you mean 'homes'?",
        "meetings/kickoff.yaml:33:26: attendees[1]: no such person (expected an id from roster.yaml, found 'huong')",
    ]


def test_an_unknown_working_group_lead_is_located(content):
    edit(content / "coalition.yaml", "    lead: pat-manager", "    lead: pat-manger")
    assert problems(content) == [
        "coalition.yaml:27:11: working_groups[0].lead: no such person (expected an id from roster.yaml, found "
        "'pat-manger')\n    did you mean 'pat-manager'?"]


def test_an_invalid_time_zone_gets_did_you_mean(content):
    assert problems(with_meeting(content, timezone="America/Detriot")) == [
        "coalition.yaml:36:11: timezone: not a time zone (expected an IANA time-zone name such as America/Detroit "
        "or Europe/Madrid, found 'America/Detriot')\n    did you mean 'America/Detroit'?"]


def test_a_time_zone_that_is_not_text_is_located(content):
    with_meeting(content, timezone="[America/Detroit]")
    assert problems(content) == [
        "coalition.yaml:36:11: timezone: not a time zone (expected an IANA time-zone name such as America/Detroit, "
        "found a list)"]


def test_a_meeting_that_is_not_a_draft_needs_a_time_zone(content):
    with_meeting(content, timezone=None)
    with_meeting(content, MEETING, name="second")
    assert problems(content) == [
        "coalition.yaml:1:1: timezone: required once a meeting is not a draft (expected an IANA time-zone name such "
        "as America/Detroit, found nothing; meetings/kickoff.yaml and 1 more is not a draft)\n"
        "    add a line such as `timezone: America/Detroit` to coalition.yaml"]


def test_drafts_need_no_time_zone_nor_start(content):
    text = MEETING.replace("starts: 2027-02-10 18:00\n", "") + "draft: true\n"
    c = load_coalition(with_meeting(content, text, timezone=None))
    m = c.meeting("kickoff")
    assert m.draft and m.starts is None and m.ends is None and m.agenda[0].starts is None
    assert c.built_meetings == () and c.tz is None


@pytest.mark.parametrize("group_id", ["coalition", "management-team", "champions"])
def test_a_working_group_may_not_take_a_meeting_groups_id(content, group_id):
    edit(content / "coalition.yaml", "  - id: homes", f"  - id: {group_id}")
    edit(content / "roster.yaml", "working_groups: [homes]", f"working_groups: [{group_id}]")
    assert problems(content) == [
        f"coalition.yaml:24:9: working_groups[0].id: '{group_id}' names a meeting group of its own (expected an id "
        f"other than coalition, management-team or champions, found '{group_id}')\n"
        f"    rename it, e.g. {group_id}-working-group"]


@pytest.mark.parametrize("written, message", [
    ("2027-02-30 10:00", "no such date (expected a real date and time such as 2027-02-10 18:00, found "
                         "'2027-02-30 10:00')"),
    ("2027-02-10", "a date without a time (expected a date and time such as 2027-02-10 18:00, found 2027-02-10)"),
    ("'2027-02-10'", "a date without a time (expected a date and time such as 2027-02-10 18:00, found '2027-02-10')"),
    ("2027-02-10 25:00", "no such time of day (expected a time from 00:00 to 23:59, found '2027-02-10 25:00')"),
    ("2027-02-10 6:00", "not written as YYYY-MM-DD HH:MM (expected a date and time such as 2027-02-10 18:00, found "
                        "'2027-02-10 6:00')"),
    ("2027-02-10T18:00", "not written as YYYY-MM-DD HH:MM (expected a date and time such as 2027-02-10 18:00, found "
                         "'2027-02-10T18:00')"),
    ("next Tuesday", "not a date and time (expected YYYY-MM-DD HH:MM, 24-hour, such as 2027-02-10 18:00, found "
                     "'next Tuesday')"),
    ("2027", "not a date and time (expected YYYY-MM-DD HH:MM, 24-hour, such as 2027-02-10 18:00, found the number 2027)"),
])
def test_a_start_that_is_no_date_and_time_is_located(content, written, message):
    text = MEETING.replace("starts: 2027-02-10 18:00", f"starts: {written}")
    assert problems(with_meeting(content, text)) == [f"meetings/kickoff.yaml:5:9: starts: {message}"]


def test_a_start_the_clocks_skip_is_an_error(content):
    text = MEETING.replace("starts: 2027-02-10 18:00", "starts: 2027-03-14 02:30").replace('"20:00"', '"04:00"')
    assert problems(with_meeting(content, text)) == [
        "meetings/kickoff.yaml:5:9: starts: 2027-03-14 02:30 does not exist in America/Detroit: the clocks skip it "
        "that night (expected a time the clocks show, such as 2027-03-14 03:30)"]


def test_an_end_the_clocks_skip_is_an_error(content):
    text = MEETING.replace("starts: 2027-02-10 18:00", "starts: 2027-03-14 01:00").replace('"20:00"', '"02:15"')
    assert problems(with_meeting(content, text)) == [
        "meetings/kickoff.yaml:6:7: ends: 02:15 does not exist in America/Detroit on 2027-03-14: the clocks skip "
        "it that night (expected a time the clocks show, such as 03:15)"]


def test_an_ambiguous_start_means_its_first_occurrence(content):
    text = MEETING.replace("starts: 2027-02-10 18:00", "starts: 2027-11-07 01:30").replace('ends: "20:00"\n', "")
    m = load_coalition(with_meeting(content, text)).meeting("kickoff")
    assert m.starts.isoformat() == "2027-11-07T01:30:00-04:00"


@pytest.mark.parametrize("ends, message", [
    ('"17:00"', "not after the start (expected a time after 18:00 on 2027-02-10, found 17:00)\n"
                "    a meeting that runs past midnight leaves `ends` out"),
    ('"18:00"', "not after the start (expected a time after 18:00 on 2027-02-10, found 18:00)\n"
                "    a meeting that runs past midnight leaves `ends` out"),
    ('"24:00"', "no such time of day (expected a time from 00:00 to 23:59, found '24:00')"),
    ("8pm", "not a time of day (expected HH:MM, 24-hour, on the day the meeting starts, such as 20:00, "
            "found '8pm')"),
])
def test_an_end_must_be_a_time_after_the_start(content, ends, message):
    text = MEETING.replace('ends: "20:00"', f"ends: {ends}")
    assert problems(with_meeting(content, text)) == [f"meetings/kickoff.yaml:6:7: ends: {message}"]


@pytest.mark.parametrize("minutes, message", [
    ("0", "must be more than zero (expected a whole number of minutes greater than 0, such as 20, found the number 0)"),
    ("-5", "must be more than zero (expected a whole number of minutes greater than 0, such as 20, found the number -5)"),
    ("12.5", "not a whole number of minutes (expected a whole number greater than 0, such as 20, found the number 12.5)"),
    ('"ten"', "not a whole number of minutes (expected a whole number greater than 0, such as 20, found 'ten')"),
])
def test_minutes_are_a_whole_number_above_zero(content, minutes, message):
    text = MEETING.replace("minutes: 15", f"minutes: {minutes}")
    assert problems(with_meeting(content, text)) == [f"meetings/kickoff.yaml:24:14: agenda[0].minutes: {message}"]


def test_languages_must_be_the_coalitions_other_languages(content):
    text = MEETING.replace("languages: [es]", "languages: [en, fr, qq]")
    assert problems(with_meeting(content, text)) == [
        "meetings/kickoff.yaml:18:13: languages[0]: en is the primary language (expected only the other languages "
        "the agenda is printed in, found en; every agenda is printed in en)",
        "meetings/kickoff.yaml:18:17: languages[1]: fr is not a language of the coalition (expected one of en, es, "
        "found fr)\n    add fr to site.languages in coalition.yaml to publish in French",
        "meetings/kickoff.yaml:18:21: languages[2]: qq is not a language of the coalition (expected one of en, es, "
        "found qq)\n    did you mean one of en, es? (qq is no language code Babel knows)",
    ]


def test_a_translation_into_another_language_is_located(content):
    text = MEETING.replace("  es: Conocernos", "  fr: Faire connaissance")
    assert problems(with_meeting(content, text)) == [
        "meetings/kickoff.yaml:3:3: title.fr: fr is not a language of the coalition (expected one of en, es, "
        "found fr)\n    add fr to site.languages in coalition.yaml to publish in French"]


def test_starts_is_required_unless_draft(content):
    assert problems(with_meeting(content, MEETING.replace("starts: 2027-02-10 18:00\n", ""))) == [
        "meetings/kickoff.yaml:1:1: starts: required field is missing (expected a date and time such as "
        "2027-02-10 18:00, found nothing; only a draft may leave it out)\n"
        "    add `draft: true` while the date is not set"]


@pytest.mark.parametrize("agenda, message", [
    ("agenda: []\n", "22:9: agenda: no items (expected at least one, found an empty list)"),
    ("", "1:1: agenda: required field is missing (expected a list, found nothing)"),
])
def test_an_agenda_has_at_least_one_item(content, agenda, message):
    text = MEETING[:MEETING.index("agenda:")] + agenda
    assert problems(with_meeting(content, text)) == [f"meetings/kickoff.yaml:{message}"]


def test_unknown_fields_and_activities_get_did_you_mean(content):
    text = MEETING.replace("launch_activity: get-acquainted", "launch_activity: get-aquainted").replace(
        "facilitator:", "facilitater:")
    assert problems(with_meeting(content, text)) == [
        "meetings/kickoff.yaml:4:18: launch_activity: unknown value (expected one of get-acquainted, "
        "expectations-and-roles, decision-making, shared-analysis, working-groups, found 'get-aquainted')\n"
        "    did you mean 'get-acquainted'?",
        "meetings/kickoff.yaml:16:1: unknown field 'facilitater' (expected one of title, group, launch_activity, "
        "starts, ends, place, accessibility, facilitator, note_taker, attendees, languages, preparation, agenda, "
        "notes, decisions, public, draft)\n    did you mean 'facilitator'?",
    ]


def test_every_problem_is_reported_at_once(content):
    text = (MEETING.replace("starts: 2027-02-10 18:00", "starts: 2027-02-30 10:00").replace("minutes: 15", "minutes: 0")
            .replace("facilitator: pat-manager", "facilitator: nobody"))
    with_meeting(content, text, timezone="Mars/Olympus")
    assert [p.split(": ")[0] for p in problems(content)] == [
        "coalition.yaml:36:11", "meetings/kickoff.yaml:5:9", "meetings/kickoff.yaml:16:14",
        "meetings/kickoff.yaml:24:14"]


def test_an_agenda_longer_than_its_meeting_is_a_warning(content, capsys):
    from .conftest import run_cli

    text = MEETING.replace('ends: "20:00"', 'ends: "19:00"')
    with_meeting(content, text)
    assert meeting_warnings(load_coalition(content)) == [
        "meetings/kickoff.yaml:6:7: warning: the agenda is longer than the meeting (expected at most 60 minutes of "
        "items from 18:00 to 19:00, found 75); the last items run past 19:00"]
    code, out, err = run_cli(capsys, "check", content)
    assert code == 0 and "meetings/kickoff.yaml:6:7: warning: the agenda is longer" in err
    assert out.startswith(f"{content}: no problems found (2 partners, 2 people, 1 statement, 1 page, 1 meeting).")


def test_an_agenda_that_fits_gives_no_warning(content):
    assert meeting_warnings(load_coalition(with_meeting(content))) == []


# -- incremental builds, odd files, links ---------------------------------------------------------


def test_a_meeting_edit_is_an_input_change_and_its_warning_follows_it(content, tmp_path):
    from coalition_docs.phases import build

    with_meeting(content)
    out = tmp_path / "out"
    first = build(content, out, only="site", jobs=1)
    assert first.warnings == []
    assert build(content, out, only="site", jobs=1).unchanged
    edit(content / "meetings/kickoff.yaml", 'ends: "20:00"', 'ends: "19:00"')
    again = build(content, out, only="site", jobs=1)
    assert not again.unchanged
    assert again.warnings == [
        "meetings/kickoff.yaml:6:7: warning: the agenda is longer than the meeting (expected at most 60 minutes of "
        "items from 18:00 to 19:00, found 75); the last items run past 19:00"]
    edit(content / "meetings/kickoff.yaml", "notes: The room was too warm.", "notes: The room was cold.")
    assert not build(content, out, only="site", jobs=1).unchanged  # an internal field is an input too


def test_odd_files_in_meetings_are_located_like_partners(content):
    import os

    with_meeting(content)
    meetings = content / "meetings"
    os.mkfifo(meetings / "pipe.yaml")
    (meetings / "photo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\xff\x00")
    (meetings / "copy.yaml").symlink_to(content / "roster.yaml")
    (meetings / "Kick Off.yaml").write_text(MEETING, encoding="utf-8")
    (meetings / "notes.txt").write_text("not a meeting", encoding="utf-8")
    found = problems(content)
    assert found[0] == ("meetings/Kick Off.yaml:1:1: file name is not a valid id (expected an id of lowercase "
                        "letters, digits and single hyphens, found 'Kick Off')\n    rename it to kick-off.yaml")
    assert found[1] == ("meetings/copy.yaml:1:1: link to another content file (roster.yaml) (expected a file of its "
                        "own, found a link inside the content folder)\n    replace the link by a copy, or remove it")
    assert found[2].startswith("meetings/photo.yaml:1:1: file is not valid UTF-8")
    assert found[3] == "meetings/pipe.yaml:1:1: not a regular file (expected a file, found a FIFO (named pipe))"
    assert len(found) == 4


def test_a_link_in_the_agreements_decisions_must_lead_somewhere(content):
    coalition = content / "coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8") + "agreement:\n  decisions: See [the rules](rules/).\n",
                         encoding="utf-8")
    assert problems(content) == [
        "coalition.yaml:36:14: agreement.decisions: link 'rules/' points at a page the site does not have (expected "
        "one of about, coverage, meetings, members, people, sitemap, statements, static, structure, working-groups, found "
        "'rules')"]


def test_a_title_topic_or_norm_on_two_lines_is_located(content):
    text = MEETING.replace("  es: Conocernos", '  es: "Conocer\\nnos"').replace(
        "  - topic: {en: Introductions, es: Presentaciones}", '  - topic: "Intro\\nductions"')
    coalition = content / "coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8") + 'agreement:\n  norms: ["Be\\nkind"]\n',
                         encoding="utf-8")
    assert problems(with_meeting(content, text)) == [
        "coalition.yaml:37:11: agreement.norms[0]: this field prints on one line (expected one line of text, found "
        "a line break)",
        "meetings/kickoff.yaml:3:7: title.es: this field prints on one line (expected one line of text, found a line "
        "break)",
        "meetings/kickoff.yaml:27:12: agenda[1].topic: this field prints on one line (expected one line of text, "
        "found a line break)",
    ]
