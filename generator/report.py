"""Describe what docmodels reads from pages: models, fields and every warning.

The text is what ``docmodels inspect`` prints: for each page, its models with one
line per field (wire name, Python name, type, required, nullable, source line),
then the page's warnings and errors. Problems that belong to no page, such as an
override that matches nothing, come last.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Diagnostic, Diagnostics
from .expressions import python_annotation
from .spec import Field, Module

_COLUMNS = ("wire name", "python name", "type", "required", "nullable", "line")


def describe(modules: Sequence[Module], diagnostics: Diagnostics) -> str:
    """Return the inspect report of modules read from pages, in page order."""
    sources = [module.source for module in modules]
    by_file: dict[str, list[Diagnostic]] = {}
    for item in diagnostics.items:
        by_file.setdefault(item.location.file, []).append(item)
    chunks = [
        _describe_module(module, by_file.pop(module.source, [])) for module in modules
    ]
    rest = [
        item for file, items in by_file.items() if file not in sources for item in items
    ]
    if rest:
        chunks.append("\n".join(str(item) for item in rest) + "\n")
    return "\n".join(chunks)


def _describe_module(module: Module, problems: list[Diagnostic]) -> str:
    lines = [f"{module.source} (module {module.name})"]
    if not module.models:
        lines.append("  no property table found")
    for model in module.models:
        lines.append(
            f"  {model.name} (line {model.location.line}, unknown keys: "
            f"{model.unknown_keys})"
        )
        rows = [_COLUMNS] + [_field_row(field) for field in model.fields]
        widths = [
            max(len(row[column]) for row in rows) for column in range(len(_COLUMNS))
        ]
        for row in rows:
            cells = [text.ljust(width) for text, width in zip(row, widths, strict=True)]
            lines.append(("    " + "  ".join(cells)).rstrip())
    for problem in problems:
        lines.extend("  " + text for text in str(problem).splitlines())
    return "\n".join(lines) + "\n"


def _field_row(field: Field) -> tuple[str, ...]:
    type_text = python_annotation(field.type)
    return (
        field.wire_name,
        field.name,
        type_text,
        "yes" if field.required else "no",
        "yes" if field.nullable else "no",
        str(field.location.line or ""),
    )
