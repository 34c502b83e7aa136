"""The hatchling build hook: a wheel built from a project carries freshly generated models.

The builds run without build isolation, in this interpreter, which has hatchling
and docmodels installed (the test extra), so they need no package index.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from .projects import edit_shop_page, make_shop, run_docmodels

SAMPLE_PYPROJECT = """\
[build-system]
requires = ["hatchling", "docmodels"]
build-backend = "hatchling.build"

[project]
name = "shop"
version = "1.0"

[tool.hatch.build.targets.wheel]
packages = ["src/shop"]

[tool.hatch.build.hooks.docmodels]

[tool.docmodels]
sources = ["docs"]
output = "src/shop/models"
"""


def _sample(root: Path) -> Path:
    make_shop(root)
    (root / "pyproject.toml").write_text(SAMPLE_PYPROJECT, encoding="utf-8")
    (root / "src" / "shop").mkdir(parents=True)
    (root / "src" / "shop" / "__init__.py").write_text('"""A sample shop."""\n')
    # Generated models are often kept out of git; the hook must still pack them.
    (root / ".gitignore").write_text(".docmodels-cache/\nsrc/shop/models/\n")
    return root


def _build_wheel(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            "dist",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_wheel_contains_fresh_models(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    completed = run_docmodels(root, "generate")
    assert completed.returncode == 0, completed.stderr
    stale = (root / "src" / "shop" / "models" / "shop.py").read_text()
    assert "coupon" in stale
    edit_shop_page(root)

    completed = _build_wheel(root)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert (
        "docmodels: updated src/shop/models/shop.py"
        in completed.stdout + completed.stderr
    )

    (wheel,) = (root / "dist").glob("shop-1.0-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        packed = archive.read("shop/models/shop.py").decode()
    assert {
        "shop/models/__init__.py",
        "shop/models/_runtime.py",
        "shop/models/py.typed",
    } <= names
    assert packed == (root / "src" / "shop" / "models" / "shop.py").read_text()
    assert "class Shipment(rt.Model[ShipmentDict]):" in packed
    assert "coupon" not in packed
    assert "buyer_memo" in packed


def test_build_fails_on_invalid_page(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    page = root / "docs" / "shop.md"
    page.write_text(page.read_text() + "| id | integer | Listed twice. |\n")
    completed = _build_wheel(root)
    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert "docmodels: error: docs/shop.md:19: property 'id' is listed twice" in output
    assert not (root / "dist").exists() or not list((root / "dist").glob("*.whl"))
