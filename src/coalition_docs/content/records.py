"""The model's records take their fields from the schema: a field is declared once, in schema.py.

`@record("PartnerFile")` above `class Partner` makes Partner a dataclass
with one field for every field of partners/ID.yaml, in the schema's order,
after the fields the class declares itself (what the model adds: its id, where
it was written, the people who work there). A class may also declare a schema
field itself, to give it another type or default (the site's view: what it
shows of it); and it may leave a schema field out (`omit`), saying where the
model holds it instead.

The fields come from shapes.py, which is written from the schema (shape.py), so
that the model loads without pydantic. What each field holds in the model
follows from its declaration in the schema (resolve.py does it, `Builder.record`):

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
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from coalition_docs.content.shape import MAP, PLAIN, RECORD, REFERS, TERMS, TEXT  # noqa: F401 - how() says these
from coalition_docs.content.shapes import SHAPES

T = TypeVar("T")

# The name of each schema record (shapes.SHAPES) and the record that holds it in the model, and in the
# public view (filled by @record).
RECORDS: dict[str, type] = {}
PUBLIC_RECORDS: dict[str, type] = {}


def record(source: str, *, public: bool = False, omit: Mapping[str, str] | None = None,
           **options: Any) -> Callable[[type[T]], type[T]]:
    """A dataclass (with `options`, keyword-only) holding the fields of the schema record `source` (its
    class name in the schema, e.g. "PartnerFile") beside the class's own.

    `public`: only the fields marked public (fields.Public), for the site's view (site/public.py), and
    with no defaults: every one is copied. `omit` names the schema fields the record leaves out, each
    with where it holds them instead.
    """
    shape = SHAPES[source]
    taken = [f for f in shape if not public or f.public]
    omitted = dict(omit or {})
    unknown = sorted(set(omitted) - {f.name for f in taken})
    if unknown:
        raise TypeError(f"{source} has no {'public ' if public else ''}field {unknown}")

    def make(cls: type[T]) -> type[T]:
        own = dict(cls.__dict__.get("__annotations__", {}))
        annotations = dict(own)
        for f in taken:
            if f.name in own or f.name in omitted:
                continue
            annotations[f.name] = "Any"
            if not public:
                setattr(cls, f.name, _default(f))
        cls.__annotations__ = annotations
        cls.SCHEMA = source  # type: ignore[attr-defined]
        cls.FIELDS = tuple(f.name for f in taken if f.name not in omitted)  # type: ignore[attr-defined]
        cls.OMITTED = omitted  # type: ignore[attr-defined]
        made = dataclasses.dataclass(cls, kw_only=True, **options)
        # the first record of a map is what the map becomes inside another
        (PUBLIC_RECORDS if public else RECORDS).setdefault(source, made)
        return made

    return make


def _default(f: Any) -> Any:
    if f.required:
        return dataclasses.MISSING
    if f.factory is None:
        return f.default
    if f.factory == "list":
        return ()
    if f.factory == "dict":
        return dataclasses.field(default_factory=dict)
    return dataclasses.field(default_factory=lambda: RECORDS[f.record]())


@functools.cache
def how(kind: type) -> tuple[tuple[str, int, Any], ...]:
    """(field, how, its fields.Terms or fields.Refers mark) for each schema field of the record `kind`."""
    fields = {f.name: f for f in SHAPES[kind.SCHEMA]}
    return tuple((name, fields[name].how, fields[name].mark) for name in kind.FIELDS)
