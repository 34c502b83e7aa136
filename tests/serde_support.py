"""Helpers for the serializer tests: a spec with every kind of field, a way to
generate and import a package from spec modules, and hypothesis strategies for
wire payloads built by walking the spec's types.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

from generator.config import Limits
from generator.errors import Diagnostics, Location
from generator.format import format_files
from generator.reading import read_modules
from generator.render import render_package
from generator.sources import collect_pages
from generator.spec import (
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    Model,
    ModelRef,
    Module,
    Scalar,
    TypeRef,
    UnionOf,
)

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(
    os.environ.get("DOCMODELS_CORPUS", REPO.parent / "shared" / "corpus")
).resolve()

# ---------------------------------------------------------------------------
# A spec with every kind of type, presence and unknown-keys policy


def _field(
    name: str,
    type_ref: TypeRef,
    *,
    required: bool = False,
    nullable: bool = False,
    wire: str | None = None,
) -> Field:
    return Field(
        name=name,
        wire_name=wire or name,
        type=type_ref,
        required=required,
        nullable=nullable,
        description=f"The {name} value.",
        location=Location("features.md", 1),
    )


def _model(name: str, fields: Sequence[Field], unknown_keys: str = "ignore") -> Model:
    return Model(
        name=name,
        title=name,
        description=f"A {name.lower()} of the test spec.",
        location=Location("features.md", 1),
        fields=tuple(fields),
        unknown_keys=unknown_keys,  # type: ignore[arg-type]
    )


def _ref(name: str) -> ModelRef:
    return ModelRef(name, "features")


FEATURE_MODULE = Module(
    name="features",
    source="features.md",
    models=(
        _model(
            "Address",
            [
                _field("street", Scalar("str"), required=True),
                _field("zip", Scalar("str"), nullable=True),
            ],
        ),
        _model(
            "Attachment",
            [
                _field("id", Scalar("int"), required=True),
                _field("size", Scalar("int"), required=True),
                _field("kind", LiteralOf(("image", "video"))),
                _field("ratio", Scalar("float")),
            ],
        ),
        _model(
            "Message",
            [
                _field("id", Scalar("int"), required=True),
                _field("text", Scalar("str"), required=True, nullable=True),
                _field("status", LiteralOf(("new", "read")), required=True),
                _field("score", Scalar("float")),
                _field("flag", Scalar("bool"), nullable=True),
                _field("sent_at", Scalar("datetime")),
                _field("day", Scalar("date")),
                _field("ts", Scalar("timestamp")),
                _field("tags", ListOf(Scalar("str"))),
                _field("attachments", ListOf(_ref("Attachment"))),
                _field("address", _ref("Address"), nullable=True),
                _field("meta", Scalar("object")),
                _field("payload", Scalar("any")),
                _field("loose", Scalar("any"), required=True),
                _field("counts", MapOf(Scalar("int"))),
                _field("level", LiteralOf((1, 2, 3))),
                _field("mixed", LiteralOf(("a", 1, True))),
                _field("either", UnionOf((Scalar("int"), Scalar("str")))),
                _field("day_or_text", UnionOf((Scalar("str"), Scalar("date")))),
                _field("grid", ListOf(ListOf(Scalar("int")))),
                _field("times", ListOf(Scalar("datetime"))),
                _field("ratios", ListOf(Scalar("float"))),
                _field("rate", Scalar("int"), wire="x-rate"),
                _field("places", MapOf(_ref("Address"))),
            ],
        ),
        _model("Open", [_field("name", Scalar("str"), required=True)], "keep"),
        _model(
            "Closed",
            [
                _field("name", Scalar("str"), required=True),
                _field("at", Scalar("datetime"), required=True, nullable=True),
            ],
            "reject",
        ),
        _model("Empty", [], "reject"),
    ),
)
"""Models that cover every scalar kind, lists, maps, nesting, enumerations,
unions, the three states of presence and the three unknown-keys policies."""


# ---------------------------------------------------------------------------
# Generating and importing packages


def write_package(
    modules: Sequence[Module],
    folder: Path,
    name: str,
    naive_datetimes: str = "keep",
    *,
    formatted: bool = False,
) -> Path:
    """Render the modules into ``folder/name`` and return the package folder."""
    files = render_package(modules, None, naive_datetimes)
    if formatted:
        files = format_files(files, None)
    package = folder / name
    package.mkdir(parents=True, exist_ok=True)
    for item in files:
        (package / item.path).write_text(item.text, encoding="utf-8")
    return package


def import_package(folder: Path, name: str) -> ModuleType:
    """Import the package ``name`` from ``folder`` with all its modules."""
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    package = importlib.import_module(name)
    for path in sorted((folder / name).glob("*.py")):
        if path.stem != "__init__":
            importlib.import_module(f"{name}.{path.stem}")
    return package


def read_folder(folder: Path, root: Path) -> list[Module]:
    """Read every page under a folder as ``docmodels generate`` does, with the
    references between its pages resolved."""
    pages = collect_pages([str(folder)], root, Limits().max_page_bytes)
    modules = read_modules(pages, Limits(), {}, "pyproject.toml", Diagnostics())
    # As in a run, a page without models makes no module.
    return [module for module in modules if module.models]


def package_name(prefix: str, folder: Path) -> str:
    """A package name made of a prefix and a folder's name."""
    return prefix + "".join(
        char if char.isalnum() else "_" for char in folder.name.lower()
    )


def model_index(modules: Sequence[Module]) -> dict[tuple[str, str], Model]:
    """Every model of the modules, by (module name, class name) as ModelRef names it."""
    return {
        (module.name, model.name): model
        for module in modules
        for model in module.models
    }


# ---------------------------------------------------------------------------
# Wire payloads


@dataclass(frozen=True)
class ModelSpec:
    """A model with the other models of its module, to resolve ModelRef."""

    model: Model
    models: dict[tuple[str, str], Model]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=6,
)
"""Any JSON value, small."""

_OFFSETS = st.integers(-23 * 60, 23 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)


def canonical_datetime(value: datetime) -> str:
    """The wire form that ``to_dict`` writes: isoformat, with UTC as ``Z``."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def wire_values(
    type_ref: TypeRef, models: dict[tuple[str, str], Model], naive: bool, depth: int = 0
) -> st.SearchStrategy[Any]:
    """Valid wire values of a type, in the canonical form that ``to_dict`` writes."""
    if isinstance(type_ref, Scalar):
        return _scalar_values(type_ref.kind, naive)
    if isinstance(type_ref, ListOf):
        size = 3 if depth < 2 else 1
        return st.lists(
            wire_values(type_ref.item, models, naive, depth + 1), max_size=size
        )
    if isinstance(type_ref, MapOf):
        return st.dictionaries(
            st.text(max_size=4),
            wire_values(type_ref.value, models, naive, depth + 1),
            max_size=2,
        )
    if isinstance(type_ref, ModelRef):
        return payloads(
            models[(type_ref.module, type_ref.name)], models, naive, depth + 1
        )
    if isinstance(type_ref, LiteralOf):
        return st.sampled_from(type_ref.values)
    return st.one_of(
        [wire_values(option, models, naive, depth) for option in type_ref.options]
    )


def _scalar_values(kind: str, naive: bool) -> st.SearchStrategy[Any]:
    if kind == "int":
        return st.integers(-(2**70), 2**70)
    if kind == "float":
        return st.floats(allow_nan=False, allow_infinity=False) | st.integers(
            -(2**53), 2**53
        )
    if kind == "str":
        return st.text(max_size=8)
    if kind == "bool":
        return st.booleans()
    if kind == "object":
        return st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=3)
    if kind == "any":
        return JSON_VALUES
    if kind == "datetime":
        zones = st.just(UTC) | _OFFSETS
        if naive:
            zones = zones | st.none()
        return st.datetimes(timezones=zones).map(canonical_datetime)
    if kind == "date":
        return st.dates().map(lambda value: value.isoformat())
    if kind == "timestamp":
        # Whole seconds, or microseconds as a float: both survive a round trip.
        return st.integers(-(10**10), 10**11) | st.integers(
            -(10**16), 10**17
        ).map(lambda micros: micros / 10**6)
    raise AssertionError(f"no strategy for kind {kind!r}")


def payloads(
    model: Model, models: dict[tuple[str, str], Model], naive: bool, depth: int = 0
) -> st.SearchStrategy[dict[str, Any]]:
    """Valid wire payloads of a model; optional keys come and go, nullable values
    are sometimes null."""

    @st.composite
    def build(draw: Callable[[st.SearchStrategy[Any]], Any]) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        for field in model.fields:
            if not field.required and draw(st.booleans()):
                continue
            if field.nullable and draw(st.integers(0, 3)) == 0:
                payload[field.wire_name] = None
            else:
                values = wire_values(field.type, models, naive, depth)
                # An ``any`` value may be null inside lists, but not as a field
                # that is not nullable.
                payload[field.wire_name] = draw(
                    values.filter(lambda value: value is not None)
                )
        if model.unknown_keys == "keep":
            known = {field.wire_name for field in model.fields}
            extra = draw(st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=2))
            payload.update({k: v for k, v in extra.items() if k not in known})
        return payload

    return build()


# ---------------------------------------------------------------------------
# Mutations


@dataclass(frozen=True)
class Site:
    """A place in a payload where a mutation makes exactly one error."""

    path: str
    container: dict[str, Any] | list[Any]
    key: str | int
    type: TypeRef
    field: Field | None
    """The field when the place is a model's key, None for list items and map values."""


def sites(
    payload: dict[str, Any],
    model: Model,
    models: dict[tuple[str, str], Model],
    path: str,
) -> Iterator[Site]:
    """Every typed place in a valid payload, the model's absent keys included."""
    for field in model.fields:
        where = f"{path}.{field.wire_name}"
        yield Site(where, payload, field.wire_name, field.type, field)
        if payload.get(field.wire_name) is not None:
            yield from _value_sites(payload[field.wire_name], field.type, models, where)


def _value_sites(
    value: Any, type_ref: TypeRef, models: dict[tuple[str, str], Model], path: str
) -> Iterator[Site]:
    if isinstance(type_ref, ModelRef):
        yield from sites(value, models[(type_ref.module, type_ref.name)], models, path)
    elif isinstance(type_ref, ListOf):
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            yield Site(where, value, index, type_ref.item, None)
            yield from _value_sites(item, type_ref.item, models, where)
    elif isinstance(type_ref, MapOf):
        for key, item in value.items():
            where = f"{path}[{key!r}]"
            yield Site(where, value, key, type_ref.value, None)
            yield from _value_sites(item, type_ref.value, models, where)


WRONG_VALUES: tuple[Any, ...] = (
    None,
    "wrong",
    "2024-05-01",
    "2024-13-45T10:00:00",
    17,
    2.5,
    True,
    [],
    {},
)
"""Candidates for a wrong value; :func:`wrong_values` picks those a type rejects."""


def accepts(
    type_ref: TypeRef, value: Any, models: dict[tuple[str, str], Model]
) -> bool:
    """Whether a wire value is valid for a type, decided from the spec alone."""
    if isinstance(type_ref, Scalar):
        return _scalar_accepts(type_ref.kind, value)
    if isinstance(type_ref, ListOf):
        return type(value) is list and all(
            accepts(type_ref.item, item, models) for item in value
        )
    if isinstance(type_ref, MapOf):
        return type(value) is dict and all(
            accepts(type_ref.value, item, models) for item in value.values()
        )
    if isinstance(type_ref, ModelRef):
        model = models[(type_ref.module, type_ref.name)]
        if type(value) is not dict:
            return False
        return all(accepts_field(field, value, models) for field in model.fields) and (
            model.unknown_keys != "reject"
            or set(value) <= {field.wire_name for field in model.fields}
        )
    if isinstance(type_ref, LiteralOf):
        return any(
            type(value) is type(allowed) and value == allowed
            for allowed in type_ref.values
        )
    return any(accepts(option, value, models) for option in type_ref.options)


def accepts_field(
    field: Field, payload: dict[str, Any], models: dict[tuple[str, str], Model]
) -> bool:
    if field.wire_name not in payload:
        return not field.required
    value = payload[field.wire_name]
    if value is None:
        return field.nullable
    return accepts(field.type, value, models)


def _scalar_accepts(kind: str, value: Any) -> bool:
    if kind in ("int", "str", "bool"):
        return type(value).__name__ == kind
    if kind in ("float", "timestamp"):
        return type(value) in (int, float)
    if kind == "object":
        return type(value) is dict
    if kind == "datetime":
        if type(value) is not str or len(value) < 11:
            return False
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
        return True
    if kind == "date":
        if type(value) is not str or len(value) != 10:
            return False
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return False
        return True
    return True


def wrong_values(type_ref: TypeRef, models: dict[tuple[str, str], Model]) -> list[Any]:
    """Values from WRONG_VALUES that a type rejects at its own place: an empty
    object is left out for models, since its errors are at the missing keys."""
    return [
        value
        for value in WRONG_VALUES
        if not accepts(type_ref, value, models)
        and not (value == {} and isinstance(type_ref, ModelRef))
    ]
