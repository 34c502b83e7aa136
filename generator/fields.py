"""Read one property-table row: the wire name, type text, required, nullable, default, enum.

Each flag is read from every place vendors put it. In order of trust, these are
a Required (or Nullable, Default) column, markers on the name (``name?``) or in
the Notes column (``[optional]``), the spelling of the type (``?type``,
``Optional[...]``), and sentences in the description ("Required.", "Can be null").
When some rows of a page mark themselves optional with ``name?`` or
``[optional]``, the page's other rows are required, because the tools and styles
that write those markers mark only the optional rows.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace

from .columns import Columns, type_in_description
from .spec import JSONScalar
from .tables import Row
from .types import clean_type_text

_FOOTNOTE = re.compile(r"(?:\\?\*+|\s*\[\d+\]|\s*\(\d+\)|[†‡¹²³])+$")
_OPTIONAL_NOTE = re.compile(r"\[optional\]", re.IGNORECASE)
_DEFAULT_NOTE = re.compile(r"\[default to (.+?)\]", re.IGNORECASE)
_DEFAULT_SENTENCE = re.compile(r"\bdefault(?:s to| is|:)\s+`([^`]*)`", re.IGNORECASE)
_REQUIRED_SENTENCE = re.compile(
    r"(?:^|[.!:)]\s+|\n)(?:this (?:field|property) is )?required(?:\.|\s*$)",
    re.IGNORECASE,
)
_OPTIONAL_SENTENCE = re.compile(
    r"(?:^|[.!:)]\s+|\n)(?:this (?:field|property) is )?optional(?:\.|\s*$)",
    re.IGNORECASE,
)
_READ_ONLY = re.compile(r"\bread-?only\b", re.IGNORECASE)
_MANDATORY_WORD = re.compile(r"(?:^|\s)mandatory\s*$", re.IGNORECASE)
_NULL_SENTENCE = re.compile(
    r"(?<!non-)(?<!not )\b(?:can|may|might|could) (?:also )?be `?null`?|(?<!non-)\bnullable\b"
    r"|\bor `null`|\bor null\b|\bnull if\b",
    re.IGNORECASE,
)
_POSSIBLE_VALUES = re.compile(
    r"(?:possible|valid|allowed|accepted|supported) values(?: are| include)?:?\s*"
    r"|\boptions:\s*|\bone of:?\s*|\bmust be one of:?\s*",
    re.IGNORECASE,
)
_NOT_EXHAUSTIVE = re.compile(
    r"\b(?:e\.g\.|for example|such as|among others|etc\.?|including|include|and more)",
    re.IGNORECASE,
)
_CODE_LIST = re.compile(
    r"^(?:\s*(?:,|and|or|, and|, or)?\s*`([^`]+)`)+\s*\.?", re.IGNORECASE
)
_CODE_ITEM = re.compile(r"`([^`]+)`")
_TRUE_WORDS = frozenset(
    {"yes", "y", "true", "required", "mandatory", "x", "✓", "✔", "✔️", "✅", "☑",
     ":heavy_check_mark:", ":white_check_mark:", ":check_mark:", "ja", "sí", "si", "oui",
     "sim", "obligatoire", "erforderlich", "pflicht", "requerido", "obligatorio"}
)  # fmt: skip
_FALSE_WORDS = frozenset(
    {"no", "n", "false", "optional", "-", "–", "—", "✗", "✘", "❌", "",
     ":heavy_minus_sign:", ":x:", ":heavy_multiplication_x:", "nein", "non", "não"}
)  # fmt: skip


@dataclass(frozen=True)
class FieldRow:
    """The facts one row states about a property, before types and nesting are settled."""

    name: str
    """Wire name, Markdown and markers removed, dots kept."""
    type_text: str
    """Type cell as plain text, or the type found in the description."""
    description: str
    required: bool | None
    """True or False when the row states it, None when it does not."""
    nullable: bool
    default: JSONScalar
    has_default: bool
    optional_marker: bool
    """Whether the row used a marker (``name?``, ``[optional]``) that implies the rest are required."""
    type_links: tuple[str, ...]
    description_links: tuple[str, ...]
    enum_values: tuple[str, ...]
    """Values of an exhaustive "Possible values are ..." list in the description."""
    line: int


def clean_name(text: str) -> tuple[str, bool]:
    """Strip Markdown noise and markers from a name cell; return it and whether it ended in ``?``."""
    name = html.unescape(text).strip().strip("`").strip()
    name = _FOOTNOTE.sub("", name).strip().strip("`").strip()
    optional = name.endswith("?")
    if optional:
        name = name[:-1].rstrip()
    first_line = name.splitlines()[0] if name else ""
    return first_line.strip(), optional


def read_row(row: Row, columns: Columns) -> FieldRow | None:
    """Read a row; return None when its name cell is empty."""
    name, marked_optional = clean_name(_text(row, columns.index("name")))
    if not name:
        return None

    description = html.unescape(_text(row, columns.index("description")))
    notes = _text(row, columns.index("notes"))
    if columns.index("notes") == columns.index("description"):
        notes = ""
    type_links = _cell_links(row, columns.index("type"))
    type_text = _text(row, columns.index("type"))
    if columns.index("type") is None:
        type_text = type_in_description(description) or ""

    default_text = _text(row, columns.index("default"))
    default, has_default = _read_default(
        default_text, notes, _raw_description(row, columns)
    )
    required = _read_required(row, columns, default_text, notes, description, type_text)
    if marked_optional or _OPTIONAL_NOTE.search(notes):
        required = False
    elif required is None and _READ_ONLY.search(description):
        # The server fills a read-only property, so a client never has to send it.
        required = False

    return FieldRow(
        name=name,
        type_text=type_text,
        description=_strip_notes(description),
        required=required,
        nullable=_read_nullable(row, columns, description, has_default, default),
        default=default,
        has_default=has_default,
        optional_marker=marked_optional or bool(_OPTIONAL_NOTE.search(notes)),
        type_links=type_links,
        description_links=_cell_links(row, columns.index("description")),
        enum_values=possible_values(_raw_description(row, columns)),
        line=row.line,
    )


def _text(row: Row, index: int | None) -> str:
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].text


def _cell_links(row: Row, index: int | None) -> tuple[str, ...]:
    if index is None or index >= len(row.cells):
        return ()
    return row.cells[index].links


def _raw_description(row: Row, columns: Columns) -> str:
    """Rebuild the description with code spans in backticks, for value lists."""
    index = columns.index("description")
    if index is None or index >= len(row.cells):
        return ""
    return html.unescape(row.cells[index].marked)


def _read_required(
    row: Row,
    columns: Columns,
    default_text: str,
    notes: str,
    description: str,
    type_text: str,
) -> bool | None:
    column = columns.index("required")
    if column is not None:
        value = clean_type_text(_text(row, column)).lower().strip(" .")
        if value in _TRUE_WORDS or value.startswith(("yes", "required")):
            return not columns.inverted_required
        if value in _FALSE_WORDS or value.startswith(("no", "optional")):
            return columns.inverted_required
    if clean_type_text(default_text).lower().strip(" .") == "required":
        return True
    if (
        clean_type_text(type_text)
        .lower()
        .startswith(("optional[", "optionalnullable["))
    ):
        return False
    for text in (notes, description):
        if _REQUIRED_SENTENCE.search(text) or _MANDATORY_WORD.search(text):
            return True
        if _OPTIONAL_SENTENCE.search(text):
            return False
    return None


def _read_nullable(
    row: Row, columns: Columns, description: str, has_default: bool, default: JSONScalar
) -> bool:
    column = columns.index("nullable")
    if column is not None:
        value = _text(row, column).lower().strip(" .`")
        return value in _TRUE_WORDS or value.startswith("yes")
    if has_default and default is None:
        return True
    return bool(_NULL_SENTENCE.search(description))


def _read_default(
    default_text: str, notes: str, description: str
) -> tuple[JSONScalar, bool]:
    """Return the documented default and whether there is one."""
    text = default_text.strip()
    if text and clean_type_text(text).lower().strip(" .") not in (
        "required",
        "-",
        "—",
        "n/a",
        "none given",
    ):
        return parse_literal(text), True
    for source in (notes, description):
        match = _DEFAULT_NOTE.search(source)
        if match:
            return parse_literal(match.group(1)), True
    match = _DEFAULT_SENTENCE.search(description)
    if match:
        return parse_literal(match.group(1)), True
    return None, False


def parse_literal(text: str) -> JSONScalar:
    """Read a documented default: null, a boolean, a number or a (quoted) string."""
    value = text.strip().strip("`").strip()
    lower = value.lower()
    if lower in ("none", "null", "nil"):
        return None
    if lower in ("true", "false"):
        return lower == "true"
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d*(?:[eE][-+]?\d+)?", value):
        return float(value)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _strip_notes(description: str) -> str:
    return (
        " ".join(description.split())
        if "\n" not in description
        else description.strip()
    )


def possible_values(description: str) -> tuple[str, ...]:
    """Return the values of an exhaustive list such as "Possible values are: `a`, `b`"."""
    for match in _POSSIBLE_VALUES.finditer(description):
        rest = description[match.end() :]
        listed = _CODE_LIST.match(rest)
        if not listed:
            continue
        sentence_end = rest.find(". ", listed.end() - 1)
        sentence = rest[: sentence_end if sentence_end >= 0 else len(rest)]
        if _NOT_EXHAUSTIVE.search(
            description[max(0, match.start() - 40) : match.start()] + sentence
        ):
            continue
        values = tuple(_CODE_ITEM.findall(listed.group(0)))
        if values:
            return values
    return ()


def apply_table_conventions(rows: list[FieldRow], by_absence: bool) -> list[FieldRow]:
    """Settle each row's required flag; with ``by_absence``, rows without a marker are required.

    ``by_absence`` is true when some row of the page marks itself optional with
    ``name?`` or ``[optional]``: the writers of such pages mark only optional rows.
    """
    settled = []
    for row in rows:
        required = row.required
        if required is None:
            required = by_absence
        settled.append(replace(row, required=required))
    return settled
