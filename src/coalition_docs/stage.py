"""One shape for every kind of output: a `Stage` plans, the engine decides what to render.

A stage turns the checked coalition into a `Plan`: the outputs it makes (each
with its path, its key and how to render it, engine/outputs.py), the checks
to run on the written files (the site's links), and warnings for the person
building. It renders nothing and touches neither the manifest nor the output
folder: `check` runs every stage's plan to find all that `build` would refuse.

The stages a build knows are listed once, in phases.py's STAGES. A new kind of
output is a module with a class of this shape (and its templates), added there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from coalition_docs.engine.manifest import OutputRecords
from coalition_docs.engine.outputs import PlannedOutput

if TYPE_CHECKING:
    from coalition_docs.content import model
    from coalition_docs.templating import Theme


@dataclass
class Plan:
    """What a stage will make: outputs, checks of the written output, warnings."""

    outputs: list[PlannedOutput] = field(default_factory=list)
    # Each is called with the staging folder once everything is written; raises BuildError.
    checks: list[Callable[[Path], None]] = field(default_factory=list)
    # "path:line:column: warning: ..." lines: the build succeeds, but a person may want to know.
    warnings: list[str] = field(default_factory=list)


class Stage(Protocol):
    name: str  # what `--only` names
    folders: tuple[str, ...]  # the top folders of the output it writes into
    label: str  # what the progress calls its outputs ("pages", "PDFs")

    def warm_up(self, content: Path, theme: "Theme") -> tuple[Callable[..., Any], tuple] | None:
        """A set-up (a module-level function and its arguments) for workers started before the
        content is read, or None when the stage's work does not gain from it."""

    def plan(self, coalition: "model.Coalition", theme: "Theme", records: OutputRecords) -> Plan:
        """Every output of the stage; raises ContentErrors with every problem the build would refuse.

        `records` holds the previous build (its manifest, `records.previous_folder`) and the tool's fingerprint.
        """
