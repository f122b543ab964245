"""The documentation: every field of the schema is in the reference, every link leads somewhere,
no file speaks of how the project is developed, and `coalition-docs docs` prints the pages."""

from __future__ import annotations

import re
import subprocess
import warnings
from pathlib import Path

import pytest

from coalition_docs.content.schema import FILE_GLOBS, FILE_SCHEMAS, json_schema

from .conftest import ROOT, run_cli

DOCS = ROOT / "docs"
REFERENCE = DOCS / "content-format.md"

# The reference's section of each kind of file: its glob with ID for the star, else this.
SECTIONS = {"page": "pages/NAME.md", "meeting": "meetings/ID.yaml"}


def section_of(kind: str) -> str:
    if kind in FILE_GLOBS:
        return FILE_GLOBS[kind].replace("*", "ID")
    return SECTIONS[kind]


def schema_fields(schema: dict) -> set[str]:
    """Every field path the JSON Schema accepts: `contact.email`, `agenda[].minutes`, `people[].id`."""
    defs = schema.get("$defs", {})
    found: set[str] = set()

    def resolve(node: dict) -> dict:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def walk(node: dict, prefix: str) -> None:
        node = resolve(node)
        for branch in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            walk(branch, prefix)
        if node.get("type") == "array" or "items" in node:
            items = node.get("items")
            if isinstance(items, dict):
                walk(items, prefix + "[]")
        for name, child in node.get("properties", {}).items():
            path = f"{prefix.removesuffix('[]')}[]." + name if prefix.endswith("[]") else (
                f"{prefix}.{name}" if prefix else name)
            found.add(path)
            walk(child, path)

    walk(schema, "")
    return found


def reference_tables(text: str) -> dict[str, set[str]]:
    """The reference's field paths, by section: the first cell (`backticked`) of each table row."""
    tables: dict[str, set[str]] = {}
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().strip("`")
            tables.setdefault(section, set())
        elif section and (row := re.match(r"\|\s*`([^`]+)`\s*\|", line)):
            tables[section].add(row.group(1))
    return tables


def undocumented(text: str) -> dict[str, list[str]]:
    """The schema's fields that the reference's tables do not list, by section."""
    tables = reference_tables(text)
    missing = {}
    for kind in FILE_SCHEMAS:
        section = section_of(kind)
        gaps = sorted(schema_fields(json_schema(kind)) - tables.get(section, set()))
        if gaps:
            missing[section] = gaps
    return missing


def test_every_field_the_schema_accepts_is_in_the_reference():
    missing = undocumented(REFERENCE.read_text(encoding="utf-8"))
    listing = "\n".join(f"  {section}: {', '.join(fields)}" for section, fields in missing.items())
    print(f"fields missing from docs/content-format.md:\n{listing}" if missing else "every field is documented")
    assert not missing, f"docs/content-format.md does not document these fields:\n{listing}"


def test_a_field_documented_but_not_in_the_schema_is_only_a_warning():
    """The reference may describe fields of the format before the code accepts them (a warning, not a
    failure), but never a file the schema does not know."""
    tables = reference_tables(REFERENCE.read_text(encoding="utf-8"))
    extra = {}
    for kind in FILE_SCHEMAS:
        section = section_of(kind)
        assert section in tables, f"docs/content-format.md has no section '## {section}'"
        surplus = sorted(tables[section] - schema_fields(json_schema(kind)))
        if surplus:
            extra[section] = surplus
    for section, fields in extra.items():
        warnings.warn(f"docs/content-format.md documents fields the schema does not accept yet in "
                      f"{section}: {', '.join(fields)}", stacklevel=1)


def test_the_reference_check_fails_when_a_row_is_deleted():
    text = REFERENCE.read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `contact.email` |")]
    assert len(rows) == 1
    assert undocumented(text.replace(rows[0] + "\n", "")) == {"partners/ID.yaml": ["contact.email"]}
    nested = [line for line in text.splitlines() if line.startswith("| `people[].public` |")]
    assert undocumented(text.replace(nested[0] + "\n", "")) == {"roster.yaml": ["people[].public"]}


def test_field_paths_follow_lists_and_maps():
    fields = schema_fields(json_schema("coalition"))
    assert {"name", "site.languages", "data_points[].source", "working_groups[].lead",
            "extra_vocabulary.assets", "print.duplex"} <= fields
    assert "people[].email" in schema_fields(json_schema("roster"))


# -- links and words ------------------------------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors for a page's headings: lowercase, punctuation dropped, spaces to hyphens."""
    anchors = set()
    for line in markdown.splitlines():
        if heading := re.match(r"#{1,6}\s+(.*)", line):
            text = re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower())
            anchors.add(text.replace(" ", "-"))
    return anchors


def _without_code(markdown: str) -> str:
    """The page without its code blocks and code spans, where a link is an example, not a link."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", markdown, flags=re.S))


def test_every_relative_link_in_the_readme_and_docs_resolves():
    broken = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for target in LINK.findall(_without_code(text)):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if ROOT.resolve() not in resolved.parents and resolved != ROOT.resolve():
                broken.append(f"{page.relative_to(ROOT)}: {target} leads outside the repository")
            elif not resolved.exists():
                broken.append(f"{page.relative_to(ROOT)}: {target} does not exist")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved.read_text("utf-8")):
                broken.append(f"{page.relative_to(ROOT)}: {target} has no heading '{anchor}'")
    assert not broken, "\n".join(broken)


DEVELOPMENT = re.compile(r"\b(session|issue|round|helper) [0-9]+\b", re.I)


def test_no_tracked_file_speaks_of_how_the_project_is_developed():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = []
    for name in files.splitlines():
        path = ROOT / name
        if name.startswith("tests/fixtures/") or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # fonts, images
            continue
        found += [f"{name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}" for m in DEVELOPMENT.finditer(text)]
    assert not found, "\n".join(found)


def test_every_pinned_version_is_the_packages():
    from coalition_docs import __version__

    pins = {page.relative_to(ROOT).as_posix(): re.findall(r"coalition-docs==([^\s\"']+)", page.read_text("utf-8"))
            for page in [ROOT / "README.md", *DOCS.glob("*.md")]}
    assert any(pins.values())
    assert {page: found for page, found in pins.items() if set(found) - {__version__}} == {}


def test_the_readme_is_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 300


# -- coalition-docs docs ----------------------------------------------------------------------------

def test_docs_lists_every_topic_with_its_title(capsys):
    code, out, err = run_cli(capsys, "docs")
    assert code == 0 and err == ""
    names = [line.split()[0] for line in out.splitlines()[1:]]
    assert names[:3] == ["getting-started", "install", "content-format"]
    assert sorted(names) == sorted(p.stem for p in DOCS.glob("*.md") if p.stem != "README")
    assert "  content-format   The content format: every file and field" in out


def test_docs_prints_a_topic_as_markdown(capsys):
    code, out, _ = run_cli(capsys, "docs", "content-format")
    assert code == 0
    assert out == REFERENCE.read_text(encoding="utf-8")


def test_docs_refuses_an_unknown_topic_with_a_suggestion(capsys):
    code, out, err = run_cli(capsys, "docs", "content-fromat")
    assert code == 2 and out == ""
    assert err.startswith("coalition-docs: error: no documentation topic 'content-fromat' (expected one of "
                          "getting-started, install, content-format,")
    assert err.rstrip().endswith("; did you mean 'content-format'?")


def test_docs_works_through_a_pipe():
    tool = Path(ROOT / ".venv/bin/coalition-docs")
    if not tool.exists():
        pytest.skip("no .venv/bin/coalition-docs")
    result = subprocess.run(f"'{tool}' docs install | head -n 1", shell=True, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout == "# Installing coalition-docs\n" and result.stderr == ""


def test_the_docs_ship_in_the_package_as_markdown():
    import runpy
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    setup = runpy.run_path(str(ROOT / "setup.py"), run_name="setup")
    assert setup["FOLDERS"]["coalition_docs.docs"] == "docs"
    assert "coalition_docs.docs" in setup["packages"]()
    assert ("coalition_docs.docs", "images") in setup["SKIP"]
    assert config["package-data"]["coalition_docs.docs"] == ["*.md"]


POINTER = re.compile(r"coalition-docs docs ([a-z-]+)[\\\"`]*(?:\s*\(section \\?\"([^\"\\]+)\\?\"\)|,\s*section \\?\"([^\"\\]+)\\?\")?")


def test_every_pointer_to_the_docs_names_a_topic_and_section_that_exist():
    """Messages, generated files and the example point to `coalition-docs docs TOPIC` (section "S"):
    the topic is a page of docs/, and the section one of its headings."""
    files = subprocess.run(["git", "ls-files", "src", "templates", "content"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    seen, wrong = 0, []
    for name in files:
        try:
            text = (ROOT / name).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for match in POINTER.finditer(text):
            topic, section = match.group(1), match.group(2) or match.group(3)
            seen += 1
            page = DOCS / f"{topic}.md"
            if topic == "TOPIC" or "{" in (section or ""):  # a placeholder: see the test after this one
                continue
            if not page.is_file():
                wrong.append(f"{name}: no docs/{topic}.md")
            elif section and not re.search(rf"^#+ {re.escape(section)}$",
                                           page.read_text("utf-8").replace("`", ""), re.M):
                wrong.append(f"{name}: docs/{topic}.md has no section '{section}'")
    assert seen >= 20 and not wrong, "\n".join(wrong)


@pytest.mark.parametrize("system", ["Linux", "Darwin", "Windows"])
def test_the_missing_pango_line_names_a_section_of_the_install_page(monkeypatch, system):
    import platform
    import sys

    from coalition_docs.documents.pdf import load_weasyprint
    from coalition_docs.errors import BuildError

    class NoPango:
        @staticmethod
        def find_spec(name, path=None, target=None):
            if name == "weasyprint":
                raise OSError("cannot load library 'libpango-1.0-0': error 0x7e")

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [NoPango, *sys.meta_path])
    monkeypatch.setattr(platform, "system", lambda: system)
    with pytest.raises(BuildError) as raised:
        load_weasyprint()
    section = re.search(r'`coalition-docs docs install` \(section "([^"]+)"\)', str(raised.value)).group(1)
    assert re.search(rf"^## {re.escape(section)}$", (DOCS / "install.md").read_text("utf-8"), re.M)


def test_no_message_points_to_a_file_the_user_does_not_have():
    files = subprocess.run(["git", "ls-files", "src", "templates", "content"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    stale = [name for name in files if name.endswith((".py", ".yaml", ".md", ".html", ".txt"))
             and re.search(r"(see|in) content-format\.md|content-format\.md,|the README's",
                           (ROOT / name).read_text("utf-8", "replace"))]
    assert stale == []


def test_docs_writes_utf8_where_the_stream_cannot_encode_the_page():
    """A console or pipe whose encoding lacks a character of the page (cp1252 has no arrow) gets the
    page as UTF-8 bytes, not an encoding error."""
    import io

    from coalition_docs.manual import show

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1252")
    show("code-layout", out=stream)
    stream.flush()
    assert "→" in (DOCS / "code-layout.md").read_text(encoding="utf-8")
    assert raw.getvalue().decode("utf-8") == (DOCS / "code-layout.md").read_text(encoding="utf-8")


def test_docs_says_so_when_the_installation_lost_its_pages(capsys, monkeypatch, tmp_path):
    from coalition_docs import manual

    monkeypatch.setattr(manual, "PACKAGE_DIR", tmp_path / "site-packages" / "coalition_docs")
    code, out, err = run_cli(capsys, "docs")
    assert (code, out) == (1, "")
    assert err == ("coalition-docs: error: the documentation is missing from this installation (expected "
                   "coalition_docs/docs inside the package; reinstall coalition-docs)\n")
