"""`serve`'s warm rebuilds (incremental.py) against fresh ones, over random sequences of edits.

After every edit, the session's build must refuse exactly what a fresh
`check` of the content and of the site refuses (the stages `serve` builds;
`serve --documents` builds everything the ordinary way), and when it
succeeds, its site must be byte for byte the site of a fresh
`build --only site`, its manifest the same keys; when it fails, the output
must be the last good one, whole.
"""

from __future__ import annotations

import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from coalition_docs import phases
from coalition_docs.content.validate import load_coalition
from coalition_docs.engine.manifest import Manifest, OutputRecords
from coalition_docs.errors import CoalitionDocsError, ContentErrors
from coalition_docs.i18n import check_languages
from coalition_docs.incremental import Session
from coalition_docs.templating import Theme

from .conftest import FIXTURES, edit

MINIMAL = FIXTURES / "minimal"
MEMBER = """name: {name}
type: nonprofit
relationship: new
stage: member
summary: Works with [the backbone](members/test-backbone/) on homes.
populations: [young-people]
domains: [housing-stability]
assets: [convening-power]
"""
NAMES = st.text(alphabet=st.sampled_from(list("abcXYZ éß-")), min_size=1, max_size=10).map(str.strip).filter(bool)


def replace(path: Path, old: str, new: str) -> None:
    """`old` for `new` in `path`, when the file is there and holds it (an edit that does not apply does nothing)."""
    if path.is_file() and old in path.read_text(encoding="utf-8"):
        edit(path, old, new)


def name_line(path: Path) -> str | None:
    if not path.is_file():
        return None
    return next((line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("name: ")), None)


@st.composite
def an_edit(draw, content: Path) -> str:
    """Apply one random edit to `content`; return what it did."""
    partners = sorted(p.stem for p in (content / "partners").glob("*.yaml")) or ["test-backbone"]
    partner = content / "partners" / f"{draw(st.sampled_from(partners))}.yaml"
    kind = draw(st.sampled_from(["rename", "rename same length", "break reference", "fix reference",
                                 "add member", "remove partner", "restore", "yaml error", "typo", "link",
                                 "unchanged save"]))
    if kind == "rename":
        line = name_line(partner)
        if line is not None:
            replace(partner, line, f"name: {draw(NAMES)}")
    elif kind == "rename same length":  # saved again within the same tick of the clock, as often as not
        line = name_line(partner)
        if line is not None:
            replace(partner, line, line[:-1] + ("x" if line[-1] != "x" else "y"))
    elif kind == "break reference":
        where = draw(st.sampled_from(["sender", "organization", "lead"]))
        {"sender": lambda: replace(content / "partners" / "city-hall.yaml", "sender: pat-manager",
                                   "sender: pat-manger"),
         "organization": lambda: replace(content / "roster.yaml", "organization: test-backbone",
                                         "organization: test-bakbone"),
         "lead": lambda: replace(content / "coalition.yaml", "lead: pat-manager", "lead: nobody")}[where]()
        kind += f" ({where})"
    elif kind == "fix reference":
        replace(content / "partners" / "city-hall.yaml", "sender: pat-manger", "sender: pat-manager")
        replace(content / "roster.yaml", "organization: test-bakbone", "organization: test-backbone")
        replace(content / "coalition.yaml", "lead: nobody", "lead: pat-manager")
    elif kind == "add member":
        number = draw(st.integers(1, 3))
        (content / "partners" / f"member-{number}.yaml").write_text(MEMBER.format(name=draw(NAMES)),
                                                                     encoding="utf-8")
        kind += f" {number}"
    elif kind == "remove partner":
        partner.unlink(missing_ok=True)
        kind += f" {partner.stem}"
    elif kind == "restore":
        original = MINIMAL / "partners" / partner.name
        if original.is_file():
            shutil.copyfile(original, partner)
        for name in ("roster.yaml", "coalition.yaml", "pages/about.md"):
            if draw(st.booleans()):
                shutil.copyfile(MINIMAL / name, content / name)
    elif kind == "yaml error":
        target = draw(st.sampled_from([partner, content / "roster.yaml"]))
        if target.is_file():
            target.write_text(target.read_text(encoding="utf-8") + "bad: [unclosed\n", encoding="utf-8")
    elif kind == "typo":
        replace(partner, "type:", "tpye:")
    elif kind == "link":
        target = draw(st.sampled_from(partners + ["no-such-member"]))
        (content / "pages" / "about.md").write_text(
            f"---\ntitle: About\norder: 1\n---\nSee [a member](members/{target}/).\n", encoding="utf-8")
        kind += f" to {target}"
    else:
        partner.write_bytes(partner.read_bytes()) if partner.is_file() else None
    return kind


def outcome(build) -> str | None:
    """None when `build()` succeeds, else what serve shows in the page."""
    try:
        build()
    except ContentErrors as exc:
        return exc.report()
    except CoalitionDocsError as exc:
        return str(exc)
    return None


def checked(content: Path) -> str | None:
    """What a fresh `check` reports for the content and the site, or None."""
    def check() -> None:
        coalition = load_coalition(content)
        theme = Theme(content)
        check_languages(coalition, theme)
        phases.plan_stages(phases.selected("site"), coalition, theme, OutputRecords())

    return outcome(check)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def keys(out: Path) -> dict[str, str]:
    manifest = Manifest.read(out)
    assert manifest is not None
    return {path: record.key for path, record in manifest.outputs.items()}


def run_edits(tmp: Path, data, steps: int) -> None:
    content, out = tmp / "content", tmp / "out"
    shutil.copytree(MINIMAL, content)
    session = Session(content, out)
    assert outcome(session.build) is None
    good = files(out / "site")
    for step in range(data.draw(st.integers(1, steps), label="edits")):
        did = data.draw(an_edit(content), label=f"edit {step}")
        error = outcome(session.build)
        session.settle()
        event(("refused: " if error else "built: ") + did.split(" ")[0])
        assert error == checked(content), did
        fresh = tmp / f"fresh-{step}"
        assert outcome(lambda: phases.build(content, fresh, only="site", jobs=1)) == error, did
        if error is None:
            good = files(out / "site")
            assert good == files(fresh / "site"), did
            assert keys(out) == keys(fresh), did
        else:
            assert files(out / "site") == good, did  # the last good site, whole
        shutil.rmtree(fresh, ignore_errors=True)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_warm_rebuilds_report_and_write_what_fresh_ones_do(tmp_path_factory, data):
    run_edits(tmp_path_factory.mktemp("serve"), data, steps=5)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_warm_rebuilds_over_many_edits(tmp_path_factory, data):
    run_edits(tmp_path_factory.mktemp("serve"), data, steps=12)


def test_a_warm_rebuild_reads_only_the_file_that_changed(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINIMAL, content)
    session = Session(content, out)
    session.build()
    read = session.files.misses
    edit(content / "partners" / "test-backbone.yaml", "name: Test Backbone", "name: Backbone Renamed")
    result = session.build()
    assert session.files.misses == read + 1
    assert "Backbone Renamed" in (out / "site" / "members" / "test-backbone" / "index.html").read_text()
    assert "site/members/test-backbone/index.html" in result.rendered
    assert result.reused and not [path for path in result.rendered if path.startswith("site/assets/")]
    edit(content / "partners" / "city-hall.yaml", "name: City Hall", "name: Town Hall")  # not a member: not shown
    assert session.build().rendered == []
    assert session.files.misses == read + 2


@pytest.mark.slow  # a serve process, edited through
def test_serve_shows_each_save_once_and_its_mistakes_where_they_are(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINIMAL, content)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "coalition_docs", "serve", str(content), "--port", str(port),
                                "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    events: queue.Queue[str] = queue.Queue()
    url = f"http://127.0.0.1:{port}/"

    def listen() -> None:
        with urllib.request.urlopen(url + "__coalition_docs/events", timeout=120) as stream:
            for line in stream:
                if line.startswith(b"data: "):
                    events.put(line.decode().strip())

    def page() -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url + "members/test-backbone/", timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    try:
        assert process.stdout.readline().startswith("first build: Built")
        while not process.stdout.readline().startswith("Watching "):
            pass
        threading.Thread(target=listen, daemon=True).start()
        events.get(timeout=30)  # the current build
        time.sleep(1.0)  # the watcher's own start (inotify) follows the line that announces it
        backbone = content / "partners" / "test-backbone.yaml"
        edit(backbone, "name: Test Backbone", "name: Backbone Renamed")
        events.get(timeout=30)
        status, html = page()
        assert status == 200 and "Backbone Renamed" in html
        with pytest.raises(queue.Empty):
            events.get(timeout=1.0)  # one save, one reload
        edit(content / "roster.yaml", "organization: test-backbone", "organization: test-bakbone")
        events.get(timeout=30)
        status, html = page()
        assert status == 500 and "roster.yaml:4:" in html and "test-bakbone" in html
        edit(content / "roster.yaml", "organization: test-bakbone", "organization: test-backbone")
        events.get(timeout=30)
        status, html = page()
        assert status == 200 and "Backbone Renamed" in html
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
