"""Replace only the output files whose bytes changed, each one atomically.

A file is written to a temporary file in the same folder, flushed to disk and
renamed over the target, so a run killed at any moment leaves every file either
old or new. Files that docmodels wrote earlier (recognised by their marker) and no
longer produces are removed; no other file is touched, and nothing is written
through a symbolic link or outside the output folder.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import DocmodelsError, Location

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What a run changes in one output folder."""

    folder: Path
    wanted: tuple[str, ...]
    """Relative paths of every file the run produces in this folder, changed or not."""
    writes: dict[str, bytes]
    """Relative path to new content, for files that are new or changed."""
    removals: tuple[str, ...]
    """Relative paths of earlier docmodels files that are no longer produced."""
    old: dict[str, bytes]
    """Current content of the files in ``writes`` and ``removals`` that exist, for diffs."""

    @property
    def is_empty(self) -> bool:
        return not self.writes and not self.removals


def plan_folder(
    folder: Path,
    files: Mapping[str, bytes],
    is_ours: Callable[[bytes], bool],
    suffix: str,
) -> Plan:
    """Compare wanted files with a folder's content.

    ``is_ours`` tells whether an existing file with ``suffix`` was written by
    docmodels, which makes it eligible for removal when it is no longer produced.
    """
    for name in files:
        _check_target(folder, name)
    writes: dict[str, bytes] = {}
    old: dict[str, bytes] = {}
    for name, content in files.items():
        current = _read(folder / name)
        if current != content:
            writes[name] = content
            if current is not None:
                old[name] = current
    removals = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if (
                path.name in files
                or not path.name.endswith(suffix)
                or path.is_symlink()
            ):
                continue
            current = _read(path)
            if current is not None and is_ours(current):
                removals.append(path.name)
                old[path.name] = current
    return Plan(folder, tuple(sorted(files)), writes, tuple(removals), old)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _check_target(folder: Path, name: str) -> None:
    """Reject a target outside the folder or behind a symbolic link."""
    target = folder / name
    if "/" in name or "\\" in name or name in ("", ".", ".."):
        raise DocmodelsError(
            Location(str(target)), f"invalid output file name {name!r}"
        )
    if target.is_symlink():
        raise DocmodelsError(
            Location(str(target)),
            "output file is a symbolic link; docmodels never writes through links",
            hint="remove the link and run again",
        )


def apply(plan: Plan) -> None:
    """Write the changed files and remove the stale ones."""
    if plan.is_empty:
        return
    plan.folder.mkdir(parents=True, exist_ok=True)
    for name, content in sorted(plan.writes.items()):
        write_atomic(plan.folder / name, content)
    for name in plan.removals:
        (plan.folder / name).unlink(missing_ok=True)


def write_atomic(path: Path, content: bytes) -> None:
    """Write bytes to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
