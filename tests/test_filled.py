"""Each document's filled HTML is kept from one build for the next (documents/filled.py).

A build fills again only the documents whose inputs changed: what a letter
shows follows every edit of its content and of the theme, and a value a letter
lacks is reported by `build` and `check` as if nothing had been kept.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from markupsafe import Markup
from pypdf import PdfReader

from coalition_docs.documents import fill, filled
from coalition_docs.documents.plan import DocumentPlan, Fields, PlannedDocument
from coalition_docs.errors import ContentErrors
from coalition_docs.phases import build
from coalition_docs.templating import Theme

from .conftest import EXAMPLE, edit, run_cli

CAFE = "partners/cafe-nandu-workers-cooperative.yaml"  # its letter is in Spanish


def letter_text(out: Path, partner: str) -> str:
    reader = PdfReader(out / "documents" / "letters" / f"{partner}.pdf")
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def filling(monkeypatch) -> list[str]:
    """The paths of the documents a build fills with Jinja."""
    filled_paths: list[str] = []
    real = fill.render_html
    monkeypatch.setattr(fill, "render_html",
                        lambda env, planned: filled_paths.append(planned.path) or real(env, planned))
    return filled_paths


def test_an_edit_fills_again_only_the_letter_it_changes(example_copy, filling):
    content, out = example_copy
    edit(content / CAFE, "cómo es la propiedad compartida", "cómo se vive la propiedad compartida")
    build(content, out, only="documents", jobs=1)
    assert "cómo se vive la propiedad compartida" in letter_text(out, "cafe-nandu-workers-cooperative")
    letters = [path for path in filling if path.startswith("letters/")]
    assert letters == ["letters/cafe-nandu-workers-cooperative.pdf"]


def test_an_edit_writes_again_only_the_e_mail_draft_it_changes(example_copy, monkeypatch):
    from coalition_docs.documents import drafts

    blocks: list[str] = []
    real = drafts._block
    monkeypatch.setattr(drafts, "_block", lambda template, name, context: blocks.append(
        context["partner"]["id"]) or real(template, name, context))
    content, out = example_copy
    edit(content / "partners" / "marlow-falls-community-college.yaml", "name: Marcus Oyelaran", "name: Marcus Oye")
    build(content, out, only="documents", jobs=1)
    message = (out / "documents" / "email" / "marlow-falls-community-college.eml").read_text(encoding="utf-8")
    assert "Dear Marcus Oye," in message and "To: Marcus Oye <moyelaran@mfcc.example.edu>" in message
    assert set(blocks) == {"marlow-falls-community-college"}  # its subject and body; the others kept


def test_a_value_a_kept_letter_now_lacks_is_reported_by_build_and_check(example_copy, filling, capsys):
    content, out = example_copy
    edit(content / CAFE, "  name: Inés Carvajal Rojas\n", "")
    with pytest.raises(ContentErrors) as refused:
        build(content, out, jobs=1)
    said = [p.format() for p in refused.value.problems]
    assert any(re.match(rf"{re.escape(CAFE)}:\d+:\d+: partner cafe-nandu-workers-cooperative: the letter needs "
                        r"contact\.name", line) for line in said), said
    code, printed, errors = run_cli(capsys, "check", content)
    assert code == 1 and "partner cafe-nandu-workers-cooperative: the letter needs contact.name" in printed + errors


def test_a_theme_override_of_a_template_the_letters_extend_fills_every_letter_again(example_copy, filling):
    content, out = example_copy
    override = content.parent / "templates" / "documents" / "base.html"  # letter.html extends it
    override.parent.mkdir(parents=True)
    default = (Theme(EXAMPLE).default_dir / "documents" / "base.html").read_text(encoding="utf-8")
    override.write_text(default.replace("{% block body %}", "<p>Overridden by the theme.</p>{% block body %}", 1),
                        encoding="utf-8")
    build(content, out, only="documents", jobs=1)
    assert "Overridden by the theme." in letter_text(out, "cafe-nandu-workers-cooperative")
    assert len([path for path in filling if path.startswith("letters/")]) == len(
        list((out / "documents" / "letters").glob("*.pdf")))


def test_a_site_template_override_fills_no_document_again(example_copy, filling):
    content, out = example_copy
    override = content.parent / "templates" / "site" / "member.html"
    override.parent.mkdir(parents=True)
    override.write_text((Theme(EXAMPLE).default_dir / "site" / "member.html").read_text(encoding="utf-8")
                        + "\n{# overridden #}\n", encoding="utf-8")
    build(content, out, jobs=1)
    assert [path for path in filling if path.startswith("letters/")] == []


def test_a_damaged_file_of_kept_html_costs_only_time(example_copy, filling):
    content, out = example_copy
    (out / "documents" / ".pieces" / filled.FILLED).write_bytes(b"\x00not kept html")
    edit(content / CAFE, "cómo es la propiedad compartida", "cómo se vive la propiedad compartida")
    build(content, out, only="documents", jobs=1)
    assert "cómo se vive la propiedad compartida" in letter_text(out, "cafe-nandu-workers-cooperative")
    assert len([path for path in filling if path.startswith("letters/")]) > 1


def keys(*contexts) -> list[str | None]:
    plan = DocumentPlan(tuple(PlannedDocument(f"letters/{i}.pdf", "documents/letter.html", context)
                              for i, context in enumerate(contexts)), ())
    found = filled.fill_keys(plan, filled.Kept(Theme(EXAMPLE), "tool", None, "documents/.pieces"))
    return [found.get(f"letters/{i}.pdf") for i in range(len(contexts))]


def test_a_document_is_keyed_by_every_value_of_its_context():
    def partner(name: str, prefix: str = "partner") -> Fields:
        return Fields(prefix, {"name": name, "since": dt.date(2026, 1, 2)})

    found = keys({"partner": partner("Café"), "points": [1, 2.5, None]},
                 {"partner": partner("Café"), "points": [1, 2.5, None]},  # equal values: the same key
                 {"partner": partner("Café"), "points": [1, 2.5, ""]},
                 {"partner": partner("Café", "contact"), "points": [1, 2.5, None]},
                 {"partner": partner(Markup("Café")), "points": [1, 2.5, None]})
    assert found[0] is not None and found[0] == found[1]
    assert len(set(found[1:])) == 4


def test_a_context_that_is_not_plain_data_is_filled_every_build():
    aware = dt.datetime(2026, 5, 1, 9, tzinfo=zoneinfo.ZoneInfo("America/Chicago"))
    cyclic: dict = {}
    cyclic["self"] = cyclic
    found = keys({"when": aware}, {"theme": Theme(EXAMPLE)}, cyclic, {"when": aware.replace(tzinfo=None)})
    assert found[:3] == [None, None, None] and found[3] is not None
