"""Pass 3: resolve every id into the object it names, and build the model."""

from __future__ import annotations

import datetime as dt

from coalition_docs.content import model, records
from coalition_docs.content import times, vocab
from coalition_docs.content.meeting_model import AgendaItem, Meeting, Place
from collections.abc import Iterator, Mapping
from typing import Any

from coalition_docs.content.check import Loaded
from coalition_docs.content.languages import coalition_languages
from coalition_docs.content.marks import Translations
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
        self.index: dict[str, dict[str, Any]] = {}  # kind of record (fields.Refers) -> id -> the record
        self.waiting: list[tuple[Any, str, Any]] = []  # (record, field, id) that link() sets
        extra = self.c.value.extra_vocabulary
        self.vocabulary = model.Vocabulary(
            populations=_terms(vocab.POPULATIONS, extra.populations, self.primary),
            areas=_terms(vocab.AREAS, extra.areas, self.primary),
            assets=_terms(vocab.ASSETS, extra.assets, self.primary),
            organization_types=_terms(vocab.ORGANIZATION_TYPES, {}, self.primary),
            roles=_terms(vocab.MANAGEMENT_ROLES, {}, self.primary),
            launch_activities=_terms(vocab.LAUNCH_ACTIVITIES, {}, self.primary),
        )

    def build(self) -> model.Coalition:
        c, doc, v = self.c.value, self.c.document, self.vocabulary
        partners = self.index["partner"] = {
            pid: self.record(model.Partner, loaded.value, id=pid, source=model.Source(loaded.document.path),
                             positions=_Positions(loaded.document))
            for pid, loaded in sorted(self.partner_files.items())}
        groups = self.index["working_group"] = {
            g.id: self.record(model.WorkingGroup, g, source=_source(doc, ("working_groups", i)))
            for i, g in enumerate(c.working_groups)}
        people = self.index["person"] = {}
        for index, entry in enumerate(self.roster.value.people):
            person = people[entry.id] = self.record(
                model.Person, entry, source=_source(self.roster.document, ("people", index)))
            for group in person.working_groups:
                group.members.append(person)
            if person.organization is not None:
                person.organization.people.append(person)
        self.link()
        statements = tuple(self.statement(sid, loaded, people, partners)
                           for sid, loaded in sorted(self.statement_files.items()))
        pages = sorted(
            (self.page(name, loaded, page) for name, (loaded, page) in self.page_files.items() if "." not in name),
            key=lambda p: (p.order is None, p.order or 0, p.title.lower(), p.name),
        )
        coalition = self.record(
            model.Coalition, c, content_dir=self.root, source=model.Source(doc.path), vocabulary=v,
            site_url=c.site.url, language=self.primary, languages=tuple(self.languages),
            needs_populations=tuple(v.populations[t] for t in c.needs.populations),
            needs_areas=tuple(v.areas[t] for t in c.needs.areas),
            needs_assets=tuple(v.assets[t] for t in c.needs.assets),
            paper=c.print.paper, duplex=c.print.duplex, working_groups=tuple(groups.values()),
            partners=tuple(partners.values()), people=tuple(people.values()), statements=statements,
            pages=tuple(pages), static_files=self.static, positions=_Positions(doc),
            tz=times.zone(c.timezone) if c.timezone else None,
        )
        meetings = [self.meeting(mid, loaded, coalition) for mid, loaded in sorted(self.meeting_files.items())]
        coalition.meeting_list = tuple(sorted(meetings, key=lambda m: (m.starts is None, m.starts or 0, m.id)))
        return coalition

    def record(self, kind: type, entry: Any, **own: Any) -> Any:
        """The model's record `kind` made from a schema entry (values.Value): each of its fields as records.py says, and
        `own` (what the model adds) beside them. A reference to a kind of record not yet made waits for link()."""
        values = dict(own)
        waiting = []
        for name, how, mark in records.how(kind):
            if name in own:
                continue
            value = getattr(entry, name)
            if value is None:
                values[name] = None
            elif how == records.REFERS and mark.kind not in self.index:
                waiting.append((name, value))
                values[name] = None
            elif type(value) is list:
                values[name] = tuple(self.value(how, mark, item) for item in value)
            else:
                values[name] = self.value(how, mark, value)
        made = kind(**values)
        self.waiting.extend((made, name, value) for name, value in waiting)
        return made

    def value(self, how: int, mark: Any, value: Any) -> Any:
        if how == records.PLAIN:
            return value
        if how == records.TEXT:
            return self.t(value)
        if how == records.TERMS:
            return getattr(self.vocabulary, mark.kind)[value]
        if how == records.REFERS:
            return self.index[mark.kind][value]
        if how == records.RECORD:
            return self.record(records.RECORDS[value.RECORD], value)
        return dict(value)  # records.MAP

    def link(self) -> None:
        """Set the references that waited for their records (a partner's invitation sender, a group's lead)."""
        for made, name, value in self.waiting:
            how, mark = next((how, mark) for field, how, mark in records.how(type(made)) if field == name)
            setattr(made, name, tuple(self.value(how, mark, v) for v in value) if type(value) is list
                    else self.value(how, mark, value))
        self.waiting.clear()

    def meeting(self, mid: str, loaded: Loaded, coalition: model.Coalition) -> Meeting:
        """meetings/ID.yaml, its times in the coalition's zone (drafts without one: no times)."""
        m, tz = loaded.value, coalition.tz
        group = next((g for g in coalition.working_groups if g.id == m.group), None)
        starts = times.local(m.starts, tz) if m.starts is not None and tz is not None else None
        ends = None
        if starts is not None and m.ends is not None:
            ends = times.local(dt.datetime.combine(starts.date(), m.ends), tz)
        items, running = [], 0
        for entry in m.agenda:
            items.append(self.record(
                AgendaItem, entry, starts=times.later(starts, running) if starts else None,
                ends=times.later(starts, running + entry.minutes) if starts else None))
            running += entry.minutes
        if starts is not None and ends is None:
            ends = times.later(starts, running)
        meeting = self.record(
            Meeting, m, id=mid, source=model.Source(loaded.document.path),
            group_name=group.name if group else vocab.MEETING_GROUPS[m.group], working_group=group,
            starts=starts, ends=ends, ends_written=m.ends is not None, agenda=tuple(items),
            agenda_languages=tuple(dict.fromkeys((self.primary, *m.languages))), positions=_Positions(loaded.document))
        meeting.invitees = meeting.attendees if meeting.attendees is not None else coalition.people_in(m.group)
        return meeting

    def statement(self, sid, loaded: Loaded, people, partners) -> model.Statement:
        s = loaded.value
        return self.record(
            model.Statement, s, id=sid, source=model.Source(loaded.document.path),
            author_person=people.get(s.author) if s.kind == "individual" else None,
            author_partner=partners.get(s.author) if s.kind == "institutional" else None,
        )

    def page(self, name: str, loaded: Loaded, page) -> model.Page:
        translations = {}
        for other, (other_loaded, other_page) in sorted(self.page_files.items()):
            stem, _, code = other.partition(".")
            if stem == name and code:
                translations[code] = self.record(model.PageTranslation, other_loaded.value, body=other_page.body,
                                                 source=model.Source(other_loaded.document.path))
        return self.record(model.Page, loaded.value, name=name, body=page.body,
                           source=model.Source(loaded.document.path), translations=translations,
                           body_line=page.body_line)

    def t(self, value: Any) -> model.Text | None:
        """A translatable field's value as a model.Text (v1 content: the string, in the primary language)."""
        if value is None:
            return None
        if isinstance(value, Translations):
            return model.Text(value.get(self.primary, ""), {str(k): v for k, v in value.items()})
        return model.Text(value, {self.primary: value})


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
