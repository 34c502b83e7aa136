"""Python expressions for one field: annotations, fast-path checks, conversions.

``from_dict`` has a fast path that reads every key into a local variable, checks
all of them in one condition and constructs the model directly; only when that
condition fails, or a conversion raises, does the generic checker in the
generated ``_runtime`` module walk the payload to list every invalid value. The
expressions here must therefore accept exactly what the runtime checker accepts.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import naming
from .spec import (
    Field,
    ListOf,
    LiteralOf,
    MapOf,
    ModelRef,
    Module,
    Scalar,
    TypeRef,
    UnionOf,
)

_PYTHON_SCALARS = {
    "int": "int", "float": "float", "str": "str", "bool": "bool", "any": "Any",
    "object": "dict[str, Any]", "datetime": "datetime", "date": "date", "timestamp": "datetime",
}  # fmt: skip
_WIRE_SCALARS = {
    "int": "int", "float": "float", "str": "str", "bool": "bool", "any": "Any",
    "object": "dict[str, Any]", "datetime": "str", "date": "str", "timestamp": "int | float",
}  # fmt: skip
_EXACT_CHECKS = {"int", "str", "bool"}


@dataclass(frozen=True)
class FieldCode:
    """The code fragments the module template writes for one field."""

    name: str
    wire: str
    """The wire key as a string literal."""
    var: str
    """Local variable for the wire value in the fast path of ``from_dict``."""
    annotation: str
    default: str
    """Right-hand side of the dataclass field, or an empty string for required fields."""
    wire_annotation: str
    wire_value: str
    """``wire_annotation`` as a value of the functional TypedDict syntax."""
    check: str
    """Condition that is true when the wire value in ``var`` is valid."""
    convert: str
    """Expression that turns the valid wire value in ``var`` into the attribute value."""
    convert_comment: str
    """Comment after the assignment of ``convert``, with its leading spaces, or empty."""
    to_wire: str
    """Expression that turns the attribute value, bound to ``var``, into its wire form."""
    to_wire_attribute: str
    """The same expression reading ``self.<name>`` in place of ``var``."""
    optional: bool
    desc: str
    """``FieldDesc`` constructor call for the runtime checker."""
    docstring: str


def field_code(field: Field, index: int, module: str = "") -> FieldCode:
    """Build every code fragment for a field of a model in ``module``."""
    var = f"v{index}"
    annotation = python_annotation(field.type)
    wire_annotation = wire_type(field.type)
    if field.nullable:
        annotation += " | None"
        wire_annotation += " | None"
    # A functional TypedDict evaluates its values at import time. Sibling modules
    # are imported later (see sibling_imports), and later models of this module or
    # the model itself are not defined yet, so a value that names a model is
    # quoted. NotRequired stays outside the quotes, where typing can see it.
    wire_value = (
        naming.string_literal(wire_annotation)
        if _mentions_model(field.type)
        else wire_annotation
    )
    if not field.required:
        annotation += " | Missing"
        wire_annotation = f"NotRequired[{wire_annotation}]"
        wire_value = f"NotRequired[{wire_value}]"
    return FieldCode(
        name=field.name,
        wire=naming.string_literal(field.wire_name),
        var=var,
        annotation=annotation,
        default="" if field.required else "MISSING",
        wire_annotation=wire_annotation,
        wire_value=wire_value,
        check=_field_check(field, var),
        convert=_field_convert(field, var),
        convert_comment=(
            # mypy narrows the value to str or int by its check, not to the Literal.
            "  # type: ignore[assignment]"
            if isinstance(field.type, LiteralOf) and _literal_kind(field.type)
            else ""
        ),
        to_wire=_guarded(to_wire(field.type, var, 0), var, field.nullable),
        to_wire_attribute=_guarded(
            to_wire(field.type, f"self.{field.name}", 0),
            f"self.{field.name}",
            field.nullable,
        ),
        optional=not field.required,
        desc=(
            f"rt.FieldDesc({naming.string_literal(field.name)}, "
            f"{naming.string_literal(field.wire_name)}, {type_desc(field.type)}, "
            f"{field.required}, {field.nullable})"
        ),
        docstring=(
            naming.docstring_literal(field.description, "    ")
            if field.description
            else ""
        ),
    )


def python_annotation(type_ref: TypeRef) -> str:
    """Annotation of the attribute in the dataclass."""
    if isinstance(type_ref, Scalar):
        return _PYTHON_SCALARS[type_ref.kind]
    if isinstance(type_ref, ListOf):
        return f"list[{python_annotation(type_ref.item)}]"
    if isinstance(type_ref, MapOf):
        return f"dict[str, {python_annotation(type_ref.value)}]"
    if isinstance(type_ref, ModelRef):
        return type_ref.name
    if isinstance(type_ref, LiteralOf):
        return f"Literal[{', '.join(_literal(value) for value in type_ref.values)}]"
    return " | ".join(python_annotation(option) for option in type_ref.options)


def wire_type(type_ref: TypeRef) -> str:
    """Annotation of the value in the TypedDict of the wire shape."""
    if isinstance(type_ref, Scalar):
        return _WIRE_SCALARS[type_ref.kind]
    if isinstance(type_ref, ListOf):
        return f"list[{wire_type(type_ref.item)}]"
    if isinstance(type_ref, MapOf):
        return f"dict[str, {wire_type(type_ref.value)}]"
    if isinstance(type_ref, ModelRef):
        return type_ref.name + "Dict"
    if isinstance(type_ref, LiteralOf):
        return python_annotation(type_ref)
    return " | ".join(wire_type(option) for option in type_ref.options)


def type_desc(type_ref: TypeRef) -> str:
    """Runtime type descriptor, as a tuple literal, for the generic checker."""
    if isinstance(type_ref, Scalar):
        return f'("{type_ref.kind}",)'
    if isinstance(type_ref, ListOf):
        return f'("list", {type_desc(type_ref.item)})'
    if isinstance(type_ref, MapOf):
        return f'("map", {type_desc(type_ref.value)})'
    if isinstance(type_ref, ModelRef):
        return f'("model", {type_ref.name})'
    if isinstance(type_ref, LiteralOf):
        values = _tuple([_literal(value) for value in type_ref.values])
        return f'("literal", {values})'
    options = _tuple([type_desc(option) for option in type_ref.options])
    return f'("union", {options})'


def _tuple(items: list[str]) -> str:
    """Write a tuple display. Only a one-tuple gets a trailing comma, since black
    takes any other trailing comma as a request to put each item on its own line."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _literal(value: str | int | bool) -> str:
    return naming.string_literal(value) if isinstance(value, str) else repr(value)


# ---------------------------------------------------------------------------
# from_dict fast path

DATETIME_MIN_LENGTH = 11
"""Length of ``YYYY-MM-DDTHH``, the shortest datetime text with a time part. The
fast path and the runtime checker both reject shorter text, such as a bare date."""


def _field_check(field: Field, var: str) -> str:
    check = value_check(field.type, var, 0)
    allowed = []
    if not field.required:
        allowed.append(f"{var} is MISSING")
    if field.nullable:
        allowed.append(f"{var} is None")
    if check == "True":
        # The conversion checks the value, but null is decided here. A required
        # key is read by subscript, so it is never MISSING.
        if field.nullable:
            return "True"
        check = f"{var} is not None"
    if allowed:
        # The type check first: present values are the common case.
        return "(" + " or ".join([check, *allowed]) + ")"
    return check


def value_check(type_ref: TypeRef, var: str, depth: int) -> str:
    """Condition on a present, non-null wire value; ``True`` when conversion checks it."""
    if isinstance(type_ref, Scalar):
        return _scalar_check(type_ref.kind, var)
    if isinstance(type_ref, ModelRef):
        return f"type({var}) is dict"
    if isinstance(type_ref, ListOf):
        item_var = f"i{depth}"
        item = value_check(type_ref.item, item_var, depth + 1)
        if item == "True" or isinstance(type_ref.item, ModelRef):
            # Items that the conversion checks, as from_dict does for models.
            return f"type({var}) is list"
        return f"type({var}) is list and all({item} for {item_var} in {var})"
    if isinstance(type_ref, LiteralOf) and _literal_kind(type_ref) is not None:
        values = _tuple([_literal(value) for value in type_ref.values])
        return f"type({var}) is {_literal_kind(type_ref)} and {var} in {values}"
    return "True"


def _scalar_check(kind: str, var: str) -> str:
    if kind in _EXACT_CHECKS:
        return f"type({var}) is {kind}"
    if kind in ("float", "timestamp"):
        return f"(type({var}) is float or type({var}) is int)"
    if kind == "datetime":
        return f"(type({var}) is str and len({var}) >= {DATETIME_MIN_LENGTH})"
    if kind == "date":
        return f"type({var}) is str"
    if kind == "object":
        return f"type({var}) is dict"
    return "True"


def _literal_kind(type_ref: LiteralOf) -> str | None:
    """Name of the one Python type of all values, or None for mixed enumerations."""
    kinds = {type(value).__name__ for value in type_ref.values}
    return kinds.pop() if len(kinds) == 1 else None


def _field_convert(field: Field, var: str) -> str:
    convert = value_convert(field.type, var, 0)
    if convert == var:
        return var
    guards = []
    if not field.required:
        guards.append(f"{var} is MISSING")
    if field.nullable:
        guards.append(f"{var} is None")
    if not guards:
        return convert
    return f"{var} if {' or '.join(guards)} else {convert}"


def value_convert(type_ref: TypeRef, var: str, depth: int) -> str:
    """Expression that converts a present, non-null wire value that passed its check.

    Where :func:`value_check` returned ``True`` the expression checks the value
    itself. It may raise ValueError (ValidationError included), TypeError or
    OverflowError, which sends ``from_dict`` to the runtime checker for a full report.
    """
    if isinstance(type_ref, Scalar):
        return _scalar_convert(type_ref.kind, var)
    if isinstance(type_ref, ModelRef):
        return f"{type_ref.name}.from_dict({var})"
    if isinstance(type_ref, ListOf):
        if isinstance(type_ref.item, ModelRef):
            # map() looks the method up once, a comprehension once per item.
            return f"list(map({type_ref.item.name}.from_dict, {var}))"
        item_var = f"i{depth}"
        item = value_convert(type_ref.item, item_var, depth + 1)
        if item == item_var:
            return f"list({var})"
        return f"[{item} for {item_var} in {var}]"
    if isinstance(type_ref, LiteralOf) and _literal_kind(type_ref) is not None:
        return var
    return f"rt.checked({type_desc(type_ref)}, {var})"


def _scalar_convert(kind: str, var: str) -> str:
    if kind == "float":
        return f"{var} if type({var}) is float else float({var})"
    if kind == "datetime":
        return f"rt.parse_datetime({var})"
    if kind == "date":
        return f"rt.parse_date({var})"
    if kind == "timestamp":
        return f"rt.from_timestamp({var})"
    if kind == "object":
        return f"dict({var})"
    return var


# ---------------------------------------------------------------------------
# to_dict


def to_wire(type_ref: TypeRef, var: str, depth: int) -> str:
    """Expression that turns a non-null attribute value into its wire form.

    Lists and objects are copied, one level deep for ``object`` values, so that
    changing the wire form leaves the instance alone; ``any`` values are not copied.
    """
    if isinstance(type_ref, Scalar):
        kind = type_ref.kind
        if kind == "datetime":
            return f"rt.format_datetime({var})"
        if kind == "date":
            return f"{var}.isoformat()"
        if kind == "timestamp":
            return f"rt.to_timestamp({var})"
        if kind == "object":
            return f"dict({var})"
        return var
    if isinstance(type_ref, ModelRef):
        return f"{var}.to_dict()"
    if isinstance(type_ref, ListOf):
        item_var = f"i{depth}"
        item = to_wire(type_ref.item, item_var, depth + 1)
        if item == item_var:
            return f"list({var})"
        return f"[{item} for {item_var} in {var}]"
    if isinstance(type_ref, MapOf):
        item_var = f"i{depth}"
        item = to_wire(type_ref.value, item_var, depth + 1)
        if item == item_var:
            return f"dict({var})"
        return f"{{k{depth}: {item} for k{depth}, {item_var} in {var}.items()}}"
    if isinstance(type_ref, LiteralOf):
        return var
    if all(to_wire(option, var, depth) == var for option in type_ref.options):
        return var
    return f"rt.encode({type_desc(type_ref)}, {var})"


def _guarded(expression: str, var: str, nullable: bool) -> str:
    if expression == var or not nullable:
        return expression
    return f"None if {var} is None else {expression}"


# ---------------------------------------------------------------------------
# imports


def imports_for(module: Module) -> list[str]:
    """Import lines of a generated module, computed from the types it uses."""
    typing_names = {"Any", "ClassVar", "TypedDict"}
    datetime_names: set[str] = set()
    uses_field = False
    for model in module.models:
        uses_field = uses_field or model.unknown_keys == "keep"
        for field in model.fields:
            if not field.required:
                typing_names.add("NotRequired")
            _collect(field.type, typing_names, datetime_names)
    lines = ["import json", "from collections.abc import Mapping"]
    dataclass_names = "dataclass, field" if uses_field else "dataclass"
    lines.append(f"from dataclasses import {dataclass_names}")
    if datetime_names:
        lines.append(f"from datetime import {', '.join(sorted(datetime_names))}")
    lines.append(f"from typing import {', '.join(sorted(typing_names))}")
    return lines


def _collect(
    type_ref: TypeRef, typing_names: set[str], datetime_names: set[str]
) -> None:
    if isinstance(type_ref, Scalar):
        if type_ref.kind in ("datetime", "timestamp"):
            datetime_names.add("datetime")
        elif type_ref.kind == "date":
            datetime_names.add("date")
    elif isinstance(type_ref, ListOf):
        _collect(type_ref.item, typing_names, datetime_names)
    elif isinstance(type_ref, MapOf):
        _collect(type_ref.value, typing_names, datetime_names)
    elif isinstance(type_ref, LiteralOf):
        typing_names.add("Literal")
    elif isinstance(type_ref, UnionOf):
        for option in type_ref.options:
            _collect(option, typing_names, datetime_names)


def runtime_imports(module: Module) -> str:
    """Import line of the runtime names a generated module uses."""
    names = []
    if any(not field.required for model in module.models for field in model.fields):
        # from_dict reads required keys by subscript, so only optional fields
        # use MISSING.
        names += ["MISSING", "Missing"]
    return f"from ._runtime import {', '.join(names)}" if names else ""


def sibling_imports(module: Module) -> list[str]:
    """Import lines of the models that a module's fields take from sibling modules.

    They go at the end of the module, after its own classes: when two modules
    refer to each other, the one imported second then finds the first one's
    classes already defined.
    """
    by_module: dict[str, set[str]] = {}
    for model in module.models:
        for field in model.fields:
            for ref in _sibling_models(field.type, module.name):
                by_module.setdefault(ref.module, set()).update(
                    (ref.name, ref.name + "Dict")
                )
    return [
        f"from .{name} import {', '.join(sorted(names))}"
        for name, names in sorted(by_module.items())
    ]


def _mentions_model(type_ref: TypeRef) -> bool:
    if isinstance(type_ref, ModelRef):
        return True
    if isinstance(type_ref, ListOf):
        return _mentions_model(type_ref.item)
    if isinstance(type_ref, MapOf):
        return _mentions_model(type_ref.value)
    if isinstance(type_ref, UnionOf):
        return any(_mentions_model(option) for option in type_ref.options)
    return False


def _sibling_models(type_ref: TypeRef, module: str) -> list[ModelRef]:
    if isinstance(type_ref, ModelRef):
        return [type_ref] if type_ref.module != module else []
    if isinstance(type_ref, ListOf):
        return _sibling_models(type_ref.item, module)
    if isinstance(type_ref, MapOf):
        return _sibling_models(type_ref.value, module)
    if isinstance(type_ref, UnionOf):
        return [
            ref
            for option in type_ref.options
            for ref in _sibling_models(option, module)
        ]
    return []
