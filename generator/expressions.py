"""Python text for one field: annotations, the field descriptor, imports.

The serializers are not written into the generated modules: the ``_runtime``
module compiles them from each class's ``FIELDS`` descriptors on first use. A
module holds what a reader and a type checker need (the TypedDict, the dataclass
and the descriptors), which keeps black's share of a run small.
"""

from __future__ import annotations

from collections.abc import Iterable
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


@dataclass(frozen=True)
class FieldCode:
    """The code fragments the module template writes for one field."""

    name: str
    wire: str
    """The wire key as a string literal."""
    annotation: str
    default: str
    """Right-hand side of the dataclass field, or an empty string for required fields."""
    wire_annotation: str
    wire_value: str
    """``wire_annotation`` as a value of the functional TypedDict syntax."""
    desc: str
    """``FieldDesc`` constructor call, wrapped as black wraps it in ``FIELDS``."""
    docstring: str


def field_code(field: Field) -> FieldCode:
    """Build every code fragment for a field."""
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
        annotation=annotation,
        default="" if field.required else "MISSING",
        wire_annotation=wire_annotation,
        wire_value=wire_value,
        desc=descriptor_row(_descriptor_arguments(field)),
        docstring=(
            naming.docstring_literal(field.description, "    ")
            if field.description
            else ""
        ),
    )


def _descriptor_arguments(field: Field) -> list[str]:
    """Arguments of the field's ``FieldDesc``; those at their default are left out."""
    arguments = [naming.string_literal(field.name), type_desc(field.type)]
    if field.wire_name != field.name:
        arguments.append(f"wire={naming.string_literal(field.wire_name)}")
    if field.required:
        arguments.append("required=True")
    if field.nullable:
        arguments.append("nullable=True")
    return arguments


LINE_LENGTH = 88
"""black's line length, which the generated modules are formatted with."""


def fields_assignment(model_name: str, rows: list[str]) -> str:
    """Write ``Model.FIELDS = (...)`` in black's layout, one descriptor row per line.

    A one-item tuple's trailing comma does not keep black from joining the lines,
    so a lone row that fits goes on the line of the assignment, as black puts it.
    """
    if not rows:
        return ""
    single = f"{model_name}.FIELDS = ({rows[0]},)"
    if len(rows) == 1 and len(single) <= LINE_LENGTH and "\n" not in rows[0]:
        return single
    lines = "".join(f"    {row},\n" for row in rows)
    return f"{model_name}.FIELDS = (\n{lines})"


def descriptor_row(arguments: list[str]) -> str:
    """Write ``rt.FieldDesc(...)`` as an item of ``FIELDS``, wrapped as black wraps it.

    black's ``format_str`` formats a text a second time whenever its first pass
    changed it, so each row is written the way black would write it. A row goes on
    one line when it fits, else its arguments go on one indented line, else each
    argument gets a line with a trailing comma. black still formats the module, and
    this only spares it the second pass.
    """
    joined = ", ".join(arguments)
    if len(f"    rt.FieldDesc({joined}),") <= LINE_LENGTH:
        return f"rt.FieldDesc({joined})"
    if len(f"        {joined}") <= LINE_LENGTH:
        return f"rt.FieldDesc(\n        {joined}\n    )"
    lines = "".join(f"        {argument},\n" for argument in arguments)
    return f"rt.FieldDesc(\n{lines}    )"


def python_annotation(type_ref: TypeRef) -> str:
    """Annotation of the attribute in the dataclass."""
    return _union(_python_members(type_ref))


def _python_members(type_ref: TypeRef) -> list[str]:
    if isinstance(type_ref, UnionOf):
        return [m for option in type_ref.options for m in _python_members(option)]
    if isinstance(type_ref, Scalar):
        return [_PYTHON_SCALARS[type_ref.kind]]
    if isinstance(type_ref, ListOf):
        return [f"list[{python_annotation(type_ref.item)}]"]
    if isinstance(type_ref, MapOf):
        return [f"dict[str, {python_annotation(type_ref.value)}]"]
    if isinstance(type_ref, ModelRef):
        return [type_ref.name]
    return [f"Literal[{', '.join(_literal(value) for value in type_ref.values)}]"]


def wire_type(type_ref: TypeRef) -> str:
    """Annotation of the value in the TypedDict of the wire shape."""
    return _union(_wire_members(type_ref))


def _wire_members(type_ref: TypeRef) -> list[str]:
    if isinstance(type_ref, UnionOf):
        return [m for option in type_ref.options for m in _wire_members(option)]
    if isinstance(type_ref, Scalar):
        return _WIRE_SCALARS[type_ref.kind].split(" | ")
    if isinstance(type_ref, ListOf):
        return [f"list[{wire_type(type_ref.item)}]"]
    if isinstance(type_ref, MapOf):
        return [f"dict[str, {wire_type(type_ref.value)}]"]
    if isinstance(type_ref, ModelRef):
        return [type_ref.name + "Dict"]
    return _python_members(type_ref)


def _union(members: Iterable[str]) -> str:
    """Join union members once each, in order: distinct options can share an
    annotation (``str | date`` is ``str | str`` on the wire), and ruff reports a
    union that names a member twice."""
    return " | ".join(dict.fromkeys(members))


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


DATETIME_MIN_LENGTH = 11
"""Length of ``YYYY-MM-DDTHH``, the shortest datetime text with a time part. The
compiled ``from_dict`` and the runtime checker both reject shorter text, such as a
bare date."""


# ---------------------------------------------------------------------------
# imports


def imports_for(module: Module) -> list[str]:
    """Import lines of a generated module, computed from the types it uses.

    Only names the module uses are imported, since ruff reports unused imports.
    """
    typing_names = {"TypedDict"}
    datetime_names: set[str] = set()
    uses_field = False
    for model in module.models:
        if model.unknown_keys != "ignore":
            typing_names.add("ClassVar")
        if model.unknown_keys == "keep":
            uses_field = True
            typing_names.add("Any")
        for field in model.fields:
            if not field.required:
                typing_names.add("NotRequired")
            _collect(field.type, typing_names, datetime_names)
    lines = [f"from dataclasses import {'dataclass, field' if uses_field else 'dataclass'}"]
    if datetime_names:
        lines.append(f"from datetime import {', '.join(sorted(datetime_names))}")
    lines.append(f"from typing import {', '.join(sorted(typing_names))}")
    return lines


def _collect(
    type_ref: TypeRef, typing_names: set[str], datetime_names: set[str]
) -> None:
    if isinstance(type_ref, Scalar):
        if type_ref.kind in ("any", "object"):
            typing_names.add("Any")
        elif type_ref.kind in ("datetime", "timestamp"):
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
