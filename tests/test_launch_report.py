"""`report --launch`: the five launch activities, the meetings that cover each, which were held, the gaps."""

from __future__ import annotations

import json

from .conftest import run_cli
from .test_meetings import MEETING, with_meeting


def _series(content):
    with_meeting(content)  # get-acquainted, 2027-02-10
    with_meeting(content, MEETING.replace("get-acquainted", "decision-making")
                 .replace("2027-02-10 18:00", "2027-03-10 18:00").replace("Getting to know one another",
                                                                          "Deciding how we decide"), name="deciding")
    with_meeting(content, MEETING.replace("get-acquainted", "shared-analysis") + "draft: true\n", name="analysis")
    return content


def test_launch_lists_activities_in_order_with_meetings_held_and_gaps(content, capsys):
    code, out, err = run_cli(capsys, "report", _series(content), "--launch", "--today", "2027-03-01")
    assert code == 0 and err == ""
    assert out == (
        "Test Mobility Coalition: the launch on 2027-03-01 (2 of 5 activities covered, 1 held)\n"
        "1. Getting acquainted\n"
        "   2027-02-10 18:00  Getting to know one another (meetings/kickoff.yaml), held\n"
        "2. Expectations and roles\n"
        "   no meeting covers expectations and roles yet\n"
        "3. How decisions are made\n"
        "   2027-03-10 18:00  Deciding how we decide (meetings/deciding.yaml), to come\n"
        "4. Shared analysis\n"
        "   no meeting covers shared analysis yet\n"
        "   draft: Getting to know one another (meetings/analysis.yaml)\n"
        "5. Forming working groups\n"
        "   no meeting covers forming working groups yet\n"
        "Gaps: no meeting covers expectations and roles yet; no meeting covers shared analysis yet; "
        "no meeting covers forming working groups yet\n")


def test_launch_as_json(content, capsys):
    code, out, _ = run_cli(capsys, "report", _series(content), "--launch", "--format", "json", "--today", "2027-03-10")
    data = json.loads(out)
    assert code == 0 and data["today"] == "2027-03-10"
    assert [a["activity"] for a in data["activities"]] == [
        "get-acquainted", "expectations-and-roles", "decision-making", "shared-analysis", "working-groups"]
    assert [(a["covered"], a["held"]) for a in data["activities"]] == [
        (True, True), (False, False), (True, False), (False, False), (False, False)]
    assert data["activities"][2]["meetings"] == [{
        "meeting": "deciding", "file": "meetings/deciding.yaml", "title": "Deciding how we decide",
        "starts": "2027-03-10T18:00:00-05:00", "held": False}]
    assert data["activities"][3]["drafts"] == ["meetings/analysis.yaml"]
    assert data["gaps"] == ["no meeting covers expectations and roles yet", "no meeting covers shared analysis yet",
                            "no meeting covers forming working groups yet"]


def test_launch_without_meetings_names_every_gap_and_defaults_to_today(content, capsys):
    code, out, _ = run_cli(capsys, "report", content, "--launch")
    assert code == 0 and "(0 of 5 activities covered, 0 held)" in out
    assert out.splitlines()[-1].startswith("Gaps: no meeting covers getting acquainted yet; ")


def test_launch_and_invitations_together_is_a_usage_error(content, capsys):
    code, out, err = run_cli(capsys, "report", content, "--launch", "--invitations")
    assert code == 2 and out == ""
    assert err == ("coalition-docs: error: one report at a time (expected report --invitations or report --launch, "
                   "found both)\n")
