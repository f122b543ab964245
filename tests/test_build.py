"""The build engine: incremental rebuilds proven by the manifest, atomic output, refusals."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coalition_docs.phases import build
from coalition_docs.content.validate import load_coalition
from coalition_docs.errors import ContentErrors, UsageError
from coalition_docs.engine.manifest import MANIFEST

from .conftest import CLI, EXAMPLE, edit, run_cli
from .test_runner import children, children_before



@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example coalition (content/) that a test may edit."""
    target = tmp_path / "project" / "content"
    shutil.copytree(EXAMPLE, target)
    return target


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of a folder (hidden ones included) and the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def keys(out: Path) -> dict[str, str]:
    data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return {path: record[0] for path, record in data["outputs"].items()}


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@pytest.fixture
def built(example_copy):
    """The example and its complete build (conftest.py's, made once), for the test to edit and build again."""
    return example_copy


def rebuild(example: Path, out: Path):
    before_files, before_keys = snapshot(out), keys(out)
    result = build(example, out, jobs=1)
    after_files, after_keys = snapshot(out), keys(out)
    return result, changed(before_files, after_files) - {MANIFEST}, changed(before_keys, after_keys)


def test_a_full_build_records_a_key_for_every_output(built):
    _, out = built
    recorded = set(keys(out))
    on_disk = set(snapshot(out)) - {MANIFEST}
    assert recorded == on_disk
    assert "site/index.html" in recorded and "documents/worksheet.pdf" in recorded


def test_nothing_changed_renders_nothing_and_touches_nothing(built):
    example, out = built
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result, files, manifest = rebuild(example, out)
    assert result.unchanged and not result.rendered
    assert files == set() and manifest == set()
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps
    assert result.summary().startswith("Nothing changed since the last build")


def test_an_invitation_edit_rebuilds_its_letter_and_the_combined_letters_only(built):
    example, out = built
    edit(example / "partners" / "cafe-nandu-workers-cooperative.yaml",  # its letter is in Spanish
         "Café Ñandú demuestra cada sábado", "Café Ñandú demuestra todos los sábados")
    result, files, manifest = rebuild(example, out)
    expected = {"documents/letters/cafe-nandu-workers-cooperative.pdf", "documents/letters.pdf"}
    shown = lambda paths: {p for p in paths if "/." not in p}  # beside what the engine keeps (the filled HTML)
    assert shown(result.rendered) == expected
    assert shown(manifest) == expected  # the manifest proves what changed
    assert shown(files) == expected  # and nothing else on disk did


def test_a_member_edit_rebuilds_its_page_the_pages_listing_it_and_the_worksheet(built):
    example, out = built
    partner = example / "partners" / "tessel-valley-research-institute.yaml"
    text = partner.read_text(encoding="utf-8")
    assert "stage: member" in text
    edit(partner, "name: Tessel Valley Research Institute", "name: Tessel Valley Research Institute for Mobility")
    result, files, manifest = rebuild(example, out)
    rendered = set(result.rendered)
    assert rendered == manifest
    assert files <= rendered  # everything that changed was rendered again
    # Every PDF rendered again really changed: nothing expensive is rebuilt for nothing.
    assert {p for p in rendered if p.endswith(".pdf")} == {p for p in files if p.endswith(".pdf")}
    for must in ("site/members/tessel-valley-research-institute/index.html", "site/members/index.html",
                 "documents/worksheet.pdf"):
        assert must in rendered
    # Nothing that does not show the partner: other partners' letters, statements, pages. (A letter
    # signed by someone of this partner prints its name: the Vietnamese association's, signed by Hương.)
    signed = {f"documents/letters/{p.id}.pdf" for p in load_coalition(example).letter_partners
              if p.invitation.sender.organization and p.invitation.sender.organization.id == partner.stem}
    letters = {p for p in rendered if p.startswith(("documents/letters/", "documents/positionality"))}
    assert letters == signed
    assert "site/statements/index.html" not in rendered
    assert "site/about/index.html" not in rendered


def test_a_template_change_rebuilds_every_page_that_uses_it_and_nothing_else(built):
    example, out = built
    override = example.parent / "templates" / "site"
    override.mkdir(parents=True)
    default = EXAMPLE.parent / "templates" / "site" / "member.html"
    (override / "member.html").write_text(default.read_text(encoding="utf-8").replace(
        "</main>", "<p>Member page, overridden.</p></main>", 1) if "</main>" in default.read_text(encoding="utf-8")
        else default.read_text(encoding="utf-8") + "\n{# overridden #}\n", encoding="utf-8")
    result, _, manifest = rebuild(example, out)
    members = {p for p in keys(out) if re.fullmatch(r"site/(?:[a-z]{2}/)?members/[^/]+/index\.html", p)}
    assert members and set(result.rendered) == members == manifest

    # The base layout is used by every page.
    layout = EXAMPLE.parent / "templates" / "site" / "base.html"
    (override / "base.html").write_text(layout.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    result, _, _ = rebuild(example, out)
    pages = {p for p in keys(out) if p.startswith("site/") and p.endswith(".html")}
    assert set(result.rendered) == pages


def test_a_template_that_appears_for_a_computed_include_rebuilds_the_pages_that_looked_for_it(built):
    example, out = built
    override = example.parent / "templates" / "site"
    override.mkdir(parents=True)
    default = (EXAMPLE.parent / "templates" / "site" / "member.html").read_text(encoding="utf-8")
    (override / "member.html").write_text(default.replace(
        "{% endblock %}", '{% include ["site/notes/" ~ member.id ~ ".html", "site/notes/any.html"] ignore missing %}'
        "{% endblock %}"), encoding="utf-8")
    rebuild(example, out)
    # A note for one member: only the pages that looked for a template of that name are made again.
    (override / "notes").mkdir()
    (override / "notes" / "eastside-tenants-union.html").write_text('<p class="note">Walk-ins on Fridays.</p>\n',
                                                                  encoding="utf-8")
    result, _, _ = rebuild(example, out)
    assert result.rendered and all("/members/eastside-tenants-union/" in p for p in result.rendered)
    assert "Walk-ins on Fridays." in (out / "site" / "members" / "eastside-tenants-union" / "index.html").read_text(
        encoding="utf-8")
    # A template every member page tried: all of them.
    (override / "notes" / "any.html").write_text("<p>For everyone.</p>\n", encoding="utf-8")
    result, _, _ = rebuild(example, out)
    members = {p for p in keys(out) if re.fullmatch(r"site/(?:[a-z]{2}/)?members/[^/]+/index\.html", p)}
    assert set(result.rendered) == members - {p for p in members if "/eastside-tenants-union/" in p}


@pytest.mark.slow  # the example built again without a partner
def test_a_removed_partner_takes_its_outputs_with_it(built):
    example, out = built
    (example / "partners" / "cafe-nandu-workers-cooperative.yaml").unlink()
    result, files, _ = rebuild(example, out)
    assert "documents/letters/cafe-nandu-workers-cooperative.pdf" in result.removed
    assert not (out / "documents" / "letters" / "cafe-nandu-workers-cooperative.pdf").exists()
    assert "documents/letters/cafe-nandu-workers-cooperative.pdf" not in keys(out)
    assert {"documents/letters.pdf", "documents/worksheet.pdf"} <= set(result.rendered)


def test_clean_renders_everything_again(built):
    example, out = built
    # The site alone (--only site): every one of its outputs, though none changed; the documents stay.
    before = snapshot(out)
    result = build(example, out, only="site", clean=True, jobs=1)
    assert result.rendered and not result.reused
    assert set(result.rendered) == {p for p in keys(out) if p.startswith("site/")}
    assert {p: h for p, h in snapshot(out).items() if p.startswith("documents/")} == {
        p: h for p, h in before.items() if p.startswith("documents/")}


@pytest.mark.slow  # two builds of every document of the example
def test_parallel_pdfs_are_byte_identical_to_serial_ones(example, tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(example, serial, only="documents", jobs=1)
    build(example, parallel, only="documents", jobs=2)
    assert snapshot(serial / "documents") == snapshot(parallel / "documents")


def test_a_failing_build_leaves_the_previous_output_as_it_was(built):
    example, out = built
    before = snapshot(out)
    edit(example / "coalition.yaml", "convener:", "convenor:")
    with pytest.raises(ContentErrors):
        build(example, out, jobs=1)
    assert snapshot(out) == before
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def test_a_template_error_leaves_the_previous_output_as_it_was(built):
    example, out = built
    before = snapshot(out)
    override = example.parent / "templates" / "site"
    override.mkdir(parents=True)
    (override / "member.html").write_text("{% extends 'site/base.html' %}{% block main %}{{ nope.nope }}"
                                          "{% endblock %}", encoding="utf-8")
    code = None
    try:
        build(example, out, jobs=1)
    except Exception as exc:  # a BuildError naming the template
        code = exc
    assert code is not None and "member.html" in str(code)
    assert snapshot(out) == before


KILLED_BUILD = """
import sys, time
from pathlib import Path
from coalition_docs.site import render as site
real = site.write_text
def slow(root, path, text):
    real(root, path, text)
    Path(sys.argv[3]).touch()   # tell the test the build is under way
    time.sleep(0.05)
site.write_text = slow
from coalition_docs.phases import build
build(Path(sys.argv[1]), Path(sys.argv[2]), "site", clean=True, jobs=1)
"""


def test_a_killed_build_leaves_the_previous_output_byte_identical(built, tmp_path):
    example, out = built
    before = snapshot(out)
    started = tmp_path / "started"
    process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(example), str(out), str(started)])
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert process.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(out) == before
    leftovers = [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.building-")]
    assert leftovers  # the killed build's staging folder...
    result = build(example, out, jobs=1)
    assert result.unchanged
    edit(example / "pages" / "about.md", "the", "the", )  # no change of bytes
    build(example, out, only="site", clean=True, jobs=1)
    # ...is removed by the next build that stages anything.
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.building-")]


@pytest.mark.parametrize("where, reason", [
    ("home", "it is your home folder"),
    ("project", "it looks like a project folder"),
    ("content-parent", "it holds the content folder"),
    ("inside-content", "it is inside the content folder"),
])
def test_output_folder_refusals(example, tmp_path, monkeypatch, where, reason):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    project = tmp_path / "someone-elses-project"
    project.mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    target = {"home": home, "project": project, "content-parent": example.parent,
              "inside-content": example / "build"}[where]
    with pytest.raises(UsageError) as error:
        build(example, target, jobs=1)
    assert reason in str(error.value)


def test_cli_quiet_verbose_and_summary(capsys, built):
    example, out = built
    edit(example / "pages" / "about.md", "published a mobility profile", "published a profile")
    code, stdout, stderr = run_cli(capsys, "build", example, "--out", out, "--verbose", "--jobs", "1")
    # the example has a letter without a postal address: the build says so (tests/test_mail.py)
    assert code == 0 and all(": warning: " in line for line in stderr.splitlines())
    assert "  rendered site/about/index.html" in stdout.splitlines()
    assert "  reused   site/index.html" in stdout.splitlines()
    # 19 pages in each language, and the 404 page; 12 agendas, the agreement and the contact sheet beside
    # the worksheet, the letters, the envelopes, the labels and the statements
    assert stdout.splitlines()[-1].startswith("Built 58 pages, 27 PDFs and 5 e-mail drafts into")
    # The page in English, and in Spanish and Vietnamese, which show the English page for want of a translation.
    assert "(3 rendered, " in stdout.splitlines()[-1]
    code, stdout, stderr = run_cli(capsys, "build", example, "--out", out, "--quiet")
    assert (code, stdout, stderr) == (0, "", "")
    with pytest.raises(SystemExit) as exit_:
        run_cli(capsys, "build", example, "--out", out, "--jobs", "0")
    assert exit_.value.code == 2
    assert "argument --jobs/-j: expected a whole number of at least 1, found 0" in capsys.readouterr().err


def test_leftovers_of_killed_builds_go_but_a_running_build_keeps_its_folder(tmp_path):
    from coalition_docs.engine.staging import STAGING_MARK, remove_leftovers

    out = tmp_path / "build"
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        folders = {}
        for name, owner in (("dead", "999999999"), ("running", str(running.pid)), ("old", "")):
            folder = tmp_path / f".build.building-{name}"
            folder.mkdir()
            (folder / STAGING_MARK).write_text(owner)
            folders[name] = folder
        someone_elses = tmp_path / ".build.building-unmarked"  # not ours: no mark
        someone_elses.mkdir()
        remove_leftovers(out)
        assert {name for name, folder in folders.items() if folder.exists()} == {"running"}
        assert someone_elses.exists()
    finally:
        running.kill()
        running.wait()


class _Terminal:
    """A stream that says it is a terminal, and keeps what is written to it."""

    def __init__(self):
        import io

        self.buffer = io.StringIO()

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def flush(self) -> None:
        pass


@pytest.mark.slow  # the example built twice, on a terminal and off it
def test_progress_shows_on_a_terminal_only(content, tmp_path):
    import io

    from coalition_docs.phases import Progress
    from coalition_docs.console import TerminalProgress, progress_for

    assert type(progress_for(io.StringIO(), quiet=False)) is Progress  # a pipe or a file: no bar
    assert type(progress_for(_Terminal(), quiet=True)) is Progress
    terminal = _Terminal()
    progress = progress_for(terminal, quiet=False)
    assert isinstance(progress, TerminalProgress)
    progress.console.width = 100
    try:
        result = build(content, tmp_path / "out", jobs=1, progress=progress)
    finally:
        progress.close()
    shown = terminal.buffer.getvalue()
    total = len(result.rendered)  # one count for pages and PDFs: they render on one runner
    assert result.pdfs and result.pages and total > result.pdfs + result.pages
    assert "Rendering pages and PDFs (0 unchanged)" in shown and f"{total}/{total}" in shown


@pytest.mark.slow  # starts workers that set up WeasyPrint (tests/test_runner.py has the runner's own case)
def test_a_failing_pdf_stops_the_other_workers_at_once(example, tmp_path):
    """A document that cannot be rendered fails the build without waiting for the longest job."""
    from coalition_docs.errors import BuildError

    override = example.parent / "templates" / "documents"
    override.mkdir(parents=True)
    # A statement whose image cannot be fetched: WeasyPrint reports an error.
    statement = (EXAMPLE.parent / "templates" / "documents" / "statement.html").read_text(encoding="utf-8")
    (override / "statement.html").write_text(
        statement.replace("{% block body %}", '{% block body %}<img src="https://example.org/x.png" alt="">', 1),
        encoding="utf-8")
    # ...while a worksheet long enough to take minutes is laid out by the other worker.
    worksheet = (EXAMPLE.parent / "templates" / "documents" / "worksheet.html").read_text(encoding="utf-8")
    (override / "worksheet.html").write_text(worksheet.replace(
        '<section class="part" id="gaps">',
        '{% for i in range(100000) %}<p>Line {{ i }} of a very long worksheet.</p>{% endfor %}'
        '<section class="part" id="gaps">', 1), encoding="utf-8")
    before = children_before()
    with pytest.raises(BuildError) as error:
        build(example, tmp_path / "out", only="documents", jobs=2)
    assert "positionality/" in str(error.value) and "WeasyPrint could not render it" in str(error.value)
    assert not (tmp_path / "out").exists()
    # the worker laying out the worksheet was ended with the build, not left to finish it
    assert children(os.getpid()) - before == set()



@pytest.mark.parametrize("jobs", [1, pytest.param(2, marks=pytest.mark.slow)])  # 2: workers set up WeasyPrint
def test_an_output_deleted_by_hand_is_made_again_even_when_a_join_needs_it(built, jobs):
    from pypdf import PdfReader

    example, out = built
    letters = sorted((out / "documents" / "letters").glob("*.pdf"))
    gone = next(p for p in letters if p.stem != "marlow-falls-community-college")
    gone.unlink()
    (out / "site" / "about" / "index.html").unlink()
    # letters.pdf must be joined again (another letter changed) from every letter, the deleted one included.
    edit(example / "partners" / "marlow-falls-community-college.yaml", "rationale: >", "rationale: >\n    Edited.")
    result = build(example, out, jobs=jobs)
    for path in (f"documents/letters/{gone.name}", "site/about/index.html",
                 "documents/letters/marlow-falls-community-college.pdf", "documents/letters.pdf"):
        assert path in result.rendered and (out / path).is_file()
    pages = sum(len(PdfReader(p).pages) for p in sorted((out / "documents" / "letters").glob("*.pdf")))
    assert len(PdfReader(out / "documents" / "letters.pdf").pages) >= pages


# ---------------------------------------------------------------- the machine fails: the previous output stays whole


def _mount(kind: str, where: Path, options: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", kind, "-o", options, kind, str(where)], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    where = tmp_path / "disk"
    if not _mount("tmpfs", where, "size=50m"):
        pytest.skip("needs root to mount a tmpfs")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_disk_full_is_one_line_and_leaves_the_previous_output(content, small_disk, capsys):
    out = small_disk / "out"
    assert run_cli(capsys, "build", content, "--out", out, "--only", "site")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    free = shutil.disk_usage(small_disk).free
    (small_disk / "filler").write_bytes(b"\0" * (free - 4096))
    (content / "pages" / "about.md").write_text((content / "pages" / "about.md").read_text() + "\nMore.\n")
    code, _, err = run_cli(capsys, "build", content, "--out", out, "--only", "site")
    assert code == 1
    assert err == (f"coalition-docs: error: cannot write the build into {out}: No space left on device "
                   "(free some disk space and try again); the previous output is unchanged\n")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "out"]  # no staging folder left


def test_read_only_output_is_one_line_and_leaves_the_previous_output(content, small_disk, capsys):
    out = small_disk / "out"
    assert run_cli(capsys, "build", content, "--out", out, "--only", "site")[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode == 0
    (content / "pages" / "about.md").write_text((content / "pages" / "about.md").read_text() + "\nMore.\n")
    code, _, err = run_cli(capsys, "build", content, "--out", out, "--only", "site")
    assert code == 1
    assert err.startswith(f"coalition-docs: error: cannot write the build into {out}: Read-only file system")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.slow  # the command in a process of its own, with workers
def test_a_build_leaves_nothing_in_the_temporary_folder(content, tmp_path):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    result = subprocess.run([*CLI, "build", str(content), "--out", str(tmp_path / "out"), "-j", "2"],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in scratch.iterdir()) == []  # WeasyPrint's font copies went with the workers
    assert tempfile.gettempdir() != str(scratch)

