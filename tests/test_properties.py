"""Property tests: random edits of valid files never crash loading or validation.

Whatever a person does to a valid file, the tool answers with a Coalition or
with located problems (ContentErrors); any other exception is a bug.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalition_docs.errors import ContentErrors
from coalition_docs.content.load import LoadError, parse_yaml
from coalition_docs.content.validate import load_coalition

from .conftest import FIXTURES

MINIMAL = FIXTURES / "minimal"
FILES = sorted(p.relative_to(MINIMAL).as_posix() for p in MINIMAL.rglob("*") if p.is_file())
YAMLISH = st.text(alphabet=st.sampled_from(list("abz019 -:_[]{},&*!|>'\"#\n\t\\%@`?~Ωé\u0000")), max_size=30)


@st.composite
def edits(draw, text: str) -> str:
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True) or [""]
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["insert", "replace", "delete", "duplicate", "indent", "truncate"]))
        if action == "insert":
            position = draw(st.integers(0, len(text)))
            text = text[:position] + draw(YAMLISH) + text[position:]
        elif action == "replace":
            lines[index] = draw(YAMLISH) + "\n"
            text = "".join(lines)
        elif action == "delete":
            del lines[index]
            text = "".join(lines)
        elif action == "duplicate":
            lines.insert(index, lines[index])
            text = "".join(lines)
        elif action == "indent":
            lines[index] = "  " + lines[index]
            text = "".join(lines)
        else:
            text = text[: draw(st.integers(0, len(text)))]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), name=st.sampled_from(FILES))
def test_random_edits_never_crash_validation(data, name):
    original = (MINIMAL / name).read_text(encoding="utf-8")
    edited = data.draw(edits(original))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(MINIMAL, root)
        (root / name).write_text(edited, encoding="utf-8")
        try:
            load_coalition(root)
        except ContentErrors as exc:
            for problem in exc.problems:
                assert problem.line >= 1 and problem.column >= 1
                assert problem.path and problem.message


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_loads_or_is_refused(text):
    try:
        parse_yaml(text, "any.yaml")
    except LoadError as exc:
        assert exc.problem.line >= 1
