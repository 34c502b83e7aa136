"""The ``docmodels`` command line: a thin layer that presents what the library returns.

Exit codes, for every command:

- 0: success; for ``check``, spec and code are current.
- 1: ``check`` found stale, missing or hand-edited files.
- 2: invalid input, configuration or arguments (the message names file, line and value).
- 3: internal error, a bug in docmodels or in a template.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from .config import Config, find_root, load_config, with_overrides
from .errors import DocmodelsError, ExitCode, InternalError
from .sources import is_remote

log = logging.getLogger("generator")


def _setup_logging(verbose: int) -> None:
    level = (
        logging.WARNING
        if verbose == 0
        else logging.INFO if verbose == 1 else logging.DEBUG
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("generator")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _load(options: dict[str, Any]) -> Config:
    verbose = options.pop("verbose", 0)
    if verbose:
        _setup_logging(verbose)
    given_root = options.pop("root")
    config_file = options.pop("config_file")
    root = Path(given_root) if given_root else find_root(Path.cwd())
    config = load_config(root, Path(config_file) if config_file else None)
    sources = options.pop("sources")
    offline = options.pop("offline")
    return with_overrides(
        config,
        sources=tuple(_from_cwd(source, config.root) for source in sources) or None,
        spec_dir=_folder_from_cwd(options.pop("spec_dir"), config.root),
        output_dir=_folder_from_cwd(options.pop("output_dir"), config.root),
        templates_dir=_folder_from_cwd(options.pop("templates_dir"), config.root),
        strict=True if options.pop("strict") else None,
        fetch=replace(config.fetch, offline=True) if offline else None,
    )


def _from_cwd(source: str, root: Path) -> str:
    """Make a command-line path, given relative to the current folder, relative to the root."""
    if is_remote(source) or Path(source).is_absolute():
        return source
    return os.path.relpath(Path.cwd() / source, root.resolve())


def _folder_from_cwd(folder: str | None, root: Path) -> str | None:
    return None if folder is None else _from_cwd(folder, root)


def _common(function: Any) -> Any:
    decorators = [
        click.argument("sources", nargs=-1),
        click.option("--spec", "spec_dir", help="Folder of the spec JSON files."),
        click.option("--output", "output_dir", help="Folder of the generated package."),
        click.option("--templates", "templates_dir", help="Folder of templates that override the bundled ones."),
        click.option("--config", "config_file", help="pyproject.toml to read [tool.docmodels] from."),
        click.option("--root", help="Project root that relative paths start from.  [default: the nearest folder up with a pyproject.toml that has [tool.docmodels], else the current one]"),
        click.option("--strict", is_flag=True, help="Treat every warning as an error."),
        click.option("--offline", is_flag=True, help="Read URLs and indexes from the page cache only, and fail for a page not in it."),
        click.option("--from-spec", is_flag=True, help="Render the code from the spec folder, not the docs."),
        click.option("-v", "--verbose", count=True, help="Log more: -v lists files, -vv adds timings."),
    ]  # fmt: skip
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


@click.group()
@click.option(
    "-v", "--verbose", count=True, help="Log more: -v lists files, -vv adds timings."
)
@click.version_option(package_name="docmodels")
def cli(verbose: int) -> None:
    """Generate typed Python models from the property tables of API documentation."""
    _setup_logging(verbose)


@cli.command()
@_common
def generate(**options: Any) -> None:
    """Read the docs, write the spec and the generated package."""
    from .pipeline import run

    from_spec = options.pop("from_spec")
    config = _load(options)
    result = run(config, from_spec=from_spec)
    if result.no_op:
        log.info("nothing changed")
    for path in result.changed:
        log.info("wrote %s", path)
    for path in result.removed:
        log.info("removed %s", path)


@cli.command()
@_common
def check(**options: Any) -> None:
    """Exit 1 with a diff when the spec or the generated package is stale."""
    from .pipeline import run

    from_spec = options.pop("from_spec")
    config = _load(options)
    result = run(config, check=True, from_spec=from_spec)
    if result.is_current:
        return
    for path in result.edited:
        click.echo(f"{path}: edited by hand since docmodels wrote it", err=True)
    click.echo(result.diff, nl=False)
    stale = len(result.changed) + len(result.removed)
    click.echo(f"{stale} generated files are stale; run 'docmodels generate'", err=True)
    raise SystemExit(ExitCode.STALE)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code instead of exiting."""
    try:
        cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    except DocmodelsError as error:
        click.echo(f"error: {error}", err=True)
        return ExitCode.USER_ERROR
    except click.ClickException as error:
        error.show()
        return ExitCode.USER_ERROR
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return ExitCode.USER_ERROR
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except InternalError as error:
        click.echo(f"internal error: {error}", err=True)
        return ExitCode.INTERNAL_ERROR
    except Exception:  # noqa: BLE001  # any other exception is a bug; show it in full
        click.echo(
            "internal error: an unexpected exception; please report it:", err=True
        )
        click.echo(traceback.format_exc(), err=True)
        return ExitCode.INTERNAL_ERROR
    return ExitCode.OK
