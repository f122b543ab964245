"""The documents stage (documents/): the worksheet, the invitation letters and the statements as PDFs.

The example coalition (content/) is built once per test session; tests read the
PDFs back with pypdf and look for every personalized value of the content in
them. Expected values come from the loaded model, never from copies of the
example's text, so the example can change without breaking these tests.
"""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from babel.dates import format_date as babel_date

from coalition_docs.content import vocab
from coalition_docs.content.model import text_in
from coalition_docs.documents import stage as documents
from coalition_docs.errors import BuildError, ContentErrors
from coalition_docs.templating import Theme, format_date
from coalition_docs.content.validate import load_coalition

from .conftest import EXAMPLE, ROOT, edit, render_documents


NAMES = ("Nguyễn Thị Hương", "Ifeoma Adébáyọ̀", "Zoë Ødegård")
BLANKS = ("{{", "{%", "Dear ,", "Dear  ,", "undefined", ": ,")


def assert_no_blanks(text: str, where: str, *content_texts: str | None) -> None:
    """No template leftovers, no blank salutation, and no "None" the content did not write."""
    for bad in BLANKS:
        assert bad not in text, f"{where} shows {bad!r}"
    nones = len(re.findall(r"\bNone\b", text))
    written = sum(len(re.findall(r"\bNone\b", t)) for t in content_texts if t)
    assert nones <= written, f"{where} shows 'None'"


def partner_texts(p) -> list[str | None]:
    texts = [p.name, p.summary, p.asset_notes, p.aligned_initiatives, p.motivations, p.roles, p.considerations]
    if p.contact:
        texts += [p.contact.name, p.contact.title, p.contact.address]
    if p.invitation:
        texts += [p.invitation.rationale, p.invitation.what_is_different, p.invitation.resources_offered,
                  p.invitation.power_sharing]
    return texts


def flat(text: str) -> str:
    """Extracted text with line breaks undone: hyphens kept, other breaks as spaces."""
    text = re.sub(r"-\n(?=\S)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path) -> str:
    return flat("\n".join(page.extract_text() for page in PdfReader(path).pages))


def build(content: Path, out: Path) -> list[str]:
    coalition = load_coalition(content)
    written = documents.build_documents(coalition, Theme(content), out)
    assert written == sorted(written)
    return written


@pytest.fixture
def example(example_coalition):
    return example_coalition


@pytest.fixture
def built(example_build) -> Path:
    """The example's documents folder, built once (read only)."""
    return example_build.out / "documents"


def test_every_document_is_written(example, built):
    expected = {"worksheet.pdf"}
    letters = documents.letter_order(example)
    assert letters, "the example should invite somebody"
    expected |= {f"letters/{p.id}.pdf" for p in letters} | {"letters.pdf"}
    expected |= {f"positionality/{s.id}.pdf" for s in example.statements}
    expected |= {"envelopes.pdf", "labels.pdf"}  # tests/test_mail.py
    expected |= {f"email/{p.id}.eml" for p in letters if p.contact.email}  # tests/test_drafts.py
    expected |= {"agreement.pdf", "contacts.pdf", "contacts.vcf"}  # tests/test_launch_kit.py
    if example.built_meetings:
        expected |= {"meetings.ics"} | {f"agendas/{m.id}{'' if lang == example.language else '.' + lang}.pdf"
                                        for m in example.built_meetings for lang in m.agenda_languages}
    found = {p.relative_to(built).as_posix() for p in built.rglob("*")
             if p.is_file() and not p.relative_to(built).as_posix().startswith(".")}  # the engine's own aside
    assert found == expected
    assert {p.id for p in letters} == {p.id for p in example.partners if p.stage in ("invite", "invited")}


def test_letters_hold_every_personalized_value(example, built):
    for partner in documents.letter_order(example):
        text = pdf_text(built / "letters" / f"{partner.id}.pdf")
        inv, contact = partner.invitation, partner.contact
        language = example.letter_language(partner)

        def said(value):  # a translatable text as the letter prints it: in the letter's language
            return text_in(value, language, example.language)

        def dated(day):
            return format_date(day) if language == "en" else babel_date(day, format="long", locale=language)

        wanted = [
            contact.name,
            partner.name,
            flat(said(inv.rationale))[:60],
            example.project_manager.name,
            inv.sender.name,
            dated(example.invitation.respond_by),
            said(example.name),
        ]
        wanted += [flat(said(point.text)) for point in example.data_points]
        wanted += [flat(said(point.source)) for point in example.data_points if point.source]
        if contact.title:
            wanted.append(contact.title)
        wanted += [line.strip() for line in (contact.address or "").splitlines() if line.strip()]
        if inv.sender.title:
            wanted.append(said(inv.sender.title))
        if inv.sender.organization:
            wanted.append(inv.sender.organization.name)
        if inv.sent:
            wanted.append(dated(inv.sent))
        for key in ("what_is_different", "resources_offered", "power_sharing"):
            value = said(getattr(inv, key) or getattr(example.invitation, key))
            wanted.append(flat(re.sub(r"[*_`#>]", "", value))[:50])  # Markdown marks are not printed
        for value in wanted:
            assert value in text, f"letters/{partner.id}.pdf lacks {value!r}"
        assert_no_blanks(text, f"letters/{partner.id}.pdf", *partner_texts(partner),
                         *[t for point in example.data_points for t in (point.text, point.source)],
                         example.invitation.what_is_different, example.invitation.resources_offered,
                         example.invitation.power_sharing)


def test_partner_values_override_the_coalition_defaults(example, built):
    overridden = [
        (p, key) for p in documents.letter_order(example)
        for key in ("what_is_different", "resources_offered", "power_sharing")
        if getattr(p.invitation, key) and getattr(example.invitation, key)
        and getattr(p.invitation, key) != getattr(example.invitation, key)
    ]
    if not overridden:
        pytest.skip("the example overrides no letter default")
    for partner, key in overridden:
        text = pdf_text(built / "letters" / f"{partner.id}.pdf")
        language = example.letter_language(partner)
        assert flat(text_in(getattr(partner.invitation, key), language, example.language))[:40] in text
        assert flat(text_in(getattr(example.invitation, key), language, example.language))[:40] not in text


def test_letters_pdf_holds_every_letter_in_order(example, built):
    letters = documents.letter_order(example)
    pages = sum(len(PdfReader(built / "letters" / f"{p.id}.pdf").pages) for p in letters)
    combined = PdfReader(built / "letters.pdf")
    assert len(combined.pages) == pages
    text = pdf_text(built / "letters.pdf")
    # the salutation, in any language ("Dear Ana," "Estimado/a Ana:" "Kính gửi Ana,")
    positions = [re.search(rf"{re.escape(p.contact.name)}[,:]", text).start() for p in letters]
    assert positions == sorted(positions)


def test_worksheet_fills_all_five_parts(example, built):
    text = pdf_text(built / "worksheet.pdf")
    assert_no_blanks(text, "worksheet.pdf", *[t for p in example.partners for t in partner_texts(p)])
    # every option of every part-1 question, the coalition's needs ticked
    voc = example.vocabulary
    needs = {t.id for t in (*example.needs_populations, *example.needs_areas, *example.needs_assets)}
    for terms in (voc.populations, voc.areas, voc.assets):
        for term in terms.values():
            label = f"Other: {term.label}" if term.custom else term.label
            mark = "☑" if term.id in needs else "☐"
            assert f"{mark} {label}" in text, f"part 1 lacks {mark} {label}"
    # each partner in the right tables
    marks = ["Table 1", "Table 2", "Table 3", "Table 4", "Keep informed"]
    starts = [text.index(m + " ", text.index("PART 2") if m == "Table 1" else 0) for m in marks]
    assert starts == sorted(starts)
    section = {m: text[s:e] for m, s, e in zip(marks, starts, [*starts[1:], len(text)])}
    for p in example.partners:
        table = "Table 1" if p.relationship == "existing" else "Table 2"
        assert p.name in section[table], f"{p.name} is not in {table}"
        other = "Table 2" if table == "Table 1" else "Table 1"
        assert p.name not in section[other] or any(
            p.name != q.name and p.name in q.name for q in example.partners)
        assert p.name in section["Table 3"]
        for value in (p.aligned_initiatives, p.motivations, p.roles, p.considerations):
            if value:
                assert flat(value)[:30] in section["Table 3"]
        for term in (*p.populations, *p.domains, *p.assets):
            assert term.label.split()[0] in section[table]
        if p.gets_letter:
            assert p.name in section["Table 4"]
            if p.contact and p.contact.name:
                assert p.contact.name in section["Table 4"]
            if p.invitation and p.invitation.sender:
                assert p.invitation.sender.name in section["Table 4"]
        if p.stage == "keep-informed":
            assert p.name in section["Keep informed"]


def test_statements(example, built):
    assert example.statements, "the example should have a positionality statement"
    for statement in example.statements:
        text = pdf_text(built / "positionality" / f"{statement.id}.pdf")
        assert statement.author_name in text
        assert vocab.STATEMENT_KINDS[statement.kind] in text
        assert flat(re.sub(r"[*_`#>]", "", statement.statement))[:50] in text
        for reflection in statement.reflections:
            assert flat(reflection.prompt) in text
            assert flat(re.sub(r"[*_`#>]", "", reflection.answer))[:40] in text
        assert_no_blanks(text, f"positionality/{statement.id}.pdf", statement.statement, statement.title,
                         *[t for r in statement.reflections for t in (r.prompt, r.answer)])


def test_pdf_metadata_and_tags(example, built):
    for path in sorted(built.rglob("*.pdf")):
        reader = PdfReader(path)
        info = reader.metadata
        root = reader.trailer["/Root"]
        assert info.title, path
        assert info.get("/Author"), path
        assert "/CreationDate" not in info and "/ModDate" not in info, path
        languages = {f"letters/{p.id}.pdf": example.letter_language(p) for p in example.letter_partners}
        languages |= {f"agendas/{m.id}.{code}.pdf": code for m in example.built_meetings for code in m.languages}
        assert root["/Lang"] == languages.get(path.relative_to(built).as_posix(), example.language), path
        assert bool(root["/MarkInfo"]["/Marked"]), path
        assert "/StructTreeRoot" in root, path
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), path
        assert reader.pdf_header == "%PDF-1.7"
        xmp = root["/Metadata"].get_object().get_data()
        assert b"pdfuaid:part" in xmp and b"CreateDate" not in xmp and b"ModifyDate" not in xmp
        fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
        assert fonts and all("Noto-Sans" in f for f in fonts), fonts
    assert PdfReader(built / "letters.pdf").metadata.title == f"{example.name}: invitation letters"


@pytest.mark.slow  # every document of the example again, in another process
def test_two_builds_are_byte_identical(built, tmp_path):
    """A second build in a fresh process (other hash seed, other time) gives the same bytes."""
    out = tmp_path / "b"
    script = ("import sys; from pathlib import Path; from coalition_docs.content.validate import load_coalition; "
              "from coalition_docs.templating import Theme; from coalition_docs.documents.stage import build_documents; "
              "c = Path(sys.argv[1]); build_documents(load_coalition(c), Theme(c), Path(sys.argv[2]))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(EXAMPLE), str(out)], check=True, env=env, cwd=ROOT)
    # every file a person gets: PDFs, envelopes and labels, e-mail drafts (the engine's hidden files,
    # what it keeps for the next build, name the content's folder)
    first = sorted(p.relative_to(built).as_posix() for p in built.rglob("*")
                   if p.is_file() and not p.relative_to(built).as_posix().startswith("."))
    second = sorted(p.relative_to(out / "documents").as_posix() for p in (out / "documents").rglob("*")
                    if p.is_file() and not p.relative_to(out / "documents").as_posix().startswith("."))
    assert first == second and any(p.endswith(".eml") for p in first) and "labels.pdf" in first
    for rel in first:
        assert (built / rel).read_bytes() == (out / "documents" / rel).read_bytes(), rel


def test_names_with_diacritics_print_and_extract(content, tmp_path):
    edit(content / "partners" / "city-hall.yaml", "name: Alex Mayor", f"name: {NAMES[1]}")
    edit(content / "roster.yaml", "name: Pat Manager", f"name: {NAMES[2]}")
    edit(content / "positionality" / "team.yaml", "author: The management team", f"author: {NAMES[0]}")
    render_documents(content, tmp_path, "letters/city-hall.pdf", "positionality/team.pdf", "worksheet.pdf")
    letter = pdf_text(tmp_path / "documents" / "letters" / "city-hall.pdf")
    assert f"Dear {NAMES[1]}," in letter
    assert NAMES[2] in letter
    assert NAMES[0] in pdf_text(tmp_path / "documents" / "positionality" / "team.pdf")
    worksheet = pdf_text(tmp_path / "documents" / "worksheet.pdf")
    assert NAMES[1] in worksheet and NAMES[2] in worksheet


def test_identities_stay_out_of_the_statement(content, tmp_path):
    edit(content / "positionality" / "team.yaml", "statement: We are a team.",
         "identities:\n  age: Zyzzyva-Marker-42\nreflections:\n  - prompt: Where do we stand?\n"
         "    answer: Close to the work.\nstatement: We are a team.")
    render_documents(content, tmp_path, "positionality/team.pdf")
    text = pdf_text(tmp_path / "documents" / "positionality" / "team.pdf")
    assert "Where do we stand?" in text and "Close to the work." in text
    assert "Zyzzyva" not in text


def test_missing_letter_values_are_all_reported_and_nothing_is_written(content, tmp_path):
    edit(content / "partners" / "city-hall.yaml", "  name: Alex Mayor\n", "")
    edit(content / "partners" / "city-hall.yaml", "  rationale: You run the city.\n", "")
    edit(content / "coalition.yaml", "  resources_offered: A stipend.\n", "")
    edit(content / "coalition.yaml", "  respond_by: 2027-01-15\n", "")
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path)
    assert caught.value.report() == textwrap.dedent("""\
        coalition.yaml:18:3: partner city-hall: the letter needs invitation.respond_by
            set the date every letter asks for an answer by under invitation in coalition.yaml
        partners/city-hall.yaml:6:3: partner city-hall: the letter needs contact.name
            add name under contact in this partner's file
        partners/city-hall.yaml:12:3: partner city-hall: the letter needs invitation.rationale
            say in this partner's invitation why you invite them
        partners/city-hall.yaml:12:3: partner city-hall: the letter needs invitation.resources_offered
            write it in this partner's invitation, or give every letter a default under invitation in coalition.yaml
        4 errors found.""")
    assert not (tmp_path / "documents").exists()


def test_a_letter_without_any_invitation_reports_every_partner(content, tmp_path):
    (content / "partners" / "library.yaml").write_text(
        "name: Public Library\ntype: anchor-institution\nrelationship: new\nstage: invited\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path)
    lines = [p.format() for p in caught.value.problems]
    assert lines == [
        ("partners/library.yaml:1:1: partner library: the letter needs contact.name\n"
         "    add name under contact in this partner's file"),
        ("partners/library.yaml:1:1: partner library: the letter needs invitation.rationale\n"
         "    say in this partner's invitation why you invite them"),
        ("partners/library.yaml:1:1: partner library: the letter needs invitation.sender\n"
         "    name the person (a roster id) who signs this partner's letter"),
    ]


def test_an_override_template_that_needs_more_fails_on_the_partner(content, tmp_path):
    override = content.parent / "templates" / "documents"
    override.mkdir(parents=True)
    letter = (ROOT / "templates" / "documents" / "letter.html").read_text(encoding="utf-8")
    (override / "letter.html").write_text(letter.replace("{% endblock %}\n", "<p>{{ contact.phone }}</p>{% endblock %}\n")
                                          .replace('_("Dear %(name)s,"', '_("Hello %(name)s,"'),
                                          encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        build(content, tmp_path)
    assert [p.format() for p in caught.value.problems] == [
        ("partners/city-hall.yaml:6:3: partner city-hall: the letter needs contact.phone\n"
         "    add phone under contact in this partner's file")]
    edit(content / "partners" / "city-hall.yaml", "  email: alex@example.org\n",
         "  email: alex@example.org\n  phone: 555-0199\n")
    render_documents(content, tmp_path, "letters/city-hall.pdf")
    text = pdf_text(tmp_path / "documents" / "letters" / "city-hall.pdf")
    assert "Hello Alex Mayor," in text and "555-0199" in text


def test_a_template_typo_is_a_build_error_naming_the_template(content, tmp_path):
    override = content.parent / "templates" / "documents"
    override.mkdir(parents=True)
    (override / "statement.html").write_text(
        '{% extends "documents/base.html" %}{% block body %}{{ statement.autor }}{% endblock %}', encoding="utf-8")
    with pytest.raises(BuildError, match=r"statement\.html:1: the template asks for Statement\.autor"):
        build(content, tmp_path)


def test_an_image_that_is_no_image_is_a_content_error_before_any_pdf(content, tmp_path):
    (content / "static").mkdir()
    (content / "static" / "logo.png").write_bytes(b"not a picture")
    with pytest.raises(ContentErrors, match=r"static/logo\.png:1:1: not a PNG image"):
        build(content, tmp_path)
    assert not tmp_path.joinpath("documents").exists()


def test_a_weasyprint_error_fails_the_build(content, tmp_path):
    (content / "static").mkdir()
    (content / "static" / "logo.png").write_bytes(_png()[:33] + b"broken data")  # a PNG header, then garbage
    with pytest.raises(BuildError, match=r"letters/city-hall\.pdf: WeasyPrint could not render it"):
        render_documents(content, tmp_path, "letters/city-hall.pdf")


def _png(width: int = 4, height: int = 4) -> bytes:
    raw = b"".join(b"\x00" + b"\x1f\x5a\x7a" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def _figures(node) -> list:
    node = node.get_object()
    found = [node.get("/Alt")] if node.get("/S") == "/Figure" else []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
            found += _figures(kid)
    return found


def test_the_logo_goes_on_the_letterhead(content, tmp_path):
    (content / "static").mkdir()
    (content / "static" / "logo.png").write_bytes(_png())
    render_documents(content, tmp_path, "letters/city-hall.pdf")
    reader = PdfReader(tmp_path / "documents" / "letters" / "city-hall.pdf")
    assert len(reader.pages[0]["/Resources"]["/XObject"]) == 1
    assert _figures(reader.trailer["/Root"]["/StructTreeRoot"]) == ["Logo of the Test Mobility Coalition"]


def test_documents_fetch_nothing_from_the_network(content, tmp_path):
    edit(content / "positionality" / "team.yaml", "statement: We are a team.",
         "statement: We are a team. ![x](https://example.org/tracker.png)")
    with pytest.raises(BuildError, match="only local files"):
        render_documents(content, tmp_path, "positionality/team.pdf")
