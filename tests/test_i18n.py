"""The theme's languages: complete catalogs, overrides, localised dates, and pages without English."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from coalition_docs import i18n
from coalition_docs.content import vocab
from coalition_docs.content.validate import load_coalition
from coalition_docs.i18n import available_languages, label, localize, translations
from coalition_docs.site.plan import plan_site
from coalition_docs.site.public import public_view
from coalition_docs.site.render import render_page, site_environment
from coalition_docs.templating import Theme

from .conftest import ROOT

LOCALE = ROOT / "src" / "coalition_docs" / "locale"
LANGUAGES = ("es", "vi")
DEC_15 = dt.date(2026, 12, 15)


def _catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def _key(message):
    return (message.context, message.id)


@pytest.fixture(scope="module")
def pot():
    return _catalog(LOCALE / "messages.pot")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_msgid_has_a_translation(pot, language):
    po = _catalog(LOCALE / language / "LC_MESSAGES" / "messages.po")
    wanted = [m for m in pot if m.id]
    assert len(wanted) > 200
    for message in wanted:
        found = po.get(message.id, context=message.context)
        assert found is not None, f"{language}: {message.id!r} is not in the catalog (run make messages)"
        assert not found.fuzzy, f"{language}: {message.id!r} is fuzzy"
        strings = found.string if isinstance(found.string, tuple) else (found.string,)
        plural = isinstance(message.id, tuple)
        assert len(strings) == (po.num_plurals if plural else 1) and all(s.strip() for s in strings), \
            f"{language}: {message.id!r} has no translation"
    # placeholders, plural forms: Babel's own checks (python-format and friends)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po.check()]
    assert problems == []


def test_the_template_of_the_catalogs_is_up_to_date(pot):
    """Every word `make messages` would extract today is in messages.pot, and nothing else."""
    with open(ROOT / "babel.cfg") as f:
        try:
            from babel.messages.frontend import parse_mapping_cfg
        except ImportError:  # Babel < 2.14
            from babel.messages.frontend import parse_mapping as parse_mapping_cfg
        method_map, options_map = parse_mapping_cfg(f)
    extracted = {(context, msgid if isinstance(msgid, str) else msgid[0])
                 for _, _, msgid, _, context in extract_from_dir(str(ROOT), method_map, options_map)}
    assert extracted == {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in pot if m.id}


def test_every_vocabulary_label_is_in_the_catalogs(pot):
    msgids = {m.id for m in pot if m.id}
    tables = [vocab.ORGANIZATION_TYPES, vocab.POPULATIONS, vocab.AREAS, vocab.ASSETS, vocab.MANAGEMENT_ROLES,
              vocab.DECISION_MODELS, vocab.DECISION_MODEL_NAMES, vocab.RELATIONSHIPS, vocab.STAGES,
              vocab.RESPONSES, vocab.STATEMENT_KINDS]
    labels = {text for table in tables for text in table.values()} | {name for _, name, _ in vocab.PILLARS}
    assert labels - msgids == set()
    theme = Theme(ROOT / "content")
    assert label(theme, "es", vocab.ORGANIZATION_TYPES["local-government"]) == "Gobierno local"
    assert label(theme, "vi", vocab.POPULATIONS["people-with-disabilities"]) == "Người khuyết tật"
    assert label(theme, "es", "A label nobody wrote") == "A label nobody wrote"
    assert label(theme, "es", "") == ""


def test_available_languages():
    assert available_languages(Theme(ROOT / "content")) == ["en", "es", "vi"]


def _write_po(path, entries, language):
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f'msgid "{k}"\nmsgstr "{v}"\n\n' for k, v in entries.items())
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: {language}\\n"\n'
                    f'"Content-Type: text/plain; charset=UTF-8\\n"\n\n{body}', encoding="utf-8")


def test_a_coalitions_catalog_overrides_entries_and_adds_languages(tmp_path):
    (tmp_path / "content").mkdir()
    locale = tmp_path / "templates" / "locale"
    _write_po(locale / "es" / "LC_MESSAGES" / "messages.po", {"Members": "Socios", "Home": ""}, "es")
    _write_po(locale / "fr" / "LC_MESSAGES" / "messages.po", {"Members": "Membres"}, "fr")
    # a compiled catalog counts too
    (locale / "de" / "LC_MESSAGES").mkdir(parents=True)
    with open(locale / "de" / "LC_MESSAGES" / "messages.mo", "wb") as f:
        write_mo(f, read_po(io.BytesIO('msgid "Members"\nmsgstr "Mitglieder"\n'.encode())))
    theme = Theme(tmp_path / "content")
    assert available_languages(theme) == ["de", "en", "es", "fr", "vi"]
    assert label(theme, "es", "Members") == "Socios"  # the coalition's word wins
    assert label(theme, "es", "Home") == "Inicio"  # an empty entry leaves the package's
    assert label(theme, "es", "People") == "Personas"  # the rest is the package's
    assert label(theme, "fr", "Members") == "Membres"
    assert label(theme, "de", "Members") == "Mitglieder"
    # the default theme alone is untouched (the cache is per search path)
    assert label(Theme(ROOT / "content"), "es", "Members") == "Miembros"
    assert translations(theme, "es") is translations(theme, "es")
    assert i18n.catalog_files(theme, "es") == [LOCALE / "es" / "LC_MESSAGES" / "messages.po",
                                               locale / "es" / "LC_MESSAGES" / "messages.po"]
    # an edited catalog is read again (serve keeps running)
    _write_po(locale / "es" / "LC_MESSAGES" / "messages.po", {"Members": "Integrantes"}, "es")
    assert label(theme, "es", "Members") == "Integrantes"


def _env(language: str | None):
    theme = Theme(ROOT / "content")
    env = theme.environment(autoescape=True)
    if language:
        localize(env, theme, language)
    return env


@pytest.mark.parametrize("language, expected", [
    (None, "December 15, 2026 · 2026-12-15 · 1,234.5"),
    ("en", "December 15, 2026 · 2026-12-15 · 1,234.5"),
    ("es", "15 de diciembre de 2026 · 2026-12-15 · 1.234,5"),
    ("vi", "15 tháng 12, 2026 · 2026-12-15 · 1.234,5"),
])
def test_dates_and_numbers_follow_the_language(language, expected):
    template = _env(language).from_string("{{ d | date }} · {{ d | date('iso') }} · {{ n | number }}")
    assert template.render(d=DEC_15, n=1234.5) == expected
    if language:
        assert _env(language).from_string("{{ d | format_date }}").render(d=DEC_15) == expected.split(" · ")[0]


def test_english_is_the_default_and_words_from_data_are_escaped():
    env = _env(None)
    assert env.from_string('{{ _("Home") }} {{ ngettext("%(num)s member", "%(num)s members", 2) }}').render() \
        == "Home 2 members"
    spanish = _env("es")
    text = spanish.from_string('{{ _("A mobility coalition in %(community)s", community=c) }} {{ t | translate }}')
    assert text.render(c="<b>Town</b>", t="Members & <i>") \
        == "Una coalición por la movilidad social en &lt;b&gt;Town&lt;/b&gt; Members &amp; &lt;i&gt;"
    assert spanish.globals["language"] == "es"


@pytest.mark.parametrize("language", [None, "es"])
def test_gettext_keeps_the_rules_of_jinjas_newstyle_gettext(language):
    # i18n installs its own, shorter gettext and _: the same escaping and formatting as jinja2.ext's
    env = _env(language)
    spanish = language == "es"
    source = ('{{ _("No one from %(name)s is named on this site.", name=n) }}|'
              '{{ gettext("Convened by %(convener)s.", convener=n) }}|'
              '{% trans convener=n %}Convened by {{ convener }}.{% endtrans %}|'
              '{% autoescape false %}{{ _("Convened by %(convener)s.", convener=n) }}{% endautoescape %}|'
              '{{ _("100%% sure") }}|{{ _("Home") is string }}')
    nobody = "Nadie de &lt;b&gt;A&amp;B figura con su nombre en este sitio." if spanish \
        else "No one from &lt;b&gt;A&amp;B is named on this site."
    convened = ("Convocada por" if spanish else "Convened by") + " &lt;b&gt;A&amp;B."
    raw = ("Convocada por" if spanish else "Convened by") + " <b>A&B."
    assert env.from_string(source).render(n="<b>A&B") == f"{nobody}|{convened}|{convened}|{raw}|100% sure|True"
    with pytest.raises(ValueError):  # a lone % is an error, as in Jinja's own: write %%
        env.from_string('{{ _("All of it: 100%") }}').render()


def test_babel_is_only_loaded_for_another_language():
    import subprocess
    import sys

    code = ("import sys; from coalition_docs.templating import Theme; "
            "Theme('content').environment(autoescape=True).from_string('{{ _(\"Home\") }}').render(); "
            "print('babel' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _english_words(pot, where: tuple[str, ...]) -> set[str]:
    """Theme words from files under `where`, long enough not to occur in content by chance."""
    words = set()
    for message in pot:
        if not message.id or not any(loc.startswith(where) for loc, _ in message.locations):
            continue
        for text in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for piece in re.split(r"%\([a-z]+\)s|<[^>]+>", text):
                if len(piece.split()) >= 3:
                    words.add(piece.strip(" ,.:"))
    return words


@pytest.fixture(scope="module", params=["content", "tests/fixtures/minimal"])
def example_view(request):
    return public_view(load_coalition(ROOT / request.param))


@pytest.mark.parametrize("language, words", [
    ("es", ["Saltar al contenido principal", "Miembros", "Personas", "Estructura", "Cobertura"]),
    ("vi", ["Chuyển đến nội dung chính", "Thành viên", "Người tham gia", "Cơ cấu", "Phạm vi"]),
])
def test_every_site_page_speaks_the_language(pot, example_view, language, words):
    view = example_view
    theme = Theme(ROOT / "content")
    env = site_environment(theme)
    localize(env, theme, language)
    words_of = translations(theme, language).gettext
    pages = plan_site(view, words_of)  # page titles and the navigation are the plan's words
    english = _english_words(pot, ("templates/site/", "src/coalition_docs/site/"))
    assert len(english) > 50
    nav_words = {"Members", "People", "Structure", "Coverage", "Working groups", "Statements", "Home"}
    for page in pages:
        text = html.unescape(render_page(env, view, page, gettext=words_of))
        nav = re.search(r'<nav class="site-nav".*?</nav>', text, re.S).group(0)
        assert all(w in nav for w in words[1:]), page.path
        assert not [w for w in nav_words if re.search(rf">\s*{w}\s*<", nav)], page.path
        assert words[0] in text
        body = "" if page.template == "site/page.html" else text  # a Markdown page's body is content
        leftovers = [w for w in english if w in body]
        assert leftovers == [], f"{language} {page.path}: English left: {leftovers}"
        assert f'{{shown}}' not in text or "data-some=" in text


@pytest.mark.parametrize("language, dear", [("es", "Estimado/a"), ("vi", "Kính gửi")])
def test_every_document_speaks_the_language(pot, language, dear):
    from coalition_docs.documents.fill import document_environment, render_html
    from coalition_docs.documents.stage import plan_documents
    from babel.dates import format_date

    coalition = load_coalition(ROOT / "content")
    theme = Theme(ROOT / "content")
    env = document_environment(theme)
    localize(env, theme, language)
    english = _english_words(pot, ("templates/documents/",))
    assert len(english) > 40
    plan = plan_documents(coalition)
    kinds = set()
    for planned in plan.documents:
        page, problems = render_html(env, planned)
        assert problems == [] and page is not None, planned.path
        text = html.unescape(page)
        kinds.add(planned.template)
        if planned.template == "documents/agenda.html" and planned.language != language:
            continue  # an agenda prints the meeting's own texts in its language (tests/test_launch_kit.py)
        leftovers = [w for w in english if w in text]
        assert leftovers == [], f"{language} {planned.path}: English left: {leftovers}"
        if planned.template == "documents/letter.html":
            assert f"{dear} {planned.context['contact']['name']}" in text and "Dear " not in text
            due = planned.context["invitation"]["respond_by"]
            assert format_date(due, "long", locale=language) in text
    launch = {"documents/agreement.html", "documents/contacts.html"}
    if coalition.built_meetings:
        launch.add("documents/agenda.html")
    assert kinds == {"documents/letter.html", "documents/worksheet.html", "documents/statement.html",
                     "documents/envelope.html", "documents/labels.html"} | launch


def test_an_edited_catalog_renders_its_pages_again(tmp_path):
    """Page keys include the language's catalogs: an incremental build does not keep the old words."""
    import shutil

    from coalition_docs.phases import build

    shutil.copytree(ROOT / "content", tmp_path / "content")
    catalog = tmp_path / "templates" / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    _write_po(catalog, {"Skip to main content": "Ir al contenido (uno)"}, "es")
    build(tmp_path / "content", tmp_path / "out", only="site")
    spanish, english = tmp_path / "out" / "site" / "es" / "index.html", tmp_path / "out" / "site" / "index.html"
    assert "Ir al contenido (uno)" in spanish.read_text(encoding="utf-8")
    before = english.stat().st_mtime_ns
    _write_po(catalog, {"Skip to main content": "Ir al contenido (dos)"}, "es")
    build(tmp_path / "content", tmp_path / "out", only="site")
    assert "Ir al contenido (dos)" in spanish.read_text(encoding="utf-8")
    assert english.stat().st_mtime_ns == before  # the other languages' pages are reused


# ---------------------------------------------------------------- the coalition's own words are never translated


def test_a_text_the_coalition_wrote_is_never_looked_up_in_the_catalog(tmp_path, capsys):
    """A page titled "Get involved" and a custom label "Young people" are in the catalog as the theme's
    words ("Participe", "Jóvenes"); the coalition wrote them in English, so Spanish pages show them as
    written, marked lang="en"."""
    import shutil

    from coalition_docs.cli import main

    from .conftest import FIXTURES

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    coalition = content / "coalition.yaml"
    coalition.write_text(coalition.read_text(encoding="utf-8").replace(
        "  language: en\n", "  language: en\n  languages: [es]\n").replace(
        "    older-adults: Older adults\n", "    older-adults: Young people\n  areas:\n    parks: Digital access\n"),
        encoding="utf-8")
    (content / "pages" / "get-involved.md").write_text("---\ntitle: Get involved\n---\nCome along.\n",
                                                       encoding="utf-8")
    backbone = content / "partners" / "test-backbone.yaml"
    backbone.write_text(backbone.read_text(encoding="utf-8").replace("[young-people]", "[older-adults]").replace(
        "domains: [housing-stability]", "domains: [housing-stability, parks]"),
                        encoding="utf-8")
    assert main(["build", str(content), "--only", "site", "--out", str(tmp_path / "build")]) == 0
    capsys.readouterr()
    site = tmp_path / "build" / "site" / "es"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<li><a href="get-involved/"><span lang="en">Get involved</span></a></li>' in home  # the menu
    assert '<a class="button" href="get-involved/"><span lang="en">Get involved</span></a>' in home  # the call
    assert '<h2 id="involved">Participe</h2>' in home  # the theme's own heading is the theme's word
    page = (site / "get-involved" / "index.html").read_text(encoding="utf-8")
    assert "<h1><span lang=\"en\">Get involved</span></h1>" in page and "Participe" not in page.split("<main")[1]
    member = (site / "members" / "test-backbone" / "index.html").read_text(encoding="utf-8")
    assert '<li><span lang="en">Young people</span></li>' in member and "Jóvenes" not in member
    coverage = (site / "coverage" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row"><a href="../members/?area=parks"><span lang="en">Digital access</span></a></th>' in coverage
    assert '<th scope="row">Acceso digital</th>' in coverage  # the fixed area of the same English name


def test_the_translate_filter_leaves_a_text_the_coalition_wrote_alone():
    from coalition_docs.content.model import AsWritten

    translate = i18n.filters(translations(Theme(ROOT / "content"), "es"), "es")["translate"]
    assert translate("Get involved") == "Participe"  # the theme's word
    assert translate(AsWritten("Get involved", "en")) == "Get involved"
