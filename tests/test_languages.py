"""Languages (content-format v1.1): translatable fields, partner languages, page translations,
letters in the partner's language and the site in every language."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from coalition_docs.content.validate import load_coalition

from .conftest import edit, run_cli


SPANISH = {
    "name: Test Mobility Coalition": "name:\n  en: Test Mobility Coalition\n  es: Coalición de Movilidad de Prueba",
    "mission: We test things together.": "mission:\n  en: We test things together.\n  es: Probamos cosas juntos.",
    "  - text: One in four renters moved last year.\n    source: Testville Housing Survey, 2025":
        "  - text:\n      en: One in four renters moved last year.\n"
        "      es: Uno de cada cuatro inquilinos se mudó el año pasado.\n"
        "    source:\n      en: Testville Housing Survey, 2025\n      es: Encuesta de Vivienda de Testville, 2025",
    "  what_is_different: Residents decide.":
        "  what_is_different:\n    en: Residents decide.\n    es: Los residentes deciden.",
    "  resources_offered: A stipend.": "  resources_offered:\n    en: A stipend.\n    es: Un estipendio.",
    "  power_sharing: Shared chairs.": "  power_sharing:\n    en: Shared chairs.\n    es: Presidencias compartidas.",
}


def multilingual(content: Path, languages: str = "[es]") -> Path:
    """The minimal fixture published in English and `languages`, with City Hall's letter in Spanish."""
    coalition = content / "coalition.yaml"
    edit(coalition, "  language: en\n", f"  language: en\n  languages: {languages}\n")
    for old, new in SPANISH.items():
        edit(coalition, old, new)
    hall = content / "partners" / "city-hall.yaml"
    edit(hall, "  rationale: You run the city.",
         "  rationale:\n    en: You run the city.\n    es: Ustedes dirigen la ciudad.")
    hall.write_text(hall.read_text(encoding="utf-8") + "language: es\n", encoding="utf-8")
    return content


def test_v1_content_has_one_language(content):
    coalition = load_coalition(content)
    assert coalition.languages == ("en",)
    assert coalition.mission == "We test things together."


def test_a_translatable_field_reads_as_its_primary_text(content):
    coalition = load_coalition(multilingual(content))
    assert coalition.languages == ("en", "es")
    assert coalition.mission == "We test things together."
    assert coalition.mission.get("es") == "Probamos cosas juntos."
    assert coalition.partner("city-hall").language == "es"


def test_language_mistakes_are_located_with_what_to_do(content, capsys):
    multilingual(content)
    edit(content / "coalition.yaml", "  es: Probamos cosas juntos.", "  sp: Probamos cosas juntos.\n  fr: Nous.")
    edit(content / "partners" / "city-hall.yaml", "language: es", "language: vi")
    edit(content / "coalition.yaml", "    es: Un estipendio.", "    es: [Un, estipendio]")
    (content / "pages" / "about.fr.md").write_text("---\ntitle: À propos\n---\nBonjour.\n", encoding="utf-8")
    (content / "pages" / "missing.es.md").write_text("---\ntitle: Nada\n---\nNada.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert ("coalition.yaml:10:3: mission.sp: sp is not a language of the coalition (expected one of en, es, "
            "found sp)\n    did you mean one of en, es? (sp is no language code Babel knows)") in err
    assert ("coalition.yaml:11:3: mission.fr: fr is not a language of the coalition (expected one of en, es, "
            "found fr)\n    add fr to site.languages in coalition.yaml to publish in French") in err
    assert "mission: no text in the primary language" not in err  # en is there
    assert "coalition.yaml:33:9: invitation.resources_offered.es: not text (expected text, found a list)\n" in err
    assert ("partners/city-hall.yaml:17:11: language: vi is not a language of the coalition (expected one of "
            "en, es, found vi)\n    add vi to site.languages in coalition.yaml to publish in Vietnamese") in err
    assert "pages/about.fr.md:1:1: pages/about.fr.md: fr is not a language of the coalition" in err
    assert ("pages/missing.es.md:1:1: pages/missing.es.md: a translation without its page (expected "
            "pages/missing.md in the primary language, found none)") in err


def test_a_map_without_the_primary_language_is_an_error(content, capsys):
    multilingual(content)
    edit(content / "coalition.yaml", "  en: We test things together.\n", "")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert ("mission: no text in the primary language (expected a 'en' entry, found es)\n"
            "    add en: with the text in English") in err


def test_a_letter_needs_every_text_in_its_language(content, capsys):
    multilingual(content)
    edit(content / "partners" / "city-hall.yaml", "    es: Ustedes dirigen la ciudad.\n", "")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.startswith(
        "partners/city-hall.yaml:15:5: partner city-hall: the letter needs invitation.rationale in Spanish (es)\n"
        "    write it as a map with es: beside en:\n")
    assert "es: " in err  # how far the translation is, after the errors
    code, _, err = run_cli(capsys, "build", content, "--out", content.parent / "out")
    assert code == 1 and "the letter needs invitation.rationale in Spanish (es)" in err


def test_check_says_how_complete_each_language_is(content, capsys):
    multilingual(content, "[es, vi]")
    edit(content / "partners" / "city-hall.yaml", "language: es", "language: en")
    code, out, _ = run_cli(capsys, "check", content)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("no problems found (2 partners, 2 people, 1 statement, 1 page).")
    assert lines[1] == ("es: 8 of 15 texts; missing: coalition.yaml:40 working_groups[0].name; coalition.yaml:41 "
                        "working_groups[0].description; coalition.yaml:44 working_groups[0].meets; coalition.yaml:46 "
                        "meetings.management_team; roster.yaml:2 pat-manager title; and 2 more")
    assert lines[2].startswith("vi: 0 of 15 texts; missing: coalition.yaml:2 name; coalition.yaml:")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil

    from .conftest import FIXTURES

    root = tmp_path_factory.mktemp("languages")
    content = root / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    multilingual(content)
    backbone = content / "partners" / "test-backbone.yaml"
    backbone.write_text(backbone.read_text(encoding="utf-8") + "summary: We hold the coalition together.\n",
                        encoding="utf-8")
    edit(content / "roster.yaml", "    title: Director\n",  # the sender's title in Spanish, and an address to write from
         "    title:\n      en: Director\n      es: Director\n    email: pat@example.org\n")
    (content / "pages" / "about.es.md").write_text(
        "---\ntitle: Quiénes somos\n---\nSomos una coalición de [miembros](members/).\n", encoding="utf-8")
    from coalition_docs.cli import main

    assert main(["build", str(content), "--out", str(root / "out"), "-q"]) == 0
    return root / "out"


def test_the_letter_is_in_its_partners_language(built):
    reader = pypdf.PdfReader(built / "documents/letters/city-hall.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "es"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Ustedes dirigen la ciudad." in text
    assert "Uno de cada cuatro inquilinos" in text
    assert "1 de diciembre de 2026" in text  # the date, in Spanish
    assert "You run the city" not in text and "One in four renters" not in text
    # The theme's own words too: the salutation and headings come from the Spanish catalog.
    assert "Estimado/a Alex Mayor" in text and "Dear " not in text and "What the numbers tell us" not in text


def test_letters_pdf_keeps_each_letters_language(built):
    reader = pypdf.PdfReader(built / "documents/letters.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "en"
    tree = reader.trailer["/Root"]["/StructTreeRoot"]["/K"]
    document = (tree[0] if isinstance(tree, list) else tree).get_object()
    assert [(part.get_object()["/S"], part.get_object().get("/Lang")) for part in document["/K"]] == [
        ("/Part", "es")]


def test_the_site_is_published_in_every_language(built):
    site = built / "site"
    english = (site / "index.html").read_text(encoding="utf-8")
    spanish = (site / "es" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and '<html lang="es">' in spanish
    assert "Probamos cosas juntos." in spanish and "We test things together." in english
    assert 'href="../assets/style.css"' in spanish  # one copy of the assets, at the site root
    about = (site / "es" / "about" / "index.html").read_text(encoding="utf-8")
    assert "Quiénes somos" in about and 'href="../members/"' in about  # a link of the Spanish pages
    assert not (site / "es" / "404.html").exists()
    # Every page's language switcher names each language in that language.
    for page in (english, spanish, about):
        switcher = re.search(r'<nav class="language-switcher"(.*?)</nav>', page, re.S).group(1)
        assert re.findall(r'lang="([^"]+)"[^>]*>([^<]+)</a>', switcher) == [("en", "English"), ("es", "Español")]


def test_an_untranslated_text_is_marked_with_its_language(built):
    member = (built / "site" / "es" / "members" / "test-backbone" / "index.html").read_text(encoding="utf-8")
    summary = re.search(r'<div lang="en"><p>(.*?)</p>\s*</div>', member, re.S)
    assert summary is not None and summary.group(1) == "We hold the coalition together."


def test_the_sitemap_lists_every_language_of_each_page(built):
    sitemap = (built / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert ('<url><loc>https://example.org/test/members/</loc>'
            '<xhtml:link rel="alternate" hreflang="en" href="https://example.org/test/members/"/>'
            '<xhtml:link rel="alternate" hreflang="es" href="https://example.org/test/es/members/"/></url>') in sitemap


def test_report_gives_the_same_in_json(content, capsys):
    import json

    multilingual(content)
    code, out, _ = run_cli(capsys, "report", content, "--format", "json")
    assert code == 0
    (spanish,) = json.loads(out)["languages"]
    assert (spanish["language"], spanish["texts"], spanish["translated"]) == ("es", 15, 8)
    assert spanish["missing"][0] == {"file": "coalition.yaml", "line": 40, "column": 11,
                                     "field": "working_groups[0].name"}


def test_every_page_links_its_other_languages_and_they_exist(built):
    site = built / "site"
    base = "https://example.org/test/"
    pages = sorted(p for p in site.rglob("index.html"))
    assert any("/es/" in p.as_posix() for p in pages)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        alternates = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        assert set(alternates) == {"en", "es", "x-default"}, page
        for href in alternates.values():
            assert href.startswith(base) and (site / href[len(base):] / "index.html").is_file(), (page, href)
        switcher = re.search(r'<nav class="language-switcher" aria-label="[^"]+">(.*?)</nav>', html, re.S).group(1)
        links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="[^"]+"', switcher)
        assert [code for _, code in links] == ["en", "es"]
        for href, _ in links:  # relative: they work under any sub-path and from disk
            assert (page.parent / href / "index.html").resolve().is_file(), (page, href)


def test_a_language_without_a_catalog_is_located_in_coalition_yaml(content, capsys):
    multilingual(content, "[es, fy]")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    assert err.startswith(
        "coalition.yaml:14:19: site.languages[1]: the theme has no catalog for fy (Western Frisian), so its words "
        "cannot be written in it (expected one of en, es, vi, found fy)\n"
        "    add templates/locale/fy/LC_MESSAGES/messages.po beside the content folder, translated from the "
        "package's locale/messages.pot (see \"coalition-docs docs languages\", section \"The theme's words\")\n"
        "1 error found.\n")
    code, _, err = run_cli(capsys, "build", content, "--out", content.parent / "out", "--only", "site")
    assert code == 1 and "no catalog for fy" in err


def test_a_coalitions_own_catalog_adds_a_language(content, capsys):
    multilingual(content, "[es, fy]")
    catalog = content.parent / "templates" / "locale" / "fy" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "messages.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                         'msgid "Members"\nmsgstr "Leden"\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "build", content, "--out", content.parent / "out", "--only", "site", "-q")
    assert (code, err) == (0, "")
    assert ">Leden</a>" in (content.parent / "out" / "site" / "fy" / "index.html").read_text(encoding="utf-8")


def test_spreadsheets_carry_a_column_per_language(content, capsys, tmp_path):
    import csv

    multilingual(content)
    edit(content / "partners" / "test-backbone.yaml", "stage: member",
         "stage: member\nsummary:\n  en: We convene.\n  es: Convocamos.")
    sheet = tmp_path / "inventory.csv"
    assert run_cli(capsys, "export", "--content", content, "--output", sheet)[0] == 0
    rows = list(csv.DictReader(sheet.open(encoding="utf-8", newline="")))
    backbone = next(row for row in rows if row["ID"] == "test-backbone")
    assert (backbone["Summary"], backbone["Summary (es)"]) == ("We convene.", "Convocamos.")

    # Into a folder without the partner: the file gets both languages back.
    (content / "partners" / "test-backbone.yaml").rename(tmp_path / "kept.yaml")
    code, _, err = run_cli(capsys, "import", sheet, "--content", content)
    assert (code, err) == (0, "")
    assert load_coalition(content).partner("test-backbone").summary.translations == {
        "en": "We convene.", "es": "Convocamos."}

    # A sheet with only the primary language's column keeps the file's translations.
    only_english = tmp_path / "english.csv"
    with only_english.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Organization name", "Type of organization", "Relationship", "Summary"])
        writer.writerow(["Test Backbone", "Nonprofit", "existing", "We convene people."])
    assert run_cli(capsys, "import", only_english, "--content", content, "--force")[0] == 0
    assert load_coalition(content).partner("test-backbone").summary.translations == {
        "en": "We convene people.", "es": "Convocamos."}

    # An empty cell in a language's column removes that translation.
    with only_english.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Organization name", "Type of organization", "Relationship", "Summary", "Summary (es)"])
        writer.writerow(["Test Backbone", "Nonprofit", "existing", "We convene people.", ""])
    assert run_cli(capsys, "import", only_english, "--content", content, "--force")[0] == 0
    summary = load_coalition(content).partner("test-backbone").summary
    assert summary == "We convene people." and summary.translations == {"en": "We convene people."}


def test_the_e_mail_draft_speaks_its_letters_language(built):
    import email
    import email.policy

    drafts = sorted(p.name for p in (built / "documents" / "email").glob("*.eml"))
    assert drafts == ["city-hall.eml"], drafts  # the Spanish letter's draft
    message = email.message_from_bytes((built / "documents/email/city-hall.eml").read_bytes(),
                                       policy=email.policy.default)
    assert message["Subject"] == "Invitación a sumarse a la Coalición de Movilidad de Prueba"
    body = message.get_body(("plain",)).get_content()
    assert body.splitlines()[0] == "Estimado/a Alex Mayor:" and "Le escribo en nombre de la" in body
    assert "Dear " not in body and "Would you let us know" not in body


def test_a_page_title_that_happens_to_be_a_theme_word_is_not_translated(content, tmp_path):
    # "Get involved" is also in the theme's catalog ("Participe"); a coalition's own page of that
    # title, not translated into Spanish, keeps its English title on the Spanish site.
    from coalition_docs.phases import build

    multilingual(content)
    (content / "pages" / "join.md").write_text("---\ntitle: Get involved\n---\nCome to a meeting.\n",
                                               encoding="utf-8")
    build(content, tmp_path / "out", only="site", jobs=1)
    spanish = (tmp_path / "out" / "site" / "es" / "join" / "index.html").read_text(encoding="utf-8")
    assert "Participe" not in spanish
    assert "<title>Get involved · " in spanish
    assert re.search(r'<a href="[^"]*join/"[^>]*><span lang="en">Get involved</span></a>', spanish)
    # The site's own words are still in Spanish.
    assert ">Miembros</a>" in spanish


def test_a_translation_file_with_a_code_that_is_no_language_is_one_error(content, capsys):
    (content / "pages" / "about.e$.md").write_text("---\ntitle: About\n---\nHi.\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "check", content)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("pages/about.e$.md")]
    assert lines == ["pages/about.e$.md:1:1: pages/about.e$.md: e$ is not a language of the coalition "
                     "(expected one of en, found e$)"]


def test_an_untranslated_page_title_in_the_menu_names_its_language(tmp_path):
    # WCAG 3.1.2 (language of parts): the example's "About the coalition" has no Spanish version,
    # so the Spanish menu shows it as written, marked as English.
    from coalition_docs.phases import build

    from .conftest import EXAMPLE

    build(EXAMPLE, tmp_path / "out", only="site", jobs=1)
    spanish = (tmp_path / "out" / "site" / "es" / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="site-nav".*?</nav>', spanish, re.S).group(0)
    assert re.search(r'<a href="[^"]*about/"[^>]*><span lang="en">About the coalition</span></a>', nav), nav
    assert re.search(r'<a href="[^"]*get-involved/"[^>]*>Participe</a>', nav)  # translated: no mark
    assert ">Miembros</a>" in nav  # the theme's own words


def test_a_translation_in_a_list_is_named_with_its_index(content):
    from coalition_docs.content.validate import load_coalition
    from coalition_docs.errors import ContentErrors

    edit(content / "roster.yaml", "    title: Director", "    title:\n      en: Director\n      es: Directora")
    with pytest.raises(ContentErrors) as caught:
        load_coalition(content)
    assert caught.value.problems[0].format().startswith(
        "roster.yaml:7:7: people[0].title.es: es is not a language of the coalition (expected one of en, found es)")


def test_a_letters_page_footer_is_in_its_language(built):
    reader = pypdf.PdfReader(built / "documents/letters/city-hall.pdf")
    assert len(reader.pages) >= 2, "the letter's later pages carry the footer"
    pages = [page.extract_text() for page in reader.pages]
    assert f"Para Alex Mayor · página 2 de {len(pages)}" in pages[1]
    assert "To Alex Mayor" not in "".join(pages) and "página 1 de" not in pages[0]  # a clean first page
