"""Small sample projects in temporary folders, and the git and subprocess calls they need."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SHOP_PAGE = """\
# Shop

## Order object

| Field | Type | Required | Description |
| --- | --- | --- | --- |
| id | integer | yes | Number the shop gives the order. |
| total | integer | yes | Amount due, in cents. |
| coupon | string | no | Discount code the buyer entered. |
| placed_at | datetime | no | Moment the buyer confirmed the order. |
| memo | string | no | Free-form remark from the buyer. |

## Customer object

| Field | Type | Description |
| --- | --- | --- |
| id | integer | Number the shop gives the customer. |
| email | string | Address that receipts go to. |
"""
"""A page with two models; :func:`edit_shop_page` makes the second version of it."""

SHIPMENT_SECTION = """
## Shipment object

| Field | Type | Description |
| --- | --- | --- |
| carrier | string | Company that delivers the parcel. |
| weight | number | Parcel weight in kilograms. |
"""

PYPROJECT = """\
[tool.docmodels]
sources = ["docs"]
spec = "spec"
output = "models/shop"
"""

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def make_shop(root: Path) -> Path:
    """Write a project with one page and a pyproject.toml; return its root."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "shop.md").write_text(SHOP_PAGE, encoding="utf-8")
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / ".gitignore").write_text(".docmodels-cache/\n", encoding="utf-8")
    return root


def edit_shop_page(root: Path) -> None:
    """Remove ``coupon``, make ``total`` a string, rename ``memo`` to ``buyer_memo``,
    make ``placed_at`` required and add the Shipment model."""
    page = root / "docs" / "shop.md"
    text = page.read_text(encoding="utf-8")
    replacements = [
        ("| coupon | string | no | Discount code the buyer entered. |\n", ""),
        ("| total | integer | yes |", "| total | string | yes |"),
        ("| memo | string | no |", "| buyer_memo | string | no |"),
        ("| placed_at | datetime | no |", "| placed_at | datetime | yes |"),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    page.write_text(text + SHIPMENT_SECTION, encoding="utf-8")


def make_field_nullable(spec_file: Path, model: str, wire_name: str) -> None:
    """Mark a field nullable in a spec JSON file, as a hand edit of the spec would."""
    data = json.loads(spec_file.read_text(encoding="utf-8"))
    (found,) = [item for item in data["models"] if item["name"] == model]
    (field,) = [item for item in found["fields"] if item["wire_name"] == wire_name]
    field["nullable"] = True
    spec_file.write_text(
        json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def git(root: Path, *arguments: str) -> str:
    """Run git in ``root`` with a fixed identity and return its output."""
    completed = subprocess.run(
        ["git", *arguments],
        cwd=root,
        env={**os.environ, **GIT_IDENTITY},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def commit_all(root: Path, message: str) -> str:
    """Stage and commit everything; return the new commit's hash."""
    if not (root / ".git").exists():
        git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "--message", message)
    return git(root, "rev-parse", "HEAD").strip()


def run_docmodels(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m generator`` in a fresh interpreter, in ``root``."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *arguments],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
