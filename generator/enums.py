"""Enumerations: Name/Value tables, union code blocks and "Possible values" lists.

An enumeration narrows a string or integer field to a ``LiteralOf`` when the
field's description lists every value, or links to an enumeration table on the
page (``[kind](#badge-object-colour-kinds)``). Tables and code blocks that define
an enumeration are also kept for :mod:`generator.references`, which turns a
Type cell that names them into the same literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import naming
from .errors import Location
from .fields import FieldRow
from .sources import Page
from .spec import LITERAL_INT_RANGE, ListOf, LiteralOf, ModelRef, Scalar, TypeRef
from .tables import CodeBlock, Heading, Table
from .titles import heading_slug

_UNION_OF_LITERALS = re.compile(
    r"""^\s*(?:"[^"]*"|'[^']*'|-?\d+)(?:\s*\|\s*(?:"[^"]*"|'[^']*'|-?\d+))*\s*;?\s*$"""
)
_LITERAL_ITEM = re.compile(r""""([^"]*)"|'([^']*)'|(-?\d+)""")


@dataclass(frozen=True)
class EnumDef:
    """An enumeration found on a page: a Name/Value table or a union code block."""

    name: str
    values: tuple[str, ...]
    slugs: tuple[str, ...]
    """Heading slugs that links to the enumeration end with."""
    location: Location


def table_enum(
    table: Table, value_index: int | None, title: str, enum_slug: str, page: Page
) -> EnumDef | None:
    """Read the value column of an enumeration table; quotes around a value are dropped."""
    if value_index is None:
        return None
    values = []
    for row in table.rows:
        if value_index < len(row.cells):
            cell = row.cells[value_index]
            value = cell.code[0] if cell.code else cell.text.strip()
            if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if value:
                values.append(value)
    if not values:
        return None
    return EnumDef(
        naming.class_name(title),
        tuple(values),
        (enum_slug,),
        Location(page.name, table.line),
    )


def code_block_enum(
    block: CodeBlock, headings: list[Heading], title: str, page: Page
) -> EnumDef | None:
    """Read ``"a" | "b"`` in a code block under a "Values" heading as an enumeration."""
    if not headings or "values" not in headings[-1].text.lower():
        return None
    if not _UNION_OF_LITERALS.match(block.text.strip()):
        return None
    values = tuple(
        next(group for group in match.groups() if group is not None)
        for match in _LITERAL_ITEM.finditer(block.text)
    )
    slugs = tuple(sorted({heading_slug(heading.text) for heading in headings[-2:]}))
    return EnumDef(
        naming.class_name(title), values, slugs, Location(page.name, block.line)
    )


def narrow_to_enum(type_ref: TypeRef, row: FieldRow, enums: list[EnumDef]) -> TypeRef:
    """Narrow a string or integer type to the values a description lists or links to."""
    values = row.enum_values or _linked_enum_values(row, enums)
    if not values:
        return type_ref
    if isinstance(type_ref, ListOf):
        item = _literal_for(type_ref.item, values)
        return ListOf(item) if item is not None else type_ref
    literal = _literal_for(type_ref, values)
    return literal if literal is not None else type_ref


def _literal_for(type_ref: TypeRef, values: tuple[str, ...]) -> TypeRef | None:
    if isinstance(type_ref, Scalar) and type_ref.kind == "int":
        # Nineteen digits cover every 64-bit integer. Longer text is not converted,
        # because int() raises ValueError past 4300 digits (CPython 3.11 default).
        if all(re.fullmatch(r"-?\d{1,19}", value) for value in values):
            numbers = tuple(int(value) for value in values)
            if all(number in LITERAL_INT_RANGE for number in numbers):
                return LiteralOf(numbers)
        return None
    if isinstance(type_ref, ModelRef) or (
        isinstance(type_ref, Scalar) and type_ref.kind in ("str", "any")
    ):
        return LiteralOf(values)
    return None


def _linked_enum_values(row: FieldRow, enums: list[EnumDef]) -> tuple[str, ...]:
    """Return the values of the enumeration table a description link points to."""
    for link in row.description_links:
        if "#" not in link:
            continue
        anchor = link.rsplit("#", 1)[1].rsplit("/", 1)[-1].lower()
        for enum in enums:
            if any(
                anchor == slug or anchor.endswith("-" + slug) for slug in enum.slugs
            ):
                return enum.values
    return ()
