"""The intermediate form between the pages and the code: typed, frozen and versioned.

A spec is a tuple of :class:`Module` objects, one per documentation page. It is
written as one JSON file per module under ``spec/`` so that a pull request shows
every change to the models, and it is read back from there when rendering from a
pinned spec. The JSON is deterministic: sorted keys, two-space indent, a final
newline, and control, format and separator characters written as ``\\uXXXX`` so
that no invisible character hides in a review.

A field's wire format follows from its type alone, so the spec records none:
``Scalar("datetime")`` is ISO 8601 text, ``Scalar("timestamp")`` Unix seconds
and ``Scalar("date")`` an ISO calendar date (``YYYY-MM-DD``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

from .errors import DocmodelsError, Location

SCHEMA_VERSION = 1
"""Version of the JSON layout; raised on every incompatible change."""

MARKER = "docmodels-spec"
"""Value of the ``generator`` key that marks a JSON file as written by docmodels."""

ScalarKind = Literal[
    "int", "float", "str", "bool", "any", "object", "datetime", "date", "timestamp"
]
SCALAR_KINDS: tuple[ScalarKind, ...] = (
    "int", "float", "str", "bool", "any", "object", "datetime", "date", "timestamp",
)  # fmt: skip
UnknownKeys = Literal["ignore", "keep", "reject"]
UNKNOWN_KEYS_POLICIES: tuple[UnknownKeys, ...] = ("ignore", "keep", "reject")
JSONScalar: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True)
class Scalar:
    """A single value. ``datetime`` is ISO 8601 on the wire, ``timestamp`` Unix seconds,
    ``date`` an ISO calendar date, ``object`` any JSON object, ``any`` any JSON value.
    """

    kind: ScalarKind


@dataclass(frozen=True)
class ListOf:
    """A JSON array whose items all have one type."""

    item: TypeRef


@dataclass(frozen=True)
class MapOf:
    """A JSON object with string keys whose values all have one type."""

    value: TypeRef


@dataclass(frozen=True)
class ModelRef:
    """Another model, by class name and the module that defines it."""

    name: str
    module: str


@dataclass(frozen=True)
class LiteralOf:
    """One of a fixed set of JSON values (an enumeration); repeated values are dropped."""

    values: tuple[str | int | bool, ...]

    def __post_init__(self) -> None:
        # Keyed by type too, because True == 1 but both may be allowed values.
        unique = {(type(value), value): value for value in self.values}
        object.__setattr__(self, "values", tuple(unique.values()))


@dataclass(frozen=True)
class UnionOf:
    """Any one of several types, tried in order."""

    options: tuple[TypeRef, ...]


TypeRef: TypeAlias = Scalar | ListOf | MapOf | ModelRef | LiteralOf | UnionOf


def model_refs(type_ref: TypeRef) -> list[ModelRef]:
    """Return every model reference inside a type, in order."""
    if isinstance(type_ref, ModelRef):
        return [type_ref]
    if isinstance(type_ref, ListOf):
        return model_refs(type_ref.item)
    if isinstance(type_ref, MapOf):
        return model_refs(type_ref.value)
    if isinstance(type_ref, UnionOf):
        return [ref for option in type_ref.options for ref in model_refs(option)]
    return []


@dataclass(frozen=True)
class Field:
    """One property of a model."""

    name: str
    """Python attribute name: a valid, non-reserved identifier made by :mod:`generator.naming`."""
    wire_name: str
    """Key in the JSON object, exactly as documented."""
    type: TypeRef
    """Type of the value when present and not null."""
    required: bool
    """Whether the key must be present on the wire."""
    nullable: bool
    """Whether the value may be JSON ``null``."""
    description: str
    """Plain-text description, Markdown markup removed."""
    location: Location
    """Page and line of the table row."""
    type_text: str = ""
    """The Type cell as written in the page, kept for ``inspect`` and reviews."""
    default: JSONScalar = None
    """Documented default value, or None; informative only, never filled in on decode."""


@dataclass(frozen=True)
class Model:
    """A class generated from one property table, or from a group of dotted rows in it."""

    name: str
    """Python class name."""
    title: str
    """The heading text the model was named after, or the parent field for nested models."""
    description: str
    location: Location
    fields: tuple[Field, ...]
    unknown_keys: UnknownKeys = "ignore"
    """What ``from_dict`` does with keys that no field documents."""


@dataclass(frozen=True)
class Module:
    """The models of one documentation page; rendered as one Python module."""

    name: str
    """Python module name."""
    source: str
    """Page path relative to the project root, or its URL."""
    models: tuple[Model, ...]


# ---------------------------------------------------------------------------
# JSON encoding


def type_to_json(type_ref: TypeRef) -> dict[str, Any]:
    """Encode a type as a small JSON object tagged by ``kind``."""
    if isinstance(type_ref, Scalar):
        return {"kind": type_ref.kind}
    if isinstance(type_ref, ListOf):
        return {"kind": "list", "item": type_to_json(type_ref.item)}
    if isinstance(type_ref, MapOf):
        return {"kind": "map", "value": type_to_json(type_ref.value)}
    if isinstance(type_ref, ModelRef):
        return {"kind": "model", "name": type_ref.name, "module": type_ref.module}
    if isinstance(type_ref, LiteralOf):
        return {"kind": "literal", "values": list(type_ref.values)}
    return {
        "kind": "union",
        "options": [type_to_json(option) for option in type_ref.options],
    }


MAX_TYPE_DEPTH = 32
"""Deepest type nesting a spec file may contain; the page parser stops at 16."""

LITERAL_INT_RANGE = range(-(2**63) + 1, 2**63)
"""Integer enum values must fit in 64 bits, like JSON numbers that APIs exchange.
The lowest 64-bit integer is left out because mypy (2.4) rejects it inside
``Literal[...]``."""


def type_from_json(data: Any, where: Location, depth: int = 0) -> TypeRef:
    """Decode a type written by :func:`type_to_json`; raise DocmodelsError on anything else."""
    if depth > MAX_TYPE_DEPTH:
        raise DocmodelsError(
            where,
            f"type nested deeper than {MAX_TYPE_DEPTH} levels in spec file",
            hint=_REGENERATE,
        )
    kind = data.get("kind") if isinstance(data, dict) else None
    if kind in SCALAR_KINDS:
        return Scalar(kind)
    if kind == "list":
        return ListOf(type_from_json(data.get("item"), where, depth + 1))
    if kind == "map":
        return MapOf(type_from_json(data.get("value"), where, depth + 1))
    if kind == "model":
        return ModelRef(_string(data, "name", where), _string(data, "module", where))
    if kind == "literal" and _valid_literal_values(data.get("values")):
        return LiteralOf(tuple(data["values"]))
    if kind == "union" and isinstance(data.get("options"), list) and data["options"]:
        return UnionOf(
            tuple(
                type_from_json(option, where, depth + 1) for option in data["options"]
            )
        )
    raise DocmodelsError(
        where, f"invalid type {_shorten(data)} in spec file", hint=_REGENERATE
    )


def _valid_literal_values(values: Any) -> bool:
    """Accept a non-empty list of strings, booleans and 64-bit integers."""
    if not isinstance(values, list) or not values:
        return False
    return all(
        isinstance(value, str | bool)
        or (isinstance(value, int) and value in LITERAL_INT_RANGE)
        for value in values
    )


def _shorten(value: Any, limit: int = 120) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def module_to_json(module: Module) -> dict[str, Any]:
    """Encode a module as the JSON document stored in ``spec/<module>.json``."""
    return {
        "generator": MARKER,
        "schema_version": SCHEMA_VERSION,
        "module": module.name,
        "source": module.source,
        "models": [_model_to_json(model) for model in module.models],
    }


def _model_to_json(model: Model) -> dict[str, Any]:
    return {
        "name": model.name,
        "title": model.title,
        "description": model.description,
        "line": model.location.line,
        "unknown_keys": model.unknown_keys,
        "fields": [_field_to_json(field) for field in model.fields],
    }


def _field_to_json(field: Field) -> dict[str, Any]:
    return {
        "name": field.name,
        "wire_name": field.wire_name,
        "type": type_to_json(field.type),
        "type_text": field.type_text,
        "required": field.required,
        "nullable": field.nullable,
        "default": field.default,
        "description": field.description,
        "line": field.location.line,
    }


# json.dumps already escapes the C0 controls, so only later code points are listed.
# Lone surrogates (from file names that are not UTF-8) cannot be encoded as they are.
_UNSAFE_IN_JSON = re.compile(
    "[\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ud800-\udfff\ufeff]"
)


def dumps(module: Module) -> str:
    """Serialize a module deterministically; invisible characters are written escaped."""
    text = json.dumps(
        module_to_json(module), indent=2, sort_keys=True, ensure_ascii=False
    )
    return (
        _UNSAFE_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
    )


def canonical(module: Module) -> str:
    """Serialize a module compactly, as a cache key: equal modules give equal text.

    Without indentation the json module uses its C encoder, several times faster
    than :func:`dumps`.
    """
    return json.dumps(
        module_to_json(module), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


# ---------------------------------------------------------------------------
# JSON decoding

_REGENERATE = "regenerate the spec with 'docmodels generate', or fix the file by hand"


def loads(text: str, file_name: str) -> Module:
    """Parse a spec file; every structural problem is a DocmodelsError naming the file."""
    where = Location(file_name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DocmodelsError(
            Location(file_name, error.lineno),
            f"invalid JSON: {error.msg}",
            hint=_REGENERATE,
        ) from None
    except (ValueError, RecursionError) as error:
        # Integers longer than sys.get_int_max_str_digits() raise ValueError, and
        # deeply nested arrays exhaust the recursion of the json module.
        raise DocmodelsError(
            where, f"invalid JSON: {_shorten(str(error))}", hint=_REGENERATE
        ) from None
    if not isinstance(data, dict) or data.get("generator") != MARKER:
        raise DocmodelsError(where, "not a docmodels spec file", hint=_REGENERATE)
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise DocmodelsError(
            where,
            f"unsupported schema_version {_shorten(version)}; this docmodels reads {SCHEMA_VERSION}",
            hint="regenerate the spec with this version of docmodels",
        )
    source = _string(data, "source", where)
    models = data.get("models")
    if not isinstance(models, list):
        raise DocmodelsError(where, "missing list 'models'", hint=_REGENERATE)
    return Module(
        name=_string(data, "module", where),
        source=source,
        models=tuple(_model_from_json(model, source, where) for model in models),
    )


def _model_from_json(data: Any, source: str, where: Location) -> Model:
    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise DocmodelsError(where, f"invalid model {_shorten(data)}", hint=_REGENERATE)
    unknown_keys = data.get("unknown_keys", "ignore")
    if unknown_keys not in UNKNOWN_KEYS_POLICIES:
        raise DocmodelsError(
            where, f"invalid unknown_keys {_shorten(unknown_keys)}", hint=_REGENERATE
        )
    return Model(
        name=_string(data, "name", where),
        title=_string(data, "title", where),
        description=_string(data, "description", where),
        location=Location(source, _line(data)),
        fields=tuple(
            _field_from_json(field, source, where) for field in data["fields"]
        ),
        unknown_keys=unknown_keys,
    )


def _field_from_json(data: Any, source: str, where: Location) -> Field:
    if not isinstance(data, dict):
        raise DocmodelsError(where, f"invalid field {_shorten(data)}", hint=_REGENERATE)
    default = data.get("default")
    if not isinstance(default, str | int | float | bool | None):
        raise DocmodelsError(
            where, f"invalid default {_shorten(default)}", hint=_REGENERATE
        )
    return Field(
        name=_string(data, "name", where),
        wire_name=_string(data, "wire_name", where),
        type=type_from_json(data.get("type"), where),
        required=data.get("required") is True,
        nullable=data.get("nullable") is True,
        description=_string(data, "description", where),
        location=Location(source, _line(data)),
        type_text=str(data.get("type_text", "")),
        default=default,
    )


def _string(data: dict[str, Any], key: str, where: Location) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise DocmodelsError(
            where, f"missing or invalid {key!r}: {_shorten(value)}", hint=_REGENERATE
        )
    return value


def _line(data: dict[str, Any]) -> int | None:
    line = data.get("line")
    return line if isinstance(line, int) and not isinstance(line, bool) else None


def read_spec_dir(folder: Path, max_bytes: int | None = None) -> list[Module]:
    """Read every docmodels spec file in a folder, sorted by module name."""
    return [module for _, module in read_spec_files(folder, max_bytes)]


def read_spec_files(
    folder: Path, max_bytes: int | None = None
) -> list[tuple[str, Module]]:
    """Read every docmodels spec file in a folder with its path, sorted by module name."""
    modules = []
    for path in sorted(folder.glob("*.json")):
        name = path.as_posix()
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise DocmodelsError(
                Location(name),
                f"spec file is {size} bytes, over the limit of {max_bytes}",
                hint="raise [tool.docmodels.limits] max-page-bytes if the file is genuine",
            )
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise DocmodelsError(
                Location(name),
                f"invalid UTF-8 byte at offset {error.start}",
                hint=_REGENERATE,
            ) from None
        modules.append((name, loads(text, name)))
    return sorted(modules, key=lambda item: item[1].name)
