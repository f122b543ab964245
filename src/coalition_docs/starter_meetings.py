"""The five draft launch meetings that `new --blank` writes into meetings/, one per launch activity.

In the chapter's order (vocab.LAUNCH_ACTIVITIES). Each is a draft: `check`
reads it, `build` leaves it out until its date is set. `{manager}` is the
project manager's id, the one person a blank roster holds.
"""

from __future__ import annotations

HEADER = """\
# A draft launch meeting: `check` reads it, `build` leaves it out. To hold it, set `starts`,
# set `timezone` in coalition.yaml, and remove `draft: true`. Every field is optional but
# the title and the agenda; `place.online` and the agenda's `notes` are never published.
# Every field is described by "coalition-docs docs content-format" (section "meetings/ID.yaml").
"""

FOOTER = """\
# starts: 2027-02-10 18:00       # local date and time in coalition.yaml's timezone
# ends: "20:00"                  # default: starts plus the agenda's minutes
# place:
#   name: Community center, room B
#   address: |
#     100 Main Street
#     Our Town
#   online: https://meet.example.org/our-coalition
# accessibility:
#   - Interpretation on request
#   - Child care in the next room
# languages: [es]                # more languages to print the agenda in (from site.languages)
# public: true                   # list it on the public site
"""

SAMPLES = {
    "01-getting-acquainted": """\
title: Getting to know one another
launch_activity: get-acquainted
group: coalition
draft: true
facilitator: {manager}
preparation: Think of one story about why this work matters to you.
agenda:
  - topic: Welcome, and why we are gathering
    minutes: 10
    lead: {manager}
  - topic: Round of introductions - who you are, what your organization does, what draws you here
    minutes: 40
  - topic: Where each of us stands - a few words on our own positionality
    minutes: 25
  - topic: Ground rules we want to hold ourselves to
    minutes: 20
  - topic: What comes next
    minutes: 5
""",
    "02-expectations-and-roles": """\
title: What we expect, and who does what
launch_activity: expectations-and-roles
group: coalition
draft: true
facilitator: {manager}
agenda:
  - topic: Hopes and worries for the coalition, around the room
    minutes: 25
  - topic: How often the whole coalition, the management team, working groups and champions meet
    minutes: 20
  - topic: Where we talk between meetings, and what each channel is for
    minutes: 15
  - topic: The management team's roles, and who takes each one
    minutes: 30
  - topic: Recap and next steps
    minutes: 10
""",
    "03-decision-making": """\
title: How we will decide
launch_activity: decision-making
group: coalition
draft: true
facilitator: {manager}
preparation: Read the one-page summary of the four ways groups commonly decide.
agenda:
  - topic: The options side by side - consensus, majority vote, a unanimous vote, plurality
    minutes: 20
  - topic: Which decisions belong to the whole coalition, and which a team or working group may take
    minutes: 30
  - topic: Who is heard before a decision, and how residents' voices carry weight
    minutes: 25
  - topic: Agree on our way of deciding and write it down
    minutes: 15
""",
    "04-shared-analysis": """\
title: A shared understanding of structural racism
launch_activity: shared-analysis
group: coalition
draft: true
facilitator: {manager}
agenda:
  - topic: Agreements for a hard conversation
    minutes: 10
  - topic: Our community's history - how past policies shaped who lives where
    minutes: 30
  - topic: In small groups - what the local numbers show, and what they leave out
    minutes: 30
  - topic: The values we share, in our own words
    minutes: 20
  - topic: What we will keep learning together
    minutes: 10
""",
    "05-working-groups": """\
title: Forming our working groups
launch_activity: working-groups
group: coalition
draft: true
facilitator: {manager}
agenda:
  - topic: The community's needs, grouped across sectors rather than by specialty
    minutes: 20
  - topic: The proposed groups and what each would take on
    minutes: 25
  - topic: Members choose a group, and each group names its lead
    minutes: 30
  - topic: How the groups will share what they learn with one another
    minutes: 15
""",
}


def sample_meetings(manager: str) -> dict[str, str]:
    """meetings/NAME.yaml -> its text, for a roster whose project manager is `manager`."""
    return {f"content/meetings/{name}.yaml": HEADER + text.format(manager=manager) + FOOTER
            for name, text in SAMPLES.items()}
