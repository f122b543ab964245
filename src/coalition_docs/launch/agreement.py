"""The working agreement (agreement.pdf): what the coalition agreed in its launch meetings.

In the primary language: the four decision models of the chapter with the
coalition's own marked, who gives input and who decides (`agreement.decisions`),
the norms, the communication channels, how often each group meets, the
management team by role, the working groups and the champions.
"""

from __future__ import annotations

from typing import Any

from coalition_docs.content import model, vocab

AGREEMENT_TEMPLATE = "documents/agreement.html"
CONTACTS_TEMPLATE = "documents/contacts.html"


def agreement_context(coalition: model.Coalition) -> dict[str, Any]:
    agreement = coalition.agreement
    roles = []
    for role_id, label in vocab.MANAGEMENT_ROLES.items():
        roles.append((label, tuple(p for p in coalition.people if any(r.id == role_id for r in p.roles))))
    groups = []
    for group in coalition.working_groups:
        members = tuple(p for p in coalition.people_in(group.id) if p is not group.lead)
        groups.append({"group": group, "lead": group.lead, "members": members})
    return {
        "language": coalition.language,
        "coalition": coalition,
        "models": [(model_id, vocab.DECISION_MODEL_NAMES[model_id]) for model_id in vocab.DECISION_MODELS],
        "decision_model": coalition.decision_model,
        "decisions": agreement.decisions,
        "norms": agreement.norms,
        "communication": agreement.communication,
        "cadence": coalition.meetings,
        "roles": roles,
        "groups": groups,
        "champions": tuple(p for p in coalition.people if p.champion),
    }
