"""Replace only the output files whose bytes changed, each one atomically.

A file is written to a temporary file in the same folder, flushed to disk and
renamed over the target, so a run killed at any moment leaves every file either
old or new; the next run removes the temporary files such a kill leaves behind.
Files that docmodels wrote earlier (recognised by their marker) and no longer
produces are removed; no other file is touched, and nothing is written through a
symbolic link or outside the output folder.
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

TEMPORARY_SUFFIX = ".docmodels-tmp"
"""Suffix of the temporary files of :func:`write_atomic`, removed when left over."""


@dataclass(frozen=True)
class Plan:
    """Changes of one run to one output folder."""

    folder: Path
    wanted: tuple[str, ...]
    """Relative paths of every file the run produces in this folder, changed or not."""
    writes: dict[str, bytes]
    """Relative path to new content, for files that are new or changed."""
    removals: tuple[str, ...]
    """Relative paths of earlier docmodels files that are no longer produced."""
    old: dict[str, bytes]
    """Current content of the files in ``writes`` and ``removals`` that exist, for diffs."""
    leftovers: tuple[str, ...] = ()
    """Temporary files of an earlier run that was killed while writing."""

    @property
    def is_empty(self) -> bool:
        return not self.writes and not self.removals and not self.leftovers


def plan_folder(
    folder: Path,
    files: Mapping[str, bytes],
    is_ours: Callable[[bytes], bool],
    suffix: str,
    *,
    root: Path | None = None,
) -> Plan:
    """Compare wanted files with a folder's content.

    ``is_ours`` returns whether an existing file with ``suffix`` was written by
    docmodels, which makes it eligible for removal when it is no longer produced.
    With ``root``, the folder is rejected when it or a folder between it and the
    root is a symbolic link that points outside the root.
    """
    if root is not None:
        check_folder(folder, root)
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
    leftovers = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.name.endswith(TEMPORARY_SUFFIX) and path.is_file():
                leftovers.append(path.name)
                continue
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
    return Plan(
        folder, tuple(sorted(files)), writes, tuple(removals), old, tuple(leftovers)
    )


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


def check_folder(folder: Path, root: Path) -> None:
    """Reject an output folder that is, or lies below, a symbolic link leading
    outside the project root.

    Only the folders from the root down are checked, so a folder that the
    configuration names outside the project, on purpose, is written as it is.
    """
    absolute_root = Path(os.path.abspath(root))
    absolute = Path(os.path.abspath(folder))
    real_root = absolute_root.resolve()
    if absolute.is_relative_to(absolute_root):
        relative_parts = absolute.relative_to(absolute_root).parts
        candidates = [
            absolute_root.joinpath(*relative_parts[: count + 1])
            for count in range(len(relative_parts))
        ]
    else:
        candidates = [absolute]
    for candidate in candidates:
        if not candidate.is_symlink():
            continue
        target = candidate.resolve()
        if not target.is_relative_to(real_root):
            raise DocmodelsError(
                Location(str(folder)),
                f"output folder goes through the symbolic link {candidate}, "
                f"which points to {target}, outside the project {real_root}",
                hint="replace the link with a real folder, or point the setting "
                "at the target folder itself",
            )


def apply(plan: Plan) -> None:
    """Write the changed files, remove the stale ones and the leftover temporary ones.

    Raises DocmodelsError when the file system refuses a write, e.g. because a
    folder is where a file should be or the disk is full.
    """
    if plan.is_empty:
        return
    try:
        plan.folder.mkdir(parents=True, exist_ok=True)
        for name, content in sorted(plan.writes.items()):
            write_atomic(plan.folder / name, content)
        for name in (*plan.removals, *plan.leftovers):
            (plan.folder / name).unlink(missing_ok=True)
        _sync_folder(plan.folder)
    except OSError as error:
        where = error.filename or plan.folder
        raise DocmodelsError(
            Location(str(where)),
            f"could not write the output: {error.strerror or error}",
            hint="check that the output folder is writable and holds no folder "
            "with the name of a generated file",
        ) from None


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk, where the platform allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # some file systems and platforms cannot fsync a folder
    finally:
        os.close(handle)


def write_atomic(path: Path, content: bytes, *, sync_folder: bool = False) -> None:
    """Write bytes to a temporary file beside ``path``, then rename it over ``path``.

    ``sync_folder`` also flushes the rename to disk; :func:`apply` does that once
    per folder instead.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
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
    if sync_folder:
        _sync_folder(path.parent)
