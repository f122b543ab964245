"""Every page of the site in headless Chromium: axe-core finds no WCAG 2.1 A/AA
violation, nothing scrolls sideways at 375 px, and the enhancements work.

Needs Debian's chromium (/usr/bin/chromium), the `playwright` Python package
(its own browser download is never used) and axe-core from npm
(`npm install` at the repository root). Only a missing chromium skips.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from coalition_docs.site.public import public_view
from coalition_docs.site.render import base_path, build_site
from coalition_docs.templating import Theme
from coalition_docs.content.validate import load_coalition

from ..site_helpers import write_site_content

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"
)]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Served:
    """A built site served on 127.0.0.1 under the path of its site.url."""

    def __init__(self, content: Path, work: Path):
        coalition = load_coalition(content)
        out = work / "out"
        self.written = build_site(coalition, Theme(content), out)
        self.site_dir = out / "site"
        self.base = base_path(public_view(coalition))
        www = work / "www"
        mount = www / self.base.strip("/") if self.base != "/" else www
        mount.parent.mkdir(parents=True, exist_ok=True)
        if self.base == "/":
            mount = self.site_dir
            www = self.site_dir
        else:
            mount.symlink_to(self.site_dir, target_is_directory=True)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def pages(self) -> list[str]:
        return [p for p in self.written if p.endswith(".html")]

    def url(self, rel: str) -> str:
        return self.origin + self.base + rel.removesuffix("index.html")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _sites() -> list[str]:
    names = ["fixture"]
    if (ROOT / "content" / "coalition.yaml").is_file():
        names.append("example")
    return names


@pytest.fixture(scope="module", params=_sites())
def served(request, tmp_path_factory):
    work = tmp_path_factory.mktemp(f"browser-{request.param}")
    if request.param == "fixture":
        content = work / "content"
        write_site_content(content)
    else:
        content = ROOT / "content"
    site = Served(content, work)
    yield site
    site.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), f"axe-core is missing: run `npm install` in {ROOT} (expected {AXE})"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    found = []
    for violation in result["violations"]:
        targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


@pytest.mark.parametrize("width", [1280, 375])
def test_no_axe_violations_on_any_page(served, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems = []
    try:
        for rel in served.pages:
            response = page.goto(served.url(rel))
            assert response is not None and response.ok, rel
            problems.extend(f"{rel} @{width}px: {v}" for v in _axe(page))
    finally:
        page.close()
    assert not problems, "\n".join(problems)


def test_no_sideways_scroll_at_375px(served, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    wide = []
    try:
        for rel in served.pages:
            page.goto(served.url(rel))
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                wide.append(f"{rel}: scrollWidth {width}")
    finally:
        page.close()
    assert not wide, "\n".join(wide)


def test_every_asset_loads(served, browser):
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    try:
        for rel in served.pages:
            page.goto(served.url(rel))
            page.wait_for_load_state("load")
    finally:
        page.close()
    assert not failed, failed


def test_member_filters_without_reload(served, browser):
    page = browser.new_page()
    try:
        page.goto(served.url("members/index.html"))
        cards = page.locator("[data-member]")
        total = cards.count()
        assert page.locator("#member-filters").is_visible()
        assert page.locator("#filter-status").inner_text() == f"Showing all {total} members."
        types = page.eval_on_selector_all(
            "#filter-type option", "options => options.map(o => o.value).filter(Boolean)"
        )
        chosen = types[0]
        expected = page.locator(f'[data-member][data-type="{chosen}"]').count()
        page.select_option("#filter-type", chosen)
        assert page.locator("[data-member]:visible").count() == expected
        assert page.locator("#filter-status").inner_text() == f"Showing {expected} of {total} members."
        assert f"type={chosen}" in page.url
        page.click("button[type=reset]")
        page.wait_for_function(f"document.querySelectorAll('[data-member]:not([hidden])').length === {total}")

        area = page.eval_on_selector_all(
            "#filter-area option:not([disabled])", "options => options.map(o => o.value).filter(Boolean)"
        )[0]
        page.goto(served.url("members/index.html") + f"?area={area}")
        visible = page.locator("[data-member]:visible").count()
        assert 0 < visible <= total
        assert page.input_value("#filter-area") == area
    finally:
        page.close()


def test_without_javascript_everything_is_listed(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served.url("members/index.html"))
        assert page.locator("[data-member]:visible").count() == page.locator("[data-member]").count() > 0
        assert not page.locator("#member-filters").is_visible()
    finally:
        context.close()


def test_opened_from_disk(served, browser):
    page = browser.new_page()
    try:
        page.goto((served.site_dir / "index.html").as_uri())
        href = page.get_attribute(".site-nav a >> nth=0", "href")
        assert href.endswith("/index.html"), href
        page.click(".site-nav a >> nth=0")
        page.wait_for_load_state("load")
        assert page.url.endswith("/index.html")
        assert page.locator("h1").count() == 1
        # The stylesheet loaded: the body uses the theme's background color.
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background != "rgba(0, 0, 0, 0)"
    finally:
        page.close()


def test_skip_link_and_print_styles(served, browser):
    page = browser.new_page()
    try:
        page.goto(served.url("index.html"))
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == "#main-content"
        assert page.locator(".skip-link").is_visible()
        page.emulate_media(media="print")
        assert not page.locator(".site-nav").is_visible()
    finally:
        page.close()
