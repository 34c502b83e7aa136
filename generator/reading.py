"""Read a set of pages into spec modules: parse each page, link the pages, apply overrides.

This is the part of a run that both ``generate`` and ``inspect`` perform.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import naming, overrides, references
from .config import Limits
from .errors import Diagnostics, DocmodelsError, Location
from .parse import PageResult, read_page
from .sources import Page
from .spec import Module


def read_modules(
    pages: Sequence[Page],
    limits: Limits,
    override_table: dict[str, Any],
    config_file: str,
    diagnostics: Diagnostics,
) -> list[Module]:
    """Return one module per page, in page order, with references resolved."""
    results: list[PageResult] = []
    seen_modules: dict[str, str] = {}
    for page in pages:
        module_name = naming.module_name(page.stem)
        if module_name in seen_modules:
            raise DocmodelsError(
                Location(page.name),
                f"page maps to module {module_name!r}, like {seen_modules[module_name]}",
                hint="rename one of the pages; each page becomes one module",
            )
        seen_modules[module_name] = page.name
        results.append(read_page(page, module_name, limits, diagnostics))
    return overrides.apply(
        references.resolve(results, diagnostics),
        override_table,
        Location(config_file),
        diagnostics,
    )
