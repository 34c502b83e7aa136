"""A folder of fetched pages with their HTTP validators, for revalidation and offline runs.

Each URL is stored under the SHA-256 of the URL as two files. ``<hash>.body`` contains
the raw response body, and ``<hash>.json`` contains the URL, the ``ETag`` and
``Last-Modified`` headers and the SHA-256 of the body. Both files are written to a temporary file and
moved into place with :func:`os.replace`, so a reader never sees a half-written file.
An entry whose files disagree (a crash between the two writes) is treated as missing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CachedPage:
    """A page body as last received, with the validators that the server sent with it."""

    body: bytes
    etag: str | None = None
    last_modified: str | None = None


class PageCache:
    """Pages stored in one folder, keyed by URL."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load(self, url: str) -> CachedPage | None:
        """Return the stored page for a URL, or None when it is missing or damaged."""
        body_path, metadata_path = self._paths(url)
        try:
            metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.debug("cache entry for %s is unreadable (%s); ignoring it", url, error)
            return None
        if not isinstance(metadata, dict) or metadata.get("url") != url:
            log.debug("cache entry for %s names another URL; ignoring it", url)
            return None
        if metadata.get("sha256") != hashlib.sha256(body).hexdigest():
            log.debug("cache entry for %s does not match its body; ignoring it", url)
            return None
        return CachedPage(
            body,
            _optional_str(metadata, "etag"),
            _optional_str(metadata, "last_modified"),
        )

    def store(self, url: str, page: CachedPage) -> None:
        """Write a page and its validators, replacing any earlier entry for the URL."""
        body_path, metadata_path = self._paths(url)
        metadata = {
            "url": url,
            "etag": page.etag,
            "last_modified": page.last_modified,
            "sha256": hashlib.sha256(page.body).hexdigest(),
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(body_path, page.body)
        _write_atomically(
            metadata_path, (json.dumps(metadata, indent=2) + "\n").encode()
        )

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.directory / f"{key}.body", self.directory / f"{key}.json"


def _optional_str(metadata: dict[str, object], key: str) -> str | None:
    value = metadata.get(key)
    return value if isinstance(value, str) else None


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
