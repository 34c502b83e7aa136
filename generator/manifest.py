"""Decide, without importing black, Jinja or markdown-it-py, that nothing changed.

After each full run the manifest records a key (versions of docmodels and black,
the settings, the templates and docmodels' own code) and the size, mtime and
SHA-256 of every input page and output file, and the run's warnings. A later run
whose key matches and whose files all match is a no-op that reports the same
warnings. A file whose size or mtime differs is hashed, so touching a file costs
a hash, not a full run. The manifest lives in the cache
folder and is never committed, because mtimes differ between clones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from . import __version__
from .config import Config
from .errors import Diagnostic, DocmodelsError, Location
from .sources import find_local_files, is_index, is_remote

log = logging.getLogger(__name__)

MANIFEST_VERSION = 2
FileStamp = tuple[int, int, str]
"""Size in bytes, mtime in nanoseconds and SHA-256 of a file."""


@dataclass(frozen=True)
class Verdict:
    """Outcome of comparing the tree with the manifest."""

    current: bool
    reason: str
    edited: tuple[str, ...] = ()
    """Output files whose content differs from what docmodels last wrote."""
    warnings: tuple[Diagnostic, ...] = ()
    """The warnings of the run that wrote the manifest, to report again on a no-op."""


def manifest_path(config: Config) -> Path:
    return config.cache_path / "manifest.json"


def run_key(config: Config, from_spec: bool) -> str:
    """Hash everything besides the pages that decides the output."""
    digest = hashlib.sha256()
    settings = asdict(config)
    settings["root"] = str(config.root.resolve())
    settings["from_spec"] = from_spec
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    digest.update(__version__.encode())
    digest.update(_black_version().encode())
    digest.update(code_fingerprint().encode())
    templates = (
        config.root / config.templates_dir if config.templates_dir is not None else None
    )
    digest.update(templates_fingerprint(templates).encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Return a hash of docmodels' own source files, read once per process.

    A version number would miss an edit in an editable install, so keys that
    include this hash change with any edit of the package.
    """
    return _files_fingerprint(Path(__file__).parent, "*.py")


def templates_fingerprint(user_dir: Path | None) -> str:
    """Return a hash of the bundled templates and those of ``user_dir``, with every
    file in their folders and below, since a template may include another."""
    # Where render.bundled_templates_dir looks: inside the wheel, else the checkout.
    package = Path(__file__).parent
    packaged = package / "templates"
    folders = [packaged if packaged.is_dir() else package.parent / "templates"]
    if user_dir is not None:
        folders.append(user_dir)
    digest = hashlib.sha256()
    for folder in folders:
        if folder.is_dir():
            digest.update(_files_fingerprint(folder, "**/*").encode())
    return digest.hexdigest()


def _files_fingerprint(folder: Path, pattern: str) -> str:
    """Hash the relative paths and contents of the files in ``folder`` that match."""
    digest = hashlib.sha256()
    for path in sorted(item for item in folder.glob(pattern) if item.is_file()):
        name = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s" % (len(name), name))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _black_version() -> str:
    """Return black's version without importing black or importlib.metadata.

    black installs the one-line module ``_black_version`` beside its package and
    reads its own ``__version__`` from it (checked in black 26.10). Importing
    importlib.metadata instead costs about 20 ms, a fifth of a no-op run.
    """
    try:
        from _black_version import version  # type: ignore[import-untyped]
    except ImportError:
        from importlib import metadata

        try:
            return metadata.version("black")
        except metadata.PackageNotFoundError:
            return "unknown"
    return str(version)


def input_files(config: Config, from_spec: bool) -> list[Path] | None:
    """Return the local files a run reads, or None when it reads remote sources."""
    if from_spec:
        return sorted(config.spec_path.glob("*.json"))
    if any(is_remote(source) or is_index(source) for source in config.sources):
        return None
    return find_local_files(config.sources, config.root)


def stamp(path: Path) -> FileStamp:
    """Stat and hash a file."""
    info = path.stat()
    return (
        info.st_size,
        info.st_mtime_ns,
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )


def _matches(path: str, recorded: list[object]) -> bool | None:
    """Return whether a file still has the recorded content, or None if it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if info.st_size == recorded[0] and info.st_mtime_ns == recorded[1]:
        return True
    try:
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest() == recorded[2]
    except OSError:
        return None


def check(config: Config, from_spec: bool) -> Verdict:
    """Compare the tree with the manifest; ``current`` means a full run would change nothing."""
    try:
        data = json.loads(manifest_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Verdict(False, "no manifest")
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return Verdict(False, "manifest of another version")
    if data.get("key") != run_key(config, from_spec):
        return Verdict(False, "settings, templates or versions changed")
    try:
        inputs = input_files(config, from_spec)
    except (
        OSError,
        DocmodelsError,
    ) as error:  # the full run reports it with its location
        return Verdict(False, f"sources changed: {error}")
    if inputs is None:
        return Verdict(False, "remote sources are always fetched")
    recorded_inputs = data.get("inputs", {})
    root = _absolute_root(config)
    if sorted(recorded_inputs) != sorted(_relative_to(root, path) for path in inputs):
        return Verdict(False, "the set of input pages changed")
    for name, recorded in recorded_inputs.items():
        if not _matches(root + name, recorded):
            return Verdict(False, f"{name} changed")
    edited = []
    for name, recorded in data.get("outputs", {}).items():
        matches = _matches(root + name, recorded)
        if matches is None:
            return Verdict(False, f"{name} is missing")
        if not matches:
            edited.append(name)
    if edited:
        return Verdict(False, "generated files were edited", tuple(edited))
    warnings = _load_warnings(data.get("warnings"))
    if warnings is None:
        return Verdict(False, "the manifest's warnings do not load")
    return Verdict(True, "pages, outputs and settings match the manifest", (), warnings)


def _load_warnings(recorded: object) -> tuple[Diagnostic, ...] | None:
    """Return the warnings a manifest recorded, or None when they are malformed."""
    if not isinstance(recorded, list):
        return None
    warnings = []
    for item in recorded:
        if not (isinstance(item, list) and len(item) == 4):
            return None
        file, line, message, hint = item
        if not (
            isinstance(file, str)
            and (line is None or type(line) is int)
            and isinstance(message, str)
            and isinstance(hint, str)
        ):
            return None
        warnings.append(Diagnostic(Location(file, line), message, hint))
    return tuple(warnings)


def save(
    config: Config,
    from_spec: bool,
    inputs: list[Path],
    outputs: list[Path],
    warnings: Sequence[Diagnostic] = (),
) -> None:
    """Record the current state after a successful run; failures only cost speed later."""
    root = _absolute_root(config)
    data = {
        "version": MANIFEST_VERSION,
        "key": run_key(config, from_spec),
        "inputs": {_relative_to(root, path): stamp(path) for path in inputs},
        "outputs": {_relative_to(root, path): stamp(path) for path in outputs},
        "warnings": [
            [item.location.file, item.location.line, item.message, item.hint]
            for item in warnings
        ],
    }
    path = manifest_path(config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        log.debug("could not save the manifest: %s", error)


def _absolute_root(config: Config) -> str:
    """Return the absolute project root, ending in a separator."""
    return os.path.join(os.path.abspath(config.root), "")


def _relative_to(root: str, path: Path) -> str:
    """Return a path relative to the absolute project root in POSIX form.

    A path outside the root stays absolute. Symbolic links are not resolved, and
    a normalised path under the root is cut by string slicing: ``Path.resolve``,
    then ``os.path.relpath``, on every page cost most of a no-op run over 10,000
    pages.
    """
    text = os.fspath(path)
    if not os.path.isabs(text) or "/.." in text or "/./" in text:
        text = os.path.abspath(text)
    if text.startswith(root):
        return text[len(root) :].replace(os.sep, "/")
    return text.replace(os.sep, "/")
