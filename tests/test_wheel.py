"""The package people install: a wheel and an sdist that pass `twine check`, and a wheel that,
installed into a fresh virtual environment, runs every command from a folder outside the
repository, as a user would (exit codes, files written, what the commands print).

Slow (about a minute: it builds the package and installs it with its dependencies)."""

from __future__ import annotations

import csv
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from coalition_docs import __version__

from .conftest import ROOT
from .package_helpers import clean_env, fresh_venv, install_from

pytestmark = pytest.mark.slow


def test_wheel_and_sdist_pass_twine_check(dist):
    files = sorted(p.name for p in dist.iterdir())
    assert files == [f"coalition_docs-{__version__}-py3-none-any.whl", f"coalition_docs-{__version__}.tar.gz"]
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """The bin folder of a fresh environment where the wheel, and only it, was installed."""
    bin_dir = fresh_venv(tmp_path_factory.mktemp("venv") / "env", dist)
    result = subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *install_from(dist)],
                            env=clean_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return bin_dir


@pytest.fixture
def run(installed, tmp_path):
    """`coalition-docs ARGS` from the installed environment, in a folder outside the repository."""
    work = tmp_path / "work"
    work.mkdir()
    assert not work.resolve().is_relative_to(ROOT)

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess:
        result = subprocess.run([str(installed / "coalition-docs"), *args], cwd=work, env=clean_env(),
                                capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        assert result.returncode == code, f"{args}: {result.stdout}{result.stderr}"
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        return result

    run.work = work
    return run


def test_the_code_and_its_files_come_from_the_environment(installed, tmp_path):
    env = clean_env()
    where = subprocess.run([str(installed / "python"), "-c", "import coalition_docs; print(coalition_docs.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert str(installed.parent) in where and str(ROOT) not in where
    # the theme's catalogs ship too, and Babel comes with the package
    speaks = subprocess.run([str(installed / "python"), "-c", "from coalition_docs.i18n import available_languages, "
                             "label; from coalition_docs.templating import Theme; t = Theme('content'); "
                             "print(available_languages(t), label(t, 'es', 'Members'), label(t, 'vi', 'Members'))"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert speaks.split() == ["['en',", "'es',", "'vi']", "Miembros", "Thành", "viên"]
    version = subprocess.run([str(installed / "coalition-docs"), "--version"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, check=True).stdout
    assert __version__ in version


def test_new_check_and_build_a_blank_coalition(run):
    out = run("new", "x", "--blank", "--name", "Test Coalition", "--community", "Testville",
              "--convener", "Test Organization", "--project-manager", "Pat Doe").stdout
    assert out.startswith("Created x: a blank coalition with Test Organization as its convener.")
    x = run.work / "x"
    assert f'pip install "coalition-docs=={__version__}"' in (x / ".github/workflows/site.yml").read_text()
    assert (x / "README.md").read_text().split("\n\n")[1].startswith("**Keep this repository private.**")
    assert "x/content: no problems found (1 partner, 1 person, 0 statements, 1 page)." in run("check", "x").stdout
    run("build", "x", "-q")
    assert "Test Coalition" in (x / "build/site/index.html").read_text(encoding="utf-8")
    assert (x / "build/site/assets/fonts/NotoSans-Regular.ttf").is_file()  # the theme's fonts
    assert (x / "build/documents/worksheet.pdf").read_bytes().startswith(b"%PDF-")


def test_new_check_build_and_report_the_example(run):
    out = run("new", "example").stdout
    assert out.startswith("Created example from the example coalition.")
    example = run.work / "example"
    assert run("check", "example").stdout.startswith("example/content: no problems found (15 partners,")
    summary = run("build", "example").stdout
    assert summary.startswith("Built ") and " PDFs and " in summary and "into example/build" in summary
    from pypdf import PdfReader

    letters = PdfReader(example / "build/documents/letters.pdf")
    assert len(letters.pages) > 10 and "Marlow Falls" in letters.pages[0].extract_text()
    assert (example / "build/site/index.html").is_file()

    text = run("report", "example").stdout
    assert text.startswith("Marlow Falls Mobility Coalition: coverage of 14 partners")
    data = json.loads(run("report", "example", "--format", "json").stdout)
    assert data["partners"] == 14 and data["needs"]
    invitations = run("report", "example", "--invitations", "--today", "2027-01-15").stdout
    assert invitations.startswith("Marlow Falls Mobility Coalition: 6 invitations on 2027-01-15")
    assert "Café Ñandú Workers' Cooperative" in invitations
    json.loads(run("report", "example", "--invitations", "--today", "2027-01-15", "--format", "json").stdout)


def test_export_then_import_csv_and_xlsx(run):
    run("new", "example")
    assert run("export", "--content", "example", "--output", "partners.csv").stdout == \
        "Wrote 15 partners to partners.csv.\n"
    assert run("export", "--content", "example", "--output", "partners.xlsx").stdout == \
        "Wrote 15 partners to partners.xlsx.\n"
    with (run.work / "partners.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Organization name" and len(rows) == 16
    import openpyxl

    assert openpyxl.load_workbook(run.work / "partners.xlsx").worksheets[0]["A1"].value == "Organization name"

    for sheet in ("partners.csv", "partners.xlsx"):  # into a coalition without its partners
        target = run.work / sheet.replace(".", "-")
        run("new", target.name)
        partners = target / "content/partners"
        for path in partners.glob("*.yaml"):
            path.unlink()
        dry = run("import", sheet, "--content", target.name, "--dry-run").stdout
        assert dry.splitlines()[-1] == "15 new, 0 changed, 0 unchanged (dry run: nothing written)."
        assert "would write partners/marlow-falls-community-college.yaml" in dry
        assert list(partners.iterdir()) == []
        out = run("import", sheet, "--content", target.name).stdout
        assert out.splitlines()[-1] == "15 new, 0 changed, 0 unchanged."
        assert len(list(partners.glob("*.yaml"))) == 15
        again = run("import", sheet, "--content", target.name).stdout
        assert again.splitlines()[-1] == "0 new, 0 changed, 15 unchanged."


def test_docs_prints_the_installed_documentation(run):
    assert "content-format   The content format: every file and field" in run("docs").stdout
    assert run("docs", "content-format").stdout.startswith("# The content format: every file and field\n")


def test_schema_prints_and_writes_the_json_schemas(run):
    combined = json.loads(run("schema").stdout)
    assert set(combined) == {"coalition.yaml", "partners/*.yaml", "roster.yaml", "positionality/*.yaml"}
    out = run("schema", "--out", "schemas").stdout
    assert out.startswith("Wrote the schemas.")
    assert sorted(p.name for p in (run.work / "schemas").iterdir()) == [
        "coalition.schema.json", "partner.schema.json", "positionality.schema.json", "roster.schema.json"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_then_stops(run, installed):
    run("new", "example")
    port = _free_port()
    server = subprocess.Popen([str(installed / "coalition-docs"), "serve", "example", "--port", str(port)],
                              cwd=run.work, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        page = None
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    page = (response.status, response.read().decode("utf-8"))
            except OSError:
                time.sleep(0.3)
        assert page is not None, server.poll()
        assert page[0] == 200 and "Marlow Falls Mobility Coalition" in page[1]
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl+C
        out, err = server.communicate(timeout=60)
    assert server.returncode == 0, err
    assert f"Serving example/content at http://127.0.0.1:{port}/" in out
    assert out.rstrip().endswith("Stopped.")
    assert "Traceback" not in err


def test_the_blank_coalitions_workflow_runs_here_against_the_local_wheel(dist, run, tmp_path):
    """Every step of both jobs of the workflow `new --blank` writes, as GitHub would run them in
    a private repository, with the index replaced by the local wheel: the pinned version must exist,
    install, check the records and build the site that the upload step publishes."""
    import shlex

    import yaml

    run("new", "records", "--blank", "--name", "Test Coalition", "--community", "Testville",
        "--convener", "Test Organization", "--project-manager", "Pat Doe")
    project = run.work / "records"
    workflow = yaml.safe_load((project / ".github/workflows/site.yml").read_text(encoding="utf-8"))
    bin_dir = fresh_venv(tmp_path / "runner", dist)  # what setup-python gives: a Python with pip, nothing else
    env = clean_env(bin_dir)
    env.update({key: str(value).lower() if isinstance(value, bool) else str(value)
                for key, value in workflow["env"].items()})
    github = {"${{ github.event.repository.private }}": "true"}
    ran = []
    for job_name, job in workflow["jobs"].items():
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "uninstall", "-q", "-y", "coalition-docs"],
                       env=env, capture_output=True, timeout=120)  # every job starts on a new runner
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.startswith(("actions/checkout@", "actions/setup-python@", "actions/deploy-pages@")):
                continue  # the folder is here; the environment above is the Python; deploying is GitHub's
            if uses.startswith("actions/upload-pages-artifact@"):
                assert (project / step["with"]["path"] / "index.html").is_file()
                ran.append(f"{job_name}: upload {step['with']['path']}")
                continue
            assert not uses, f"an action this test does not know: {uses}"
            command = step["run"]
            step_env = dict(env, **{k: github[v] for k, v in step.get("env", {}).items()})
            words = shlex.split(command) if "\n" not in command else []
            if words[:3] == ["sudo", "apt-get", "update"]:  # the machine has the packages: check it instead
                packages = words[words.index("-y") + 1:]
                missing = [p for p in packages if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode]
                assert not missing, f"{command}: not installed here: {missing}"
                continue
            if words[:2] == ["pip", "install"]:
                assert words[2:] == [f"coalition-docs=={__version__}"], command  # the package's own version
                command = shlex.join(["pip", "install", "-q", *install_from(dist)])
            result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                                    cwd=project, env=step_env, capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, f"{job_name}: {command}\n{result.stdout}{result.stderr}"
            ran.append(f"{job_name}: {command.splitlines()[0]}")
    assert ran == [
        'check: if [ "$PRIVATE" != "true" ] && [ "$ALLOW_PUBLIC_REPOSITORY" != "true" ]; then',
        f"check: pip install -q {shlex.join(install_from(dist))}",
        "check: coalition-docs check .",
        'publish: if [ "$PRIVATE" != "true" ] && [ "$ALLOW_PUBLIC_REPOSITORY" != "true" ]; then',
        f"publish: pip install -q {shlex.join(install_from(dist))}",
        "publish: coalition-docs build . --only site --out build",
        "publish: upload build/site",
    ]
    assert not (project / "build/documents").exists()  # the documents are never built for publishing
    installed = subprocess.run([str(bin_dir / "coalition-docs"), "--version"], env=env, capture_output=True,
                               text=True, check=True).stdout
    assert installed.strip() == f"coalition-docs {__version__}"
