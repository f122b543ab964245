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

from .conftest import EXAMPLE, FIXTURES, examples, run_cli

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


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
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


@settings(max_examples=examples(300), deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_loads_or_is_refused(text):
    try:
        parse_yaml(text, "any.yaml")
    except LoadError as exc:
        assert exc.problem.line >= 1


# ---------------------------------------------------------------- byte mutations, through the CLI

EXAMPLE_FILES = sorted(p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*")
                       if p.is_file() and p.suffix in (".yaml", ".md"))


@st.composite
def byte_mutations(draw, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if action == "flip" and position < len(data):
            data = data[:position] + bytes([draw(st.integers(0, 255))]) + data[position + 1:]
        elif action == "insert":
            data = data[:position] + draw(st.binary(min_size=1, max_size=8)) + data[position:]
        elif action == "delete":
            data = data[:position] + data[position + draw(st.integers(1, 16)):]
        else:
            data = data[:position]
    return data


@settings(max_examples=examples(150), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_byte_mutations_of_any_file_never_crash_or_hang_check(data, capsys):
    import signal

    name = data.draw(st.sampled_from(EXAMPLE_FILES))
    mutated = data.draw(byte_mutations((EXAMPLE / name).read_bytes()))
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(EXAMPLE, content)
        (content / name).write_bytes(mutated)

        def hung(signum, frame):
            raise AssertionError(f"check hung on a mutation of {name}")

        previous = signal.signal(signal.SIGALRM, hung)
        signal.alarm(20)
        try:
            code, _, err = run_cli(capsys, "check", content)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    assert code in (0, 1), err
    assert "internal error" not in err and "Traceback" not in err, err
    if code == 1:
        last = err.strip().splitlines()[-1]
        assert last.endswith("found."), err
