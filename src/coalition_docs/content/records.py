"""The model's records take their fields from the schema: a field is declared once, in schema.py.

`@record(schema.PartnerFile)` above `class Partner` makes Partner a dataclass
with one field for every field of partners/ID.yaml, in the schema's order,
after the fields the class declares itself (what the model adds: its id, where
it was written, the people who work there). A class may also declare a schema
field itself, to give it another default; and it may leave a schema field out
(`omit`), saying where the model holds it instead.

What each field holds in the model follows from its declaration in the schema
(resolve.py does it, `Builder.record`):

- a translatable field (fields.TRANSLATABLE): a model.Text;
- vocabulary ids (fields.Terms): a model.Term, or a tuple of them;
- the id of another record (fields.Refers): that record (a Partner, Person or WorkingGroup);
- a map of the schema (another `Strict` model): the record made from it;
- a list: a tuple; anything else: the value as written.

Every field defaults as it does in the file: None, (), {}, False, a record of its defaults.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")

# The schema's maps and the record that holds each in the model (filled by @record).
RECORDS: dict[type[BaseModel], type] = {}


def record(source: type[BaseModel], *, omit: Mapping[str, str] | None = None,
           **options: Any) -> Callable[[type[T]], type[T]]:
    """A dataclass (with `options`, keyword-only) holding the fields of `source` beside the class's own.

    `omit` names the schema fields the record leaves out, each with where the model holds it instead.
    """
    omitted = dict(omit or {})
    unknown = set(omitted) - set(source.model_fields)
    if unknown:
        raise TypeError(f"{source.__name__} has no field {sorted(unknown)}")

    def make(cls: type[T]) -> type[T]:
        own = dict(cls.__dict__.get("__annotations__", {}))
        fields = dict(own)
        for name, info in source.model_fields.items():
            if name in own or name in omitted:
                continue
            fields[name] = "Any"
            setattr(cls, name, _default(info))
        cls.__annotations__ = fields
        cls.SCHEMA = source  # type: ignore[attr-defined]
        cls.OMITTED = omitted  # type: ignore[attr-defined]
        made = dataclasses.dataclass(cls, kw_only=True, **options)
        RECORDS.setdefault(source, made)  # the first record of a map is what the map becomes inside another
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


def schema_fields(kind: type) -> tuple[str, ...]:
    """The fields a record takes from the schema: the schema's, less what it omits."""
    return tuple(name for name in kind.SCHEMA.model_fields if name not in kind.OMITTED)
