"""What the launch kit adds to the documents stage: its PDFs, and its calendar and vCards.

`launch_documents` plans the agendas (each meeting that is not a draft, in each
of its languages), the working agreement and the contact sheet as documents
of the documents stage (laid out, tagged and reused like the letters), with
every text an agenda lacks in its language as a problem. `launch_files` gives
the files that are not PDFs (documents/meetings.ics, documents/contacts.vcf),
each keyed by its own bytes: an edit that does not change a file does not
make it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from coalition_docs.content import model
from coalition_docs.documents.plan import PlannedDocument
from coalition_docs.errors import Problem
from coalition_docs.launch.agendas import AGENDA_TEMPLATE, agenda_context, agenda_problems, planned_agendas
from coalition_docs.launch.agreement import AGREEMENT_TEMPLATE, CONTACTS_TEMPLATE, agreement_context
from coalition_docs.engine.manifest import digest_bytes
from coalition_docs.engine.outputs import PlannedOutput
from coalition_docs.launch.contacts import contact_sheet, namespace, vcards
from coalition_docs.launch.events import CALENDAR_NAME, internal_calendar, public_calendars
from coalition_docs.templating import Theme

CONTACTS_CARDS = "contacts.vcf"


def launch_documents(coalition: model.Coalition) -> tuple[list[PlannedDocument], list[Problem]]:
    documents, problems = [], []
    for path, meeting, language in planned_agendas(coalition):
        problems += agenda_problems(coalition, meeting, language)
        documents.append(PlannedDocument(path, AGENDA_TEMPLATE, agenda_context(coalition, meeting, language),
                                         language=language))
    primary = coalition.language
    documents.append(PlannedDocument("agreement.pdf", AGREEMENT_TEMPLATE, agreement_context(coalition),
                                     language=primary))
    documents.append(PlannedDocument("contacts.pdf", CONTACTS_TEMPLATE,
                                     {"language": primary, "coalition": coalition,
                                      "sheet": contact_sheet(coalition)}, language=primary))
    return documents, problems


def launch_files(coalition: model.Coalition, theme: Theme) -> dict[str, bytes]:
    """documents/meetings.ics (when a meeting is not a draft) and documents/contacts.vcf (when anyone is on it)."""
    from coalition_docs import i18n

    files = {}
    events = internal_calendar(coalition, theme)
    if events is not None:
        files[CALENDAR_NAME] = events.encode("utf-8")
    cards = vcards(coalition, i18n.labels(theme, coalition.language))
    if cards:
        files[CONTACTS_CARDS] = cards.encode("utf-8")
    return files


def site_calendars(coalition: model.Coalition, theme: Theme, views: Mapping[str, Any], folder: str) -> list[PlannedOutput]:
    """The public calendars at the root of each language's pages (`views`: language -> public view),
    keyed by their bytes: meetings.ics, and meetings/ID.ics for each public meeting."""
    host = namespace(coalition)
    planned = []
    for code, view in views.items():
        prefix = "" if code == coalition.language else f"{code}/"
        for path, text in public_calendars(view, theme, code, host).items():
            data = text.encode("utf-8")
            planned.append(PlannedOutput(f"{folder}/{prefix}{path}", digest_bytes(path, data), write_file, (data,),
                                         cost=0.01, batch=folder))
    return planned


def write_file(root: Path, path: str, data: bytes) -> None:
    """An engine render: bytes made when the build was planned."""
    (Path(root) / path).write_bytes(data)
