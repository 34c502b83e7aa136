"""Format rendered Python with black, as a library, behind a content-addressed cache.

black dominates the cost of a run, so a module is formatted only when its
unformatted text is new: the cache key is the text plus black's version and mode.
The cyclic garbage collector is paused while black runs, which black's many
short-lived objects make worthwhile, and large batches are spread across cores.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import black
from black.mode import TargetVersion

from .errors import InternalError
from .render import RenderedFile
from .write import write_atomic

log = logging.getLogger(__name__)

MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=88)

BLACK_VERSION = metadata.version("black")

PARALLEL_THRESHOLD = 8
"""Below this many modules to format, one process is faster than starting workers.

Measured with ``bench/format_levers.py parallel --models 256 --rounds 3`` on an
idle 2-core machine: two workers lost at 1 and 2 modules, tied at 4 and won from
8 on (45 ms against 61 ms)."""


def cache_key(text: str) -> str:
    """Return the cache key of an unformatted text under this black version and mode."""
    digest = hashlib.sha256()
    digest.update(f"{BLACK_VERSION}\0{MODE!r}\0".encode())
    digest.update(text.encode())
    return digest.hexdigest()


def format_files(
    files: Sequence[RenderedFile], cache_dir: Path | None
) -> list[RenderedFile]:
    """Return the files with every ``.py`` file formatted by black, in the same order."""
    cache = cache_dir / "black" if cache_dir is not None else None
    results: dict[int, str] = {}
    pending: list[int] = []
    for index, item in enumerate(files):
        if not item.path.endswith(".py"):
            results[index] = item.text
            continue
        cached = _read_cache(cache, cache_key(item.text))
        if cached is None:
            pending.append(index)
        else:
            results[index] = cached
    log.debug("black: %d cached, %d to format", len(files) - len(pending), len(pending))

    formatted = _format_many([files[index] for index in pending])
    for index, text in zip(pending, formatted, strict=True):
        results[index] = text
        _write_cache(cache, cache_key(files[index].text), text)
    return [
        RenderedFile(item.path, results[index], item.template)
        for index, item in enumerate(files)
    ]


def _format_many(files: Sequence[RenderedFile]) -> list[str]:
    workers = min(os.cpu_count() or 1, 8)
    with _gc_paused():
        if len(files) < PARALLEL_THRESHOLD or workers < 2:
            return [_format_and_collect(item) for item in files]

        # Longest files first, so that a large __init__.py does not finish last alone.
        order = sorted(range(len(files)), key=lambda index: -len(files[index].text))
        chunk = max(1, len(files) // (workers * 16))
        results: list[str] = [""] * len(files)
        with ProcessPoolExecutor(max_workers=workers, initializer=gc.disable) as pool:
            batch = [files[index] for index in order]
            texts = pool.map(_format_and_collect, batch, chunksize=chunk)
            for index, text in zip(order, texts, strict=True):
                results[index] = text
        return results


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Stop automatic collections and freeze the objects that exist so far.

    black allocates many short-lived objects, and automatic collections cost about a
    third of its time. Frozen objects are never scanned, so each explicit collection
    stays small, and forked workers do not copy the parent's pages by collecting them.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _format_and_collect(item: RenderedFile) -> str:
    """Format one file, then free its syntax tree, whose nodes form reference cycles."""
    text = format_one(item)
    gc.collect()
    return text


def format_one(item: RenderedFile) -> str:
    """Format one file; black failing on generated code is an internal error.

    The unformatted code is saved to a temporary file named in the message, so the
    template that produced it can be fixed.
    """
    try:
        return black.format_str(item.text, mode=MODE)
    except Exception as error:  # black raises several unrelated types on bad input
        handle, dump = tempfile.mkstemp(prefix="docmodels-unformatted-", suffix=".py")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(item.text)
        raise InternalError(
            f"black could not format the output of {item.template}: {error}\n"
            f"  the unformatted code is in {dump}"
        ) from error


def _read_cache(cache: Path | None, key: str) -> str | None:
    if cache is None:
        return None
    try:
        return (cache / key[:2] / key).read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None


def _write_cache(cache: Path | None, key: str, text: str) -> None:
    if cache is None:
        return
    try:
        write_atomic(cache / key[:2] / key, text.encode())
    except OSError as error:
        log.debug("could not write the black cache: %s", error)
