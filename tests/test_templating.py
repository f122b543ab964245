"""The theme's Jinja environment (templating.py): the sandbox, and what it notes while compiling."""

from __future__ import annotations

import pytest
from jinja2.sandbox import SecurityError

from coalition_docs.site.render import site_environment
from coalition_docs.templating import Theme

from .conftest import EXAMPLE


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


def test_a_compiled_template_notes_the_templates_it_names(tmp_path):
    # A page's key covers the templates it is made from (site/render.py): Jinja's parse of a
    # template, done once to compile it, tells them.
    theme_dir = tmp_path / "templates" / "site"
    theme_dir.mkdir(parents=True)
    (theme_dir / "card.html").write_text('{% include "site/parts/" ~ kind ~ ".html" %}', encoding="utf-8")
    env = site_environment(Theme(tmp_path / "content"))
    assert "site/member.html" not in env.references
    env.get_template("site/member.html")
    assert set(env.references["site/member.html"]) == {"site/base.html", "site/macros.html"}
    env.get_template("site/card.html")
    assert env.references["site/card.html"] == [None]  # a computed name: any template may be meant
