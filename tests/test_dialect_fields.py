"""Reading names, flags, defaults and value lists from single cells."""

from __future__ import annotations

import pytest

from generator.columns import column_roles, normalize_header
from generator.fields import clean_name, parse_literal, possible_values
from generator.tables import Cell, read_blocks
from generator.titles import model_title


@pytest.mark.parametrize(
    ("cell", "name", "marked_optional"),
    [
        ("`token`", "token", False),
        ("tags*", "tags", False),
        ("tags\\*", "tags", False),
        ("error.type [1]", "error.type", False),
        ("pack_id?", "pack_id", True),
        ("_id", "_id", False),
        ("  padded  ", "padded", False),
    ],
)
def test_clean_name(cell: str, name: str, marked_optional: bool) -> None:
    assert clean_name(cell) == (name, marked_optional)


def test_name_cell_markup_is_removed() -> None:
    text = (
        "| Name | Type |\n| --- | --- |\n"
        "| ~~old~~ **bold** | *int* |\n"
        '| <span class="x">tagged</span> ![badge](b.svg) | int |\n'
        "| $$$anchor$$$[linked](#linked) | int |\n"
    )
    table = read_blocks(text)[0]
    assert [row.cells[0].text for row in table.rows] == ["old bold", "tagged", "linked"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Possible values are: `a`, `b` and `c`.", ("a", "b", "c")),
        ("Options: `view` and `edit`. Default is `view`.", ("view", "edit")),
        ("The possible values are: `done`, `error`.", ("done", "error")),
        ("Possible values include, for example, `a` and `b`.", ()),
        ("Values such as `a`, `b`.", ()),
        ("Possible values are listed in the guide.", ()),
    ],
)
def test_possible_values(text: str, values: tuple[str, ...]) -> None:
    assert possible_values(text) == values


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("`None`", None),
        ("null", None),
        ("true", True),
        ("`12`", 12),
        ("1.5", 1.5),
        ("'top'", "top"),
        ('"x"', "x"),
        ("GUILD_ONLY", "GUILD_ONLY"),
    ],
)
def test_parse_literal(text: str, value: object) -> None:
    assert parse_literal(text) == value


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Property name", "name"),
        ("**Attribute**", "name"),
        ("Eigenschaft", "name"),
        ("Nom", "name"),
        ("Data type", "type"),
        ("Tipo", "type"),
        ("Beschreibung", "description"),
        ("Descripción", "description"),
        ("Notes", "notes"),
        ("Default", "default"),
        ("Nullable", "nullable"),
    ],
)
def test_header_roles(header: str, role: str) -> None:
    columns = column_roles((Cell(header), Cell("other")))
    assert columns.index(role) == 0  # type: ignore[arg-type]
    assert normalize_header("Type:") == "type"


@pytest.mark.parametrize(
    ("headings", "title"),
    [
        (["Session Model"], "Session"),
        (["Sticker Object", "Sticker Structure"], "Sticker"),
        (["Emoji Structure"], "Emoji"),
        (["Pet", "Properties"], "Pet"),
        (["Get Thing % GET /things/{id}", "JSON Params"], "Get Thing Params"),
        (["List Packs % GET /packs", "Response Structure"], "List Packs Response"),
        (["Shelf resource type", "Relationships"], "Shelf"),
        (["Kettle field details [_kettle]"], "Kettle"),
        (["Enum: StageEnum"], "StageEnum"),
        (["Thing API (FREE)"], "Thing"),
        ([], "page"),
    ],
)
def test_model_title(headings: list[str], title: str) -> None:
    from generator.tables import Heading

    blocks = [Heading(text, level + 1, level) for level, text in enumerate(headings)]
    assert model_title(blocks, "page") == title
