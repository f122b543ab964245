"""The package list, computed so that no module or theme folder can be left out of the wheel.

Every folder of src/coalition_docs is a package; the default theme (templates/) and the
example coalition (content/) and the documentation (docs/, its Markdown only: `coalition-docs
docs` prints it) live at the top of the repository and ship inside the package as
coalition_docs/theme, coalition_docs/example and coalition_docs/docs. Everything else is in
pyproject.toml.
"""

from pathlib import Path

from setuptools import setup

ROOT = Path(__file__).resolve().parent
# package name -> the folder it is read from (relative to the repository)
FOLDERS = {
    "coalition_docs": "src/coalition_docs",
    "coalition_docs.theme": "templates",
    "coalition_docs.example": "content",
    "coalition_docs.docs": "docs",
}
# folders that stay out of the package: the documentation's pictures are for the repository
SKIP = {("coalition_docs.docs", "images")}


def packages() -> list[str]:
    names = []
    for package, folder in FOLDERS.items():
        top = ROOT / folder
        for path in [top, *sorted(p for p in top.rglob("*") if p.is_dir())]:
            parts = path.relative_to(top).parts
            if any(part == "__pycache__" or part.startswith(".") for part in parts) \
                    or (package, *parts[:1]) in SKIP:
                continue
            names.append(".".join((package, *parts)))
    return names


if __name__ == "__main__":
    setup(packages=packages(), package_dir={"": "src", **{p: f for p, f in FOLDERS.items() if p != "coalition_docs"}})
