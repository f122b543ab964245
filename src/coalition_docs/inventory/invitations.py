"""Following up invitations: who was invited, when, what they answered, who is overdue.

`coalition-docs report --invitations` lists every partner at stage invite or
invited. A response is overdue when the letter was sent and its response is
still pending (or not recorded) after the coalition's `invitation.respond_by`. "Today" is an input (the
report's `--today`, else the system date): this is a report, not a build
output, so it may depend on the clock.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TextIO

from coalition_docs.content import model

INVITED_STAGES = ("invite", "invited")


@dataclass(frozen=True)
class InvitationStatus:
    partner: str
    name: str
    stage: str
    sent: dt.date | None
    response: str
    days_since_sent: int | None
    overdue: bool

    def as_json(self) -> dict:
        return {"partner": self.partner, "name": self.name, "stage": self.stage,
                "sent": self.sent.isoformat() if self.sent else None, "response": self.response,
                "days_since_sent": self.days_since_sent, "overdue": self.overdue}


def invitations(coalition: model.Coalition, today: dt.date) -> list[InvitationStatus]:
    respond_by = coalition.invitation.respond_by
    found = []
    for partner in sorted(coalition.partners, key=lambda p: p.id):
        if partner.stage not in INVITED_STAGES:
            continue
        invitation = partner.invitation or model.Invitation()
        response = invitation.response or "pending"
        sent = invitation.sent
        found.append(InvitationStatus(
            partner=partner.id, name=partner.name, stage=partner.stage, sent=sent, response=response,
            days_since_sent=(today - sent).days if sent else None,
            # a letter not sent yet cannot be overdue; one sent and still unanswered after the date is
            overdue=sent is not None and response == "pending" and respond_by is not None and today > respond_by,
        ))
    return found


def render_json(statuses: list[InvitationStatus], stream: TextIO) -> None:
    stream.write(json.dumps({"invitations": [s.as_json() for s in statuses]}, indent=2, ensure_ascii=False) + "\n")


def render_text(statuses: list[InvitationStatus], coalition: model.Coalition, today: dt.date, stream: TextIO) -> None:
    respond_by = coalition.invitation.respond_by
    overdue = sum(s.overdue for s in statuses)
    stream.write(f"{coalition.name}: {len(statuses)} invitation{'s' if len(statuses) != 1 else ''} on "
                 f"{today.isoformat()}" + (f", answers due by {respond_by.isoformat()}" if respond_by else "")
                 + f"; {overdue} overdue\n")
    if not statuses:
        return
    rows = [("partner", "stage", "sent", "days", "response", "")]
    for s in statuses:
        rows.append((s.name, s.stage, s.sent.isoformat() if s.sent else "not sent",
                     "" if s.days_since_sent is None else str(s.days_since_sent), s.response,
                     "OVERDUE" if s.overdue else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        stream.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n")
