"""Extract headings and tables from a Markdown page with markdown-it-py.

The result is a flat list of :class:`Block` objects (headings and tables) in page
order, each with its 1-based line. Cell text is plain text: emphasis, code spans,
strikethrough and inline HTML are unwrapped, ``<br>`` becomes a newline, and the
link targets and code spans of a cell are kept beside it for later stages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    """One table cell as plain text, with what the markup said about it."""

    text: str
    links: tuple[str, ...] = ()
    """Link targets in the cell, in order."""
    code: tuple[str, ...] = ()
    """Contents of code spans in the cell, in order."""


@dataclass(frozen=True)
class Row:
    """One body row; ``line`` is 1-based."""

    cells: tuple[Cell, ...]
    line: int


@dataclass(frozen=True)
class Table:
    """A table with its header row and body rows."""

    header: tuple[Cell, ...]
    rows: tuple[Row, ...]
    line: int


@dataclass(frozen=True)
class Heading:
    """A heading: its plain text, level (1 for ``#``) and 1-based line."""

    text: str
    level: int
    line: int


Block = Heading | Table


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # The commonmark preset has no table or strikethrough rule; both are enabled here.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_blocks(text: str) -> list[Block]:
    """Return the headings and tables of a Markdown page in order."""
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "heading_open":
            inline = tokens[index + 1]
            blocks.append(Heading(_cell(inline).text, int(token.tag[1]), _line(token)))
            index += 3
        elif token.type == "table_open":
            index = _read_table(tokens, index, blocks)
        else:
            index += 1
    return blocks


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _read_table(tokens: list[Token], start: int, blocks: list[Block]) -> int:
    header: tuple[Cell, ...] = ()
    rows: list[Row] = []
    cells: list[Cell] = []
    row_line = 0
    in_head = False
    index = start + 1
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            cells = []
            row_line = _line(token)
        elif token.type == "inline":
            cells.append(_cell(token))
        elif token.type == "tr_close":
            if in_head:
                header = tuple(cells)
            else:
                rows.append(Row(tuple(cells), row_line))
        index += 1
    blocks.append(Table(header, tuple(rows), _line(tokens[start])))
    return index + 1


def _cell(inline: Token) -> Cell:
    parts: list[str] = []
    links: list[str] = []
    code: list[str] = []
    for child in inline.children or ():
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "code_inline":
            parts.append(child.content)
            code.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n" if child.type == "hardbreak" else " ")
        elif child.type == "html_inline":
            if _BR.match(child.content.strip()):
                parts.append("\n")
        elif child.type == "link_open":
            href = child.attrGet("href")
            if isinstance(href, str):
                links.append(href)
        elif child.type == "image":
            parts.append(child.content)
    return Cell("".join(parts).strip(), tuple(links), tuple(code))
