"""E-mail drafts of the letters (documents/drafts.py): OUT/documents/email/PARTNER-ID.eml.

Each draft is read back with Python's `email` package, as a mail program would;
expected values come from the loaded content.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from coalition_docs.cli import main
from coalition_docs.content.validate import load_coalition
from coalition_docs.documents.drafts import from_person
from coalition_docs.documents.stage import build_documents, letter_order
from coalition_docs.phases import build
from coalition_docs.errors import BuildError
from coalition_docs.templating import Theme

from .conftest import EXAMPLE, FIXTURES, ROOT, edit, render_documents
from .test_documents import built, example  # noqa: F401 - the example's documents, built once



def read(path: Path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_a_draft_for_every_letter_whose_contact_has_an_address(example, built):
    order = letter_order(example)
    wanted = {p.id for p in order if p.contact and p.contact.email}
    assert 0 < len(wanted) < len(order)  # the example has a letter without an e-mail address, too
    assert {p.stem for p in (built / "email").glob("*.eml")} == wanted


def test_a_draft_parses_and_attaches_the_letter_byte_for_byte(example, built):
    for partner in letter_order(example):
        path = built / "email" / f"{partner.id}.eml"
        if not path.exists():
            continue
        message = read(path)
        assert message["X-Unsent"] == "1"
        sender = from_person(example, partner)
        assert message["From"].addresses[0].addr_spec == sender.email
        assert message["From"].addresses[0].display_name == sender.name
        assert message["To"].addresses[0].addr_spec == partner.contact.email
        assert message["To"].addresses[0].display_name == partner.contact.name
        language = example.letter_language(partner)
        name = example.name.get(language) if hasattr(example.name, "get") and example.name.get(language) else example.name
        assert name in message["Subject"]
        assert message["Date"] is None  # no clock dates: the mail program dates it when it sends it
        assert re.fullmatch(r"<[0-9a-f]{32}@[^>]+>", message["Message-ID"])
        text = message.get_body(preferencelist=("plain",))
        assert text["Content-Language"] == language  # the letter's language
        body = text.get_content()
        dear = {"en": "Dear {},", "es": "Estimado/a {}:", "vi": "Kính gửi {},"}[language]  # in the letter's language
        assert dear.format(partner.contact.name) in body and partner.name in " ".join(body.split())
        assert sender.name in body
        attachments = list(message.iter_attachments())
        assert len(attachments) == 1 and attachments[0].get_content_type() == "application/pdf"
        assert attachments[0].get_filename() == f"{partner.id}.pdf"
        assert attachments[0].get_content() == (built / "letters" / f"{partner.id}.pdf").read_bytes()
        assert b"\r\n" in path.read_bytes() and b"\n" not in path.read_bytes().replace(b"\r\n", b"")


def test_the_sender_is_the_letters_signer_else_the_project_manager(example, built):
    for partner in letter_order(example):
        signer = partner.invitation.sender
        assert from_person(example, partner) is (signer if signer.email else example.project_manager)


@pytest.mark.slow  # every document of the example again, in another process
def test_drafts_are_the_same_bytes_in_another_process(built, tmp_path):
    """A second build in a fresh process (other hash seed, other time) writes the same drafts."""
    script = ("import sys; from pathlib import Path; from coalition_docs.content.validate import load_coalition; "
              "from coalition_docs.templating import Theme; from coalition_docs.documents.stage import build_documents; "
              "c = Path(sys.argv[1]); build_documents(load_coalition(c), Theme(c), Path(sys.argv[2]))")
    env = {**os.environ, "PYTHONHASHSEED": "4321"}
    subprocess.run([sys.executable, "-c", script, str(EXAMPLE), str(tmp_path)], check=True, env=env, cwd=ROOT)
    first = sorted(p.name for p in (built / "email").glob("*.eml"))
    assert first and first == sorted(p.name for p in (tmp_path / "documents" / "email").glob("*.eml"))
    for name in first:
        assert (built / "email" / name).read_bytes() == (tmp_path / "documents" / "email" / name).read_bytes()


def test_the_build_lists_letters_without_an_e_mail_address(example, example_copy, capsys):
    missing = [p for p in letter_order(example) if not (p.contact and p.contact.email)]
    assert missing
    content, out = example_copy  # built once already: an edited letter is what this build renders
    edit(content / "partners" / "cafe-nandu-workers-cooperative.yaml",
         "Café Ñandú demuestra cada sábado", "Café Ñandú demuestra todos los sábados")
    assert main(["build", str(content), "--out", str(out), "--only", "documents"]) == 0
    captured = capsys.readouterr()
    for partner in missing:
        assert re.search(rf"^partners/{partner.id}\.yaml:\d+:\d+: warning: {partner.id} has no e-mail address "
                         r"\(contact\.email\): its letter gets no e-mail draft$", captured.err, re.M), captured.err
    drafts = len(list((out / "documents" / "email").glob("*.eml")))
    assert f" and {drafts} e-mail drafts into " in captured.out, captured.out


def sender_email(content: Path) -> None:
    """The minimal fixture's project manager (who signs its letter) with an e-mail address."""
    edit(content / "roster.yaml", "    title: Director\n", "    title: Director\n    email: pat@example.org\n")


@pytest.fixture(scope="module")
def drafted_build(tmp_path_factory) -> Path:
    """The minimal fixture with `sender_email`, its documents built once (read only)."""
    root = tmp_path_factory.mktemp("drafted")
    shutil.copytree(FIXTURES / "minimal", root / "content")
    sender_email(root / "content")
    build(root / "content", root / "out", only="documents", jobs=1)
    return root


@pytest.fixture
def drafted(drafted_build, tmp_path) -> tuple[Path, Path]:
    """A copy of `drafted_build` for a test to edit and build again: its content folder and output.
    (The minimal fixture has no logo: nothing of its build depends on the folder's place.)"""
    shutil.copytree(drafted_build, tmp_path / "drafted", symlinks=True)
    return tmp_path / "drafted" / "content", tmp_path / "drafted" / "out"


@pytest.mark.slow  # letters and drafts built
def test_no_draft_when_neither_the_sender_nor_the_project_manager_has_an_address(content, tmp_path, capsys):
    assert main(["build", str(content), "--out", str(tmp_path / "out"), "--only", "documents", "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert not (tmp_path / "out" / "documents" / "email").exists()
    assert re.search(r"^partners/city-hall\.yaml:\d+:\d+: warning: neither the sender of city-hall's letter nor "
                     r"the project manager has an email in roster\.yaml: its letter gets no e-mail draft$", err, re.M), err


def test_an_edited_letter_rewrites_its_draft_and_only_it(drafted):
    content, out = drafted
    draft = out / "documents" / "email" / "city-hall.eml"
    before = draft.read_bytes()
    edit(content / "partners" / "city-hall.yaml", "You run the city.", "You run the whole city.")
    result = build(content, out, only="documents", jobs=1)
    assert "documents/email/city-hall.eml" in result.rendered
    after = draft.read_bytes()
    assert after != before
    message = read(draft)
    assert next(message.iter_attachments()).get_content() == (
        out / "documents" / "letters" / "city-hall.pdf").read_bytes()
    assert read(draft)["Message-ID"] != message_from_bytes(before, policy=policy.default)["Message-ID"]
    # nothing changed: the draft is reused as it is
    edit(content / "pages" / "about.md", "\n", "\n\n")
    result = build(content, out, only="documents", jobs=1)
    assert "documents/email/city-hall.eml" not in result.rendered and draft.read_bytes() == after


def test_a_contact_without_an_e_mail_address_gets_no_draft(content, tmp_path):
    sender_email(content)
    edit(content / "partners" / "city-hall.yaml", "  email: alex@example.org\n", "")
    written = render_documents(content, tmp_path / "out", "letters/city-hall.pdf")
    assert "letters/city-hall.pdf" in written and not any(p.startswith("email/") for p in written)


@pytest.mark.slow  # letters and drafts built twice
def test_an_override_of_the_e_mail_template_is_used_and_its_mistakes_are_located(content, tmp_path):
    sender_email(content)
    templates = content.parent / "templates" / "documents"
    templates.mkdir(parents=True)
    (templates / "email.txt").write_text(
        "{% block subject %}Join {{ coalition.name }}, {{ contact.name }}{% endblock %}\n"
        "{% block body %}Hello {{ contact.name }}: see the letter. {{ sender.name }}{% endblock %}\n",
        encoding="utf-8")
    build_documents(load_coalition(content), Theme(content), tmp_path / "out")
    message = read(tmp_path / "out" / "documents" / "email" / "city-hall.eml")
    assert message["Subject"] == "Join Test Mobility Coalition, Alex Mayor"
    assert message.get_body().get_content().strip() == "Hello Alex Mayor: see the letter. Pat Manager"

    (templates / "email.txt").write_text("{% block subject %}Hi{% endblock %}\n{% block body %}\n{{ contact.nickname }}"
                                         "{% endblock %}\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_documents(load_coalition(content), Theme(content), tmp_path / "out2")
    assert re.search(r"email\.txt:3: .*nickname", str(caught.value)), str(caught.value)


def test_an_address_edit_makes_the_letter_its_draft_the_envelopes_and_the_labels_again(drafted):
    content, out = drafted
    edit(content / "partners" / "city-hall.yaml", "    1 Main St\n", "    2 Main St\n")
    result = build(content, out, only="documents", jobs=1)
    assert {p for p in result.rendered if "/." not in p} == {f"documents/{p}" for p in (
        "letters/city-hall.pdf", "letters.pdf", "envelopes.pdf", "labels.pdf", "email/city-hall.eml",
        "contacts.pdf", "contacts.vcf")}  # the contact sheet prints the partner's address too


def test_an_address_no_header_can_hold_is_a_warning_and_a_name_on_two_lines_is_refused(content, tmp_path, capsys):
    sender_email(content)
    edit(content / "partners" / "city-hall.yaml", "  email: alex@example.org", "  email: alex<x@example.org")
    assert main(["build", str(content), "--out", str(tmp_path / "out"), "--only", "documents", "-j", "1"]) == 0
    err = capsys.readouterr().err
    assert not (tmp_path / "out" / "documents" / "email").exists()
    assert re.search(r"^partners/city-hall\.yaml:\d+:\d+: warning: city-hall's contact\.email cannot be written "
                     r"in an e-mail header \(expected a plain ASCII address such as name@example\.org, found "
                     r"'alex<x@example\.org'\): its letter gets no e-mail draft$", err, re.M), err

    edit(content / "partners" / "city-hall.yaml", "  email: alex<x@example.org", "  email: alex@example.org")
    edit(content / "partners" / "city-hall.yaml", "  name: Alex Mayor", "  name: \"Alex\\r\\nBcc: x@example.org\"")
    assert main(["build", str(content), "--out", str(tmp_path / "out"), "--only", "documents", "-j", "1"]) == 1
    assert capsys.readouterr().err.startswith(
        "partners/city-hall.yaml:6:9: contact.name: this field prints on one line (expected one line of text, "
        "found a line break)\n")
    assert not (tmp_path / "out" / "documents" / "email").exists()
