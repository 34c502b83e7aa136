"""The wheel carries the templates, so an installed docmodels works outside the repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import REPO


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    (wheel,) = out.glob("docmodels-*.whl")
    unpacked = out / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    return unpacked


def test_wheel_contains_templates(wheel_dir: Path) -> None:
    templates = sorted(path.name for path in (wheel_dir / "generator" / "templates").iterdir())
    bundled = sorted(path.name for path in (REPO / "templates").iterdir())
    assert templates == bundled


def test_installed_package_generates_outside_repo(wheel_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    environment = {**os.environ, "PYTHONPATH": str(wheel_dir)}
    location = subprocess.run(
        [sys.executable, "-c", "import generator.render as r; print(r.bundled_templates_dir())"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert location.stdout.strip() == str(wheel_dir / "generator" / "templates")
    completed = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "docs", "--output", "out/courier"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    generated = (tmp_path / "out" / "courier" / "parcel_model.py").read_text()
    expected = (REPO / "generated" / "courier" / "parcel_model.py").read_text()
    assert generated == expected
