"""The theme's Jinja environment (templating.py): the sandbox, and what it notes while compiling."""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.sandbox import SecurityError

from coalition_docs.site.render import site_environment
from coalition_docs.templating import Theme

from .conftest import EXAMPLE, examples, run_cli


class Card:
    def __init__(self):
        self.name = "Harbor Health"
        self._secret = "a private note"

    def shout(self):
        return self.name.upper()


@pytest.fixture
def env():
    return Theme(EXAMPLE).environment(autoescape=True)


def test_the_sandbox_remembers_what_is_safe_without_letting_anything_else_through(env):
    card = Card()
    # The same attribute read many times is decided once, and stays allowed.
    assert env.from_string("{{ c.name }} {{ c.name }} {{ c.shout() }}").render(c=card) == \
        "Harbor Health Harbor Health HARBOR HEALTH"
    # A private attribute of the same kind of object is still refused, however often the public one was read.
    with pytest.raises(SecurityError, match="access to attribute '_secret' of 'Card' object is unsafe"):
        env.from_string("{{ c.name }}{{ c._secret }}").render(c=card)
    # So are Python's internals, and str.format stays sandboxed after plain strings were read.
    with pytest.raises(SecurityError):
        env.from_string("{{ c.name }}{{ c.shout.__func__ }}").render(c=card)
    with pytest.raises(SecurityError):
        env.from_string("{{ c.name.upper() }}{{ '{0.__class__}'.format(c.name) }}").render(c=card)


class Ledger:
    def __init__(self):
        self.entries = ["kept"]

    def erase(self):
        self.entries.clear()

    erase.alters_data = True  # the marker Jinja's sandbox refuses to call


def test_the_sandbox_still_checks_every_call_but_the_tools_own(tmp_path):
    # url, _ and gettext are called without the sandbox's checks of each call; nothing else is.
    env = site_environment(Theme(tmp_path / "content"))
    ledger = Ledger()
    for source in ("{{ url('members/') }}{{ l.erase() }}", "{{ _('Home') }}{% for x in [1] %}{{ l.erase() }}{% endfor %}"):
        with pytest.raises(SecurityError, match="is not safely callable"):
            env.from_string(source).render(l=ledger, root="../")
    assert ledger.entries == ["kept"]
    for source in ("{{ url.__globals__ }}", "{{ _.__closure__ }}", "{{ url('').__class__ }}",
                   "{% macro m() %}x{% endmacro %}{{ m.__class__ }}"):
        with pytest.raises(SecurityError, match="is unsafe"):
            env.from_string(source).render(root="../")
    # The tool's own functions may not be reached from data: a page's variables are plain values.
    with pytest.raises(SecurityError):
        env.from_string("{{ url.__call__.__self__ }}").render(root="../")


def test_the_tools_own_functions_see_what_a_loop_or_block_set(tmp_path):
    # A variable set inside a loop or a block is seen by url() there, as Jinja gives it to any
    # function that takes the context; outside, the page's own value is seen again.
    env = site_environment(Theme(tmp_path / "content"))
    source = ("{{ url('a/') }}|{% for r in ['x/'] %}{% set root = r %}{{ url('a/') }}{% endfor %}|"
              "{% block b %}{% set root = 'y/' %}{{ url('b/') }}{{ url('assets/s.css') }}{% endblock %}|"
              "{{ url() }}|{{ url('assets/s.css') }}")
    assert env.from_string(source).render(root="../", site_root="../../") == \
        "../a/|x/a/|y/b/../../assets/s.css|../|../../assets/s.css"
    # Macros, with a caller, in a loop, and a pass_context function handed in as data (the sandbox's way).
    macros = ('{% macro card(name, level=2) %}<h{{ level }}>{{ name }}</h{{ level }}>{% endmacro %}'
              '{% macro box(level) %}<h{{ level }}>{{ caller() }}</h{{ level }}>{% endmacro %}'
              '{% for n in ["A", "B&"] %}{{ card(n) }}{% call box(level=3) %}{{ n }}!{% endcall %}{% endfor %}'
              '{{ f("z") }}')

    @jinja2.pass_context
    def f(context, text):
        return context["root"] + text

    assert env.from_string(macros).render(root="r/", f=f) == \
        "<h2>A</h2><h3>A!</h3><h2>B&amp;</h2><h3>B&amp;!</h3>r/z"


def test_a_word_of_the_theme_reads_the_same_every_time(tmp_path):
    env = site_environment(Theme(tmp_path / "content"))
    template = env.from_string('{{ _("Home") }}|{{ _("Home") }}|{{ _("Hi %(n)s", n=n) }}|{{ _("100%% sure") }}'
                               '|{% autoescape false %}{{ _("Home") }}{{ _("<b>") }}{% endautoescape %}{{ _("<b>") }}')
    for _ in range(2):
        assert template.render(n="<i>") == "Home|Home|Hi &lt;i&gt;|100% sure|Home<b><b>"


def test_the_environment_notes_every_template_a_rendering_looks_up(tmp_path):
    # A page's key covers the templates it was made from (site/render.py), computed names and the
    # candidates of a list that were missing included: one that appears later changes the page.
    env = site_environment(Theme(tmp_path / "content"))
    template = env.from_string('{% include ["site/notes/" ~ name ~ ".html", "site/macros.html"] %}')
    template.render(name="harbor")  # nothing noted unless asked
    env.loaded = set()
    template.render(name="harbor")
    assert env.loaded == {"site/notes/harbor.html", "site/macros.html"}


@pytest.fixture
def template_cache(tmp_path, monkeypatch):
    from coalition_docs import templating

    folder = tmp_path / "cache"
    monkeypatch.setenv("COALITION_DOCS_CACHE", str(folder))
    templating._compiled_templates.cache_clear()
    yield folder / "templates"
    templating._compiled_templates.cache_clear()


def test_compiled_templates_are_kept_between_builds_and_never_stale(tmp_path, template_cache):
    theme_dir = tmp_path / "templates" / "site"
    theme_dir.mkdir(parents=True)
    (theme_dir / "hello.html").write_text("Hello {{ name }}", encoding="utf-8")
    theme = Theme(tmp_path / "content")
    assert theme.environment(autoescape=True).get_template("site/hello.html").render(name="Ana") == "Hello Ana"
    assert len(list(template_cache.glob("*.cache"))) == 1
    # A new process (here: a new environment) reads the compiled template instead of compiling it ...
    assert theme.environment(autoescape=True).get_template("site/hello.html").render(name="Bo") == "Hello Bo"
    # ... and an edited template is compiled again, never read stale; a damaged entry is compiled again too.
    (theme_dir / "hello.html").write_text("Goodbye {{ name }}", encoding="utf-8")
    assert theme.environment(autoescape=True).get_template("site/hello.html").render(name="Bo") == "Goodbye Bo"
    for entry in template_cache.glob("*.cache"):
        entry.write_bytes(entry.read_bytes()[:20])
    assert theme.environment(autoescape=True).get_template("site/hello.html").render(name="Cy") == "Goodbye Cy"
    # Another environment's settings (no autoescape) never read what the first one compiled.
    plain = theme.environment(autoescape=False).get_template("site/hello.html")
    assert plain.render(name="<b>") == "Goodbye <b>"
    assert theme.environment(autoescape=True).get_template("site/hello.html").render(name="<b>") == "Goodbye &lt;b&gt;"


def test_a_cache_folder_that_cannot_be_made_only_costs_time(tmp_path, template_cache):
    template_cache.parent.mkdir()
    template_cache.write_text("a file where the folder should be", encoding="utf-8")
    theme_dir = tmp_path / "templates" / "site"
    theme_dir.mkdir(parents=True)
    (theme_dir / "hello.html").write_text("Hello {{ name }}", encoding="utf-8")
    env = Theme(tmp_path / "content").environment(autoescape=True)
    assert env.bytecode_cache is None
    assert env.get_template("site/hello.html").render(name="Ana") == "Hello Ana"


def test_a_fifo_in_the_cache_is_skipped_not_waited_on(tmp_path, template_cache):
    import os

    theme_dir = tmp_path / "templates" / "site"
    theme_dir.mkdir(parents=True)
    (theme_dir / "hello.html").write_text("Hello {{ name }}", encoding="utf-8")
    theme = Theme(tmp_path / "content")
    theme.environment(autoescape=True).get_template("site/hello.html")
    (entry,) = template_cache.glob("*.cache")
    entry.unlink()
    os.mkfifo(entry)
    # Reading a FIFO would block forever; the template is compiled instead (and the FIFO left alone).
    assert theme.environment(autoescape=True).get_template("site/hello.html").render(name="Ana") == "Hello Ana"


# ---------------------------------------------------------------- themes from anyone


def test_theme_override_cannot_reach_into_python(content, tmp_path, capsys):
    override = tmp_path / "templates" / "site"
    override.mkdir(parents=True)
    (override / "page.html").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "build", content, "--out", tmp_path / "out", "--only", "site")
    assert code == 1
    assert f"{override / 'page.html'}:1" in err
    assert "access to attribute '__class__' of 'str' object is unsafe" in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()



_TOKENS = ["Word", "é", "文", "9", " ", " ", ",", ".", ";", ":", "'", '"', "?", "!", "%", "$", "@", "/", "(", ")",
           "+", "=", "-", "\u2019", "\u201c", "\u2026", "\n", "*", "_", "[", "]", "<", ">", "&", "#", "|", "~", "`",
           "\\", "\t", "\u0301", "\u00a0", "1.", "---", "*a*", "_a_", "`a`", "[a](b)", "<b>", "&amp;", "  \n",
           "**", " **", "** ", "**a**", " **Word 9**", "***", "½"]


@settings(max_examples=examples(2000), deadline=None)
@given(st.lists(st.sampled_from(_TOKENS), max_size=12).map("".join))
def test_plain_text_becomes_the_paragraph_markdown_it_makes(text):
    # render_markdown skips markdown-it for one paragraph of plain words: it must give the same HTML
    from coalition_docs.content.links import markdown
    from coalition_docs.templating import render_markdown

    assert render_markdown(text) == markdown().render(text)
    assert render_markdown(text, "../../", "../") == markdown().render(text, {"root": "../../", "site_root": "../"})


@pytest.mark.parametrize("text", ["Word *a*", "Word _a_", "Word `a`", "Word [a](b)", "Word <b>", "Word &amp;",
                                  "Word\n---", "Word \\* x", "Word  \nx", "Word ~~a~~", "Word | a |", "1. item",
                                  "- item", "+ item", "# Title", "Word   ", "    code", "Word\u0301 x", "Word\tx",
                                  "Word \"q\" (p) 5% - ok!", "Café Ñandú.\n", "Word\n\n", "Word **a**b",
                                  "Word**a**", "Word ** a**", "Word **a **", "Word **a**_", "Word ***a***",
                                  "Word **a** and **b c**, **9**.\n", "Word **(a)**", "Word **a**", "Word **é ½**!"])
def test_markdown_and_plain_text_alike_render_as_markdown_it_renders_them(text):
    from coalition_docs.content.links import markdown
    from coalition_docs.templating import render_markdown

    assert render_markdown(text) == markdown().render(text)


def test_summaries_of_a_coalition_render_as_markdown_it_renders_them(example_coalition):
    from coalition_docs.content.links import markdown
    from coalition_docs.templating import _PLAIN, render_markdown

    texts = [str(t) for p in example_coalition.partners for t in (p.summary,) if t] + \
        [str(p.bio) for p in example_coalition.people if getattr(p, "bio", None)]
    assert sum(1 for t in texts if _PLAIN.fullmatch(t)) >= 5  # the shortcut is taken
    assert _PLAIN.fullmatch("Harbor Health runs a clinic, with a focus on **access to health services**. It works.")
    for text in texts:
        assert render_markdown(text) == markdown().render(text)
