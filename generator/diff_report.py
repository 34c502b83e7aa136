"""Present a list of spec changes as text, JSON or Markdown.

Text reads like the error messages (``file:line: verdict: Model.field: what``),
JSON is for CI tools, and Markdown is a table for a pull-request comment or a
changelog.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .diff import Change


def count(changes: Sequence[Change]) -> tuple[int, int]:
    """Return the numbers of breaking and compatible changes."""
    breaking = sum(1 for change in changes if change.is_breaking)
    return breaking, len(changes) - breaking


def _verdict(change: Change) -> str:
    if not change.is_breaking:
        return "compatible"
    return f"breaking ({', '.join(change.breaks)})"


def _totals(changes: Sequence[Change]) -> str:
    breaking, compatible = count(changes)
    return f"{breaking} breaking, {compatible} compatible"


def report_text(changes: Sequence[Change], old_label: str, new_label: str) -> str:
    """One line per change, located like an error message, then the totals."""
    if not changes:
        return f"no model changes from {old_label} to {new_label}\n"
    lines = []
    for change in changes:
        where = f"{change.location}: " if change.location is not None else ""
        lines.append(f"{where}{_verdict(change)}: {change.subject}: {change.summary}")
    lines.append(f"{_totals(changes)} changes from {old_label} to {new_label}")
    return "\n".join(lines) + "\n"


def report_markdown(changes: Sequence[Change], old_label: str, new_label: str) -> str:
    """A heading, the totals and a table, for a pull-request comment or a changelog."""
    title = f"### Model changes from {_cell(old_label)} to {_cell(new_label)}\n\n"
    if not changes:
        return title + "No model changes.\n"
    lines = [
        f"{_totals(changes)}.",
        "",
        "| Verdict | Model | Field | Change | Breaks | Source |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for change in changes:
        cells = (
            "breaking" if change.is_breaking else "compatible",
            _code(change.model),
            _code(change.field) if change.field else "",
            _cell(change.summary),
            ", ".join(change.breaks),
            _cell(str(change.location)) if change.location is not None else "",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return title + "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Escape text for a Markdown table cell: pipes end a cell, newlines a row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """Wrap text in a code span whose fence is longer than any backtick run inside."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    inner = text.replace("|", "\\|").replace("\n", " ")
    return f"{fence}{padding}{inner}{padding}{fence}"


def report_json(
    changes: Sequence[Change], old_label: str, new_label: str
) -> dict[str, object]:
    """The changes as a JSON-ready object with the totals."""
    breaking, compatible = count(changes)
    return {
        "from": old_label,
        "to": new_label,
        "breaking": breaking,
        "compatible": compatible,
        "changes": [change_to_json(change) for change in changes],
    }


def change_to_json(change: Change) -> dict[str, object]:
    """Encode one change; ``file`` and ``line`` are null when unknown."""
    return {
        "kind": change.kind,
        "model": change.model,
        "field": change.field,
        "summary": change.summary,
        "breaking": change.is_breaking,
        "breaks": list(change.breaks),
        "old": change.old,
        "new": change.new,
        "file": change.location.file if change.location is not None else None,
        "line": change.location.line if change.location is not None else None,
    }
