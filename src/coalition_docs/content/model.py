"""The typed, cross-referenced coalition that every later stage reads.

`validate.py` is the only producer of these objects: by the time a `Coalition`
exists, every id has been resolved to the object it names, every vocabulary id
carries its label, and every entity knows the file and line it came from.
Nothing here imports rendering code; nothing downstream sees raw YAML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo

from coalition_docs.content import vocab
from coalition_docs.content.records import record
from coalition_docs.content.texts import AsWritten, Text, text_in  # noqa: F401 - the model's texts


@dataclass(frozen=True, order=True)
class Source:
    """Where a value was written: a path relative to the content folder."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class Located:
    """A record that knows where each of its fields was written."""

    source: Source
    positions: Mapping[str, Source]

    def position(self, dotted: str) -> Source:
        """Where `dotted` (e.g. "invitation.sender") was written: the nearest written parent, else the file."""
        while dotted:
            if dotted in self.positions:
                return self.positions[dotted]
            dotted = dotted.rpartition(".")[0]
        return self.source


@dataclass(frozen=True)
class Term:
    """A vocabulary entry: its fixed id and the label people read."""

    id: str
    label: str
    custom: bool = False  # from coalition.yaml extra_vocabulary ("Other")

    def __str__(self) -> str:
        return self.label


# -- the records of the content files: their fields come from the schema (records.py) ----------


@record("ContactEntry", eq=False)
class Contact:
    """A partner's `contact`."""


@record("PartnerInvitation", eq=False)
class Invitation:
    """A partner's own invitation details; None means "use the coalition default"."""


@record("PartnerFile", eq=False)
class Partner(Located):
    """partners/ID.yaml."""

    id: str
    source: Source
    # dotted field path -> where it was written (for errors raised later)
    positions: Mapping[str, Source] = field(default_factory=dict, repr=False)
    # filled by validate: people whose organization is this partner, roster order
    people: list[Person] = field(default_factory=list, repr=False)

    @property
    def is_member(self) -> bool:
        return self.stage == "member"

    @property
    def gets_letter(self) -> bool:
        return self.stage in vocab.LETTER_STAGES

    @property
    def relationship_label(self) -> str:
        return vocab.RELATIONSHIPS[self.relationship]

    @property
    def stage_label(self) -> str:
        return vocab.STAGES[self.stage]


@record("PersonEntry", eq=False)
class Person:
    """A person of roster.yaml."""

    source: Source


@record("WorkingGroupEntry", eq=False)
class WorkingGroup:
    """One of coalition.yaml's `working_groups`."""

    source: Source
    # filled by validate: roster people who list this group, roster order
    members: list[Person] = field(default_factory=list, repr=False)


@record("DataPointEntry", frozen=True)
class DataPoint:
    """One of coalition.yaml's `data_points`."""


@record("InvitationDefaults", frozen=True)
class CoalitionInvitation:
    """Defaults for every invitation letter (coalition.yaml `invitation`)."""


@record("MeetingsEntry", frozen=True)
class Meetings:
    """How often each body meets (coalition.yaml `meetings`)."""


@record("CommunicationEntry", frozen=True)
class Channel:
    """agreement.communication: a platform and what it is used for (internal)."""


@record("AgreementEntry", frozen=True)
class Agreement:
    """v1.2: the working agreement (coalition.yaml `agreement`): norms and decisions are public."""


@record("ReflectionEntry", frozen=True)
class Reflection:
    """One of a statement's `reflections`."""


@record("StatementFile", eq=False)
class Statement:
    """positionality/ID.yaml; `author` is as written (an id, or the team's free text)."""

    id: str
    source: Source
    author_person: Person | None = None  # kind individual
    author_partner: Partner | None = None  # kind institutional

    @property
    def kind_label(self) -> str:
        return vocab.STATEMENT_KINDS[self.kind]

    @property
    def author_name(self) -> str:
        if self.author_person is not None:
            return self.author_person.name
        if self.author_partner is not None:
            return self.author_partner.name
        return self.author


@record("PageFrontMatter", frozen=True, omit={"order": "the primary page's", "draft": "the primary page's"})
class PageTranslation:
    """pages/NAME.LANG.md: a page in another language of the coalition."""

    body: str  # Markdown
    source: Source


@record("PageFrontMatter", eq=False)
class Page:
    """pages/NAME.md: its front matter, and:"""

    name: str  # the file's stem; the page's URL slug
    body: str  # Markdown
    source: Source
    translations: Mapping[str, PageTranslation] = field(default_factory=dict)  # language -> NAME.LANG.md
    body_line: int = 1  # the line of the file where the body starts (after the front matter)


@dataclass(frozen=True)
class Vocabulary:
    """The fixed vocabularies merged with a coalition's extra entries."""

    populations: Mapping[str, Term]
    areas: Mapping[str, Term]
    assets: Mapping[str, Term]
    organization_types: Mapping[str, Term]
    roles: Mapping[str, Term]
    launch_activities: Mapping[str, Term]


@record("CoalitionFile", eq=False, omit={
    "site": "site_url; language, languages", "needs": "needs_populations, needs_areas, needs_assets",
    "print": "paper, duplex", "extra_vocabulary": "vocabulary (with the fixed vocabularies)"})
class Coalition(Located):
    """coalition.yaml, and every other file of the content folder."""

    content_dir: Path
    source: Source
    vocabulary: Vocabulary
    site_url: str | None = None
    language: str = "en"  # the primary language (site.language)
    languages: tuple[str, ...] = ("en",)  # v1.1: the primary language, then site.languages
    needs_populations: tuple[Term, ...] = ()
    needs_areas: tuple[Term, ...] = ()
    needs_assets: tuple[Term, ...] = ()
    paper: str = "letter"  # print.paper: "letter" or "a4", the page size of every PDF
    duplex: bool = False  # print.duplex: every letter in letters.pdf starts on a right-hand page
    partners: tuple[Partner, ...] = ()  # sorted by id
    people: tuple[Person, ...] = ()  # roster order
    statements: tuple[Statement, ...] = ()  # sorted by id
    pages: tuple[Page, ...] = ()  # by order, then title
    static_files: tuple[str, ...] = ()  # paths relative to content/static, sorted
    positions: Mapping[str, Source] = field(default_factory=dict, repr=False)
    tz: ZoneInfo | None = None  # v1.2: the time zone of `timezone`
    # v1.2: every file of meetings/ (meeting_model.Meeting, which builds on this module), drafts
    # too, by start (meetings without one last), then id
    meeting_list: tuple[Meeting, ...] = ()  # noqa: F821

    @property
    def built_meetings(self) -> tuple[Meeting, ...]:  # noqa: F821
        """The meetings that are not drafts (agendas, calendars): each has its `starts`."""
        return tuple(m for m in self.meeting_list if not m.draft)

    def meeting(self, meeting_id: str) -> Meeting:  # noqa: F821
        return self._index("meeting_list")[meeting_id]

    def people_in(self, group: str) -> tuple[Person, ...]:
        """Who a meeting of `group` invites, in roster order (a working group: its lead first)."""
        if group == "coalition":
            return self.people
        if group == "management-team":
            return tuple(p for p in self.people if p.roles)
        if group == "champions":
            return tuple(p for p in self.people if p.champion)
        for working_group in self.working_groups:
            if working_group.id == group:
                lead = (working_group.lead,) if working_group.lead is not None else ()
                return lead + tuple(p for p in working_group.members if p is not working_group.lead)
        raise KeyError(group)

    @property
    def decision_model_label(self) -> str | None:
        if self.decision_model is None:
            return None
        return vocab.DECISION_MODEL_NAMES[self.decision_model]

    def letter_language(self, partner: Partner) -> str:
        """The language a partner's letter is written in."""
        return partner.language or self.language

    @property
    def members(self) -> tuple[Partner, ...]:
        return tuple(p for p in self.partners if p.is_member)

    @property
    def letter_partners(self) -> tuple[Partner, ...]:
        return tuple(p for p in self.partners if p.gets_letter)

    def partner(self, partner_id: str) -> Partner:
        return self._index("partners")[partner_id]

    def person(self, person_id: str) -> Person:
        return self._index("people")[person_id]

    def _index(self, kind: str) -> dict:
        cache = self.__dict__.setdefault("_indexes", {})
        if kind not in cache:
            cache[kind] = {item.id: item for item in getattr(self, kind)}
        return cache[kind]


def by_name(partners: Iterable[Partner]) -> list[Partner]:
    """Partners in the order every list of them shows: by name (case aside), then by id."""
    return sorted(partners, key=lambda p: (p.name.casefold(), p.id))
