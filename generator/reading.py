"""Read a set of pages into spec modules: parse each page, link the pages, apply overrides.

This is the part of a run that both ``generate`` and ``inspect`` perform.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, cast

from . import naming, overrides, references
from .config import Config, Limits
from .errors import Diagnostic, Diagnostics, DocmodelsError, Location
from .manifest import code_fingerprint
from .parse import PageResult, read_page
from .run_cache import RunCache, digest
from .sources import Page, collect_pages
from .spec import Module, UnknownKeys

log = logging.getLogger(__name__)


def collect_config_pages(config: Config) -> list[Page]:
    """Read the pages that the configuration's sources name; raise when there is none."""
    if not config.sources:
        raise DocmodelsError(
            Location(config.file),
            "no sources given",
            hint="name pages on the command line or set sources in [tool.docmodels]",
        )
    return collect_pages(
        config.sources, config.root, config.limits.max_page_bytes, config.fetch
    )


def read_modules(
    pages: Sequence[Page],
    limits: Limits,
    override_table: dict[str, Any],
    config_file: str,
    diagnostics: Diagnostics,
    unknown_keys: str = "ignore",
    cache: RunCache | None = None,
) -> list[Module]:
    """Return one module per page, in page order, with references resolved.

    ``unknown_keys`` is the project's policy, one of ``UNKNOWN_KEYS_POLICIES``;
    overrides may change it per model. ``cache`` supplies the results of pages
    read before and keeps the new ones.
    """
    # What shapes a page's result besides its text; the overrides apply later.
    settings = f"{limits!r}\0{unknown_keys}"
    # Checked against the valid policies when the config was read.
    policy = cast(UnknownKeys, unknown_keys)
    collected = _Collected()
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
        results.append(
            _read_page(page, module_name, limits, collected, policy, cache, settings)
        )
    modules, settled = overrides.apply(
        references.resolve(results, collected),
        override_table,
        Location(config_file),
        collected,
    )
    for item in collected.items:
        if item.is_error:
            diagnostics.error(item.location, item.message, item.hint)
        elif item.location in settled:
            log.debug("%s: an override settles: %s", item.location, item.message)
        else:
            diagnostics.warn(item.location, item.message, item.hint)
    return modules


def _read_page(
    page: Page,
    module: str,
    limits: Limits,
    collected: Diagnostics,
    policy: UnknownKeys,
    cache: RunCache | None,
    settings: str,
) -> PageResult:
    """Read a page, or take its result and diagnostics from the cache."""
    if cache is None:
        return read_page(page, module, limits, collected, policy)
    key = digest(code_fingerprint(), settings, page.name, page.stem, module, page.text)
    entry = cache.get(key)
    if entry is not None:
        result, found = entry
        collected.items.extend(found)
        return cast(PageResult, result)

    before = len(collected.items)
    result = read_page(page, module, limits, collected, policy)
    cache.put(key, (result, tuple(collected.items[before:])))
    return result


class _Collected(Diagnostics):
    """Diagnostics held back until the overrides show which of them are moot."""

    def warn(self, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(location, message, hint))
