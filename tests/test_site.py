"""The public website: pages, privacy, escaping, links under a sub-path, overrides."""

from __future__ import annotations

import functools
import html.parser
import http.server
import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import multiprocessing

from coalition_docs.engine import outputs as outputs_module, policy, runner
from coalition_docs.site import render as site_module
from coalition_docs.errors import ContentErrors, BuildError
from coalition_docs.site.public import public_view
from coalition_docs.site.render import (
    build_site,
    check_links,
    plan_site,
    render_page,
    site_environment,
)
from coalition_docs.site.links import scan_html
from coalition_docs.templating import Theme
from coalition_docs.content.validate import load_coalition

from .conftest import examples
from .site_helpers import MARKER_PREFIX, write_site_content

SUB_PATH_URL = "https://example.org/coalition/"


def build(root: Path, site_url: str = SUB_PATH_URL, jobs: int | None = None) -> tuple[Path, list[str], Path]:
    content = root / "content"
    if not content.exists():
        write_site_content(content, site_url=site_url)
    coalition = load_coalition(content)
    out = root / "out"
    written = build_site(coalition, Theme(content), out, jobs=jobs)
    return out / "site", written, content


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site_dir(built) -> Path:
    return built[0]


def read(site_dir: Path, rel: str) -> str:
    return (site_dir / rel).read_text(encoding="utf-8")


# ---------------------------------------------------------------- what is built


def test_pages_and_clean_urls(built):
    site_dir, written, _ = built
    for rel in [
        "index.html",
        "structure/index.html",
        "members/index.html",
        "members/riverbend-works/index.html",
        "people/index.html",
        "working-groups/index.html",
        "working-groups/homes/index.html",
        "statements/index.html",
        "coverage/index.html",
        "about/index.html",
        "get-involved/index.html",
        "404.html",
        "sitemap.xml",
        "assets/style.css",
        "assets/site.js",
        "static/logo.svg",
    ]:
        assert rel in written, rel
    on_disk = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
    assert written == on_disk


def test_language_landmarks_and_skip_link(site_dir):
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert '<html lang="en">' in text
        assert 'href="#main-content"' in text and 'id="main-content"' in text
        assert text.count("<h1") == 1, path
        assert "<main" in text and "<nav" in text and "<footer" in text


def test_relative_links_with_root_prefix(site_dir):
    member = read(site_dir, "members/riverbend-works/index.html")
    assert 'href="../../assets/style.css"' in member
    assert 'href="../../people/"' in member
    home = read(site_dir, "index.html")
    assert 'href="assets/style.css"' in home
    assert 'href="members/"' in home
    assert 'href="https://example.org/coalition/"' in home  # canonical


def test_404_uses_absolute_paths_under_the_sub_path(site_dir):
    text = read(site_dir, "404.html")
    assert 'href="/coalition/assets/style.css"' in text
    assert 'href="/coalition/members/"' in text
    assert 'rel="canonical"' not in text


def test_sitemap_lists_public_pages_with_absolute_urls(built):
    site_dir, written, _ = built
    tree = ET.parse(site_dir / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in tree.getroot().findall("s:url/s:loc", ns)]
    pages = [p for p in written if p.endswith(".html") and p != "404.html"]
    assert len(urls) == len(pages)
    for url in urls:
        assert url.startswith(SUB_PATH_URL)
        rel = url[len(SUB_PATH_URL):]
        assert (site_dir / rel / "index.html").is_file() or (site_dir / rel).is_file(), url


def test_structure_figure_is_accessible_svg_with_text_equivalent(site_dir):
    text = read(site_dir, "structure/index.html")
    svg = text[text.index("<svg"):text.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="structure-title structure-desc"' in svg
    assert '<title id="structure-title">' in svg and '<desc id="structure-desc">' in svg
    desc = svg[svg.index("<desc"):svg.index("</desc>")]
    after = text[text.index("</svg>"):]
    for name in ["Stable Homes", "Learning from the Start", "Good Jobs and Income", "Healthy Neighborhoods"]:
        assert name in desc and name in after  # the figure's description and the text equivalent
        assert name.split()[0] in svg[svg.index("</desc>"):]  # drawn as a node label
    assert "Management team" in text and "Champions" in text and "twice a year" in text


def test_members_directory_lists_everything_and_filters_progressively(site_dir):
    text = read(site_dir, "members/index.html")
    assert text.count("data-member ") == 8
    assert re.search(r'<form[^>]*data-filter-form[^>]*hidden', text)  # shown by JS only
    assert 'data-type="philanthropy"' in text
    assert 'data-areas="housing-affordability housing-stability social-capital"' in text
    assert '<option value="riverfront-access">Access to the riverfront (1)</option>' in text


def test_member_page(site_dir):
    text = read(site_dir, "members/riverbend-housing-alliance/index.html")
    for expected in [
        "Riverbend Housing Alliance",
        "Nonprofit or community-based organization",
        "<strong>legal aid</strong>",
        "People experiencing housing instability or homelessness",
        "Housing stability",
        "Strong connections to community members",
        'href="https://www.riverbend-housing-alliance.example.org/"',
        "Amara Okafor",
        "Stable Homes",
    ]:
        assert expected in text, expected


def test_people_page_shows_each_card_once(site_dir):
    text = read(site_dir, "people/index.html")
    assert text.count('id="person-daniel-cho"') == 1
    assert "Data lead" in text and "Champion" in text
    assert "Nguyễn Thị Hương" in text
    assert 'id="group-homes"' in text


def test_coverage_is_a_table_per_pillar(site_dir):
    text = read(site_dir, "coverage/index.html")
    assert text.count('<table class="bar-table"') == 5 + 1 + 1  # pillars, other areas, types
    assert text.count('<th scope="row">') == 24 + 1 + 7
    assert "17 of the 24 areas" in text
    assert "Gap: none yet" in text


def test_statements_page(site_dir):
    text = read(site_dir, "statements/index.html")
    assert 'id="amara-okafor"' in text
    assert "Who we are as a team" in text
    assert "As a resident, I bring what I see" in text


def test_static_and_fonts_are_copied(built):
    site_dir, written, content = built
    assert (site_dir / "static" / "logo.svg").read_bytes() == (content / "static" / "logo.svg").read_bytes()
    if any(p.startswith("assets/fonts/") for p in written):
        assert "assets/fonts.css" in written
        assert "@font-face" in read(site_dir, "assets/fonts.css")


# ---------------------------------------------------------------- privacy and escaping


def test_no_private_marker_in_any_file(built):
    site_dir, written, _ = built
    assert len(written) > 20
    for rel in written:
        data = (site_dir / rel).read_bytes().lower()
        assert MARKER_PREFIX.encode() not in data, rel
    # The file names too.
    assert all(MARKER_PREFIX not in rel for rel in written)


def test_public_fields_do_appear(site_dir):
    # Guards the privacy test against passing on an empty site.
    everything = "".join(p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html"))
    for name in ["Amara Okafor", "Riverbend Works", "Marcus Bell", "Who we are as a team", "Get involved"]:
        assert name in everything


def test_markdown_raw_html_and_javascript_links_are_not_passed_through(site_dir):
    text = read(site_dir, "about/index.html")
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert" in text
    for path in site_dir.rglob("*.html"):
        lowered = path.read_text(encoding="utf-8").lower()
        assert not re.search(r'(href|src)="\s*javascript:', lowered), path


def test_markdown_links_are_relative_to_the_site_root(site_dir):
    # The same summary on the directory and on the member's own page.
    assert 'href="../working-groups/homes/"' in read(site_dir, "members/index.html")
    assert 'href="../../working-groups/homes/"' in read(site_dir, "members/riverbend-housing-alliance/index.html")
    about = read(site_dir, "about/index.html")
    assert 'src="../static/logo.svg"' in about
    assert 'href="../coverage/"' in about  # a leading "/" means the site root too
    assert 'href="../people/#champions"' in about
    assert 'href="../working-groups/"' in read(site_dir, "get-involved/index.html")  # "../" kept as written


def test_content_is_escaped(tmp_path):
    content = tmp_path / "content"
    write_site_content(content)
    partner = content / "partners" / "riverbend-works.yaml"
    text = partner.read_text(encoding="utf-8")
    text = text.replace("name: Riverbend Works", "name: 'Works <script>alert(\"x\")</script> & \"Co\"'")
    partner.write_text(text, encoding="utf-8")
    site_dir, _, _ = build(tmp_path)
    page = read(site_dir, "members/riverbend-works/index.html")
    assert "<script>alert" not in page
    assert "Works &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Co&#34;" in page
    directory = read(site_dir, "members/index.html")
    assert "<script>alert" not in directory


# ---------------------------------------------------------------- links


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_sub_path_site_has_no_broken_link_over_http(built, tmp_path):
    site_dir = built[0]
    www = tmp_path / "www"
    www.mkdir()
    (www / "coalition").symlink_to(site_dir, target_is_directory=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        start = origin + "/coalition/"
        queue = [start, origin + "/coalition/404.html", origin + "/coalition/sitemap.xml"]
        seen: set[str] = set()
        broken: list[str] = []
        pages = 0
        while queue and len(seen) < 2000:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = response.read()
                    kind = response.headers.get("Content-Type", "")
            except urllib.error.HTTPError as error:
                broken.append(f"{url} -> {error.code}")
                continue
            if "html" not in kind:
                continue
            pages += 1
            parser = _Links()
            parser.feed(body.decode("utf-8"))
            for link in parser.links:
                target = urljoin(url, link).partition("#")[0]
                if urlsplit(target).netloc == urlsplit(origin).netloc:
                    assert urlsplit(target).path.startswith("/coalition/"), f"{url} links outside: {link}"
                    queue.append(target)
        assert not broken, broken
        assert pages >= 25
    finally:
        server.shutdown()
        server.server_close()


def test_link_checker_names_the_page_and_the_link(tmp_path):
    content = tmp_path / "content"
    write_site_content(content)
    (content / "pages" / "broken.md").write_text(
        "---\ntitle: Broken\n---\n[gone](nowhere/) and [anchor](people/#nobody) "
        "and [up](../../outside/)\n",
        encoding="utf-8",
    )
    # what the content says is found by check, at its line
    with pytest.raises(ContentErrors) as caught:
        build(tmp_path)
    message = str(caught.value)
    assert "pages/broken.md:4:1: link 'nowhere/' points at a page the site does not have" in message
    assert "pages/broken.md:4:1: link '../../outside/' leaves the site" in message
    # what only the built site shows (an anchor no page has) is found by the link checker
    (content / "pages" / "broken.md").write_text(
        "---\ntitle: Broken\n---\n[anchor](people/#nobody)\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build(tmp_path)
    assert "broken/index.html: broken link '../people/#nobody' (no id 'nobody' in people/index.html)" in str(caught.value)


def test_link_checker_accepts_good_links_and_css_urls(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "assets" / "fonts").mkdir(parents=True)
    (site / "index.html").write_text('<a href="a/#x">a</a><a href="#top">t</a><p id="top"></p>')
    (site / "a" / "index.html").write_text('<a href="../">home</a><a href="..">up</a><i id="x"></i>'
                                           '<a href="https://example.org/">ext</a><a href="mailto:a@b.c">m</a>')
    (site / "assets" / "style.css").write_text('@font-face { src: url("fonts/A.ttf"); }')
    (site / "assets" / "fonts" / "A.ttf").write_bytes(b"")
    files = ["index.html", "a/index.html", "assets/style.css", "assets/fonts/A.ttf"]
    check_links(site, files)
    (site / "assets" / "style.css").write_text("body { background: url(missing.png) }")
    with pytest.raises(BuildError, match=r"assets/style.css: broken link 'missing.png'"):
        check_links(site, files)


def test_a_link_good_from_one_page_is_checked_again_where_it_depends_on_the_page(tmp_path):
    # Pages at one depth share the links written from the site root; a link relative to its own
    # folder, or a broken one, is checked (and reported) on every page that has it.
    site = tmp_path / "site"
    for folder in ("a", "a/x", "b", "c"):
        (site / folder).mkdir(parents=True, exist_ok=True)
    shared = '<a href="../c/#top">c</a><a href="../c/#gone">g</a><a href="https://example.org/">e</a><a href="x/">x</a>'
    (site / "a" / "index.html").write_text(shared, encoding="utf-8")
    (site / "b" / "index.html").write_text(shared, encoding="utf-8")
    (site / "a" / "x" / "index.html").write_text("", encoding="utf-8")
    (site / "c" / "index.html").write_text('<p id="top"></p>', encoding="utf-8")
    files = ["a/index.html", "a/x/index.html", "b/index.html", "c/index.html"]
    with pytest.raises(BuildError) as caught:
        check_links(site, files)
    assert str(caught.value).splitlines()[1:] == [
        "  a/index.html: broken link '../c/#gone' (no id 'gone' in c/index.html)",
        "  b/index.html: broken link '../c/#gone' (no id 'gone' in c/index.html)",
        "  b/index.html: broken link 'x/' (no such file: b/x/index.html)"]


def test_the_links_and_ids_of_a_page_are_read_in_order():
    page = ('<a href="a/">A</a><img srcset="s.png 1x, t.png 2x" src="u.png"><p\nid="top" data-id="not" '
            'xid="not"></p><a\thref="b/?x=1&amp;y=2#c">B</a><a title="id=&#34;z&#34;">no</a>')
    assert scan_html(page) == (["a/", "s.png", "t.png", "u.png", "b/?x=1&y=2#c"], {"top"})


_ATTR_TOKENS = [" ", "\n", "\t", "href", "src", "srcset", "id", "=", '"', "x", "&amp;", "data-", "set", "<a ", ">"]


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(st.sampled_from(_ATTR_TOKENS), max_size=30).map("".join))
def test_the_link_scan_finds_what_the_plain_pattern_finds(text):
    # scan_html searches for `="` and looks behind it; it must read what a blank, a name, `="`,
    # the value and `"` read from left to right, in the same order.
    import html as html_module

    links, ids = [], set()
    for name, value in re.findall(r'\s(href|src|srcset|id)="([^"]*)"', text):
        value = html_module.unescape(value)
        if name == "id":
            ids.add(value)
        elif name == "srcset":
            links.extend(c.split()[0] for c in value.split(",") if c.strip())
        else:
            links.append(value)
    assert scan_html(text) == (links, ids)


@pytest.mark.parametrize("name", ["members", "meetings"])
def test_reserved_page_name_fails_in_check(tmp_path, name):
    content = tmp_path / "content"
    write_site_content(content)
    (content / "pages" / f"{name}.md").write_text("---\ntitle: Clash\n---\nHi\n", encoding="utf-8")
    with pytest.raises(ContentErrors, match=f"pages/{name}.md:1:1: the page name '{name}' is used by the site"):
        load_coalition(content)


# ---------------------------------------------------------------- structure of the code


def test_pages_render_one_at_a_time(built):
    _, _, content = built
    coalition = load_coalition(content)
    view = public_view(coalition)
    env = site_environment(Theme(content))
    pages = plan_site(view)
    member = next(p for p in pages if p.path == "members/city-of-riverbend/index.html")
    html_text = render_page(env, view, member)
    assert "City of Riverbend" in html_text
    assert member.url == "members/city-of-riverbend/"
    assert member.root == "../../"
    assert [p.path for p in pages].count("index.html") == 1


def test_a_page_on_disk_is_its_html_in_utf8_with_unix_line_ends(built, tmp_path):
    site_dir, _, content = built
    coalition = load_coalition(content)
    view = public_view(coalition)
    page = next(p for p in plan_site(view) if p.path == "members/city-of-riverbend/index.html")
    text = render_page(site_environment(Theme(content)), view, page,
                       has_fonts=(site_dir / "assets" / "fonts.css").exists())
    assert (site_dir / page.path).read_bytes() == text.encode("utf-8") and b"\r" not in text.encode("utf-8")
    # A file written again is replaced whole, however long it was.
    from coalition_docs.site.assets import write_text

    (tmp_path / "page.html").write_text("x" * 10_000, encoding="utf-8")
    write_text(tmp_path, "page.html", "Café\nAñejo · 文\n")
    assert (tmp_path / "page.html").read_bytes() == "Café\nAñejo · 文\n".encode("utf-8")


def test_a_text_rendered_once_for_every_depth_is_what_each_depth_renders_alone(tmp_path):
    # The markdown filter renders a text once, with stand-ins for the roots, and each page puts its
    # own in: the HTML must be the same as rendering the text for that page's depth.
    from coalition_docs.templating import render_markdown

    texts = ["Plain words & more.", "See [the members](members/) and [us](/about/#why).",
             "![map](static/map.png) [top](#top) [up](../x/) [out](https://example.org/a?b=1&c=2)",
             "A typed stand-in \ue000root\ue000 [here](members/)", ""]
    roots = [("", ""), ("../../", "../../"), ("../", "../../"), ("/coal&ition/", "/coal&ition/"),
             ('/"q"/', '/"q"/')]
    env = site_environment(Theme(tmp_path))
    template = env.from_string("{{ text | markdown }}")
    for text in texts:
        for root, site_root in roots:
            expected = render_markdown(text, root, site_root)
            assert template.render(text=text, root=root, site_root=site_root) == expected, (text, root)
    assert "../../static/map.png" in template.render(text=texts[2], root="../", site_root="../../")


def test_theme_overrides_beside_the_content_folder(tmp_path):
    content = tmp_path / "content"
    write_site_content(content)
    overrides = tmp_path / "templates" / "site"
    (overrides / "assets").mkdir(parents=True)
    (overrides / "assets" / "style.css").write_text("body { color: rebeccapurple; }\n", encoding="utf-8")
    (overrides / "assets" / "extra.js").write_text("/* extra */\n", encoding="utf-8")
    (overrides / "page.html").write_text(
        '{% extends "site/base.html" %}{% block main %}<h1>Custom {{ markdown_page.title }}</h1>{% endblock %}',
        encoding="utf-8",
    )
    site_dir, written, _ = build(tmp_path)
    assert "rebeccapurple" in read(site_dir, "assets/style.css")
    assert "assets/extra.js" in written
    assert "assets/site.js" in written  # the default theme still fills the gaps
    assert "<h1>Custom About the coalition</h1>" in read(site_dir, "about/index.html")


def test_a_page_that_changes_its_navigation_changes_no_other_page(tmp_path):
    # Every page of a language is given the navigation made once; a theme that changes its copy
    # (the sandbox lets a template change a list) changes that page alone.
    content = tmp_path / "content"
    write_site_content(content)
    overrides = tmp_path / "templates" / "site"
    overrides.mkdir(parents=True)
    (overrides / "page.html").write_text(
        '{% extends "site/base.html" %}{% block main %}{{ nav.pop().title }} of {{ nav | length }}{% endblock %}',
        encoding="utf-8")
    site_dir, _, _ = build(tmp_path, jobs=1)
    about, involved = read(site_dir, "about/index.html"), read(site_dir, "get-involved/index.html")
    assert about.count('<li><a href="') == involved.count('<li><a href="')
    last = re.search(r"<main[^>]*>\n(.*) of (\d+)", about)
    assert last and re.search(r"<main[^>]*>\n(.*) of (\d+)", involved).group(2) == last.group(2)


@pytest.mark.parametrize("start", ["fork", pytest.param("spawn", marks=pytest.mark.slow)])  # spawn: slow to start
def test_parallel_rendering_writes_the_same_site(tmp_path, monkeypatch, start):
    content = tmp_path / "content"
    write_site_content(content)
    coalition = load_coalition(content)
    monkeypatch.setattr(outputs_module, "MIN_RUN", 1)  # a run of pages per task, even for a small site
    # A worker started fresh (spawn, as when the build runs threads) loads the content again.
    monkeypatch.setattr(policy, "pool_context", lambda: multiprocessing.get_context(start))
    parallel = build_site(coalition, Theme(content), tmp_path / "parallel", jobs=3)
    serial = build_site(coalition, Theme(content), tmp_path / "serial", jobs=1)
    assert parallel == serial
    for rel in serial:
        assert (tmp_path / "parallel" / "site" / rel).read_bytes() == (tmp_path / "serial" / "site" / rel).read_bytes()


@pytest.mark.parametrize("workers", [1, 3])
def test_template_error_names_template_line_and_page(tmp_path, monkeypatch, workers):
    content = tmp_path / "content"
    write_site_content(content)
    overrides = tmp_path / "templates" / "site"
    overrides.mkdir(parents=True)
    (overrides / "member.html").write_text(
        '{% extends "site/base.html" %}{% block main %}\n'
        '{% if member.id == "riverbend-works" %}{{ member.no_such_field }}{% endif %}\n{% endblock %}\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(outputs_module, "MIN_RUN", 1)
    with pytest.raises(BuildError) as caught:
        build(tmp_path, jobs=workers)
    message = str(caught.value)
    assert "member.html:2:" in message
    assert "no_such_field" in message
    assert "members/riverbend-works/index.html" in message


def test_site_without_url_has_no_sitemap_and_root_404(tmp_path):
    content = tmp_path / "content"
    write_site_content(content)
    coalition_file = content / "coalition.yaml"
    text = coalition_file.read_text(encoding="utf-8")
    coalition_file.write_text(text.replace("  url: https://example.org/coalition/\n", ""), encoding="utf-8")
    site_dir, written, _ = build(tmp_path)
    assert "sitemap.xml" not in written
    assert 'href="/assets/style.css"' in read(site_dir, "404.html")
    assert 'rel="canonical"' not in read(site_dir, "index.html")


def test_example_content_builds(tmp_path):
    example = Path(__file__).resolve().parents[1] / "content"
    if not (example / "coalition.yaml").is_file():
        pytest.skip("the example content/ is not there yet")
    written = build_site(load_coalition(example), Theme(example), tmp_path)
    assert "index.html" in written and "members/index.html" in written


def test_reserved_names_cover_every_top_level_folder():
    view_names = {p.path.split("/")[0] for p in plan_site(_empty_view()) if p.template != "site/page.html"}
    for name in view_names:
        assert name.removesuffix(".html") in site_module.RESERVED_NAMES


def _empty_view():
    fixture = Path(__file__).parent / "fixtures" / "minimal"
    return public_view(load_coalition(fixture))
