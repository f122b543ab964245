"""`coalition-docs new DIR --blank`: the smallest coalition that passes `check` and builds.

Asks for the four things a coalition must have (or takes them from flags),
and writes a project folder: content/ with coalition.yaml (every optional
section present as a commented example), the roster with the project
manager, the convener as the one partner, five draft launch meetings
(starter_meetings.py); templates/ for overrides; a .gitignore; a README for
the folder; and a GitHub Pages workflow that checks pull requests and
publishes the site (never the documents) from main.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from coalition_docs import __version__
from coalition_docs.content.ids import slugify
from coalition_docs.errors import UsageError
from coalition_docs.files import atomic_write
from coalition_docs.starter_meetings import sample_meetings

QUESTIONS = (
    ("name", "--name", "The coalition's name (e.g. Forest City Mobility Coalition)"),
    ("community", "--community", "The community it serves (e.g. Forest City)"),
    ("convener", "--convener", "The convening (backbone) organization"),
    ("project_manager", "--project-manager", "The project manager's full name"),
)


def answers(given: dict[str, str | None], *, ask: Callable[[str], str] | None = None) -> dict[str, str]:
    """The four values: from flags, else asked on a terminal, else a usage error naming the flags."""
    interactive = ask is not None or sys.stdin.isatty()
    ask = ask or (lambda prompt: input(prompt))
    values: dict[str, str] = {}
    missing = []
    for key, flag, prompt in QUESTIONS:
        value = (given.get(key) or "").strip()
        while not value and interactive:
            try:
                value = ask(f"{prompt}: ").strip()
            except EOFError:
                break
        if not value:
            missing.append(flag)
        values[key] = value
    if missing:
        raise UsageError("a blank coalition needs " + ", ".join(missing)
                         + " (expected them as options when not asked on a terminal)")
    for key in ("convener", "project_manager"):
        if not slugify(values[key]):
            raise UsageError(f"{dict((k, f) for k, f, _ in QUESTIONS)[key]}: expected a name with letters or "
                             f"digits, found {values[key]!r}")
    return values


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def write_blank(target: Path, values: dict[str, str]) -> list[Path]:
    convener_id = slugify(values["convener"])
    manager_id = slugify(values["project_manager"])
    files = {
        "content/coalition.yaml": COALITION.format(
            name=_q(values["name"]), community=_q(values["community"]), convener=convener_id,
            manager=manager_id, mission=_q(f"Every family in {values['community']} should have a fair shot "
                                           "at a better life. (Write your coalition's mission here.)")),
        "content/roster.yaml": ROSTER.format(id=manager_id, name=_q(values["project_manager"]),
                                             organization=convener_id),
        f"content/partners/{convener_id}.yaml": PARTNER.format(name=_q(values["convener"])),
        "content/pages/about.md": ABOUT.format(name=values["name"]),
        "templates/README.md": THEME_README,
        ".gitignore": "build/\n.venv/\n",
        "README.md": FOLDER_README.format(name=values["name"], version=__version__),
        ".github/workflows/site.yml": WORKFLOW.format(setup=SETUP_STEPS.format(
            version=__version__, refusal=PUBLIC_REPOSITORY_ERROR)),
        **sample_meetings(manager_id),  # the five launch meetings, as drafts
    }
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, text)
        written.append(path)
    (target / "content" / "static").mkdir(exist_ok=True)
    return written


COALITION = """\
# The coalition itself. Every field is described by "coalition-docs docs content-format"
# (section "coalition.yaml"); the commented sections are optional: remove the "# " to use one.
name: {name}
community: {community}
convener: {convener}            # the id of a file in partners/
project_manager: {manager}      # the id of a person in roster.yaml
mission: {mission}

# decision_model: consensus     # consensus, majority, unanimous or plurality

# site:
#   url: https://example.org/our-coalition/   # where the public site will live
#   language: en                              # the primary language
#   languages: [es, vi]                       # more languages to publish in

# needs:                        # worksheet part 1: who and what the coalition must reach
#   populations: [residents-with-low-incomes, young-people]
#   areas: [housing-affordability, employment-opportunities]
#   assets: [strong-connections-to-community-members, data-informed-decisionmaking]

# data_points:                  # local figures quoted in invitation letters
#   - text: One renter household in three spends more than half its income on rent.
#     source: Housing Needs Assessment, 2025

# invitation:                   # what every letter says, unless a partner's file says otherwise
#   what_is_different: How this coalition works differently from earlier efforts.
#   resources_offered: What partners receive (stipends, data, staff time).
#   power_sharing: How decisions are shared.
#   respond_by: 2027-01-31
#   date: 2027-01-05            # the date printed on letters that have no sent date

# print:
#   paper: letter               # letter or a4
#   duplex: false               # true: every letter in letters.pdf starts on a right-hand page

# working_groups:
#   - id: housing
#     name: Housing stability
#     description: What the group works on.
#     lead: {manager}
#     areas: [housing-stability]
#     meets: monthly

# meetings:
#   management_team: weekly
#   working_groups: monthly

# timezone: America/Detroit     # the IANA time zone of meeting times (meetings/); required once
                                # a meeting is not a draft

# agreement:                    # the working agreement reached in the launch meetings
#   norms:                      # how members treat one another (public)
#     - Start and end on time.
#   decisions: The management team proposes; the whole coalition decides.   # (public)
#   communication:              # which platform is used for what (internal)
#     - channel: E-mail list
#       use: Announcements and minutes

# extra_vocabulary:             # your own entries where the lists say "Other"
#   populations:
#     older-adults: Older adults
"""

ROSTER = """\
# The people who serve on the coalition. `public: true` is their consent to be named on the site.
# Every field is described by "coalition-docs docs content-format" (section "roster.yaml").
people:
  - id: {id}
    name: {name}
    organization: {organization}
    roles: [project-manager]
    public: false
"""

PARTNER = """\
# The convening (backbone) organization. Add one file per partner in this folder; every field
# is described by "coalition-docs docs content-format" (section "partners/ID.yaml").
name: {name}
type: nonprofit                 # local-government, nonprofit, advocacy-group, philanthropy,
                                # research-organization, anchor-institution or private-sector
relationship: existing          # existing or new
stage: member                   # inventory, invite, invited, member, declined or keep-informed
"""

ABOUT = """\
---
title: About
order: 1
---
{name} brings together the people and organizations of our community to widen the
paths to a better life. This page is yours to write.
"""

THEME_README = """\
# Theme overrides

Put a file here with the same path as one in coalition-docs' default theme (for example
`site/assets/style.css` or `documents/letter.html`) and it is used instead of the default.
Everything you do not override comes from the default theme. What each template receives:
`coalition-docs docs theme`.
"""

FOLDER_README = """\
# {name}: coalition records

**Keep this repository private.** `content/` holds every contact, home address, phone number
and consideration ("may hesitate on policy advocacy"), and the identities people share in their
positionality statements. The public site leaves all of that out, but a public repository
publishes every file. Two ways to publish the site from a private repository:

- GitHub Pages from the private repository. This needs a paid GitHub plan, which GitHub
  offers free to nonprofits (GitHub for Nonprofits).
- A workflow that pushes only `build/site` to a separate public repository, or to another
  host (your own server, a static site host).

`.github/workflows/site.yml` stops with an error in a public repository; only setting
`ALLOW_PUBLIC_REPOSITORY: true` in it lets it run there. How to set up either way:
`coalition-docs docs getting-started` (section "Keep the records private").

The coalition's records are kept as YAML in `content/` and built with
[coalition-docs](https://pypi.org/project/coalition-docs/) {version}.

    coalition-docs check .          # every problem, with its file and line
    coalition-docs serve .          # preview the public site while you edit
    coalition-docs build .          # site and PDFs into build/

`build/site/` is the public website. `build/documents/` holds the worksheet, the invitation
letters and the positionality statements: they are internal and never published.
`.github/workflows/site.yml` checks every pull request and publishes the site (only the
site) to GitHub Pages from the main branch.
"""

# The one line a public repository gets (GitHub shows it as the run's error).
PUBLIC_REPOSITORY_ERROR = (
    "This repository is public, and content/ holds the coalition's contacts, home addresses, phone numbers, "
    "considerations and the identities in positionality statements: make the repository private (GitHub Pages "
    "from a private repository needs a paid plan, which GitHub offers free to nonprofits), or publish only "
    "build/site to a separate public repository or another host. To run here anyway, set "
    "ALLOW_PUBLIC_REPOSITORY: true in .github/workflows/site.yml."
)

# The steps both jobs start with: the tool, its libraries and the fonts (filled in once, then into WORKFLOW).
SETUP_STEPS = """\
      - name: Refuse to run in a public repository
        env:
          PRIVATE: ${{{{ github.event.repository.private }}}}
        run: |
          if [ "$PRIVATE" != "true" ] && [ "$ALLOW_PUBLIC_REPOSITORY" != "true" ]; then
            echo "::error::{refusal}"
            exit 1
          fi
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: sudo apt-get update && sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-noto-cjk fonts-symbola
      - run: pip install "coalition-docs=={version}"
"""

WORKFLOW = """\
# Check the records on every pull request; publish the public site from the main branch.
# The documents (letters, worksheet, statements) are internal: they are never built here.
# The repository must be private (see README.md): in a public one, every job stops at once.
name: site
on:
  pull_request:
  push:
    branches: [main]
env:
  # true lets this workflow run in a public repository, which publishes every contact,
  # home address and consideration in content/ to anyone: leave it false.
  ALLOW_PUBLIC_REPOSITORY: false
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
{setup}      - run: coalition-docs check .
  publish:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
{setup}      - run: coalition-docs build . --only site --out build
      - uses: actions/upload-pages-artifact@v3
        with:
          path: build/site
      - id: deployment
        uses: actions/deploy-pages@v4
"""
