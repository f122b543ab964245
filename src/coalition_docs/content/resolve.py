"""Pass 3: resolve every id into the object it names, and build the model."""

from __future__ import annotations

import datetime as dt

from coalition_docs.content import model
from coalition_docs.content import schema, times, vocab
from coalition_docs.content.meeting_model import AgendaItem, Meeting, Place
from collections.abc import Iterator, Mapping
from typing import Any

from coalition_docs.content.check import Loaded
from coalition_docs.content.languages import coalition_languages
from coalition_docs.content.schema import Translations
from coalition_docs.content.load import Document


class Builder:
    """Pass 3: resolve every id into the object it names."""

    def __init__(self, root, coalition, roster, partners, statements, pages, static, meetings=None):
        self.root = root
        self.meeting_files: dict[str, Loaded] = meetings or {}
        self.c: Loaded = coalition
        self.roster: Loaded = roster
        self.partner_files: dict[str, Loaded] = partners
        self.statement_files: dict[str, Loaded] = statements
        self.page_files = pages
        self.static = static
        self.primary, self.languages = coalition_languages(coalition)
        extra = self.c.value.extra_vocabulary
        self.vocabulary = model.Vocabulary(
            populations=_terms(vocab.POPULATIONS, extra.populations, self.primary),
            areas=_terms(vocab.AREAS, extra.areas, self.primary),
            assets=_terms(vocab.ASSETS, extra.assets, self.primary),
            organization_types=_terms(vocab.ORGANIZATION_TYPES, {}, self.primary),
            roles=_terms(vocab.MANAGEMENT_ROLES, {}, self.primary),
        )

    def build(self) -> model.Coalition:
        v = self.vocabulary
        partners = {pid: self.partner(pid, loaded) for pid, loaded in sorted(self.partner_files.items())}
        c = self.c.value
        groups = {
            g.id: model.WorkingGroup(
                id=g.id, name=self.t(g.name), description=self.t(g.description),
                areas=tuple(v.areas[a] for a in g.areas),
                meets=self.t(g.meets), source=_source(self.c.document, ("working_groups", i)),
            )
            for i, g in enumerate(c.working_groups)
        }
        people = []
        for index, entry in enumerate(self.roster.value.people):
            person = model.Person(
                id=entry.id, name=entry.name, source=_source(self.roster.document, ("people", index)),
                organization=partners.get(entry.organization) if entry.organization else None,
                title=self.t(entry.title), pronouns=entry.pronouns, bio=self.t(entry.bio),
                community_member=entry.community_member, compensated=entry.compensated,
                roles=tuple(v.roles[r] for r in entry.roles), champion=entry.champion,
                email=entry.email, phone=entry.phone, public=entry.public,
                working_groups=[groups[g] for g in entry.working_groups],
            )
            people.append(person)
            for group in person.working_groups:
                group.members.append(person)
            if person.organization is not None:
                person.organization.people.append(person)
        by_id = {p.id: p for p in people}
        for entry in c.working_groups:
            if entry.lead:
                groups[entry.id].lead = by_id[entry.lead]
        for pid, loaded in self.partner_files.items():
            invitation = loaded.value.invitation
            if invitation and invitation.sender:
                partners[pid].invitation.sender = by_id[invitation.sender]
        statements = tuple(self.statement(sid, loaded, by_id, partners)
                           for sid, loaded in sorted(self.statement_files.items()))
        pages = sorted(
            (self.page(name, loaded, page) for name, (loaded, page) in self.page_files.items() if "." not in name),
            key=lambda p: (p.order is None, p.order or 0, p.title.lower(), p.name),
        )
        doc = self.c.document
        agreement = model.Agreement(
            norms=tuple(self.t(n) for n in c.agreement.norms), decisions=self.t(c.agreement.decisions),
            communication=tuple(model.Channel(e.channel, e.use) for e in c.agreement.communication))
        coalition = model.Coalition(
            name=self.t(c.name), community=c.community, mission=self.t(c.mission),
            convener=partners[c.convener], project_manager=by_id[c.project_manager],
            content_dir=self.root, source=model.Source(doc.path), vocabulary=v,
            decision_model=c.decision_model, site_url=c.site.url, language=self.primary,
            languages=tuple(self.languages),
            needs_populations=tuple(v.populations[t] for t in c.needs.populations),
            needs_areas=tuple(v.areas[t] for t in c.needs.areas),
            needs_assets=tuple(v.assets[t] for t in c.needs.assets),
            data_points=tuple(model.DataPoint(self.t(d.text), self.t(d.source)) for d in c.data_points),
            invitation=model.CoalitionInvitation(**self.fields(c.invitation)),
            paper=c.print.paper, duplex=c.print.duplex,
            working_groups=tuple(groups.values()),
            meetings=model.Meetings(**self.fields(c.meetings)),
            partners=tuple(partners.values()), people=tuple(people), statements=statements,
            pages=tuple(pages), static_files=self.static, positions=_Positions(doc),
            timezone=c.timezone, tz=times.zone(c.timezone) if c.timezone else None, agreement=agreement,
        )
        meetings = [self.meeting(mid, loaded, coalition) for mid, loaded in sorted(self.meeting_files.items())]
        coalition.meeting_list = tuple(sorted(meetings, key=lambda m: (m.starts is None, m.starts or 0, m.id)))
        return coalition

    def meeting(self, mid: str, loaded: Loaded, coalition: model.Coalition) -> Meeting:
        """meetings/ID.yaml, its times in the coalition's zone (drafts without one: no times)."""
        m, tz = loaded.value, coalition.tz
        person = {p.id: p for p in coalition.people}.get
        group = next((g for g in coalition.working_groups if g.id == m.group), None)
        starts = times.local(m.starts, tz) if m.starts is not None and tz is not None else None
        ends = None
        if starts is not None and m.ends is not None:
            ends = times.local(dt.datetime.combine(starts.date(), m.ends), tz)
        items, running = [], 0
        for entry in m.agenda:
            items.append(AgendaItem(
                topic=self.t(entry.topic), minutes=entry.minutes, lead=person(entry.lead) if entry.lead else None,
                notes=self.t(entry.notes), starts=times.later(starts, running) if starts else None,
                ends=times.later(starts, running + entry.minutes) if starts else None))
            running += entry.minutes
        if starts is not None and ends is None:
            ends = times.later(starts, running)
        attendees = tuple(person(p) for p in m.attendees) if m.attendees is not None else None
        return Meeting(
            id=mid, title=self.t(m.title), source=model.Source(loaded.document.path), group=m.group,
            group_name=group.name if group else vocab.MEETING_GROUPS[m.group], working_group=group,
            launch_activity=model.Term(m.launch_activity, vocab.LAUNCH_ACTIVITIES[m.launch_activity])
            if m.launch_activity else None,
            starts=starts, ends=ends, ends_written=m.ends is not None,
            place=Place(m.place.name, m.place.address, m.place.online) if m.place else None,
            accessibility=tuple(self.t(a) for a in m.accessibility),
            facilitator=person(m.facilitator) if m.facilitator else None,
            note_taker=person(m.note_taker) if m.note_taker else None,
            attendees=attendees, invitees=attendees if attendees is not None else coalition.people_in(m.group),
            languages=tuple(m.languages), agenda_languages=tuple(dict.fromkeys((self.primary, *m.languages))),
            preparation=self.t(m.preparation), agenda=tuple(items), notes=m.notes, decisions=tuple(m.decisions),
            public=m.public, draft=m.draft, positions=_Positions(loaded.document),
        )

    def partner(self, pid: str, loaded: Loaded) -> model.Partner:
        v, p, doc = self.vocabulary, loaded.value, loaded.document
        invitation = None
        if p.invitation is not None:
            invitation = model.Invitation(**self.fields(p.invitation, exclude="sender"))
        return model.Partner(
            id=pid, name=p.name, type=v.organization_types[p.type], relationship=p.relationship,
            stage=p.stage, source=model.Source(doc.path), website=p.website, summary=self.t(p.summary),
            populations=tuple(v.populations[t] for t in p.populations),
            domains=tuple(v.areas[t] for t in p.domains),
            assets=tuple(v.assets[t] for t in p.assets),
            asset_notes=p.asset_notes, aligned_initiatives=p.aligned_initiatives,
            motivations=p.motivations, roles=p.roles, considerations=p.considerations,
            contact=model.Contact(**self.fields(p.contact)) if p.contact else None,
            invitation=invitation, language=p.language, positions=_Positions(doc),
        )

    def statement(self, sid, loaded: Loaded, people, partners) -> model.Statement:
        s = loaded.value
        return model.Statement(
            id=sid, kind=s.kind, author=s.author, statement=self.t(s.statement),
            source=model.Source(loaded.document.path), title=self.t(s.title), identities=dict(s.identities),
            reflections=tuple(model.Reflection(r.prompt, r.answer) for r in s.reflections),
            public=s.public,
            author_person=people.get(s.author) if s.kind == "individual" else None,
            author_partner=partners.get(s.author) if s.kind == "institutional" else None,
        )

    def page(self, name: str, loaded: Loaded, page) -> model.Page:
        front = loaded.value
        translations = {}
        for other, (other_loaded, other_page) in sorted(self.page_files.items()):
            stem, _, code = other.partition(".")
            if stem == name and code:
                translations[code] = model.PageTranslation(
                    title=other_loaded.value.title, body=other_page.body, description=other_loaded.value.description,
                    source=model.Source(other_loaded.document.path))
        return model.Page(
            name=name, title=front.title, body=page.body, order=front.order, draft=front.draft,
            description=front.description, source=model.Source(loaded.document.path), translations=translations,
            body_line=page.body_line,
        )

    def t(self, value: Any) -> model.Text | None:
        """A translatable field's value as a model.Text (v1 content: the string, in the primary language)."""
        if value is None:
            return None
        if isinstance(value, Translations):
            return model.Text(value.get(self.primary, ""), {str(k): v for k, v in value.items()})
        return model.Text(value, {self.primary: value})

    def fields(self, entry: Any, exclude: str = "") -> dict[str, Any]:
        """A schema entry's fields, translatable ones as model.Text."""
        return {name: self.t(value) if name in TRANSLATABLE_FIELDS.get(type(entry), ()) else value
                for name in type(entry).model_fields if name != exclude
                for value in (getattr(entry, name),)}


def _translatable_fields(cls) -> tuple[str, ...]:
    return tuple(name for name, info in cls.model_fields.items() if schema.is_translatable(info))


TRANSLATABLE_FIELDS = {cls: _translatable_fields(cls) for cls in (
    schema.InvitationDefaults, schema.MeetingsEntry, schema.PartnerInvitation, schema.ContactEntry)}


def _terms(fixed, extra, primary: str) -> dict[str, model.Term]:
    """The fixed terms (the theme's words, translated by its catalog) and the coalition's own (as written)."""
    terms = {key: model.Term(key, label) for key, label in fixed.items()}
    terms.update({key: model.Term(key, model.AsWritten(label, primary), custom=True) for key, label in extra.items()})
    return terms


def _source(document: Document, loc: tuple) -> model.Source:
    where = document.position(loc)
    return model.Source(document.path, where.line, where.column)


class _Positions(Mapping[str, model.Source]):
    """Where each value of a file was written, by dotted path ("invitation.sender").

    Made on first use: only a message about a value (a letter that lacks one)
    asks, and a thousand partners hold some forty thousand values.
    """

    __slots__ = ("_document", "_made")

    def __init__(self, document: Document):
        self._document: Document | None = document
        self._made: dict[str, model.Source] | None = None

    def _all(self) -> dict[str, model.Source]:
        if self._made is None:
            document = self._document
            assert document is not None
            self._made = {
                ".".join(str(part) for part in loc): model.Source(document.path, where.line, where.column)
                for loc, where in document.values.items()
                if loc
            }
            self._document = None
        return self._made

    def __getitem__(self, dotted: str) -> model.Source:
        return self._all()[dotted]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __reduce__(self) -> tuple:
        return dict, (self._all(),)  # sent to another process as the plain mapping it stands for
