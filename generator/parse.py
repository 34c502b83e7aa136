"""Turn one documentation page into a spec module: property tables become models.

A table is a property table when its header names a property column and a type
column (by meaning, so ``Property name``, ``Field`` and ``Attribute`` all count).
The nearest heading above it names the model. Dotted rows (``device.platform``)
become nested models named after their parent model and path.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from . import naming
from .config import Limits
from .errors import Diagnostics, DocmodelsError, Location
from .sources import Page
from .spec import Field, ListOf, Model, ModelRef, Module, Scalar, TypeRef, UnknownKeys
from .tables import Heading, Row, Table, read_blocks
from .types import parse_type

log = logging.getLogger(__name__)

COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("property name", "property", "field name", "field", "name", "attribute", "key",
             "parameter", "param"),
    "type": ("type", "data type", "value type", "format"),
    "description": ("description", "notes", "details", "meaning"),
    "required": ("required", "mandatory"),
}  # fmt: skip
"""Header texts, lower-cased, that mark each column role."""

MODEL_SUFFIXES = ("model", "object", "structure", "resource", "schema", "entity")
"""Words stripped from the end of a heading to name its model."""

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_PLACEHOLDER = re.compile(r"^\{[^{}]*\}$")
_TRUE_WORDS = frozenset({"yes", "true", "required", "y", "x", "✓", "✔", "✅"})


@dataclass
class _Node:
    """A field path while dotted rows are grouped; children keep the row order."""

    segment: str
    row: _FieldRow | None = None
    children: dict[str, _Node] = field(default_factory=dict)
    has_placeholder: bool = False


@dataclass(frozen=True)
class _FieldRow:
    path: tuple[str, ...]
    is_array: bool
    type_text: str
    description: str
    required: bool
    line: int


def parse_page(
    page: Page, module: str, limits: Limits, diagnostics: Diagnostics
) -> Module:
    """Read every property table of a page into the models of one module."""
    text = _blank_front_matter(page.text)
    headings: list[Heading] = []
    models: list[Model] = []
    for block in read_blocks(text):
        if isinstance(block, Heading):
            headings = [heading for heading in headings if heading.level < block.level]
            headings.append(block)
            continue
        roles = _column_roles(block)
        if roles is None:
            log.debug(
                "%s:%d: skipped a table that is not a property table",
                page.name,
                block.line,
            )
            continue
        _check_limits(block, page, limits)
        title = _model_title(headings, page)
        rows = _field_rows(block, roles, page, diagnostics)
        models.extend(
            _build_models(title, rows, page, module, block.line, limits, diagnostics)
        )
    return Module(name=module, source=page.name, models=tuple(models))


def _blank_front_matter(text: str) -> str:
    """Replace YAML front matter with blank lines, so line numbers stay right."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    return "\n" * match.group().count("\n") + text[match.end() :]


def _column_roles(table: Table) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for index, cell in enumerate(table.header):
        header = " ".join(cell.text.lower().split())
        for role, synonyms in COLUMN_SYNONYMS.items():
            if role not in roles and header in synonyms:
                roles[role] = index
                break
    if "name" not in roles or "type" not in roles:
        return None
    return roles


def _check_limits(table: Table, page: Page, limits: Limits) -> None:
    if len(table.rows) > limits.max_table_rows:
        raise DocmodelsError(
            Location(page.name, table.line),
            f"table has {len(table.rows)} rows, over the limit of {limits.max_table_rows}",
            hint="raise [tool.docmodels.limits] max-table-rows if the table is genuine",
        )
    if len(table.header) > limits.max_columns:
        raise DocmodelsError(
            Location(page.name, table.line),
            f"table has {len(table.header)} columns, over the limit of {limits.max_columns}",
            hint="raise [tool.docmodels.limits] max-columns if the table is genuine",
        )


def _model_title(headings: list[Heading], page: Page) -> str:
    for heading in reversed(headings):
        title = strip_model_suffix(heading.text)
        if title and title.lower() not in ("properties", "fields", "attributes"):
            return title
    return page.stem


def strip_model_suffix(text: str) -> str:
    """Drop a trailing word such as "Model" or "Object" from a heading."""
    words = text.split()
    while len(words) > 1 and words[-1].lower() in MODEL_SUFFIXES:
        words.pop()
    return " ".join(words)


def _cell_text(row: Row, index: int | None) -> str:
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].text


def _field_rows(
    table: Table, roles: dict[str, int], page: Page, diagnostics: Diagnostics
) -> list[_FieldRow]:
    rows = []
    for row in table.rows:
        name = _cell_text(row, roles["name"]).strip().strip("`").strip()
        if not name:
            diagnostics.warn(
                Location(page.name, row.line),
                "skipped a row with an empty property name",
            )
            continue
        path, is_array = _split_path(name)
        required_text = _cell_text(row, roles.get("required")).strip().lower()
        rows.append(
            _FieldRow(
                path=path,
                is_array=is_array,
                type_text=_cell_text(row, roles["type"]),
                description=_cell_text(row, roles.get("description")),
                required=required_text in _TRUE_WORDS,
                line=row.line,
            )
        )
    return rows


def _split_path(name: str) -> tuple[tuple[str, ...], bool]:
    """Split ``device.platform.name`` into segments; a trailing ``[]`` marks an array."""
    is_array = name.endswith("[]")
    segments = tuple(segment.removesuffix("[]") for segment in name.split("."))
    if any(not segment for segment in segments):
        return (name,), is_array
    return segments, is_array


def _build_models(
    title: str,
    rows: list[_FieldRow],
    page: Page,
    module: str,
    line: int,
    limits: Limits,
    diagnostics: Diagnostics,
) -> list[Model]:
    root = _Node(segment="")
    for row in rows:
        if len(row.path) > limits.max_nesting_depth:
            raise DocmodelsError(
                Location(page.name, row.line),
                f"property {'.'.join(row.path)!r} is nested {len(row.path)} levels deep, "
                f"over the limit of {limits.max_nesting_depth}",
                hint="raise [tool.docmodels.limits] max-nesting-depth if the table is genuine",
            )
        _insert(root, row, page, diagnostics)
    models: list[Model] = []
    _emit_model(
        naming.class_name(title),
        title,
        "",
        root,
        page,
        module,
        line,
        models,
        diagnostics,
    )
    return models


def _insert(root: _Node, row: _FieldRow, page: Page, diagnostics: Diagnostics) -> None:
    node = root
    for segment in row.path[:-1]:
        node = node.children.setdefault(segment, _Node(segment))
    last = row.path[-1]
    if _PLACEHOLDER.match(last):
        node.has_placeholder = True
        log.debug(
            "%s:%d: placeholder %r keeps undocumented keys", page.name, row.line, last
        )
        return
    child = node.children.setdefault(last, _Node(last))
    if child.row is not None:
        diagnostics.error(
            Location(page.name, row.line),
            f"property {'.'.join(row.path)!r} is listed twice "
            f"(first at line {child.row.line})",
            hint="remove one row, or skip one with an override",
        )
        return
    child.row = row


def _emit_model(
    class_name: str,
    title: str,
    description: str,
    node: _Node,
    page: Page,
    module: str,
    line: int,
    models: list[Model],
    diagnostics: Diagnostics,
) -> None:
    """Append the model for ``node`` and, before it, the models of its nested children."""
    fields: list[Field] = []
    used: dict[str, Field] = {}
    for child in node.children.values():
        row = child.row
        child_line = row.line if row else line
        location = Location(page.name, child_line)
        type_ref = _field_type(
            child, class_name, page, module, line, models, diagnostics
        )
        python_name = naming.field_name(child.segment)
        new_field = Field(
            name=python_name,
            wire_name=child.segment,
            type=type_ref,
            required=row.required if row else False,
            nullable=False,
            description=row.description if row else "",
            location=location,
            type_text=row.type_text if row else "",
        )
        if python_name in used:
            diagnostics.error(
                location,
                f"property {child.segment!r} and {used[python_name].wire_name!r} "
                f"(line {used[python_name].location.line}) both map to the Python name "
                f"{python_name!r}",
                hint="rename one of them with an override in [tool.docmodels.overrides]",
            )
            continue
        used[python_name] = new_field
        fields.append(new_field)
    unknown_keys: UnknownKeys = "keep" if node.has_placeholder else "ignore"
    models.append(
        Model(
            name=class_name,
            title=title,
            description=description,
            location=Location(page.name, line),
            fields=tuple(fields),
            unknown_keys=unknown_keys,
        )
    )


def _field_type(
    node: _Node,
    parent_class: str,
    page: Page,
    module: str,
    line: int,
    models: list[Model],
    diagnostics: Diagnostics,
) -> TypeRef:
    row = node.row
    type_text = row.type_text if row else "nested object"
    is_array = row.is_array if row else False
    if node.children or node.has_placeholder:
        nested_class = parent_class + naming.class_name(node.segment)
        if not node.children:
            type_ref: TypeRef = Scalar("object")
        else:
            _emit_model(
                nested_class,
                node.segment,
                row.description if row else "",
                node,
                page,
                module,
                row.line if row else line,
                models,
                diagnostics,
            )
            type_ref = ModelRef(nested_class, module)
        lowered = type_text.lower()
        if is_array or lowered.startswith(("array", "list")) or lowered.endswith("[]"):
            return ListOf(type_ref)
        return type_ref
    parsed = parse_type(type_text)
    if not parsed.known:
        diagnostics.warn(
            Location(page.name, row.line if row else line),
            f"unknown type {type_text!r} for property {node.segment!r}; using Any",
            hint="fix the type with an override in [tool.docmodels.overrides]",
        )
    if is_array and not isinstance(parsed.type, ListOf):
        return ListOf(parsed.type)
    return parsed.type
