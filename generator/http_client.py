"""HTTP GET for documentation pages, with the checks that keep a run safe and bounded.

Only ``http`` and ``https`` URLs are requested, redirect targets included. A response must look like
Markdown or plain text and fit the size limit, and the whole body must arrive in time.
Every failure is a :class:`DocmodelsError` that names the URL.
"""

from __future__ import annotations

import http.client
import logging
import time
import urllib.request
from dataclasses import dataclass
from typing import IO, Any
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin, urlsplit

from .errors import DocmodelsError, Location
from .llms_index import HTTP_SCHEMES
from .page_cache import CachedPage

log = logging.getLogger(__name__)

ACCEPT = "text/markdown, text/plain;q=0.9, */*;q=0.1"
USER_AGENT = "docmodels"
CHUNK_BYTES = 64 * 1024

_MARKDOWN_MEDIA_TYPES = frozenset(
    {"text/markdown", "text/x-markdown", "text/plain", "application/octet-stream"}
)
_NON_MARKDOWN_TEXT_TYPES = frozenset(
    {"text/html", "text/xml", "text/css", "text/javascript", "text/csv"}
)


@dataclass(frozen=True)
class HttpResponse:
    """A successful response: a checked body, or a 304 that confirms a cached one."""

    status: int
    body: bytes | None
    """The body, or None for 304 Not Modified."""
    etag: str | None
    last_modified: str | None


def download(
    url: str, cached: CachedPage | None, timeout_seconds: float, max_bytes: int
) -> HttpResponse:
    """GET a page, conditionally when a cached copy has validators.

    ``timeout_seconds`` bounds the connection and each wait for data, and reading the
    body stops once it has taken longer than that.
    Raises DocmodelsError for an HTTP error status, a timeout, a network failure, a
    redirect to a scheme other than http(s), a body over ``max_bytes`` and a
    Content-Type that cannot be Markdown.
    """
    request = urllib.request.Request(url, headers=_request_headers(cached))
    try:
        with _build_opener().open(request, timeout=timeout_seconds) as response:
            _check_content_type(url, response.headers.get("Content-Type"))
            _check_content_length(
                url, response.headers.get("Content-Length"), max_bytes
            )
            body = _read_body(url, response, timeout_seconds, max_bytes)
            return HttpResponse(
                response.status,
                body,
                response.headers.get("ETag"),
                response.headers.get("Last-Modified"),
            )
    except HTTPError as error:
        error.close()
        if error.code == 304 and cached is not None:
            etag = error.headers.get("ETag") or cached.etag
            last_modified = error.headers.get("Last-Modified") or cached.last_modified
            return HttpResponse(304, None, etag, last_modified)
        raise DocmodelsError(
            Location(url),
            f"HTTP {error.code} {error.reason}",
            hint=_status_hint(error.code),
        ) from None
    except TimeoutError:
        raise _timeout_error(url, timeout_seconds) from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _timeout_error(url, timeout_seconds) from None
        raise _request_failed(url, error.reason) from None
    except (http.client.HTTPException, OSError) as error:
        raise _request_failed(url, error) from None


def _request_headers(cached: CachedPage | None) -> dict[str, str]:
    headers = {"Accept": ACCEPT, "User-Agent": USER_AGENT}
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers


class _HttpOnlyRedirectHandler(urllib.request.HTTPRedirectHandler):
    """A redirect handler that follows http(s) targets only and names any other target."""

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
    ) -> Any:
        target = headers.get("Location") or headers.get("URI")
        if target is not None:
            target = urljoin(req.full_url, target)
            if urlsplit(target).scheme.lower() not in HTTP_SCHEMES:
                fp.close()
                raise DocmodelsError(
                    Location(req.full_url),
                    f"HTTP {code} redirect to {target!r} rejected: only http and https are followed",
                    hint="link the final http(s) URL of the page",
                )
            log.debug("%s: HTTP %d redirect to %s", req.full_url, code, target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _build_opener() -> urllib.request.OpenerDirector:
    """Build an opener with handlers for HTTP and HTTPS only.

    Unlike ``build_opener()``, it has no handler for ``file:``, ``ftp:`` or ``data:``
    URLs, so neither a request nor a redirect can reach them. ProxyHandler reads the
    usual ``*_proxy`` environment variables.
    """
    opener = urllib.request.OpenerDirector()
    handlers: list[urllib.request.BaseHandler] = [
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ]
    for handler in handlers:
        opener.add_handler(handler)
    return opener


def _is_markdown_media_type(content_type: str | None) -> bool:
    """Return whether a Content-Type may carry Markdown: plain text, Markdown or none."""
    if not content_type:
        return True
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in _MARKDOWN_MEDIA_TYPES or "markdown" in media_type:
        return True
    return media_type.startswith("text/") and media_type not in _NON_MARKDOWN_TEXT_TYPES


def _check_content_type(url: str, content_type: str | None) -> None:
    if not _is_markdown_media_type(content_type):
        raise DocmodelsError(
            Location(url),
            f"not a Markdown page: Content-Type is {content_type!r}",
            hint="link the Markdown version of the page (many sites serve it at the URL plus .md)",
        )


def _check_content_length(url: str, content_length: str | None, max_bytes: int) -> None:
    declared = content_length.strip() if content_length is not None else ""
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large_error(url, max_bytes)


def _read_body(
    url: str, response: http.client.HTTPResponse, timeout_seconds: float, max_bytes: int
) -> bytes:
    """Read a body in chunks, stopping past the size limit or the time limit."""
    deadline = time.monotonic() + timeout_seconds
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read1(CHUNK_BYTES):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large_error(url, max_bytes)
        if time.monotonic() > deadline:
            raise _timeout_error(url, timeout_seconds)
        chunks.append(chunk)
    return b"".join(chunks)


def _status_hint(status: int) -> str:
    if status in (404, 410):
        return "check the URL or the index link; the page may have moved"
    if status in (401, 403):
        return "the server refused access; docmodels sends no credentials"
    if status == 429 or status >= 500:
        return "the server is failing or limiting requests; try again later or lower max-parallel"
    return "check the URL"


def _timeout_error(url: str, timeout_seconds: float) -> DocmodelsError:
    return DocmodelsError(
        Location(url),
        f"request timed out after {timeout_seconds:g} s",
        hint="raise [tool.docmodels.fetch] timeout, or check that the server is reachable",
    )


def _too_large_error(url: str, max_bytes: int) -> DocmodelsError:
    return DocmodelsError(
        Location(url),
        f"page is larger than the limit of {max_bytes} bytes",
        hint="raise [tool.docmodels.fetch] max-page-bytes if the page is genuine",
    )


def _request_failed(url: str, reason: object) -> DocmodelsError:
    return DocmodelsError(
        Location(url),
        f"request failed: {reason}",
        hint="check the URL and the network connection",
    )
