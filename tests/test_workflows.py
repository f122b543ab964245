"""The project's own GitHub workflows: they parse, hold the keys GitHub requires, run
`make test` on every push and pull request, and publish a version tag with trusted publishing."""

from __future__ import annotations

import subprocess

import pytest
import yaml

from coalition_docs import __version__

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    if True in workflow:  # YAML 1.1 (PyYAML) reads the key `on` as true; GitHub reads it as "on"
        workflow["on"] = workflow.pop(True)
    return workflow


@pytest.mark.parametrize("name", ["ci.yml", "release.yml"])
def test_a_workflow_has_the_keys_github_requires(name):
    workflow = load(name)
    assert workflow["on"] and workflow["jobs"]
    for job_id, job in workflow["jobs"].items():
        assert isinstance(job["runs-on"], str) and job["runs-on"].startswith("ubuntu-"), job_id
        assert job["steps"], job_id
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{job_id}: a step either uses an action or runs: {step}"
        needs = job.get("needs", [])
        for needed in [needs] if isinstance(needs, str) else needs:
            assert needed in workflow["jobs"], f"{job_id} needs an unknown job {needed}"


def _runs(job: dict) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def test_ci_runs_make_test_on_every_push_and_pull_request():
    workflow = load("ci.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    assert not any(workflow["on"].values())  # no branch filter: every push, every pull request
    runs = [run for job in workflow["jobs"].values() for run in _runs(job)]
    assert "make test" in runs


def test_release_publishes_a_version_tag_with_trusted_publishing():
    workflow = load("release.yml")
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert "python -m build" in _runs(build)  # the wheel and the sdist
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}  # trusted publishing: no stored token
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "with" not in publish["steps"][-1] or "password" not in publish["steps"][-1]["with"]


@pytest.mark.parametrize("tag, code", [(f"v{__version__}", 0), ("v999.0.0", 1)])
def test_release_refuses_a_tag_that_is_not_the_package_version(tag, code):
    step = next(s for s in load("release.yml")["jobs"]["build"]["steps"] if s.get("name") == "The tag is the package's version")
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=ROOT,
                            env={"PATH": "/usr/bin:/bin", "GITHUB_REF_NAME": tag}, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == code
    if code:
        assert result.stdout == (f"::error::the tag {tag} does not match the version in "
                                 f"src/coalition_docs/__init__.py (v{__version__})\n")
