"""A rich content folder for the site's tests, with a marker in every private field.

`write_site_content(root)` writes a complete coalition (members and non-members,
public and private people, working groups, statements, pages, a static file)
whose PUBLIC fields read like a real coalition and whose every NON-PUBLIC field
(as content-format.md's "What is public" defines it) holds a unique marker
"zzpriv<n>x". Non-member partners, people without consent and draft pages carry
markers in every field, ids included where an id may be free. A built site must
contain no "zzpriv" anywhere.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

MARKER_PREFIX = "zzpriv"


class Markers:
    """Hands out unique markers and remembers them."""

    def __init__(self) -> None:
        self._count = itertools.count(1)
        self.issued: list[str] = []

    def __call__(self, shape: str = "text") -> str:
        marker = f"{MARKER_PREFIX}{next(self._count):03d}x"
        self.issued.append(marker)
        if shape == "id":
            return marker
        if shape == "email":
            return f"{marker}@example.org"
        if shape == "url":
            return f"https://{marker}.example.org/"
        return f"Private {marker} text"


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _private_partner_fields(m: Markers, sender: str) -> dict[str, Any]:
    """Every partner field that is never public, each with its own marker."""
    return {
        "asset_notes": m(),
        "aligned_initiatives": m(),
        "motivations": m(),
        "roles": m(),
        "considerations": m(),
        "contact": {
            "name": m(),
            "title": m(),
            "email": m("email"),
            "phone": m(),
            "address": f"{m()}\n{m()}",
        },
        "invitation": {
            "sender": sender,
            "rationale": m(),
            "resources_offered": m(),
            "power_sharing": m(),
            "what_is_different": m(),
            "sent": "2026-03-02",
            "response": "accepted",
        },
    }


MEMBERS = [
    # id, name, type, summary, populations, domains, assets
    (
        "riverbend-housing-alliance",
        "Riverbend Housing Alliance",
        "nonprofit",
        (
            "Helps renters stay in their homes through **legal aid**, emergency grants and "
            "tenant organizing across the east side. It leads the [Stable Homes](working-groups/homes/) group."
        ),
        ["residents-with-low-incomes", "people-experiencing-housing-instability"],
        ["housing-affordability", "housing-stability", "social-capital"],
        ["strong-connections-to-community-members", "community-engagement-experience"],
    ),
    (
        "city-of-riverbend",
        "City of Riverbend",
        "local-government",
        "The city's Office of Neighborhood Opportunity coordinates housing, transit and workforce programs.",
        ["residents-with-low-incomes", "young-people"],
        ["transportation-access", "housing-affordability", "political-participation"],
        ["political-clout", "financial-resources", "data-sharing-and-transparency"],
    ),
    (
        "eastside-learning-collaborative",
        "Eastside Learning Collaborative",
        "nonprofit",
        "Runs family learning centers and free preschool places in three neighborhoods.",
        ["young-people", "english-language-learners"],
        ["access-to-preschool", "effective-public-education", "digital-access"],
        ["staff-capacity", "representation-of-affected-groups"],
    ),
    (
        "riverbend-community-foundation",
        "Riverbend Community Foundation",
        "philanthropy",
        "A community foundation that funds neighborhood-led projects and shares its data.",
        [],
        ["wealth-building-opportunities", "financial-security"],
        ["financial-resources", "fundraising-capacity", "convening-power"],
    ),
    (
        "river-valley-university",
        "River Valley University",
        "anchor-institution",
        "The university's Center for Civic Data supports the coalition's measurement work.",
        ["people-of-color"],
        ["employment-opportunities", "preparation-for-college"],
        ["research-and-analytical-capacity", "data-informed-decisionmaking"],
    ),
    (
        "fair-wages-now",
        "Fair Wages Now",
        "advocacy-group",
        "Organizes workers for living wages and safer workplaces.",
        ["residents-with-low-incomes"],
        ["jobs-paying-living-wages", "opportunities-for-income", "economic-inclusion"],
        ["narrative-change-experience", "political-clout"],
    ),
    (
        "northside-health-clinic",
        "Northside Community Health Clinic",
        "nonprofit",
        "A federally qualified health center serving families regardless of insurance.",
        ["people-with-disabilities", "residents-with-low-incomes"],
        ["access-to-health-services", "neonatal-health", "riverfront-access"],
        ["staff-capacity"],
    ),
    (
        "riverbend-works",
        "Riverbend Works",
        "private-sector",
        "A regional employer network that opens apprenticeships to local residents.",
        ["young-people"],
        ["employment-opportunities"],
        ["key-relationships"],
    ),
]


def write_site_content(root: Path, *, site_url: str = "https://example.org/coalition/") -> Markers:
    """Write the content folder at `root`; return the markers placed in it."""
    m = Markers()
    root = Path(root)

    # People: public ones with real-looking public fields and marked private
    # fields; private ones marked everywhere (their ids too).
    private_pm = m("id")
    private_lead = m("id")
    private_champion = m("id")
    private_member = m("id")
    non_member_ids = {stage: m("id") for stage in ("inventory", "invite", "invited", "declined", "keep-informed")}
    private_statement_stem = m("id")
    draft_page = m("id")

    def private_person(pid: str, **extra: Any) -> dict[str, Any]:
        entry = {
            "id": pid,
            "name": m(),
            "organization": "riverbend-housing-alliance",
            "title": m(),
            "pronouns": m(),
            "bio": m(),
            "community_member": False,
            "compensated": True,
            "email": m("email"),
            "phone": m(),
            "public": False,
        }
        entry.update(extra)
        return entry

    def public_person(pid: str, name: str, org: str | None, title: str, bio: str, **extra: Any) -> dict[str, Any]:
        entry = {
            "id": pid,
            "name": name,
            "organization": org,
            "title": title,
            "bio": bio,
            "email": m("email"),
            "phone": m(),
            "compensated": True,
            "public": True,
        }
        if org is None:
            del entry["organization"]
            entry["community_member"] = True
        entry.update(extra)
        return entry

    people = [
        private_person(private_pm, roles=["project-manager"], working_groups=["homes"]),
        public_person(
            "amara-okafor", "Amara Okafor", "riverbend-housing-alliance", "Director of Programs",
            "Amara has organized tenants in Riverbend for fifteen years.",
            pronouns="she/her", roles=["community-engagement-lead"], working_groups=["homes"],
        ),
        public_person(
            "daniel-cho", "Daniel Cho", "river-valley-university", "Research Scientist",
            "Daniel builds the dashboards the coalition uses to track progress.",
            pronouns="he/him", roles=["data-lead", "learning-evaluation-lead"], working_groups=["jobs"],
        ),
        public_person(
            "lucia-fernandez", "Lucía Fernández", "riverbend-community-foundation", "Communications Officer",
            "Lucía tells the coalition's story in English and Spanish.",
            roles=["communications-lead"],
        ),
        public_person(
            "nguyen-thi-huong", "Nguyễn Thị Hương", None, "Resident leader",
            "Hương is a parent and a longtime east side resident.",
            working_groups=["learning", "homes"],
        ),
        public_person(
            "marcus-bell", "Marcus Bell", "city-of-riverbend", "Deputy Mayor",
            "Marcus opens doors at City Hall.", champion=True,
        ),
        public_person(
            "sam-rivera", "Sam Rivera", "eastside-learning-collaborative", "Family Programs Lead",
            "Sam leads the learning working group.", pronouns="they/them", working_groups=["learning"],
        ),
        public_person(
            "ifeoma-adebayo", "Ifeoma Adébáyọ̀", "fair-wages-now", "Organizer",
            "Ifeoma connects the coalition with worker centers.", working_groups=["jobs"],
        ),
        # Public, but works for a partner that is not a member: the
        # organization's name must not appear.
        public_person(
            "jo-park", "Jo Park", non_member_ids["invited"], "Volunteer",
            "Jo helps with outreach events.", working_groups=["health"],
        ),
        public_person(
            "grace-liu", "Grace Liu", "northside-health-clinic", "Medical Director",
            "", working_groups=["health"], champion=True,
        ),
        private_person(private_lead, working_groups=["health"]),
        private_person(private_champion, champion=True, organization="city-of-riverbend"),
        private_person(private_member, working_groups=["jobs"], community_member=True, organization=None),
    ]
    _dump(root / "roster.yaml", {"people": people})

    coalition = {
        "name": "Riverbend Mobility Coalition",
        "community": "Riverbend",
        "convener": "riverbend-housing-alliance",
        "project_manager": private_pm,
        "decision_model": "consensus",
        "mission": "We bring residents, nonprofits, the city and funders together so that "
        "**every family in Riverbend** can find a stable home, a good job and a school "
        "that helps their children thrive.\n\nWe measure what matters, share what we learn "
        "and let the people most affected lead.",
        "site": {"url": site_url, "language": "en"},
        "needs": {
            "populations": ["residents-with-low-incomes", m("id")],
            "areas": ["housing-stability", m("id")],
            "assets": ["convening-power", m("id")],
        },
        "data_points": [{"text": m(), "source": m()}, {"text": m()}],
        "invitation": {
            "what_is_different": m(),
            "resources_offered": m(),
            "power_sharing": m(),
            "respond_by": "2026-05-01",
        },
        "working_groups": [
            {
                "id": "homes",
                "name": "Stable Homes",
                "description": "Keeps families housed: eviction prevention, repairs and new affordable homes.",
                "lead": "amara-okafor",
                "areas": ["housing-affordability", "housing-stability"],
                "meets": "every other week",
            },
            {
                "id": "learning",
                "name": "Learning from the Start",
                "description": "Early learning and school success, from preschool to college.",
                "lead": "sam-rivera",
                "areas": ["access-to-preschool", "preparation-for-college", "digital-access"],
                "meets": "monthly",
            },
            {
                "id": "jobs",
                "name": "Good Jobs and Income",
                "description": "Pathways to jobs that pay a living wage.",
                "lead": "daniel-cho",
                "areas": ["jobs-paying-living-wages", "employment-opportunities"],
                "meets": "monthly",
            },
            {
                "id": "health",
                "name": "Healthy Neighborhoods",
                "description": "Health care access and clean air. Its lead has not agreed to be named.",
                "lead": private_lead,
                "areas": ["access-to-health-services", "environmental-quality"],
                "meets": "monthly",
            },
        ],
        "meetings": {
            "management_team": "weekly",
            "working_groups": "monthly",
            "champions": "twice a year",
        },
        "timezone": "America/Chicago",
        "agreement": {
            "norms": ["Start and end on time.", "Speak from your own experience."],
            "decisions": "The management team proposes; the whole coalition decides by consensus.",
            "communication": [{"channel": m(), "use": m()}],
        },
        "extra_vocabulary": {
            "populations": {m("id"): m()},
            "areas": {"riverfront-access": "Access to the riverfront", m("id"): m()},
            "assets": {m("id"): m()},
        },
    }
    # Extra ids above were issued as markers; make the needs refer to them.
    extra = coalition["extra_vocabulary"]
    coalition["needs"]["populations"][1] = next(iter(extra["populations"]))
    coalition["needs"]["areas"][1] = list(extra["areas"])[1]
    coalition["needs"]["assets"][1] = next(iter(extra["assets"]))
    _dump(root / "coalition.yaml", coalition)

    for pid, name, kind, summary, populations, domains, assets in MEMBERS:
        data = {
            "name": name,
            "type": kind,
            "relationship": "existing",
            "stage": "member",
            "website": f"https://www.{pid}.example.org/",
            "summary": summary,
            "populations": populations,
            "domains": domains,
            "assets": assets,
        }
        data.update(_private_partner_fields(m, "amara-okafor"))
        _dump(root / "partners" / f"{pid}.yaml", data)

    for stage, pid in non_member_ids.items():
        data = {
            "name": m(),
            "type": "nonprofit",
            "relationship": "new",
            "stage": stage,
            "website": m("url"),
            "summary": m(),
            "populations": [next(iter(extra["populations"]))],
            "domains": [list(extra["areas"])[1]],
            "assets": [next(iter(extra["assets"]))],
        }
        data.update(_private_partner_fields(m, "amara-okafor"))
        _dump(root / "partners" / f"{pid}.yaml", data)

    statements = {
        "management-team": {
            "kind": "team",
            "author": "The management team",
            "title": "Who we are as a team",
            "statement": "We are renters and homeowners, newcomers and people whose families "
            "have lived here for generations. Most of us are paid to do this work; the residents "
            "who join us are paid for their time too.",
            "identities": {"race": m(), "income": m()},
            "reflections": [{"prompt": m(), "answer": m()}],
            "public": True,
        },
        "amara-okafor": {
            "kind": "individual",
            "author": "amara-okafor",
            "statement": "I grew up in a family that was evicted twice, and that shapes how I listen.",
            "identities": {"gender": m()},
            "reflections": [{"prompt": m(), "answer": m()}],
            "public": True,
        },
        # Public statement by a person who is not public: no name, no file name.
        private_statement_stem: {
            "kind": "individual",
            "author": private_member,
            "statement": "As a resident, I bring what I see on my own street every day.",
            "public": True,
        },
        "city-of-riverbend": {
            "kind": "institutional",
            "author": "city-of-riverbend",
            "title": "The city's commitment",
            "statement": "As a government, we hold power over land and budgets. We commit to sharing it.",
            "public": True,
        },
        # Public institutional statement of a partner that is not a member.
        m("id"): {
            "kind": "institutional",
            "author": non_member_ids["invite"],
            "statement": "Our organization wants to listen first.",
            "public": True,
        },
        # Private statements: everything marked.
        m("id"): {
            "kind": "individual",
            "author": "daniel-cho",
            "title": m(),
            "statement": m(),
            "identities": {"age": m()},
            "public": False,
        },
    }
    for stem, data in statements.items():
        _dump(root / "positionality" / f"{stem}.yaml", data)

    pages = root / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    (pages / "about.md").write_text(
        "---\ntitle: About the coalition\norder: 1\n"
        "description: Why the Riverbend Mobility Coalition exists and how it works.\n---\n"
        "![Our logo](static/logo.svg)\n\n"
        "## Why we formed\n\nRiverbend's neighborhoods offer very different chances in life. "
        "We came together to change that, starting with the [people most affected](people/#champions).\n\n"
        "## How to read this site\n\n- The [members](members/) page lists every member organization.\n"
        "- The [coverage](/coverage/) page shows where we still have gaps.\n\n"
        "> Raw HTML is shown as text: <script>alert('x')</script>\n\n"
        "[A link that must not run](javascript:alert(1))\n",
        encoding="utf-8",
    )
    (pages / "get-involved.md").write_text(
        "---\ntitle: Get involved\norder: 2\n---\n"
        "Come to a working group meeting, tell us what your block needs, or ask your "
        "organization to join. Start with the [working groups](../working-groups/).\n",
        encoding="utf-8",
    )
    (pages / f"{draft_page}.md").write_text(
        f"---\ntitle: {m()}\ndraft: true\ndescription: {m()}\n---\n{m()}\n", encoding="utf-8"
    )

    _write_meetings(root, m, private_lead)

    static = root / "static"
    static.mkdir(parents=True, exist_ok=True)
    (static / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="80" height="80">'
        '<circle cx="20" cy="20" r="19" fill="#0b6b66"/><circle cx="20" cy="20" r="9" fill="#f6e6d6"/></svg>\n',
        encoding="utf-8",
    )
    return m


def _write_meetings(root: Path, m: Markers, private_person: str) -> None:
    """A public meeting whose internal fields are marked; a draft and an internal meeting marked everywhere."""
    def internal(**fields: Any) -> dict[str, Any]:
        return {"title": m(), "group": "homes", "launch_activity": "shared-analysis", "starts": "2026-06-03 18:00",
                "place": {"name": m(), "address": m(), "online": m("url")}, "accessibility": [m()],
                "facilitator": private_person, "note_taker": private_person, "attendees": [private_person],
                "preparation": m(), "agenda": [{"topic": m(), "minutes": 30, "lead": private_person, "notes": m()}],
                "notes": m(), "decisions": [m()], **fields}

    meetings = {
        "first-gathering": {
            "title": "Getting to know one another", "group": "coalition", "launch_activity": "get-acquainted",
            "starts": "2026-05-06 18:00", "ends": "20:00",
            "place": {"name": "Riverbend Library", "address": "200 Main Street\nRiverbend",
                      "online": m("url")},
            "accessibility": ["Step-free entrance", "Child care"],
            "facilitator": private_person, "note_taker": private_person, "attendees": [private_person],
            "preparation": m(), "agenda": [{"topic": m(), "minutes": 45, "lead": private_person, "notes": m()},
                                           {"topic": m(), "minutes": 60}],
            "notes": m(), "decisions": [m(), m()], "public": True,
        },
        m("id"): internal(),
        m("id"): internal(public=True, draft=True),
    }
    for stem, data in meetings.items():
        _dump(root / "meetings" / f"{stem}.yaml", data)
