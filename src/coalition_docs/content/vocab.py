"""The fixed vocabularies of the content format, with their display labels.

Every id that the content format names lives here, once, next to the label a
person sees (the worksheet's own wording where the worksheet has one). Schema,
validation, spreadsheets, site and documents all read these tables; nothing
else spells a label.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# A BCP 47 language tag as content-format v1.1 writes them: en, es, vi, zh-Hant, es-MX.
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


def _frozen(pairs: list[tuple[str, str]]) -> Mapping[str, str]:
    return MappingProxyType(dict(pairs))


# Figure 2-1: actors to consider. Community members are people (roster.yaml).
ORGANIZATION_TYPES = _frozen(
    [
        ("local-government", "Local government"),
        ("nonprofit", "Nonprofit or community-based organization"),
        ("advocacy-group", "Advocacy group"),
        ("philanthropy", "Philanthropy"),
        ("research-organization", "Research organization"),
        ("anchor-institution", "Anchor institution"),
        ("private-sector", "Private sector"),
    ]
)

# Worksheet part 1, question 1.
POPULATIONS = _frozen(
    [
        ("people-of-color", "People of color"),
        ("specific-racial-or-ethnic-groups", "Specific racial or ethnic group(s)"),
        ("people-with-disabilities", "People with disabilities"),
        ("english-language-learners", "English-language learners"),
        (
            "people-experiencing-housing-instability",
            "People experiencing housing instability or homelessness",
        ),
        ("young-people", "Young people"),
        (
            "people-involved-in-the-criminal-legal-system",
            "People involved in the criminal legal system",
        ),
        ("residents-with-low-incomes", "Residents with low incomes"),
        ("middle-class-residents", "Middle-class residents"),
    ]
)

# The five pillars and the 24 predictors of upward mobility (worksheet part 1,
# question 2), in the order the toolkit presents them.
PILLARS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "neighborhoods",
        "Opportunity-rich and inclusive neighborhoods",
        (
            ("housing-affordability", "Housing affordability"),
            ("housing-stability", "Housing stability"),
            ("economic-inclusion", "Economic inclusion"),
            ("racial-diversity", "Racial diversity"),
            ("social-capital", "Social capital"),
            ("transportation-access", "Transportation access"),
        ),
    ),
    (
        "education",
        "High-quality education",
        (
            ("access-to-preschool", "Access to preschool"),
            ("effective-public-education", "Effective public education"),
            ("school-economic-diversity", "School economic diversity"),
            ("preparation-for-college", "Preparation for college"),
            ("digital-access", "Digital access"),
        ),
    ),
    (
        "work",
        "Rewarding work",
        (
            ("employment-opportunities", "Employment opportunities"),
            ("jobs-paying-living-wages", "Jobs paying living wages"),
            ("opportunities-for-income", "Opportunities for income"),
            ("financial-security", "Financial security"),
            ("wealth-building-opportunities", "Wealth-building opportunities"),
        ),
    ),
    (
        "health",
        "Healthy environment and access to good health care",
        (
            ("access-to-health-services", "Access to health services"),
            ("neonatal-health", "Neonatal health"),
            ("environmental-quality", "Environmental quality"),
            ("safety-from-trauma", "Safety from trauma"),
        ),
    ),
    (
        "governance",
        "Responsive and just governance",
        (
            ("political-participation", "Political participation"),
            ("descriptive-representation", "Descriptive representation"),
            ("safety-from-crime", "Safety from crime"),
            ("just-policing", "Just policing"),
        ),
    ),
)

AREAS = _frozen([area for _, _, areas in PILLARS for area in areas])
PILLAR_OF_AREA = MappingProxyType(
    {area_id: pillar_id for pillar_id, _, areas in PILLARS for area_id, _ in areas}
)

# Worksheet part 1, question 3, and the chapter's list of assets.
ASSETS = _frozen(
    [
        ("research-and-analytical-capacity", "Research and analytical capacity"),
        ("staff-capacity", "Staff capacity"),
        ("financial-resources", "Financial resources"),
        ("political-clout", "Political clout"),
        ("key-relationships", "Key relationships"),
        ("strong-connections-to-community-members", "Strong connections to community members"),
        (
            "community-engagement-experience",
            "Experience conducting deep and meaningful community engagement",
        ),
        ("fundraising-capacity", "Fundraising capacity"),
        (
            "representation-of-affected-groups",
            "Representation of the group(s) that will be directly affected by the work",
        ),
        ("convening-power", "Convening power"),
        ("data-informed-decisionmaking", "Experience with data-informed decisionmaking"),
        ("racial-equity-approach", "A strong racial equity approach"),
        ("understanding-of-positionality", "A strong understanding of positionality"),
        ("power-sharing-practice", "Deep practice of power sharing or power analysis"),
        ("data-sharing-and-transparency", "Data sharing and transparency"),
        ("narrative-change-experience", "Experience creating a narrative change campaign"),
    ]
)

MANAGEMENT_ROLES = _frozen(
    [
        ("project-manager", "Project manager"),
        ("data-lead", "Data lead"),
        ("community-engagement-lead", "Community engagement lead"),
        ("communications-lead", "Communications and outreach lead"),
        ("learning-evaluation-lead", "Learning and evaluation lead"),
    ]
)

DECISION_MODELS = _frozen(
    [
        ("consensus", "Consensus: we work toward a decision everyone can support"),
        ("majority", "Majority rules: a majority vote decides"),
        ("unanimous", "Unanimous support: every member must vote in favor"),
        ("plurality", "Plurality: the option with the most votes wins"),
    ]
)
DECISION_MODEL_NAMES = _frozen(
    [
        ("consensus", "Consensus"),
        ("majority", "Majority rules"),
        ("unanimous", "Unanimous support"),
        ("plurality", "Simple majority or plurality"),
    ]
)

# The chapter's five launch activities, in the order it recommends them (v1.2: a meeting's
# launch_activity). The labels are noun phrases: "no meeting covers shared analysis yet".
LAUNCH_ACTIVITIES = _frozen(
    [
        ("get-acquainted", "Getting acquainted"),
        ("expectations-and-roles", "Expectations and roles"),
        ("decision-making", "How decisions are made"),
        ("shared-analysis", "Shared analysis"),
        ("working-groups", "Forming working groups"),
    ]
)

# Who a meeting invites besides a working group (figure 2-2); none of these may be a working group's id.
MEETING_GROUPS = _frozen(
    [
        ("coalition", "The whole coalition"),
        ("management-team", "Management team"),
        ("champions", "Champions"),
    ]
)

RELATIONSHIPS = _frozen(
    [
        ("existing", "Existing partnership"),
        ("new", "Potential new partnership"),
    ]
)

STAGES = _frozen(
    [
        ("inventory", "In the inventory"),
        ("invite", "To invite"),
        ("invited", "Invited"),
        ("member", "Member"),
        ("declined", "Declined"),
        ("keep-informed", "Keep informed"),
    ]
)
LETTER_STAGES = frozenset({"invite", "invited"})

RESPONSES = _frozen(
    [
        ("pending", "Pending"),
        ("accepted", "Accepted"),
        ("declined", "Declined"),
    ]
)

STATEMENT_KINDS = _frozen(
    [
        ("individual", "Individual positionality statement"),
        ("team", "Team positionality statement"),
        ("institutional", "Institutional positionality statement"),
    ]
)

# The three extendable vocabularies and the coalition.yaml key that extends each.
EXTENDABLE = MappingProxyType(
    {"populations": POPULATIONS, "areas": AREAS, "assets": ASSETS}
)


# Top-level names the site uses itself; a Markdown page may not take one
# (checked with the content, so `check` refuses what the build would).
RESERVED_PAGE_NAMES = frozenset(
    {"index", "404", "assets", "static", "members", "people", "structure", "working-groups",
     "statements", "coverage", "sitemap", "meetings"}
)
