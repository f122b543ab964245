"""The invitation letters: one per partner that gets one, and the order they print in.

A letter's context holds only the values the content has; every value it lacks
is recorded with where to add it, so `check` names all of them at once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from coalition_docs.content import model, vocab
from coalition_docs.content.languages import language_name
from coalition_docs.documents.mail import address_lines
from coalition_docs.documents.plan import Anything, Fields, Need, absent, by_name
from coalition_docs.errors import Problem


class _LetterBuilder:
    """Builds one letter's context and records every value it lacks."""

    def __init__(self, coalition: model.Coalition, partner: model.Partner, logo: Path | None):
        self.coalition = coalition
        self.partner = partner
        self.logo = logo
        self.language = coalition.letter_language(partner)
        self.needs: dict[str, Need] = {}

    def problem(self, where: model.Source, what: str, hint: str | None = None) -> Problem:
        return Problem(where.path, where.line, where.column,
                       f"partner {self.partner.id}: the letter needs {what}", hint)

    def record(self, prefix: str, items: list[tuple[str, Any, str, model.Source, str | None, Any]]) -> Fields:
        """Fields(prefix) from (key, value, what, where, hint, placeholder) rows."""
        fields = Fields(prefix)
        for key, value, what, where, hint, placeholder in items:
            if isinstance(value, model.Text):  # a translatable text: the letter's language, never another
                text = value.get(self.language)
                if text is None:
                    self.needs[f"{prefix}.{key}"] = Need(self.problem(
                        where, f"{what} in {language_name(self.language)} ({self.language})",
                        f"write it as a map with {self.language}: beside {self.coalition.language}:"), placeholder)
                    continue
                value = text
            if absent(value):
                self.needs[f"{prefix}.{key}"] = Need(self.problem(where, what, hint), placeholder)
            else:
                fields[key] = value
        return fields

    def person(self, prefix: str, person: model.Person, role: str) -> Fields:
        rows = []
        for key, value in (
            ("id", person.id),
            ("name", person.name),
            ("title", person.title),
            ("organization", person.organization.name if person.organization else None),
            ("community_member", person.community_member or None),
            ("pronouns", person.pronouns),
            ("email", person.email),
            ("phone", person.phone),
        ):
            rows.append((key, value, f"the {key} of {person.id} ({role})", person.source,
                         "add it to this person in roster.yaml", ""))
        return self.record(prefix, rows)

    def build(self) -> tuple[dict[str, Any], dict[str, Need]]:
        c, p = self.coalition, self.partner
        contact = p.contact or model.Contact()
        inv = p.invitation or model.Invitation()
        default = c.invitation

        def here(dotted: str) -> str:
            section, _, key = dotted.rpartition(".")
            return f"add {key} under {section} in this partner's file" if section else f"add {key} to this partner's file"

        coalition = self.record("coalition", [
            ("name", c.name, "name", c.position("name"), None, ""),
            ("community", c.community, "community", c.position("community"), None, ""),
            ("mission", c.mission, "mission", c.position("mission"), None, ""),
            ("decision_model", c.decision_model_label, "decision_model", c.position("decision_model"),
             "add decision_model to coalition.yaml", ""),
            ("logo_url", self.logo.as_uri() if self.logo else None, "a logo (static/logo.svg or static/logo.png)",
             c.source, "put logo.svg or logo.png into the content's static/ folder", ""),
        ])
        partner = self.record("partner", [
            ("id", p.id, "id", p.source, None, ""),
            ("name", p.name, "name", p.position("name"), None, ""),
            ("type", p.type.label, "type", p.position("type"), None, ""),
            ("website", p.website, "website", p.position("website"), here("website"), ""),
        ])
        # The address block prints the organization's name itself: an address that
        # starts with it too would show it twice.
        address = address_lines(p)
        contact_fields = self.record("contact", [
            ("name", contact.name, "contact.name", p.position("contact.name"), here("contact.name"), ""),
            ("title", contact.title, "contact.title", p.position("contact.title"), here("contact.title"), ""),
            ("address_lines", address, "contact.address", p.position("contact.address"), here("contact.address"), []),
            ("email", contact.email, "contact.email", p.position("contact.email"), here("contact.email"), ""),
            ("phone", contact.phone, "contact.phone", p.position("contact.phone"), here("contact.phone"), ""),
        ])
        overridable = "write it in this partner's invitation, or give every letter a default under invitation in coalition.yaml"
        invitation = self.record("invitation", [
            ("rationale", inv.rationale, "invitation.rationale", p.position("invitation.rationale"),
             "say in this partner's invitation why you invite them", ""),
            *[
                (key, getattr(inv, key) or getattr(default, key), f"invitation.{key}",
                 # where the text the letter prints is written: the partner's own, else the coalition's default
                 p.position(f"invitation.{key}") if getattr(inv, key) or not getattr(default, key)
                 else c.position(f"invitation.{key}"), overridable, "")
                for key in ("what_is_different", "resources_offered", "power_sharing")
            ],
            ("respond_by", default.respond_by, "invitation.respond_by", c.position("invitation.respond_by"),
             "set the date every letter asks for an answer by under invitation in coalition.yaml",
             dt.date(2000, 1, 1)),
            ("sent", inv.sent, "invitation.sent", p.position("invitation.sent"), here("invitation.sent"), dt.date(2000, 1, 1)),
            # The date the letter prints: when it was sent, else the coalition's date for every letter.
            ("date", inv.sent or default.date, "invitation.sent", p.position("invitation.sent"),
             "add sent under invitation in this partner's file, or date under invitation in coalition.yaml",
             dt.date(2000, 1, 1)),
            ("response", vocab.RESPONSES.get(inv.response or ""), "invitation.response",
             p.position("invitation.response"), here("invitation.response"), ""),
        ])
        context: dict[str, Any] = {
            "language": self.language,
            "coalition": coalition,
            "partner": partner,
            "contact": contact_fields,
            "invitation": invitation,
            "project_manager": self.person("project_manager", c.project_manager, "the project manager"),
        }
        if inv.sender is not None:
            context["sender"] = self.person("sender", inv.sender, "the sender")
        else:
            self.needs["sender"] = Need(self.problem(
                p.position("invitation.sender"), "invitation.sender",
                "name the person (a roster id) who signs this partner's letter"), Anything())
        if c.data_points:
            context["data_points"] = [
                self.record(f"data_points[{i}]", [
                    ("text", point.text, f"data_points[{i}].text", c.position(f"data_points.{i}.text"), None, ""),
                    ("source", point.source, f"data_points[{i}].source", c.position(f"data_points.{i}"),
                     "say where the figure comes from in coalition.yaml", ""),
                ])
                for i, point in enumerate(c.data_points)
            ]
        else:
            self.needs["data_points"] = Need(self.problem(
                c.position("data_points"), "data_points",
                "list the key local figures (text and source) under data_points in coalition.yaml"), [])
        return context, self.needs


def letter_context(coalition: model.Coalition, partner: model.Partner,
                   logo: Path | None = None) -> tuple[dict[str, Any], dict[str, Need]]:
    """The letter template's context (present values only) and the values it lacks."""
    return _LetterBuilder(coalition, partner, logo).build()



def letter_order(coalition: model.Coalition) -> list[model.Partner]:
    """The partners that get a letter, in the worksheet's table 4 order (by name)."""
    return by_name(coalition.letter_partners)
