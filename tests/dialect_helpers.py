"""Shared helpers of the tests that read documentation pages of many layouts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.config import Limits
from generator.errors import Diagnostics, Location
from generator.expressions import python_annotation
from generator.reading import read_modules
from generator.sources import collect_pages
from generator.spec import Field, Model, Module

from .conftest import REPO, corpus_dir

__all__ = ["FIXTURES", "corpus_dir"]

FIXTURES = REPO / "tests" / "fixtures" / "dialects"


def read_folder(
    folder: Path, overrides: dict[str, object] | None = None
) -> tuple[list[Module], Diagnostics]:
    """Read every page below a folder the way ``generate`` does."""
    diagnostics = Diagnostics()
    pages = collect_pages((str(folder),), folder, Limits().max_page_bytes)
    modules = read_modules(
        pages, Limits(), dict(overrides or {}), "pyproject.toml", diagnostics
    )
    return modules, diagnostics


def model(modules: list[Module], name: str, module_name: str = "") -> Model:
    """Return the model of that class name (in that module, if given), or fail."""
    for module in modules:
        if module_name and module.name != module_name:
            continue
        for candidate in module.models:
            if candidate.name == name:
                return candidate
    found = [m.name for module in modules for m in module.models]
    raise AssertionError(f"no model {name!r}; models read: {found}")


def summary(field: Field) -> tuple[str, bool, bool]:
    """Return a field's Python annotation, required flag and nullable flag."""
    return python_annotation(field.type), field.required, field.nullable


def fields_of(found: Model) -> dict[str, tuple[str, bool, bool]]:
    """Map each wire name of a model to :func:`summary` of its field."""
    return {field.wire_name: summary(field) for field in found.fields}


def messages(diagnostics: Diagnostics) -> list[str]:
    """Return ``file-name:line: message`` for every warning and error."""
    return [
        f"{Location(Path(item.location.file).name, item.location.line)}: {item.message}"
        for item in diagnostics.items
    ]


def run_mypy(folder: Path, package: str) -> subprocess.CompletedProcess[str]:
    """Run mypy --strict on a generated package inside folder."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
