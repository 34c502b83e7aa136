"""Turn one documentation page into a spec module: property tables become models.

Tables are found by meaning (:mod:`generator.columns`); each row is read by
:mod:`generator.fields`. The nearest heading above a table names its model
(:mod:`generator.titles`). Tables with the same name on one page make one model,
because a "Properties" and a "Relationships" table describe the same resource.
Dotted rows (``device.platform``) become nested models when their parent row is
documented, and stay flat keys (``host.arch``) when it is not. Enumeration
tables and union code blocks (:mod:`generator.enums`) are kept for the fields
that link to them.

References to other models stay ``ModelRef(name, "")`` here; they are resolved
across pages by :mod:`generator.references`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from . import naming
from .columns import Columns, classify, column_roles
from .config import Limits
from .enums import EnumDef, code_block_enum, narrow_to_enum, table_enum
from .errors import Diagnostics, DocmodelsError, Location
from .fields import FieldRow, apply_table_conventions, read_row
from .sources import Page
from .spec import (
    Field,
    ListOf,
    Model,
    ModelRef,
    Module,
    Scalar,
    TypeRef,
    UnknownKeys,
)
from .tables import CodeBlock, Heading, OrphanHeader, Paragraph, Row, Table, read_blocks
from .titles import front_matter_title, heading_slug, model_title
from .types import parse_type

log = logging.getLogger(__name__)

_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?\s*---\n.*?\n---[ \t]*\n", re.DOTALL)
_PLACEHOLDER = re.compile(r"^\{[^{}]*\}$")


@dataclass(frozen=True)
class PageResult:
    """A page's module, with what :mod:`generator.references` needs to link pages."""

    module: Module
    enums: tuple[EnumDef, ...] = ()
    slugs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Heading slugs per model name."""
    type_links: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """Link targets of the Type cell per (model name, wire name)."""
    stem: str = ""


@dataclass
class _Group:
    """The rows of every table that names the same model on a page."""

    title: str
    line: int
    rows: list[FieldRow]
    slugs: set[str]
    description: str = ""
    """The first paragraph between the model's heading and its first table."""


@dataclass
class _Node:
    """A field path while dotted rows are grouped; children keep the row order."""

    segment: str
    row: FieldRow | None = None
    children: dict[str, _Node] = field(default_factory=dict)
    has_placeholder: bool = False
    is_array: bool = False


def parse_page(
    page: Page,
    module: str,
    limits: Limits,
    diagnostics: Diagnostics,
    unknown_keys: UnknownKeys = "ignore",
) -> Module:
    """Read every property table of a page into the models of one module."""
    return read_page(page, module, limits, diagnostics, unknown_keys).module


def read_page(
    page: Page,
    module: str,
    limits: Limits,
    diagnostics: Diagnostics,
    unknown_keys: UnknownKeys = "ignore",
) -> PageResult:
    """Read a page's models, enumerations and the links its Type cells make.

    ``unknown_keys`` is the project's policy for undocumented keys; a model whose
    table has a ``{placeholder}`` row keeps them whatever the policy.
    """
    text, page_title = _blank_front_matter(page.text)
    headings: list[Heading] = []
    groups: dict[str, _Group] = {}
    enums: list[EnumDef] = []
    intro = ""
    for block in read_blocks(text):
        if isinstance(block, Heading):
            headings = [heading for heading in headings if heading.level < block.level]
            headings.append(block)
            intro = ""
            continue
        if isinstance(block, Paragraph):
            intro = intro or block.text
            continue
        title = model_title(headings, page_title or page.stem)
        slugs = tuple(heading_slug(heading.text) for heading in reversed(headings[-2:]))
        if isinstance(block, CodeBlock):
            enum = code_block_enum(block, headings, title, page)
            if enum is not None:
                enums.append(enum)
            continue
        table = (
            _orphan_table(block, page, diagnostics)
            if isinstance(block, OrphanHeader)
            else block
        )
        if table is not None:
            _read_table(table, title, slugs, page, limits, groups, enums, diagnostics)
            if intro and title in (group.title for group in groups.values()):
                group = groups[naming.class_name(title)]
                group.description = group.description or intro

    models: list[Model] = []
    type_links: dict[tuple[str, str], tuple[str, ...]] = {}
    model_slugs: dict[str, tuple[str, ...]] = {}
    by_absence = any(row.optional_marker for g in groups.values() for row in g.rows)
    for group in groups.values():
        group.rows = apply_table_conventions(group.rows, by_absence)
        built = _build_models(group, page, module, limits, enums, diagnostics)
        models.extend(built)
        model_slugs[naming.class_name(group.title)] = tuple(sorted(group.slugs))
        for row in group.rows:
            if row.type_links:
                key = (naming.class_name(group.title), row.name.split(".")[-1])
                type_links[key] = row.type_links
    models = [
        (
            model
            if model.unknown_keys == "keep"
            else replace(model, unknown_keys=unknown_keys)
        )
        for model in models
    ]
    return PageResult(
        Module(name=module, source=page.name, models=tuple(models)),
        tuple(enums),
        model_slugs,
        type_links,
        page.stem,
    )


def _blank_front_matter(text: str) -> tuple[str, str]:
    """Replace YAML front matter with blank lines, so line numbers stay right.

    Return the text and the front matter's ``title``, if any.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return text, ""
    title = front_matter_title(match.group())
    return "\n" * match.group().count("\n") + text[match.end() :], title


def _orphan_table(
    block: OrphanHeader, page: Page, diagnostics: Diagnostics
) -> Table | None:
    """Warn about a property-table header that markdown-it did not read as a table."""
    columns = column_roles(block.header)
    if classify(columns, []) != "property":
        return None
    where = Location(page.name, block.line)
    if not block.rows:
        diagnostics.warn(
            where,
            f"table header has no body: {block.reason}; the table is skipped",
            hint="add a separator row and the property rows, or remove the header",
        )
        return None
    diagnostics.warn(
        where,
        f"table is broken: {block.reason}; read {_rows(len(block.rows))} below it",
        hint="add a separator row such as | --- | --- | under the header row",
    )
    return Table(block.header, block.rows, block.line)


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def _read_table(
    table: Table,
    title: str,
    slugs: tuple[str, ...],
    page: Page,
    limits: Limits,
    groups: dict[str, _Group],
    enums: list[EnumDef],
    diagnostics: Diagnostics,
) -> None:
    columns = column_roles(table.header)
    descriptions = [_cell(row, columns.index("description")) for row in table.rows]
    kind = classify(columns, descriptions)
    if kind == "enum":
        nearest = slugs[0] if slugs else ""
        enum = table_enum(table, columns.index("value"), title, nearest, page)
        if enum is not None:
            enums.append(enum)
        log.debug("%s:%d: read an enumeration table", page.name, table.line)
        return
    if kind == "other":
        log.debug(
            "%s:%d: skipped a table that is not a property table", page.name, table.line
        )
        return

    _check_limits(table, page, limits)
    for problem in table.problems:
        diagnostics.warn(
            Location(page.name, problem.line),
            problem.message,
            hint="fix the row so it matches the header row, as GitHub renders it",
        )
    rows = _field_rows(table, columns, page, diagnostics)
    key = naming.class_name(title)
    group = groups.get(key)
    if group is None:
        groups[key] = _Group(title, table.line, rows, set(slugs))
        return
    if group.title.casefold() != title.casefold():
        diagnostics.error(
            Location(page.name, table.line),
            f"heading {title!r} and heading {group.title!r} (line {group.line}) "
            f"both map to the class name {key!r}",
            hint="rename one of the models with an override in [tool.docmodels.overrides]",
        )
        return
    log.debug("%s:%d: table adds to model %s", page.name, table.line, key)
    _merge_rows(group, rows, key, page, diagnostics)
    group.slugs |= set(slugs)


def _field_rows(
    table: Table, columns: Columns, page: Page, diagnostics: Diagnostics
) -> list[FieldRow]:
    rows: list[FieldRow] = []
    for table_row in table.rows:
        field_row = read_row(table_row, columns)
        if field_row is None:
            diagnostics.warn(
                Location(page.name, table_row.line),
                "skipped a row with an empty property name",
            )
            continue
        rows.append(field_row)
    return rows


def _merge_rows(
    group: _Group, rows: list[FieldRow], key: str, page: Page, diagnostics: Diagnostics
) -> None:
    """Add the rows of another table of the same model; a repeated name keeps the first."""
    known = {row.name: row.line for row in group.rows}
    for row in rows:
        if row.name in known:
            diagnostics.warn(
                Location(page.name, row.line),
                f"property {row.name!r} of {key} is listed again "
                f"(first at line {known[row.name]}); the first row is kept",
                hint="skip one of the fields with an override",
            )
            continue
        group.rows.append(row)


def _cell(row: Row, index: int | None) -> str:
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].text


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


# ---------------------------------------------------------------------------
# Models from rows


def _split_path(name: str, documented: set[str]) -> tuple[tuple[str, ...], bool]:
    """Split ``device.platform.name`` into segments when ``device`` is a row too.

    A trailing ``[]`` on a segment marks an array.
    """
    is_array = name.endswith("[]")
    segments = tuple(segment.removesuffix("[]") for segment in name.split("."))
    if len(segments) == 1 or any(not segment for segment in segments):
        return (name.removesuffix("[]") if is_array else name,), is_array
    if segments[0] not in documented:
        return (name.removesuffix("[]"),), is_array
    return segments, is_array


def _build_models(
    group: _Group,
    page: Page,
    module: str,
    limits: Limits,
    enums: list[EnumDef],
    diagnostics: Diagnostics,
) -> list[Model]:
    documented = {row.name.removesuffix("[]") for row in group.rows}
    root = _Node(segment="")
    for row in group.rows:
        path, is_array = _split_path(row.name, documented)
        if len(path) > limits.max_nesting_depth:
            raise DocmodelsError(
                Location(page.name, row.line),
                f"property {'.'.join(path)!r} is nested {len(path)} levels deep, "
                f"over the limit of {limits.max_nesting_depth}",
                hint="raise [tool.docmodels.limits] max-nesting-depth if the table is genuine",
            )
        _insert(root, path, is_array, row, page, diagnostics)
    models: list[Model] = []
    context = _Context(page, module, enums, diagnostics, models)
    _emit_model(
        naming.class_name(group.title),
        group.title,
        group.description,
        root,
        group.line,
        context,
    )
    return models


@dataclass(frozen=True)
class _Context:
    page: Page
    module: str
    enums: list[EnumDef]
    diagnostics: Diagnostics
    models: list[Model]


def _insert(
    root: _Node,
    path: tuple[str, ...],
    is_array: bool,
    row: FieldRow,
    page: Page,
    diagnostics: Diagnostics,
) -> None:
    node = root
    for segment in path[:-1]:
        node = node.children.setdefault(segment, _Node(segment))
    last = path[-1]
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
            f"property {'.'.join(path)!r} is listed twice "
            f"(first at line {child.row.line})",
            hint="remove one row, or skip one with an override",
        )
        return
    child.row = row
    child.is_array = is_array


def _emit_model(
    class_name: str,
    title: str,
    description: str,
    node: _Node,
    line: int,
    context: _Context,
) -> None:
    """Append the model for ``node`` and, before it, the models of its nested children."""
    page = context.page
    fields: list[Field] = []
    used: dict[str, Field] = {}
    for child in node.children.values():
        row = child.row
        location = Location(page.name, row.line if row else line)
        type_ref = _field_type(child, class_name, line, context)
        python_name = naming.field_name(child.segment)
        new_field = Field(
            name=python_name,
            wire_name=child.segment,
            type=type_ref,
            required=bool(row.required) if row else False,
            nullable=_nullable(row),
            description=row.description if row else "",
            location=location,
            type_text=row.type_text if row else "",
            default=row.default if row else None,
        )
        if python_name in used:
            context.diagnostics.error(
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
    context.models.append(
        Model(
            name=class_name,
            title=title,
            description=description,
            location=Location(page.name, line),
            fields=tuple(fields),
            unknown_keys=unknown_keys,
        )
    )


def _nullable(row: FieldRow | None) -> bool:
    if row is None:
        return False
    return row.nullable or parse_type(row.type_text).nullable


def _field_type(
    node: _Node, parent_class: str, line: int, context: _Context
) -> TypeRef:
    row = node.row
    type_text = row.type_text if row else "nested object"
    if node.children or node.has_placeholder:
        nested_class = naming.nested_class_name(parent_class, node.segment)
        if not node.children:
            type_ref: TypeRef = Scalar("object")
        else:
            _emit_model(
                nested_class,
                node.segment,
                row.description if row else "",
                node,
                row.line if row else line,
                context,
            )
            type_ref = ModelRef(nested_class, context.module)
        lowered = type_text.lower()
        if (
            node.is_array
            or lowered.startswith(("array", "list"))
            or lowered.endswith("[]")
        ):
            return ListOf(type_ref)
        return type_ref
    parsed = parse_type(type_text)
    type_ref = parsed.type
    if row is not None:
        type_ref = narrow_to_enum(type_ref, row, context.enums)
    if not parsed.known and type_ref == parsed.type:
        context.diagnostics.warn(
            Location(context.page.name, row.line if row else line),
            f"unknown type {type_text!r} for property {node.segment!r}; using Any",
            hint="fix the type with an override in [tool.docmodels.overrides]",
        )
    if node.is_array and not isinstance(type_ref, ListOf):
        return ListOf(type_ref)
    return type_ref
