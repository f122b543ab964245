"""Who is missing: the coalition's coverage of its own needs, computed from the model.

Pure functions of a `model.Coalition`; no I/O. `report.py` prints the result,
the worksheet shows it as its gaps section, and the site's coverage page shows
an aggregate built from public fields only (public.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from coalition_docs.content import model
from coalition_docs.content import vocab

NEED_KINDS = (("populations", "Target populations"), ("areas", "Priority areas"), ("assets", "Assets"))


@dataclass(frozen=True)
class NeedCoverage:
    kind: str  # "populations", "areas" or "assets"
    term: model.Term
    members: tuple[str, ...]  # names of member partners that meet the need
    others: tuple[str, ...]  # names of partners not (yet) members that meet it

    @property
    def met(self) -> bool:
        return bool(self.members or self.others)


@dataclass(frozen=True)
class GroupGap:
    id: str
    name: str
    no_lead: bool
    no_community_member: bool


@dataclass(frozen=True)
class Coverage:
    needs: tuple[NeedCoverage, ...]
    missing_types: tuple[model.Term, ...]  # figure 2-1 types with no partner at all
    types_without_member: tuple[model.Term, ...]  # types with partners but no member
    empty_roles: tuple[model.Term, ...]  # management roles nobody holds
    groups: tuple[GroupGap, ...]  # working groups with a gap
    community_members: int
    compensated: int
    partners: int
    members: int

    @property
    def unmet(self) -> tuple[NeedCoverage, ...]:
        return tuple(n for n in self.needs if not n.met)

    @property
    def met_only_outside(self) -> tuple[NeedCoverage, ...]:
        """Needs that only partners who are not members meet: whom to invite."""
        return tuple(n for n in self.needs if n.others and not n.members)

    def to_json(self) -> dict:
        return {
            "partners": self.partners,
            "members": self.members,
            "needs": [{"kind": n.kind, "id": n.term.id, "label": n.term.label, "members": list(n.members),
                       "not_yet_members": list(n.others), "met": n.met} for n in self.needs],
            "unmet_needs": [{"kind": n.kind, "id": n.term.id, "label": n.term.label} for n in self.unmet],
            "organization_types_without_partner": [{"id": t.id, "label": t.label} for t in self.missing_types],
            "organization_types_without_member": [{"id": t.id, "label": t.label}
                                                  for t in self.types_without_member],
            "management_roles_without_anyone": [{"id": t.id, "label": t.label} for t in self.empty_roles],
            "working_groups": [{"id": g.id, "name": g.name, "without_lead": g.no_lead,
                                "without_community_member": g.no_community_member} for g in self.groups],
            "community_members": {"serving": self.community_members, "compensated": self.compensated},
        }


def _counted(partner: model.Partner) -> bool:
    """Partners that still count toward coverage: everyone but those who declined."""
    return partner.stage != "declined"


def coverage(coalition: model.Coalition) -> Coverage:
    partners = model.by_name(p for p in coalition.partners if _counted(p))
    attribute = {"populations": "populations", "areas": "domains", "assets": "assets"}
    wanted = {"populations": coalition.needs_populations, "areas": coalition.needs_areas,
              "assets": coalition.needs_assets}
    needs = []
    for kind, _ in NEED_KINDS:
        for term in wanted[kind]:
            meeting = [p for p in partners if any(t.id == term.id for t in getattr(p, attribute[kind]))]
            needs.append(NeedCoverage(kind, term, tuple(p.name for p in meeting if p.stage == "member"),
                                      tuple(p.name for p in meeting if p.stage != "member")))
    types = [model.Term(type_id, label) for type_id, label in vocab.ORGANIZATION_TYPES.items()]
    present = {p.type.id for p in partners}
    member_types = {p.type.id for p in partners if p.stage == "member"}
    held = {role.id for person in coalition.people for role in person.roles}
    groups = []
    for group in coalition.working_groups:
        no_lead = group.lead is None
        serving = [*group.members, *([group.lead] if group.lead is not None else [])]
        no_community = not any(person.community_member for person in serving)
        if no_lead or no_community:
            groups.append(GroupGap(group.id, group.name, no_lead, no_community))
    community = [p for p in coalition.people if p.community_member]
    return Coverage(
        needs=tuple(needs),
        missing_types=tuple(t for t in types if t.id not in present),
        types_without_member=tuple(t for t in types if t.id in present and t.id not in member_types),
        empty_roles=tuple(model.Term(r, label) for r, label in vocab.MANAGEMENT_ROLES.items() if r not in held),
        groups=tuple(groups),
        community_members=len(community),
        compensated=sum(1 for p in community if p.compensated),
        partners=len(partners),
        members=sum(1 for p in partners if p.stage == "member"),
    )
