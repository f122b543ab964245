"""`report`: the gaps of a coalition whose gaps are known (tests/fixtures/minimal)."""

from __future__ import annotations

import io
import json

from coalition_docs.analysis import coverage
from coalition_docs.report import render_text
from coalition_docs.validate import load_coalition

from .conftest import EXAMPLE, edit, run_cli

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
    assert "Test Mobility Coalition: coverage of 2 partners (1 members" in text
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


def test_the_worksheet_carries_the_gaps(content, tmp_path):
    from pypdf import PdfReader

    from coalition_docs.build import build

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
    from coalition_docs.build import build

    build(content, tmp_path / "out", only="site")
    page = (tmp_path / "out/site/coverage/index.html").read_text(encoding="utf-8")
    assert "Where we still have gaps" in page
    assert "Kinds of organization not among our members yet:</strong> Local government, Advocacy group," in page
    assert "23 areas no member works on yet:" in page
    assert "City Hall" not in page  # a partner that is not a member is never named
    assert "Older adults" not in page  # the coalition's needs are internal
