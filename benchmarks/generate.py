"""Generate a large, valid, deterministic coalition content folder for tests and benchmarks.

    python benchmarks/generate.py --partners N --out DIR [--seed S] [--force]

Writes DIR/coalition.yaml, DIR/roster.yaml, DIR/partners/ID.yaml (N files),
DIR/positionality/ (three statements) and DIR/pages/about.md, following
shared/content-format.md. Standard library and PyYAML only.

- The same seed gives byte-identical files: one random.Random(seed), fixed
  dates, no timestamps, insertion-ordered YAML.
- Stages: the convener plus about 20% of partners are members, about 20% are at
  `invite` or `invited` (half each, so about 200 letters for N=1000), and the rest
  are `inventory` (60%), `declined` (20%) or `keep-informed` (20%).
- The roster holds max(12, N // 10 + 12) people.
- DIR must be missing or empty; with --force, an earlier run's files
  (coalition.yaml, roster.yaml, partners/, positionality/, pages/) are removed
  first and anything else in DIR is left alone. --force refuses a folder whose
  coalition.yaml was not written by this script.

Importable: `from generate import generate; generate(out_dir, partners, seed)`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import re
import shutil
import sys
import tempfile
import textwrap
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import yaml

# -- the fixed vocabularies of content-format.md ---------------------------------------------

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
STAGES = ["inventory", "invite", "invited", "member", "declined", "keep-informed"]
RELATIONSHIPS = ["existing", "new"]
DECISION_MODELS = ["consensus", "majority", "unanimous", "plurality"]

# The coalition's own "Other" entries (extra_vocabulary); a few partners use them too.
EXTRA = {
    "populations": {"older-adults": "Older adults"},
    "areas": {"food-security": "Food security"},
    "assets": {"multilingual-outreach": "Outreach in several languages"},
}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Types cycle through all seven, starting with a nonprofit so the convener is one.
TYPE_CYCLE = ["nonprofit", "local-government", "advocacy-group", "philanthropy",
              "research-organization", "anchor-institution", "private-sector"]

# -- word lists ------------------------------------------------------------------------------

COMMUNITIES = ["Marlow Falls", "Cedar Forks", "Harlan Bend", "Port Avalon", "Greyling", "Willow Ford",
               "Stonebridge", "Kestrel Bay", "Amberton", "Lowell Crossing"]
RIVERS = ["Tessel", "Calder", "Wren", "Osprey", "Linnet", "Marrow", "Silver", "Alder"]
STATES = [("ST", "40112"), ("NR", "58203"), ("WC", "71440"), ("EL", "30918")]
PLACES = ["Riverside", "Eastbank", "Northgate", "Cedar Hill", "Millrace", "Harbor Point", "Oak Street",
          "Southfield", "Lakeview", "Union Square", "Westbrook", "Foundry District", "Maple Park",
          "Ironbridge", "Willow Creek", "Stonecrest", "Pinewood", "Briarcliff", "Meadowbrook", "Fairmount",
          "Highland", "Kettle Bend", "Lantern Hill", "Orchard Row", "Copper Flats", "Greenway", "Bayside",
          "Elm Grove", "Prospect Heights", "Summit", "Market Street", "Old Mill", "Crescent", "Heron Point",
          "Ashford", "Bellwood", "Clearwater", "Dunmore", "Fox Hollow", "Glenview", "Hillcrest", "Juniper",
          "Kingsley", "Linden", "Mossbank", "Northbridge", "Parkside", "Quarry Hill", "Redstone",
          "Sandy Ridge"]
FOCUS = {
    "nonprofit": ["Family Center", "Food Bank", "Youth Club", "Neighborhood Association", "Legal Aid Society",
                  "Literacy Project", "Housing Partnership", "Immigrant Welcome Center", "Reentry Network",
                  "Senior Services", "Early Learning Collaborative", "Community Health Workers"],
    "local-government": ["Housing Authority", "Parks and Recreation Department", "Workforce Board",
                         "Planning Office", "Public Library", "Transit District", "Health Department",
                         "School District", "Office of Neighborhoods", "Economic Development Office",
                         "Human Services Department"],
    "advocacy-group": ["Tenants Union", "Voters League", "Justice Project", "Disability Rights Network",
                       "Fair Wages Campaign", "Parents Alliance", "Transit Riders Union",
                       "Immigrant Rights Coalition", "Youth Organizing Collective", "Clean Air Alliance"],
    "philanthropy": ["Community Foundation", "Family Foundation", "Giving Circle", "Opportunity Fund",
                     "United Way", "Legacy Trust", "Health Endowment", "Neighborhood Fund",
                     "Education Foundation"],
    "research-organization": ["Policy Lab", "Data Collaborative", "Research Institute", "Urban Studies Center",
                              "Evaluation Group", "Economic Research Council", "Equity Data Project",
                              "Public Health Observatory"],
    "anchor-institution": ["Medical Center", "Community College", "State University", "Health System",
                           "Regional Hospital", "Technical College", "Public Utility", "Arts Center",
                           "Science Museum"],
    "private-sector": ["Credit Union", "Builders", "Grocery Cooperative", "Manufacturing", "Savings Bank",
                       "Workers Cooperative", "Chamber of Commerce", "Logistics", "Broadband",
                       "Construction Company", "Realty Group"],
}
TYPE_NOUN = {
    "nonprofit": "community-based nonprofit",
    "local-government": "public agency",
    "advocacy-group": "member-led advocacy group",
    "philanthropy": "local funder",
    "research-organization": "research organization",
    "anchor-institution": "anchor institution",
    "private-sector": "local employer",
}
FIRST = ["Ana", "Marcus", "Hương", "Ifeoma", "Zoë", "Tomasz", "Aroha", "Jamal", "Priya", "Lucía", "Wen",
         "Keisha", "Samuel", "Ingrid", "Omar", "Mei", "Darnell", "Sofía", "Ravi", "Nadia", "José", "Chioma",
         "Björn", "Amara", "Dmitri", "Leilani", "Fatima", "Hiroshi", "Renée", "Tariq", "Grace", "Mateo",
         "Siobhán", "Kwame", "Noor", "Élodie", "Joaquín", "Yusuf", "Hannah", "Thandiwe"]
LAST = ["Delgado", "Nguyễn", "Adébáyọ̀", "Ødegård", "Wójcik", "Ngāta", "Brooks", "Raman", "Fernández", "Li",
        "Moreland", "Okafor", "Berg", "Haddad", "Chen", "Peña", "Kowalczyk", "Mbeki", "Santos", "Nakamura",
        "Müller", "O'Connor", "García", "Johansson", "Abernathy", "Castillo", "Dubois", "Eriksen", "Hassan",
        "Ivanova", "Jiménez", "Kaur", "Lindqvist", "Mensah", "Novak", "Oyelaran", "Park", "Quiñones",
        "Rahman", "Sørensen"]
# Full names that must appear in the roster (diacritics the PDFs and slugs must cope with).
FIXED_PEOPLE = ["Nguyễn Thị Hương", "Ifeoma Adébáyọ̀", "Zoë Ødegård"]
PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "he/they"]
STAFF_TITLES = ["Executive Director", "Program Director", "Senior Analyst", "Lead Organizer",
                "Director of Community Partnerships", "Policy Manager", "Outreach Coordinator",
                "Chief Operating Officer", "Communications Manager", "Research Associate"]
RESIDENT_TITLES = ["Resident leader", "Parent advocate", "Neighborhood resident", "Youth leader",
                   "Tenant leader"]
STREETS = ["Ferry Street", "Main Street", "River Road", "Lincoln Avenue", "Station Way", "Mill Lane",
           "Harbor Boulevard", "Church Street", "Orchard Avenue", "Union Place"]
LEAD_VERBS = ["runs", "coordinates", "leads", "co-hosts", "funds", "staffs"]
PAST_VERBS = ["ran", "coordinated", "led", "co-hosted", "managed", "built"]
PROGRAMS = ["a tenant hotline", "after-school tutoring", "a summer jobs program", "free tax preparation",
            "a home-repair grant fund", "a mobile health clinic", "adult English classes",
            "a matched-savings program", "a fair-chance hiring pledge", "a neighborhood data portal",
            "a preschool scholarship fund", "a bus-pass program for job seekers", "a digital-skills lab",
            "a small-business loan fund", "a violence-interruption program", "voter registration drives"]
STRENGTHS = ["deep trust among renters", "a network of parent volunteers", "a strong research team",
             "a seat at the city budget table", "long experience running listening sessions",
             "staff who speak five languages", "a record of sharing data openly",
             "relationships with major employers", "the ear of the county board",
             "a board led by people with lived experience"]
BARRIERS = ["Staff are stretched thin and may need meeting times outside working hours.",
            "Past coalitions asked a lot of them and gave little back, so trust will take time.",
            "Their funding is tied to specific outcomes, which may limit what they can commit.",
            "Leadership changes next year, so the relationship should not rest on one person.",
            "They may be wary of sitting at the same table as landlords and developers.",
            "Their legal counsel must review any data-sharing agreement.",
            "Election cycles can shift their priorities quickly, so commitments should be written down."]
GOOD_PARTNER = ["They follow through on what they promise.", "They listen before they speak.",
                "They bring residents with them rather than speaking for them.",
                "They share credit readily.", "They are candid about what they cannot do."]
MOTIVES = ["They want {area} to be treated as a shared problem rather than one agency's job.",
           "Their board has set a goal to improve {area} for {population} by 2030.",
           "They see the coalition as a way to reach {population} they do not serve today.",
           "They want local data on {area} that they can use in their own grant proposals.",
           "Residents they serve keep naming {area} as the barrier that matters most."]
GROUPS = [
    ("homes-and-neighborhoods", "Homes and Neighborhoods",
     ("Keeping families housed and neighborhoods connected: rents people can pay, fewer evictions, "
      "and transit that reaches the jobs."),
     ["housing-affordability", "housing-stability", "transportation-access", "social-capital"],
     "Second Tuesday of each month, 6 pm, with dinner and child care"),
    ("good-jobs-and-wealth", "Good Jobs and Family Wealth",
     ("More jobs that pay a living wage, fair paths into them, and ways for families to save and build "
      "assets, from apprenticeships to **cooperative ownership**."),
     ["employment-opportunities", "jobs-paying-living-wages", "financial-security",
      "wealth-building-opportunities"],
     "First Thursday of each month, noon"),
    ("learning-futures", "Learning Futures",
     ("From preschool seats to home internet to the first year of college: making sure every child "
      "can learn without a barrier in the way."),
     ["access-to-preschool", "effective-public-education", "digital-access", "preparation-for-college"],
     "Every other Wednesday, 4:30 pm"),
    ("health-and-safety", "Health and Safety",
     ("Healthy births, clean air, care close to home, and neighborhoods where people feel safe and are "
      "treated fairly."),
     ["access-to-health-services", "neonatal-health", "environmental-quality", "just-policing"],
     "Last Monday of each month, 5:30 pm, online and in person"),
]
REFLECTION_PROMPTS = [
    "What in my own story draws me to this work?",
    "Where does my position give me power others lack?",
    "What might I not see?",
    "How will I stay accountable to the people most affected?",
]
GENDER = {"she": "woman", "he": "man", "they": "nonbinary"}
MARKER = "# Generated by benchmarks/generate.py"
GENERATED = ("coalition.yaml", "roster.yaml", "partners", "positionality", "pages")
BASE_DATE = dt.date(2026, 10, 1)


# -- helpers ---------------------------------------------------------------------------------

_TRANSLIT = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "ł": "l", "Ł": "L",
                           "đ": "d", "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "Oe"})


def slugify(text: str) -> str:
    """'Zoë Ødegård' -> 'zoe-odegard'; the result matches ^[a-z0-9]+(-[a-z0-9]+)*$ (or is empty)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")


def label(term: str) -> str:
    """A readable label for prose (the generator's own; the project keeps the real labels)."""
    for table in EXTRA.values():
        if term in table:
            return table[term].lower()
    return term.replace("-", " ").replace("english", "English")


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def subset(r: random.Random, pool: list[str], low: int, high: int, extra: str | None = None) -> list[str]:
    """A random subset in vocabulary order; now and then with the coalition's extra id."""
    chosen = set(r.sample(pool, r.randint(low, min(high, len(pool)))))
    ordered = [term for term in pool if term in chosen]
    if extra is not None and r.random() < 0.08:
        ordered.append(extra)
    return ordered


class Block(str):
    """A multi-line string written as a YAML literal block (|), as a person would write it."""


def _block(dumper: yaml.SafeDumper, value: Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")


# Registered for Block only, so other users of SafeDumper in the process are not affected.
yaml.SafeDumper.add_representer(Block, _block)


def markdown(text: str) -> Block:
    """Markdown paragraphs wrapped at 92 columns, as a literal block."""
    return Block("\n\n".join(textwrap.fill(p, 92) for p in text.strip().split("\n\n")) + "\n")


def dump(path: Path, data: dict, header: str | None = None) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if header:
        text = header + "\n" + text
    path.write_text(text, encoding="utf-8", newline="\n")


# -- the parts -------------------------------------------------------------------------------


def _partner_names(r: random.Random, count: int, community: str, river: str) -> list[tuple[str, str, str]]:
    """(id, name, type) for each partner; names unique by their slug."""
    used: set[str] = set()
    result = []
    for i in range(count):
        kind = TYPE_CYCLE[i % len(TYPE_CYCLE)]
        if i == 0:
            name = f"{river} River Community Partners"
        else:
            name = ""
            for attempt in range(40):
                if attempt < 20:
                    candidate = f"{r.choice(PLACES)} {r.choice(FOCUS[kind])}"
                else:
                    first, second = r.sample(PLACES, 2)
                    candidate = f"{first} and {second} {r.choice(FOCUS[kind])}"
                if slugify(candidate) not in used:
                    name = candidate
                    break
            if not name:  # only for very large N: number the branches of one organization
                base = f"{r.choice(PLACES)} {r.choice(FOCUS[kind])}"
                n = 2
                while slugify(f"{base} Branch {n}") in used:
                    n += 1
                name = f"{base} Branch {n}"
        pid = slugify(name)
        used.add(pid)
        result.append((pid, name, kind))
    return result


def _stages(r: random.Random, count: int) -> list[str]:
    """Partner 0 (the convener) is a member; the others are shuffled from exact proportions."""
    if count == 0:
        return []
    members = max(0, round(count * 0.2) - 1)
    letters = round(count * 0.2)
    if count >= 2:
        letters = max(1, letters)
    letters = min(letters, count - 1 - members)
    invited = letters // 2
    rest = count - 1 - members - letters
    declined = round(rest * 0.2)
    informed = round(rest * 0.2)
    pool = (["member"] * members + ["invite"] * (letters - invited) + ["invited"] * invited
            + ["declined"] * declined + ["keep-informed"] * informed
            + ["inventory"] * (rest - declined - informed))
    r.shuffle(pool)
    return ["member"] + pool


def _summary(r: random.Random, name: str, kind: str, populations: list[str], domains: list[str],
             community: str, member: bool) -> str:
    founded = r.randint(1952, 2019)
    joined = "brought" if member else "could bring"
    return (
        f"{name} is a {TYPE_NOUN[kind]} based in {r.choice(PLACES)}, founded in {founded}. It works with "
        f"{label(populations[0])} across {community}, with a focus on **{label(domains[0])}**. "
        f"It {r.choice(LEAD_VERBS)} {r.choice(PROGRAMS)} that reaches families in {r.choice(PLACES)} and "
        f"{r.choice(PLACES)}. Partners know it for {r.choice(STRENGTHS)}, and it {joined} that "
        f"experience to the coalition's work on {label(r.choice(domains))}."
    )


def _partner(r: random.Random, i: int, pid: str, name: str, kind: str, stage: str, community: str,
             state: tuple[str, str], senders: list[str]) -> dict:
    populations = subset(r, POPULATIONS, 1, 4, "older-adults")
    domains = subset(r, AREAS, 1, 5, "food-security")
    assets = subset(r, ASSETS, 1, 5, "multilingual-outreach")
    data: dict = {
        "name": name,
        "type": kind,
        "relationship": RELATIONSHIPS[i % 2],
        "stage": stage,
        "website": f"https://example.org/{pid}/",
    }
    # Members always have a summary; most others do too, a quarter leave it out.
    if stage == "member" or r.random() < 0.75:
        data["summary"] = _summary(r, name, kind, populations, domains, community, stage == "member")
    data["populations"] = populations
    data["domains"] = domains
    data["assets"] = assets
    data["asset_notes"] = (f"{r.choice(['Staff time for outreach', 'A meeting room for sixty people', 'Bilingual case managers', 'Ten years of program data', 'A van and a driver on weekends', 'Small grants of up to $2,500'])}; "
                           f"{r.choice(['relationships with ' + r.choice(PLACES) + ' block captains', 'a mailing list of 4,000 households', 'a seat on the county workforce board', 'experience running community surveys', 'space for child care during meetings'])}.")
    data["aligned_initiatives"] = (f"It {r.choice(LEAD_VERBS)} {r.choice(PROGRAMS)} and sits on the steering "
                                   f"committee of the {r.choice(PLACES)} {r.choice(['Housing Plan', 'Jobs Compact', 'Early Childhood Compact', 'Digital Equity Plan', 'Health Improvement Plan'])}.")
    data["motivations"] = r.choice(MOTIVES).format(area=label(r.choice(domains)),
                                                   population=label(r.choice(populations)))
    group = r.choice(GROUPS)[1]
    data["roles"] = (f"The {r.choice(['executive director', 'board chair', 'deputy director', 'president'])} "
                     f"could serve as a champion; {r.choice(['program staff', 'an organizer', 'an analyst', 'a resident board member'])} "
                     f"could join the {group} working group.")
    data["considerations"] = f"{r.choice(GOOD_PARTNER)} {r.choice(BARRIERS)}"
    if stage in ("invite", "invited"):
        first, last = r.choice(FIRST), r.choice(LAST)
        contact_name = f"{first} {last}"
        data["contact"] = {
            "name": contact_name,
            "title": r.choice(STAFF_TITLES),
            "email": f"{slugify(first)}.{slugify(last)}@{pid}.example.org",
            "phone": f"555-{r.randrange(100, 10000):04d}",
            "address": Block(f"{name}\n{r.randint(10, 2999)} {r.choice(STREETS)}\n"
                        f"{community}, {state[0]} {state[1]}\n"),
        }
        area = label(domains[0])
        invitation: dict = {
            "sender": r.choice(senders),
            "rationale": (f"{name} brings {r.choice(STRENGTHS)} to the work on {area} in {community}. "
                          f"Your experience with {join([label(p) for p in populations[:2]])} is exactly "
                          f"what the coalition needs at its table as it sets its first priorities."),
        }
        if i % 10 == 3:  # now and then, a partner-specific override of a coalition default
            invitation["resources_offered"] = (
                "Because your team is small, the coalition will cover the staff time your organizer "
                "spends in working group meetings, and provide interpretation at every session.")
        if stage == "invited":
            invitation["sent"] = BASE_DATE + dt.timedelta(days=r.randrange(45))
            invitation["response"] = "pending"
        data["invitation"] = invitation
    return data


def _people(r: random.Random, count: int, convener: str, orgs: list[str], community: str) -> list[dict]:
    """The roster; person 0 is the project manager at the convener, 0-4 hold the five roles."""
    used: set[str] = set()
    names: list[str] = []

    def take(name: str) -> bool:
        pid = slugify(name)
        if pid in used or not pid:
            return False
        used.add(pid)
        names.append(name)
        return True

    take(f"{r.choice(FIRST)} {r.choice(LAST)}")  # the project manager
    for fixed in FIXED_PEOPLE:
        take(fixed)
    while len(names) < count:
        for _ in range(50):
            if take(f"{r.choice(FIRST)} {r.choice(LAST)}"):
                break
        else:  # only for very large rosters: a middle initial
            take(f"{r.choice(FIRST)} {chr(65 + r.randrange(26))}. {r.choice(LAST)}")
    names = names[:count]

    people = []
    group_ids = [g[0] for g in GROUPS]
    for i, name in enumerate(names):
        pid = slugify(name)
        first = name.split()[0] if not name.startswith("Nguyễn") else name.split()[-1]
        # community members serving as individuals: about one in six, never the five role holders
        community_member = i >= 5 and i % 6 == 5
        person: dict = {"id": pid, "name": name}
        if not community_member:
            person["organization"] = convener if i in (0, 4) else r.choice(orgs)
        person["title"] = r.choice(RESIDENT_TITLES) if community_member else r.choice(STAFF_TITLES)
        person["pronouns"] = r.choice(PRONOUNS)
        place = r.choice(PLACES)
        if community_member:
            person["bio"] = (f"{first} has lived in {place} for {r.randint(3, 40)} years and knows first-hand "
                             f"what {label(r.choice(AREAS))} means for a family. {first} serves on the "
                             f"coalition as a resident, not for an organization.")
            person["community_member"] = True
            person["compensated"] = i % 4 != 1  # most, not all, are paid for their time
        else:
            person["bio"] = (f"{first} has worked in {community} for {r.randint(2, 30)} years, most recently "
                             f"on {label(r.choice(AREAS))}. Before that, {first} {r.choice(PAST_VERBS)} "
                             f"{r.choice(PROGRAMS)} in {place}.")
        if i < len(ROLES):
            person["roles"] = [ROLES[i]]
        groups = sorted(r.sample(range(len(group_ids)), r.randint(0, 2)))
        if groups:
            person["working_groups"] = [group_ids[g] for g in groups]
        person["champion"] = (not community_member) and i >= 5 and i % 7 == 2
        person["email"] = f"{pid}@example.org"
        if i % 3 != 2:
            person["phone"] = f"555-{(101 + i) % 10000:04d}"
        person["public"] = i < 5 or i % 4 != 3
        people.append(person)
    return people


def _statements(r: random.Random, coalition: str, community: str, pm: dict, convener_name: str) -> dict:
    team = {
        "kind": "team",
        "author": f"The management team of the {coalition}",
        "title": "Who we are, and what we bring to this work",
        "identities": {
            "race and ethnicity": "Latina, Vietnamese, Nigerian, Norwegian American and Polish American",
            "gender": "three women, one man, one nonbinary member",
            "education": "most of us hold college degrees; two of us were the first in our families to finish college",
        },
        "reflections": [
            {"prompt": "Which parts of who we are give us power in this work?",
             "answer": "Our titles, degrees and institutions' budgets open doors that stay closed to many "
                       "residents. Several of us are paid to attend meetings that residents attend on their "
                       "own time."},
            {"prompt": "Whose experience is missing from our team?",
             "answer": "None of us is under thirty or currently unhoused. We lean on resident members to fill "
                       "those gaps, and we are recruiting."},
        ],
        "statement": markdown(f"We are five people from a community nonprofit, a research institute, a tenants union "
                      f"and a community foundation. Some of us grew up in {community}; others came for school "
                      f"or work.\n\nBetween us we hold degrees, salaries and relationships with people in power "
                      f"that many of our neighbors do not. We commit to **share that power**: to publish our "
                      f"decisions, rotate who chairs, and ask resident members each quarter where we fell "
                      f"short.\n"),
        "public": True,
    }
    individual = {
        "kind": "individual",
        "author": pm["id"],
        "title": "Why I do this work",
        "identities": {"gender": GENDER[pm["pronouns"].split("/")[0]], "age": str(r.randint(31, 62)), "education": "first in my family to finish college",
                       "income": "middle income today; grew up in a low-income household"},
        "reflections": [
            {"prompt": REFLECTION_PROMPTS[0],
             "answer": "My family moved three times when I was a child because the rent went up. I know what "
                       "a move in the middle of a school year does to a kid."},
            {"prompt": REFLECTION_PROMPTS[1],
             "answer": "I have a salary, a title and the phone numbers of people at City Hall. Residents who "
                       "share my childhood do not."},
            {"prompt": REFLECTION_PROMPTS[2],
             "answer": f"I no longer live in {r.choice(PLACES)}, and my experience of the neighborhood is "
                       f"twenty years old."},
        ],
        "statement": markdown(f"I grew up in {community}, in a family that moved whenever the rent went up. Today I earn "
                      f"a steady salary at an organization that has the ear of City Hall.\n\nI bring both of "
                      f"those lives to this coalition, and I try to use the access my job gives me to open "
                      f"doors for residents.\n"),
        "public": True,
    }
    institutional = {
        "kind": "institutional",
        "author": "",  # set by the caller: the convener's id
        "title": f"{convener_name}: our position as convener",
        "identities": {"founded": "1987", "board": "majority residents of the east side",
                       "budget": "about $4 million a year, mostly public contracts"},
        "reflections": [
            {"prompt": "What power does our institution hold?",
             "answer": "We hold the contracts, the meeting rooms and the relationships with funders. That "
                       "makes it easy for our priorities to become the coalition's by default."},
            {"prompt": "How do we share it?",
             "answer": "We do not chair the management team alone, and we pass funds for resident "
                       "participation through without conditions."},
        ],
        "statement": markdown(f"As the convener of the {coalition}, {convener_name} controls resources that other "
                      f"members do not. We name that openly, and we have agreed to limits on it: leadership "
                      f"rotates, and residents hold an equal voice in every decision.\n"),
        "public": False,
    }
    return {"management-team": team, pm["id"]: individual, "convener": institutional}


# -- the whole folder ------------------------------------------------------------------------


def prepare(out_dir: Path, force: bool = False) -> None:
    """Check that out_dir may be written; with force, remove an earlier run's files."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if not out.exists() or not any(out.iterdir()):
        return
    if not force:
        raise FileExistsError(f"{out} is not empty (use --force to replace a coalition generated here)")
    coalition = out / "coalition.yaml"
    if coalition.exists() and not coalition.read_text(encoding="utf-8").startswith(MARKER):
        raise FileExistsError(f"{coalition} was not written by benchmarks/generate.py; refusing to remove it")
    for name in GENERATED:
        target = out / name
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)


def generate(out_dir: Path, partners: int, seed: int = 1, *, force: bool = False) -> None:
    """Write a complete coalition content folder of `partners` partners into out_dir."""
    if partners < 1:
        raise ValueError("partners must be at least 1 (the convener is a partner)")
    out = Path(out_dir)
    prepare(out, force)
    r = random.Random(seed)

    community = r.choice(COMMUNITIES)
    river = r.choice(RIVERS)
    state = r.choice(STATES)
    coalition_name = f"{community} Mobility Coalition"

    names = _partner_names(r, partners, community, river)
    stages = _stages(r, partners)
    convener_id, convener_name, _ = names[0]
    members = [pid for (pid, _, _), stage in zip(names, stages) if stage == "member"]

    people = _people(r, max(12, partners // 10 + 12), convener_id, members, community)
    person_ids = [p["id"] for p in people]
    # Leads: the community engagement lead, two staff, and one resident co-chair.
    residents = [p["id"] for p in people if p.get("community_member")]
    staff = [p["id"] for p in people[5:] if not p.get("community_member")]
    leads = [person_ids[2], staff[0], staff[1], residents[0]]
    for person in people:
        for n, lead in enumerate(leads):
            current = person.get("working_groups", [])
            if person["id"] == lead and GROUPS[n][0] not in current:
                person["working_groups"] = [g[0] for g in GROUPS if g[0] in current or g[0] == GROUPS[n][0]]
    # Invitations come from the management team and champions, never a resident serving alone.
    senders = [p["id"] for p in people if "organization" in p and (p.get("roles") or p.get("champion"))]

    for i, ((pid, name, kind), stage) in enumerate(zip(names, stages)):
        data = _partner(r, i, pid, name, kind, stage, community, state, senders)
        (out / "partners").mkdir(parents=True, exist_ok=True)
        dump(out / "partners" / f"{pid}.yaml", data)

    dump(out / "roster.yaml", {"people": people})

    needs_populations = subset(r, POPULATIONS, 5, 5) + ["older-adults"]
    needs_areas = subset(r, AREAS, 8, 8) + ["food-security"]
    needs_assets = subset(r, ASSETS, 7, 7) + ["multilingual-outreach"]
    coalition = {
        "name": coalition_name,
        "community": community,
        "convener": convener_id,
        "project_manager": person_ids[0],
        "decision_model": r.choice(DECISION_MODELS),
        "mission": markdown(f"Every family in {community} should have a fair shot at a better life than the one they "
                    f"started with. Today, which bank of the {river} River a child grows up on shapes how far "
                    f"they can climb.\n\nWe are residents, public agencies, nonprofits, funders, researchers "
                    f"and employers who have agreed to change that **together**: to look honestly at the "
                    f"numbers, listen first to the people closest to the problem, and share the power to "
                    f"decide what comes next.\n"),
        "site": {"url": f"https://example.org/{slugify(community)}/", "language": "en"},
        "needs": {"populations": needs_populations, "areas": needs_areas, "assets": needs_assets},
        "data_points": [
            {"text": f"Nearly one in {r.choice(['three', 'four'])} renter households in {community} spends more than half "
                     f"of its income on rent.",
             "source": f"{community} Housing Needs Assessment, 2025"},
            {"text": f"A child raised in a low-income family on the east bank is half as likely to reach the "
                     f"middle of the income ladder as a child raised across the {river}.",
             "source": f"{river} Valley Research Institute, Mobility Profile of {community}, 2024"},
            {"text": f"Only {r.randint(35, 55)} percent of jobs in the city pay enough for a parent raising one "
                     f"child alone to cover basic costs.",
             "source": "County Living Wage Study, 2025"},
        ],
        "invitation": {
            "what_is_different": ("This is not another advisory board. Residents who live with these barriers "
                                  "sit at the table as paid decision-makers from the first meeting, and every "
                                  "commitment we make is tracked in public."),
            "resources_offered": (f"{convener_name} provides meeting space, facilitation, child care and "
                                  f"interpretation at every gathering, and a shared data team that can prepare "
                                  f"neighborhood figures for your own work."),
            "power_sharing": ("Each organization and each resident member holds an equal voice. Working groups "
                              "are co-chaired by a partner and a resident, and leadership of each meeting "
                              "rotates among members."),
            "respond_by": dt.date(2027, 1, 15),
        },
        "working_groups": [
            {"id": gid, "name": gname, "description": description, "lead": lead, "areas": areas, "meets": meets}
            for (gid, gname, description, areas, meets), lead in zip(GROUPS, leads)
        ],
        "meetings": {
            "management_team": "Every week, Monday mornings",
            "working_groups": "Once a month, plus shared sessions each quarter",
            "champions": "Three times a year, and at key decisions",
        },
        "extra_vocabulary": {key: dict(table) for key, table in EXTRA.items()},
    }
    dump(out / "coalition.yaml", coalition,
         header=f"{MARKER} (seed {seed}, {partners} partners); regenerate rather than edit.")

    (out / "positionality").mkdir(parents=True, exist_ok=True)
    statements = _statements(r, coalition_name, community, people[0], convener_name)
    statements["convener"]["author"] = convener_id
    statements[convener_id] = statements.pop("convener")
    for sid, data in statements.items():
        dump(out / "positionality" / f"{sid}.yaml", data)

    (out / "pages").mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump({"title": "About the coalition", "order": 1}, sort_keys=False, allow_unicode=True,
                           width=100)
    body = (
        f"## How we started\n\n"
        f"In 2025 the {river} Valley Research Institute published a mobility profile of {community}. "
        f"One finding stopped people in their tracks: where a child grows up shapes how far they can climb.\n\n"
        f"{convener_name} invited residents, public agencies, funders and employers to work on it "
        f"**together**, and the {coalition_name} held its first meeting that fall.\n\n"
        f"## How we work\n\n"
        f"- A small **management team** plans and keeps the work moving, meeting every week.\n"
        f"- Four **working groups** of partners and residents take on homes, jobs, learning and health.\n"
        f"- Members decide together; the coalition's decision model is *{coalition['decision_model']}*.\n\n"
        f"Today the coalition counts {len(members)} member organization{'' if len(members) == 1 else 's'}, "
        f"and it is still growing.\n"
    )
    (out / "pages" / "about.md").write_text(f"---\n{front}---\n{body}", encoding="utf-8", newline="\n")


@contextlib.contextmanager
def generated(partners: int, seed: int = 1) -> Iterator[Path]:
    """A generated coalition in a temporary folder: yields its content folder, `content/` in that folder."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        generate(content, partners, seed=seed)
        yield content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, required=True, metavar="N", help="number of partners (>= 1)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="content folder to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--force", action="store_true",
                        help="replace the files an earlier run generated in DIR")
    args = parser.parse_args(argv)
    if args.partners < 1:
        parser.error("--partners must be at least 1 (the convener is a partner)")
    try:
        generate(args.out, args.partners, args.seed, force=args.force)
    except FileExistsError as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    print(f"wrote a coalition of {args.partners} partner{'' if args.partners == 1 else 's'} into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
