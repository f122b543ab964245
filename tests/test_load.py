"""load.py: YAML with positions, duplicate keys, tags, alias bombs, UTF-8, links, front matter."""

from __future__ import annotations

import os
import resource

import pytest

from coalition_docs.content.load import INVALID, LoadError, load_page_file, load_yaml_file, parse_yaml

from .conftest import city_hall, edit, problems, run_cli


def test_positions_of_values_and_keys():
    doc = parse_yaml("name: Zoë\nlist:\n  - a\n  - {b: 2}\n", "f.yaml")
    assert doc.data == {"name": "Zoë", "list": ["a", {"b": 2}]}
    assert (doc.position(("name",)).line, doc.position(("name",)).column) == (1, 7)
    assert doc.position(("list", 1, "b")).line == 4
    assert doc.position(("list", 1, "b"), prefer_key=True).column == 6
    # a missing value points at its nearest written parent
    assert doc.position(("list", 1, "missing")).line == 4


def test_duplicate_key_is_reported_with_both_lines():
    doc = parse_yaml("name: a\ntype: nonprofit\nname: b\n", "partners/x.yaml")
    assert [p.format() for p in doc.problems] == [
        "partners/x.yaml:3:1: name: duplicate key 'name' (expected each key once, found it again; "
        "first written at line 1)"
    ]


def test_python_tag_executes_nothing(tmp_path):
    marker = tmp_path / "pwned"
    doc = parse_yaml(f'x: !!python/object/apply:os.system ["touch {marker}"]\n', "f.yaml")
    assert not marker.exists()
    assert doc.data == {"x": INVALID}
    assert [p.format() for p in doc.problems] == [
        "f.yaml:1:4: x: unsupported YAML tag '!!python/object/apply:os.system' "
        "(expected plain text, numbers, dates, lists and maps)"
    ]


def test_impossible_date_is_located():
    doc = parse_yaml("sent: 2026-02-30\n", "f.yaml")
    assert [p.format() for p in doc.problems] == [
        "f.yaml:1:7: sent: not a real date (expected a date such as 2027-01-15, found '2026-02-30')"
    ]


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_before_it_grows():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(LoadError) as caught:
        parse_yaml(billion_laughs(), "bomb.yaml")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert "aliases expand this YAML beyond a sane size" in caught.value.problem.message
    assert caught.value.problem.path == "bomb.yaml"
    assert grown_kib < 50 * 1024


def test_recursive_alias_is_refused():
    with pytest.raises(LoadError) as caught:
        parse_yaml("a: &x [1, *x]\n", "f.yaml")
    assert caught.value.problem.format() == (
        "f.yaml:1:4: recursive alias: a value contains itself (expected a tree of values)"
    )


def test_syntax_error_is_located():
    with pytest.raises(LoadError) as caught:
        parse_yaml("name: [a, b\ntype: x\n", "partners/x.yaml")
    problem = caught.value.problem
    assert (problem.path, problem.line) == ("partners/x.yaml", 2)
    assert problem.message.startswith("YAML syntax error:")


def test_file_must_be_utf8(tmp_path):
    (tmp_path / "f.yaml").write_bytes("name: ok\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(LoadError) as caught:
        load_yaml_file(tmp_path / "f.yaml", tmp_path)
    assert caught.value.problem.format() == (
        "f.yaml:2:11: file is not valid UTF-8 (expected UTF-8 text, found byte 0xe9); save the file as UTF-8"
    )


def test_utf8_bom_is_accepted(tmp_path):
    (tmp_path / "f.yaml").write_bytes("\ufeffname: Adébáyọ̀\n".encode("utf-8"))
    assert load_yaml_file(tmp_path / "f.yaml", tmp_path).data == {"name": "Adébáyọ̀"}


def test_link_outside_content_is_refused(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("name: secret\n")
    root = tmp_path / "content"
    root.mkdir()
    os.symlink(outside, root / "f.yaml")
    with pytest.raises(LoadError) as caught:
        load_yaml_file(root / "f.yaml", root)
    assert caught.value.problem.message.startswith("file resolves outside the content folder")


def test_link_inside_content_is_fine(tmp_path):
    (tmp_path / "real.yaml").write_text("name: ok\n")
    os.symlink(tmp_path / "real.yaml", tmp_path / "f.yaml")
    assert load_yaml_file(tmp_path / "f.yaml", tmp_path).data == {"name": "ok"}


def test_front_matter_lines_are_counted_in_the_page_file(tmp_path):
    (tmp_path / "p.md").write_text("---\ntitle: About\norder: [1\n---\nBody\n")
    with pytest.raises(LoadError) as caught:
        load_page_file(tmp_path / "p.md", tmp_path)
    assert caught.value.problem.path == "p.md"
    assert caught.value.problem.line == 4


def test_front_matter_and_body(tmp_path):
    (tmp_path / "p.md").write_text("---\ntitle: About\n---\n# Hello\n")
    page = load_page_file(tmp_path / "p.md", tmp_path)
    assert page.front.data == {"title": "About"}
    assert page.front.position(("title",)).line == 2
    assert page.body == "# Hello\n"
    assert page.body_line == 4


def test_page_without_front_matter(tmp_path):
    (tmp_path / "p.md").write_text("# Hello\n")
    with pytest.raises(LoadError) as caught:
        load_page_file(tmp_path / "p.md", tmp_path)
    assert caught.value.problem.format() == (
        "p.md:1:1: page has no front matter (expected a first line '---' opening YAML front matter "
        "with at least a title, found '# Hello')"
    )


def test_a_document_keeps_its_positions_numbers_and_invalid_marks_through_pickle():
    # Workers send back what they read (content/check.py, load_all): nothing may change on the way.
    import pickle

    document = parse_yaml("phone: 0755\nwhen: 2027-02-30\nlist:\n  - 1.50\n", "partners/x.yaml", line_offset=2)
    again = pickle.loads(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == document
    assert str(again.data["phone"]) == "0755" and again.data["phone"] == 755
    assert str(again.data["list"][0]) == "1.50"
    assert again.data["when"] is INVALID and ("when",) in again.invalid
    assert again.position(("list", 0)) == (6, 5) and again.position(("list", 0)).line == 6
    assert [p.format() for p in again.problems] == [p.format() for p in document.problems] != []


# ---------------------------------------------------------------- odd bytes and odd sizes are located


@pytest.mark.parametrize(("old", "new", "expected"), [
    (b"Alex Mayor", b"Alex\x00Mayor",  # a NUL byte in the file, at its own line and column
     "partners/city-hall.yaml:6:13: control character NUL (U+0000) in the file (expected text; a NUL byte "
     "or other control character is often the sign of a binary file or a bad copy and paste)"),
    (b"  name: Alex Mayor", b'  name: "Alex\\aMayor"',  # a control character escaped in quotes
     "partners/city-hall.yaml:6:9: contact.name: control character U+0007 in the text "
     "(expected printable text; remove the escape)"),
])
def test_a_control_character_is_located(content, old, new, expected):
    path = city_hall(content)
    path.write_bytes(path.read_bytes().replace(old, new, 1))
    assert problems(content) == [expected]


def test_raw_control_character_in_markdown_page_is_located(content):
    page = content / "pages" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "bell \x07 here\n", encoding="utf-8")
    found = problems(content)
    assert len(found) == 1 and found[0].startswith("pages/about.md:") and "U+0007" in found[0]


def test_invalid_utf8_is_located(content):
    path = city_hall(content)
    path.write_bytes(path.read_bytes().replace(b"Mayor\n", b"May\xffor\n", 1))
    assert problems(content) == [
        "partners/city-hall.yaml:6:17: file is not valid UTF-8 (expected UTF-8 text, found byte 0xff); "
        "save the file as UTF-8"
    ]


def test_huge_partner_file_is_refused_before_reading(content):
    with (content / "partners" / "huge.yaml").open("w") as handle:
        handle.write("name: x\n" + "# padding\n" * 600_000)
    assert problems(content) == [
        "partners/huge.yaml:1:1: file is too large (expected at most 5 MiB, found 5.7 MiB)"
    ]


def test_binary_file_posing_as_yaml_is_located(content):
    (content / "partners" / "photo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    found = problems(content)
    assert found[0].startswith("partners/photo.yaml:1:1: file is not valid UTF-8")


def test_deeply_nested_lists_are_located_not_a_crash(content, capsys):
    (content / "partners" / "deep.yaml").write_text("name: x\nsummary: " + "[" * 900 + "]" * 900 + "\n",
                                                    encoding="utf-8")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert "partners/deep.yaml:2:59: lists and maps nested too deeply (expected at most 50 levels, found more)" in err
    assert "internal error" not in err



SCALARS = ["hello", "Ashford Chamber of Commerce", "Yes", "no", "On", "off", "~", "null", "", "12", "-1", "+3",
           ".5", "0x1F", "0o17", "1_000", "1:30", "2024-01-02", "<<", "=", "true", "NaN", ".inf", "éclair", "_x",
           "[a, b]", "{a: 1}", "x # c", "!!str 12", "!!int 3", ">\n  folded", "|\n  kept", "'quoted'", '"dq"']


@pytest.mark.parametrize("value", SCALARS)
def test_the_loader_tags_every_scalar_as_pyyaml_does(value):
    # yaml_doc.Loader answers the scalars no implicit resolver can claim in one step; every tag
    # it gives is the one PyYAML's own resolver gives, wherever the scalar stands.
    import yaml

    from coalition_docs.content.yaml_doc import Loader

    def tags(node) -> list:
        if node is None:
            return [None]
        found = [node.tag]
        for item in node.value if isinstance(node.value, list) else []:
            for part in item if isinstance(item, tuple) else (item,):
                found += tags(part)
        return found

    for text in (f"k: {value}\n", f"- {value}\n", f"{value}\n", f"{value}: x\n", f"k: '{value}'\n"):
        try:
            theirs = tags(yaml.compose(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            continue
        assert tags(yaml.compose(text, Loader=Loader)) == theirs, text
