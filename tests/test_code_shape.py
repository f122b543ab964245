"""The shape of the code: no import cycles between modules (imports inside functions count),
an engine that imports only what it may, and no module over 400 lines."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "src" / "coalition_docs"
# What engine/ may import of the package: it knows nothing of content, pages or documents.
ENGINE_MAY_IMPORT = {"coalition_docs.errors", "coalition_docs.files", "coalition_docs.console"}
# ...besides the standard library and the package's own dependencies.
DEPENDENCIES = {"yaml", "pydantic", "jinja2", "markdown_it", "weasyprint", "rich", "watchfiles", "openpyxl",
                "pypdf", "babel", "pydyf"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every module path imports, at any depth of the file (inside functions too), made absolute."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            found.add(origin)
            found.update(f"{origin}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports (a package's __init__ is not counted as a step)."""
    return {name: {m for m in imports(path) if m in MODULES and m != "coalition_docs" and m != name}
            for name, path in MODULES.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back():
    assert cycles(graph()) == []


def test_the_engine_imports_only_the_standard_library_its_dependencies_and_three_modules():
    wrong = {}
    for name, path in MODULES.items():
        if name.startswith("coalition_docs.engine"):
            for module in imports(path):
                top = module.split(".")[0]
                if top == "coalition_docs":
                    allowed = module.startswith("coalition_docs.engine") or any(
                        module == m or module.startswith(m + ".") for m in ENGINE_MAY_IMPORT)
                else:
                    allowed = top in sys.stdlib_module_names or top in DEPENDENCIES or top == "__future__"
                if not allowed:
                    wrong.setdefault(name, set()).add(module)
    assert wrong == {}


def test_no_module_is_over_400_lines():
    long = {name: n for name, path in MODULES.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_starting_the_command_line_loads_no_schema():
    """The model builds its records from the schema (pydantic); the command line and the theme start without
    either, so `--help`, `docs` and `serve` start quickly."""
    import subprocess

    code = ("import sys, coalition_docs.cli; "
            "print(sorted({'pydantic', 'coalition_docs.content.model'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
