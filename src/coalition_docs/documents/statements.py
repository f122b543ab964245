"""The positionality statements: each author's own copy, with the reflections."""

from __future__ import annotations

from typing import Any

from coalition_docs.content import model


def statement_context(coalition: model.Coalition, statement: model.Statement) -> dict[str, Any]:
    return {
        "language": coalition.language,
        "coalition": coalition,
        "statement": statement,
        # The author's own copy carries the reflections. Identities stay in the
        # content: the statement is what the author chose to say about them, and
        # a PDF travels further than a YAML file.
        "reflections": list(statement.reflections),
    }

