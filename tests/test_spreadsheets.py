"""import and export: the worksheet's own rows, located errors, no overwrite, round trips."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml

from coalition_docs import spreadsheets

from .conftest import EXAMPLE, FIXTURES, edit, run_cli

ROWS = FIXTURES / "worksheet-rows.csv"  # the worksheet's example rows, typed as a person would


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "partners").glob("*.yaml"))}


def test_the_worksheet_rows_import_into_a_coalition_that_passes_check(capsys, content):
    code, out, err = run_cli(capsys, "import", ROWS, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "worksheet-rows.csv:2:6: read 'Strong data-sharing capabilities' as 'Data sharing and transparency'",
        "worksheet-rows.csv:3:6: read 'research and analytic capacity' as 'Research and analytical capacity'",
        "wrote partners/forest-city-asset-builders.yaml (worksheet-rows.csv:2)",
        "wrote partners/forest-city-community-college.yaml (worksheet-rows.csv:3)",
        "wrote partners/forest-city-chamber-of-commerce.yaml (worksheet-rows.csv:4)",
        "3 new, 0 changed, 0 unchanged.",
    ]
    data = yaml.safe_load((content / "partners" / "forest-city-community-college.yaml").read_text())
    assert data == {
        "name": "Forest City Community College", "type": "anchor-institution", "relationship": "new",
        "populations": ["residents-with-low-incomes", "english-language-learners"],
        "domains": ["employment-opportunities", "opportunities-for-income"],
        "assets": ["convening-power", "research-and-analytical-capacity", "political-clout"],
    }
    chamber = yaml.safe_load((content / "partners" / "forest-city-chamber-of-commerce.yaml").read_text())
    assert chamber["type"] == "private-sector" and chamber["relationship"] == "new"
    assert chamber["considerations"].startswith("They have the ear of the business sector in our city")
    code, out, err = run_cli(capsys, "check", content)
    assert (code, err) == (0, "")


def test_a_reimport_changes_nothing(capsys, content):
    run_cli(capsys, "import", ROWS, "--content", content)
    before = files(content)
    code, out, _ = run_cli(capsys, "import", ROWS, "--content", content)
    assert code == 0 and out.splitlines()[-1] == "0 new, 0 changed, 3 unchanged."
    assert files(content) == before


def test_an_xlsx_with_a_sheet_per_relationship_imports_the_same(capsys, content, tmp_path):
    import openpyxl

    with ROWS.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    book = openpyxl.Workbook()
    for title, relationship in (("Existing partnerships", "existing"), ("Potential new partnerships", "new")):
        sheet = book.create_sheet(title)
        sheet.append([h for h in table[0] if h != "Relationship"])
        for row in table[1:]:
            if row[2].lower() == relationship:
                sheet.append([v for h, v in zip(table[0], row) if h != "Relationship"])
    del book["Sheet"]
    workbook = tmp_path / "partners.xlsx"
    book.save(workbook)
    code, out, err = run_cli(capsys, "import", workbook, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "3 new, 0 changed, 0 unchanged."
    from_xlsx = {name: yaml.safe_load(data) for name, data in files(content).items()}

    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "minimal", other)
    run_cli(capsys, "import", ROWS, "--content", other)
    assert from_xlsx == {name: yaml.safe_load(data) for name, data in files(other).items()}
    assert run_cli(capsys, "check", content)[0] == 0


def test_an_unknown_label_is_located_with_a_suggestion_and_nothing_is_written(capsys, content, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(ROWS.read_text(encoding="utf-8").replace("Anchor institution", "Anchor instituton")
                   .replace("Young people", "Young peeple"), encoding="utf-8")
    before = files(content)
    code, out, err = run_cli(capsys, "import", bad, "--content", content)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "bad.csv:2:4: populations: unknown label (expected one of the worksheet's labels, found 'Young peeple')",
        "    did you mean 'Young people'?",
        "bad.csv:3:2: type: unknown label (expected one of 'Local government', 'Nonprofit or community-based "
        "organization', 'Advocacy group', 'Philanthropy', 'Research organization', 'Anchor institution', "
        "'Private sector'; found 'Anchor instituton')",
        "    did you mean 'Anchor institution'?",
        "2 errors found.",
    ]
    assert files(content) == before


def test_a_changed_row_is_reported_and_written_only_with_force(capsys, content, tmp_path):
    run_cli(capsys, "import", ROWS, "--content", content)
    college = content / "partners" / "forest-city-community-college.yaml"
    # Someone adds an invitation by hand: --force must keep it.
    college.write_text(college.read_text(encoding="utf-8") + "stage: invite\ninvitation:\n  sender: pat-manager\n"
                       "  rationale: You train half the city.\ncontact:\n  name: Dr. Ada Ortiz\n",
                       encoding="utf-8")
    changed = tmp_path / "changed.csv"
    changed.write_text(ROWS.read_text(encoding="utf-8").replace("political clout", "political clout, fundraising "
                                                                "capacity"), encoding="utf-8")
    before = files(content)
    code, out, _ = run_cli(capsys, "import", changed, "--content", content, "--dry-run", "--force")
    assert code == 0 and "would update partners/forest-city-community-college.yaml (changed.csv:3)" in out
    assert files(content) == before
    code, out, _ = run_cli(capsys, "import", changed, "--content", content)
    assert ("partners/forest-city-community-college.yaml differs from changed.csv:3 in assets: left as it is "
            "(use --force to update it)") in out.splitlines()
    assert out.splitlines()[-1] == "0 new, 1 changed (not written), 2 unchanged."
    assert files(content) == before
    code, out, _ = run_cli(capsys, "import", changed, "--content", content, "--force")
    data = yaml.safe_load(college.read_text(encoding="utf-8"))
    assert data["assets"][-1] == "fundraising-capacity"
    assert data["invitation"]["rationale"] == "You train half the city."
    assert data["contact"] == {"name": "Dr. Ada Ortiz"} and data["stage"] == "invite"
    assert run_cli(capsys, "check", content)[0] == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_inventory_back(capsys, tmp_path, fmt):
    sheet = tmp_path / f"inventory.{fmt}"
    code, out, _ = run_cli(capsys, "export", "--content", EXAMPLE, "--output", sheet)
    assert code == 0 and out == f"Wrote 14 partners to {sheet}.\n"
    if fmt == "csv":
        text = sheet.read_text(encoding="utf-8")
        assert "Outreach in Spanish, Vietnamese and Yoruba" in text  # a label with a comma in it
        assert "Café Ñandú Workers' Cooperative" in text
        assert '"' in text  # cells with commas are quoted
    target = tmp_path / "again"
    (target / "partners").mkdir(parents=True)
    shutil.copy(EXAMPLE / "coalition.yaml", target)  # the coalition's own labels for "Other"
    code, _, err = run_cli(capsys, "import", sheet, "--content", target)
    assert (code, err) == (0, "")
    columns = {name.partition(".")[0] for _, name, _, _ in spreadsheets.COLUMNS}
    for original in sorted((EXAMPLE / "partners").glob("*.yaml")):
        want = yaml.safe_load(original.read_text(encoding="utf-8"))
        want = {k: (v.rstrip("\n") if isinstance(v, str) else v) for k, v in want.items() if k in columns}
        if "contact" in want:
            want["contact"] = {k: v.rstrip("\n") for k, v in want["contact"].items()}
        got = yaml.safe_load((target / "partners" / original.name).read_text(encoding="utf-8"))
        assert {k: (v.rstrip("\n") if isinstance(v, str) else v) for k, v in got.items()} == want, original.name


def test_bad_headings_and_files_are_reported(capsys, content, tmp_path):
    bad = tmp_path / "odd.csv"
    bad.write_text("Organization name,Type of organisation,Relationship\nA,Nonprofit,new\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "import", bad, "--content", content)
    assert code == 1
    assert err.splitlines()[0] == ("odd.csv:1:2: unknown column heading (expected one of the worksheet's "
                                   "headings, found 'Type of organisation')")
    assert err.splitlines()[1] == "    did you mean 'Type of organization'?"
    code, _, err = run_cli(capsys, "import", tmp_path / "nothing.csv", "--content", content)
    assert code == 2 and "no such file" in err
    (tmp_path / "notes.txt").write_text("x")
    code, _, err = run_cli(capsys, "import", tmp_path / "notes.txt", "--content", content)
    assert code == 2 and "expected a .csv or .xlsx file, found .txt" in err


def test_a_label_with_a_comma_stays_whole_in_a_comma_separated_cell():
    assets = spreadsheets.vocabularies({"assets": {"multilingual-outreach": "Outreach in Spanish, Vietnamese"}})["assets"]
    assert spreadsheets._pieces("Outreach in Spanish, Vietnamese, convening power", assets) == [
        "Outreach in Spanish, Vietnamese", "convening power"]
    assert spreadsheets._pieces("Convening power; Political clout", assets) == ["Convening power", "Political clout"]
