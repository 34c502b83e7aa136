"""Run the stages in order: sources, parse, spec, render, format, write.

:func:`run` reads as the list of steps. Everything is computed in memory before
the first byte is written, so a run that fails on any page writes nothing. The
heavy stage modules (and with them black, Jinja and markdown-it-py) are imported
only after the manifest check finds that something changed.
"""

from __future__ import annotations

import difflib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import manifest
from .config import Config
from .errors import Diagnostics, DocmodelsError, Location

if TYPE_CHECKING:
    from .run_cache import RunCache
    from .spec import Module
    from .write import Plan

log = logging.getLogger(__name__)


@dataclass
class Result:
    """Outcome of a run: the files it changed or, for ``check``, would change."""

    changed: list[str] = field(default_factory=list)
    """Paths, relative to the root, of files written (or that would be written)."""
    removed: list[str] = field(default_factory=list)
    diff: str = ""
    """Unified diff of every change, filled by ``check``."""
    edited: tuple[str, ...] = ()
    """Generated files that were edited by hand since docmodels wrote them."""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    no_op: bool = False
    """True when the manifest proved that nothing changed, without a full run."""
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage."""
    modules: list[Module] = field(default_factory=list)
    """The spec computed by a full run; empty after a no-op run."""

    @property
    def is_current(self) -> bool:
        return not self.changed and not self.removed


STAGES = ("parse", "render", "format", "write")
"""The stages of a full run after the manifest check, in order; ``check`` skips "write"."""

PARSE_CACHE = "parsed.pickle"
"""File in the cache folder with each page's parse result and diagnostics."""

MODULE_CACHE = "modules.pickle"
"""File in the cache folder with each module's spec text and unformatted code."""

StageCallback = Callable[[str], None]
"""Called with a stage's name when the stage starts."""


@contextmanager
def _stage(
    result: Result, name: str, on_stage: StageCallback | None = None
) -> Iterator[None]:
    if on_stage is not None:
        on_stage(name)
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    result.timings[name] = result.timings.get(name, 0.0) + elapsed
    log.debug("stage %s: %.1f ms", name, elapsed * 1000)


def run(
    config: Config,
    *,
    check: bool = False,
    from_spec: bool = False,
    on_stage: StageCallback | None = None,
) -> Result:
    """Generate (or, with ``check``, compare) spec and code for a configuration.

    ``on_stage`` is called as each stage of a full run starts; a no-op run calls it
    never.
    """
    result = Result()
    with _stage(result, "manifest"):
        verdict = manifest.check(config, from_spec)
    if verdict.current:
        log.debug("nothing changed: %s", verdict.reason)
        for item in verdict.warnings:
            result.diagnostics.warn(item.location, item.message, item.hint)
        result.no_op = True
        return result
    log.debug("full run: %s", verdict.reason)
    _check_output_folders(config, from_spec)
    result.edited = verdict.edited

    from . import format, render, spec, write
    from .run_cache import RunCache

    with _stage(result, "parse", on_stage):
        modules, inputs = _read_modules(config, from_spec, result.diagnostics)
    result.modules = modules
    module_cache = RunCache(config.cache_path / MODULE_CACHE)
    with _stage(result, "render", on_stage):
        forms = [spec.canonical(module) for module in modules]
        rendered = render.render_package(
            modules, _templates(config), config.naive_datetimes, module_cache, forms
        )
    with _stage(result, "format", on_stage):
        formatted = format.format_files(rendered, config.cache_path)

    plans = [] if from_spec else [_spec_plan(config, modules, forms, module_cache)]
    module_cache.save()
    plans.append(
        write.plan_folder(
            config.output_path,
            {item.path: item.text.encode() for item in formatted},
            lambda content: content.startswith(render.HEADER_PREFIX.encode()),
            ".py",
            root=config.root,
        )
    )
    for plan in plans:
        result.changed += [
            _relative(config, plan.folder / name) for name in sorted(plan.writes)
        ]
        result.removed += [
            _relative(config, plan.folder / name) for name in plan.removals
        ]
    if check:
        result.diff = "".join(_diff(config, plan) for plan in plans)
    else:
        with _stage(result, "write", on_stage):
            for plan in plans:
                write.apply(plan)
    if not check or result.is_current:
        outputs = [plan.folder / name for plan in plans for name in plan.wanted]
        manifest.save(
            config, from_spec, inputs, outputs, result.diagnostics.warnings
        )
    return result


def _check_output_folders(config: Config, from_spec: bool) -> None:
    folders = (
        [config.output_path] if from_spec else [config.spec_path, config.output_path]
    )
    for folder in folders:
        if folder.exists() and not folder.is_dir():
            raise DocmodelsError(
                Location(_relative(config, folder)),
                "output folder is a file",
                hint="choose another folder with --spec/--output or in [tool.docmodels]",
            )


def log_result(result: Result) -> None:
    """Log, at INFO level, each file a run wrote or removed, or that it changed nothing."""
    if result.no_op:
        log.info("nothing changed")
    for path in result.changed:
        log.info("wrote %s", path)
    for path in result.removed:
        log.info("removed %s", path)


def read_modules(config: Config) -> list[Module]:
    """Read the docs into spec modules in memory, without rendering or writing."""
    diagnostics = Diagnostics()
    modules, _ = _read_modules(config, False, diagnostics)
    return modules


def _templates(config: Config) -> str | None:
    if config.templates_dir is None:
        return None
    return str(config.root / config.templates_dir)


def _read_modules(
    config: Config, from_spec: bool, diagnostics: Diagnostics
) -> tuple[list[Module], list[Path]]:
    """Return the spec modules and the local input files they came from."""
    from . import spec

    if from_spec:
        inputs = sorted(config.spec_path.glob("*.json"))
        files = spec.read_spec_files(config.spec_path, config.limits.max_page_bytes)
        file_of_module: dict[str, str] = {}
        known_models = {
            (module.name, model.name) for _, module in files for model in module.models
        }
        for file_name, module in files:
            _validate_names(module, file_name, known_models)
            if module.name in file_of_module:
                raise DocmodelsError(
                    Location(file_name),
                    f"module {module.name!r} is also defined in "
                    f"{file_of_module[module.name]}",
                    hint="remove one of the spec files or rename its module",
                )
            file_of_module[module.name] = file_name
        modules = [module for _, module in files]
        _check_duplicate_models(modules, diagnostics)
        diagnostics.raise_if_failed(config.strict)
        return modules, inputs

    from .reading import collect_config_pages, read_modules
    from .run_cache import RunCache
    from .sources import find_local_files, is_index, is_remote

    pages = collect_config_pages(config)
    local = [s for s in config.sources if not is_remote(s) and not is_index(s)]
    inputs = find_local_files(local, config.root) if local else []
    parse_cache = RunCache(config.cache_path / PARSE_CACHE)
    modules = []
    for module in read_modules(
        pages,
        config.limits,
        config.overrides,
        config.file,
        diagnostics,
        unknown_keys=config.unknown_keys,
        cache=parse_cache,
    ):
        if module.models:
            modules.append(module)
        else:
            log.info("%s: no property table found", module.source)
    if not any(module.models for module in modules):
        diagnostics.warn(
            Location(config.file),
            f"no property table found in {len(pages)} page(s)",
            hint="a property table needs a header with a name column and a type column",
        )
    parse_cache.save()
    _check_duplicate_models(modules, diagnostics)
    diagnostics.raise_if_failed(config.strict)
    return sorted(modules, key=lambda module: module.name), inputs


def _check_duplicate_models(modules: list[Module], diagnostics: Diagnostics) -> None:
    """Report two models with one class name, counting the ``<Name>Dict`` TypedDicts,
    because the package ``__init__`` re-exports every name of every module."""
    models: dict[str, Location] = {}
    typeddicts: dict[str, Location] = {}
    # Every class name of the run and every name proposed so far, so that no two
    # hints propose one name and no hint proposes a name already in use.
    used_names = {
        name
        for module in modules
        for model in module.models
        for name in (model.name, model.name + "Dict")
    }
    for module in modules:
        for model in module.models:
            typeddict = model.name + "Dict"
            if model.name in models:
                message = (
                    f"model {model.name!r} is also defined at {models[model.name]}"
                )
            elif model.name in typeddicts:
                message = (
                    f"model {model.name!r} has the name of the TypedDict of the "
                    f"model at {typeddicts[model.name]}"
                )
            elif typeddict in models:
                message = (
                    f"model {model.name!r} needs the name {typeddict!r} for its "
                    f"TypedDict, but the model at {models[typeddict]} has it"
                )
            else:
                models[model.name] = typeddicts[typeddict] = model.location
                continue
            diagnostics.error(
                model.location,
                message,
                hint=(
                    "rename one of them with an override, for example "
                    f'[tool.docmodels.overrides."{module.name}:{model.name}"] '
                    f'name = "{_suggested_name(module.name, model.name, used_names)}"'
                ),
            )


def _suggested_name(module: str, model: str, used_names: set[str]) -> str:
    """Propose a class name for a duplicate model, made from its page's module name
    and not in ``used_names``, and add it and its TypedDict name to ``used_names``."""
    from . import naming

    base = naming.class_name(module)
    if base == model:
        base += "Model"
    suggestion, number = base, 2
    while suggestion in used_names or suggestion + "Dict" in used_names:
        suggestion, number = f"{base}{number}", number + 1
    used_names.update((suggestion, suggestion + "Dict"))
    return suggestion


def _validate_names(
    module: Module, file_name: str, known_models: set[tuple[str, str]]
) -> None:
    """Reject names in a spec file that docmodels could not have made, e.g. after a
    hand edit: every name must be one that :mod:`generator.naming` produces, fields
    must be unique in their model, and a model reference must name a model that
    ``known_models`` lists as (module, model)."""
    from . import naming
    from .spec import model_refs

    where = Location(file_name)
    if not naming.is_module_name(module.name):
        _reject_name(where, "module", module.name)
    for model in module.models:
        if not naming.is_class_name(model.name):
            _reject_name(where, "model", model.name)
        fields: set[str] = set()
        wire_names: set[str] = set()
        for field_ in model.fields:
            if not naming.is_field_name(field_.name):
                _reject_name(where, "field", field_.name)
            if field_.name in fields:
                raise DocmodelsError(
                    where,
                    f"field {field_.name!r} appears twice in model {model.name!r}",
                    hint="regenerate the spec from the docs, or remove one field",
                )
            if field_.wire_name in wire_names:
                raise DocmodelsError(
                    where,
                    f"wire name {field_.wire_name!r} appears twice in model "
                    f"{model.name!r}",
                    hint="regenerate the spec from the docs, or remove one field",
                )
            fields.add(field_.name)
            wire_names.add(field_.wire_name)
            for reference in model_refs(field_.type):
                if (reference.module, reference.name) not in known_models:
                    raise DocmodelsError(
                        where,
                        f"field {field_.name!r} of model {model.name!r} refers to "
                        f"model {reference.name!r} of module {reference.module!r}, "
                        "which no spec file defines",
                        hint="regenerate the spec from the docs, or fix the reference",
                    )


def _reject_name(where: Location, kind: str, name: str) -> None:
    excerpt = name if len(name) <= 80 else name[:77] + "..."
    raise DocmodelsError(
        where,
        f"spec names the {kind} {excerpt!r}, which docmodels cannot use as a {kind} name",
        hint="regenerate the spec from the docs, or fix the name in the spec file; "
        "names are ASCII identifiers, not keywords or reserved names, fields in "
        "snake_case, models in CamelCase",
    )


def _spec_plan(
    config: Config, modules: list[Module], forms: list[str], cache: RunCache
) -> Plan:
    from . import spec, write

    files = {
        f"{module.name}.json": _spec_text(module, form, cache).encode()
        for module, form in zip(modules, forms, strict=True)
    }
    return write.plan_folder(
        config.spec_path,
        files,
        lambda content: f'"generator": "{spec.MARKER}"'.encode() in content,
        ".json",
        root=config.root,
    )


def _spec_text(module: Module, form: str, cache: RunCache) -> str:
    """Serialize a module for its spec file, or take the text from the cache.

    ``form`` is the module's canonical text, which keys the cache.
    """
    from . import spec
    from .run_cache import digest

    key = digest(manifest.code_fingerprint(), "spec", form)
    text = cache.get(key)
    if isinstance(text, str):
        return text
    text = spec.dumps(module)
    cache.put(key, text)
    return text


def _diff(config: Config, plan: Plan) -> str:
    chunks: list[str] = []
    for name in sorted(plan.writes):
        path = _relative(config, plan.folder / name)
        old = plan.old.get(name, b"").decode(errors="replace").splitlines(keepends=True)
        new = plan.writes[name].decode().splitlines(keepends=True)
        chunks.extend(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
    for name in plan.removals:
        path = _relative(config, plan.folder / name)
        old = plan.old[name].decode(errors="replace").splitlines(keepends=True)
        chunks.extend(difflib.unified_diff(old, [], f"a/{path}", "/dev/null"))
    return "".join(chunks)


def _relative(config: Config, path: Path) -> str:
    try:
        return path.resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
