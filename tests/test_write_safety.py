"""Output stays inside its folder, never goes through a link that leads out of
the project, and a run killed at any write leaves every file old or new."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Config
from generator.errors import DocmodelsError
from generator.pipeline import run
from generator.write import TEMPORARY_SUFFIX

from .conftest import snapshot_outputs

PYPROJECT = """[tool.docmodels]
sources = ["docs"]
spec = "spec"
output = "out/models"
"""


def page(model: str, description: str) -> str:
    return (
        f"# {model}\n\n| Property | Type | Description |\n|---|---|---|\n"
        f"| id | int | {description} |\n| name | string | Name of the {model}. |\n"
    )


def make_project(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    docs = root / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text)
    return root


def config(root: Path, output_dir: str = "out/models") -> Config:
    return Config(root=root, sources=("docs",), spec_dir="spec", output_dir=output_dir)


def snapshot(root: Path) -> dict[str, bytes]:
    """Return the content of every spec and output file, by relative path."""
    return {name: content for name, (_, content) in snapshot_outputs(root).items()}


# ---------------------------------------------------------------------------
# Symbolic links


def test_output_folder_linked_outside(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "out").mkdir()
    (root / "out" / "models").symlink_to(outside, target_is_directory=True)
    with pytest.raises(DocmodelsError) as caught:
        run(config(root))
    message = str(caught.value)
    assert message.startswith(
        f"{root / 'out' / 'models'}: output folder goes through the symbolic link"
    )
    assert f"points to {outside.resolve()}, outside the project" in message
    assert "hint: replace the link with a real folder" in message
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("link", ["out", "spec"])
def test_other_folder_linked_outside(tmp_path: Path, link: str) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / link).symlink_to(outside, target_is_directory=True)
    with pytest.raises(DocmodelsError, match="symbolic link"):
        run(config(root))
    assert list(outside.iterdir()) == []


def test_folder_linked_inside_is_allowed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    (root / "real").mkdir()
    (root / "out").symlink_to(root / "real", target_is_directory=True)
    run(config(root))
    assert (root / "real" / "models" / "user.py").is_file()


def test_output_folder_named_outside_is_allowed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    outside = tmp_path / "elsewhere"
    run(config(root, output_dir=str(outside)))
    assert (outside / "user.py").is_file()


def test_output_file_that_is_a_link(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    victim = tmp_path / "victim.py"
    victim.write_text("kept\n")
    (root / "out" / "models").mkdir(parents=True)
    (root / "out" / "models" / "user.py").symlink_to(victim)
    with pytest.raises(DocmodelsError, match="output file is a symbolic link"):
        run(config(root))
    assert victim.read_text() == "kept\n"


def test_folder_where_a_file_belongs(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    (root / "out" / "models" / "user.py").mkdir(parents=True)
    with pytest.raises(DocmodelsError) as caught:
        run(config(root))
    assert "could not write the output" in str(caught.value)


def test_leftover_temporary_files_are_removed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"user.md": page("User", "x")})
    run(config(root))
    leftover = root / "out" / "models" / f".user.py.abc123{TEMPORARY_SUFFIX}"
    leftover.write_text("half a fi")
    # A killed run never saves the manifest, so the next run is a full one.
    (root / ".docmodels-cache" / "manifest.json").unlink()
    run(config(root))
    assert not leftover.exists()
    assert run(config(root), check=True).is_current


# ---------------------------------------------------------------------------
# Killed runs

CHILD = """
import os, sys
limit = int(sys.argv[2])
calls = 0

def counted(real):
    def wrapper(*args, **kwargs):
        global calls
        calls += 1
        if calls == limit:
            os._exit(9)
        return real(*args, **kwargs)
    return wrapper

# Every durable step of a run is an fsync or a rename, so stopping the process at
# the Nth of them kills it at that point without depending on timing.
os.replace = counted(os.replace)
os.fsync = counted(os.fsync)
from generator.cli import main
code = main(["generate", "--root", sys.argv[1]])
print(calls)
sys.exit(code)
"""

OLD_PAGES = {
    "user.md": page("User", "Old identifier."),
    "order.md": page("Order", "Old order."),
    "gone.md": page("Gone", "Removed by the new docs."),
}
NEW_PAGES = {
    "user.md": page("User", "New identifier."),
    "order.md": page("Order", "New order."),
    "added.md": page("Added", "Added by the new docs."),
}


def run_child(root: Path, limit: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_killed_run_leaves_old_or_new_files(tmp_path: Path) -> None:
    # The old tree, as a finished run left it.
    template = make_project(tmp_path / "template", OLD_PAGES)
    assert main(["generate", "--root", str(template)]) == 0
    old = snapshot(template)

    # The new tree, from an uninterrupted run that counts the durable steps.
    reference = tmp_path / "reference"
    shutil.copytree(template, reference, symlinks=True)
    make_project(reference, NEW_PAGES)
    finished = run_child(reference, 0)
    assert finished.returncode == 0, finished.stderr
    steps = int(finished.stdout)
    new = snapshot(reference)
    assert steps > 10
    assert old != new

    limits = sorted({1, steps, *range(1, steps + 1, max(1, steps // 12))})
    for limit in limits:
        root = tmp_path / f"killed-{limit}"
        shutil.copytree(template, root, symlinks=True)
        make_project(root, NEW_PAGES)
        killed = run_child(root, limit)
        assert killed.returncode == 9, (limit, killed.stderr)

        for name, content in snapshot(root).items():
            if name.endswith(TEMPORARY_SUFFIX):
                continue
            assert content in (
                old.get(name),
                new.get(name),
            ), f"kill at step {limit}: {name} is neither old nor new"
        assert main(["generate", "--root", str(root)]) == 0
        assert main(["check", "--root", str(root)]) == 0
        assert snapshot(root) == new, f"kill at step {limit}: not repaired"
