"""The PDF documents: worksheet, letters, positionality statements, and the join of letters.pdf."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coalition_docs.documents.plan import DOCUMENTS_FOLDER

if TYPE_CHECKING:
    from coalition_docs.content import model
    from coalition_docs.engine.manifest import OutputRecords
    from coalition_docs.stage import Plan
    from coalition_docs.templating import Theme


class DocumentsStage:
    """The documents as a stage of the build (stage.py's protocol): PDFs and e-mail drafts under documents/.

    Its work is in documents/stage.py, imported when the stage is planned or its workers are set up:
    a build of the site alone (`--only site`) does not import the PDF code."""

    name = DOCUMENTS_FOLDER
    folders = (DOCUMENTS_FOLDER,)
    label = "PDFs"

    def warm_up(self, content: Path, theme: "Theme"):
        from coalition_docs.documents.stage import paper_hint, warm_up

        return warm_up, (theme, Path(content), paper_hint(content))

    def plan(self, coalition: "model.Coalition", theme: "Theme", records: "OutputRecords") -> "Plan":
        from coalition_docs.documents.stage import plan_stage

        return plan_stage(coalition, theme, records)
