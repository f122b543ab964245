"""A checked file's values without pydantic: what the passes after the schema check read.

The schema check (check.py) gives a pydantic model of each file; `plain()`
turns it into a `Value` of the same record (shapes.py), field for field, so
that what the store keeps (store.py) and every later pass reads loads without
pydantic. A Value is read-only, compares by its record and fields, and pickles
as its record's name and its fields' values.
"""

from __future__ import annotations

from typing import Any

from coalition_docs.content.shapes import SHAPES


class Value:
    """The checked values of one schema record (`RECORD`, a name of shapes.SHAPES), by field name."""

    __slots__ = ()
    RECORD = ""
    FIELDS: tuple[str, ...] = ()

    def __init__(self, *values: Any) -> None:
        for name, value in zip(self.FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{self.RECORD} is read-only")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.FIELDS)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.RECORD, self._values()))

    def __repr__(self) -> str:
        return f"{self.RECORD}({', '.join(f'{n}={getattr(self, n)!r}' for n in self.FIELDS)})"

    def __reduce__(self) -> tuple:
        return _make, (self.RECORD, self._values())


def _make(record: str, values: tuple) -> Value:
    return value_class(record)(*values)


CLASSES: dict[str, type[Value]] = {}


def value_class(record: str) -> type[Value]:
    """The Value class of the schema record `record` (a name of shapes.SHAPES)."""
    made = CLASSES.get(record)
    if made is None:
        names = tuple(f.name for f in SHAPES[record])
        made = CLASSES[record] = type(record, (Value,), {"__slots__": names, "RECORD": record, "FIELDS": names,
                                                         "__module__": __name__})
    return made


def plain(checked: Any) -> Value:
    """A pydantic model of the schema (what the check gave) as its Value; the records it holds too."""
    record = value_class(type(checked).__name__)
    values = []
    for field in SHAPES[record.RECORD]:
        value = getattr(checked, field.name)
        if field.record is not None and value is not None:  # shape.py: only such fields hold records
            value = [plain(item) for item in value] if type(value) is list else plain(value)
        values.append(value)
    return record(*values)
