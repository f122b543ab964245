"""`coalition-docs report`: the coalition's coverage and gaps, as rich tables or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from coalition_docs.content.languages import LanguageReport
from coalition_docs.inventory.analysis import NEED_KINDS, Coverage


def _names(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "—"


def render_text(cov: Coverage, coalition_name: str, stream: TextIO, width: int | None = None,
                languages: Sequence[LanguageReport] = ()) -> None:
    from rich.console import Console
    from rich.table import Table

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits with status 1 when the reader stops early (`report | head`); the
            # command line treats a closed pipe as the reader's choice, not an error (cli.py).
            self.quiet = True
            raise BrokenPipeError

    console = _Console(file=stream, width=width, highlight=False, soft_wrap=False)
    console.print(f"[bold]{coalition_name}[/bold]: coverage of {cov.partners} partners "
                  f"({cov.members} member{'' if cov.members == 1 else 's'}; partners who declined do not count)")
    for kind, title in NEED_KINDS:
        rows = [n for n in cov.needs if n.kind == kind]
        if not rows:
            continue
        table = Table(title=f"{title} the coalition needs", title_justify="left", expand=False)
        table.add_column("Need")
        table.add_column("Members who meet it")
        table.add_column("Not yet members")
        for need in rows:
            label = need.term.label if need.met else f"[bold red]{need.term.label} (no one)[/bold red]"
            table.add_row(label, _names(need.members), _names(need.others))
        console.print(table)

    gaps = Table(title="Gaps", title_justify="left", show_header=True)
    gaps.add_column("What is missing")
    gaps.add_column("Where")
    for need in cov.unmet:
        gaps.add_row("A need no partner meets", f"{dict(NEED_KINDS)[need.kind]}: {need.term.label}")
    for need in cov.met_only_outside:
        gaps.add_row("A need only non-members meet", f"{dict(NEED_KINDS)[need.kind]}: {need.term.label}")
    for term in cov.missing_types:
        gaps.add_row("An organization type with no partner", term.label)
    for term in cov.types_without_member:
        gaps.add_row("An organization type with no member", term.label)
    for term in cov.empty_roles:
        gaps.add_row("A management role nobody holds", term.label)
    for group in cov.groups:
        if group.no_lead:
            gaps.add_row("A working group without a lead", group.name)
        if group.no_community_member:
            gaps.add_row("A working group without a community member", group.name)
    if gaps.row_count:
        console.print(gaps)
    else:
        console.print("No gaps: every need is met, every type and role is filled.")
    console.print(f"Community members serving: {cov.community_members}, of whom {cov.compensated} "
                  f"{'is' if cov.compensated == 1 else 'are'} compensated.")
    for report in languages:  # how far each translation is (content-format v1.1)
        console.print(report.line(), markup=False)


def render_json(cov: Coverage, stream: TextIO, languages: Sequence[LanguageReport] = ()) -> None:
    data = cov.to_json()
    data["languages"] = [report.to_json() for report in languages]
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
