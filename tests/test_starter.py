"""A coalition's first day: `new --blank`, its workflow, and the pre-commit hook."""

from __future__ import annotations

import shlex
import subprocess

import pytest
import yaml

from coalition_docs.starter import answers

from .conftest import ROOT, run_cli

FLAGS = ["--name", "Forest City Mobility Coalition", "--community", "Forest City",
         "--convener", "Forest City Asset Builders", "--project-manager", "María López"]


@pytest.fixture
def blank(tmp_path, capsys):
    target = tmp_path / "forest-city"
    code, out, _ = run_cli(capsys, "new", target, "--blank", *FLAGS)
    assert code == 0 and "a blank coalition" in out
    return target


def test_blank_coalition_passes_check_and_builds(blank, capsys):
    code, out, _ = run_cli(capsys, "check", blank)
    assert code == 0 and "no problems found (1 partner, 1 person" in out
    code, _, _ = run_cli(capsys, "build", blank, "-q")
    assert code == 0
    assert (blank / "build/site/index.html").read_text(encoding="utf-8").count("Forest City Mobility Coalition")
    assert (blank / "build/documents/worksheet.pdf").is_file()


def test_blank_coalition_files(blank):
    coalition = yaml.safe_load((blank / "content/coalition.yaml").read_text(encoding="utf-8"))
    assert coalition["convener"] == "forest-city-asset-builders"
    assert coalition["project_manager"] == "maria-lopez"
    text = (blank / "content/coalition.yaml").read_text(encoding="utf-8")
    for section in ("# site:", "# needs:", "# data_points:", "# invitation:", "# print:", "# working_groups:",
                    "# meetings:", "# extra_vocabulary:", "#   languages:", "#   date:"):
        assert section in text, f"{section} is not offered as a commented example"
    roster = yaml.safe_load((blank / "content/roster.yaml").read_text(encoding="utf-8"))
    assert roster["people"][0]["name"] == "María López"
    assert (blank / ".gitignore").read_text(encoding="utf-8").startswith("build/")
    assert (blank / "README.md").is_file()


def test_blank_coalition_has_five_draft_launch_meetings_in_the_chapters_order(blank, capsys):
    from coalition_docs.content import vocab

    files = sorted((blank / "content/meetings").glob("*.yaml"))
    meetings = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    assert [m["launch_activity"] for m in meetings] == list(vocab.LAUNCH_ACTIVITIES)
    assert all(m["draft"] is True and m["facilitator"] == "maria-lopez" and len(m["agenda"]) >= 4 for m in meetings)
    text = (blank / "content/coalition.yaml").read_text(encoding="utf-8")
    assert "\n# timezone: America/Detroit " in text and "\n# agreement:" in text
    code, out, _ = run_cli(capsys, "check", blank)
    assert code == 0 and "1 page, 5 meetings)." in out.splitlines()[0]
    code, out, _ = run_cli(capsys, "report", blank, "--launch", "--today", "2027-01-01")
    assert code == 0 and "(0 of 5 activities covered, 0 held)" in out
    assert "   draft: How we will decide (meetings/03-decision-making.yaml)\n" in out


def test_a_blank_meeting_is_held_once_its_date_time_zone_and_draft_are_set(blank, capsys):
    coalition = blank / "content/coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8").replace("# timezone:", "timezone:"), encoding="utf-8")
    meeting = blank / "content/meetings/01-getting-acquainted.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("draft: true", "draft: false").replace(
        "# starts:", "starts:"), encoding="utf-8")
    code, out, err = run_cli(capsys, "report", blank, "--launch", "--today", "2027-03-01")
    assert code == 0, err
    assert "   2027-02-10 18:00  Getting to know one another (meetings/01-getting-acquainted.yaml), held\n" in out


def test_blank_without_the_four_values_and_no_terminal_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(capsys, "new", tmp_path / "x", "--blank", "--name", "X")
    assert code == 2
    assert err == ("coalition-docs: error: a blank coalition needs --community, --convener, --project-manager "
                   "(expected them as options when not asked on a terminal)\n")
    assert not (tmp_path / "x").exists()


def test_blank_asks_for_what_the_flags_do_not_give():
    asked = []
    replies = iter(["Forest City", "Forest City Asset Builders", "María López"])

    def ask(prompt):
        asked.append(prompt)
        return next(replies)

    values = answers({"name": "Forest City Mobility Coalition"}, ask=ask)
    assert asked == ["The community it serves (e.g. Forest City): ",
                     "The convening (backbone) organization: ", "The project manager's full name: "]
    assert values["project_manager"] == "María López"


def test_new_without_blank_copies_the_example_and_says_how_to_start_blank(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "new", tmp_path / "example")
    assert code == 0 and "coalition-docs new DIR --blank" in out
    assert (tmp_path / "example/content/partners").is_dir()


GUARD = "Refuse to run in a public repository"


def _commands(workflow: dict) -> list[str]:
    """The workflow's commands, besides the guard against a public repository (tested below)."""
    return [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
            if "run" in step and step.get("name") != GUARD]


def _guards(blank) -> list[dict]:
    workflow = yaml.safe_load((blank / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    assert workflow["env"] == {"ALLOW_PUBLIC_REPOSITORY": False}  # the setting exists, and is off
    guards = []
    for job in workflow["jobs"].values():
        assert job["steps"][0]["name"] == GUARD  # before anything else runs
        guards.append(job["steps"][0])
    return guards


def _run_guard(step: dict, private: str, allow: str | None, tmp_path) -> subprocess.CompletedProcess:
    """The step as GitHub runs it: the expressions of its env filled in, its script under `bash -e`."""
    env = {"PATH": "/usr/bin:/bin"}
    for key, value in step["env"].items():
        assert value == "${{ github.event.repository.private }}"
        env[key] = private
    if allow is not None:
        env["ALLOW_PUBLIC_REPOSITORY"] = allow
    script = tmp_path / "guard.sh"
    script.write_text(step["run"], encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], env=env,
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("private, allow, passes", [
    ("true", None, True), ("true", "false", True), ("true", "true", True),
    ("false", None, False), ("false", "false", False), ("false", "true", True),
    ("", None, False),  # an event without the repository's privacy: refused, not waved through
])
def test_the_workflow_refuses_a_public_repository(blank, tmp_path, private, allow, passes):
    from coalition_docs.starter import PUBLIC_REPOSITORY_ERROR

    for step in _guards(blank):
        result = _run_guard(step, private, allow, tmp_path)
        assert result.returncode == (0 if passes else 1)
        assert result.stdout == ("" if passes else f"::error::{PUBLIC_REPOSITORY_ERROR}\n")
    for exposed in ("contacts", "home addresses", "phone numbers", "considerations",
                    "identities in positionality statements", "make the repository private", "paid plan",
                    "free to nonprofits", "build/site to a separate public repository or another host",
                    "ALLOW_PUBLIC_REPOSITORY: true"):
        assert exposed in PUBLIC_REPOSITORY_ERROR


def test_the_folder_readme_says_first_that_the_repository_must_be_private(blank):
    from coalition_docs import __version__

    readme = (blank / "README.md").read_text(encoding="utf-8")
    first = readme.split("\n\n")[1]  # the first paragraph after the title
    assert first.startswith("**Keep this repository private.**")
    assert "home address" in first and "positionality statements" in first
    assert "GitHub Pages from the private repository. This needs a paid GitHub plan, which GitHub\n  offers " \
           "free to nonprofits" in readme
    assert "pushes only `build/site` to a separate public repository, or to another\n  host" in readme
    assert f"coalition-docs](https://pypi.org/project/coalition-docs/) {__version__}." in readme


def test_the_workflow_checks_pull_requests_and_publishes_only_the_site(blank, capsys, monkeypatch):
    workflow = yaml.safe_load((blank / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"pull_request", "push"} and triggers["push"]["branches"] == ["main"]
    commands = _commands(workflow)
    from coalition_docs import __version__

    assert f'pip install "coalition-docs=={__version__}"' in commands
    upload = [s for j in workflow["jobs"].values() for s in j["steps"] if "upload-pages-artifact" in s.get("uses", "")]
    assert upload[0]["with"]["path"] == "build/site"  # the documents are never published
    monkeypatch.chdir(blank)
    ran = 0
    for command in commands:
        words = shlex.split(command)
        if words[0] != "coalition-docs":
            assert words[:2] in (["pip", "install"], ["sudo", "apt-get"]), command  # only installs besides
            continue
        code, _, err = run_cli(capsys, *words[1:])
        assert code == 0, f"{command}: {err}"
        ran += 1
    assert ran == 2
    assert (blank / "build/site/index.html").is_file() and not (blank / "build/documents").exists()


def test_the_pre_commit_hook_parses_and_its_command_runs(tmp_path, capsys, monkeypatch):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "coalition-docs-check")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    import re

    assert re.match(hook["files"], "content/partners/x.yaml") and not re.match(hook["files"], "README.md")
    words = shlex.split(hook["entry"])
    assert words[0] == "coalition-docs"
    assert run_cli(capsys, "new", tmp_path / "project")[0] == 0
    monkeypatch.chdir(tmp_path / "project")
    code, out, err = run_cli(capsys, *words[1:])
    assert code == 0 and "no problems found" in out, err


def test_new_with_and_without_blank_write_the_same_theme_readme(blank, tmp_path, capsys):
    assert run_cli(capsys, "new", tmp_path / "copy")[0] == 0
    readme = (tmp_path / "copy" / "templates" / "README.md").read_text(encoding="utf-8")
    assert readme == (blank / "templates" / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Theme overrides\n\nPut a file here with the same path as one in coalition-docs'")


# ---------------------------------------------------------------- new overwrites nothing


def test_new_refuses_a_folder_with_files(tmp_path, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    code, _, err = run_cli(capsys, "new", tmp_path / "mine")
    assert code == 2 and "not empty" in err
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_new_refuses_a_folder_inside_a_content_folder(content, capsys):
    code, _, err = run_cli(capsys, "new", content / "partners" / "other")
    assert code == 2
    assert f"inside the content folder {content.resolve()}" in err
    assert not (content / "partners" / "other").exists()

