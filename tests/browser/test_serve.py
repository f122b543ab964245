"""`coalition-docs serve` end to end: a page in headless Chromium follows the content.

Starts the real command in a subprocess on a free port, opens a member's page,
then edits, breaks and fixes the partner's file; the page must change by
itself each time (no page.reload() anywhere).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import EXAMPLE, edit
from .test_accessibility import CHROMIUM, CHROMIUM_ARGS

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")]

TIMEOUT_MS = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path):
    content = tmp_path / "project" / "content"
    shutil.copytree(EXAMPLE, content)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "coalition_docs.cli", "serve", str(content), "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve did not start within 60 s"
            time.sleep(0.1)
    try:
        yield content, url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def test_serve_follows_edits_errors_and_fixes(server, page):
    from playwright.sync_api import expect

    content, url = server
    partner = content / "partners" / "tessel-valley-research-institute.yaml"
    page.goto(url + "members/tessel-valley-research-institute/")
    expect(page.locator("h1")).to_contain_text("Tessel Valley Research Institute")
    assert "Numbers checked twice" not in page.content()

    # An edit shows up without a reload by hand.
    edit(partner, "  An independent research center", "  Numbers checked twice. An independent research center")
    expect(page.locator("main")).to_contain_text("Numbers checked twice.", timeout=TIMEOUT_MS)

    # A broken file: the page becomes the error page, with the located problem.
    edit(partner, "stage: member", "stage: memebr")
    expect(page.locator("h1")).to_have_text("Build failed", timeout=TIMEOUT_MS)
    expect(page.locator("pre")).to_contain_text(
        "partners/tessel-valley-research-institute.yaml:5:8: stage: unknown value", timeout=1000)
    expect(page.locator("pre")).to_contain_text("did you mean 'member'?")

    # The fix brings the site back, by itself.
    edit(partner, "stage: memebr", "stage: member")
    expect(page.locator("h1")).to_contain_text("Tessel Valley Research Institute", timeout=TIMEOUT_MS)
    expect(page.locator("main")).to_contain_text("Numbers checked twice.")
