"""schema.py: the JSON Schema export agrees with the declared models."""

from __future__ import annotations

import dataclasses
import json
import typing

import pytest

from coalition_docs import load_coalition
from coalition_docs.content import vocab
from coalition_docs.content.records import record
from coalition_docs.content.shape import fields_of
from coalition_docs.content.shapes import SHAPES
from coalition_docs.content.values import plain
from coalition_docs.content.schema import (FILE_GLOBS, AreaIds, PartnerFile, PersonId, TOneLine, json_schema,
                                           vocab_ids)

from .conftest import EXAMPLE, FIXTURES, run_cli


def test_every_file_kind_has_a_strict_schema():
    for kind in FILE_GLOBS:
        schema = json_schema(kind)
        assert schema["additionalProperties"] is False
        assert schema["$schema"].startswith("https://json-schema.org/")
        json.dumps(schema)


def test_vocabulary_ids_are_offered_for_completion():
    partner = json.dumps(json_schema("partner"))
    for table in (vocab.POPULATIONS, vocab.AREAS, vocab.ASSETS, vocab.ORGANIZATION_TYPES):
        for key in table:
            assert f'"{key}"' in partner


def test_labels_live_in_one_place():
    assert len(vocab.AREAS) == 24
    assert [p for p, _, _ in vocab.PILLARS] == ["neighborhoods", "education", "work", "health", "governance"]
    assert len(vocab.ASSETS) == 16
    assert len(vocab.POPULATIONS) == 9
    assert len(vocab.ORGANIZATION_TYPES) == 7


def test_the_meeting_schema_offers_the_launch_activities_in_the_chapters_order():
    meeting = json_schema("meeting")
    assert meeting["required"] == ["title", "agenda"]
    assert meeting["properties"]["agenda"]["minItems"] == 1
    assert list(vocab.LAUNCH_ACTIVITIES) == [
        "get-acquainted", "expectations-and-roles", "decision-making", "shared-analysis", "working-groups"]
    assert list(vocab.LAUNCH_ACTIVITIES) in [option.get("enum") for option in
                                             meeting["properties"]["launch_activity"]["anyOf"]]
    assert meeting["properties"]["starts"]["anyOf"][0]["pattern"] == r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"
    coalition = json.dumps(json_schema("coalition"))
    assert '"timezone"' in coalition and '"communication"' in coalition


# ---------------------------------------------------------------- schema --out overwrites nothing a person wrote


def test_schema_out_refuses_a_schema_file_it_did_not_write(tmp_path, capsys):
    folder = tmp_path / "schemas"
    folder.mkdir()
    (folder / "partner.schema.json").write_text("{\"mine\": true}\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "schema", "--out", folder)
    assert code == 1 and "refusing to overwrite" in err
    assert (folder / "partner.schema.json").read_text(encoding="utf-8") == "{\"mine\": true}\n"
    assert not (folder / "coalition.schema.json").exists()  # nothing written when anything is refused
    assert run_cli(capsys, "schema", "--out", folder, "--force")[0] == 0
    assert run_cli(capsys, "schema", "--out", folder)[0] == 0  # its own files it may replace


def test_schema_out_a_file_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "x.json").write_text("{}", encoding="utf-8")
    code, _, err = run_cli(capsys, "schema", "--out", tmp_path / "x.json")
    assert code == 2 and "is a file (expected a folder for the schema files)" in err



# ---------------------------------------------------------------- every file check accepts, an editor accepts


def _as_an_editor_reads(value):
    """YAML as JSON: dates as the text they were written as (check-jsonschema does the same)."""
    import datetime as dt

    if isinstance(value, dict):
        return {str(k): _as_an_editor_reads(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_an_editor_reads(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.mark.parametrize("folder", [EXAMPLE, *sorted(p for p in FIXTURES.iterdir() if p.is_dir())],
                         ids=lambda p: p.name)
def test_every_file_check_accepts_is_valid_for_the_emitted_json_schema(folder, capsys):
    import jsonschema

    from coalition_docs.content.load import parse_yaml

    assert run_cli(capsys, "check", folder)[0] == 0
    checked = 0
    for kind, pattern in FILE_GLOBS.items():
        validator = jsonschema.Draft202012Validator(json_schema(kind), format_checker=jsonschema.FormatChecker())
        for path in sorted(folder.glob(pattern)):
            data = _as_an_editor_reads(parse_yaml(path.read_text(encoding="utf-8"), path.name).data)
            assert [f"{path.name}: {e.message}" for e in validator.iter_errors(data)] == []
            checked += 1
    assert checked >= 3


def test_a_number_where_text_is_expected_is_valid_but_not_where_an_address_is():
    import jsonschema

    partner = jsonschema.Draft202012Validator(json_schema("partner"))
    errors = {e.path[0]: e.message for e in partner.iter_errors({"name": 44, "website": 44}) if e.path}
    assert errors == {"website": "44 is not valid under any of the given schemas"}


# ---------------------------------------------------------------- the schema is the source of the model


def test_every_field_of_every_file_is_in_the_model_or_said_where_it_is_instead():
    """Each map of the content files' schemas has its record in the model, with every one of its fields but
    those it omits, each saying where the model holds it (a map inside an omitted field needs no record)."""
    from coalition_docs.content import fields, meeting_model, meetings_schema, model, records, schema

    def maps(kind):
        yield kind
        omitted = records.RECORDS[kind.__name__].OMITTED if kind.__name__ in records.RECORDS else {}
        for name, info in kind.model_fields.items():
            for inner in (info.annotation, *typing.get_args(info.annotation)):
                for found in (inner, *typing.get_args(inner)):
                    if name not in omitted and isinstance(found, type) and issubclass(found, fields.Strict):
                        yield from maps(found)

    files = [file for kind, file in schema.FILE_SCHEMAS.items() if kind != "roster"]  # the model holds people
    kinds = {kind.__name__ for file in (*files, schema.PersonEntry) for kind in maps(file)}
    assert kinds - set(records.RECORDS) == set()
    assert {"AgreementEntry", "ContactEntry", "MeetingFile"} <= kinds
    assert "SiteSettings" not in kinds
    assert records.RECORDS["MeetingFile"] is meeting_model.Meeting
    for kind in (*(records.RECORDS[kind] for kind in kinds), model.PageTranslation):
        made = {field.name for field in dataclasses.fields(kind)}
        source = getattr(schema, kind.SCHEMA, None) or getattr(meetings_schema, kind.SCHEMA)
        assert set(source.model_fields) - made == set(kind.OMITTED), kind
        assert all(kind.OMITTED.values()), kind  # each says where the model holds it


class _Extended(PartnerFile):
    """partners/ID.yaml with three more fields, as a contributor would add them to schema.py."""

    motto: TOneLine | None = None
    focus: AreaIds = vocab_ids("Areas the partner focuses on")
    ally: PersonId | None = None


# What `python -m coalition_docs.content.shape` writes into shapes.py for a record added to the schema.
SHAPES["_Extended"] = fields_of(_Extended)[0]


@record("_Extended", eq=False)
class _Probe:
    id: str


def test_a_field_added_to_the_schema_reaches_the_model_resolved(monkeypatch):
    from coalition_docs.content import resolve

    builders = []
    build = resolve.Builder.build
    monkeypatch.setattr(resolve.Builder, "build", lambda self: builders.append(self) or build(self))
    load_coalition(EXAMPLE)
    entry = _Extended(name="Riverside Arts", type="nonprofit", relationship="new", summary="Murals.",
                      motto={"en": "Art for all", "es": "Arte para todos"}, focus=["housing-stability"],
                      ally="rosa-delgado", populations=["young-people"])
    probe = builders[0].record(_Probe, plain(entry), id="riverside-arts")
    assert {field.name for field in dataclasses.fields(_Probe)} == {"id", *_Extended.model_fields}
    assert (probe.motto, probe.motto.get("es")) == ("Art for all", "Arte para todos")
    assert [(term.id, term.label) for term in probe.focus] == [("housing-stability", "Housing stability")]
    assert probe.ally.name == "Rosa Delgado" and probe.ally.id == "rosa-delgado"
    assert (probe.type.label, probe.summary.get("en"), probe.contact, probe.stage) == (
        vocab.ORGANIZATION_TYPES["nonprofit"], "Murals.", None, "inventory")
    assert [term.label for term in probe.populations] == [vocab.POPULATIONS["young-people"]]
