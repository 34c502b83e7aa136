"""Extract headings, tables and code blocks from a Markdown page with markdown-it-py.

The result is a flat list of blocks in page order, each with its 1-based line.
Cell text is plain text: emphasis, code spans, strikethrough and inline HTML are
unwrapped, ``<br>`` becomes a newline, badges and ``$$$anchor$$$`` markers are
dropped, and the link targets and code spans of a cell are kept beside it.

markdown-it pads short rows with empty cells and drops extra cells without a
word, so every pipe table is checked against its source lines here, and each
problem is kept on the table as a :class:`Problem` with its line. A pipe row that
looks like a header but has no separator row is not a table to markdown-it, so
it is returned as an :class:`OrphanHeader` for a later stage to warn about.
HTML ``<table>`` elements are read with :mod:`html.parser`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

_BR = re.compile(r"^<br\s*/?>$", re.IGNORECASE)
_ANCHOR_MARKER = re.compile(r"\$\$\$[^$\s]*\$\$\$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-+:?\s*$")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_HTML_TABLE_START = re.compile(r"<table\b", re.IGNORECASE)
_HTML_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Cell:
    """One table cell as plain text, with the links and code spans of its markup."""

    text: str
    links: tuple[str, ...] = ()
    """Link targets in the cell, in order."""
    code: tuple[str, ...] = ()
    """Contents of code spans in the cell, in order."""
    marked: str = ""
    """The text with code spans kept in backticks, for value lists and defaults."""


@dataclass(frozen=True)
class Row:
    """One body row; ``line`` is 1-based."""

    cells: tuple[Cell, ...]
    line: int


@dataclass(frozen=True)
class Problem:
    """A defect of a table's source that the reading had to guess around."""

    line: int
    message: str


@dataclass(frozen=True)
class Table:
    """A table with its header row, body rows and the defects found in its source."""

    header: tuple[Cell, ...]
    rows: tuple[Row, ...]
    line: int
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class OrphanHeader:
    """A pipe row that markdown-it did not read as a table, with the pipe rows below it."""

    header: tuple[Cell, ...]
    rows: tuple[Row, ...]
    line: int
    reason: str
    """The defect that keeps the lines from being a table, such as a missing separator."""


@dataclass(frozen=True)
class Heading:
    """A heading: its plain text, level (1 for ``#``) and 1-based line."""

    text: str
    level: int
    line: int


@dataclass(frozen=True)
class CodeBlock:
    """A fenced or indented code block: its info string, content and 1-based line."""

    info: str
    text: str
    line: int


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose as plain text, with its 1-based line."""

    text: str
    line: int


Block = Heading | Table | OrphanHeader | CodeBlock | Paragraph


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # The commonmark preset has no table or strikethrough rule; both are enabled here.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def read_blocks(text: str) -> list[Block]:
    """Return the headings, paragraphs, tables and code blocks of a page in order."""
    # Split at "\n" only: str.splitlines also splits at U+2028, \x0c and others,
    # which markdown-it does not, and line numbers would drift.
    lines = text.split("\n")
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    html_end = -1
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.map and token.map[0] < html_end:
            index += 1
            continue
        if token.type == "heading_open":
            inline = tokens[index + 1]
            blocks.append(Heading(_cell(inline).text, int(token.tag[1]), _line(token)))
            index += 3
            continue
        if token.type == "table_open":
            index = _read_table(tokens, index, lines, blocks)
            continue
        if token.type in ("fence", "code_block"):
            blocks.append(CodeBlock(token.info.strip(), token.content, _line(token)))
        elif token.type == "paragraph_open" and token.map:
            orphan = _orphan_header(lines, token.map[0], token.map[1])
            if orphan is not None:
                blocks.append(orphan)
            else:
                blocks.append(Paragraph(_cell(tokens[index + 1]).text, _line(token)))
        elif (
            token.type == "html_block"
            and token.map
            and _HTML_TABLE_START.search(token.content)
        ):
            html_end = _read_html_tables(lines, token.map[0], blocks)
        index += 1
    return blocks


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


# ---------------------------------------------------------------------------
# Pipe tables


def _read_table(
    tokens: list[Token], start: int, lines: list[str], blocks: list[Block]
) -> int:
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
    line = _line(tokens[start])
    problems = _check_rows(lines, line, header, rows)
    blocks.append(Table(header, tuple(rows), line, problems))
    return index + 1


def raw_cells(line: str, outer_pipes: bool = True) -> list[str]:
    """Split a pipe-table source line into its cells, as GitHub Flavored Markdown does.

    A leading and a trailing pipe are optional; ``\\|`` is a literal pipe. With
    ``outer_pipes`` False (a table whose header has neither), a pipe at the end
    of a row that has no leading pipe ends an empty last cell, as its writer meant.
    """
    text = line.strip()
    leading = text.startswith("|")
    if leading:
        text = text[1:]
    if (outer_pipes or leading) and text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return _UNESCAPED_PIPE.split(text)


def _check_rows(
    lines: list[str], header_line: int, header: tuple[Cell, ...], rows: list[Row]
) -> tuple[Problem, ...]:
    """Compare every body row's source with the header: cell count and trailing pipe."""
    problems: list[Problem] = []
    width = len(header)
    header_source = lines[header_line - 1].strip() if header_line else ""
    header_has_trailing_pipe = header_source.endswith("|")
    outer_pipes = header_source.startswith("|") or header_has_trailing_pipe
    for row in rows:
        if not 0 < row.line <= len(lines):
            continue
        source = lines[row.line - 1].rstrip()
        count = len(raw_cells(source, outer_pipes))
        if count < width:
            problems.append(
                Problem(
                    row.line,
                    f"row has {count} cells but the header has {width}; "
                    "the missing cells are read as empty",
                )
            )
        elif count > width:
            problems.append(
                Problem(
                    row.line,
                    f"row has {count} cells but the header has {width}; "
                    "the extra cells are ignored",
                )
            )
        elif header_has_trailing_pipe and not source.endswith("|"):
            problems.append(
                Problem(row.line, "row has no trailing pipe, unlike the header row")
            )
    return tuple(problems)


def _is_pipe_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") or stripped.count("|") >= 2


def _is_separator(line: str) -> bool:
    cells = raw_cells(line)
    return bool(cells) and all(_SEPARATOR_CELL.match(cell) for cell in cells)


def _orphan_header(lines: list[str], start: int, end: int) -> OrphanHeader | None:
    """Find a paragraph that starts with a pipe row but is no table to markdown-it."""
    first = lines[start] if start < len(lines) else ""
    if not first.strip().startswith("|") or _is_separator(first):
        return None
    header = tuple(_plain_cell(text) for text in raw_cells(first))
    if len(header) < 2:
        return None
    following = lines[start + 1 : end]
    reason = "no separator row (such as | --- | --- |) follows the header row"
    body_start = start + 1
    if following and _is_separator(following[0]):
        columns = len(raw_cells(following[0]))
        reason = (
            f"the separator row has {columns} cells but the header row has "
            f"{len(header)}"
        )
        body_start += 1
    rows = []
    for offset, text in enumerate(lines[body_start:end]):
        cells = raw_cells(text)
        if not _is_pipe_row(text) or not any(cell.strip() for cell in cells):
            continue
        rows.append(
            Row(tuple(_plain_cell(cell) for cell in cells), body_start + offset + 1)
        )
    return OrphanHeader(header, tuple(rows), start + 1, reason)


def _plain_cell(source: str) -> Cell:
    """Read one raw cell's Markdown as inline text, as markdown-it would inside a table."""
    tokens = _parser().parseInline(source.strip().replace("\\|", "|"))
    return _cell(tokens[0]) if tokens else Cell("")


# ---------------------------------------------------------------------------
# Inline content


def _cell(inline: Token) -> Cell:
    parts: list[str] = []
    marked: list[str] = []
    links: list[str] = []
    code: list[str] = []
    for child in inline.children or ():
        if child.type == "code_inline":
            parts.append(child.content)
            marked.append(f"`{child.content}`")
            code.append(child.content)
            continue
        length = len(parts)
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n" if child.type == "hardbreak" else " ")
        elif child.type == "html_inline":
            if _BR.match(child.content.strip()):
                parts.append("\n")
        elif child.type == "link_open":
            href = child.attrGet("href")
            if isinstance(href, str):
                links.append(href)
        marked.extend(parts[length:])
    text = _ANCHOR_MARKER.sub("", "".join(parts)).strip()
    marked_text = _ANCHOR_MARKER.sub("", "".join(marked)).strip()
    return Cell(text, tuple(links), tuple(code), marked_text)


# ---------------------------------------------------------------------------
# HTML tables


def _read_html_tables(lines: list[str], start: int, blocks: list[Block]) -> int:
    """Read the HTML tables that start at a 0-based line; return the line after them.

    An HTML block ends at a blank line in CommonMark, so the source lines are read
    up to the closing ``</table>`` instead of the block's own content.
    """
    end = start
    while end < len(lines) and not _HTML_TABLE_END.search(lines[end]):
        end += 1
    end = min(end + 1, len(lines))
    reader = _HTMLTableReader(start)
    reader.feed("\n".join(lines[start:end]))
    reader.close()
    blocks.extend(reader.tables)
    return end


class _HTMLTableReader(HTMLParser):
    """Collect ``<table>`` elements as :class:`Table` objects, with source lines."""

    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.tables: list[Table] = []
        self._header: tuple[Cell, ...] = ()
        self._rows: list[Row] = []
        self._cells: list[Cell] = []
        self._row_is_header = False
        self._row_line = 0
        self._table_line = 0
        self._text: list[str] | None = None
        self._links: list[str] = []
        self._code: list[str] = []
        self._in_code = False

    def _where(self) -> int:
        return self.first_line + self.getpos()[0]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._header, self._rows, self._table_line = (), [], self._where()
        elif tag == "tr":
            self._cells, self._row_is_header = [], False
            self._row_line = self._where()
        elif tag in ("td", "th"):
            self._text, self._links, self._code = [], [], []
            self._row_is_header = self._row_is_header or tag == "th"
        elif tag == "br" and self._text is not None:
            self._text.append("\n")
        elif tag == "a" and self._text is not None:
            self._links.extend(
                value for name, value in attrs if name == "href" and value
            )
        elif tag == "code":
            self._in_code = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._text is not None:
            text = re.sub(r"[ \t]+", " ", "".join(self._text))
            cell_text = text.strip()
            self._cells.append(
                Cell(cell_text, tuple(self._links), tuple(self._code), cell_text)
            )
            self._text = None
        elif tag == "tr":
            if self._row_is_header and not self._header and not self._rows:
                self._header = tuple(self._cells)
            else:
                self._rows.append(Row(tuple(self._cells), self._row_line))
        elif tag == "table":
            self.tables.append(Table(self._header, tuple(self._rows), self._table_line))
        elif tag == "code":
            self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._text is None:
            return
        if data.strip():
            self._text.append(" ".join(data.split()))
        elif data:
            self._text.append(" ")
        if self._in_code and data.strip():
            self._code.append(data.strip())
