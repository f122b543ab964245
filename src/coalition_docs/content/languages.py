"""The coalition's languages (content-format v1.1): which ones, and which texts have a translation.

A translatable field (schema.TText, schema.TStr) holds text in the primary
language, or a map of language code to text. This pass checks, where each is
written, that every map holds the primary language and only languages of the
coalition, that a partner's `language` is one of them, and names the language
of a page translation (`pages/NAME.LANG.md`). `completeness` tells, from the
model, how much of each language is written, for translators.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from coalition_docs.content import model, shapes
from coalition_docs.content.check import LANGUAGE_RE, Checker, Loaded
from coalition_docs.content.load import Document
from coalition_docs.errors import did_you_mean, field_path



def language_name(code: str, in_language: str = "en") -> str:
    """ "Spanish" for es (Babel's name for it), or the code itself."""
    try:
        from babel import Locale

        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_"))
    except Exception:  # noqa: BLE001 - an unknown or malformed tag, or no Babel: the code says it
        return code
    return (name[:1].upper() + name[1:]) if name else code  # "Español", as a language list shows it


# Where each kind of file holds translatable text ("*" for each item of a list): shapes.py, from the schema.
TRANSLATABLE_PATHS: dict[str, tuple[tuple, ...]] = shapes.TRANSLATABLE_PATHS


def _values(data: Any, path: tuple, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """(location, value) of every value at `path` in loaded data."""
    if not path:
        yield loc, data
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(data, list):
            for index, item in enumerate(data):
                yield from _values(item, rest, (*loc, index))
    elif isinstance(data, dict) and head in data:
        yield from _values(data[head], rest, (*loc, head))


def coalition_languages(coalition: Loaded | None) -> tuple[str, list[str]]:
    """The primary language and every language of the coalition (the primary first)."""
    if coalition is not None and coalition.value is not None:
        primary, more = coalition.value.site.language, list(coalition.value.site.languages)
        return primary, list(dict.fromkeys([primary, *more]))
    # coalition.yaml has errors elsewhere: its languages as written, where they are well formed
    languages = languages_written(coalition.document.data if coalition is not None else None)
    return languages[0], languages


def languages_written(data: Any) -> list[str]:
    """The primary language, then site.languages, from coalition.yaml's data as loaded (not checked)."""
    site = data.get("site") if isinstance(data, dict) else None
    site = site if isinstance(site, dict) else {}
    primary = site.get("language") if isinstance(site.get("language"), str) else "en"
    written = site.get("languages") if isinstance(site.get("languages"), list) else []
    more = [code for code in written if isinstance(code, str) and LANGUAGE_RE.match(code)]
    return list(dict.fromkeys([primary, *more]))


class LanguageCheck:
    """Every map of translations, partner language and page translation, checked where it is written."""

    def __init__(self, run: Checker, coalition: Loaded | None):
        self.run = run
        self.primary, self.languages = coalition_languages(coalition)
        self.coalition = coalition

    def _report(self, document: Document, loc: tuple, message: str, hint: str | None = None,
                prefer_key: bool = False) -> None:
        self.run.problems.append(document.problem(loc, message, hint, prefer_key=prefer_key))

    def site_languages(self) -> None:
        if self.coalition is None or self.coalition.value is None:
            return
        document = self.coalition.document
        seen: set[str] = set()
        for index, code in enumerate(self.coalition.value.site.languages):
            if code == self.primary or code in seen:
                self._report(document, ("site", "languages", index),
                             f"site.languages: {code} is listed twice (expected each language once; "
                             f"the primary language {self.primary} is site.language)")
            seen.add(code)

    def file(self, kind: str, loaded: Loaded | None) -> None:
        """Every translatable map of one loaded file (and a partner's language)."""
        if loaded is None or not isinstance(loaded.document.data, dict):
            return
        document = loaded.document
        for path in TRANSLATABLE_PATHS[kind]:
            for loc, value in _values(document.data, path):
                if isinstance(value, dict) and value:
                    self._translations(document, loc, value)
        if kind == "meeting":
            for index, code in enumerate(document.data.get("languages") or ()):
                if not isinstance(code, str) or not LANGUAGE_RE.match(code):
                    continue
                if code == self.primary:
                    self._report(document, ("languages", index), f"languages[{index}]: {code} is the primary "
                                 f"language (expected only the other languages the agenda is printed in, found "
                                 f"{code}; every agenda is printed in {code})")
                elif code not in self.languages:
                    self._report(document, ("languages", index), self._unknown(f"languages[{index}]", code),
                                 did_you_mean(code, self.languages) or self._add_hint(code))
        if kind == "partner":
            code = document.data.get("language")
            if isinstance(code, str) and LANGUAGE_RE.match(code) and code not in self.languages:
                self._report(document, ("language",), self._unknown("language", code),
                             did_you_mean(code, self.languages) or self._add_hint(code))

    def _translations(self, document: Document, loc: tuple, value: dict) -> None:
        where = field_path(loc)
        for key in value:
            code = str(key)
            if not LANGUAGE_RE.match(code):
                self._report(document, (*loc, key), f"{where}: '{code}' is not a language code (expected a code "
                             f"such as {', '.join(self.languages)}, found '{code}')", prefer_key=True)
            elif code not in self.languages:
                self._report(document, (*loc, key), self._unknown(f"{where}.{code}", code),
                             did_you_mean(code, self.languages) or self._add_hint(code), prefer_key=True)
        if self.primary not in value:
            self._report(document, loc, f"{where}: no text in the primary language (expected a '{self.primary}' "
                         f"entry, found {', '.join(str(k) for k in value)})",
                         f"add {self.primary}: with the text in {language_name(self.primary)}")

    def _unknown(self, where: str, code: str) -> str:
        return (f"{where}: {code} is not a language of the coalition (expected one of "
                f"{', '.join(self.languages)}, found {code})")

    def _add_hint(self, code: str) -> str:
        name = language_name(code)
        if name == code:  # not a language Babel knows: most likely a typo
            return f"did you mean one of {', '.join(self.languages)}? ({code} is no language code Babel knows)"
        return f"add {code} to site.languages in coalition.yaml to publish in {name}"

    def page_language(self, rel: str, code: str, primary_exists: bool) -> str | None:
        """The problem with pages/NAME.LANG.md, or None."""
        if code == self.primary:
            return (f"{rel}: a translation into the primary language (expected pages/NAME.md for {self.primary}, "
                    f"or a language of site.languages, found {code})")
        if code not in self.languages:
            return self._unknown(rel, code)
        if not primary_exists:
            return (f"{rel}: a translation without its page (expected pages/{rel.split('/')[-1].split('.')[0]}.md "
                    "in the primary language, found none)")
        return None


# ---------------------------------------------------------------- completeness (from the model)


@dataclass
class LanguageReport:
    language: str
    total: int = 0
    missing: list[tuple[model.Source, str]] = field(default_factory=list)  # where, which field

    @property
    def written(self) -> int:
        return self.total - len(self.missing)

    def line(self, shown: int = 5) -> str:
        text = f"{self.language}: {self.written} of {self.total} texts"
        if self.missing:
            listed = "; ".join(f"{where.path}:{where.line} {what}" for where, what in self.missing[:shown])
            more = f"; and {len(self.missing) - shown} more" if len(self.missing) > shown else ""
            text += f"; missing: {listed}{more}"
        return text

    def to_json(self) -> dict:
        return {"language": self.language, "texts": self.total, "translated": self.written,
                "missing": [{"file": where.path, "line": where.line, "column": where.column, "field": what}
                            for where, what in self.missing]}


def _texts(coalition: model.Coalition) -> Iterator[tuple[model.Source, str, Any]]:
    """(where, field, value) of every translatable text the coalition has written."""
    c = coalition
    for key in ("name", "mission"):
        yield c.position(key), key, getattr(c, key)
    for key in ("what_is_different", "resources_offered", "power_sharing"):
        yield c.position(f"invitation.{key}"), f"invitation.{key}", getattr(c.invitation, key)
    for i, point in enumerate(c.data_points):
        yield c.position(f"data_points.{i}.text"), f"data_points[{i}].text", point.text
        yield c.position(f"data_points.{i}.source"), f"data_points[{i}].source", point.source
    for i, group in enumerate(c.working_groups):
        for key in ("name", "description", "meets"):
            yield c.position(f"working_groups.{i}.{key}"), f"working_groups[{i}].{key}", getattr(group, key)
    for key in ("management_team", "working_groups", "champions"):
        yield c.position(f"meetings.{key}"), f"meetings.{key}", getattr(c.meetings, key)
    for p in c.partners:
        yield p.position("summary"), "summary", p.summary
        if p.invitation is not None:
            for key in ("rationale", "what_is_different", "resources_offered", "power_sharing"):
                yield p.position(f"invitation.{key}"), f"invitation.{key}", getattr(p.invitation, key)
    for person in c.people:
        for key in ("title", "bio"):
            yield person.source, f"{person.id} {key}", getattr(person, key)
    for s in c.statements:
        for key in ("title", "statement"):
            yield s.source, key, getattr(s, key)
    for i, norm in enumerate(c.agreement.norms):
        yield c.position(f"agreement.norms.{i}"), f"agreement.norms[{i}]", norm
    yield c.position("agreement.decisions"), "agreement.decisions", c.agreement.decisions


def completeness(coalition: model.Coalition) -> list[LanguageReport]:
    """How many of the coalition's texts each language other than the primary has, and which it lacks."""
    reports = [LanguageReport(code) for code in coalition.languages if code != coalition.language]
    if not reports:
        return []
    for where, what, value in _texts(coalition):
        if not value:
            continue
        for report in reports:
            report.total += 1
            if not isinstance(value, model.Text) or value.get(report.language) is None:
                report.missing.append((where, what))
    for meeting in coalition.meeting_list:  # an agenda is printed in the languages its meeting lists
        for where, what, value in meeting.texts():
            for report in (r for r in reports if value and r.language in meeting.languages):
                report.total += 1
                if not isinstance(value, model.Text) or value.get(report.language) is None:
                    report.missing.append((where, f"{meeting.id} {what}"))
    for page in coalition.pages:
        for report in reports:
            report.total += 1
            if report.language not in page.translations:
                report.missing.append((page.source, "page"))
    return reports
