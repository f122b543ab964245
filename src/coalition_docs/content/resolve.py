"""Pass 3: resolve every id into the object it names, and build the model."""

from __future__ import annotations

from coalition_docs.content import model
from coalition_docs.content import vocab
from coalition_docs.content.check import Loaded
from coalition_docs.content.load import Document


class Builder:
    """Pass 3: resolve every id into the object it names."""

    def __init__(self, root, coalition, roster, partners, statements, pages, static):
        self.root = root
        self.c: Loaded = coalition
        self.roster: Loaded = roster
        self.partner_files: dict[str, Loaded] = partners
        self.statement_files: dict[str, Loaded] = statements
        self.page_files = pages
        self.static = static
        extra = self.c.value.extra_vocabulary
        self.vocabulary = model.Vocabulary(
            populations=_terms(vocab.POPULATIONS, extra.populations),
            areas=_terms(vocab.AREAS, extra.areas),
            assets=_terms(vocab.ASSETS, extra.assets),
            organization_types=_terms(vocab.ORGANIZATION_TYPES, {}),
            roles=_terms(vocab.MANAGEMENT_ROLES, {}),
        )

    def build(self) -> model.Coalition:
        v = self.vocabulary
        partners = {pid: self.partner(pid, loaded) for pid, loaded in sorted(self.partner_files.items())}
        c = self.c.value
        groups = {
            g.id: model.WorkingGroup(
                id=g.id, name=g.name, description=g.description, areas=tuple(v.areas[a] for a in g.areas),
                meets=g.meets, source=_source(self.c.document, ("working_groups", i)),
            )
            for i, g in enumerate(c.working_groups)
        }
        people = []
        for index, entry in enumerate(self.roster.value.people):
            person = model.Person(
                id=entry.id, name=entry.name, source=_source(self.roster.document, ("people", index)),
                organization=partners.get(entry.organization) if entry.organization else None,
                title=entry.title, pronouns=entry.pronouns, bio=entry.bio,
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
            (self.page(name, loaded, page) for name, (loaded, page) in self.page_files.items()),
            key=lambda p: (p.order is None, p.order or 0, p.title.lower(), p.name),
        )
        doc = self.c.document
        return model.Coalition(
            name=c.name, community=c.community, mission=c.mission,
            convener=partners[c.convener], project_manager=by_id[c.project_manager],
            content_dir=self.root, source=model.Source(doc.path), vocabulary=v,
            decision_model=c.decision_model, site_url=c.site.url, language=c.site.language,
            needs_populations=tuple(v.populations[t] for t in c.needs.populations),
            needs_areas=tuple(v.areas[t] for t in c.needs.areas),
            needs_assets=tuple(v.assets[t] for t in c.needs.assets),
            data_points=tuple(model.DataPoint(d.text, d.source) for d in c.data_points),
            invitation=model.CoalitionInvitation(**c.invitation.model_dump()),
            paper=c.print.paper, duplex=c.print.duplex,
            working_groups=tuple(groups.values()),
            meetings=model.Meetings(**c.meetings.model_dump()),
            partners=tuple(partners.values()), people=tuple(people), statements=statements,
            pages=tuple(pages), static_files=self.static, positions=_positions(doc),
        )

    def partner(self, pid: str, loaded: Loaded) -> model.Partner:
        v, p, doc = self.vocabulary, loaded.value, loaded.document
        invitation = None
        if p.invitation is not None:
            invitation = model.Invitation(**p.invitation.model_dump(exclude={"sender"}))
        return model.Partner(
            id=pid, name=p.name, type=v.organization_types[p.type], relationship=p.relationship,
            stage=p.stage, source=model.Source(doc.path), website=p.website, summary=p.summary,
            populations=tuple(v.populations[t] for t in p.populations),
            domains=tuple(v.areas[t] for t in p.domains),
            assets=tuple(v.assets[t] for t in p.assets),
            asset_notes=p.asset_notes, aligned_initiatives=p.aligned_initiatives,
            motivations=p.motivations, roles=p.roles, considerations=p.considerations,
            contact=model.Contact(**p.contact.model_dump()) if p.contact else None,
            invitation=invitation, positions=_positions(doc),
        )

    def statement(self, sid, loaded: Loaded, people, partners) -> model.Statement:
        s = loaded.value
        return model.Statement(
            id=sid, kind=s.kind, author=s.author, statement=s.statement,
            source=model.Source(loaded.document.path), title=s.title, identities=dict(s.identities),
            reflections=tuple(model.Reflection(r.prompt, r.answer) for r in s.reflections),
            public=s.public,
            author_person=people.get(s.author) if s.kind == "individual" else None,
            author_partner=partners.get(s.author) if s.kind == "institutional" else None,
        )

    def page(self, name: str, loaded: Loaded, page) -> model.Page:
        front = loaded.value
        return model.Page(
            name=name, title=front.title, body=page.body, order=front.order, draft=front.draft,
            description=front.description, source=model.Source(loaded.document.path),
        )


def _terms(fixed, extra) -> dict[str, model.Term]:
    terms = {key: model.Term(key, label) for key, label in fixed.items()}
    terms.update({key: model.Term(key, label, custom=True) for key, label in extra.items()})
    return terms


def _source(document: Document, loc: tuple) -> model.Source:
    where = document.position(loc)
    return model.Source(document.path, where.line, where.column)


def _positions(document: Document) -> dict[str, model.Source]:
    return {
        ".".join(str(part) for part in loc): model.Source(document.path, where.line, where.column)
        for loc, where in document.values.items()
        if loc
    }
