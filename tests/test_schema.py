"""schema.py: the JSON Schema export agrees with the declared models."""

from __future__ import annotations

import json

from coalition_docs.content import vocab
from coalition_docs.content.schema import FILE_GLOBS, json_schema

from .conftest import run_cli


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

