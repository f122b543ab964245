"""The allow-list: the only view of a coalition that the site's templates see.

`public_view(coalition)` copies what the content format's "What is public"
section names, and nothing else. The schema marks those fields
(`Public[...]` in content/schema.py); each public record below holds the
marked fields of its file (records.py, `public=True`) and `_Texts.copy`
copies them in the view's language. A field the schema does not mark never
reaches the site; a marked reference (a lead, an organization, an author) is
never copied whole: the record says what of it is shown.

- the coalition's name, community, mission, decision model, meeting rhythm,
  working groups (name, description, areas, meets; the lead only if public)
  and the convener's name;
- partners whose stage is `member`: name, type, website, summary,
  populations, domains, assets;
- people whose `public` is true: name, title, pronouns, bio, organization
  name, roles, working groups, champion;
- statements whose `public` is true: kind, title, statement, and the author's
  name when the author is a public person, a member organization, or a team;
- pages that are not drafts, and the files of `static/`;
- v1.2: public meetings that are not drafts, the time zone, and the
  agreement's norms and decisions (public_meetings.py).

The public objects are frozen and hold no reference back into the model, so a
template cannot walk from a public object to a private one. Two choices where
the contract leaves room, both on the side of privacy:

- A public person's organization is named only when it is a member: a partner
  that is not a member does not appear on the site at all.
- The ids that become URLs and anchors are those of things already public
  (members, public people, working groups, pages). A public statement whose
  author is not named is anchored by its position, not by its file name,
  because a file name may carry the author's name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from coalition_docs.content import model, records, vocab
from coalition_docs.content.records import record
from coalition_docs.site.public_meetings import PublicMeeting, public_meetings

T = TypeVar("T")


class Fallback(model.AsWritten):
    """A text shown in the primary language because it has no translation; `language` says which.

    Templates mark it (`lang` on the element) so that screen readers read it in its own language;
    like any text the coalition wrote, it never goes through the theme's catalog.
    """


class _Texts:
    """Translatable values and vocabulary labels in one language of the site."""

    def __init__(self, coalition: model.Coalition, language: str | None, label: Callable[[str], str] | None):
        self.primary = coalition.language or "en"
        self.language = language or self.primary
        self.label = label or (lambda text: text)
        # Each vocabulary term is shown the same wherever it is: one PublicTerm for each (a thousand
        # members name some ten thousand terms; a page's key hashes each once).
        self._terms: dict[model.Term, PublicTerm] = {}

    def __call__(self, value: str | None) -> str | None:
        if value is None:
            return None
        text = model.text_in(value, self.language, self.primary)
        return text if text is not None else Fallback(str(value), self.primary)

    def term(self, term: model.Term) -> "PublicTerm":
        shown = self._terms.get(term)
        if shown is None:
            shown = self._terms[term] = PublicTerm(term.id, term.label if term.custom else self.label(term.label),
                                                   vocab.PILLAR_OF_AREA.get(term.id))
        return shown

    def terms(self, terms: Iterable[model.Term]) -> tuple["PublicTerm", ...]:
        return tuple(self.term(t) for t in terms)

    def copy(self, kind: type[T], record: Any, **own: Any) -> T:
        """The public record `kind` of a model record: its public fields in this language, and `own`."""
        values = dict(own)
        for name, how, _ in records.how(kind):
            if name in own:
                continue
            if how == records.REFERS:  # a whole record is never public: the caller says what of it is
                raise TypeError(f"{kind.__name__}.{name} names another record")
            value = getattr(record, name)
            if value is None or how == records.PLAIN:
                values[name] = value
            elif how == records.TEXT:
                values[name] = tuple(map(self, value)) if isinstance(value, tuple) else self(value)
            elif how == records.TERMS:
                values[name] = self.terms(value) if isinstance(value, tuple) else self.term(value)
            elif how == records.RECORD and not isinstance(value, tuple):
                values[name] = self.copy(records.PUBLIC_RECORDS[type(value).SCHEMA], value)
            else:
                raise TypeError(f"{kind.__name__}.{name}: no public form of {type(value).__name__}")
        return kind(**values)


@dataclass(frozen=True)
class PublicTerm:
    """A vocabulary entry as the site shows it."""

    id: str
    label: str
    pillar: str | None = None  # areas only: the pillar id, None for a custom area

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class GroupRef:
    """A working group named from elsewhere (a person's groups)."""

    id: str
    name: str


# The public records: the fields the schema marks public (fields.Public), copied by _Texts.copy, beside
# what each class declares itself (records.py).


@record("PersonEntry", public=True, frozen=True, omit={"organization": "organization_id, organization_name"})
class PublicPerson:
    id: str
    organization_id: str | None  # set only when the organization is a member
    organization_name: str | None  # likewise
    working_groups: tuple[GroupRef, ...]


@record("PartnerFile", public=True, frozen=True)
class PublicPartner:
    id: str
    website: str | None  # http(s) URLs only
    people: tuple[PublicPerson, ...]  # its public people, roster order

    @property
    def website_label(self) -> str | None:
        """The website without its scheme and trailing slash, for link text."""
        if not self.website:
            return None
        parts = urlsplit(self.website)
        shown = parts.netloc + (parts.path if parts.path != "/" else "")
        return shown.removeprefix("www.") or self.website


@record("WorkingGroupEntry", public=True, frozen=True)
class PublicWorkingGroup:
    id: str
    lead: PublicPerson | None  # None when there is no lead or the lead is not public
    members: tuple[PublicPerson, ...]  # public people who list the group, roster order


@record("StatementFile", public=True, frozen=True, omit={"author": "author_name"})
class PublicStatement:
    anchor: str  # the statement's id when its author is named, else statement-N
    kind_label: str
    author_name: str | None  # None when the author may not be named


@record("PageFrontMatter", public=True, frozen=True)
class PublicPage:
    name: str  # URL slug
    body: str  # Markdown


@record("MeetingsEntry", public=True, frozen=True)
class PublicMeetings:
    """How often each body meets."""


@record("CoalitionFile", public=True, frozen=True, omit={
    "convener": "convener_name, convener_id", "working_groups": "PublicSite.working_groups"})
class PublicCoalition:
    decision_model_label: str | None  # short name, "Consensus"
    decision_model_description: str | None  # one sentence, "Consensus: we work ..."
    convener_name: str
    convener_id: str | None  # set only when the convener is a member (for a link)
    site_url: str | None  # normalised to end with "/"
    language: str  # the language of this view (the primary language unless a translation's)
    primary_language: str
    languages: tuple[str, ...]  # every language the site is published in, the primary first


@dataclass(frozen=True)
class PublicSite:
    """Everything a site template may read."""

    coalition: PublicCoalition
    members: tuple[PublicPartner, ...]  # by name
    people: tuple[PublicPerson, ...]  # roster order
    working_groups: tuple[PublicWorkingGroup, ...]  # coalition.yaml order
    statements: tuple[PublicStatement, ...]  # by statement id
    pages: tuple[PublicPage, ...]  # navigation order
    static_files: tuple[str, ...]  # relative to content/static
    organization_types: tuple[PublicTerm, ...]  # the full fixed vocabulary
    areas: tuple[PublicTerm, ...]  # the 24 areas, then custom areas members use
    roles: tuple[PublicTerm, ...]  # the management roles, in the chapter's order
    meetings: tuple[PublicMeeting, ...]  # v1.2: public meetings that are not drafts, by date

    def member(self, partner_id: str) -> PublicPartner:
        for partner in self.members:
            if partner.id == partner_id:
                return partner
        raise KeyError(partner_id)


def public_view(coalition: model.Coalition, language: str | None = None,
                label: Callable[[str], str] | None = None) -> PublicSite:
    """The public view of `coalition`: only what the content format calls public.

    In `language` (default: the primary language): each translatable text in
    it, or the primary language's text as a `Fallback`; vocabulary labels
    through `label` (the theme's catalog).
    """
    t = _Texts(coalition, language, label)
    member_ids = {p.id for p in coalition.partners if p.is_member}

    people: dict[str, PublicPerson] = {}
    for person in coalition.people:
        if person.public:
            people[person.id] = _person(person, member_ids, t)

    members = tuple(_partner(p, people, t) for p in model.by_name(coalition.members))

    groups = tuple(_working_group(g, people, t) for g in coalition.working_groups)

    statements = tuple(
        _statement(s, index, member_ids, t)
        for index, s in enumerate((s for s in coalition.statements if s.public), start=1)
    )

    pages = tuple(_page(page, t) for page in coalition.pages if not page.draft)

    used_custom_areas: dict[str, PublicTerm] = {}
    for partner in members:
        for term in partner.domains:
            if term.id not in vocab.AREAS:
                used_custom_areas.setdefault(term.id, term)
    areas = tuple(PublicTerm(a, t.label(name), vocab.PILLAR_OF_AREA[a]) for a, name in vocab.AREAS.items())
    areas += tuple(sorted(used_custom_areas.values(), key=lambda t: t.label.casefold()))

    convener = coalition.convener
    decision = coalition.decision_model
    site = t.copy(
        PublicCoalition, coalition,
        decision_model_label=t.label(vocab.DECISION_MODEL_NAMES[decision]) if decision else None,
        decision_model_description=t.label(vocab.DECISION_MODELS[decision]) if decision else None,
        convener_name=convener.name,
        convener_id=convener.id if convener.is_member else None,
        site_url=_site_url(coalition.site_url),
        language=t.language,
        primary_language=t.primary,
        languages=tuple(coalition.languages) or (t.primary,),
    )

    return PublicSite(
        coalition=site,
        members=members,
        people=tuple(people.values()),
        working_groups=groups,
        statements=statements,
        pages=pages,
        static_files=tuple(coalition.static_files),
        organization_types=tuple(PublicTerm(i, t.label(name)) for i, name in vocab.ORGANIZATION_TYPES.items()),
        areas=areas,
        roles=tuple(PublicTerm(i, t.label(name)) for i, name in vocab.MANAGEMENT_ROLES.items()),
        meetings=public_meetings(coalition, t),
    )


def _page(page: model.Page, t: _Texts) -> PublicPage:
    own = page.translations.get(t.language) if t.language != t.primary else None
    if own is not None:
        return PublicPage(name=page.name, title=own.title, body=own.body, order=page.order,
                          description=own.description)
    fallback = (lambda text: text) if t.language == t.primary else (
        lambda text: None if text is None else Fallback(text, t.primary))
    return PublicPage(name=page.name, title=fallback(page.title), body=fallback(page.body), order=page.order,
                      description=fallback(page.description))


def _person(person: model.Person, member_ids: set[str], t: _Texts) -> PublicPerson:
    org = person.organization
    named_org = org is not None and org.id in member_ids
    return t.copy(
        PublicPerson, person, id=person.id,
        organization_id=org.id if named_org else None,
        organization_name=org.name if named_org else None,
        working_groups=tuple(GroupRef(g.id, t(g.name)) for g in person.working_groups),
    )


def _partner(partner: model.Partner, people: dict[str, PublicPerson], t: _Texts) -> PublicPartner:
    return t.copy(PublicPartner, partner, id=partner.id, website=_web_url(partner.website),
                  people=tuple(people[p.id] for p in partner.people if p.id in people))


def _working_group(group: model.WorkingGroup, people: dict[str, PublicPerson], t: _Texts) -> PublicWorkingGroup:
    return t.copy(PublicWorkingGroup, group, id=group.id,
                  lead=people.get(group.lead.id) if group.lead is not None else None,
                  members=tuple(people[p.id] for p in group.members if p.id in people))


def _statement(statement: model.Statement, index: int, member_ids: set[str], t: _Texts) -> PublicStatement:
    author: str | None = None
    if statement.kind == "team":
        author = statement.author
    elif statement.author_person is not None:
        author = statement.author_person.name if statement.author_person.public else None
    elif statement.author_partner is not None:
        author = statement.author_partner.name if statement.author_partner.id in member_ids else None
    return t.copy(PublicStatement, statement, anchor=statement.id if author is not None else f"statement-{index}",
                  kind_label=t.label(vocab.STATEMENT_KINDS[statement.kind]), author_name=author)


def _web_url(url: str | None) -> str | None:
    """Only http(s) links reach an href; anything else is dropped."""
    if not url:
        return None
    url = url.strip()
    scheme = urlsplit(url).scheme.lower()
    return url if scheme in ("http", "https") else None


def _site_url(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    return url if url.endswith("/") else url + "/"
