"""The contact sheet: who to reach, in the order a backbone organization looks for them.

`contact_sheet` groups the roster and the partner contacts for contacts.pdf:
the management team by role, the working group leads, the people of each
working group, the champions, everyone else on the roster, then the contacts
of the partners that are members or invited (stages member, invite, invited).
`vcards` writes the same people as vCard 4.0 (RFC 6350) for phones and mail
clients: one card a roster person, one a partner contact, in that order.
Both are internal: they hold e-mails, phones and addresses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from coalition_docs.content import model, vocab
from coalition_docs.content.ids import slugify
from coalition_docs.launch import lines

CONTACT_STAGES = ("member", "invite", "invited")  # the partners whose contact is on the sheet
PRODID = "-//coalition-docs//launch kit//EN"


@dataclass(frozen=True)
class Entry:
    """One line of the contact sheet."""

    name: str
    note: str | None  # a role, "Lead", the partner's stage
    organization: str | None
    title: str | None
    email: str | None
    phone: str | None
    address: tuple[str, ...] = ()


def namespace(coalition: model.Coalition) -> str:
    """What makes this coalition's ids its own: the host of site.url, else its name as an id."""
    from urllib.parse import urlsplit

    host = urlsplit(coalition.site_url).hostname if coalition.site_url else None
    return host or slugify(str(coalition.name)) or "coalition"


def _person(person: model.Person, note: str | None = None) -> Entry:
    return Entry(person.name, note, person.organization.name if person.organization else None,
                 str(person.title) if person.title else None, person.email, person.phone)


def _address(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").splitlines() if part.strip())


def partner_contacts(coalition: model.Coalition) -> list[model.Partner]:
    """Members and invitees, by name."""
    return model.by_name(p for p in coalition.partners if p.stage in CONTACT_STAGES)


def contact_sheet(coalition: model.Coalition) -> dict[str, Any]:
    """The sections of contacts.pdf. Roles, "Lead" and stages are English labels: the template translates them."""
    label = str
    team = []  # by role, in the chapter's order; a person with two roles is listed under each
    for role_id, role_label in vocab.MANAGEMENT_ROLES.items():
        team += [_person(p, label(role_label)) for p in coalition.people if any(r.id == role_id for r in p.roles)]
    # A group's name is the coalition's own words: the template's `translate` leaves it as written.
    leads = tuple(_person(g.lead, model.AsWritten(str(g.name), coalition.language))
                  for g in coalition.working_groups if g.lead is not None)
    groups = []
    listed = {p.id for p in coalition.people if p.roles}
    listed |= {g.lead.id for g in coalition.working_groups if g.lead is not None}
    for group in coalition.working_groups:
        people = coalition.people_in(group.id)
        listed |= {p.id for p in people}
        groups.append((str(group.name), tuple(
            _person(p, label("Lead") if group.lead is not None and p is group.lead else None) for p in people)))
    champions = tuple(_person(p) for p in coalition.people if p.champion)
    listed |= {p.id for p in coalition.people if p.champion}
    others = tuple(_person(p) for p in coalition.people if p.id not in listed)
    partners = []
    for partner in partner_contacts(coalition):
        contact = partner.contact or model.Contact()
        partners.append(Entry(contact.name or partner.name, label(partner.stage_label), partner.name,
                              contact.title, contact.email, contact.phone, _address(contact.address)))
    return {"team": tuple(team), "leads": leads, "groups": groups, "champions": champions, "others": others,
            "partners": tuple(partners)}


def _card_id(coalition: model.Coalition, kind: str, ident: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"coalition-docs:{namespace(coalition)}:{kind}:{ident}"))


def _card(uid: str, kind: str, entry: Entry, note: str | None) -> str:
    out = [lines.line("BEGIN", "VCARD"), lines.line("VERSION", "4.0"), lines.line("PRODID", lines.text(PRODID)),
           lines.line("UID", uid), lines.line("KIND", kind), lines.line("FN", lines.text(entry.name)),
           # A name is one string (roster.yaml and partner contacts do not split it): all of it is the family name.
           lines.line("N", lines.structured([entry.name, "", "", "", ""]))]
    if entry.organization:
        out.append(lines.line("ORG", lines.structured([entry.organization])))
    if entry.title:
        out.append(lines.line("TITLE", lines.text(entry.title)))
    if entry.email:
        out.append(lines.line("EMAIL", lines.text(entry.email), [("TYPE", "work")]))
    if entry.phone:
        out.append(lines.line("TEL", lines.text(entry.phone), [("VALUE", "text"), ("TYPE", "work")]))
    if entry.address:
        # Free text, one line a line: it all goes into the street, and the label prints it as written.
        out.append(lines.line("ADR", lines.structured(["", "", "\n".join(entry.address), "", "", "", ""]),
                              [("TYPE", "work"), ("LABEL", "\n".join(entry.address))]))
    if note:
        out.append(lines.line("NOTE", lines.text(note)))
    out.append(lines.line("END", "VCARD"))
    return "".join(out)


def vcards(coalition: model.Coalition, label: Callable[[str], str]) -> str:
    """contacts.vcf: a card per roster person (roster order), then per partner contact (by partner name)."""
    cards = []
    coalition_name = str(coalition.name)
    for person in coalition.people:
        notes = [label(r.label) for r in person.roles]
        notes += [str(g.name) for g in person.working_groups]
        if person.champion:
            notes.append(label("Champion"))
        note = "; ".join([coalition_name, *notes])
        cards.append(_card(_card_id(coalition, "person", person.id), "individual", _person(person), note))
    for partner in partner_contacts(coalition):
        contact = partner.contact or model.Contact()
        entry = Entry(contact.name or partner.name, None, partner.name, contact.title, contact.email,
                      contact.phone, _address(contact.address))
        kind = "individual" if contact.name else "org"
        cards.append(_card(_card_id(coalition, "partner", partner.id), kind, entry,
                           f"{coalition_name}; {label(partner.stage_label)}"))
    return "".join(cards)
