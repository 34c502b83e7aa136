"""The ``docmodels`` command line: a thin layer that presents what the library returns.

Exit codes, for every command:

- 0: success; for ``check``, spec and code are current; for ``watch``, stopped
  with Ctrl-C.
- 1: ``check`` found stale, missing or hand-edited files, or, with
  ``--fail-on-breaking``, ``check`` or ``diff`` found a breaking model change.
- 2: invalid input, configuration or arguments (the message names file, line and
  value); also ``watch`` without the optional package watchfiles.
- 3: internal error, a bug in docmodels or in a template. No page or spec file
  causes it, however malformed; tests/test_cli_hostile.py checks many.

With ``--format json``, ``generate``, ``check`` and ``diff`` print one JSON object
on stdout that includes ``exit_code``, also when the input is invalid; logs and
warnings still go to stderr.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import naming
from .config import Config, find_root, load_config, with_overrides
from .errors import Diagnostic, DocmodelsError, ExitCode, InternalError, Location
from .sources import is_remote

if TYPE_CHECKING:
    from .diff import Change
    from .pipeline import Result

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


_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output for people, or one JSON object on stdout for CI tools.",
)


@cli.command()
@_common
@_FORMAT
def generate(**options: Any) -> None:
    """Read the docs, write the spec and the generated package."""
    from .pipeline import log_result, run

    output_format = options.pop("output_format")
    from_spec = options.pop("from_spec")
    with _json_errors("generate", output_format):
        config = _load(options)
        with _progress(output_format) as on_stage:
            result = run(config, from_spec=from_spec, on_stage=on_stage)
    if output_format == "json":
        _echo_json(_result_json("generate", result, ExitCode.OK))
        return
    log_result(result)


@cli.command()
@_common
@_FORMAT
@click.option(
    "--fail-on-breaking",
    is_flag=True,
    help="Also exit 1 when the spec has a breaking change since --base.",
)
@click.option(
    "--base",
    default="HEAD",
    show_default=True,
    help="Git revision whose spec --fail-on-breaking compares with.",
)
def check(**options: Any) -> None:
    """Exit 1 with a diff when the spec or the generated package is stale."""
    from .pipeline import run

    output_format = options.pop("output_format")
    from_spec = options.pop("from_spec")
    fail_on_breaking = options.pop("fail_on_breaking")
    base = options.pop("base")
    with _json_errors("check", output_format):
        config = _load(options)
        with _progress(output_format) as on_stage:
            result = run(config, check=True, from_spec=from_spec, on_stage=on_stage)
        breaking = _breaking_since(config, base, result) if fail_on_breaking else []
    code = ExitCode.OK if result.is_current and not breaking else ExitCode.STALE
    if output_format == "json":
        body = _result_json("check", result, code)
        body["diff"] = result.diff
        if fail_on_breaking:
            from .diff_report import change_to_json

            body["breaking"] = [change_to_json(change) for change in breaking]
        _echo_json(body)
        raise SystemExit(code)

    if breaking:
        from .diff_report import report_text

        click.echo(report_text(breaking, base, "the docs"), err=True, nl=False)
    if not result.is_current:
        for path in result.edited:
            click.echo(f"{path}: edited by hand since docmodels wrote it", err=True)
        click.echo(result.diff, nl=False)
        stale = len(result.changed) + len(result.removed)
        files = "file differs" if stale == 1 else "files differ"
        click.echo(
            f"{stale} generated {files} from what the docs produce; "
            "run 'docmodels generate'",
            err=True,
        )
    raise SystemExit(code)


def _breaking_since(config: Config, base: str, result: Result) -> list[Change]:
    """Return the breaking changes from the spec at ``base`` to the one of this run."""
    from .diff import compare, spec_at_revision

    new = result.modules
    if result.no_op:
        from .spec import read_spec_dir

        new = read_spec_dir(config.spec_path)
    old = spec_at_revision(config.root, config.spec_dir, base)
    return [change for change in compare(old, new) if change.is_breaking]


@cli.command("diff")
@click.argument("folders", nargs=-1)
@click.option(
    "--from", "old_revision", help="Git revision of the old spec.  [default: HEAD]"
)
@click.option(
    "--to",
    "new_revision",
    help="Git revision of the new spec.  [default: the docs as they are now]",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Report for people, CI tools or a pull-request comment.",
)
@click.option(
    "--fail-on-breaking", is_flag=True, help="Exit 1 when a change is breaking."
)
@click.option("--spec", "spec_dir", help="Folder of the spec JSON files.")
@click.option(
    "--config", "config_file", help="pyproject.toml to read [tool.docmodels] from."
)
@click.option(
    "--root", help="Project root that relative paths start from.  [default: .]"
)
def diff_command(
    folders: tuple[str, ...],
    old_revision: str | None,
    new_revision: str | None,
    output_format: str,
    fail_on_breaking: bool,
    spec_dir: str | None,
    config_file: str | None,
    root: str | None,
) -> None:
    """List model changes between two specs, each breaking or compatible.

    By default compares the spec committed at HEAD with the spec of the docs as
    they are now. --from and --to name git revisions; two FOLDERS name spec
    folders, relative to the current folder.
    """
    from . import diff, diff_report

    with _json_errors("diff", output_format):
        if folders and (old_revision or new_revision):
            raise click.UsageError(
                "give either two spec folders or --from/--to, not both"
            )
        if len(folders) not in (0, 2):
            raise click.UsageError("give two spec folders, OLD and NEW, or none")
        if folders:
            old_label, new_label = folders
            old = diff.spec_in_folder(Path(old_label))
            new = diff.spec_in_folder(Path(new_label))
        else:
            config = _load(
                {"root": root, "config_file": config_file, "sources": (), "spec_dir": spec_dir,
                 "output_dir": None, "templates_dir": None, "strict": False, "offline": False}
            )  # fmt: skip
            old_label = old_revision or "HEAD"
            new_label = new_revision or "the docs"
            old = diff.spec_at_revision(config.root, config.spec_dir, old_label)
            if new_revision is None:
                new = diff.spec_from_docs(config)
            else:
                new = diff.spec_at_revision(config.root, config.spec_dir, new_revision)
        changes = diff.compare(old, new)

    breaking, _ = diff_report.count(changes)
    code = ExitCode.STALE if fail_on_breaking and breaking else ExitCode.OK
    if output_format == "json":
        body: dict[str, Any] = {"command": "diff", "exit_code": int(code)}
        body.update(diff_report.report_json(changes, old_label, new_label))
        _echo_json(body)
    elif output_format == "markdown":
        click.echo(diff_report.report_markdown(changes, old_label, new_label), nl=False)
    else:
        click.echo(diff_report.report_text(changes, old_label, new_label), nl=False)
    raise SystemExit(code)


@cli.command()
@_common
@click.option(
    "--debounce",
    type=click.IntRange(min=10),
    default=200,
    show_default=True,
    help="Milliseconds the files must be quiet before a run starts.",
)
def watch(**options: Any) -> None:
    """Regenerate whenever a page or template changes, until Ctrl-C."""
    from .watch import watch as watch_sources

    from_spec = options.pop("from_spec")
    debounce = options.pop("debounce")
    root = logging.getLogger("generator")
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)
    watch_sources(
        lambda: _load(dict(options)), from_spec=from_spec, debounce_ms=debounce
    )


# ---------------------------------------------------------------------------
# Presenting results


def _echo_json(body: dict[str, Any]) -> None:
    click.echo(json.dumps(body, indent=2, sort_keys=True))


def _result_json(command: str, result: Result, code: int) -> dict[str, Any]:
    return {
        "command": command,
        "exit_code": int(code),
        "no_op": result.no_op,
        "changed": result.changed,
        "removed": result.removed,
        "edited": list(result.edited),
        "warnings": [_problem_json(item) for item in result.diagnostics.warnings],
        "errors": [_problem_json(item) for item in result.diagnostics.errors],
    }


def _problem_json(problem: Diagnostic | DocmodelsError) -> dict[str, Any]:
    location: Location = problem.location
    return {
        "file": location.file,
        "line": location.line,
        "message": problem.message,
        "hint": problem.hint,
    }


@contextmanager
def _json_errors(command: str, output_format: str) -> Iterator[None]:
    """In JSON mode, report an invalid input as a JSON object as well as on stderr."""
    if output_format != "json":
        yield
        return
    try:
        yield
    except DocmodelsError as error:
        click.echo(f"error: {error}", err=True)
        problem = _problem_json(error)
    except click.ClickException as error:
        error.show()
        problem = {
            "file": None,
            "line": None,
            "message": error.format_message(),
            "hint": "",
        }
    else:
        return
    body = {
        "command": command,
        "exit_code": int(ExitCode.USER_ERROR),
        "errors": [problem],
    }
    _echo_json(body)
    raise SystemExit(ExitCode.USER_ERROR)


class _StageBar:
    """A progress bar over the stages of a full run, drawn on first use."""

    def __init__(self) -> None:
        self._bar: Any = None

    def __call__(self, stage: str) -> None:
        from .pipeline import STAGES

        if self._bar is None:
            self._bar = click.progressbar(
                length=len(STAGES),
                label="docmodels",
                file=sys.stderr,
                item_show_func=lambda item: item,
            )
            self._bar.__enter__()
            self._bar.current_item = stage
            self._bar.render_progress()
        else:
            self._bar.update(1, stage)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._bar.length - self._bar.pos, "done")
            self._bar.__exit__(None, None, None)


@contextmanager
def _progress(output_format: str) -> Iterator[_StageBar | None]:
    """Yield a stage callback that draws a progress bar, or None where a bar would not help.

    The bar is drawn only when stderr is a terminal, the output is text, and no
    log lines (``-v``) would be interleaved with it.
    """
    quiet = logging.getLogger("generator").level > logging.INFO
    if output_format != "text" or not quiet or not sys.stderr.isatty():
        yield None
        return
    bar = _StageBar()
    try:
        yield bar
    finally:
        bar.close()


@cli.command()
@click.argument("sources", nargs=-1)
@click.option(
    "--config", "config_file", help="pyproject.toml to read [tool.docmodels] from."
)
@click.option(
    "--root",
    help="Project root that relative paths start from.  [default: as for generate]",
)
@click.option("--strict", is_flag=True, help="Exit 2 when there is any warning.")
@click.option(
    "--offline", is_flag=True, help="Read URLs and indexes from the page cache only."
)
@click.option(
    "-v", "--verbose", count=True, help="Log more: -v lists files, -vv adds timings."
)
def inspect(**options: Any) -> None:
    """Print the models and fields read from each page, and every warning."""
    from .errors import Diagnostics
    from .reading import collect_config_pages, read_modules
    from .report import describe

    options.update(spec_dir=None, output_dir=None, templates_dir=None)
    config = _load(options)
    diagnostics = Diagnostics()
    pages = collect_config_pages(config)
    modules = read_modules(
        pages,
        config.limits,
        config.overrides,
        config.file,
        diagnostics,
        unknown_keys=config.unknown_keys,
    )
    click.echo(naming.terminal_text(describe(modules, diagnostics)), nl=False)
    failures = diagnostics.items if config.strict else diagnostics.errors
    if failures:
        click.echo(f"{len(failures)} problems found", err=True)
        raise SystemExit(ExitCode.USER_ERROR)


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
