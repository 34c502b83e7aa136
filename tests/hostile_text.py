"""Hypothesis strategies that build documentation pages out of hostile text."""

from __future__ import annotations

from hypothesis import strategies as st

LINE_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")
"""Every character that str.splitlines(), and so black, treats as a line break,
besides ``\\n``."""

INVISIBLE = ("\x00", "\x07", "\x1b[31m", "\x7f", "\u00ad", "\u200b", "\u200f", "\ufeff")
BIDI = ("\u202a", "\u202b", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069")

INJECTIONS = (
    '"', "'", '"""', "'''", "\\", "\\\\", "{{ 7*7 }}", "{% for x in y %}", "{#", "}}",
    "%}", '__import__("os").system("id")', "x: int = 1", "\nimport os\n", "#",
    "# noqa", "# type: ignore", "coding: utf-7", "coding=latin-1", "pylint: disable=all",
    "+AAo-", "`", "<br>", "&#10;", "\t", "    ", "[]", ".", "..", "{name}", "_", "__",
    "self", "field", "rt", "cls", "MISSING", "Missing", "FIELDS", "from_dict", "None",
    "class", "if", "ｉｆ", "ﬁeld", "ℌ", "Dict", "int", "str", "tuple", "../", "/etc/passwd",
    "😀", "é", "\U000e0041",
)  # fmt: skip
"""Fragments that would break or take over code if pasted into it unescaped."""

TYPE_WORDS = (
    "int", "string", "boolean", "float", "datetime", "date", "timestamp", "object",
    "any", "array of ", "list[", "]", "[]", " or ", " | ", "dict[str, ", "(note)",
)  # fmt: skip

_ATOMS = st.sampled_from(LINE_BREAKS + INVISIBLE + BIDI + INJECTIONS)


def hostile_text(max_atoms: int = 6) -> st.SearchStrategy[str]:
    """Text built from hostile fragments mixed with arbitrary characters."""
    piece = st.one_of(_ATOMS, _ATOMS, st.text(max_size=3), st.sampled_from("aZ9 -"))
    return st.lists(piece, max_size=max_atoms).map("".join)


def _one_line(text: str) -> str:
    # A newline ends a heading or a table row, so none may stay inside a cell.
    return text.replace("\n", " ").replace("\r", "\x0b")


def cell_text(max_atoms: int = 6) -> st.SearchStrategy[str]:
    return hostile_text(max_atoms).map(_one_line)


@st.composite
def table_rows(draw: st.DrawFn) -> list[str]:
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        name = draw(
            st.one_of(cell_text(4), st.sampled_from(["id", "a", "a.b", "a.b.c"]))
        )
        if draw(st.booleans()):
            name = ".".join([name, draw(cell_text(2))])
        kind = draw(
            st.one_of(
                st.lists(st.sampled_from(TYPE_WORDS), max_size=4).map("".join),
                cell_text(3),
            )
        )
        description = draw(cell_text())
        required = draw(st.sampled_from(["yes", "no", "", "✓"]))
        rows.append(f"| {name} | {kind} | {description} | {required} |")
    return rows


@st.composite
def hostile_page(draw: st.DrawFn) -> str:
    """A page with front matter, headings and one or two property tables."""
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(cell_text())}\n---\n")
    for _ in range(draw(st.integers(1, 2))):
        parts.append(f"# {_one_line(draw(hostile_text()))}\n")
        parts.append(f"{draw(cell_text())}\n")
        parts.append("| Property | Type | Description | Required |")
        parts.append("|---|---|---|---|")
        parts.extend(draw(table_rows()))
        parts.append("")
    return "\n".join(parts)


def file_stem() -> st.SearchStrategy[str]:
    """A page file name without suffix: anything but a slash or NUL."""
    return (
        hostile_text(3)
        .map(
            lambda text: text.replace("/", "").replace("\x00", "").replace("\udcff", "")
        )
        .filter(lambda text: 0 < len(text.encode()) <= 200 and text not in (".", ".."))
    )
