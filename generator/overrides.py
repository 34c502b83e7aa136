"""Apply ``[tool.docmodels.overrides]``: the fixes a user makes where a page is wrong or unclear.

Each key names a model or one of its fields, optionally after the module of the
page that defines it (for two pages that define the same model name)::

    [tool.docmodels.overrides."Pet"]                # a model
    name = "StorePet"                              # rename the class
    unknown-keys = "keep"                          # ignore | keep | reject
    [tool.docmodels.overrides."python_pet:Pet"]      # the model of one page
    skip = true                                    # leave the table out
    [tool.docmodels.overrides."Session._id"]       # a field, by wire name
    name = "session_id"                            # rename the attribute
    type = "integer"                               # type text, read like a Type cell
    required = true
    nullable = false

Unknown keys are rejected with the list of valid ones. An override that matches
no model or field is a warning, because the page it was written for may have
changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from . import naming
from .errors import Diagnostics, DocmodelsError, Location
from .spec import UNKNOWN_KEYS_POLICIES, Field, Model, ModelRef, Module, Scalar, TypeRef
from .types import map_refs, parse_type

MODEL_KEYS = ("name", "skip", "unknown-keys")
"""Settings an override of a model accepts."""

FIELD_KEYS = ("name", "type", "required", "nullable", "skip")
"""Settings an override of a field accepts."""


@dataclass(frozen=True)
class Override:
    """One entry of ``[tool.docmodels.overrides]``, checked."""

    key: str
    module: str | None
    model: str
    field: str | None
    settings: dict[str, Any]


def read_overrides(table: dict[str, Any], where: Location) -> list[Override]:
    """Check the overrides table; raise DocmodelsError on the first invalid entry."""
    overrides = []
    for key, settings in table.items():
        if not isinstance(settings, dict):
            raise DocmodelsError(
                where,
                f"override {key!r} must be a table, got {settings!r}",
                hint=f'write it as [tool.docmodels.overrides."{key}"] with settings below',
            )
        module, _, target = key.partition(":")
        if not target or "." in module:
            # No module prefix: a colon, if any, belongs to the field's wire name.
            module, target = "", key
        model, _, field = target.partition(".")
        valid = FIELD_KEYS if field else MODEL_KEYS
        unknown = sorted(set(settings) - set(valid))
        if unknown or not model:
            raise DocmodelsError(
                where,
                (
                    f"override {key!r} has unknown settings {', '.join(unknown)}"
                    if unknown
                    else f"override {key!r} names no model"
                ),
                hint=f"valid settings are: {', '.join(valid)}",
            )
        _check_values(key, settings, where, is_field=bool(field))
        overrides.append(Override(key, module or None, model, field or None, settings))
    return overrides


def _check_values(
    key: str, settings: dict[str, Any], where: Location, is_field: bool
) -> None:
    for setting in ("skip", "required", "nullable"):
        if setting in settings and not isinstance(settings[setting], bool):
            raise DocmodelsError(
                where,
                f"override {key!r}: {setting} must be true or false, "
                f"got {settings[setting]!r}",
            )
    name = settings.get("name")
    is_valid = naming.is_field_name if is_field else naming.is_class_name
    if name is not None and not (isinstance(name, str) and is_valid(name)):
        raise DocmodelsError(
            where,
            f"override {key!r}: name {name!r} is not a valid Python identifier "
            "or is reserved",
            hint="use letters, digits and underscores, not starting with a digit "
            "or an underscore, and no keyword or name the generated code uses",
        )
    policy = settings.get("unknown-keys")
    if policy is not None and policy not in UNKNOWN_KEYS_POLICIES:
        raise DocmodelsError(
            where,
            f"override {key!r}: invalid unknown-keys {policy!r}",
            hint=f"valid choices are: {', '.join(UNKNOWN_KEYS_POLICIES)}",
        )
    if "type" in settings and not isinstance(settings["type"], str):
        raise DocmodelsError(
            where, f"override {key!r}: type must be a string, got {settings['type']!r}"
        )


def apply(
    modules: Sequence[Module],
    table: dict[str, Any],
    where: Location,
    diagnostics: Diagnostics,
) -> tuple[list[Module], set[Location]]:
    """Return the modules with every override applied, in the order of the table.

    Also return the source locations that an override made moot: rows of skipped
    tables and fields, and rows whose type an override sets, so that warnings
    about them can be dropped.
    """
    result = list(modules)
    settled: set[Location] = set()
    for override in read_overrides(table, where):
        settled |= _settled_locations(result, override)
        matched = False
        for index, module in enumerate(result):
            if override.module is not None and override.module != module.name:
                continue
            new_module, hit = _apply_to_module(module, override, result, where)
            matched = matched or hit
            result[index] = new_module
        if override.field is None and matched:
            result = _after_model_change(result, override)
        if not matched:
            diagnostics.warn(
                where,
                f"override {override.key!r} matches no "
                f"{'field' if override.field else 'model'}",
                hint="check the model name (as 'docmodels inspect' prints it) and the "
                "wire name of the field",
            )
    return result, settled


def _settled_locations(modules: Sequence[Module], override: Override) -> set[Location]:
    settings = override.settings
    if not settings.get("skip") and "type" not in settings:
        return set()
    locations: set[Location] = set()
    for module in modules:
        if override.module not in (None, module.name):
            continue
        for model in module.models:
            if model.name != override.model:
                continue
            if override.field is None:
                locations.add(model.location)
            locations.update(
                field.location
                for field in model.fields
                if override.field in (None, field.wire_name)
            )
    return locations


def _apply_to_module(
    module: Module, override: Override, modules: Sequence[Module], where: Location
) -> tuple[Module, bool]:
    models = []
    matched = False
    for model in module.models:
        if model.name != override.model:
            models.append(model)
            continue
        matched_here, new_model = _apply_to_model(model, override, modules, where)
        matched = matched or matched_here
        if new_model is not None:
            models.append(new_model)
    return replace(module, models=tuple(models)), matched


def _apply_to_model(
    model: Model, override: Override, modules: Sequence[Module], where: Location
) -> tuple[bool, Model | None]:
    settings = override.settings
    if override.field is None:
        if settings.get("skip"):
            return True, None
        return True, replace(
            model,
            name=settings.get("name", model.name),
            unknown_keys=settings.get("unknown-keys", model.unknown_keys),
        )
    fields = []
    matched = False
    for field in model.fields:
        if field.wire_name != override.field:
            fields.append(field)
            continue
        matched = True
        if settings.get("skip"):
            continue
        fields.append(_apply_to_field(field, override, modules, where))
    names = [field.name for field in fields]
    for name in names:
        if names.count(name) > 1:
            raise DocmodelsError(
                where,
                f"override {override.key!r}: two fields of {model.name} "
                f"would be named {name!r}",
                hint="choose a name that no other field of the model has",
            )
    return matched, replace(model, fields=tuple(fields))


def _apply_to_field(
    field: Field, override: Override, modules: Sequence[Module], where: Location
) -> Field:
    settings = override.settings
    new_type = field.type
    type_text = field.type_text
    if "type" in settings:
        type_text = settings["type"]
        parsed = parse_type(type_text)
        if not parsed.known:
            raise DocmodelsError(
                where,
                f"override {override.key!r}: type {type_text!r} is not a known type",
                hint="write a type as a page would, e.g. 'integer', 'array of string', "
                "'Dict[str, int]' or the name of a model",
            )
        new_type = _link_models(parsed.type, modules, override, where)
    return replace(
        field,
        name=settings.get("name", field.name),
        type=new_type,
        type_text=type_text,
        required=settings.get("required", field.required),
        nullable=settings.get("nullable", field.nullable),
    )


def _link_models(
    type_ref: TypeRef, modules: Sequence[Module], override: Override, where: Location
) -> TypeRef:
    """Point the model names of an override's type at the modules that define them."""

    def link(ref: ModelRef) -> TypeRef:
        if ref.module:
            return ref
        for module in modules:
            for model in module.models:
                if model.name == ref.name:
                    return ModelRef(model.name, module.name)
        raise DocmodelsError(
            where,
            f"override {override.key!r}: type names model {ref.name!r}, "
            "which no page defines",
            hint="use a model name as 'docmodels inspect' prints it",
        )

    return map_refs(type_ref, link)


def _after_model_change(modules: list[Module], override: Override) -> list[Module]:
    """Point references at a renamed model, and turn references to a skipped one into objects."""
    new_name: str | None = override.settings.get("name")
    skipped = bool(override.settings.get("skip"))
    if not skipped and new_name is None:
        return modules

    def fix(ref: ModelRef) -> TypeRef:
        if ref.name != override.model or override.module not in (None, ref.module):
            return ref
        if skipped or new_name is None:
            return Scalar("object")
        return ModelRef(new_name, ref.module)

    return [
        replace(
            module,
            models=tuple(
                replace(
                    model,
                    fields=tuple(
                        replace(field, type=map_refs(field.type, fix))
                        for field in model.fields
                    ),
                )
                for model in module.models
            ),
        )
        for module in modules
    ]
