"""One exception hierarchy, mapped to exit codes, and the located problem.

Every mistake in a coalition's content becomes a `Problem`: a file relative to
the content folder, a line and column (1-based), a message that says what is
wrong (expected X, found Y), and an optional hint. Stages collect problems and
raise them together as `ContentErrors`, so a person sees all of a run's
mistakes at once. The CLI turns any `CoalitionDocsError` into its exit code;
only a genuine bug can show a traceback.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    hint: str | None = None

    def format(self, *, with_column: bool = True) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if with_column else f"{self.path}:{self.line}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += "\n" + "\n".join(f"    {line}" for line in self.hint.splitlines())
        return text

    def __str__(self) -> str:
        return self.format()


class CoalitionDocsError(Exception):
    """Base of every error the tool reports to a user."""

    exit_code = EXIT_CONTENT


class UsageError(CoalitionDocsError):
    """The command line asked for something impossible (exit 2)."""

    exit_code = EXIT_USAGE


class ContentErrors(CoalitionDocsError):
    """One or more located problems in the content (exit 1)."""

    exit_code = EXIT_CONTENT

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [problem.format() for problem in self.problems]
        count = len(self.problems)
        lines.append(f"{count} error{'s' if count != 1 else ''} found.")
        return "\n".join(lines)


class BuildError(CoalitionDocsError):
    """The build could not finish for a reason outside the content (exit 1)."""

    exit_code = EXIT_CONTENT


def field_path(loc: Iterable[object]) -> str:
    """('people', 3, 'organization') -> 'people[3].organization'."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part == "[key]":
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def did_you_mean(found: object, candidates: Iterable[str]) -> str | None:
    """A "did you mean" hint for a near miss, or None."""
    if not isinstance(found, str):
        return None
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    key = found.strip().lower().replace("_", "-").replace(" ", "-")
    if key in lowered and lowered[key] != found:
        return f"did you mean '{lowered[key]}'?"
    matches = difflib.get_close_matches(key, list(lowered), n=1, cutoff=0.75)
    if matches:
        return f"did you mean '{lowered[matches[0]]}'?"
    return None


def describe(value: object) -> str:
    """How a found value is shown in a message: short, typed, quoted."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown) if shown else "an empty string"
    if isinstance(value, dict):
        return "a map"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {getattr(value, 'written', value)}"
    return f"{type(value).__name__} {value!s:.40}"
