"""Pass 2: ids, vocabularies and cross-references, each checked where it is written."""

from __future__ import annotations

from typing import Any

from coalition_docs.content import vocab
from coalition_docs.content.check import Checker
from coalition_docs.content.load import Document
from coalition_docs.errors import did_you_mean, field_path


def _get(data: Any, *path: Any) -> Any:
    for part in path:
        if isinstance(part, int):
            data = data[part] if isinstance(data, list) and part < len(data) else None
        else:
            data = data.get(part) if isinstance(data, dict) else None
    return data


def _items(data: Any, *path: Any) -> list[tuple[int, Any]]:
    value = _get(data, *path)
    return list(enumerate(value)) if isinstance(value, list) else []


class References:
    """Ids, vocabularies and cross-references, each checked where it is written.

    Works on the loaded data, not on schema-checked values, so that a file
    with one schema error still has its references checked; a position the
    schema already reported is not reported twice.
    """

    def __init__(self, run: Checker, coalition, roster, partners, statements):
        self.run = run
        self.reported = {(p.path, p.line, p.column) for p in run.problems}
        self.coalition: Document | None = coalition.document if coalition else None
        self.roster: Document | None = roster.document if roster else None
        self.partners: dict[str, Document | None] = {k: v.document if v else None for k, v in partners.items()}
        self.statements = {k: v.document for k, v in statements.items() if v}
        self.person_ids: set[str] = set()
        self.group_ids: set[str] = set()
        self.vocab = {key: dict(table) for key, table in vocab.EXTENDABLE.items()}

    def report(self, document: Document, loc: tuple, message: str, hint: str | None = None,
               *, prefer_key: bool = False) -> None:
        problem = document.problem(loc, message, hint, prefer_key=prefer_key)
        if (problem.path, problem.line, problem.column) not in self.reported:
            self.run.problems.append(problem)

    def check(self) -> None:
        self.person_ids = self._ids(self.roster, "people", "person")
        self.group_ids = self._ids(self.coalition, "working_groups", "working group")
        self._extra_vocabulary()
        if self.coalition is not None:
            doc, data = self.coalition, self.coalition.data
            self.partner_ref(doc, ("convener",))
            self.person_ref(doc, ("project_manager",))
            for key in ("populations", "areas", "assets"):
                self.terms(doc, ("needs", key), key)
            for index, _ in _items(data, "working_groups"):
                self.person_ref(doc, ("working_groups", index, "lead"))
                self.terms(doc, ("working_groups", index, "areas"), "areas")
        for doc in self.partners.values():
            if doc is None:
                continue
            self.terms(doc, ("populations",), "populations")
            self.terms(doc, ("domains",), "areas")
            self.terms(doc, ("assets",), "assets")
            self.person_ref(doc, ("invitation", "sender"))
        if self.roster is not None:
            doc = self.roster
            for index, _ in _items(doc.data, "people"):
                self.partner_ref(doc, ("people", index, "organization"))
                for n, group in _items(doc.data, "people", index, "working_groups"):
                    if isinstance(group, str) and group not in self.group_ids:
                        self.report(doc, ("people", index, "working_groups", n),
                                    f"{field_path(('people', index, 'working_groups', n))}: no such working "
                                    f"group (expected one of {', '.join(sorted(self.group_ids)) or 'none defined'}, "
                                    f"found '{group}')", did_you_mean(group, self.group_ids))
        for doc in self.statements.values():
            kind = _get(doc.data, "kind")
            if kind == "individual":
                self.person_ref(doc, ("author",))
            elif kind == "institutional":
                self.partner_ref(doc, ("author",))

    def _ids(self, doc: Document | None, key: str, what: str) -> set[str]:
        if doc is None:
            return set()
        first: dict[str, int] = {}
        for index, item in _items(doc.data, key):
            item_id = _get(item, "id")
            if not isinstance(item_id, str):
                continue
            if item_id in first:
                line = doc.position((key, first[item_id], "id")).line
                self.report(doc, (key, index, "id"), f"{key}[{index}].id: duplicate {what} id (expected each "
                            f"id once, found '{item_id}' again; first used at line {line})")
            first.setdefault(item_id, index)
        return set(first)

    def _extra_vocabulary(self) -> None:
        if self.coalition is None:
            return
        for key in self.vocab:
            extra = _get(self.coalition.data, "extra_vocabulary", key)
            if not isinstance(extra, dict):
                continue
            for new_id, label in extra.items():
                if new_id in self.vocab[key]:
                    self.report(self.coalition, ("extra_vocabulary", key, new_id),
                                f"extra_vocabulary.{key}.{new_id}: already a standard id (expected a new id, "
                                f"found one of the fixed {key})", prefer_key=True)
                self.vocab[key][new_id] = str(label)

    def partner_ref(self, doc: Document, loc: tuple) -> None:
        value = _get(doc.data, *loc)
        if isinstance(value, str) and value not in self.partners:
            self.report(doc, loc, f"{field_path(loc)}: no such partner (expected the id of a file in "
                        f"partners/, found '{value}')", did_you_mean(value, self.partners))

    def person_ref(self, doc: Document, loc: tuple) -> None:
        value = _get(doc.data, *loc)
        if isinstance(value, str) and value not in self.person_ids:
            self.report(doc, loc, f"{field_path(loc)}: no such person (expected an id from roster.yaml, "
                        f"found '{value}')", did_you_mean(value, self.person_ids))

    def terms(self, doc: Document, loc: tuple, key: str) -> None:
        table = self.vocab[key]
        singular = {"populations": "population", "areas": "area", "assets": "asset"}[key]
        for index, term in _items(doc.data, *loc):
            if isinstance(term, str) and term not in table:
                self.report(doc, loc + (index,), f"{field_path(loc + (index,))}: unknown {singular} "
                            f"(expected one of the {key} of \"coalition-docs docs content-format\" "
                            f"(section \"Vocabularies\") or of extra_vocabulary, found '{term}')", did_you_mean(term, table))
