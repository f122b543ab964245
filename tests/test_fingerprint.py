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



def test_the_input_files_are_listed_and_hashed_as_a_person_would_expect(tmp_path):
    # Hidden files and folders, __pycache__ and editor backups (~) are not inputs; a link to a
    # folder is not followed (it may point anywhere), a link to a file is read; a FIFO is hashed
    # as its kind, never read (it would block). Files sort part by part ("a/b" before "a-c").
    import os

    for relative in ("a/b/f.yaml", "a/z.md", "a-c/g.yaml", "x.yaml~", ".hidden", ".git/HEAD", "__pycache__/m.pyc"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(relative, encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "folder-link").symlink_to(tmp_path / "a")
    (tmp_path / "file-link").symlink_to(tmp_path / "a/z.md")
    (tmp_path / "broken-link").symlink_to(tmp_path / "nowhere")
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * 1024)  # larger than one read
    listed = [p.relative_to(tmp_path).as_posix() for p in manifest.tree_files(tmp_path)]
    assert listed == ["a/b/f.yaml", "a/z.md", "a-c/g.yaml", "big.bin", "broken-link", "fifo", "file-link"]
    fingerprint, table = manifest.inputs_fingerprint([tmp_path], {"only": "all"})
    assert [name.partition("//")[2] for name in table] == [
        "a/b/f.yaml", "a/z.md", "a-c/g.yaml", "big.bin", "fifo", "file-link"]  # the broken link is skipped
    assert table[f"{tmp_path}//file-link"][2] == table[f"{tmp_path}//a/z.md"][2] == _digest(b"a/z.md")
    assert table[f"{tmp_path}//big.bin"][2] == _digest(big.read_bytes())
    (tmp_path / "a/z.md").write_text("changed", encoding="utf-8")
    assert manifest.inputs_fingerprint([tmp_path], {"only": "all"})[0] != fingerprint


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.blake2b(data, digest_size=16).hexdigest()
