"""import --force edits a person's partner file in place: only the lines of the values that changed.

Comments (the first line's, inline ones), key order, quoting, blank lines,
line endings and the fields the sheet does not carry stay as they were.
"""

from __future__ import annotations

import csv
import difflib
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition_docs.content.edit import edit_yaml
from coalition_docs.content.load import parse_yaml

from .conftest import FIXTURES, examples, run_cli

HALL = """\
name: City Hall Ñandú
type: local-government
relationship: new
stage: invite
website: https://example.org/
summary: 'no'
domains:
  - housing-stability
  - economic-inclusion
contact:
  name: Zoë Ávila
  title: Branch Manager
  email: zoe@example.org
  phone: '0123 456'
  address: |
    1 Main St
    Testville
invitation:
  sender: pat-manager
  rationale: You run the city.
  sent: 2026-05-01
"""
BLOCK_LINES = {15, 16}  # the address's own lines (0-based): no comment can go between or inside them

# heading, the cell, the lines of HALL (0-based) that hold the value, and the data it gives
CHANGES = {
    "contact.title": ("Contact title", "Director of Ops", [11], ("contact", "title"), "Director of Ops"),
    "contact.email": ("Contact email", "ops@example.org", [12], ("contact", "email"), "ops@example.org"),
    "contact.phone": ("Contact phone", "0456", [13], ("contact", "phone"), "0456"),
    "contact.name": ("Contact name", "Nguyễn Thị Hương", [10], ("contact", "name"), "Nguyễn Thị Hương"),
    "contact.address": ("Contact address", "2 Side St\nVillage", [14, 15, 16], ("contact", "address"),
                        "2 Side St\nVillage\n"),
    "website": ("Website", "https://example.org/new", [4], ("website",), "https://example.org/new"),
    "summary": ("Summary", "on: the city's own", [5], ("summary",), "on: the city's own"),
    "domains": ("Domains of work", "Housing stability, Economic inclusion, Social capital", [7, 8],
                ("domains",), ["housing-stability", "economic-inclusion", "social-capital"]),
}


def sheet(path: Path, heading: str, cell: str, name: str = "City Hall Ñandú") -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ID", "Organization name", "Type of organization", "Relationship", heading])
    writer.writerow(["city-hall", name, "Local government", "Potential new partnership", cell])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def with_change(data: dict, where: tuple[str, ...], value) -> dict:
    data = {**data, **({where[0]: {**data[where[0]]}} if len(where) > 1 else {})}
    target = data if len(where) == 1 else data[where[0]]
    target[where[-1]] = value
    return data


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=before.splitlines(), b=after.splitlines(), autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            removed += matcher.a[i1:i2]
            added += matcher.b[j1:j2]
    return removed, added


def import_force(capsys, content: Path, source: Path) -> tuple[int, str]:
    code, out, err = run_cli(capsys, "import", source, "--content", content, "--force")
    assert err == ""
    return code, out


def imported(capsys, content: Path, before: str, heading: str, cell: str) -> str:
    """city-hall.yaml written as `before`, after `import --force` of one row that gives `heading` `cell`."""
    hall = content / "partners" / "city-hall.yaml"
    hall.write_text(before, encoding="utf-8")
    import_force(capsys, content, sheet(content.parent / "rows.csv", heading, cell))
    return hall.read_text(encoding="utf-8")


def test_comments_on_the_first_line_and_inline_survive_an_import_of_another_field(capsys, content, tmp_path):
    hall = content / "partners" / "city-hall.yaml"
    before = "# Notes kept by Sam: call before March\n" + HALL.replace(
        "  title: Branch Manager\n", "  title: Branch Manager  # since March\n").replace(
        "stage: invite\n", "stage: invite\n\n# the web site\n").replace("  - economic-inclusion\n",
                                                                        "  - economic-inclusion  # new in 2026\n")
    hall.write_text(before, encoding="utf-8")
    code, out = import_force(capsys, content, sheet(tmp_path / "rows.csv", "Website", "https://example.org/new"))
    assert code == 0 and out.splitlines()[0] == "updated partners/city-hall.yaml (rows.csv:2): website"
    after = hall.read_text(encoding="utf-8")
    assert changed_lines(before, after) == (["website: https://example.org/"], ["website: https://example.org/new"])
    assert run_cli(capsys, "check", content)[0] == 0


def test_a_changed_value_keeps_its_inline_comment_and_its_quotes(capsys, content, tmp_path):
    before = HALL.replace("  title: Branch Manager\n", "  title: 'Branch Manager'  # since March\n")
    after = imported(capsys, content, before, "Contact title", "Director")
    assert changed_lines(before, after) == (["  title: 'Branch Manager'  # since March"],
                                            ["  title: 'Director'  # since March"])


def test_an_import_that_changes_nothing_leaves_the_file_byte_identical(capsys, content, tmp_path):
    hall = content / "partners" / "city-hall.yaml"
    before = ("\ufeff# by hand\r\n" + HALL.replace("\n", "  \r\n").replace("'0123 456'", '"0123 456"')).encode()
    hall.write_bytes(before)
    for heading, cell, *_ in CHANGES.values():
        source = sheet(tmp_path / "same.csv", heading, {"Director of Ops": "Branch Manager",
                                                       "ops@example.org": "zoe@example.org"}.get(cell, cell))
        if heading in ("Contact title", "Contact email"):
            code, out = import_force(capsys, content, source)
            assert out.splitlines()[-1] == "0 new, 0 changed, 1 unchanged."
            assert hall.read_bytes() == before


def test_a_line_ending_and_a_byte_order_mark_are_kept(capsys, content, tmp_path):
    hall = content / "partners" / "city-hall.yaml"
    before = "\ufeff" + HALL.replace("\n", "\r\n")
    hall.write_bytes(before.encode())
    import_force(capsys, content, sheet(tmp_path / "rows.csv", "Contact phone", "no"))
    after = hall.read_bytes().decode()
    assert after == before.replace("  phone: '0123 456'\r\n", "  phone: 'no'\r\n")


def test_a_field_the_file_did_not_have_goes_in_the_format_s_order(capsys, content, tmp_path):
    hall = content / "partners" / "city-hall.yaml"
    before = HALL.replace("summary: 'no'\n", "").replace("  phone: '0123 456'\n", "")
    hall.write_text(before, encoding="utf-8")
    import_force(capsys, content, sheet(tmp_path / "rows.csv", "Contact phone", "0123"))
    import_force(capsys, content, sheet(tmp_path / "rows.csv", "Summary", "Two\nlines"))
    after = hall.read_text(encoding="utf-8")
    assert changed_lines(before, after) == ([], ["summary: |-", "  Two", "  lines", "  phone: '0123'"])
    assert after.index("website:") < after.index("summary:") < after.index("domains:")
    assert after.index("email:") < after.index("phone:") < after.index("address:")


def test_an_emptied_cell_removes_only_that_field_s_lines(capsys, content, tmp_path):
    before = HALL.replace("contact:\n", "# who we talk to\ncontact:\n")
    after = imported(capsys, content, before, "Contact address", "")
    assert changed_lines(before, after) == (["  address: |", "    1 Main St", "    Testville"], [])


def test_a_list_keeps_the_comments_between_its_items(capsys, content, tmp_path):
    before = HALL.replace("  - housing-stability\n", "  - housing-stability  # since 2019\n  # ask about jobs\n")
    after = imported(capsys, content, before, "Domains of work", "Social capital, Housing stability")
    assert changed_lines(before, after) == (["  - economic-inclusion"], ["  - social-capital"])
    assert "  - social-capital\n  - housing-stability  # since 2019\n  # ask about jobs\n" in after


def test_a_flow_list_stays_a_flow_list():
    text = "name: A\ndomains: [housing-stability, social-capital]  # two\n"
    old = parse_yaml(text, "x").data
    assert edit_yaml(text, old, {**old, "domains": ["social-capital", "no"]}) == \
        "name: A\ndomains: [social-capital, 'no']  # two\n"


# ---------------------------------------------------------------- property: random comments and blank lines


@st.composite
def decorated(draw) -> tuple[str, dict[int, int]]:
    """HALL with comment lines, blank lines and inline comments put in at random; and where each line went."""
    lines = HALL.splitlines()
    out: list[str] = []
    where: dict[int, int] = {}
    comment = st.text(st.sampled_from(list("abc XYZ#:'\"-é漢")), max_size=12).map(lambda t: "#" + t)
    for index, line in enumerate(lines):
        if index not in BLOCK_LINES:
            # right after a block scalar, a line indented as deep as its text would still be its text
            deepest = 1 if index - 1 in BLOCK_LINES else 2
            for _ in range(draw(st.integers(0, 2))):
                out.append(draw(st.sampled_from(["", "  " * draw(st.integers(0, deepest))])) + draw(
                    st.one_of(comment, st.just(""))))
        if index not in BLOCK_LINES and draw(st.booleans()):
            line += " " * draw(st.integers(1, 3)) + draw(comment)
        where[index] = len(out)
        out.append(line)
    if draw(st.booleans()):
        out.insert(0, draw(comment))
        where = {k: v + 1 for k, v in where.items()}
    return "\n".join(out) + "\n", where


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(file=decorated(), field=st.sampled_from(sorted(CHANGES)))
def test_random_comments_and_blank_lines_survive_an_import_that_changes_one_value(capsys, file, field):
    before, where = file
    heading, cell, value_lines, path, value = CHANGES[field]
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(FIXTURES / "minimal", content)
        hall = content / "partners" / "city-hall.yaml"
        hall.write_text(before, encoding="utf-8")
        code, out = import_force(capsys, content, sheet(Path(tmp) / "rows.csv", heading, cell))
        assert code == 0 and out.splitlines()[0] == f"updated partners/city-hall.yaml (rows.csv:2): {field}"
        after = hall.read_text(encoding="utf-8")
        removed, added = changed_lines(before, after)
        own = [before.splitlines()[where[i]] for i in value_lines]
        assert (removed or added) and all(line in own for line in removed), (removed, own)
        assert parse_yaml(after, "x").data == with_change(parse_yaml(before, "x").data, path, value)
        for line in before.splitlines():
            if "#" in line and line not in own:
                assert line in after.splitlines()


def test_a_cell_with_a_line_break_in_a_one_line_field_is_located_and_nothing_is_written(capsys, content, tmp_path):
    before = {p.name: p.read_bytes() for p in (content / "partners").iterdir()}
    code, out, err = run_cli(capsys, "import", sheet(tmp_path / "rows.csv", "Contact name", "Alex\r\nBcc: x@y.org"),
                             "--content", content, "--force")
    assert code == 1 and out == ""
    assert err.splitlines()[0] == ("rows.csv:2:5: contact.name: this field prints on one line (expected one line of "
                                   "text, found a line break)")
    assert {p.name: p.read_bytes() for p in (content / "partners").iterdir()} == before


@pytest.mark.parametrize("text, change, expected", [
    ("name: A\ncontact:\ntype: x\n", {"contact": {"title": "T"}}, "name: A\ncontact:\n  title: T\ntype: x\n"),
    ("name: A\ncontact: {name: B, title: C}  # flow\n", {"contact": {"name": "B", "title": "D"}},
     "name: A\ncontact: {name: B, title: D}  # flow\n"),
    ("{name: A, type: x}  # all in one\n", {"website": "https://x.org"},
     "{name: A, type: x, website: 'https://x.org'}  # all in one\n"),
    ("---\n# notes\nname: A\n...\n", {"type": "x"}, "---\n# notes\nname: A\ntype: x\n...\n"),
    ("name: A\nsummary: >-\n  folded\n  text\n# after\ntype: x\n", {"summary": "new"},
     "name: A\nsummary: new\n# after\ntype: x\n"),
    ("name: A\nsummary: \"two\n  lines\"\ntype: x\n", {"summary": "one"}, "name: A\nsummary: \"one\"\ntype: x\n"),
    ("name: A\ncontact:\n    name: B   # four\n", {"contact": {"name": "B", "email": "e@x.org"}},
     "name: A\ncontact:\n    name: B   # four\n    email: e@x.org\n"),
    ("name: A # no line break at the end", {"type": "nonprofit"},
     "name: A # no line break at the end\ntype: nonprofit\n"),
    ("name: A\nsummary: x\n", {"summary": {"en": "x", "es": "y"}}, "name: A\nsummary:\n  en: x\n  es: y\n"),
])
def test_edit_keeps_the_layout_it_finds(text, change, expected):
    old = parse_yaml(text, "x").data
    new = {**old, **change}
    assert edit_yaml(text, old, new, {(): ("name", "type", "website", "summary", "contact")}) == expected
    assert parse_yaml(expected, "x").data == new


def test_a_dry_run_shows_the_lines_an_update_would_change_and_writes_nothing(capsys, content, tmp_path):
    hall = content / "partners" / "city-hall.yaml"
    before = HALL.replace("  title: Branch Manager\n", "  title: Branch Manager  # since March\n")
    hall.write_text(before, encoding="utf-8")
    code, out, err = run_cli(capsys, "import", sheet(tmp_path / "rows.csv", "Contact title", "Director"),
                             "--content", content, "--force", "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "would update partners/city-hall.yaml (rows.csv:2): contact.title:",
        "    @@ -11,3 +11,3 @@",
        "       name: Zoë Ávila",
        "    -  title: Branch Manager  # since March",
        "    +  title: Director  # since March",
        "       email: zoe@example.org",
        "0 new, 1 changed, 0 unchanged (dry run: nothing written).",
    ]
    assert hall.read_text(encoding="utf-8") == before


def test_an_item_added_to_a_list_comes_before_a_field_added_after_the_list():
    text = "name: A\ndomains:\n  - b\n"
    old = parse_yaml(text, "x").data
    new = {**old, "domains": ["b", "zz"], "assets": ["aa"]}
    assert edit_yaml(text, old, new, {(): ("name", "domains", "assets")}) == \
        "name: A\ndomains:\n  - b\n  - zz\nassets:\n  - aa\n"


def test_a_cell_s_lone_carriage_returns_are_line_breaks(capsys, content):
    after = imported(capsys, content, HALL, "Contact address", "2 Side St\rVillage")
    assert "  address: |\n    2 Side St\n    Village\n" in after
