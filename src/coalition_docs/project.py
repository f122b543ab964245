"""Finding the content folder: given itself, or the project folder that holds content/.

As MkDocs finds its mkdocs.yml, every command accepts either the content folder
(the one with coalition.yaml) or the project folder around it, and says which
folder it used when it had to look.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONTENT = "content"


@dataclass(frozen=True)
class Located:
    content: Path  # the folder holding coalition.yaml (or the folder given, for the loader to judge)
    project: Path | None  # the project folder, when the content folder was found inside it


def locate(given: Path | None) -> Located:
    """The content folder for `given` (None: ./content, else the current folder if it holds coalition.yaml)."""
    if given is None:
        if (Path(CONTENT) / "coalition.yaml").is_file() or not Path("coalition.yaml").is_file():
            return Located(Path(CONTENT), None)
        return Located(Path("."), None)
    given = Path(given)
    if not (given / "coalition.yaml").is_file() and (given / CONTENT / "coalition.yaml").is_file():
        return Located(given / CONTENT, given)
    return Located(given, None)
