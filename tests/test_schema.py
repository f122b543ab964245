"""schema.py: the JSON Schema export agrees with the declared models."""

from __future__ import annotations

import json

from coalition_docs.content import vocab
from coalition_docs.content.schema import FILE_GLOBS, json_schema


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
