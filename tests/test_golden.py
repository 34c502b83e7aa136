"""Golden tests: the example docs must reproduce the checked-in spec/ and generated/ trees.

The checked-in trees are the golden files. After an intended change, update them
with ``DOCMODELS_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` (which runs
``docmodels generate`` in the repository) and review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import load_config

from .conftest import REPO, UPDATE_GOLDEN

CONFIG = load_config(REPO)
UPDATE_HINT = "update with: DOCMODELS_UPDATE_GOLDEN=1 pytest tests/test_golden.py"


def _tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module", autouse=True)
def _update_golden() -> None:
    if UPDATE_GOLDEN:
        assert main(["generate", "--root", str(REPO)]) == 0


def _project(tmp_path: Path, *, with_spec: bool) -> Path:
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    if with_spec:
        shutil.copytree(CONFIG.spec_path, tmp_path / "spec")
    return tmp_path


def _generate(root: Path, *extra: str) -> None:
    arguments = ["generate", "--root", str(root), "--spec", str(root / "spec")]
    arguments += ["--output", str(root / "out" / "courier")]
    assert main([*arguments, str(root / "docs"), *extra]) == 0


def test_docs_to_spec_matches_golden(tmp_path: Path) -> None:
    root = _project(tmp_path, with_spec=False)
    _generate(root)
    assert _tree(root / "spec") == _tree(CONFIG.spec_path), UPDATE_HINT


def test_docs_to_code_matches_golden(tmp_path: Path) -> None:
    root = _project(tmp_path, with_spec=False)
    _generate(root)
    assert _tree(root / "out" / "courier") == _tree(CONFIG.output_path), UPDATE_HINT


def test_spec_to_code_matches_golden(tmp_path: Path) -> None:
    root = _project(tmp_path, with_spec=True)
    shutil.rmtree(root / "docs")
    (root / "docs").mkdir()
    _generate(root, "--from-spec")
    assert _tree(root / "out" / "courier") == _tree(CONFIG.output_path), UPDATE_HINT
