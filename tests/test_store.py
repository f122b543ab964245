"""content/store.py: what reading each content file gave, kept from one run to the next.

A warm store must never change what a person is told: the same coalition, the
same problems at the same lines, an edit seen at once, a file that may not be
read refused every time, and a damaged or foreign store ignored.
"""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from coalition_docs.content import store as store_module
from coalition_docs.content.store import ContentStore
from coalition_docs.content.validate import load_coalition
from coalition_docs.files import user_cache

from .conftest import city_hall, edit, problems, run_cli


def _opened(content: Path) -> ContentStore:
    from coalition_docs.engine.manifest import tool_fingerprint

    return ContentStore.open(content, tool_fingerprint())


def test_a_second_run_reads_every_file_from_the_store_and_builds_the_same_site(content, tmp_path, capsys):
    from coalition_docs.content.load import read_text

    assert run_cli(capsys, "build", content, "--only", "site", "--out", tmp_path / "cold")[0] == 0
    kept = _opened(content)
    models = {"coalition.yaml": "CoalitionFile", "roster.yaml": "RosterFile",
              "partners/city-hall.yaml": "PartnerFile", "partners/test-backbone.yaml": "PartnerFile"}
    for name, model in models.items():
        assert kept.get(ContentStore.key(name, model, read_text(content / name, content))) is not None, name
    assert run_cli(capsys, "build", content, "--only", "site", "--out", tmp_path / "warm")[0] == 0
    cold = {p.relative_to(tmp_path / "cold"): p.read_bytes() for p in (tmp_path / "cold").rglob("*") if p.is_file()}
    warm = {p.relative_to(tmp_path / "warm"): p.read_bytes() for p in (tmp_path / "warm").rglob("*") if p.is_file()}
    assert Path("site/members/test-backbone/index.html") in cold
    assert warm == cold


def test_problems_are_the_same_with_a_warm_store_and_located(content):
    edit(city_hall(content), "type: local-government", "type: local-goverment")
    roster = content / "roster.yaml"
    roster.write_text(roster.read_text(encoding="utf-8") + "bogus_field: 1\n", encoding="utf-8")
    line = roster.read_text(encoding="utf-8").count("\n")
    cold = problems(content)
    warm = problems(content)
    assert warm == cold
    assert any("partners/city-hall.yaml:" in p and "did you mean 'local-government'" in p for p in warm)
    assert any(p.startswith(f"roster.yaml:{line}:1:") and "bogus_field" in p for p in warm)


def test_an_edit_is_seen_at_once(content):
    load_coalition(content)
    edit(city_hall(content), "name: City Hall", "name: Town Hall")
    assert "Town Hall" in [p.name for p in load_coalition(content).partners]
    edit(city_hall(content), "name: Town Hall", "name: [Town")
    assert any(p.startswith("partners/city-hall.yaml:") and "YAML syntax error" in p for p in problems(content))


def test_a_file_that_may_not_be_read_is_refused_even_when_its_text_is_in_the_store(content, tmp_path):
    load_coalition(content)
    outside = tmp_path / "elsewhere.yaml"
    outside.write_bytes(city_hall(content).read_bytes())  # the same text: the same key in the store
    city_hall(content).unlink()
    city_hall(content).symlink_to(outside)
    assert any(p.startswith("partners/city-hall.yaml:1:1: file resolves outside the content folder")
               for p in problems(content))


@pytest.mark.parametrize("damage", ["garbage", "another version", "a folder", "a FIFO", "not mine"])
def test_a_damaged_or_foreign_store_is_ignored(content, damage):
    load_coalition(content)
    path = _opened(content).path
    if damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "another version":
        path.write_bytes(pickle.dumps(("0|another tool", {b"x": b"y"})))
    elif damage == "a folder":
        path.unlink()
        path.mkdir()
    elif damage == "a FIFO":
        path.unlink()
        os.mkfifo(path)
    elif damage == "not mine":
        if os.getuid() != 0:
            pytest.skip("changing a file's owner needs root")
        os.chown(path, 12345, 12345)
    assert [p.name for p in load_coalition(content).partners] == ["City Hall", "Test Backbone"]
    edit(city_hall(content), "type: local-government", "type: local-goverment")
    assert any("did you mean 'local-government'" in p for p in problems(content))


def test_a_cache_folder_that_cannot_be_written_changes_nothing(content, tmp_path, monkeypatch, capsys):
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("COALITION_DOCS_CACHE", str(blocked))
    assert user_cache("content") is None
    code, out, err = run_cli(capsys, "check", content)
    assert (code, err) == (0, "")
    assert "no problems found (2 partners" in out


def test_a_full_disk_leaves_the_store_as_it_was(content, monkeypatch):
    load_coalition(content)
    path = _opened(content).path
    before = path.read_bytes()
    edit(city_hall(content), "name: City Hall", "name: Town Hall")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module.os, "replace", full)
    assert "Town Hall" in [p.name for p in load_coalition(content).partners]
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".store-")] == []  # no temporary left


def test_only_the_most_recently_used_content_folders_are_kept(tmp_path, monkeypatch, content):
    monkeypatch.setattr(store_module, "KEEP", 3)
    monkeypatch.setenv("COALITION_DOCS_CACHE", str(tmp_path / "cache"))
    folders = []
    for index in range(5):
        copy = tmp_path / f"copy-{index}"
        shutil.copytree(content, copy / "content")
        folders.append(copy / "content")
        load_coalition(copy / "content")
        stored = _opened(copy / "content").path
        os.utime(stored, ns=(index * 10**9, index * 10**9 + 10**12))
    kept = sorted(p.name for p in _opened(folders[-1]).path.parent.glob("*.pickle"))
    assert len(kept) == 3
    assert _opened(folders[-1]).path.name in kept and _opened(folders[0]).path.name not in kept


@pytest.mark.parametrize("value", ["off", "OFF", "0"])
def test_the_cache_can_be_turned_off(content, tmp_path, monkeypatch, capsys, value):
    monkeypatch.setenv("COALITION_DOCS_CACHE", value)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "check", content)
    assert (code, err) == (0, "")
    assert user_cache("content") is None
    assert not (tmp_path / value).exists()  # not taken for a folder name


def test_without_a_home_folder_nothing_is_cached_where_the_command_runs(content, tmp_path, monkeypatch, capsys):
    for name in ("COALITION_DOCS_CACHE", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(os.path, "expanduser", lambda path: path)  # as when no user entry is found
    monkeypatch.chdir(tmp_path)
    assert user_cache("content") is None
    code, out, err = run_cli(capsys, "check", content)
    assert (code, err) == (0, "")
    assert not (tmp_path / "~").exists()


def test_a_relative_xdg_cache_home_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv("COALITION_DOCS_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    assert user_cache("content") == tmp_path / "home" / ".cache" / "coalition-docs" / "content"
    assert not (tmp_path / "relative").exists()


def test_a_save_killed_halfway_leaves_nothing_behind_for_long(content, tmp_path, monkeypatch):
    monkeypatch.setenv("COALITION_DOCS_CACHE", str(tmp_path / "cache"))
    load_coalition(content)
    folder = _opened(content).path.parent
    old, fresh = folder / ".store-killed", folder / ".store-writing"
    for path in (old, fresh):
        path.write_bytes(b"half a store")
    os.utime(old, (0, 0))  # written long ago by a run that was killed
    edit(city_hall(content), "name: City Hall", "name: Town Hall")  # a change: the store is saved again
    load_coalition(content)
    assert not old.exists()
    assert fresh.exists()  # perhaps another run's save in progress
    assert _opened(content).path.is_file()
