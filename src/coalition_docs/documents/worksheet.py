"""The filled worksheet: the coalition's answers to parts 1-4, one PDF."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coalition_docs.content import model, vocab
from coalition_docs.documents.plan import by_name
from coalition_docs.inventory.analysis import NEED_KINDS, coverage


def _checklist(terms: Mapping[str, model.Term], chosen: Sequence[model.Term],
               groups: Sequence[tuple[str | None, Sequence[str]]]) -> list[dict[str, Any]]:
    """Option groups for one part-1 question: every option, the chosen ones checked,
    the coalition's own entries (custom terms) in a last group, "Other"."""
    picked = {t.id for t in chosen}
    out = []
    for label, ids in groups:
        out.append({
            "label": label,
            "other": False,
            "options": [{"id": i, "label": terms[i].label, "checked": i in picked} for i in ids if i in terms],
        })
    custom = [t for t in terms.values() if t.custom]
    out.append({
        "label": "Other",
        "other": True,
        "options": [{"id": t.id, "label": t.label, "checked": t.id in picked} for t in custom],
    })
    return out


def worksheet_context(coalition: model.Coalition) -> dict[str, Any]:
    voc = coalition.vocabulary
    fixed_populations = [i for i in voc.populations if not voc.populations[i].custom]
    fixed_assets = [i for i in voc.assets if not voc.assets[i].custom]
    questions = [
        {"id": "populations",
         "groups": _checklist(voc.populations, coalition.needs_populations, [(None, fixed_populations)])},
        {"id": "areas",
         "groups": _checklist(voc.areas, coalition.needs_areas,
                              [(label, [a for a, _ in areas]) for _, label, areas in vocab.PILLARS])},
        {"id": "assets",
         "groups": _checklist(voc.assets, coalition.needs_assets, [(None, fixed_assets)])},
    ]
    partners = by_name(coalition.partners)
    invite_list = [
        {
            "partner": p,
            "member": p.contact.name if p.contact and p.contact.name else None,
            "member_title": p.contact.title if p.contact and p.contact.title else None,
            "sender": p.invitation.sender if p.invitation else None,
            "sent": p.invitation.sent if p.invitation else None,
            "response": vocab.RESPONSES.get(p.invitation.response or "") if p.invitation else None,
        }
        for p in partners if p.gets_letter
    ]
    return {
        "language": coalition.language,
        "coalition": coalition,
        "questions": questions,
        "existing": [p for p in partners if p.relationship == "existing"],
        "new": [p for p in partners if p.relationship == "new"],
        "partners": partners,
        "invite_list": invite_list,
        "keep_informed": [p for p in partners if p.stage == "keep-informed"],
        "gaps": coverage(coalition),
        "need_kinds": dict(NEED_KINDS),
    }

