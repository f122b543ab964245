"""What the documents stage plans: output paths, templates and their contexts.

Plans are plain data (picklable), so the engine can render them in parallel
and skip the ones whose inputs did not change. A template's context holds only
the values the content has (`Fields`); a value it lacks is a `Need`: the
located problem to report, and a placeholder to check the rest of the template.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coalition_docs.content import model
from coalition_docs.content.model import by_name  # noqa: F401 - the one partner order, used by letters
from coalition_docs.errors import Problem

DOCUMENTS_FOLDER = "documents"
WORKSHEET_TEMPLATE = "documents/worksheet.html"
LETTER_TEMPLATE = "documents/letter.html"
STATEMENT_TEMPLATE = "documents/statement.html"
ENVELOPE_TEMPLATE = "documents/envelope.html"
LABELS_TEMPLATE = "documents/labels.html"

LOGO_NAMES = ("logo.svg", "logo.png")


@dataclass(frozen=True)
class Need:
    """What to report if a template asks for a value the content does not have."""

    problem: Problem
    placeholder: Any = ""  # stands in while the rest of the template is checked


@dataclass(frozen=True)
class PlannedDocument:
    path: str  # relative to OUT/documents, e.g. "letters/city-hall.pdf"
    template: str  # theme-relative, e.g. "documents/letter.html"
    context: Mapping[str, Any]
    # Values the context lacks, keyed by how a template asks for them
    # ("contact.name", "sender", "data_points[0].source").
    needs: Mapping[str, Need] = field(default_factory=dict)
    language: str = "en"  # every word it prints is in this language


@dataclass(frozen=True)
class PlannedBundle:
    """One PDF made of the pages of other planned documents, in order (for printing)."""

    path: str
    parts: tuple[str, ...]
    title: str
    author: str
    language: str
    duplex: bool = False  # every part starts on a right-hand page (print.duplex)


@dataclass(frozen=True)
class DocumentPlan:
    documents: tuple[PlannedDocument, ...]
    bundles: tuple[PlannedBundle, ...]
    # What the documents lack that no template asks for by name (an agenda's texts in its language).
    problems: tuple[Problem, ...] = ()


class Fields(dict):
    """A template's view of one record: only the values the content has.

    A key that is absent is Undefined in Jinja (StrictUndefined fails on it), and
    the record's prefix ("contact", "sender", ...) names the missing value.
    """

    def __init__(self, prefix: str, values: Mapping[str, Any] | None = None):
        super().__init__(values or {})
        self._field_prefix = prefix

    def __deepcopy__(self, memo):
        return Fields(self._field_prefix, {k: copy.deepcopy(v, memo) for k, v in self.items()})

    def __reduce__(self):
        return (Fields, (self._field_prefix, dict(self)))


class Anything(dict):
    """Placeholder for a missing record while the rest of a letter is checked."""

    def __missing__(self, key: str) -> str:
        return ""


def absent(value: Any) -> bool:
    return value is None or (isinstance(value, (str, tuple, list, dict)) and not value)


def logo_path(coalition: model.Coalition) -> Path | None:
    """content/static/logo.svg or logo.png, if the coalition has one."""
    for name in LOGO_NAMES:
        if name in coalition.static_files:
            return (Path(coalition.content_dir) / "static" / name).resolve()
    return None
