"""Overrides in [tool.docmodels.overrides] fix what a page gets wrong."""

from __future__ import annotations

import pytest

from generator.errors import DocmodelsError

from .dialect_helpers import FIXTURES, fields_of, messages, model, read_folder


def test_field_rename_and_flags() -> None:
    modules, _ = read_folder(
        FIXTURES / "homeassistant",
        {
            "Lamp.is_lit": {"name": "lit"},
            "Lamp.modes": {"required": False, "nullable": True},
        },
    )
    lamp = model(modules, "Lamp")
    assert [field.name for field in lamp.fields] == ["lit", "modes", "watts"]
    assert fields_of(lamp)["modes"] == ("list[str]", False, True)


def test_field_type_silences_its_warning() -> None:
    modules, diagnostics = read_folder(
        FIXTURES / "chartjs", {"Legend.tint": {"type": "string or array of string"}}
    )
    assert fields_of(model(modules, "Legend"))["tint"] == (
        "str | list[str]",
        False,
        False,
    )
    assert messages(diagnostics) == []


def test_field_type_names_a_model() -> None:
    modules, _ = read_folder(FIXTURES / "badges", {"Crest.edge": {"type": "Badge"}})
    assert fields_of(model(modules, "Crest"))["edge"] == ("Badge", True, False)


def test_model_rename_updates_references() -> None:
    modules, _ = read_folder(FIXTURES / "widgets", {"gadget:Gadget": {"name": "Part"}})
    assert fields_of(model(modules, "Widget"))["parts"][0] == "list[Part]"
    assert model(modules, "Part").fields[0].wire_name == "serial"


def test_colon_in_wire_name_is_not_a_module() -> None:
    modules, diagnostics = read_folder(
        FIXTURES / "homeassistant", {"Lamp.is_lit:x": {"skip": True}}
    )
    assert messages(diagnostics) == [
        "pyproject.toml: override 'Lamp.is_lit:x' matches no field"
    ]
    assert len(model(modules, "Lamp").fields) == 3


def test_skip_table_and_field() -> None:
    modules, _ = read_folder(
        FIXTURES / "woo",
        {"ListGardenNotesParams": {"skip": True}, "GardenNote.public": {"skip": True}},
    )
    assert [m.name for m in modules[0].models] == ["GardenNote"]
    assert list(fields_of(model(modules, "GardenNote"))) == ["id", "text", "planted"]


def test_skip_table_drops_its_warnings() -> None:
    _, diagnostics = read_folder(FIXTURES / "broken", {"Kiosk": {"skip": True}})
    assert [line.split(":")[1] for line in messages(diagnostics)] == ["19", "24", "30"]


def test_unknown_keys_policy_per_model() -> None:
    modules, _ = read_folder(
        FIXTURES / "homeassistant", {"Lamp": {"unknown-keys": "keep"}}
    )
    assert model(modules, "Lamp").unknown_keys == "keep"


def test_unknown_setting_lists_valid_ones() -> None:
    with pytest.raises(DocmodelsError) as raised:
        read_folder(FIXTURES / "homeassistant", {"Lamp.modes": {"rename": "x"}})
    assert raised.value.message == "override 'Lamp.modes' has unknown settings rename"
    assert (
        raised.value.hint == "valid settings are: name, type, required, nullable, skip"
    )


def test_field_rename_collision_rejected() -> None:
    with pytest.raises(DocmodelsError) as raised:
        read_folder(FIXTURES / "homeassistant", {"Lamp.is_lit": {"name": "modes"}})
    assert raised.value.message == (
        "override 'Lamp.is_lit': two fields of Lamp would be named 'modes'"
    )


def test_invalid_python_name_rejected() -> None:
    with pytest.raises(DocmodelsError) as raised:
        read_folder(FIXTURES / "homeassistant", {"Lamp": {"name": "class"}})
    assert "not a valid Python identifier" in raised.value.message


def test_override_matching_nothing_warns() -> None:
    _, diagnostics = read_folder(
        FIXTURES / "homeassistant",
        {"Lamp.colour": {"skip": True}, "Torch": {"skip": True}},
    )
    assert messages(diagnostics) == [
        "pyproject.toml: override 'Lamp.colour' matches no field",
        "pyproject.toml: override 'Torch' matches no model",
    ]
