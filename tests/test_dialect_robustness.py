"""Broken or odd Markdown never crashes the page reader."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.config import Limits
from generator.errors import Diagnostics, DocmodelsError
from generator.parse import read_page
from generator.sources import Page

PIECES = [
    "| Name | Type | Description |",
    "| Field | Type | Required |",
    "Name | Type | Default | Description",
    "| --- | --- | --- |",
    "---|---",
    ":--- | :---",
    "|",
    "| a | int | yes |",
    "| b? | ?string | `x` \\| `null` |",
    "| c.d | array of [e](#f-g) objects | Possible values are: `h`, `i`. |",
    "| {x} | object | |",
    "**j** | [**List&lt;K&gt;**](K.md) | | [optional]",
    "<table><tr><th>Property</th><th>Type</th></tr>",
    "<tr><td>m</td><td>Dict[str, </td></tr>",
    "</table>",
    "# Heading",
    "###### JSON Params",
    "## Enum: StageEnum",
    "| Value | Description |",
    "```",
    "````json",
    "---",
    "{% include x %}",
    "$$$a$$$",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=20), max_size=30))
def test_read_page_never_crashes(lines: list[str]) -> None:
    page = Page("fuzz.md", "\n".join(lines), "fuzz")
    diagnostics = Diagnostics()
    try:
        module = read_page(page, "fuzz", Limits(), diagnostics).module
    except DocmodelsError:
        return
    for model in module.models:
        assert model.name.isidentifier()
        for field in model.fields:
            assert field.name.isidentifier()
            assert field.location.line is not None
