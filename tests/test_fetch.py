"""Tests for reading pages over HTTP and through llms.txt indexes.

Every request goes to a threaded HTTP server that the tests start on 127.0.0.1 with an
OS-chosen port. It serves real QuickBlox model pages with ETags, records each
request's headers, and each test can make it fail in the ways a real site does.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.config import config_from_table
from generator.errors import DocmodelsError, ExitCode
from generator.fetch import FetchSettings, collect_remote_pages, url_stem
from generator.llms_index import IndexLink, parse_index, select_pages
from generator.page_cache import CachedPage, PageCache
from generator.sources import Page, collect_pages, read_page

from .conftest import corpus_dir, snapshot_outputs

MARKDOWN = "text/markdown; charset=utf-8"


def quickblox_files() -> list[Path]:
    return sorted(corpus_dir("quickblox").glob("*-model.md"))


def read_local(path: Path) -> Page:
    return read_page(path, path.parent, 10_000_000)


@dataclass
class Route:
    """What the test server sends for one path."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0
    """Pause before the status line is sent."""
    chunk_delay_seconds: float = 0.0
    """Pause before each 100-byte piece of the body, so that it trickles in."""
    send_length: bool = True
    """Whether to send Content-Length; without it the body ends when the server closes."""


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int


class DocServer:
    """A documentation site on 127.0.0.1 whose pages and failures each test sets up."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        self._running = True

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def add(
        self,
        path: str,
        body: str | bytes,
        content_type: str = MARKDOWN,
        **route: object,
    ) -> str:
        """Serve a body at a path with an ETag and return its URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = {
            "Content-Type": content_type,
            "ETag": f'"{hashlib.sha256(data).hexdigest()[:16]}"',
        }
        self.routes[path] = Route(data, headers=headers, **route)  # type: ignore[arg-type]
        return self.url(path)

    def stop(self) -> None:
        if self._running:
            self._running = False
            self._httpd.shutdown()
            self._httpd.server_close()

    def statuses(self, prefix: str = "/") -> list[int]:
        return [
            request.status
            for request in self.requests
            if request.path.startswith(prefix)
        ]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._respond(server.routes.get(self.path))

            def _wait(self, seconds: float) -> None:
                """Sleep as a request in flight; counted only before the response is
                sent, because a client that has its response may start the next
                request before this thread ends."""
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    time.sleep(seconds)
                finally:
                    with server._lock:
                        server.in_flight -= 1

            def _record(self, status: int) -> None:
                """Log the request before the response starts, so a client never outruns it."""
                with server._lock:
                    server.requests.append(
                        Request(self.path, dict(self.headers), status)
                    )

            def _respond(self, route: Route | None) -> None:
                if route is None:
                    self._record(404)
                    self.send_error(404, "Not Found")
                    return
                self._wait(route.delay_seconds)
                etag = route.headers.get("ETag")
                modified = route.headers.get("Last-Modified")
                if route.status == 200 and (
                    (etag and self.headers.get("If-None-Match") == etag)
                    or (modified and self.headers.get("If-Modified-Since") == modified)
                ):
                    self._record(304)
                    self.send_response(304)
                    for name in ("ETag", "Last-Modified"):
                        if name in route.headers:
                            self.send_header(name, route.headers[name])
                    self.end_headers()
                    return
                self._record(route.status)
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                for start in range(0, len(route.body), 100):
                    time.sleep(route.chunk_delay_seconds)
                    self.wfile.write(route.body[start : start + 100])
                    self.wfile.flush()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore clients that hang up early, as the timeout tests make them do."""


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every request on 127.0.0.1, whatever proxy the environment names."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def server() -> Iterator[DocServer]:
    site = DocServer()
    yield site
    site.stop()


def serve_quickblox(server: DocServer) -> list[Path]:
    """Serve the model pages under /quickblox/ and an index of them at /llms.txt.

    The index links pages in three ways: absolute URL, root-relative path and a path
    relative to the index. It also lists a guide page that ``*-model.md`` leaves out.
    """
    files = quickblox_files()
    items = []
    for number, path in enumerate(files):
        server.add(f"/quickblox/{path.name}", path.read_bytes())
        link = [
            server.url(f"/quickblox/{path.name}"),
            f"/quickblox/{path.name}",
            f"quickblox/{path.name}",
        ]
        items.append(f"- [{path.stem}]({link[number % 3]}): the {path.stem} table")
    server.add("/guides/start.md", "# Start here\n\nNo tables on this page.\n")
    index = "\n".join(
        [
            "# Example chat service",
            "",
            "> Reference pages of a test site. [About](/about.md)",
            "",
            "## Models",
            "",
            *items,
            "",
            "## Guides",
            "",
            "- [Getting started](/guides/start.md)",
            "",
        ]
    )
    server.add("/llms.txt", index, content_type="text/plain; charset=utf-8")
    return files


def settings_for(tmp_path: Path, **overrides: object) -> FetchSettings:
    return FetchSettings(cache_dir=tmp_path / "cache", **overrides)  # type: ignore[arg-type]


def raise_fetch_error(
    urls: list[str], settings: FetchSettings, tmp_path: Path
) -> DocmodelsError:
    with pytest.raises(DocmodelsError) as caught:
        collect_remote_pages(urls, tmp_path, settings)
    return caught.value


# --- Pages from an index match the local files ---


def test_index_pages_equal_local_files(server: DocServer, tmp_path: Path) -> None:
    files = serve_quickblox(server)
    settings = settings_for(tmp_path, include=("*-model.md",))

    pages = collect_remote_pages([server.url("/llms.txt")], tmp_path, settings)

    local = [read_local(path) for path in files]
    assert [page.name for page in pages] == [
        server.url(f"/quickblox/{path.name}") for path in files
    ]
    assert [page.stem for page in pages] == [page.stem for page in local]
    assert [page.text for page in pages] == [page.text for page in local]
    assert "/guides/start.md" not in [request.path for request in server.requests]


def test_page_url_source_is_fetched(server: DocServer, tmp_path: Path) -> None:
    path = quickblox_files()[0]
    url = server.add(f"/docs/{path.name}", path.read_bytes())

    pages = collect_remote_pages([url], tmp_path, settings_for(tmp_path))

    assert pages == [Page(name=url, text=read_local(path).text, stem=path.stem)]


def test_collect_pages_hands_urls_to_fetch(
    server: DocServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "local.md").write_text("# Local\n", encoding="utf-8")
    url = server.add("/remote.md", "# Remote\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    pages = collect_pages(["local.md", url], tmp_path, 10_000)

    assert [page.name for page in pages] == ["local.md", url]
    assert (tmp_path / ".docmodels-cache" / "pages").is_dir()
    assert not (
        elsewhere / ".docmodels-cache"
    ).exists(), "cache is relative to the root"


# --- Cache, revalidation and offline runs ---


def test_second_run_revalidates_with_etags(server: DocServer, tmp_path: Path) -> None:
    files = serve_quickblox(server)
    settings = settings_for(tmp_path, include=("*-model.md",))
    first = collect_remote_pages([server.url("/llms.txt")], tmp_path, settings)
    assert server.statuses("/quickblox/") == [200] * len(files)
    server.requests.clear()

    second = collect_remote_pages([server.url("/llms.txt")], tmp_path, settings)

    assert second == first
    page_requests = [
        request for request in server.requests if request.path.startswith("/quickblox/")
    ]
    assert len(page_requests) == len(files)
    for request in page_requests:
        assert (
            request.headers.get("If-None-Match")
            == server.routes[request.path].headers["ETag"]
        )
        assert request.status == 304
    assert server.statuses("/llms.txt") == [304]


def test_requests_logged_with_status(
    server: DocServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = server.add("/page.md", "# Page\n")
    missing = server.url("/missing.md")
    caplog.set_level(logging.DEBUG, logger="generator")

    collect_remote_pages([url], tmp_path, settings_for(tmp_path))
    collect_remote_pages([url], tmp_path, settings_for(tmp_path))
    with pytest.raises(DocmodelsError):
        collect_remote_pages([missing], tmp_path, settings_for(tmp_path))

    messages = [record.getMessage() for record in caplog.records]
    assert f"{url}: HTTP 200, 7 bytes fetched" in messages
    assert f"{url}: HTTP 304 Not Modified, cached copy used" in messages
    assert f"{missing}: failed: HTTP 404 Not Found" in messages


def test_offline_run_reads_cache_without_server(
    server: DocServer, tmp_path: Path
) -> None:
    serve_quickblox(server)
    index = server.url("/llms.txt")
    settings = settings_for(tmp_path, include=("*-model.md",))
    online = collect_remote_pages([index], tmp_path, settings)
    server.stop()

    offline = collect_remote_pages(
        [index], tmp_path, settings_for(tmp_path, include=("*-model.md",), offline=True)
    )

    assert offline == online


def test_offline_missing_page_names_url(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/never-fetched.md"

    error = raise_fetch_error([url], settings_for(tmp_path, offline=True), tmp_path)

    assert error.location.file == url
    assert error.message == "page is not in the cache; run once without --offline"


def test_last_modified_revalidation(server: DocServer, tmp_path: Path) -> None:
    url = server.add("/dated.md", "# Dated\n")
    route = server.routes["/dated.md"]
    del route.headers["ETag"]
    route.headers["Last-Modified"] = "Tue, 01 Dec 2026 10:00:00 GMT"
    settings = settings_for(tmp_path)

    first = collect_remote_pages([url], tmp_path, settings)
    second = collect_remote_pages([url], tmp_path, settings)

    assert second == first
    assert server.statuses() == [200, 304]
    assert (
        server.requests[1].headers.get("If-Modified-Since")
        == route.headers["Last-Modified"]
    )
    assert "If-None-Match" not in server.requests[1].headers


def test_changed_page_replaces_cached_copy(server: DocServer, tmp_path: Path) -> None:
    url = server.add("/page.md", "# Old\n")
    settings = settings_for(tmp_path)
    collect_remote_pages([url], tmp_path, settings)
    server.add("/page.md", "# New\n")

    pages = collect_remote_pages([url], tmp_path, settings)
    offline = collect_remote_pages(
        [url], tmp_path, settings_for(tmp_path, offline=True)
    )

    assert server.statuses() == [200, 200]
    assert pages[0].text == "# New\n"
    assert offline[0].text == "# New\n"


def test_damaged_cache_entry_is_fetched_again(
    server: DocServer, tmp_path: Path
) -> None:
    url = server.add("/page.md", "# Page\n")
    settings = settings_for(tmp_path)
    collect_remote_pages([url], tmp_path, settings)
    for body in (tmp_path / "cache").glob("*.body"):
        body.write_bytes(b"# Changed behind the cache's back\n")

    pages = collect_remote_pages([url], tmp_path, settings)

    assert pages[0].text == "# Page\n"
    assert "If-None-Match" not in server.requests[1].headers


def test_cache_round_trip(tmp_path: Path) -> None:
    cache = PageCache(tmp_path / "nested" / "cache")
    page = CachedPage(b"# Body\n", etag='"abc"', last_modified=None)

    cache.store("https://example.invalid/a.md", page)

    assert cache.load("https://example.invalid/a.md") == page
    assert cache.load("https://example.invalid/b.md") is None
    assert not list(cache.directory.glob(".*")), "no temporary file is left behind"


# --- Failures ---


@pytest.mark.parametrize(
    ("path", "route", "expected"),
    [
        ("/missing.md", None, "HTTP 404 Not Found"),
        ("/slow.md", {"delay_seconds": 1.0}, "request timed out after 0.3 s"),
        ("/trickle.md", {"chunk_delay_seconds": 0.15}, "request timed out after 0.3 s"),
        (
            "/huge.md",
            {"body": "# Huge\n" + "x" * 5000},
            "page is larger than the limit of 2000 bytes",
        ),
        (
            "/unsized.md",
            {"body": "# Huge\n" + "x" * 5000, "send_length": False},
            "page is larger than the limit of 2000 bytes",
        ),
        (
            "/file-redirect.md",
            {"status": 302, "location": "file:///etc/passwd"},
            "HTTP 302 redirect to 'file:///etc/passwd' rejected: only http and https are followed",
        ),
        (
            "/ftp-redirect.md",
            {"status": 301, "location": "ftp://127.0.0.1/a.md"},
            "HTTP 301 redirect to 'ftp://127.0.0.1/a.md' rejected: only http and https are followed",
        ),
        (
            "/page.html",
            {"content_type": "text/html; charset=utf-8"},
            "not a Markdown page: Content-Type is 'text/html; charset=utf-8'",
        ),
        (
            "/data.json",
            {"content_type": "application/json"},
            "not a Markdown page: Content-Type is 'application/json'",
        ),
        (
            "/logo.md",
            {"content_type": "image/png"},
            "not a Markdown page: Content-Type is 'image/png'",
        ),
        (
            "/latin1.md",
            {"body": b"# Caf\xe9\n"},
            "not a Markdown page: invalid UTF-8 byte 0xe9 at offset 5",
        ),
        (
            "/spa.md",
            {
                "body": "<!DOCTYPE html>\n<html><body>app</body></html>\n",
                "content_type": "text/plain",
            },
            "not a Markdown page: the body is an HTML document",
        ),
        ("/error.md", {"status": 500}, "HTTP 500 Internal Server Error"),
    ],
)
def test_page_failure_message(
    server: DocServer,
    tmp_path: Path,
    path: str,
    route: dict[str, object] | None,
    expected: str,
) -> None:
    url = server.url(path)
    if route is not None:
        options = dict(route)
        body = options.pop("body", "# Page\n" * 50)
        content_type = str(options.pop("content_type", MARKDOWN))
        location = options.pop("location", None)
        server.add(path, body, content_type, **options)  # type: ignore[arg-type]
        if location is not None:
            server.routes[path].headers["Location"] = str(location)
    settings = settings_for(tmp_path, timeout_seconds=0.3, max_page_bytes=2000)

    started = time.monotonic()
    error = raise_fetch_error([url], settings, tmp_path)

    assert error.location.file == url
    assert error.message == expected
    assert str(error).startswith(f"{url}")
    assert error.hint
    assert time.monotonic() - started < 2.0
    assert not list((tmp_path / "cache").glob("*.body")), "a failed page is not cached"


def test_redirect_to_http_is_followed(server: DocServer, tmp_path: Path) -> None:
    target = server.add("/new/page.md", "# Moved page\n")
    server.add("/old/page.md", b"", status=301)
    server.routes["/old/page.md"].headers["Location"] = "/new/page.md"
    old = server.url("/old/page.md")

    pages = collect_remote_pages([old], tmp_path, settings_for(tmp_path))

    assert pages == [Page(name=old, text="# Moved page\n", stem="page")]
    assert [request.path for request in server.requests] == [
        "/old/page.md",
        "/new/page.md",
    ]
    assert target.endswith("/new/page.md")


def test_failures_listed_together(server: DocServer, tmp_path: Path) -> None:
    good = server.add("/good.md", "# Good\n")
    html = server.add("/html.md", "<p>no</p>", content_type="text/html")
    missing = server.url("/missing.md")
    gone = server.url("/gone.md")

    error = raise_fetch_error(
        [missing, good, html, gone], settings_for(tmp_path), tmp_path
    )

    lines = str(error).splitlines()
    assert lines[0] == f"{missing}: HTTP 404 Not Found (and 2 more failed pages)"
    assert lines[1] == f"  {html}: not a Markdown page: Content-Type is 'text/html'"
    assert lines[2] == f"  {gone}: HTTP 404 Not Found"
    assert lines[3].startswith("  hint: ")


def test_missing_index_fails_before_pages(server: DocServer, tmp_path: Path) -> None:
    index = server.url("/llms.txt")

    error = raise_fetch_error([index], settings_for(tmp_path), tmp_path)

    assert str(error).startswith(f"{index}: HTTP 404 Not Found")


def test_non_http_source_rejected(tmp_path: Path) -> None:
    error = raise_fetch_error(
        ["ftp://127.0.0.1/a.md"], settings_for(tmp_path), tmp_path
    )

    assert error.message == "URL 'ftp://127.0.0.1/a.md' is not http or https"


def test_non_http_index_link_names_line(server: DocServer, tmp_path: Path) -> None:
    index = server.add(
        "/llms.txt", "# Site\n\n- [A](/a.md)\n- [Mail](mailto:docs@example.invalid)\n"
    )

    error = raise_fetch_error([index], settings_for(tmp_path), tmp_path)

    assert str(error.location) == f"{index}:4"
    assert (
        error.message
        == "link 'mailto:docs@example.invalid' is not an http or https URL"
    )


def test_max_pages_exceeded(server: DocServer, tmp_path: Path) -> None:
    files = serve_quickblox(server)
    settings = settings_for(tmp_path, include=("*-model.md",), max_pages=3)

    error = raise_fetch_error([server.url("/llms.txt")], settings, tmp_path)

    assert error.message == f"the sources name {len(files)} pages, over the limit of 3"
    assert [request.path for request in server.requests] == [
        "/llms.txt"
    ], "no page is fetched"


def test_parallel_requests_bounded(server: DocServer, tmp_path: Path) -> None:
    urls = [
        server.add(f"/p{number}.md", f"# Page {number}\n", delay_seconds=0.1)
        for number in range(8)
    ]

    pages = collect_remote_pages(urls, tmp_path, settings_for(tmp_path, max_parallel=2))

    assert [page.name for page in pages] == urls
    assert server.max_in_flight == 2


# --- Index parsing, filtering and link resolution ---


def test_parse_index_takes_first_link_of_items() -> None:
    lines = [
        "# Site",  # line 1
        "",
        "> Summary with [a link](/not-a-page.md).",
        "",
        "- [User](user.md): see also [Dialog](dialog.md)",  # line 5
        "- plain item without a link",
        "* [Nested parent](parent.md)",
        "  - [Child](child.md)",  # line 8
        "",
        "1. [Numbered](numbered.md)",  # line 10
        "",
        "[Outside](outside.md)",
    ]
    text = "\n".join(lines)

    links = parse_index(text)

    assert links == [
        IndexLink("user.md", 5),
        IndexLink("parent.md", 7),
        IndexLink("child.md", 8),
        IndexLink("numbered.md", 10),
    ]


def test_select_pages_resolves_relative_links() -> None:
    index = "https://docs.example.invalid/guide/llms.txt"
    targets = [
        "user.md",
        "/api/dialog.md",
        "../top.md",
        "https://other.example.invalid/x.md",
        "user.md#fields",
        "#top",
        "sub/deep.md",
    ]
    links = [IndexLink(target, line) for line, target in enumerate(targets, start=1)]

    pages = select_pages(links, index, index)

    assert [page.address for page in pages] == [
        "https://docs.example.invalid/guide/user.md",
        "https://docs.example.invalid/api/dialog.md",
        "https://docs.example.invalid/top.md",
        "https://other.example.invalid/x.md",
        "https://docs.example.invalid/guide/sub/deep.md",
    ]
    assert [str(page.origin) for page in pages] == [
        f"{index}:{line}" for line in (1, 2, 3, 4, 7)
    ]


@pytest.mark.parametrize(
    ("include", "exclude", "expected"),
    [
        ((), (), ["user-model.md", "dialog-model.md", "intro.md", "old-model.md"]),
        (("*-model.md",), (), ["user-model.md", "dialog-model.md", "old-model.md"]),
        (("*-model.md",), ("*/old-*",), ["user-model.md", "dialog-model.md"]),
        ((), ("*/intro.md", "*/dialog-*"), ["user-model.md", "old-model.md"]),
        (("/docs/intro.md", "*/user-*"), (), ["user-model.md", "intro.md"]),
        (("*.MD",), (), []),
    ],
)
def test_select_pages_filters_by_patterns(
    include: tuple[str, ...], exclude: tuple[str, ...], expected: list[str]
) -> None:
    index = "https://docs.example.invalid/llms.txt"
    names = [
        "user-model.md",
        "dialog-model.md",
        "intro.md",
        "user-model.md",
        "old-model.md",
    ]
    links = [
        IndexLink(f"/docs/{name}", line) for line, name in enumerate(names, start=1)
    ]

    pages = select_pages(links, index, index, include, exclude)

    assert [page.address.rsplit("/", 1)[-1] for page in pages] == expected


def test_duplicates_across_sources_dropped(server: DocServer, tmp_path: Path) -> None:
    first = server.add("/a.md", "# A\n")
    second = server.add("/b.md", "# B\n")
    index = server.add(
        "/llms.txt", "# Site\n\n- [B](/b.md)\n- [A](a.md)\n- [B again](b.md#top)\n"
    )

    pages = collect_remote_pages(
        [first, index, second], tmp_path, settings_for(tmp_path)
    )

    assert [page.name for page in pages] == [first, second]
    assert sorted(request.path for request in server.requests) == [
        "/a.md",
        "/b.md",
        "/llms.txt",
    ]


def test_index_with_no_selected_page(server: DocServer, tmp_path: Path) -> None:
    index = server.add("/llms.txt", "# Site\n\n- [Guide](/guide.md)\n")

    error = raise_fetch_error(
        [index], settings_for(tmp_path, include=("*-model.md",)), tmp_path
    )

    assert (
        error.message
        == "index lists no pages to read (1 links, none selected by the include/exclude patterns)"
    )


def test_local_index_reads_files_beside_it(server: DocServer, tmp_path: Path) -> None:
    files = quickblox_files()[:2]
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in files:
        shutil.copy(path, docs / path.name)
    remote = server.add("/remote-model.md", "# Remote model\n")
    links = [f"- [{path.stem}]({path.name})" for path in files]
    (docs / "llms.txt").write_text(
        "# Local\n\n" + "\n".join([*links, f"- [Remote]({remote})"]) + "\n"
    )

    pages = collect_remote_pages(["docs/llms.txt"], tmp_path, settings_for(tmp_path))

    assert [page.name for page in pages] == [f"docs/{path.name}" for path in files] + [
        remote
    ]
    assert [page.text for page in pages[:2]] == [
        read_local(path).text for path in files
    ]


def test_local_index_missing_file_names_line(tmp_path: Path) -> None:
    (tmp_path / "llms.txt").write_text("# Local\n\n- [Gone](gone.md)\n")

    with pytest.raises(DocmodelsError) as caught:
        collect_remote_pages(["llms.txt"], tmp_path, settings_for(tmp_path))

    assert str(caught.value.location) == "llms.txt:3"
    assert caught.value.message == "linked file 'gone.md' not found"


@pytest.mark.parametrize(
    ("url", "stem"),
    [
        ("https://docs.example.invalid/docs/user-model.md", "user-model"),
        ("https://docs.example.invalid/docs/user%20model.markdown", "user model"),
        ("https://docs.example.invalid/docs/user?format=md", "user"),
        ("https://docs.example.invalid/docs/", "docs"),
        ("https://docs.example.invalid/", "docs.example.invalid"),
        ("https://docs.example.invalid/.md", ".md"),
    ],
)
def test_url_stem(url: str, stem: str) -> None:
    assert url_stem(url) == stem


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("ci", "expect_bar"), [("", True), ("true", False)])
def test_progress_bar_only_on_terminal(
    server: DocServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ci: str,
    expect_bar: bool,
) -> None:
    urls = [server.add(f"/p{number}.md", f"# Page {number}\n") for number in range(6)]
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("CI", ci)

    collect_remote_pages(urls, tmp_path, settings_for(tmp_path))

    assert ("Fetching pages" in terminal.getvalue()) is expect_bar


_PATH_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1)


@given(st.lists(st.lists(_PATH_SEGMENT, min_size=1, max_size=3), max_size=12))
def test_index_links_round_trip(paths: list[list[str]]) -> None:
    targets = ["/".join(segments) + ".md" for segments in paths]
    lines = ["# Site", "", "## Pages", ""]
    lines.extend(
        f"- [Page {number}]({target}): notes" for number, target in enumerate(targets)
    )
    index = "https://docs.example.invalid/v1/llms.txt"

    links = parse_index("\n".join(lines) + "\n")
    pages = select_pages(links, index, index)

    assert [link.target for link in links] == targets
    assert [link.line for link in links] == list(range(5, 5 + len(targets)))
    expected = list(
        dict.fromkeys(f"https://docs.example.invalid/v1/{target}" for target in targets)
    )
    assert [page.address for page in pages] == expected


# --- Configuration and command line ---


def test_fetch_table_maps_onto_settings() -> None:
    table = {
        "cache-dir": ".cache/docmodels",
        "fetch": {
            "timeout": 2.5,
            "max-page-bytes": 1000,
            "max-pages": 20,
            "max-parallel": 3,
            "include": ["*-model.md", "*/api/*"],
            "exclude": "*/old/*",
        },
    }

    config = config_from_table(table, Path("/project"), "pyproject.toml")

    assert config.fetch == FetchSettings(
        timeout_seconds=2.5,
        max_page_bytes=1000,
        max_pages=20,
        max_parallel=3,
        include=("*-model.md", "*/api/*"),
        exclude=("*/old/*",),
        cache_dir=Path(".cache/docmodels/pages"),
        offline=False,
    )


def test_fetch_cache_dir_setting() -> None:
    default = config_from_table({}, Path("/project"), "pyproject.toml")
    own = config_from_table(
        {"fetch": {"cache-dir": "pages-cache"}}, Path("/project"), "pyproject.toml"
    )

    assert default.fetch == FetchSettings()
    assert own.fetch.cache_dir == Path("pages-cache")


def test_fetch_unknown_key_lists_valid_keys() -> None:
    with pytest.raises(DocmodelsError) as caught:
        config_from_table(
            {"fetch": {"timeout-seconds": 3}}, Path("."), "pyproject.toml"
        )

    assert str(caught.value.location) == "pyproject.toml"
    assert (
        caught.value.message
        == "unknown key 'timeout-seconds' in [tool.docmodels.fetch]"
    )
    assert caught.value.hint == (
        "valid keys: cache-dir, exclude, include, max-page-bytes, max-pages, "
        "max-parallel, timeout"
    )


@pytest.mark.parametrize(
    ("fetch", "message"),
    [
        ({"timeout": 0}, "fetch.timeout must be a positive number, got 0"),
        ({"timeout": "10"}, "fetch.timeout must be a positive number, got '10'"),
        ({"timeout": True}, "fetch.timeout must be a positive number, got True"),
        ({"max-pages": 0}, "fetch.max-pages must be a positive integer, got 0"),
        (
            {"max-parallel": 1.5},
            "fetch.max-parallel must be a positive integer, got 1.5",
        ),
        ({"include": [1]}, "'fetch.include' must be a list of strings, got [1]"),
        ({"cache-dir": 7}, "'fetch.cache-dir' must be a string, got 7"),
        ("fast", "'fetch' must be a table, got 'fast'"),
    ],
)
def test_fetch_invalid_value_rejected(fetch: object, message: str) -> None:
    with pytest.raises(DocmodelsError) as caught:
        config_from_table({"fetch": fetch}, Path("."), "pyproject.toml")

    assert caught.value.message == message


def test_config_import_skips_http_and_markdown() -> None:
    """A run that the manifest proves current must not pay for urllib or markdown-it."""
    probe = (
        "import sys, generator.config\n"
        "print(sorted(m for m in ('markdown_it', 'urllib.request', 'http.client')"
        " if m in sys.modules))"
    )

    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout

    assert output.strip() == "[]"


def _write_project(root: Path, sources: list[str], fetch: str = "") -> None:
    root.mkdir(parents=True, exist_ok=True)
    quoted = ", ".join(f'"{source}"' for source in sources)
    (root / "pyproject.toml").write_text(
        f'[tool.docmodels]\nsources = [{quoted}]\nspec = "spec"\noutput = "out/qb"\n'
        + (f"\n[tool.docmodels.fetch]\n{fetch}" if fetch else ""),
        encoding="utf-8",
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_cli_index_matches_local_generation(server: DocServer, tmp_path: Path) -> None:
    files = serve_quickblox(server)
    local, remote = tmp_path / "local", tmp_path / "remote"
    _write_project(local, ["docs"])
    shutil.copytree(corpus_dir("quickblox"), local / "docs")
    for extra in (local / "docs").iterdir():
        if extra.name not in {path.name for path in files}:
            extra.unlink()
    index = server.url("/llms.txt")
    _write_project(remote, [index], 'include = ["*-model.md"]\ntimeout = 5\n')

    assert main(["generate", "--root", str(local)]) == ExitCode.OK
    assert main(["generate", "--root", str(remote)]) == ExitCode.OK

    # The spec and each module header name their page, a URL here and a path there.
    page_prefix = server.url("/quickblox/").encode()
    for folder in ("spec", "out"):
        remote_files = {
            name: content.replace(page_prefix, b"docs/")
            for name, content in _tree(remote / folder).items()
        }
        assert remote_files == _tree(local / folder)
    assert len(_tree(local / "spec")) == len(files)
    sources = {
        json.loads(path.read_text(encoding="utf-8"))["source"]
        for path in (remote / "spec").glob("*.json")
    }
    assert sources == {server.url(f"/quickblox/{path.name}") for path in files}


def test_cli_second_run_rewrites_nothing(server: DocServer, tmp_path: Path) -> None:
    files = serve_quickblox(server)
    project = tmp_path / "project"
    _write_project(project, [server.url("/llms.txt")], 'include = ["*-model.md"]\n')
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    before = snapshot_outputs(project)
    server.requests.clear()

    assert main(["generate", "--root", str(project)]) == ExitCode.OK

    assert snapshot_outputs(project) == before
    assert server.statuses("/quickblox/") == [304] * len(files)
    server.stop()
    assert main(["check", "--offline", "--root", str(project)]) == ExitCode.OK
    assert main(["generate", "--offline", "--root", str(project)]) == ExitCode.OK
    assert snapshot_outputs(project) == before


def test_cli_offline_without_cache_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "http://127.0.0.1:9/user-model.md"
    _write_project(tmp_path, [url])

    code = main(["generate", "--offline", "--root", str(tmp_path)])

    assert code == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert (
        f"error: {url}: page is not in the cache; run once without --offline" in error
    )
    assert not (tmp_path / "spec").exists()


def test_cli_rejects_non_http_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_project(tmp_path, ["ftp://127.0.0.1/user-model.md"])

    code = main(["generate", "--root", str(tmp_path)])

    assert code == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "URL 'ftp://127.0.0.1/user-model.md' is not http or https" in error


def test_local_index_page_size_limit(tmp_path: Path) -> None:
    (tmp_path / "big-model.md").write_text("# Big\n" + "x" * 500, encoding="utf-8")
    (tmp_path / "llms.txt").write_text("# Local\n\n- [Big](big-model.md)\n")

    error = raise_fetch_error(
        ["llms.txt"], settings_for(tmp_path, max_page_bytes=100), tmp_path
    )

    assert error.message == "page is 506 bytes, over the limit of 100"
    assert (
        error.hint
        == "raise [tool.docmodels.fetch] max-page-bytes if the page is genuine"
    )
