"""Read ``llms.txt`` indexes: Markdown lists of links to documentation pages.

An index has a title, an optional summary and sections whose list items each start
with a link, as in ``- [User](https://example.com/user.md): notes``.
This module finds those links, resolves them against the index and keeps the pages
that the include and exclude patterns select, in index order and without duplicates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .errors import DocmodelsError, Location

if TYPE_CHECKING:
    from markdown_it.token import Token

log = logging.getLogger(__name__)

HTTP_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class IndexLink:
    """The first link of one list item in an index."""

    target: str
    """The link destination as written, possibly relative."""

    line: int
    """1-based line of the list item in the index."""


@dataclass(frozen=True)
class PageAddress:
    """One page to read: a URL to fetch, or a local file that a local index links to."""

    address: str
    """An absolute http(s) URL, or the path of a local file."""

    is_local: bool
    """Whether ``address`` is a local file path rather than a URL."""

    origin: Location
    """The place that named the page: a line of an index, or the source itself."""


def parse_index(text: str) -> list[IndexLink]:
    """Return the first link of every list item, in document order.

    Links outside lists (in the title or the summary blockquote) are not pages, and
    later links in a list item belong to its notes, so both are skipped.
    """
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    links: list[IndexLink] = []
    item_has_link: list[bool] = []
    for token in tokens:
        if token.type == "list_item_open":
            item_has_link.append(False)
        elif token.type == "list_item_close":
            item_has_link.pop()
        elif token.type == "inline" and item_has_link and not item_has_link[-1]:
            target = _first_link_target(token)
            if target is not None:
                line = token.map[0] + 1 if token.map else 1
                links.append(IndexLink(target, line))
                item_has_link[-1] = True
    return links


def _first_link_target(inline: Token) -> str | None:
    for child in inline.children or ():
        if child.type == "link_open":
            href = child.attrGet("href")
            return str(href) if href is not None else None
    return None


def select_pages(
    links: Iterable[IndexLink],
    index_name: str,
    base: str | Path,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
) -> list[PageAddress]:
    """Resolve an index's links and keep those that the patterns select.

    ``base`` is the index URL for a remote index, or the folder of a local index, whose
    relative links name files next to it. A link is kept when its path matches any
    ``include`` pattern (all links when there is none) and no ``exclude`` pattern.
    Fragments are dropped, so ``user.md#id`` and ``user.md`` are one page.
    """
    selected: dict[str, PageAddress] = {}
    for link in links:
        target = urldefrag(link.target).url
        if not target:
            log.debug(
                "%s:%d: skipped a link to a section of the index", index_name, link.line
            )
            continue
        page = _resolve_link(target, link, index_name, base)
        if not matches_patterns(_pattern_subject(page), include, exclude):
            log.debug(
                "%s:%d: %s excluded by the patterns",
                index_name,
                link.line,
                page.address,
            )
            continue
        selected.setdefault(page.address, page)
    return list(selected.values())


def _resolve_link(
    target: str, link: IndexLink, index_name: str, base: str | Path
) -> PageAddress:
    origin = Location(index_name, link.line)
    if isinstance(base, str):
        target = urljoin(base, target)
    scheme = urlsplit(target).scheme.lower()
    if scheme in HTTP_SCHEMES:
        return PageAddress(target, False, origin)
    if scheme or isinstance(base, str):
        raise DocmodelsError(
            origin,
            f"link {link.target!r} is not an http or https URL",
            hint="an index may link only to http(s) pages or to files next to a local index",
        )
    if target.startswith("/"):
        raise DocmodelsError(
            origin,
            f"link {link.target!r} is an absolute path",
            hint="in a local index, write links to local files relative to the index",
        )
    return PageAddress(str(base / unquote(target)), True, origin)


def _pattern_subject(page: PageAddress) -> str:
    if page.is_local:
        return Path(page.address).as_posix()
    return unquote(urlsplit(page.address).path)


def matches_patterns(path: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Return whether a path matches an include pattern (or there is none) and no exclude.

    Patterns use :mod:`fnmatch` syntax and are case-sensitive. ``*`` also matches ``/``,
    so ``*-model.md`` selects ``/docs/user-model.md``.
    """
    if include and not any(fnmatchcase(path, pattern) for pattern in include):
        return False
    return not any(fnmatchcase(path, pattern) for pattern in exclude)
