"""Read documentation pages where vendors publish them: URLs and ``llms.txt`` indexes.

:func:`collect_remote_pages` expands every index into the pages it links to, then fetches
the pages over HTTP in parallel threads. Each fetched body is kept in a cache folder with
its ``ETag`` and ``Last-Modified`` headers, so the next run sends conditional requests
and an offline run reads the cache alone. Every failed page is collected, and one
:class:`DocmodelsError` lists them all: the call returns every page or none.

The configuration imports :class:`FetchSettings` on every run, so this module
imports urllib.request and markdown-it-py only when it fetches or parses.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import DocmodelsError, Location
from .llms_index import HTTP_SCHEMES, PageAddress, parse_index, select_pages
from .page_cache import CachedPage, PageCache
from .sources import (
    MARKDOWN_SUFFIXES,
    Page,
    decode_utf8,
    display_name,
    is_index,
    normalize_newlines,
    read_page,
)

log = logging.getLogger(__name__)

FETCH_PAGE_LIMIT = "[tool.docmodels.fetch] max-page-bytes"
"""The setting that bounds every page this module reads, local index files included."""
PROGRESS_MIN_PAGES = 5
"""Fewer pages than this are fetched without a progress bar."""


@dataclass(frozen=True)
class FetchSettings:
    """Limits and options for reading remote pages."""

    timeout_seconds: float = 10
    """Seconds allowed to connect and for each wait on the socket.

    Reading a body also stops once it has taken longer than this.
    """

    max_page_bytes: int = 2_000_000
    """Maximum size of a page body in bytes. Reading stops once a body grows past it."""

    max_pages: int = 500
    """Maximum number of pages that one call reads, counted after indexes are expanded."""

    max_parallel: int = 8
    """Maximum number of requests in flight at once."""

    include: tuple[str, ...] = ()
    """fnmatch patterns on the URL path; an index link is kept if it matches any (or none are given)."""

    exclude: tuple[str, ...] = ()
    """fnmatch patterns on the URL path; an index link that matches any is dropped."""

    cache_dir: Path = Path(".docmodels-cache/pages")
    """Folder of cached pages, relative to the project root unless absolute."""

    offline: bool = False
    """Read pages from the cache only, and fail for any page that is not in it."""


def collect_remote_pages(
    sources: Sequence[str], root: Path, settings: FetchSettings | None = None
) -> list[Page]:
    """Read the pages that URLs and ``llms.txt`` indexes name, in a stable order.

    Pages come in source order and, for an index, in index order, each once.
    Raises DocmodelsError when an index cannot be read, when there are more pages
    than ``max_pages``, or when any page fails. That error lists every failed page.
    """
    settings = settings or FetchSettings()
    fetcher = PageFetcher(settings, PageCache(root / settings.cache_dir))

    addresses = list_page_addresses(sources, root, settings, fetcher)
    if len(addresses) > settings.max_pages:
        raise DocmodelsError(
            addresses[settings.max_pages].origin,
            f"the sources name {len(addresses)} pages, over the limit of {settings.max_pages}",
            hint="raise [tool.docmodels.fetch] max-pages, or narrow the index with include/exclude",
        )

    pages = _read_pages(addresses, root, settings, fetcher)
    log.debug("read %d remote or indexed pages", len(pages))
    return pages


def list_page_addresses(
    sources: Sequence[str], root: Path, settings: FetchSettings, fetcher: PageFetcher
) -> list[PageAddress]:
    """Expand indexes into their selected links and drop repeated pages, keeping first use."""
    found: dict[str, PageAddress] = {}
    for source in sources:
        if is_index(source):
            addresses = _read_index(source, root, settings, fetcher)
        else:
            _check_scheme(source, Location(source))
            addresses = [PageAddress(source, False, Location(source))]
        for address in addresses:
            found.setdefault(address.address, address)
    return list(found.values())


def _read_index(
    source: str, root: Path, settings: FetchSettings, fetcher: PageFetcher
) -> list[PageAddress]:
    base: str | Path
    if "://" in source:
        _check_scheme(source, Location(source))
        index = fetcher.fetch_page(source)
        base = source
    else:
        path = root / source
        if not path.is_file():
            raise DocmodelsError(
                Location(source),
                f"index {source!r} not found",
                hint="check the path in [tool.docmodels] sources or on the command line",
            )
        index = read_page(path, root, settings.max_page_bytes, FETCH_PAGE_LIMIT)
        base = path.parent

    links = parse_index(index.text)
    addresses = select_pages(
        links, index.name, base, settings.include, settings.exclude
    )
    if not addresses:
        found = f"{len(links)} links, none selected by the include/exclude patterns"
        raise DocmodelsError(
            Location(index.name),
            f"index lists no pages to read ({found if links else 'no list of links'})",
            hint="an index lists pages as '- [Title](url)'; check include and exclude",
        )
    log.debug("%s: %d of %d links selected", index.name, len(addresses), len(links))
    return addresses


def _check_scheme(url: str, origin: Location) -> None:
    if urlsplit(url).scheme.lower() not in HTTP_SCHEMES:
        raise DocmodelsError(
            origin,
            f"URL {url!r} is not http or https",
            hint="only http:// and https:// pages can be fetched",
        )


def _read_pages(
    addresses: Sequence[PageAddress],
    root: Path,
    settings: FetchSettings,
    fetcher: PageFetcher,
) -> list[Page]:
    remote = [address.address for address in addresses if not address.is_local]
    futures: dict[str, Future[Page]] = {}
    if remote:
        workers = max(1, min(settings.max_parallel, len(remote)))
        with _progress(len(remote)) as advance, ThreadPoolExecutor(workers) as pool:
            futures = {url: pool.submit(fetcher.fetch_page, url) for url in remote}
            for _ in as_completed(futures.values()):
                advance()

    pages: list[Page] = []
    failures: list[DocmodelsError] = []
    for address in addresses:
        try:
            if address.is_local:
                pages.append(_read_linked_file(address, root, settings))
            else:
                pages.append(futures[address.address].result())
        except DocmodelsError as error:
            failures.append(error)
    if failures:
        raise _combine_failures(failures)
    return pages


def _read_linked_file(
    address: PageAddress, root: Path, settings: FetchSettings
) -> Page:
    path = Path(address.address)
    if not path.is_file():
        raise DocmodelsError(
            address.origin,
            f"linked file {display_name(path, root)!r} not found",
            hint="links in a local index are paths relative to the index",
        )
    return read_page(path, root, settings.max_page_bytes, FETCH_PAGE_LIMIT)


def _combine_failures(failures: Sequence[DocmodelsError]) -> DocmodelsError:
    """Make one error of many: the first in full, then each other one on its own line."""
    first = failures[0]
    if len(failures) == 1:
        return first
    others = len(failures) - 1
    lines = [
        f"{first.message} (and {others} more failed {'page' if others == 1 else 'pages'})"
    ]
    lines.extend(f"  {failure.location}: {failure.message}" for failure in failures[1:])
    return DocmodelsError(first.location, "\n".join(lines), hint=first.hint)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[], None]]:
    """Show a progress bar on a terminal; do nothing under CI or when stderr is redirected."""
    if total < PROGRESS_MIN_PAGES or os.environ.get("CI") or not sys.stderr.isatty():
        yield lambda: None
        return

    import click

    with click.progressbar(
        length=total, label="Fetching pages", file=sys.stderr
    ) as bar:
        yield lambda: bar.update(1)


def url_stem(url: str) -> str:
    """Return the last path segment of a URL without its Markdown suffix."""
    parts = urlsplit(url)
    segments = [segment for segment in unquote(parts.path).split("/") if segment]
    name = segments[-1] if segments else parts.hostname or "index"
    for suffix in MARKDOWN_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


class PageFetcher:
    """Fetches single pages through the cache; safe to share between threads."""

    def __init__(self, settings: FetchSettings, cache: PageCache) -> None:
        self.settings = settings
        self.cache = cache

    def fetch_page(self, url: str) -> Page:
        """Return the page at a URL, revalidating or reading a cached copy when there is one."""
        try:
            if self.settings.offline:
                return self._read_cached(url)
            return self._download(url)
        except DocmodelsError as error:
            log.debug("%s: failed: %s", url, error.message)
            raise

    def _read_cached(self, url: str) -> Page:
        cached = self.cache.load(url)
        if cached is None:
            raise DocmodelsError(
                Location(url),
                "page is not in the cache; run once without --offline",
                hint=f"the cache folder is {self.cache.directory}",
            )
        log.debug("%s: offline, read from the cache", url)
        return _decode_page(url, cached.body)

    def _download(self, url: str) -> Page:
        from .http_client import download

        cached = self.cache.load(url)
        response = download(
            url, cached, self.settings.timeout_seconds, self.settings.max_page_bytes
        )
        if response.body is None:
            assert cached is not None, "download() returns 304 only for a cached page"
            log.debug("%s: HTTP 304 Not Modified, cached copy used", url)
            validators = (response.etag, response.last_modified)
            if validators != (cached.etag, cached.last_modified):
                self.cache.store(url, CachedPage(cached.body, *validators))
            return _decode_page(url, cached.body)

        log.debug(
            "%s: HTTP %d, %d bytes fetched", url, response.status, len(response.body)
        )
        page = _decode_page(url, response.body)
        self.cache.store(
            url, CachedPage(response.body, response.etag, response.last_modified)
        )
        return page


def _decode_page(url: str, body: bytes) -> Page:
    """Decode a body as UTF-8 Markdown, dropping a BOM, and reject an HTML document."""
    text = decode_utf8(
        body,
        url,
        problem="not a Markdown page: ",
        hint="docmodels reads pages as UTF-8",
    )
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        raise DocmodelsError(
            Location(url),
            "not a Markdown page: the body is an HTML document",
            hint="link the Markdown version of the page (many sites serve it at the URL plus .md)",
        )
    return Page(name=url, text=normalize_newlines(text), stem=url_stem(url))
