"""Regenerate the spec and the models whenever a page or a template changes.

Changes are debounced: a run starts once the files have been quiet for the
debounce time, so an editor that saves several files at once causes one run.
Every run goes through the manifest, so an event that changed no content (a
touch, a save without edits) costs a stat and a hash, not a full run. A run
that fails is logged and watching goes on.

Needs the optional package watchfiles (``pip install 'docmodels[watch]'``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .config import Config
from .errors import DocmodelsError, Location
from .sources import MARKDOWN_SUFFIXES, is_index, is_remote

log = logging.getLogger(__name__)

READY_TIMEOUT_MS = 200
"""How long the watcher waits for its first event before it reports that it is ready."""


def watch(
    load: Callable[[], Config],
    *,
    from_spec: bool = False,
    debounce_ms: int = 200,
    stop_event: threading.Event | None = None,
) -> None:
    """Run the pipeline once, then again after every relevant change, until stopped.

    ``load`` is called before each run, so edits to pyproject.toml apply from the
    next run on; the folders being watched are those of the first configuration.
    Returns on Ctrl-C or when ``stop_event`` is set.
    """
    try:
        import watchfiles
    except ImportError:
        raise DocmodelsError(
            Location("docmodels watch"),
            "watch mode needs the optional package 'watchfiles', which is not installed",
            hint="install it with: pip install 'docmodels[watch]'",
        ) from None

    config = load()
    folders = watched_folders(config, from_spec)
    is_relevant = relevance_filter(config, from_spec)
    _run_logged(config, from_spec)
    ready = False
    try:
        for changes in watchfiles.watch(
            *folders,
            watch_filter=lambda _change, path: is_relevant(Path(path)),
            step=debounce_ms,
            debounce=max(10 * debounce_ms, 1600),
            stop_event=stop_event,
            rust_timeout=READY_TIMEOUT_MS,
            yield_on_timeout=True,
            raise_interrupt=False,
        ):
            if not ready:
                ready = True
                names = ", ".join(_display(config, folder) for folder in folders)
                log.info("watching %s for changes; press Ctrl-C to stop", names)
            if not changes:
                continue
            for _change, path in sorted(changes):
                log.info("changed: %s", _display(config, Path(path)))
            _run_logged(_load_logged(load, config), from_spec)
    except KeyboardInterrupt:
        pass
    log.info("stopped watching")


def watched_folders(config: Config, from_spec: bool) -> list[Path]:
    """Return the folders to watch: those of the local sources (or the spec) and templates."""
    if from_spec:
        folders = [config.spec_path]
    else:
        folders = [_source_folder(config.root, source) for source in _local(config)]
    if config.templates_dir is not None:
        folders.append(config.root / config.templates_dir)
    resolved = sorted({folder.resolve() for folder in folders if folder.is_dir()})
    if not resolved:
        raise DocmodelsError(
            Location(config.file),
            "no local source folder to watch",
            hint="watch mode follows local pages; remote sources are fetched on each run",
        )
    return [
        folder
        for folder in resolved
        if not any(other in folder.parents for other in resolved)
    ]


def relevance_filter(config: Config, from_spec: bool) -> Callable[[Path], bool]:
    """Return a test for paths whose change can change the output.

    Pages, spec files (with ``from_spec``) and templates count; the output, the
    spec written from the pages and the cache never do, so a run's own writes do
    not start another run.
    """
    suffixes = (".json",) if from_spec else MARKDOWN_SUFFIXES
    ignored = [config.output_path.resolve(), config.cache_path.resolve()]
    if not from_spec:
        ignored.append(config.spec_path.resolve())
    templates = (
        (config.root / config.templates_dir).resolve()
        if config.templates_dir is not None
        else None
    )

    def is_relevant(path: Path) -> bool:
        path = path.resolve()
        if any(path == folder or folder in path.parents for folder in ignored):
            return False
        if templates is not None and templates in path.parents:
            return path.suffix == ".jinja"
        return path.suffix.lower() in suffixes

    return is_relevant


def _local(config: Config) -> Iterable[str]:
    return (
        source
        for source in config.sources
        if not is_remote(source) and not is_index(source)
    )


def _source_folder(root: Path, source: str) -> Path:
    """Return the folder that contains a source: itself, its parent, or a glob's fixed prefix."""
    parts = Path(source).parts
    fixed = []
    for part in parts:
        if any(char in part for char in "*?["):
            break
        fixed.append(part)
    path = root.joinpath(*fixed)
    if len(fixed) < len(parts) or path.is_dir():
        return path
    return path.parent


def _display(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def _load_logged(load: Callable[[], Config], previous: Config) -> Config:
    """Reload the configuration; keep the previous one when the new one is invalid."""
    try:
        return load()
    except DocmodelsError as error:
        log.error("error: %s", error)
        log.error("keeping the previous configuration")
        return previous


def _run_logged(config: Config, from_spec: bool) -> None:
    """Run the pipeline and log what it wrote or why it failed; no Exception escapes."""
    from .pipeline import log_result, run

    try:
        result = run(config, from_spec=from_spec)
    except DocmodelsError as error:
        log.error("error: %s", error)
        return
    except Exception:  # any other exception is a bug; watching goes on
        log.exception("internal error: an unexpected exception; please report it")
        return
    log_result(result)
