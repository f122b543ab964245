"""cli.py: commands, exit codes, output on stdout/stderr, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coalition_docs import __version__
from coalition_docs.cli import main

from .conftest import EXAMPLE, edit, run_cli


def test_check_valid_content(capsys, content):
    code, out, err = run_cli(capsys, "check", content)
    assert code == 0
    assert out == f"{content}: no problems found (2 partners, 2 people, 1 statement, 1 page).\n"
    assert err == ""


def test_check_reports_every_problem_and_a_count(capsys, content):
    edit(content / "partners/test-backbone.yaml", "type: nonprofit", "type: nonprofitt")
    edit(content / "roster.yaml", "name: Pat Manager", "nmae: Pat Manager")
    code, out, err = run_cli(capsys, "check", content)
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("partners/test-backbone.yaml:2:7: type: unknown value (expected one of ")
    assert lines[1] == "    did you mean 'nonprofit'?"
    assert lines[2] == "roster.yaml:2:5: people[0].name: required field is missing (expected text, found nothing)"
    assert lines[3].startswith("roster.yaml:3:5: unknown field 'nmae' in people[0] (expected one of id, name,")
    assert lines[4] == "    did you mean 'name'?"
    assert lines[-1] == "3 errors found."
    assert "Traceback" not in err


def test_example_coalition_passes_check(capsys):
    code, out, err = run_cli(capsys, "check", EXAMPLE)
    assert (code, err) == (0, "")
    assert "no problems found" in out


def test_build_refuses_bad_content_and_writes_nothing(capsys, content, tmp_path):
    edit(content / "coalition.yaml", "convener: test-backbone", "convener: nobody")
    out_dir = tmp_path / "out"
    code, out, err = run_cli(capsys, "build", content, "--out", out_dir)
    assert code == 1
    assert err.splitlines()[0].startswith("coalition.yaml:3:11: convener: no such partner")
    assert not out_dir.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["content"]  # no staging folder left behind


def test_build_refuses_a_foreign_non_empty_folder(capsys, content, tmp_path):
    out_dir = tmp_path / "mine"
    out_dir.mkdir()
    (out_dir / "thesis.docx").write_text("precious")
    code, out, err = run_cli(capsys, "build", content, "--out", out_dir)
    assert code == 2
    assert "refusing to write the build into" in err
    assert "not made by coalition-docs" in err
    assert (out_dir / "thesis.docx").read_text() == "precious"


def test_build_refuses_the_content_folder(capsys, content):
    code, _, err = run_cli(capsys, "build", content, "--out", content)
    assert code == 2
    assert "it holds the content folder" in err


def test_usage_errors_exit_2(capsys, tmp_path):
    code, _, err = run_cli(capsys, "check", tmp_path / "missing")
    assert code == 2
    assert err == (f"coalition-docs: error: content folder not found: {tmp_path / 'missing'} "
                   "(expected a folder holding coalition.yaml, or a project folder holding "
                   "content/coalition.yaml)\n")
    with pytest.raises(SystemExit) as caught:
        main(["build", "--only", "pdf"])
    assert caught.value.code == 2


def test_version_and_help(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"coalition-docs {__version__}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    for word in ("check", "build", "new", "schema", "examples:", "Exit status"):
        assert word in text


def test_new_scaffolds_from_the_example(capsys, tmp_path):
    target = tmp_path / "my-coalition"
    code, out, _ = run_cli(capsys, "new", target)
    assert code == 0
    assert (target / "content/coalition.yaml").read_bytes() == (EXAMPLE / "coalition.yaml").read_bytes()
    assert (target / "templates/README.md").is_file()
    code, _, err = run_cli(capsys, "check", target / "content")
    assert (code, err) == (0, "")


def test_new_refuses_a_non_empty_folder(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    code, _, err = run_cli(capsys, "new", tmp_path)
    assert code == 2
    assert "it is not empty" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_schema_prints_json_schema(capsys):
    code, out, _ = run_cli(capsys, "schema", "partner")
    schema = json.loads(out)
    assert code == 0
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["name", "type", "relationship"]
    assert "nonprofit" in json.dumps(schema["properties"]["type"])
    code, out, _ = run_cli(capsys, "schema")
    assert set(json.loads(out)) == {"coalition.yaml", "partners/*.yaml", "roster.yaml", "positionality/*.yaml",
                                    "meetings/*.yaml"}


def test_schema_out_writes_files_and_editor_settings(capsys, tmp_path):
    code, out, _ = run_cli(capsys, "schema", "--out", tmp_path / "schemas")
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == [
        "coalition.schema.json", "meeting.schema.json", "partner.schema.json", "positionality.schema.json",
        "roster.schema.json"]
    assert '"yaml.schemas"' in out


def test_console_script_runs_without_traceback(tmp_path):
    (tmp_path / "coalition.yaml").write_text("name: [unclosed\n")
    result = subprocess.run([sys.executable, "-m", "coalition_docs.cli", "check", str(tmp_path)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("coalition.yaml:2:1: YAML syntax error:")


def test_the_command_says_everything_before_its_quick_exit(tmp_path, content):
    # cli.run() ends the process without Python's walk over every object: what was printed into
    # a pipe (a buffer, not a terminal) still arrives, and the exit status is main()'s.
    command = [sys.executable, "-m", "coalition_docs"]
    built = subprocess.run([*command, "build", str(content), "--out", str(tmp_path / "out"), "--jobs", "2"],
                           capture_output=True, text=True)
    assert built.returncode == 0 and built.stderr.splitlines()[-1].endswith("its letter gets no e-mail draft")
    assert built.stdout.splitlines()[-1].startswith("Built ") and (tmp_path / "out/site/index.html").is_file()
    (content / "roster.yaml").write_text("people: [unclosed\n")
    refused = subprocess.run([*command, "check", str(content)], capture_output=True, text=True)
    assert refused.returncode == 1 and refused.stderr.splitlines()[-1] == "4 errors found."


def test_schema_kinds_match_the_schema_module():
    from coalition_docs.arguments import SCHEMA_KINDS
    from coalition_docs.content.schema import FILE_GLOBS

    assert tuple(FILE_GLOBS) == SCHEMA_KINDS


def test_check_reports_what_a_letter_lacks(capsys, content):
    edit(content / "partners/city-hall.yaml", "  name: Alex Mayor\n", "")
    code, out, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.splitlines()[0] == "partners/city-hall.yaml:6:3: partner city-hall: the letter needs contact.name"
    assert err.splitlines()[-1] == "1 error found."


def test_the_public_api_loads_and_builds(tmp_path):
    import coalition_docs
    from coalition_docs import build, load_coalition

    from .conftest import FIXTURES

    coalition = load_coalition(FIXTURES / "minimal")
    assert {p.id for p in coalition.partners} == {"city-hall", "test-backbone"}
    result = build(FIXTURES / "minimal", tmp_path / "out", only="site")
    assert (tmp_path / "out/site/index.html").is_file() and result.summary().startswith("Built")
    assert sorted(coalition_docs.__all__) == ["__version__", "build", "load_coalition"]


def test_every_command_runs_with_the_builds_garbage_collector_and_puts_it_back(monkeypatch, capsys):
    import gc

    from coalition_docs import cli
    from coalition_docs.engine.policy import BUILD_GC_THRESHOLDS

    seen = []
    monkeypatch.setitem(cli.COMMANDS, "check", lambda args: seen.append(gc.get_threshold()) or 0)
    before = gc.get_threshold()
    code, _, _ = run_cli(capsys, "check", EXAMPLE)
    assert code == 0 and seen == [BUILD_GC_THRESHOLDS]
    assert gc.get_threshold() == before


# ---------------------------------------------------------------- odd targets and odd failures are one line


def test_out_below_a_regular_file_is_a_usage_error(content, tmp_path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "afile" / "out")
    assert code == 2
    assert f"{tmp_path / 'afile'} is a file, so no folder can be made inside it" in err


@pytest.mark.parametrize("port", ["70000", "0", "-1", "http"])
def test_serve_port_out_of_range_is_a_usage_error(content, capsys, port):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(capsys, "serve", content, "--port", port)
    assert exit_info.value.code == 2
    assert "expected a port number from 1 to 65535" in capsys.readouterr().err


def test_unexpected_error_is_one_line_not_a_traceback(content, capsys, monkeypatch):
    import coalition_docs.cli as cli

    def broken(args):
        raise RuntimeError("something odd")

    monkeypatch.setitem(cli.COMMANDS, "check", broken)
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.startswith("coalition-docs: internal error: RuntimeError: something odd (this is a bug")
    assert "Traceback" not in err



# ---------------------------------------------------------------- check runs every stage's plan


def test_check_finds_a_markdown_link_to_a_member_page_the_site_does_not_make(capsys, content, tmp_path):
    page = content / "pages" / "about.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines) + "\n\nOur convener: [Test Backbone](members/test-backbon/), "
                    "and [City Hall](/members/test-backbone/).\n", encoding="utf-8")
    edit(content / "partners" / "test-backbone.yaml", "name: Test Backbone",
         "name: Test Backbone\nsummary: Works with [the city](members/city-hall/).")
    expected = [
        f"pages/about.md:{len(lines) + 2}:1: link 'members/test-backbon/' points at a page the site does not have "
        "(expected one of the pages under members/, found 'members/test-backbon/')",
        "    did you mean 'members/test-backbone/'?",
        "partners/test-backbone.yaml:2:10: summary: link 'members/city-hall/' points at a page the site does not "
        "have (expected one of the pages under members/, found 'members/city-hall/')",
    ]
    code, out, err = run_cli(capsys, "check", content)
    assert (code, out) == (1, "")
    assert err.splitlines()[:3] == expected
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 1 and err.splitlines()[:3] == expected
    assert not (tmp_path / "out").exists()


def test_check_finds_a_link_to_a_page_of_the_site_this_coalition_has_none_of(capsys, content, tmp_path):
    # The minimal coalition has no meetings: the site makes no meetings page, though the name is the site's.
    page = content / "pages" / "about.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    page.write_text("\n".join(lines) + "\n\nSee [our meetings](meetings/) and [members](members/).\n",
                    encoding="utf-8")
    code, out, err = run_cli(capsys, "check", content)
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == (
        f"pages/about.md:{len(lines) + 2}:1: link 'meetings/' points at a page the site does not have (expected "
        "one of about, coverage, members, people, statements, structure, working-groups, found 'meetings')")
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 1 and "link 'meetings/' points at a page the site does not have" in err
    assert not (tmp_path / "out").exists()
