"""Every command takes the project folder that holds content/, as well as the content folder."""

from __future__ import annotations

import shutil

import pytest

from .conftest import FIXTURES, run_cli


@pytest.fixture
def project(tmp_path):
    folder = tmp_path / "my-coalition"
    shutil.copytree(FIXTURES / "minimal", folder / "content")
    return folder


def test_check_given_the_project_folder_says_which_folder_it_used(project, capsys):
    code, out, err = run_cli(capsys, "check", project)
    assert code == 0
    assert err == f"Using the content folder {project / 'content'}\n"
    assert out.startswith(f"{project / 'content'}: no problems found")


def test_build_given_the_project_folder_writes_into_its_build_folder(project, capsys):
    code, _, _ = run_cli(capsys, "build", project, "--only", "site", "-q")
    assert code == 0
    assert (project / "build" / "site" / "index.html").is_file()
    assert not (project / "content" / "build").exists()


def test_report_given_the_project_folder(project, capsys):
    code, out, err = run_cli(capsys, "report", project, "--format", "json")
    assert code == 0 and out.lstrip().startswith("{")
    assert "Using the content folder" in err


def test_export_and_import_given_the_project_folder(project, tmp_path, capsys):
    target = tmp_path / "inventory.csv"
    assert run_cli(capsys, "export", "--content", project, "--output", target)[0] == 0
    code, _, err = run_cli(capsys, "import", target, "--content", project, "--dry-run")
    assert code == 0
    assert not (project / "partners").exists()  # never written into the project folder itself


def test_serve_given_the_project_folder_finds_the_content(project, capsys, monkeypatch):
    import coalition_docs.serve as serve_module

    seen = {}

    def fake_serve(content, **kwargs):
        seen["content"] = content
        return 0

    monkeypatch.setattr(serve_module, "serve", fake_serve)
    assert run_cli(capsys, "serve", project)[0] == 0
    assert seen["content"] == project / "content"


def test_the_current_folder_is_found_as_project_or_content(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    assert run_cli(capsys, "check")[0] == 0
    monkeypatch.chdir(project / "content")
    code, out, _ = run_cli(capsys, "check")
    assert code == 0 and out.startswith(".: no problems found")


def test_a_folder_that_is_neither_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(capsys, "check", tmp_path / "nothing")
    assert code == 2
    assert "expected a folder holding coalition.yaml, or a project folder holding content/coalition.yaml" in err
