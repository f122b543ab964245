"""`report`: the gaps of a coalition whose gaps are known (tests/fixtures/minimal)."""

from __future__ import annotations

import io
import json

import pytest

from coalition_docs.inventory.analysis import coverage
from coalition_docs.inventory.report import render_text
from coalition_docs.content.validate import load_coalition

from .conftest import EXAMPLE, FIXTURES, edit, run_cli

GAPS = FIXTURES / "gaps"  # a coalition built for this: its gaps are listed in its coalition.yaml

# What tests/fixtures/minimal lacks, worked out by hand from its files:
# needs young-people, older-adults | housing-stability, digital-access | convening-power;
# Test Backbone (member, nonprofit) serves young people, housing stability, convening power;
# City Hall (invite, local government) lists nothing; Pat holds the only role and leads Homes;
# Nguyễn Thị Hương is the only community member (compensated) and is in no working group.


def test_the_json_names_every_known_gap(capsys, content):
    code, out, err = run_cli(capsys, "report", content, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [(n["kind"], n["id"]) for n in data["unmet_needs"]] == [("populations", "older-adults"),
                                                                   ("areas", "digital-access")]
    met = {n["id"]: (n["members"], n["not_yet_members"]) for n in data["needs"] if n["met"]}
    assert met == {"young-people": (["Test Backbone"], []), "housing-stability": (["Test Backbone"], []),
                   "convening-power": (["Test Backbone"], [])}
    assert [t["id"] for t in data["organization_types_without_partner"]] == [
        "advocacy-group", "philanthropy", "research-organization", "anchor-institution", "private-sector"]
    assert [t["id"] for t in data["organization_types_without_member"]] == ["local-government"]
    assert [r["id"] for r in data["management_roles_without_anyone"]] == [
        "data-lead", "community-engagement-lead", "communications-lead", "learning-evaluation-lead"]
    assert data["working_groups"] == [{"id": "homes", "name": "Homes", "without_lead": False,
                                       "without_community_member": True}]
    assert data["community_members"] == {"serving": 1, "compensated": 1}


def test_a_group_without_a_lead_and_a_need_met_only_outside(content):
    edit(content / "coalition.yaml", "    lead: pat-manager\n", "")
    edit(content / "partners" / "city-hall.yaml", "relationship: new\n",
         "relationship: new\npopulations: [older-adults]\n")
    cov = coverage(load_coalition(content))
    assert [g.no_lead for g in cov.groups] == [True]
    assert [n.term.id for n in cov.met_only_outside] == ["older-adults"]
    assert [n.term.id for n in cov.unmet] == ["digital-access"]


def test_declined_partners_do_not_count(content):
    edit(content / "partners" / "test-backbone.yaml", "stage: member", "stage: declined")
    cov = coverage(load_coalition(content))
    assert [n.term.id for n in cov.unmet] == ["young-people", "older-adults", "housing-stability",
                                              "digital-access", "convening-power"]


def test_the_terminal_report_reads_as_the_gaps(content):
    stream = io.StringIO()
    coalition = load_coalition(content)
    render_text(coverage(coalition), coalition.name, stream, width=120)
    text = stream.getvalue()
    assert "Test Mobility Coalition: coverage of 2 partners (1 member;" in text
    assert "Older adults (no one)" in text and "Digital access (no one)" in text
    for line in ("A need no partner meets", "Target populations: Older adults", "Priority areas: Digital access",
                 "An organization type with no partner", "Philanthropy", "An organization type with no member",
                 "Local government", "A management role nobody holds", "Learning and evaluation lead",
                 "A working group without a community member", "Homes"):
        assert line in text, line
    assert text.rstrip().endswith("Community members serving: 1, of whom 1 is compensated.")


def test_the_example_reports_its_gaps(capsys):
    code, out, _ = run_cli(capsys, "report", EXAMPLE, "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["unmet_needs"] == []
    assert [t["id"] for t in data["organization_types_without_member"]] == ["anchor-institution", "private-sector"]
    assert data["management_roles_without_anyone"] == []


@pytest.mark.slow  # the worksheet built
def test_the_worksheet_carries_the_gaps(content, tmp_path):
    from pypdf import PdfReader

    from coalition_docs.phases import build

    build(content, tmp_path / "out", only="documents", jobs=1)
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "out/documents/worksheet.pdf").pages)
    text = " ".join(text.split())
    for expected in ("Who is still missing", "Needs no partner meets Target populations: Older adults; "
                     "Priority areas: Digital access",
                     "Kinds of organization with no partner Advocacy group, Philanthropy, Research organization, "
                     "Anchor institution, Private sector",
                     "Kinds of organization with no member yet Local government",
                     "Management roles nobody holds Data lead, Community engagement lead, Communications and "
                     "outreach lead, Learning and evaluation lead",
                     "Working groups with a gap Homes (no community member)",
                     "Community members 1 serving, 1 of them compensated."):
        assert expected in text, expected


def test_the_site_shows_only_aggregate_public_gaps(content, tmp_path):
    from coalition_docs.phases import build

    build(content, tmp_path / "out", only="site")
    page = (tmp_path / "out/site/coverage/index.html").read_text(encoding="utf-8")
    assert "Where we still have gaps" in page
    assert "Kinds of organization not among our members yet:</strong> Local government, Advocacy group," in page
    assert "23 areas no member works on yet:" in page
    assert "City Hall" not in page  # a partner that is not a member is never named
    assert "Older adults" not in page  # the coalition's needs are internal


# ------------------------------------------------------------------ tests/fixtures/gaps

GAPS_REPORT = """\
Riverbend Mobility Coalition: coverage of 4 partners (2 members; partners who declined do not count)
Target populations the coalition needs
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Need                       ┃ Members who meet it ┃ Not yet members        ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━┩
│ Young people               │ River Backbone      │ —                      │
│ People with disabilities   │ —                   │ Eastside Tenants Union │
│ English-language learners  │ County Library      │ —                      │
│ Recent immigrants (no one) │ —                   │ —                      │
└────────────────────────────┴─────────────────────┴────────────────────────┘
Priority areas the coalition needs
┏━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Need                   ┃ Members who meet it ┃ Not yet members        ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━┩
│ Housing stability      │ River Backbone      │ Eastside Tenants Union │
│ Digital access         │ County Library      │ —                      │
│ Just policing (no one) │ —                   │ —                      │
└────────────────────────┴─────────────────────┴────────────────────────┘
Assets the coalition needs
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
┃ Need                          ┃ Members who meet it ┃ Not yet members ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
│ Convening power               │ River Backbone      │ —               │
│ Fundraising capacity (no one) │ —                   │ —               │
│ Staff capacity                │ —                   │ Westgate Bank   │
└───────────────────────────────┴─────────────────────┴─────────────────┘
Gaps
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ What is missing                            ┃ Where                                        ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ A need no partner meets                    │ Target populations: Recent immigrants        │
│ A need no partner meets                    │ Priority areas: Just policing                │
│ A need no partner meets                    │ Assets: Fundraising capacity                 │
│ A need only non-members meet               │ Target populations: People with disabilities │
│ A need only non-members meet               │ Assets: Staff capacity                       │
│ An organization type with no partner       │ Philanthropy                                 │
│ An organization type with no partner       │ Research organization                        │
│ An organization type with no partner       │ Anchor institution                           │
│ An organization type with no member        │ Advocacy group                               │
│ An organization type with no member        │ Private sector                               │
│ A management role nobody holds             │ Community engagement lead                    │
│ A management role nobody holds             │ Communications and outreach lead             │
│ A management role nobody holds             │ Learning and evaluation lead                 │
│ A working group without a lead             │ Schools                                      │
│ A working group without a community member │ Safety                                       │
│ A working group without a lead             │ Jobs                                         │
│ A working group without a community member │ Jobs                                         │
└────────────────────────────────────────────┴──────────────────────────────────────────────┘
Community members serving: 3, of whom 2 are compensated.
"""


def test_the_report_names_every_gap_of_a_coalition_built_for_it():
    stream = io.StringIO()
    coalition = load_coalition(GAPS)
    render_text(coverage(coalition), coalition.name, stream, width=100)
    assert [line.rstrip() for line in stream.getvalue().splitlines()] == GAPS_REPORT.splitlines()


def test_the_json_of_a_coalition_built_for_it(capsys):
    code, out, err = run_cli(capsys, "report", GAPS, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["partners"], data["members"]) == (4, 2)
    assert {n["id"]: (n["members"], n["not_yet_members"]) for n in data["needs"]} == {
        "young-people": (["River Backbone"], []),
        "people-with-disabilities": ([], ["Eastside Tenants Union"]),
        "english-language-learners": (["County Library"], []),
        "recent-immigrants": ([], []),
        "housing-stability": (["River Backbone"], ["Eastside Tenants Union"]),
        "digital-access": (["County Library"], []),
        "just-policing": ([], []),  # Harbor Foundation works on it, but declined
        "convening-power": (["River Backbone"], []),
        "fundraising-capacity": ([], []),
        "staff-capacity": ([], ["Westgate Bank"]),
    }
    assert data["unmet_needs"] == [
        {"kind": "populations", "id": "recent-immigrants", "label": "Recent immigrants"},
        {"kind": "areas", "id": "just-policing", "label": "Just policing"},
        {"kind": "assets", "id": "fundraising-capacity", "label": "Fundraising capacity"},
    ]
    assert [t["label"] for t in data["organization_types_without_partner"]] == [
        "Philanthropy", "Research organization", "Anchor institution"]
    assert [t["label"] for t in data["organization_types_without_member"]] == ["Advocacy group", "Private sector"]
    assert [r["id"] for r in data["management_roles_without_anyone"]] == [
        "community-engagement-lead", "communications-lead", "learning-evaluation-lead"]
    # Homes is complete; Health's lead is a community member (not listed in the group): no gap.
    assert data["working_groups"] == [
        {"id": "schools", "name": "Schools", "without_lead": True, "without_community_member": False},
        {"id": "safety", "name": "Safety", "without_lead": False, "without_community_member": True},
        {"id": "jobs", "name": "Jobs", "without_lead": True, "without_community_member": True},
    ]
    assert data["community_members"] == {"serving": 3, "compensated": 2}


def test_report_from_the_command_line_prints_the_tables(capsys):
    code, out, err = run_cli(capsys, "report", GAPS)
    assert (code, err) == (0, "")
    assert "Recent immigrants (no one)" in out
    assert "Community members serving: 3, of whom 2 are compensated." in out


def test_report_of_content_with_mistakes_lists_them(capsys, content):
    edit(content / "coalition.yaml", "convener: test-backbone", "convener: test-bakbone")
    code, out, err = run_cli(capsys, "report", content)
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith("coalition.yaml:3:11: convener: no such partner")
    assert err.splitlines()[-1] == "1 error found."


@pytest.mark.slow  # a command in another process
def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    # `coalition-docs report | head`: rich's own answer to a closed pipe is exit status 1.
    import subprocess
    import sys

    from .test_runner import generated

    content = generated(tmp_path, 300)  # a report larger than a pipe's buffer
    process = subprocess.Popen([sys.executable, "-m", "coalition_docs", "report", str(content)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout.readline()
    process.stdout.close()
    _, err = process.communicate(timeout=120)
    assert (process.returncode, err) == (0, b"")
