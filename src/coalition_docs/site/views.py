"""What each page of the site shows beyond the public view: counts, groupings, the directory's filters.

Plain functions of the public view (`public.py`), one per page kind; plan.py
gives their results to the pages as variables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from coalition_docs.content import vocab
from coalition_docs.site.public import PublicPerson, PublicSite, PublicTerm, PublicWorkingGroup


def stats(view: PublicSite) -> dict[str, int]:
    covered = {t.id for m in view.members for t in m.domains if t.id in vocab.AREAS}
    return {
        "members": len(view.members),
        "working_groups": len(view.working_groups),
        "people": len(view.people),
        "areas_covered": len(covered),
        "areas_total": len(vocab.AREAS),
    }



def groups_of(view: PublicSite, people: Iterable[PublicPerson]) -> tuple[PublicWorkingGroup, ...]:
    wanted = {g.id for person in people for g in person.working_groups}
    return tuple(g for g in view.working_groups if g.id in wanted)


def related_members(view: PublicSite, group: PublicWorkingGroup) -> tuple:
    areas = {t.id for t in group.areas}
    if not areas:
        return ()
    return tuple(m for m in view.members if areas.intersection(t.id for t in m.domains))


# ---------------------------------------------------------------- directory


def _counts(view: PublicSite) -> tuple[dict[str, int], dict[str, int]]:
    """How many members are of each organization type, and work on each area."""
    type_counts: dict[str, int] = {}
    area_counts: dict[str, int] = {}
    for member in view.members:
        type_counts[member.type.id] = type_counts.get(member.type.id, 0) + 1
        for term in member.domains:
            area_counts[term.id] = area_counts.get(term.id, 0) + 1
    return type_counts, area_counts


def directory(view: PublicSite) -> dict[str, Any]:
    type_counts, area_counts = _counts(view)
    type_options = [(t, type_counts.get(t.id, 0)) for t in view.organization_types]
    area_groups = []
    for pillar_id, pillar_label, _ in vocab.PILLARS:
        options = [(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar == pillar_id]
        area_groups.append((pillar_label, options))
    custom = [(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar is None]
    if custom:
        area_groups.append(("Other areas", custom))
    return {"members": view.members, "type_options": type_options, "area_groups": area_groups}


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonEntry:
    person: PublicPerson
    full: bool  # the person's full card; False: a link to the card shown earlier
    note: str | None = None  # e.g. "Lead"


@dataclass(frozen=True)
class PeopleGroup:
    title: str | None
    anchor: str | None
    meets: str | None
    entries: tuple[PersonEntry, ...]


@dataclass(frozen=True)
class PeopleSection:
    anchor: str
    title: str
    intro: str | None
    groups: tuple[PeopleGroup, ...]


def people_sections(view: PublicSite) -> list[PeopleSection]:
    """Management team by role, champions, working groups, everyone else.

    Each person's card (with bio) appears once, where they first appear; later
    mentions link back to it.
    """
    shown: set[str] = set()

    def entries(people: Iterable[PublicPerson], notes: Mapping[str, str] | None = None):
        out = []
        for person in people:
            out.append(PersonEntry(person, person.id not in shown, (notes or {}).get(person.id)))
            shown.add(person.id)
        return tuple(out)

    meetings = view.coalition.meetings
    sections: list[PeopleSection] = []

    role_order = {role.id: index for index, role in enumerate(view.roles)}
    team = sorted(
        (p for p in view.people if p.roles),
        key=lambda p: min(role_order.get(r.id, len(role_order)) for r in p.roles),
    )
    if team:
        sections.append(
            PeopleSection(
                "management-team",
                "Management team",
                meetings.management_team,
                (PeopleGroup(None, None, None, entries(team)),),
            )
        )

    champions = [p for p in view.people if p.champion]
    if champions:
        sections.append(
            PeopleSection(
                "champions",
                "Champions",
                meetings.champions,
                (PeopleGroup(None, None, None, entries(champions)),),
            )
        )

    group_blocks = []
    for group in view.working_groups:
        people = ([group.lead] if group.lead else []) + [
            p for p in group.members if group.lead is None or p.id != group.lead.id
        ]
        if people:
            notes = {group.lead.id: "Lead"} if group.lead else {}
            group_blocks.append(
                PeopleGroup(group.name, f"group-{group.id}", group.meets, entries(people, notes))
            )
    if group_blocks:
        sections.append(
            PeopleSection("working-groups", "Working groups", meetings.working_groups, tuple(group_blocks))
        )

    others = [p for p in view.people if p.id not in shown]
    if others:
        sections.append(
            PeopleSection(
                "others",
                "Also part of the coalition",
                None,
                (PeopleGroup(None, None, None, entries(others)),),
            )
        )
    return sections


# ---------------------------------------------------------------- structure


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def structure(view: PublicSite) -> dict[str, Any]:
    """Figure 2-2 drawn from the data: three rings, working groups on the middle one."""
    size = 720
    c = size / 2
    rings = {"champions": 354, "partners": 278, "management": 102}
    groups = view.working_groups
    n = len(groups)
    nodes = []
    # Nodes sit on the middle ring except its top, where the ring's label goes.
    orbit = (rings["management"] + rings["partners"]) / 2
    gap = math.radians(64)  # half the opening left at the top for the label
    labelled = n <= 7
    if n:
        span = 2 * math.pi - 2 * gap
        step = span / n
        radius = min(76.0, orbit * step / 2 - 6)
        for i, group in enumerate(groups):
            angle = -math.pi / 2 + gap + step * (i + 0.5)
            x = c + orbit * math.cos(angle)
            y = c + orbit * math.sin(angle)
            width = 12 if radius >= 66 else 10
            lines = _wrap(group.name, width) if labelled else [str(i + 1)]
            if len(lines) > 4:
                lines = lines[:4]
                lines[-1] = lines[-1].rstrip(".,;:") + "…"
            font = (17 if radius >= 66 else 15) if labelled else 22
            first = -(len(lines) - 1) * font * 1.15 / 2
            nodes.append(
                {
                    "group": group,
                    "number": i + 1,
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "r": round(radius, 1),
                    "font": font,
                    "lines": [(line, round(first + k * font * 1.15 + font * 0.35, 1)) for k, line in enumerate(lines)],
                }
            )
    management = []
    for role in view.roles:
        holders = tuple(p for p in view.people if any(r.id == role.id for r in p.roles))
        management.append((role, holders))
    return {
        "figure": {
            "size": size,
            "center": c,
            "rings": rings,
            "nodes": nodes,
            "labelled": labelled,
        },
        "management": management,
        "champions": tuple(p for p in view.people if p.champion),
        "groups": groups,
    }


# ---------------------------------------------------------------- coverage


def coverage(view: PublicSite) -> dict[str, Any]:
    """How many members work on each area (by pillar) and are of each type."""
    type_counts, area_counts = _counts(view)
    total = len(view.members)

    def row(term: PublicTerm, count: int) -> dict[str, Any]:
        share = 0 if not total else round(100 * count / total, 1)
        return {"term": term, "count": count, "share": share}

    pillars = []
    for pillar_id, pillar_label, _ in vocab.PILLARS:
        rows = [row(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar == pillar_id]
        pillars.append(
            {
                "id": pillar_id,
                "label": pillar_label,
                "rows": rows,
                "covered": sum(1 for r in rows if r["count"]),
            }
        )
    custom = [row(t, area_counts.get(t.id, 0)) for t in view.areas if t.pillar is None]
    types = [row(t, type_counts.get(t.id, 0)) for t in view.organization_types]
    covered = sum(p["covered"] for p in pillars)
    return {
        "members": total,
        "pillars": pillars,
        "custom_areas": custom,
        "types": types,
        "areas_covered": covered,
        "areas_total": len(vocab.AREAS),
        "gaps": [r["term"] for p in pillars for r in p["rows"] if not r["count"]],
        "type_gaps": [r["term"] for r in types if not r["count"]],
        "types_covered": sum(1 for r in types if r["count"]),
    }


# ---------------------------------------------------------------- meetings


def meetings(view: PublicSite) -> dict[str, Any]:
    """The public meetings by date, each with its day and times as the page's language writes them.

    Nothing depends on the day of the build (same content, same page): site.js marks the meetings
    that are over in the reader's browser, from each one's end (`ends`, ISO with its offset).
    """
    from coalition_docs.launch import when

    language = view.coalition.language
    entries = []
    for meeting in view.meetings:
        entries.append({
            "meeting": meeting,
            "anchor": f"meeting-{meeting.id}",
            "day": when.day(meeting.starts, language),
            "times": when.span(meeting.starts, meeting.ends, language),
            "starts": meeting.starts.isoformat(),
            "ends": meeting.ends.isoformat(),
            "address": tuple(line.strip() for line in (meeting.place_address or "").splitlines() if line.strip()),
            "calendar": f"meetings/{meeting.id}.ics",
        })
    return {"entries": entries}
