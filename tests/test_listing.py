"""Listing of folder sources and the page paths that the manifest records."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.config import Config
from generator.manifest import _absolute_root, _relative_to, check, save
from generator.sources import find_local_files


def write(path: Path, text: str = "# Page\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_folder_listing_finds_nested_markdown(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.md")
    write(tmp_path / "docs" / "deep" / "b.MARKDOWN")
    write(tmp_path / "docs" / "notes.txt")
    write(tmp_path / "docs" / ".md")  # no suffix, as Path(".md").suffix is ""
    (tmp_path / "docs" / "folder.md").mkdir()

    found = find_local_files(["docs"], tmp_path)

    assert [path.relative_to(tmp_path).as_posix() for path in found] == [
        "docs/a.md",
        "docs/deep/b.MARKDOWN",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_folder_listing_skips_linked_folders(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "a.md")
    write(tmp_path / "elsewhere" / "b.md")
    (tmp_path / "docs" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "docs" / "c.md").symlink_to(tmp_path / "elsewhere" / "b.md")
    (tmp_path / "docs" / "broken.md").symlink_to(tmp_path / "missing.md")

    found = find_local_files(["docs"], tmp_path)

    assert [path.name for path in found] == ["a.md", "c.md"]


def test_relative_path_under_and_outside_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    root = _absolute_root(Config(root=Path("project")))

    assert root == str(tmp_path / "project") + os.sep
    assert _relative_to(root, Path("project/docs/a.md")) == "docs/a.md"
    assert _relative_to(root, tmp_path / "project" / "sub" / ".." / "b.md") == "b.md"
    assert _relative_to(root, Path("other/c.md")) == (tmp_path / "other" / "c.md").as_posix()
    assert _relative_to(root, tmp_path / "projects" / "d.md") == (
        tmp_path / "projects" / "d.md"
    ).as_posix()


def test_manifest_notices_added_and_changed_pages(tmp_path: Path) -> None:
    config = Config(root=tmp_path, sources=("docs",))
    page = write(tmp_path / "docs" / "a.md")
    output = write(tmp_path / "out" / "a.py", "# generated\n")
    save(config, False, find_local_files(config.sources, tmp_path), [output])
    assert check(config, False).current

    write(tmp_path / "docs" / "deep" / "b.md")
    assert check(config, False).reason == "the set of input pages changed"

    (tmp_path / "docs" / "deep" / "b.md").unlink()
    assert check(config, False).current
    page.write_text("# Page, edited\n", encoding="utf-8")
    assert check(config, False).reason == "docs/a.md changed"
