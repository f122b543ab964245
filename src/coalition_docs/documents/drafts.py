"""E-mail drafts of the letters: OUT/documents/email/PARTNER-ID.eml, ready to send.

For each letter whose contact has an e-mail address, a draft that a mail
program opens ready to send (`X-Unsent: 1`: Outlook, Apple Mail and
Thunderbird open it as a new message): From the sender's address in
roster.yaml (the partner's `invitation.sender`, else the project manager),
To the contact, a subject naming the coalition, a short plain-text body in the
letter's language (the subject and body blocks of
templates/documents/email.txt) and the letter's PDF attached byte for byte.

Same content, same bytes: no Date header (the mail program dates a message
when it sends it), and the MIME boundary and the Message-ID are derived from a
hash of the draft's content; lines end in CRLF (policy SMTP), and the file is
7-bit clean (a body with non-ASCII names is quoted-printable).
"""

from __future__ import annotations

import hashlib
from dataclasses import astuple, dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import jinja2

from coalition_docs.content import model
from coalition_docs.documents.filled import Kept
from coalition_docs.documents.plan import Fields
from coalition_docs.errors import BuildError
from coalition_docs.templating import Theme, template_location

DRAFTS_FOLDER = "email"  # OUT/documents/email/PARTNER-ID.eml
EMAIL_TEMPLATE = "documents/email.txt"
# RFC 5322 with CRLF line ends, and 7-bit clean: non-ASCII text is quoted-printable, not raw 8-bit.
POLICY = policy.SMTP.clone(cte_type="7bit")


@dataclass(frozen=True)
class Draft:
    partner: str  # the partner's id
    letter: str  # the letter's PDF, relative to OUT/documents
    sender: tuple[str, str]  # (name, address)
    recipient: tuple[str, str]
    subject: str
    body: str
    language: str
    filename: str  # the attachment's name

    @property
    def path(self) -> str:
        return f"{DRAFTS_FOLDER}/{self.partner}.eml"


def usable(address: str | None) -> bool:
    """Whether `address` can stand in a From or To header as written: one plain ASCII address."""
    if not address or not address.isascii():
        return False
    try:
        return Address(addr_spec=address).addr_spec == address
    except (ValueError, IndexError):
        return False


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def from_person(coalition: model.Coalition, partner: model.Partner) -> model.Person | None:
    """Who the draft is from: the letter's sender if they have an address, else the project manager."""
    sender = partner.invitation.sender if partner.invitation else None
    for person in (sender, coalition.project_manager):
        if person is not None and usable(person.email):
            return person
    return None


def _said(value: str | None, language: str) -> str | None:
    """A translatable text in `language` where it is written in it, else as written."""
    if isinstance(value, model.Text) and value.get(language):
        return value.get(language)
    return str(value) if value else None


def _person(prefix: str, person: model.Person, language: str) -> Fields:
    values = {"name": person.name, "title": _said(person.title, language), "email": person.email,
              "organization": person.organization.name if person.organization else None}
    return Fields(prefix, {key: value for key, value in values.items() if value})


def _context(coalition: model.Coalition, partner: model.Partner, sender: model.Person, language: str) -> dict:
    contact = partner.contact or model.Contact()
    invitation = {"respond_by": coalition.invitation.respond_by,
                  "date": (partner.invitation.sent if partner.invitation else None) or coalition.invitation.date}
    return {
        "language": language,
        "coalition": Fields("coalition", {"name": _said(coalition.name, language),
                                          "community": _said(coalition.community, language)}),
        "partner": Fields("partner", {"id": partner.id, "name": partner.name}),
        "contact": Fields("contact", {k: v for k, v in (("name", contact.name), ("title", contact.title)) if v}),
        "invitation": Fields("invitation", {k: v for k, v in invitation.items() if v}),
        "sender": _person("sender", sender, language),
        "project_manager": _person("project_manager", coalition.project_manager, language),
    }


def _block(template: jinja2.Template, name: str, context: dict) -> str:
    if name not in template.blocks:
        raise BuildError(f"{template.filename or EMAIL_TEMPLATE}: the template has no {{% block {name} %}} "
                         "(expected a subject block and a body block)")
    try:
        return "".join(template.blocks[name](template.new_context(context)))
    except Exception:
        template.environment.handle_exception()  # re-raised with the template's own line numbers
        raise


def plan_drafts(coalition: model.Coalition, theme: Theme, order: list[model.Partner],
                kept: Kept | None = None) -> list[Draft]:
    """A draft for every letter of `order` whose contact has an e-mail address and whose sender
    (or project manager) has one too. Raises BuildError for a template that fails. `kept`: the
    subjects and bodies the last build filled (filled.py), by key; what this one fills is added."""
    with_address = [p for p in order if p.contact and usable(p.contact.email) and from_person(coalition, p)]
    if not with_address:
        return []
    from coalition_docs import i18n

    templates: dict[str, jinja2.Template] = {}
    drafts = []
    try:
        for partner in with_address:
            language = coalition.letter_language(partner)  # the draft speaks its letter's language
            if language not in templates:
                env = theme.environment(autoescape=False)
                if kept is not None:
                    env.loaded = kept.loaded  # the templates it looks up, for the next build's keys
                i18n.localize(env, theme, language)  # the theme's words and dates in it
                templates[language] = env.get_template(EMAIL_TEMPLATE)
            template = templates[language]
            sender = from_person(coalition, partner)
            context = _context(coalition, partner, sender, language)
            key = kept.key(EMAIL_TEMPLATE, language, context) if kept is not None else None
            if kept is not None and (found := kept.get(key)) is not None:
                subject, body = found
            else:
                subject = " ".join(_block(template, "subject", context).split())
                body = _block(template, "body", context).strip("\n") + "\n"
            if kept is not None:
                kept.keep(key, subject, body)
            drafts.append(Draft(partner.id, f"letters/{partner.id}.pdf", (one_line(sender.name), sender.email),
                                (one_line(partner.contact.name), partner.contact.email), subject, body,
                                language, f"{partner.id}.pdf"))
    except jinja2.TemplateError as exc:
        raise BuildError(f"{template_location(exc, EMAIL_TEMPLATE)}: {exc}") from None
    return drafts


def draft_warnings(coalition: model.Coalition, order: list[model.Partner]) -> list[str]:
    """The letters that get no e-mail draft, and why."""
    warnings = []
    for partner in order:
        if not (partner.contact and partner.contact.email):
            warnings.append(f"{partner.position('contact.email')}: warning: {partner.id} has no e-mail address "
                            "(contact.email): its letter gets no e-mail draft")
        elif not usable(partner.contact.email):
            warnings.append(f"{partner.position('contact.email')}: warning: {partner.id}'s contact.email cannot be "
                            "written in an e-mail header (expected a plain ASCII address such as "
                            f"name@example.org, found {partner.contact.email!r}): its letter gets no e-mail draft")
        elif from_person(coalition, partner) is None:
            warnings.append(f"{partner.position('invitation.sender')}: warning: neither the sender of "
                            f"{partner.id}'s letter nor the project manager has an email in roster.yaml: "
                            "its letter gets no e-mail draft")
    return warnings


def draft_bytes(draft: Draft, attachment: bytes) -> bytes:
    """The draft as an RFC 5322 message (CRLF line ends), the same bytes for the same content."""
    message = EmailMessage(policy=POLICY)
    message["From"] = Address(draft.sender[0], addr_spec=draft.sender[1])
    message["To"] = Address(draft.recipient[0], addr_spec=draft.recipient[1])
    message["Subject"] = draft.subject
    message["X-Unsent"] = "1"
    message.set_content(draft.body)
    message["Content-Language"] = draft.language  # the text's language (it moves into the text part)
    message.add_attachment(attachment, maintype="application", subtype="pdf", filename=draft.filename)
    digest = hashlib.sha256(b"\0".join([repr(astuple(draft)).encode(), attachment])).hexdigest()
    domain = draft.sender[1].rpartition("@")[2] or "coalition-docs.invalid"
    message["Message-ID"] = f"<{digest[:32]}@{domain}>"
    message.set_boundary(f"coalition-docs-{digest[32:56]}")
    return message.as_bytes(policy=POLICY)


def write_draft(root: Path, path: str, draft: Draft, documents: str) -> None:
    """An engine render: the draft at root/path, attaching root/documents/letter (made first)."""
    attachment = (Path(root) / documents / draft.letter).read_bytes()
    (Path(root) / path).write_bytes(draft_bytes(draft, attachment))
