"""Generate a large, valid, deterministic coalition content folder for benchmarks.

    python benchmarks/generate.py --partners 1000 --out /tmp/coalition-1000 [--seed 1] [--force]

The same seed gives byte-identical files. About 20% of partners are members and
about 20% are at the invite/invited stages (so ~200 letters for 1,000 partners).
Importable: `from generate import generate; generate(out_dir, partners, seed)`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import yaml

ORG_TYPES = ["local-government", "nonprofit", "advocacy-group", "philanthropy",
             "research-organization", "anchor-institution", "private-sector"]
POPULATIONS = ["people-of-color", "specific-racial-or-ethnic-groups", "people-with-disabilities",
               "english-language-learners", "people-experiencing-housing-instability", "young-people",
               "people-involved-in-the-criminal-legal-system", "residents-with-low-incomes",
               "middle-class-residents"]
AREAS = ["housing-affordability", "housing-stability", "economic-inclusion", "racial-diversity",
         "social-capital", "transportation-access", "access-to-preschool", "effective-public-education",
         "school-economic-diversity", "preparation-for-college", "digital-access",
         "employment-opportunities", "jobs-paying-living-wages", "opportunities-for-income",
         "financial-security", "wealth-building-opportunities", "access-to-health-services",
         "neonatal-health", "environmental-quality", "safety-from-trauma", "political-participation",
         "descriptive-representation", "safety-from-crime", "just-policing"]
ASSETS = ["research-and-analytical-capacity", "staff-capacity", "financial-resources", "political-clout",
          "key-relationships", "strong-connections-to-community-members", "community-engagement-experience",
          "fundraising-capacity", "representation-of-affected-groups", "convening-power",
          "data-informed-decisionmaking", "racial-equity-approach", "understanding-of-positionality",
          "power-sharing-practice", "data-sharing-and-transparency", "narrative-change-experience"]
ROLES = ["project-manager", "data-lead", "community-engagement-lead", "communications-lead",
         "learning-evaluation-lead"]

PLACES = ["Riverside", "Eastbank", "Northgate", "Cedar Hill", "Millrace", "Harbor", "Oak Street",
          "Southfield", "Lakeview", "Union Square", "Westbrook", "Foundry", "Maple Park", "Tessel"]
FOCUS = {
    "local-government": ["Housing Authority", "Parks Department", "Workforce Board", "Planning Office"],
    "nonprofit": ["Family Center", "Food Bank", "Youth Club", "Neighborhood Association", "Legal Aid"],
    "advocacy-group": ["Tenants Union", "Voters League", "Justice Project", "Disability Network"],
    "philanthropy": ["Community Fund", "Family Foundation", "Giving Circle"],
    "research-organization": ["Policy Lab", "Data Collaborative", "Research Center"],
    "anchor-institution": ["Medical Center", "Community College", "University", "Health System"],
    "private-sector": ["Credit Union", "Builders", "Grocery Cooperative", "Manufacturing", "Bank"],
}
FIRST = ["Ana", "Marcus", "Hương", "Ifeoma", "Zoë", "Tomasz", "Aroha", "Jamal", "Priya", "Lucía",
         "Wen", "Keisha", "Samuel", "Ingrid", "Omar", "Mei", "Darnell", "Sofía", "Ravi", "Nadia"]
LAST = ["Delgado", "Nguyễn", "Adébáyọ̀", "Ødegård", "Wójcik", "Ngāta", "Brooks", "Raman", "Fernández",
        "Li", "Moreland", "Okafor", "Berg", "Haddad", "Chen", "Peña", "Kowalczyk", "Mbeki", "Santos"]
WORDS = ("families neighbors housing wages transit school trust data jobs savings health youth "
         "organizing training outreach childcare rent ownership learning community").split()
STAGES = ["member"] * 4 + ["invite", "invited"] * 2 + ["inventory"] * 6 + ["declined", "keep-informed"] * 2


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _sentences(r: random.Random, count: int, length: int = 12) -> str:
    return " ".join(
        " ".join(r.choice(WORDS) for _ in range(length)).capitalize() + "." for _ in range(count)
    )


def _dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def generate(out_dir: Path, partners: int, seed: int = 1) -> None:
    r = random.Random(seed)
    out = Path(out_dir)
    for folder in ("partners", "positionality", "pages"):
        (out / folder).mkdir(parents=True, exist_ok=True)

    people_count = max(12, partners // 10 + 12)
    people = []
    for i in range(people_count):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
        people.append({"id": f"{_slug(name)}-{i}", "name": name})
    person_ids = [p["id"] for p in people]

    partner_ids = []
    for i in range(partners):
        kind = ORG_TYPES[i % len(ORG_TYPES)]
        name = f"{PLACES[(i // 7) % len(PLACES)]} {r.choice(FOCUS[kind])} {i:04d}"
        pid = _slug(name)
        partner_ids.append(pid)
        stage = "member" if i == 0 else STAGES[r.randrange(len(STAGES))]
        data: dict = {
            "name": name, "type": kind, "relationship": "existing" if i % 2 == 0 else "new", "stage": stage,
            "website": f"https://example.org/{pid}/",
            "populations": sorted(r.sample(POPULATIONS, r.randint(1, 3))),
            "domains": sorted(r.sample(AREAS, r.randint(1, 4))),
            "assets": sorted(r.sample(ASSETS, r.randint(1, 3))),
            "asset_notes": _sentences(r, 1, 8),
            "aligned_initiatives": f"{r.choice(PLACES)} {r.choice(WORDS).title()} Initiative",
            "motivations": _sentences(r, 1), "roles": _sentences(r, 1, 8), "considerations": _sentences(r, 2),
        }
        if stage == "member":
            data["summary"] = _sentences(r, 5)
        if stage in ("invite", "invited"):
            contact_name = f"{r.choice(FIRST)} {r.choice(LAST)}"
            data["contact"] = {
                "name": contact_name, "title": "Executive Director", "email": f"director@{pid}.example.org",
                "phone": f"555-{r.randrange(10000):04d}",
                "address": f"{name}\n{r.randint(1, 999)} {r.choice(PLACES)} Avenue\nMarlow Falls, ST 40112\n",
            }
            invitation: dict = {"sender": r.choice(person_ids[:6]), "rationale": _sentences(r, 2, 16)}
            if stage == "invited":
                invitation["sent"] = dt.date(2026, 10, 1) + dt.timedelta(days=r.randrange(40))
                invitation["response"] = "pending"
            data["invitation"] = invitation
        _dump(out / "partners" / f"{pid}.yaml", data)

    groups = [
        {"id": f"group-{n + 1}", "name": f"{title} Working Group", "description": _sentences(r, 2),
         "lead": person_ids[6 + n], "areas": sorted(r.sample(AREAS, 3)), "meets": "Monthly"}
        for n, title in enumerate(["Homes", "Good Jobs", "Learning", "Health"])
    ]
    for i, person in enumerate(people):
        person.update({
            "title": r.choice(["Director", "Organizer", "Analyst", "Program Manager", "Resident"]),
            "bio": _sentences(r, 2),
        })
        if i % 9 == 4:
            person.update({"community_member": True, "compensated": i % 2 == 0})
        else:
            person["organization"] = partner_ids[0] if i < 2 else r.choice(partner_ids)
        if i < len(ROLES):
            person["roles"] = [ROLES[i]]
        person["working_groups"] = [groups[i % 4]["id"]]
        person["champion"] = i % 11 == 10
        person["email"] = f"{person['id']}@example.org"
        person["public"] = i % 5 != 3
    _dump(out / "roster.yaml", {"people": people})

    _dump(out / "coalition.yaml", {
        "name": "Generated Mobility Coalition", "community": "Marlow Falls",
        "convener": partner_ids[0], "project_manager": person_ids[0], "decision_model": "consensus",
        "mission": _sentences(r, 3), "site": {"url": "https://example.org/generated/", "language": "en"},
        "needs": {"populations": sorted(r.sample(POPULATIONS, 4)) + ["older-adults"],
                  "areas": sorted(r.sample(AREAS, 6)), "assets": sorted(r.sample(ASSETS, 5))},
        "data_points": [{"text": _sentences(r, 1), "source": f"Local Survey {2020 + n}"} for n in range(3)],
        "invitation": {"what_is_different": _sentences(r, 2), "resources_offered": _sentences(r, 2),
                       "power_sharing": _sentences(r, 2), "respond_by": dt.date(2027, 1, 15)},
        "working_groups": groups,
        "meetings": {"management_team": "Weekly", "working_groups": "Monthly", "champions": "Quarterly"},
        "extra_vocabulary": {"populations": {"older-adults": "Older adults"},
                             "areas": {"food-security": "Food security"},
                             "assets": {"multilingual-outreach": "Multilingual outreach"}},
    })
    statements = {
        "team": {"kind": "team", "author": "The management team", "public": True},
        "pm": {"kind": "individual", "author": person_ids[0], "public": True},
        "convener": {"kind": "institutional", "author": partner_ids[0], "public": False},
    }
    for sid, data in statements.items():
        data.update({"title": f"Statement {sid}", "identities": {"education": "college"},
                     "reflections": [{"prompt": "What power do we hold?", "answer": _sentences(r, 1)}],
                     "statement": _sentences(r, 4)})
        _dump(out / "positionality" / f"{sid}.yaml", data)
    (out / "pages" / "about.md").write_text(
        f"---\ntitle: About\norder: 1\n---\n## Who we are\n\n{_sentences(r, 6)}\n", encoding="utf-8"
    )


GENERATED = ("coalition.yaml", "roster.yaml", "partners", "positionality", "pages")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace what an earlier run generated")
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        if not args.force:
            sys.exit(f"{args.out} is not empty; use --force to replace a generated coalition")
        for name in GENERATED:
            target = args.out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    generate(args.out, args.partners, args.seed)
    print(f"wrote a coalition of {args.partners} partners into {args.out}")


if __name__ == "__main__":
    main()
