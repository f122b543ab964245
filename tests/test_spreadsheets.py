"""import and export: the worksheet's own rows, located errors, no overwrite, round trips."""

from __future__ import annotations

import csv
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from coalition_docs.inventory.spreadsheets import columns as spreadsheet_columns

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
    assert code == 0 and out == f"Wrote 15 partners to {sheet}.\n"
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
    columns = {name.partition(".")[0] for _, name, _, _ in spreadsheet_columns.COLUMNS}
    def plain(value):  # texts as a cell holds them: a block scalar's final newline does not count
        if isinstance(value, dict):  # contact, and a text with its translations (a column per language)
            return {k: plain(v) for k, v in value.items()}
        return value.rstrip("\n") if isinstance(value, str) else value

    for original in sorted((EXAMPLE / "partners").glob("*.yaml")):
        want = yaml.safe_load(original.read_text(encoding="utf-8"))
        want = {k: plain(v) for k, v in want.items() if k in columns}
        got = yaml.safe_load((target / "partners" / original.name).read_text(encoding="utf-8"))
        assert plain(got) == want, original.name


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
    (tmp_path / "notes.pdf").write_text("x")
    code, _, err = run_cli(capsys, "import", tmp_path / "notes.pdf", "--content", content)
    assert code == 2 and "expected a .csv or .xlsx file (or .tsv, .txt), found .pdf" in err


def test_a_label_with_a_comma_stays_whole_in_a_comma_separated_cell():
    assets = spreadsheet_columns.vocabularies({"assets": {"multilingual-outreach": "Outreach in Spanish, Vietnamese"}})["assets"]
    assert spreadsheet_columns.pieces("Outreach in Spanish, Vietnamese, convening power", assets) == [
        "Outreach in Spanish, Vietnamese", "convening power"]
    assert spreadsheet_columns.pieces("Convening power; Political clout", assets) == ["Convening power", "Political clout"]


# ------------------------------------------------------------------ a new coalition folder, written files


def test_import_into_a_folder_made_by_new_then_check(capsys, tmp_path):
    folder = tmp_path / "riverbend"
    assert run_cli(capsys, "new", folder)[0] == 0
    content = folder / "content"
    code, out, err = run_cli(capsys, "import", ROWS, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "3 new, 0 changed, 0 unchanged."
    code, out, err = run_cli(capsys, "check", content)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"{content}: no problems found (18 partners, 15 people, 3 statements, 3 pages, 7 meetings)."
    before = files(content)
    assert run_cli(capsys, "import", ROWS, "--content", content)[1].splitlines()[-1] == (
        "0 new, 0 changed, 3 unchanged.")
    assert files(content) == before


def test_a_folder_without_coalition_yaml_gets_partners_and_a_note(capsys, tmp_path):
    folder = tmp_path / "inventory"
    folder.mkdir()
    code, out, err = run_cli(capsys, "import", ROWS, "--content", folder)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == (f"note: {folder} has no coalition.yaml, which `coalition-docs check` and "
                                    "`build` need; start a coalition with `coalition-docs new DIR` and import "
                                    "into DIR/content.")
    assert sorted(files(folder)) == ["forest-city-asset-builders.yaml", "forest-city-chamber-of-commerce.yaml",
                                     "forest-city-community-college.yaml"]
    code, _, err = run_cli(capsys, "import", ROWS, "--content", tmp_path / "nowhere")
    assert code == 2 and "no such folder" in err


def test_the_written_file_is_block_style_utf8_in_the_format_s_order(capsys, content, tmp_path):
    sheet = tmp_path / "one.csv"
    sheet.write_text(
        "Organization name,Type of organization,Relationship,Stage,Target populations served,Assets,"
        "Contact name,Contact email,Contact address,Website\n"
        '"Asociación Ñandú, Mutual Aid",Nonprofit,Existing,Member,"people of color; young people",'
        'Convening power,Zoë Ødegård,zoe@example.org,"12 Ferry St\nRiverbend",https://nandu.example.org/\n',
        encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, err) == (0, "")
    assert "wrote partners/asociacion-nandu-mutual-aid.yaml (one.csv:2)" in out
    assert (content / "partners" / "asociacion-nandu-mutual-aid.yaml").read_text(encoding="utf-8") == """\
# A partner organization: see "coalition-docs docs content-format" (section "partners/ID.yaml").
# Imported from one.csv, row 2; edit freely.
name: Asociación Ñandú, Mutual Aid
type: nonprofit
relationship: existing
stage: member
website: https://nandu.example.org/
populations:
  - people-of-color
  - young-people
assets:
  - convening-power
contact:
  name: Zoë Ødegård
  email: zoe@example.org
  address: |-
    12 Ferry St
    Riverbend
"""
    assert run_cli(capsys, "check", content)[0] == 0


def test_dry_run_prints_the_files_and_writes_nothing(capsys, content):
    before = files(content)
    code, out, err = run_cli(capsys, "import", ROWS, "--content", content, "--dry-run")
    assert (code, err) == (0, "")
    assert files(content) == before
    lines = out.splitlines()
    start = lines.index("would write partners/forest-city-community-college.yaml (worksheet-rows.csv:3):")
    assert lines[start + 1:start + 6] == [
        "    # A partner organization: see \"coalition-docs docs content-format\" (section \"partners/ID.yaml\").",
        "    # Imported from worksheet-rows.csv, row 3; edit freely.",
        "    name: Forest City Community College",
        "    type: anchor-institution",
        "    relationship: new",
    ]
    assert lines[-1] == "3 new, 0 changed, 0 unchanged (dry run: nothing written)."


# ------------------------------------------------------------------ how people type


def test_labels_as_people_type_them(capsys, content, tmp_path):
    sheet = tmp_path / "typed.csv"
    sheet.write_text(
        "organization name,TYPE OF ORGANIZATION,relationship,Target populations served,Domains of work,Assets\n"
        "Eastside Tenants,Advocacy groups,existing,\"Homelessness; young people, People With Disabilities\","
        "\"housing-stability\nJobs paying living wages\",\"A strong racial equity approach, staff capacities\"\n"
        "Riverbend Hospital,anchor institutions,new,Residents with low income,Access to health services,"
        "political clout\n",
        encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines()[:5] == [
        "typed.csv:2:2: read 'Advocacy groups' as 'Advocacy group'",
        "typed.csv:2:4: read 'Homelessness' as 'People experiencing housing instability or homelessness'",
        "typed.csv:2:6: read 'staff capacities' as 'Staff capacity'",
        "typed.csv:3:2: read 'anchor institutions' as 'Anchor institution'",
        "typed.csv:3:4: read 'Residents with low income' as 'Residents with low incomes'",
    ]
    tenants = yaml.safe_load((content / "partners" / "eastside-tenants.yaml").read_text(encoding="utf-8"))
    assert tenants == {
        "name": "Eastside Tenants", "type": "advocacy-group", "relationship": "existing",
        "populations": ["people-experiencing-housing-instability", "young-people", "people-with-disabilities"],
        "domains": ["housing-stability", "jobs-paying-living-wages"],
        "assets": ["racial-equity-approach", "staff-capacity"],
    }


def test_a_semicolon_separated_csv_reads_the_same(capsys, content, tmp_path):
    with ROWS.open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    sheet = tmp_path / "european.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:  # Excel's "CSV UTF-8", semicolons
        csv.writer(handle, delimiter=";").writerows(table)
    assert run_cli(capsys, "import", sheet, "--content", content)[0] == 0
    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "minimal", other)
    run_cli(capsys, "import", ROWS, "--content", other)
    assert {n: yaml.safe_load(d) for n, d in files(content).items()} == {
        n: yaml.safe_load(d) for n, d in files(other).items()}


def test_the_worksheet_typed_as_its_tables_in_one_sheet(capsys, content, tmp_path):
    """Table 1 and 2 under their titles, table 3 (by "Identified partner") adding to the same partners."""
    sheet = tmp_path / "worksheet.csv"
    sheet.write_text("""\
TABLE 1 Existing Partnerships
Organization name,Type of organization,Target populations served,Domains of work,Assets
Forest City Asset Builders,Nonprofit,"Young people, residents with low incomes, people of color","Financial security, housing stability",Strong data-sharing capabilities; experience conducting deep and meaningful community engagement

TABLE 2 Potential New Partnerships
Organization name,Type of organization,Target populations served,Domain of work,Assets
Forest City Community College,Anchor institution,"Residents with low incomes, English-language learners","Employment opportunities, opportunities for income","Convening power, research and analytic capacity, political clout"
Forest City Chamber of Commerce,Private-sector,,,

TABLE 3 How Existing and Potential Partners Can Benefit the Coalition's Work
Identified partner,Aligned initiatives,Motivations for joining,Roles,Barriers to partnership /how they're a good partner
Forest City Asset Builders,Wealth-Building for All campaign,They want to expand their wealth-building programming to a wider audience in the city.,Forest City AB director as champion; Forest City AB data analyst as data team lead,"They have a long history of work in this space that we can learn a lot from. However, they may be skeptical of people for whom this work is a newfound interest."
Forest City Chamber of Commerce,Forest City Small Business Loan Program,They want to increase their contacts with key stakeholders in the city.,Forest City Chamber of Commerce director as communications lead,"They have the ear of the business sector in our city and can help us bring these critical actors into our strategy. However, they may be reticent to support some of the more progressive policies advocated for by this group."
""", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "3 new, 0 changed, 0 unchanged."
    other = tmp_path / "other"
    shutil.copytree(FIXTURES / "minimal", other)
    run_cli(capsys, "import", ROWS, "--content", other)
    assert {n: yaml.safe_load(d) for n, d in files(content).items()} == {
        n: yaml.safe_load(d) for n, d in files(other).items()}
    assert run_cli(capsys, "check", content)[0] == 0


def test_every_bad_cell_of_a_workbook_is_located_by_column_number(capsys, content, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Potential new partnerships"
    sheet.append(["Organization name", "Type of organization", "Domains of work", "Contact email", "Website"])
    sheet.append(["Westgate Bank", "Bank", "Jobs paying living wages", "info@westgate.example", "westgate.example"])
    sheet.append(["Harbor Foundation", "Philantropy", "Housing stablity; digital access", "not an address", None])
    path = tmp_path / "book.xlsx"
    book.save(path)
    code, out, err = run_cli(capsys, "import", path, "--content", content)
    assert (code, out) == (1, "")
    # Every bad cell at once, in the order of the sheet; the format's own checks (a web address, an e-mail
    # address) run on the same cells in the same run.
    types = ("(expected one of 'Local government', 'Nonprofit or community-based organization', 'Advocacy group', "
             "'Philanthropy', 'Research organization', 'Anchor institution', 'Private sector'; ")
    assert err.splitlines() == [
        f"book.xlsx[Potential new partnerships]:2:2: type: unknown label {types}found 'Bank')",
        "book.xlsx[Potential new partnerships]:2:5: website: not a valid web address (expected an http:// or "
        "https:// address, found 'westgate.example')",
        f"book.xlsx[Potential new partnerships]:3:2: type: unknown label {types}found 'Philantropy')",
        "    did you mean 'Philanthropy'?",
        "book.xlsx[Potential new partnerships]:3:3: domains: unknown label (expected one of the worksheet's "
        "labels, found 'Housing stablity')",
        "    did you mean 'Housing stability'?",
        "book.xlsx[Potential new partnerships]:3:4: contact.email: not a valid email (expected an email address "
        "such as name@example.org, found 'not an address')",
        "5 errors found.",
    ]
    assert not list((content / "partners").glob("w*.yaml"))


# ------------------------------------------------------------------ existing files


def test_an_existing_partner_is_found_by_name_and_new_ids_never_collide(capsys, content, tmp_path):
    (content / "partners" / "river-works.yaml").write_text(
        "name: Riverbend Public Works Department\ntype: local-government\nrelationship: existing\n",
        encoding="utf-8")
    (content / "partners" / "cbo.yaml").write_text(
        "name: Forest City Asset Builders\ntype: nonprofit\nrelationship: existing\n", encoding="utf-8")
    sheet = tmp_path / "rows.csv"
    sheet.write_text("Organization name,Type of organization,Relationship\n"
                     "River Works,Private sector,new\n"
                     "forest city asset builders,Nonprofit,existing\n"
                     "City Hall,Local government,New\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "wrote partners/river-works-2.yaml (rows.csv:2)",
        "partners/cbo.yaml differs from rows.csv:3 in name: left as it is (use --force to update it)",
        "1 new, 1 changed (not written), 1 unchanged.",
    ]


def test_an_emptied_cell_clears_the_field_only_with_force(capsys, content, tmp_path):
    sheet = tmp_path / "inventory.csv"
    assert run_cli(capsys, "export", "--content", content, "--output", sheet)[0] == 0
    text = sheet.read_text(encoding="utf-8")
    assert "Young people" in text
    sheet.write_text(text.replace("Young people", ""), encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", sheet, "--content", content)
    assert out.splitlines() == [
        "partners/test-backbone.yaml differs from inventory.csv:3 in populations: left as it is "
        "(use --force to update it)",
        "0 new, 1 changed (not written), 1 unchanged.",
    ]
    code, out, _ = run_cli(capsys, "import", sheet, "--content", content, "--force")
    assert out.splitlines()[0] == "updated partners/test-backbone.yaml (inventory.csv:3): populations"
    data = yaml.safe_load((content / "partners" / "test-backbone.yaml").read_text(encoding="utf-8"))
    assert "populations" not in data and data["domains"] == ["housing-stability"]
    city_hall = yaml.safe_load((content / "partners" / "city-hall.yaml").read_text(encoding="utf-8"))
    assert city_hall["invitation"] == {"sender": "pat-manager", "rationale": "You run the city."}


def test_one_organization_twice_with_different_values_is_an_error(capsys, content, tmp_path):
    sheet = tmp_path / "twice.csv"
    sheet.write_text("Organization name,Type of organization,Relationship\n"
                     "Riverbend Bank,Private sector,new\n"
                     "Riverbend Bank,Philanthropy,new\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "twice.csv:3:2: Riverbend Bank: this organization is already in the spreadsheet at row 2 with another "
        "type (expected each organization once, or the same values)",
        "1 error found.",
    ]


# ------------------------------------------------------------------ round trip, as models


MODEL_FIELDS = ("name", "type", "relationship", "stage", "website", "summary", "populations", "domains", "assets",
                "asset_notes", "aligned_initiatives", "motivations", "roles", "considerations", "contact")


def _strip(value):
    if isinstance(value, str):
        return value.rstrip("\n")
    if hasattr(value, "__dataclass_fields__") and not hasattr(value, "label"):
        return {k: _strip(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_partners_as_models(capsys, tmp_path, fmt):
    from coalition_docs.content.validate import load_coalition

    source = tmp_path / "source"
    shutil.copytree(EXAMPLE, source)
    (source / "partners" / "asociacion-nandu.yaml").write_text("""\
name: Asociación Ñandú, Mutual Aid & Co. "Los Ríos"
type: nonprofit
relationship: new
stage: keep-informed
populations: [people-of-color, english-language-learners]
asset_notes: Translators, drivers; a van
contact:
  name: Zoë Ødegård
  address: |
    12 Ferry St, Unit 3
    Marlow Falls
""", encoding="utf-8")
    sheet = tmp_path / f"inventory.{fmt}"
    code, out, _ = run_cli(capsys, "export", "--content", source, "--output", sheet)
    assert out == f"Wrote 16 partners to {sheet}.\n"
    if fmt == "csv":
        assert '"Asociación Ñandú, Mutual Aid & Co. ""Los Ríos"""' in sheet.read_text(encoding="utf-8")
    target = tmp_path / "target"
    shutil.copytree(source, target, ignore=lambda folder, names: names if folder.endswith("partners") else [])
    assert list((target / "partners").iterdir()) == []
    code, _, err = run_cli(capsys, "import", sheet, "--content", target)
    assert (code, err) == (0, "")
    before, after = load_coalition(source), load_coalition(target)
    assert [p.id for p in after.partners] == [p.id for p in before.partners]
    for original, imported in zip(before.partners, after.partners):
        for name in MODEL_FIELDS:
            assert _strip(getattr(imported, name)) == _strip(getattr(original, name)), (original.id, name)
    # And the export of the imported folder is the same file, byte for byte (CSV) or cell for cell.
    again = tmp_path / f"again.{fmt}"
    run_cli(capsys, "export", "--content", target, "--output", again)
    if fmt == "csv":
        assert again.read_bytes() == sheet.read_bytes()
    # A re-import into the original folder changes nothing.
    code, out, _ = run_cli(capsys, "import", sheet, "--content", source)
    assert out.splitlines()[-1] == "0 new, 0 changed, 16 unchanged."


def test_a_row_with_only_a_name_above_the_next_table_is_a_partner_not_a_title(capsys, content, tmp_path):
    sheet = tmp_path / "two.csv"
    sheet.write_text("Organization name,Type of organization,Relationship\n"
                     "Riverbend Bank,Private sector,new\n"
                     "Harbor Foundation\n"
                     "\n"
                     "Organization name,Type of organization,Relationship\n"
                     "County Library,Local government,existing\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        'two.csv:3:2: Harbor Foundation: no type of organization (expected a value in the "Type of organization" '
        'column)',
        'two.csv:3:3: Harbor Foundation: no relationship (expected a value in the "Relationship" column)',
        "2 errors found.",
    ]


# ---------------------------------------------------------------- partner files read as `check` reads them

CITY_HALL_ROWS = ("Organization name,Type of organization,Relationship,Summary\n"
                  "City Hall,Local government,new,The city.\nNew Org,Nonprofit,new,\n")


def test_files_with_an_impossible_date_do_not_stop_an_import_of_other_rows(capsys, content):
    # PyYAML raised on these dates and import ended in an internal error; the loader reports them to `check`.
    edit(content / "partners" / "city-hall.yaml", "  rationale: You run the city.\n",
         "  rationale: You run the city.\n  sent: 2027-02-30\n")
    edit(content / "coalition.yaml", "invitation:\n", "invitation:\n  date: 2027-02-30\n")
    code, out, err = run_cli(capsys, "import", ROWS, "--content", content)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == "3 new, 0 changed, 0 unchanged."


def test_a_file_to_update_that_does_not_load_cleanly_is_located_and_nothing_is_written(capsys, content, tmp_path):
    edit(content / "partners" / "city-hall.yaml", "  rationale: You run the city.\n",
         "  rationale: You run the city.\n  sent: 2027-02-30\n")
    rows = tmp_path / "rows.csv"
    rows.write_text(CITY_HALL_ROWS, encoding="utf-8")
    before = files(content)
    code, out, err = run_cli(capsys, "import", rows, "--content", content, "--force")
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == ("partners/city-hall.yaml:15:9: invitation.sent: not a real date (expected a "
                                   "date such as 2027-01-15, found '2027-02-30')")
    assert files(content) == before


def test_a_number_the_merge_keeps_is_written_as_the_person_wrote_it(capsys, content, tmp_path):
    hall = content / "partners" / "city-hall.yaml"
    edit(hall, "  rationale: You run the city.\n", "  rationale: 0x1F\n")
    rows = tmp_path / "rows.csv"
    rows.write_text(CITY_HALL_ROWS, encoding="utf-8")
    code, out, _ = run_cli(capsys, "import", rows, "--content", content, "--force")
    assert code == 0 and "updated partners/city-hall.yaml (rows.csv:2): summary" in out.splitlines()
    assert hall.read_text(encoding="utf-8").endswith("invitation:\n  sender: pat-manager\n  rationale: 0x1F\n")
    assert run_cli(capsys, "check", content)[0] == 0


def test_export_writes_a_number_as_it_is_written(capsys, content, tmp_path):
    # PyYAML read 02071234567 as an octal number and exported 283457911.
    edit(content / "partners" / "city-hall.yaml", "  title: Mayor\n", "  title: Mayor\n  phone: 02071234567\n")
    target = tmp_path / "out.csv"
    assert run_cli(capsys, "export", "--content", content, "-o", target)[0] == 0
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert rows[1][rows[0].index("Organization name")] == "City Hall"
    assert rows[1][rows[0].index("Contact phone")] == "02071234567"


# ---------------------------------------------------------------- export overwrites nothing a person wrote; spreadsheets are data


def test_export_refuses_the_content_folder(content, capsys):
    before = (content / "roster.yaml").read_bytes()
    code, _, err = run_cli(capsys, "export", "--content", content, "--output", content / "roster.yaml",
                           "--format", "csv")
    assert code == 1
    assert err == (f"coalition-docs: error: refusing to write the spreadsheet to {content / 'roster.yaml'}: it is "
                   f"inside the content folder {content.resolve()}, where every file is a person's record "
                   "(choose a path outside it, or add --force)\n")
    assert (content / "roster.yaml").read_bytes() == before


def test_export_refuses_a_file_it_did_not_write_unless_forced(content, tmp_path, capsys):
    target = tmp_path / "budget.csv"
    target.write_text("my,own,numbers\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", "--content", content, "--output", target)
    assert code == 1 and "refusing to overwrite" in err and "add --force" in err
    assert target.read_text(encoding="utf-8") == "my,own,numbers\n"
    code, _, _ = run_cli(capsys, "export", "--content", content, "--output", target, "--force")
    assert code == 0 and target.read_text(encoding="utf-8").startswith("Organization")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_replaces_its_own_file(content, tmp_path, capsys, suffix):
    target = tmp_path / f"inventory.{suffix}"
    assert run_cli(capsys, "export", "--content", content, "--output", target)[0] == 0
    assert run_cli(capsys, "export", "--content", content, "--output", target)[0] == 0


def test_export_below_a_regular_file_is_one_line(content, tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "export", "--content", content, "--output", tmp_path / "afile" / "x.csv")
    assert code == 1
    assert err.startswith("coalition-docs: error: cannot use ") and err.count("\n") == 1


FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "'=already"]


def _export_with(content: Path, tmp_path: Path, capsys, suffix: str, value: str) -> Path:
    edit(content / "partners" / "test-backbone.yaml", "name: Test Backbone",
         "name: Test Backbone\naligned_initiatives: " + repr(value).replace("\\'", "''"))
    target = tmp_path / f"out.{suffix}"
    assert run_cli(capsys, "export", "--content", content, "--output", target)[0] == 0
    return target


@pytest.mark.parametrize("value", FORMULAS)
def test_csv_export_neutralises_formulas_and_import_reads_them_back(content, tmp_path, capsys, value):
    target = _export_with(content, tmp_path, capsys, "csv", value)
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + value in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    from coalition_docs.inventory.spreadsheets.tables import read_sheets

    read_back = [cell.value for sheet in read_sheets(target) for row in sheet.rows for cell in row]
    assert value in read_back


@pytest.mark.parametrize("value", FORMULAS[:4])
def test_xlsx_export_stores_formulas_as_text(content, tmp_path, capsys, value):
    import openpyxl

    target = _export_with(content, tmp_path, capsys, "xlsx", value)
    sheet = openpyxl.load_workbook(target).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == value]
    assert cells and all(cell.data_type == "s" for cell in cells)
    with zipfile.ZipFile(target) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_zip_bomb_workbook_is_refused_before_reading(content, tmp_path, capsys):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(210):
                member.write(block)
    assert bomb.stat().st_size < 1_000_000
    code, _, err = run_cli(capsys, "import", bomb, "--content", content)
    assert code == 2
    assert "bomb.xlsx: the workbook unzips to 210 MiB in 1 parts (expected at most 200 MiB)" in err


def test_damaged_workbook_is_one_line(content, tmp_path, capsys):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run_cli(capsys, "import", tmp_path / "bad.xlsx", "--content", content)
    assert code == 2 and err.count("\n") == 1 and "bad.xlsx: not a readable Excel workbook" in err



# ---------------------------------------------------------------- the schema is the source of the columns


def test_every_field_of_a_partner_has_a_column_or_is_said_not_to():
    from coalition_docs.content import schema

    fields = []
    for name, info in schema.PartnerFile.model_fields.items():
        if name == "contact":
            fields += [f"contact.{inner}" for inner in schema.ContactEntry.model_fields]
        else:
            fields.append(name)
    columns = {field for _, field, _, _ in spreadsheet_columns.COLUMNS}
    assert [f for f in fields if f not in columns and f not in spreadsheet_columns.NOT_IN_SPREADSHEET] == []
    assert set(spreadsheet_columns.NOT_IN_SPREADSHEET) <= set(fields)  # nothing said of a field that is gone
    assert spreadsheet_columns.TRANSLATABLE == ("summary",)
