"""Layout features of vendor documentation, each on a small page written for the test."""

from __future__ import annotations

import pytest

from generator.spec import Module

from .dialect_helpers import FIXTURES, fields_of, messages, model, read_folder


def read(name: str) -> tuple[list[Module], list[str]]:
    modules, diagnostics = read_folder(FIXTURES / name)
    assert diagnostics.errors == []
    return modules, messages(diagnostics)


S, I, B, F = "str", "int", "bool", "float"
REQ, OPT = True, False
NULL, VALUE = True, False


def test_markers_in_name_and_type_cells() -> None:
    """``?type``, ``name?``, ``tags\\*``, ``?ISO8601``, links in Type, parenthetical note."""
    modules, _ = read("badges")
    badge = fields_of(model(modules, "Badge"))
    assert badge["id"] == (S, REQ, NULL)
    assert badge["label"] == (S, REQ, NULL)
    assert badge["holders"] == ("list[str]", OPT, VALUE)
    assert badge["awarded_at"] == ("datetime", REQ, NULL)
    assert badge["tag_ids"] == ("list[str]", REQ, VALUE)
    assert badge["extras"] == ("list[Any]", REQ, VALUE)
    assert badge["motto"] == (S, OPT, VALUE)
    assert "colour" in badge


def test_enum_table_linked_from_description() -> None:
    modules, _ = read("badges")
    assert fields_of(model(modules, "Badge"))["colour"] == ("Literal[1, 2]", REQ, VALUE)


def test_link_to_object_on_same_page() -> None:
    modules, warnings = read("badges")
    assert fields_of(model(modules, "Badge"))["crest"] == ("Crest", OPT, VALUE)
    assert warnings == []


def test_request_params_under_route_heading() -> None:
    modules, _ = read("badges")
    params = fields_of(model(modules, "CreateBadgeParams"))
    assert params == {"label": (S, REQ, VALUE), "holders": ("list[str]", OPT, NULL)}
    assert [m.name for m in modules[0].models] == [
        "Badge",
        "Crest",
        "CreateBadgeParams",
    ]


def test_malformed_link_in_description_is_text() -> None:
    modules, _ = read("badges")
    crest = model(modules, "Crest")
    assert crest.fields[1].description == "edge length in pixels ((#DOCS_X/y)"


def test_speakeasy_required_column_and_wrappers() -> None:
    modules, _ = read("widgets")
    widget = fields_of(model(modules, "Widget"))
    assert widget["id"] == (S, REQ, VALUE)
    assert widget["note"] == (S, OPT, NULL)
    assert widget["labels"] == ("dict[str, Any]", OPT, VALUE)
    assert widget["made_on"] == ("date", REQ, VALUE)
    assert widget["event"] == ('Literal["widget.made"]', REQ, VALUE)
    assert widget["count"] == (I, OPT, VALUE)


def test_links_to_model_and_enum_pages() -> None:
    """A link inside a generic, a link to a Name/Value page and to a union code block."""
    modules, warnings = read("widgets")
    widget = fields_of(model(modules, "Widget"))
    assert widget["parts"] == ("list[Gadget]", OPT, VALUE)
    assert widget["kind"] == ('Literal["round", "flat"]', OPT, VALUE)
    assert widget["state"] == ('Literal["on", "off", "standby"]', REQ, VALUE)
    assert fields_of(model(modules, "Gadget"))["host"] == ("Widget", OPT, VALUE)
    assert warnings == []


def test_enum_pages_make_no_models() -> None:
    modules, _ = read("widgets")
    by_name = {module.name: module for module in modules}
    assert by_name["widgetkind"].models == ()
    assert by_name["widgetstate"].models == ()


def test_graph_properties_and_relationships_merge() -> None:
    modules, _ = read("graph")
    assert [m.name for module in modules for m in module.models] == ["Shelf"]
    shelf = fields_of(model(modules, "Shelf"))
    assert list(shelf)[-1] == "books"
    assert shelf["books"] == ("list[Any]", OPT, VALUE)


def test_graph_sentences_and_collections() -> None:
    modules, _ = read("graph")
    shelf = fields_of(model(modules, "Shelf"))
    assert shelf["label"] == (S, REQ, VALUE)
    assert shelf["height"] == (I, OPT, VALUE)
    assert shelf["colours"] == ('list[Literal["red", "green", "blue"]]', OPT, VALUE)
    assert shelf["openedDateTime"] == ("datetime", OPT, VALUE)
    assert shelf["status"] == (
        'Literal["open", "closed", "unknownFutureValue"]',
        OPT,
        VALUE,
    )
    assert shelf["note"] == (S, OPT, VALUE)


def test_graph_links_to_missing_pages_warn() -> None:
    modules, warnings = read("graph")
    assert fields_of(model(modules, "Shelf"))["owner"] == ("Any", OPT, VALUE)
    assert warnings == [
        (
            "shelf.md:30: type 'identity' of property 'owner' links to 'identity.md', "
            "which matches no model or enumeration; using Any"
        ),
        (
            "shelf.md:37: type 'book collection' of property 'books' links to 'book.md', "
            "which matches no model or enumeration; using Any"
        ),
    ]


def test_gitlab_unions_and_yes_no() -> None:
    modules, warnings = read("gitlab")
    tags = fields_of(model(modules, "ListReleaseTags"))
    assert tags == {
        "id": ("int | str", REQ, VALUE),
        "tag": ("int | str", OPT, VALUE),
        "limit": (I, OPT, VALUE),
    }
    assert warnings == []


def test_home_assistant_defaults_and_no_pipes() -> None:
    """Default column with ``None`` and ``**Required**``; rows without trailing pipes."""
    modules, warnings = read("homeassistant")
    lamp = model(modules, "Lamp")
    assert fields_of(lamp) == {
        "is_lit": (B, OPT, NULL),
        "modes": ("list[str]", REQ, VALUE),
        "watts": (F, OPT, NULL),
    }
    assert [field.default for field in lamp.fields] == [None, None, None]
    assert warnings == []


def test_openapi_generator_notes_column() -> None:
    """``[optional]`` marks optional rows, so the other rows are required."""
    modules, warnings = read("petstore")
    bird = fields_of(model(modules, "Bird"))
    assert bird == {
        "id": (I, OPT, VALUE),
        "nest": ("Nest", OPT, VALUE),
        "name": (S, REQ, VALUE),
        "songs": ("list[str]", REQ, VALUE),
        "stage": ('Literal["egg", "chick", "adult"]', OPT, VALUE),
    }
    assert warnings == []


def test_openapi_generator_python_spellings() -> None:
    modules, _ = read("petstore")
    nest = model(modules, "Nest")
    assert fields_of(nest) == {
        "height": (I, OPT, VALUE),
        "material": (S, REQ, VALUE),
        "tags": ("dict[str, str]", OPT, VALUE),
        "eggs": ("list[Bird]", OPT, VALUE),
        "shape": (S, OPT, VALUE),
        "built": ("datetime", OPT, VALUE),
        "photos": ("list[str]", OPT, VALUE),
        "hatched": (I, OPT, VALUE),
    }
    assert nest.fields[4].default == "round"
    assert "\\&quot;" not in nest.fields[2].description


def test_otel_anchored_dotted_keys_stay_flat() -> None:
    """``<a id>`` around a backticked dotted name, badges, ``<br>``, footnotes, ``\\``."""
    modules, warnings = read("otel")
    assert [m.name for module in modules for m in module.models] == ["Lantern"]
    lantern = model(modules, "Lantern")
    assert fields_of(lantern) == {
        "lantern.fuel": (S, OPT, VALUE),
        "lantern.wick.ids": ("list[str]", OPT, VALUE),
        "lantern.lumens": (I, OPT, VALUE),
    }
    assert [field.name for field in lantern.fields] == [
        "lantern_fuel",
        "lantern_wick_ids",
        "lantern_lumens",
    ]
    assert warnings == []


def test_woocommerce_inline_labels_and_options() -> None:
    modules, _ = read("woo")
    note = model(modules, "GardenNote")
    assert fields_of(note) == {
        "id": (I, OPT, VALUE),
        "text": (S, REQ, VALUE),
        "planted": ("datetime", OPT, VALUE),
        "public": (B, OPT, VALUE),
    }
    assert note.fields[3].default is False
    params = model(modules, "ListGardenNotesParams")
    assert fields_of(params) == {"scope": ('Literal["view", "edit"]', OPT, VALUE)}
    assert params.fields[0].default == "view"


def test_chartjs_entity_pipe_unions_and_defaults() -> None:
    modules, warnings = read("chartjs")
    legend = model(modules, "Legend")
    assert fields_of(legend)["gap"] == ("float | str", OPT, VALUE)
    assert fields_of(legend)["heading"] == ("str | list[str]", OPT, VALUE)
    defaults = {field.wire_name: field.default for field in legend.fields}
    assert defaults == {
        "show": True,
        "align": "center",
        "gap": 4,
        "heading": "",
        "font": "'Courier New', monospace",
        "tint": "#000",
    }
    assert warnings == [
        "legend.md:16: unknown type 'Color' for property 'tint'; using Any"
    ]


def test_opensearch_parameter_tables_and_liquid() -> None:
    modules, warnings = read("opensearch")
    params = model(modules, "FetchArchiveParams")
    assert fields_of(params) == {
        "vault": (S, OPT, VALUE),
        "archive": (S, OPT, VALUE),
        "verbose": (B, OPT, VALUE),
    }
    response = fields_of(model(modules, "FetchArchiveResponse"))
    assert response["size_in_bytes"] == (I, OPT, VALUE)
    assert response["state"] == ('Literal["OPEN", "SEALED"]', OPT, VALUE)
    assert response["stats"] == ("dict[str, Any]", OPT, VALUE)
    assert warnings == [
        "fetch-archive.md:18: row has no trailing pipe, unlike the header row"
    ]


def test_ecs_type_inside_description() -> None:
    modules, _ = read("ecs")
    kettle = model(modules, "Kettle")
    assert fields_of(kettle) == {
        "kettle.id": (S, OPT, VALUE),
        "kettle.litres": (F, OPT, VALUE),
    }
    assert kettle.fields[0].type_text == "keyword"


def test_broken_tables_warn_with_line() -> None:
    modules, warnings = read("broken")
    assert warnings == [
        (
            "kiosk-events.md:13: row has 2 cells but the header has 3; "
            "the missing cells are read as empty"
        ),
        (
            "kiosk-events.md:14: row has 4 cells but the header has 3; "
            "the extra cells are ignored"
        ),
        "kiosk-events.md:15: row has no trailing pipe, unlike the header row",
        (
            "kiosk-events.md:19: table header has no body: no separator row "
            "(such as | --- | --- |) follows the header row; the table is skipped"
        ),
        (
            "kiosk-events.md:24: table is broken: no separator row (such as | --- | --- |) "
            "follows the header row; read 2 rows below it"
        ),
        (
            "kiosk-events.md:30: table is broken: the separator row has 2 cells but the "
            "header row has 3; read 1 row below it"
        ),
    ]
    assert [m.name for m in modules[0].models] == ["Kiosk", "Receipt", "Voucher"]


def test_broken_tables_best_reading() -> None:
    modules, _ = read("broken")
    kiosk = model(modules, "Kiosk")
    assert [field.wire_name for field in kiosk.fields] == [
        "kiosk",
        "opened",
        "floor",
        "aisle",
    ]
    assert kiosk.fields[2].description == "Floor number."
    assert fields_of(model(modules, "Receipt")) == {
        "total": (F, OPT, VALUE),
        "paid_at": (S, OPT, VALUE),
    }


def test_html_table_with_lines() -> None:
    modules, warnings = read("html")
    lock = model(modules, "Lock")
    assert fields_of(lock) == {
        "code": (S, REQ, VALUE),
        "tries": (I, OPT, NULL),
        "owner": ("Keeper", OPT, VALUE),
    }
    assert [field.location.line for field in lock.fields] == [10, 16, 21]
    assert warnings == []


@pytest.mark.parametrize(
    ("folder", "name"), [("languages", "Fahrrad"), ("languages", "Bicicleta")]
)
def test_non_english_headers(folder: str, name: str) -> None:
    modules, _ = read(folder)
    fields = list(fields_of(model(modules, name)).values())
    assert fields == [(S, REQ, VALUE), (I, OPT, VALUE)]


def test_strict_turns_warnings_into_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.cli import main

    monkeypatch.chdir(FIXTURES / "broken")
    assert main(["inspect", "--strict", "--root", ".", "."]) == 2
    assert main(["inspect", "--root", ".", "."]) == 0
