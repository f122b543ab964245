"""The marks a schema field carries, and the map of translations: what later passes read, without pydantic.

fields.py puts these marks in the schema's field types; shapes.py (generated
from the schema) records which field carries which, so that the code that
reads checked content (records.py, resolve.py, languages.py, the site's
public view) needs neither pydantic nor the schema module.
"""

from __future__ import annotations

from dataclasses import dataclass


class Translations(dict):
    """A translatable field written as a map of language code to text (content-format v1.1)."""


class _PublicMark:
    """Marks a field that content-format.md "What is public" names: site/public.py copies these, and only these,
    from a record the site may show (a member, a person who consented, a public statement or meeting)."""

    def __repr__(self) -> str:
        return "public"


PUBLIC = _PublicMark()


class _TranslatableMark:
    """Marks a translatable field; languages.py finds every one through it."""

    def __repr__(self) -> str:
        return "translatable"


TRANSLATABLE = _TranslatableMark()


# How the model (content/model.py) holds a field, where it is not the value as written: marks in
# the field's type, read by content/records.py. A translatable field is a model.Text (TRANSLATABLE).


@dataclass(frozen=True)
class Terms:
    """Marks vocabulary ids: the model holds each as its model.Term, from model.Vocabulary's `kind`."""

    kind: str  # populations, areas, assets, organization_types, roles


@dataclass(frozen=True)
class Refers:
    """Marks the id of another record (`kind`: partner, person, working_group): the model holds that record."""

    kind: str
