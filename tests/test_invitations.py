"""Dated letters and following up invitations (`report --invitations`)."""

from __future__ import annotations

import json
import shutil

import pypdf
import pytest

from .conftest import FIXTURES, edit, run_cli

FIXTURE = FIXTURES / "invitations"  # respond_by 2026-12-15; four partners invited, one declined


def test_report_invitations_json_on_a_fixture_with_known_answers(capsys):
    code, out, _ = run_cli(capsys, "report", FIXTURE, "--invitations", "--today", "2027-01-01", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"invitations": [
        {"partner": "answered", "name": "Answered Already", "stage": "invited", "sent": "2026-12-01",
         "response": "accepted", "days_since_sent": 31, "overdue": False},
        {"partner": "city-hall", "name": "City Hall", "stage": "invite", "sent": None,
         "response": "pending", "days_since_sent": None, "overdue": False},
        {"partner": "late-reply", "name": "Late Reply Library", "stage": "invited", "sent": "2026-11-20",
         "response": "pending", "days_since_sent": 42, "overdue": True},
        {"partner": "no-answer-yet", "name": "No Answer Yet Clinic", "stage": "invited", "sent": "2026-12-20",
         "response": "pending", "days_since_sent": 12, "overdue": True},
    ]}


def test_nothing_is_overdue_before_the_answer_date(capsys):
    code, out, _ = run_cli(capsys, "report", FIXTURE, "--invitations", "--today", "2026-12-15", "--format", "json")
    assert code == 0 and not any(item["overdue"] for item in json.loads(out)["invitations"])


def test_report_invitations_text(capsys):
    code, out, _ = run_cli(capsys, "report", FIXTURE, "--invitations", "--today", "2027-01-01")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == ("Test Mobility Coalition: 4 invitations on 2027-01-01, answers due by 2026-12-15; "
                        "2 overdue")
    assert lines[1].split() == ["partner", "stage", "sent", "days", "response"]
    assert [line for line in lines if line.endswith("OVERDUE")] == [
        next(line for line in lines if line.startswith("Late Reply Library")),
        next(line for line in lines if line.startswith("No Answer Yet Clinic")),
    ]


def test_a_bad_today_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        run_cli(capsys, "report", FIXTURE, "--invitations", "--today", "2027-02-30")
    assert caught.value.code == 2
    assert "expected a date such as 2027-01-15, found '2027-02-30'" in capsys.readouterr().err


def test_today_without_invitations_is_a_usage_error(capsys):
    code, out, err = run_cli(capsys, "report", FIXTURE, "--today", "2027-01-01")
    assert code == 2 and out == ""
    assert err == ("coalition-docs: error: --today counts days for --invitations or --launch (expected report "
                   "--invitations --today DATE or report --launch --today DATE)\n")


def _letter_text(content, tmp_path, capsys, partner="city-hall"):
    assert run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "documents", "-q")[0] == 0
    reader = pypdf.PdfReader(tmp_path / "out" / "documents" / "letters" / f"{partner}.pdf")
    return reader.pages[0].extract_text()


@pytest.mark.slow  # letters built
def test_a_letter_prints_its_sent_date_else_the_coalition_date(content, tmp_path, capsys):
    assert "date: 2026-12-01" in (content / "coalition.yaml").read_text(encoding="utf-8")
    assert "December 1, 2026" in _letter_text(content, tmp_path, capsys)
    edit(content / "partners" / "city-hall.yaml", "  rationale: You run the city.",
         "  rationale: You run the city.\n  sent: 2026-12-03")
    assert "December 3, 2026" in _letter_text(content, tmp_path, capsys)


@pytest.mark.slow  # letters built
def test_a_letter_without_any_date_has_no_date_line_and_check_warns(content, tmp_path, capsys):
    edit(content / "coalition.yaml", "  date: 2026-12-01\n", "")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 0
    assert err == ("partners/city-hall.yaml:13:3: warning: the letter to city-hall has no date (expected "
                   "invitation.sent in this file or invitation.date in coalition.yaml); it prints without a "
                   "date line\n")
    text = _letter_text(content, tmp_path, capsys)
    assert "2026" not in text.split("Dear")[0]
