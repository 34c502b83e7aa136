"""Keep the results of parsing and rendering between runs, so a run redoes only what changed.

After one page of many changed, reading, serializing and rendering every page again
is most of a run. Each stage keys its results by a hash of everything they depend
on: its inputs, its settings and docmodels' own code, hashed by
:func:`generator.manifest.code_fingerprint`. Linking the pages and applying
the overrides still run on every page, because they depend on all pages.

A cache is one pickle file in the cache folder, which docmodels trusts as black
trusts its own pickled cache: anyone who can write that folder can already change
the project's code. A file or entry that does not load is treated as missing.
Each value is pickled when it is stored, because later stages may change the
objects they get.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from pathlib import Path
from typing import Any

from .write import write_atomic

log = logging.getLogger(__name__)

DAMAGED = (
    pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError,
    KeyError, TypeError, ValueError,
)  # fmt: skip
"""Exceptions that unpickling damaged or foreign bytes raises."""


class RunCache:
    """Values by key, loaded from one file and saved back with the values a run used."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.stored = self._load()
        self.used: dict[str, bytes] = {}

    def get(self, key: str) -> Any:
        """Return the value stored under a key, or None; keep it for the next save."""
        data = self.stored.get(key)
        if data is None:
            return None
        try:
            value = pickle.loads(data)
        except DAMAGED as error:
            log.debug("ignoring a damaged entry of %s: %s", self.path, error)
            return None
        self.used[key] = data
        return value

    def put(self, key: str, value: object) -> None:
        self.used[key] = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Write the values this run used, unless they are what the file holds."""
        if self.path is None or self.used.keys() == self.stored.keys():
            return
        try:
            write_atomic(self.path, pickle.dumps(self.used, pickle.HIGHEST_PROTOCOL))
        except OSError as error:
            log.debug("could not write %s: %s", self.path, error)

    def _load(self) -> dict[str, bytes]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as stream:
                stored = pickle.load(stream)
        except FileNotFoundError:
            return {}
        except (OSError, *DAMAGED) as error:
            log.debug("ignoring the cache file %s: %s", self.path, error)
            return {}
        return stored if isinstance(stored, dict) else {}


def digest(*parts: str) -> str:
    """Return the SHA-256 of the parts, each one preceded by its length so that
    no two lists of parts give the same bytes."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        hasher.update(b"%d:" % len(data))
        hasher.update(data)
    return hasher.hexdigest()
