"""The model's records take their fields from the schema: a field is declared once, in schema.py.

`@record(schema.PartnerFile)` above `class Partner` makes Partner a dataclass
with one field for every field of partners/ID.yaml, in the schema's order,
after the fields the class declares itself (what the model adds: its id, where
it was written, the people who work there). A class may also declare a schema
field itself, to give it another type or default (the site's view: what it
shows of it); and it may leave a schema field out (`omit`), saying where the
model holds it instead.

What each field holds in the model follows from its declaration in the schema
(resolve.py does it, `Builder.record`):

- a translatable field (fields.TRANSLATABLE): a model.Text;
- vocabulary ids (fields.Terms): a model.Term, or a tuple of them;
- the id of another record (fields.Refers): that record (a Partner, Person or WorkingGroup);
- a map of the schema (another `Strict` model): the record made from it;
- a list: a tuple; anything else: the value as written.

Every field defaults as it does in the file: None, (), {}, False, a record of its defaults.

The site's view (site/public.py) makes its records the same way, with
`public=True`: only the fields the schema marks public (fields.Public, the
allow-list of content-format.md "What is public"), copied by `_Texts.copy`
in the site's language; a reference is never copied, the view says what it
shows of it (a public person, a member's name).
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from coalition_docs.content import fields as kinds

T = TypeVar("T")

# The schema's maps and the record that holds each in the model, and in the public view (filled by @record).
RECORDS: dict[type[BaseModel], type] = {}
PUBLIC_RECORDS: dict[type[BaseModel], type] = {}


def record(source: type[BaseModel], *, public: bool = False, omit: Mapping[str, str] | None = None,
           **options: Any) -> Callable[[type[T]], type[T]]:
    """A dataclass (with `options`, keyword-only) holding the fields of `source` beside the class's own.

    `public`: only the fields marked public (fields.Public), for the site's view (site/public.py), and
    with no defaults: every one is copied. `omit` names the schema fields the record leaves out, each
    with where it holds them instead.
    """
    taken = [name for name, info in source.model_fields.items() if not public or kinds.is_public(info)]
    omitted = dict(omit or {})
    unknown = sorted(set(omitted) - set(taken))
    if unknown:
        raise TypeError(f"{source.__name__} has no {'public ' if public else ''}field {unknown}")

    def make(cls: type[T]) -> type[T]:
        own = dict(cls.__dict__.get("__annotations__", {}))
        annotations = dict(own)
        for name in taken:
            if name in own or name in omitted:
                continue
            annotations[name] = "Any"
            if not public:
                setattr(cls, name, _default(source.model_fields[name]))
        cls.__annotations__ = annotations
        cls.SCHEMA = source  # type: ignore[attr-defined]
        cls.FIELDS = tuple(name for name in taken if name not in omitted)  # type: ignore[attr-defined]
        cls.OMITTED = omitted  # type: ignore[attr-defined]
        made = dataclasses.dataclass(cls, kw_only=True, **options)
        # the first record of a map is what the map becomes inside another
        (PUBLIC_RECORDS if public else RECORDS).setdefault(source, made)
        return made

    return make


def _default(info: Any) -> Any:
    if info.is_required():
        return dataclasses.MISSING
    if info.default_factory is None:
        return info.default
    default = info.default_factory()
    if isinstance(default, list):
        return ()
    if isinstance(default, dict):
        return dataclasses.field(default_factory=dict)
    return dataclasses.field(default_factory=lambda: RECORDS[type(default)]())


# How a field of the schema becomes a value of the model, or of the public view: decided once per record.
PLAIN, TEXT, TERMS, REFERS, RECORD, MAP = range(6)


@functools.cache
def how(kind: type) -> tuple[tuple[str, int, Any], ...]:
    """(field, how, its fields.Terms or fields.Refers mark) for each schema field of the record `kind`."""
    found = []
    for name in kind.FIELDS:
        info = kind.SCHEMA.model_fields[name]
        terms, refers = kinds.marks(info, kinds.Terms), kinds.marks(info, kinds.Refers)
        inner = typing.get_args(info.annotation) or (info.annotation,)
        if kinds.is_translatable(info):
            found.append((name, TEXT, None))
        elif terms is not None:
            found.append((name, TERMS, terms))
        elif refers is not None:
            found.append((name, REFERS, refers))
        elif any(isinstance(t, type) and issubclass(t, BaseModel) for t in (info.annotation, *inner)):
            found.append((name, RECORD, None))
        elif typing.get_origin(info.annotation) is dict:
            found.append((name, MAP, None))
        else:
            found.append((name, PLAIN, None))
    return tuple(found)
