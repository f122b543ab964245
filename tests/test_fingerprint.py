"""The tool's fingerprint (engine/manifest.py) covers every module of every subpackage, at any depth."""

from __future__ import annotations

from coalition_docs.engine import manifest


def test_every_module_of_the_package_is_in_the_fingerprint(tmp_path, monkeypatch):
    package = tmp_path / "coalition_docs"
    for relative in ("__init__.py", "cli.py", "content/__init__.py", "content/load.py",
                     "inventory/spreadsheets/__init__.py", "inventory/spreadsheets/rows.py"):
        (package / relative).parent.mkdir(parents=True, exist_ok=True)
        (package / relative).write_text(f"# {relative}\n", encoding="utf-8")
    monkeypatch.setattr(manifest, "_PACKAGE_DIR", package)
    seen = {manifest.tool_fingerprint()}
    for change in ("inventory/spreadsheets/rows.py", "content/load.py", "inventory/spreadsheets/new.py",
                   "engine/new_subpackage/module.py"):
        path = package / change
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.read_text(encoding="utf-8") + "x = 1\n" if path.exists() else "y = 2\n",
                        encoding="utf-8")
        seen.add(manifest.tool_fingerprint())
    catalog = package / "locale" / "es" / "LC_MESSAGES" / "messages.po"
    catalog.parent.mkdir(parents=True)
    catalog.write_text('msgid "Members"\nmsgstr "Miembros"\n', encoding="utf-8")
    seen.add(manifest.tool_fingerprint())  # the package's catalogs are part of the tool: "nothing changed"
    catalog.write_text('msgid "Members"\nmsgstr "Socios"\n', encoding="utf-8")  # must not keep old words
    seen.add(manifest.tool_fingerprint())
    assert len(seen) == 7  # each edit, each new module however deep, each catalog edit is a new tool
    assert manifest.tool_fingerprint() == manifest.tool_fingerprint()

