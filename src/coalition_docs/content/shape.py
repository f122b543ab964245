"""The shape of every schema record, read from the schema, and the module that holds it (shapes.py).

The passes that read checked content (records.py makes the model's classes,
resolve.py fills them, languages.py finds translatable maps, the site's public
view) need to know each field of each schema record: its default, whether it
is public or translatable, what it refers to. The schema (schema.py,
meetings_schema.py, in pydantic) says it; pydantic and the schema take a fifth
of a second to import, which a build whose content the store already knows
(store.py) never needs otherwise. So the shapes are written once into
shapes.py, a module of plain data, and tests/test_shapes.py fails when it no
longer matches the schema:

    python -m coalition_docs.content.shape    # writes shapes.py again
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import Any, NamedTuple

from coalition_docs.content.marks import Refers, Terms

# How a field of the schema becomes a value of the model (resolve.py) or of the public view.
PLAIN, TEXT, TERMS, REFERS, RECORD, MAP = range(6)


class Field(NamedTuple):
    """One field of a schema record, as the model sees it."""

    name: str
    how: int  # PLAIN, TEXT, TERMS, REFERS, RECORD or MAP
    required: bool = False
    default: Any = None  # when not required and there is no factory
    factory: str | None = None  # "list" (the model holds ()), "dict", or "record" (a record of its defaults)
    record: str | None = None  # the schema record it holds (RECORD), or makes by default (factory "record")
    public: bool = False  # fields.Public: the site may show it
    mark: Terms | Refers | None = None  # TERMS: the vocabulary; REFERS: the kind of record


def derive() -> tuple[dict[str, tuple[Field, ...]], dict[str, str], dict[str, tuple[tuple, ...]]]:
    """From the schema: every record's fields, the record of each kind of file, and where each kind of
    file holds translatable text ("*" for each item of a list)."""
    from coalition_docs.content import fields as kinds
    from coalition_docs.content import meetings_schema, schema

    shapes: dict[str, tuple[Field, ...]] = {}
    todo = [*schema.FILE_SCHEMAS.values(), *(v for v in vars(meetings_schema).values() if _is_model(v)),
            *(v for v in vars(schema).values() if _is_model(v))]
    while todo:
        model = todo.pop(0)
        if model.__name__ in shapes or model is kinds.Strict or not issubclass(model, kinds.Strict):
            continue
        shapes[model.__name__], nested = fields_of(model)
        todo += nested
    files = {kind: model.__name__ for kind, model in schema.FILE_SCHEMAS.items()}
    return dict(sorted(shapes.items())), files, {kind: tuple(_paths(model))
                                                 for kind, model in schema.FILE_SCHEMAS.items()}


def _is_model(value: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(value, type) and issubclass(value, BaseModel)


def _unannotated(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _holds_model(annotation: Any) -> bool:
    return _is_model(annotation) or any(_holds_model(arg) for arg in typing.get_args(annotation))


def fields_of(model: Any) -> tuple[tuple[Field, ...], list[Any]]:
    """The fields of one schema record (a pydantic model), and the records its fields hold."""
    from coalition_docs.content import fields as kinds

    found, nested = [], []
    for name, info in model.model_fields.items():
        inner = typing.get_args(info.annotation) or (info.annotation,)
        terms, refers = kinds.marks(info, Terms), kinds.marks(info, Refers)
        # X, list[X], X | None; and Public[X] | None (an Annotated inside the union) too
        record = next((t for t in map(_unannotated, (info.annotation, *inner)) if _is_model(t)), None)
        if kinds.is_translatable(info):
            how, mark = TEXT, None
        elif terms is not None:
            how, mark = TERMS, terms
        elif refers is not None:
            how, mark = REFERS, refers
        elif record is not None:
            how, mark = RECORD, None
        elif typing.get_origin(info.annotation) is dict:
            how, mark = MAP, None
        else:
            how, mark = PLAIN, None
        default, factory = None, None
        if not info.is_required():
            if info.default_factory is None:
                default = info.default
                if not isinstance(default, (type(None), bool, int, float, str)):
                    raise TypeError(f"{model.__name__}.{name}: a default shapes.py cannot write: {default!r}")
            else:
                made = info.default_factory()
                factory = "list" if isinstance(made, list) else "dict" if isinstance(made, dict) else "record"
                if factory == "record":
                    record = type(made)
        if record is not None:
            nested.append(record)
        elif _holds_model(info.annotation):
            raise TypeError(f"{model.__name__}.{name}: holds a record where shapes.py does not look for one "
                            "(expected a record, a list of records or an optional record)")
        found.append(Field(name, how, info.is_required(), default, factory,
                           record.__name__ if record is not None and (how == RECORD or factory == "record")
                           else None, kinds.is_public(info), mark))
    return tuple(found), nested


def _paths(model: Any, prefix: tuple = ()) -> typing.Iterator[tuple]:
    """The path of every translatable field of a file schema ("*" for each item of a list)."""
    from coalition_docs.content import fields as kinds

    for name, info in model.model_fields.items():
        if kinds.is_translatable(info):
            listed = any(typing.get_origin(arg) is list for arg in (info.annotation, *typing.get_args(info.annotation)))
            yield (*prefix, name, "*") if listed else (*prefix, name)  # a list of texts: each of its items
            continue
        inner = info.annotation
        for arg in (inner, *typing.get_args(inner)):  # X, list[X] and X | None
            if typing.get_origin(arg) is list:
                item = typing.get_args(arg)[0]
                if _is_model(item):
                    yield from _paths(item, (*prefix, name, "*"))
                break
            if _is_model(arg):
                yield from _paths(arg, (*prefix, name))
                break


def source() -> str:
    """The text of shapes.py, from the schema."""
    shapes, files, paths = derive()
    lines = [
        '"""Every schema record\'s fields, as plain data: written by `python -m coalition_docs.content.shape`',
        "from schema.py and meetings_schema.py (see shape.py); do not edit.\"\"\"",
        "",
        "from coalition_docs.content.marks import Refers, Terms",
        "from coalition_docs.content.shape import (MAP, PLAIN, RECORD, REFERS, TERMS, TEXT,  # noqa: F401",
        "                                          Field as F)",
        "",
        "SHAPES = {",
    ]
    names = {PLAIN: "PLAIN", TEXT: "TEXT", TERMS: "TERMS", REFERS: "REFERS", RECORD: "RECORD", MAP: "MAP"}
    for record, found in shapes.items():
        lines.append(f"    {record!r}: (")
        for f in found:
            parts = [repr(f.name), names[f.how]]
            if f.required:
                parts.append("required=True")
            if f.default is not None:
                parts.append(f"default={f.default!r}")
            if f.factory is not None:
                parts.append(f"factory={f.factory!r}")
            if f.record is not None:
                parts.append(f"record={f.record!r}")
            if f.public:
                parts.append("public=True")
            if f.mark is not None:
                parts.append(f"mark={type(f.mark).__name__}({f.mark.kind!r})")
            lines.append(f"        F({', '.join(parts)}),")
        lines.append("    ),")
    lines += ["}", "", "# The record of each kind of file.", f"FILE_SCHEMAS = {files!r}", "",
              "# Where each kind of file holds translatable text (\"*\": each item of a list).",
              "TRANSLATABLE_PATHS = {"]
    lines += [f"    {kind!r}: {found!r}," for kind, found in paths.items()]
    lines += ["}", ""]
    return "\n".join(lines)


SHAPES_FILE = Path(__file__).with_name("shapes.py")

if __name__ == "__main__":
    SHAPES_FILE.write_text(source(), encoding="utf-8")
    print(f"wrote {SHAPES_FILE}")
