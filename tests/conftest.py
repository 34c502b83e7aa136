"""Shared fixtures: the real documentation corpus and a helper that runs the pipeline."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.config import Config
from generator.pipeline import Result, run

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("DOCMODELS_CORPUS", REPO.parent / "shared" / "corpus"))
UPDATE_GOLDEN = os.environ.get("DOCMODELS_UPDATE_GOLDEN") == "1"
"""Set DOCMODELS_UPDATE_GOLDEN=1 to rewrite golden files instead of comparing with them."""


def corpus_dir(vendor: str = "") -> Path:
    """Return a vendor folder of the real documentation corpus, or skip the test."""
    folder = CORPUS / vendor if vendor else CORPUS
    if not folder.is_dir():
        pytest.skip(f"the documentation corpus is not at {folder}")
    return folder


def generate(root: Path, sources: list[str], package: str = "models", **settings: object) -> Result:
    """Run the pipeline in ``root`` with the spec in ``root/spec`` and code in ``root/<package>``."""
    config = Config(
        root=root, sources=tuple(sources), spec_dir="spec", output_dir=package, **settings
    )  # type: ignore[arg-type]
    return run(config)


def snapshot_outputs(root: Path) -> dict[str, tuple[int, bytes]]:
    """Return the mtime and bytes of every file under ``root/spec`` and ``root/out``."""
    return {
        path.relative_to(root).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
        for folder in (root / "spec", root / "out")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def importable(tmp_path: Path) -> Iterator[Path]:
    """Put ``tmp_path`` on sys.path and forget the modules imported from it afterwards."""
    sys.path.insert(0, str(tmp_path))
    before = set(sys.modules)
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        for name in set(sys.modules) - before:
            module = sys.modules[name]
            if str(getattr(module, "__file__", "") or "").startswith(str(tmp_path)):
                del sys.modules[name]
