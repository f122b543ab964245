"""content/shape.py, shapes.py and values.py: the schema's shapes as plain data, and a warm run without pydantic."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys

import pytest

from coalition_docs.content import shape
from coalition_docs.content.shapes import FILE_SCHEMAS, SHAPES
from coalition_docs.content.values import Value, plain, value_class

from .conftest import EXAMPLE, ROOT


def test_shapes_py_is_what_the_schema_says():
    assert shape.SHAPES_FILE.read_text(encoding="utf-8") == shape.source(), (
        "content/shapes.py is out of date with the schema: run `python -m coalition_docs.content.shape`")


def test_every_record_a_file_holds_has_its_shape():
    for record in FILE_SCHEMAS.values():
        for field in SHAPES[record]:
            assert field.record is None or field.record in SHAPES, (record, field)
    partner = {f.name: f for f in SHAPES["PartnerFile"]}
    assert partner["name"].public and partner["name"].required
    assert not partner["relationship"].public
    assert (partner["stage"].default, partner["populations"].factory, partner["populations"].mark.kind) == (
        "inventory", "list", "populations")


def test_a_value_reads_compares_and_pickles_as_the_checked_model():
    from pydantic import BaseModel

    from coalition_docs.content.schema import PartnerFile

    checked = PartnerFile.model_validate({"name": "Riverside Arts", "type": "nonprofit", "relationship": "new",
                                          "contact": {"email": "a@example.org"}, "summary": {"en": "Murals."}})
    value = plain(checked)
    assert isinstance(value, Value) and type(value) is value_class("PartnerFile")
    assert value.FIELDS == tuple(PartnerFile.model_fields)
    for name in value.FIELDS:
        written = getattr(checked, name)
        assert getattr(value, name) == (plain(written) if isinstance(written, BaseModel) else written), name
    assert value.contact.email == "a@example.org" and type(value.contact).__name__ == "ContactEntry"
    assert type(value.summary).__name__ == "Translations"
    again = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == value and again is not value and again != plain(checked.model_copy(update={"name": "X"}))
    with pytest.raises(AttributeError, match="PartnerFile is read-only"):
        value.name = "Elsewhere"


_WARM = """
import json, sys
from pathlib import Path
from coalition_docs.phases import build
result = build(Path(sys.argv[1]), Path(sys.argv[2]), only="site", jobs=1)
print(json.dumps({"pages": result.pages, "loaded": sorted({m.split(".")[0] for m in sys.modules
                                                           if m.split(".")[0] in ("pydantic", "pydantic_core", "yaml")}
                                                          | {m for m in sys.modules if m.endswith("_schema")
                                                             or m == "coalition_docs.content.schema"})}))
"""


def test_a_run_whose_files_the_store_knows_loads_without_pydantic_or_pyyaml(tmp_path):
    """The second build of the same content reads every file from the store: pydantic, the schema modules and
    PyYAML are never imported, and the site is the same."""
    content = tmp_path / "content"
    shutil.copytree(EXAMPLE, content)
    env = {**os.environ, "COALITION_DOCS_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src")}
    runs = []
    for out in ("first", "second"):
        done = subprocess.run([sys.executable, "-c", _WARM, str(content), str(tmp_path / out)], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    assert {"pydantic", "yaml"} <= set(runs[0]["loaded"])  # the first run parses and checks every file
    assert runs[1]["loaded"] == []
    assert runs[1]["pages"] == runs[0]["pages"] > 20
    first, second = tmp_path / "first" / "site", tmp_path / "second" / "site"
    assert {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()} == {
        p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.is_file()}


def test_a_record_written_public_and_optional_is_a_record_of_the_model():
    """A meeting's `place` (Public[PlaceEntry] | None) is a meeting_model.Place, not the schema's model."""
    from coalition_docs.content.meeting_model import Place
    from coalition_docs.content.validate import load_coalition

    assert {f.name: f.record for f in SHAPES["MeetingFile"]}["place"] == "PlaceEntry"
    meeting = load_coalition(EXAMPLE).meeting("2025-09-getting-acquainted")
    assert type(meeting.place) is Place
    assert meeting.place.name == "Neighbor to Neighbor Family Resource Center"
    assert meeting.place.address.startswith("52 Bridge Street")
