"""The launch kit's outputs: agendas, calendars, the meetings page, the working agreement, the contact sheet.

Each is built from the minimal fixture with a meeting (tests/test_meetings.py's), read back
with the parser a person's tools would use (pypdf, icalendar, vobject) and checked for what
it shows, and for what it must not show.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from pypdf import PdfReader

from coalition_docs.content.validate import load_coalition
from coalition_docs.phases import build
from coalition_docs.engine.manifest import MANIFEST
from coalition_docs.errors import ContentErrors
from coalition_docs.launch import lines
from coalition_docs.launch.timezones import vtimezone

from .conftest import edit
from .test_build import keys, snapshot
from .test_documents import pdf_text
from .test_meetings import MEETING, with_meeting


DETROIT = ZoneInfo("America/Detroit")

PRIVATE = """\
title: Budget check-in
group: management-team
starts: 2027-07-14 09:30
place:
  name: Back office
  online: https://meet.example.org/secret-budget
agenda:
  - topic: Spending so far
    minutes: 30
    notes: The grant is late.
"""

DRAFT = """\
title: Forming working groups
draft: true
agenda:
  - topic: Which groups
    minutes: 30
"""

AGREEMENT = """\
agreement:
  norms:
    - en: We start on time.
      es: Empezamos a tiempo.
    - Everyone speaks once before anyone speaks twice.
  decisions:
    en: Everyone gives input; the management team decides on spending.
    es: Todos opinan; el equipo de gestión decide los gastos.
  communication:
    - channel: Monthly e-mail digest
      use: News for everyone
"""


def launch_content(content: Path) -> Path:
    with_meeting(content)
    (content / "meetings" / "budget.yaml").write_text(PRIVATE, encoding="utf-8")
    (content / "meetings" / "groups.yaml").write_text(DRAFT, encoding="utf-8")
    coalition = content / "coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8") + AGREEMENT, encoding="utf-8")
    roster = content / "roster.yaml"
    edit(roster, "    title: Director\n", "    title: Director\n    email: pat@example.org\n    phone: 555-0100\n")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    import shutil

    from .conftest import FIXTURES

    content = tmp_path_factory.mktemp("launch") / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    launch_content(content)
    out = content.parent / "out"
    build(content, out, jobs=1)
    return content, out


def calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def events(path: Path) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar(path).walk("VEVENT")}


def spaced(text: str) -> str:
    """CLDR writes times with thin and narrow no-break spaces ("6:00\u202fPM"): plain spaces to compare."""
    return re.sub(r"[\u00a0\u2009\u202f]", " ", text)


def content_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")  # CRLF, and only CRLF
    return data[:-2].split(b"\r\n")


# ---------------------------------------------------------------- agendas


def test_each_meeting_that_is_not_a_draft_has_an_agenda_in_each_of_its_languages(built):
    _, out = built
    agendas = sorted(p.name for p in (out / "documents" / "agendas").iterdir())
    assert agendas == ["budget.pdf", "kickoff.es.pdf", "kickoff.pdf"]


def test_the_agenda_prints_times_place_people_items_and_preparation(built):
    _, out = built
    text = pdf_text(out / "documents" / "agendas" / "kickoff.pdf")
    for expected in ("Getting to know one another", "Wednesday, February 10, 2027",
                     "6:00 – 8:00 PM Eastern Standard Time", "Testville Library", "1 Main Street",
                     "https://meet.example.org/kickoff", "Spanish interpretation", "Facilitator", "Pat Manager",
                     "Note taker", "Nguyễn Thị Hương", "Bring a photo.", "Welcome", "Keep it short.",
                     "Introductions", "The whole coalition", "Launch activity 1 of 5: Getting acquainted"):
        assert expected.casefold() in text.casefold(), expected  # labels print in capitals
    # Each item at its clock time: the start, then the start plus the minutes before it.
    assert re.search(r"6:00 PM 15 minutes Welcome", text) and re.search(r"6:15 PM 60 minutes Introductions", text)
    assert "Page 1 of 1" in text


def test_the_spanish_agenda_is_wholly_in_spanish(built):
    _, out = built
    text = pdf_text(out / "documents" / "agendas" / "kickoff.es.pdf")
    for expected in ("Conocernos", "miércoles, 10 de febrero de 2027", "18:00–20:00 hora estándar oriental",
                     "Interpretación al español", "Traiga una foto.", "Bienvenida", "Breve.", "Presentaciones",
                     "18:15", "Orden del día", "Facilitación", "Toda la coalición", "Página 1 de 1"):
        assert expected.casefold() in text.casefold(), expected
    for english in ("Getting to know", "Welcome", "Bring a photo", "Facilitator", "Agenda", "Wednesday",
                    "minutes", "Page", "Spanish interpretation", "PM", "When", "Where"):
        assert english.casefold() not in text.casefold(), english


def test_agendas_are_tagged_with_their_language_title_and_paper(built):
    content, out = built
    for name, language, title in (("kickoff.pdf", "en", "Agenda: Getting to know one another"),
                                  ("kickoff.es.pdf", "es", "Orden del día: Conocernos")):
        reader = PdfReader(out / "documents" / "agendas" / name)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == language and reader.metadata.title == title
        assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
        tags = {str(kid.get_object().get("/S")) for kid in _structure(root["/StructTreeRoot"])}
        assert {"/H1", "/Table", "/TH", "/TD"} <= tags
        box = reader.pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # print.paper: letter


def _structure(node, depth: int = 0):
    kids = node.get("/K")
    if kids is None or depth > 40:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            yield kid
            yield from _structure(kid, depth + 1)


def test_an_agenda_lacking_a_translation_fails_the_build_naming_every_missing_text(content, tmp_path):
    text = MEETING.replace("  - topic: {en: Introductions, es: Presentaciones}", "  - topic: Introductions")
    text = text.replace("preparation:\n  en: Bring a photo.\n  es: Traiga una foto.\n", "preparation: Bring a photo.\n")
    with_meeting(content, text)
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path / "out", jobs=1)
    assert [p.format() for p in caught.value.problems] == [
        "meetings/kickoff.yaml:19:14: meeting kickoff: the agenda in Spanish (es) needs preparation in Spanish (es)\n"
        "    write it as a map with es: beside en:, or take es out of the meeting's languages",
        "meetings/kickoff.yaml:25:12: meeting kickoff: the agenda in Spanish (es) needs agenda[1].topic in Spanish "
        "(es)\n    write it as a map with es: beside en:, or take es out of the meeting's languages"]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow  # agendas built again on A4
def test_a4_paper_for_agendas(content, tmp_path):
    with_meeting(content)
    coalition = content / "coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8") + "print:\n  paper: a4\n", encoding="utf-8")
    build(content, tmp_path / "out", jobs=1, only="documents")
    box = PdfReader(tmp_path / "out" / "documents" / "agendas" / "kickoff.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


# ---------------------------------------------------------------- calendars


def test_the_internal_calendar_holds_every_meeting_that_is_not_a_draft(built):
    content, out = built
    path = out / "documents" / "meetings.ics"
    found = events(path)
    assert set(found) == {"kickoff@example.org", "budget@example.org"}  # not the draft
    kickoff = found["kickoff@example.org"]
    starts, ends = kickoff.decoded("DTSTART"), kickoff.decoded("DTEND")
    assert starts == dt.datetime(2027, 2, 10, 18, 0, tzinfo=DETROIT) and starts.utcoffset() == dt.timedelta(hours=-5)
    assert ends == dt.datetime(2027, 2, 10, 20, 0, tzinfo=DETROIT)
    assert kickoff["DTSTART"].params["TZID"] == "America/Detroit"
    assert kickoff.decoded("DTSTAMP") == dt.datetime(2027, 2, 10, 23, 0, tzinfo=dt.timezone.utc)
    assert str(kickoff["SUMMARY"]) == "Getting to know one another"
    assert str(kickoff["LOCATION"]) == "Testville Library, 1 Main Street, Testville"
    assert str(kickoff["URL"]) == "https://meet.example.org/kickoff"
    description = spaced(str(kickoff["DESCRIPTION"]))
    assert "6:00 PM  Welcome (15 minutes, Pat Manager)" in description
    assert "6:15 PM  Introductions (60 minutes)" in description and "Keep it short." in description
    attendees = {str(a.params["CN"]): str(a) for a in kickoff["ATTENDEE"]}
    assert attendees["Pat Manager"] == "mailto:pat@example.org"
    assert attendees["Nguyễn Thị Hương"].startswith("urn:uuid:")  # no e-mail: still one invitee
    assert set(attendees) == {p.name for p in load_coalition(content).meeting("kickoff").invitees}
    assert str(kickoff["ORGANIZER"]) == "mailto:pat@example.org"
    # July is daylight time: the zone's rules come with the calendar.
    budget = found["budget@example.org"]
    assert budget.decoded("DTSTART").utcoffset() == dt.timedelta(hours=-4)
    assert budget.decoded("DTEND") == dt.datetime(2027, 7, 14, 10, 0, tzinfo=DETROIT)
    assert budget["ATTENDEE"].params["CN"] == "Pat Manager"  # the management team: one person


def test_calendar_files_are_crlf_folded_at_75_octets_and_escaped(built):
    _, out = built
    for path in (out / "documents" / "meetings.ics", out / "site" / "es" / "meetings.ics",
                 out / "documents" / "contacts.vcf"):
        data = path.read_bytes()
        for line in content_lines(data):
            assert len(line) <= 75, (path.name, line)
            line.decode("utf-8")  # never cut inside a character
    data = (out / "documents" / "meetings.ics").read_bytes().decode("utf-8")
    assert "LOCATION:Testville Library\\, 1 Main Street\\, Testville" in data
    assert data.count("BEGIN:VTIMEZONE") == 1 and "TZID:America/Detroit" in data


def test_the_site_calendars_hold_public_meetings_with_public_fields_only(built):
    _, out = built
    for folder, title in ((out / "site", "Getting to know one another"), (out / "site" / "es", "Conocernos")):
        found = events(folder / "meetings.ics")
        assert set(found) == {"kickoff@example.org"}  # the management team's meeting is not public
        event = found["kickoff@example.org"]
        assert str(event["SUMMARY"]) == title
        assert event.decoded("DTSTART") == dt.datetime(2027, 2, 10, 18, 0, tzinfo=DETROIT)
        assert str(event["LOCATION"]) == "Testville Library, 1 Main Street, Testville"
        for private in ("URL", "ATTENDEE", "ORGANIZER"):
            assert private not in event, private
        one = events(folder / "meetings" / "kickoff.ics")
        assert set(one) == {"kickoff@example.org"}
    spanish = str(events(out / "site" / "es" / "meetings.ics")["kickoff@example.org"]["DESCRIPTION"])
    assert "Interpretación al español" in spanish and "Toda la coalición" in spanish
    for path in (out / "site").rglob("*"):
        if path.is_file() and path.suffix in (".ics", ".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            for secret in ("meet.example.org", "Keep it short", "too warm", "Wednesdays", "Budget check-in",
                           "pat@example.org"):
                assert secret not in text, (path, secret)


def test_vtimezone_describes_each_change_of_the_years_shown():
    text = vtimezone("America/Detroit", DETROIT, 2027, 2027)
    zone = icalendar.Calendar.from_ical("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + text + "END:VCALENDAR\r\n")
    component = next(iter(zone.walk("VTIMEZONE")))
    starts = sorted(str(c["DTSTART"].to_ical().decode()) for c in component.walk("DAYLIGHT"))
    assert "20270314T020000" in starts
    fixed = vtimezone("Asia/Kolkata", ZoneInfo("Asia/Kolkata"), 2027, 2027)
    assert "TZOFFSETFROM:+0530" in fixed and "TZOFFSETTO:+0530" in fixed


def test_folding_never_cuts_a_character_and_escaping_keeps_the_text():
    value = "Nguyễn Thị Hương; María, \\ Zoë\n" * 6
    line = lines.line("DESCRIPTION", lines.text(value))
    parts = line.encode("utf-8")[:-2].split(b"\r\n")
    assert all(len(p) <= 75 for p in parts) and all(p.startswith(b" ") for p in parts[1:])
    event = icalendar.Event.from_ical("BEGIN:VEVENT\r\n" + line + "END:VEVENT\r\n")
    assert str(event["DESCRIPTION"]) == value


# ---------------------------------------------------------------- the site's meetings page


def test_the_meetings_page_lists_public_meetings_in_every_language(built):
    _, out = built
    page = spaced((out / "site" / "meetings" / "index.html").read_text(encoding="utf-8"))
    assert '<time datetime="2027-02-10T18:00:00-05:00">Wednesday, February 10, 2027</time>' in page
    assert "6:00 – 8:00 PM Eastern Standard Time" in page
    assert "Testville Library" in page and "1 Main Street" in page and "Spanish interpretation" in page
    assert 'href="../meetings.ics"' in page and 'href="../meetings/kickoff.ics"' in page
    assert 'data-ends="2027-02-10T20:00:00-05:00"' in page
    assert "Budget check-in" not in page
    spanish = (out / "site" / "es" / "meetings" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in spanish and "<h1>Reuniones</h1>" in spanish
    assert "miércoles, 10 de febrero de 2027" in spanish and "Conocernos" in spanish
    assert "Interpretación al español" in spanish and 'href="../meetings.ics"' in spanish
    home = (out / "site" / "es" / "index.html").read_text(encoding="utf-8")
    assert 'href="meetings/">Reuniones</a>' in home  # in the menu


def test_the_structure_page_shows_the_public_part_of_the_agreement(built):
    _, out = built
    english = (out / "site" / "structure" / "index.html").read_text(encoding="utf-8")
    assert "We start on time." in english and "Everyone gives input" in english and "Consensus" in english
    assert "Monthly e-mail digest" not in english  # the channels are internal
    spanish = (out / "site" / "es" / "structure" / "index.html").read_text(encoding="utf-8")
    assert "Empezamos a tiempo." in spanish and "Todos opinan" in spanish
    # A norm with no Spanish version is shown as written, marked as English.
    assert '<span lang="en">Everyone speaks once before anyone speaks twice.</span>' in spanish


# ---------------------------------------------------------------- agreement and contacts


def test_the_agreement_explains_the_four_models_and_marks_ours(built):
    _, out = built
    text = pdf_text(out / "documents" / "agreement.pdf")
    for name in ("Consensus", "Majority rules", "Unanimous support", "Simple majority or plurality"):
        assert name in text
    assert "Consensus OUR MODEL" in text  # printed in capitals
    for expected in ("Everyone gives input; the management team decides on spending.", "We start on time.",
                     "Everyone speaks once", "Monthly e-mail digest", "News for everyone", "weekly",
                     "Project manager", "Pat Manager", "Homes", "Housing stability", "monthly"):
        assert expected in text, expected
    reader = PdfReader(out / "documents" / "agreement.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "en" and "Working agreement" in reader.metadata.title


def test_the_contact_sheet_lists_the_team_then_groups_then_partners(built):
    _, out = built
    text = pdf_text(out / "documents" / "contacts.pdf")
    order = [text.index(word) for word in ("Management team", "Working group leads", "Working groups",
                                           "Partner contacts")]
    assert order == sorted(order)
    assert "pat@example.org" in text and "555-0100" in text and "Alex Mayor" in text and "alex@example.org" in text
    assert "To invite" in text and "Member" in text  # the partners' stages


def test_the_vcards_parse_one_card_per_person_and_partner_contact(built):
    content, out = built
    data = (out / "documents" / "contacts.vcf").read_bytes()
    content_lines(data)
    cards = list(vobject.readComponents(data.decode("utf-8")))
    coalition = load_coalition(content)
    contacts = [p for p in coalition.partners if p.stage in ("member", "invite", "invited")]
    assert [c.fn.value for c in cards] == [p.name for p in coalition.people] + [
        (p.contact.name if p.contact and p.contact.name else p.name) for p in sorted(contacts, key=lambda p: p.name)]
    pat = cards[0]
    assert pat.version.value == "4.0" and pat.email.value == "pat@example.org" and pat.tel.value == "555-0100"
    assert pat.org.value == ["Test Backbone"] and pat.title.value == "Director"
    mayor = next(c for c in cards if c.fn.value == "Alex Mayor")
    assert mayor.email.value == "alex@example.org" and "1 Main St" in str(mayor.adr.value.street)
    assert len({c.uid.value for c in cards}) == len(cards)


# ---------------------------------------------------------------- same bytes, and incremental builds


@pytest.mark.slow  # the launch kit built again to compare the bytes
def test_two_builds_of_the_launch_kit_are_byte_identical(built, tmp_path):
    content, out = built
    second = tmp_path / "again"
    build(content, second, jobs=1)
    paths = [p for p in ("documents/meetings.ics", "documents/contacts.vcf", "documents/agreement.pdf",
                         "documents/contacts.pdf", "documents/agendas/kickoff.pdf", "documents/agendas/kickoff.es.pdf",
                         "site/meetings.ics", "site/es/meetings.ics", "site/meetings/index.html")]
    for path in paths:
        assert (out / path).read_bytes() == (second / path).read_bytes(), path


def test_a_meeting_edit_makes_again_only_its_agendas_the_calendars_and_the_meetings_pages(built, tmp_path):
    import shutil

    content, out = built
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    target = tmp_path / "out"
    shutil.copytree(out, target)
    edit(copy / "meetings" / "kickoff.yaml", "es: Traiga una foto.", "es: Traiga una foto, por favor.")
    before_keys = keys(target)
    result = build(copy, target, jobs=1)
    after_keys = keys(target)
    rendered = set(result.rendered)
    assert rendered == {p for p in before_keys.keys() | after_keys.keys() if before_keys.get(p) != after_keys.get(p)}
    # the Spanish preparation shows nowhere else (beside the filled HTML the engine keeps for the next build)
    assert {p for p in rendered if "/." not in p} == {"documents/agendas/kickoff.es.pdf"}

    edit(copy / "meetings" / "kickoff.yaml", "  name: Testville Library", "  name: Testville Public Library")
    before = snapshot(target)
    result = build(copy, target, jobs=1)
    after = snapshot(target)
    assert {p for p in result.rendered if "/." not in p} == {
        "documents/agendas/kickoff.pdf", "documents/agendas/kickoff.es.pdf", "documents/meetings.ics",
        "site/meetings.ics", "site/es/meetings.ics", "site/meetings/kickoff.ics", "site/es/meetings/kickoff.ics",
        "site/meetings/index.html", "site/es/meetings/index.html"}
    assert {p for p in after if after[p] != before.get(p)} - {MANIFEST} == set(result.rendered)


def test_a_character_no_font_has_in_a_meeting_is_located_in_its_file(content, capsys):
    from .conftest import run_cli

    with_meeting(content, MEETING.replace("  en: Getting to know one another", "  en: Getting to know 𓀀"))
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1 and err.startswith('meetings/kickoff.yaml:2:23: the PDFs have no font for "𓀀"'), err
