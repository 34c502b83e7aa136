"""Spec files are input too: hand-edited names are rejected and hand-edited text
reaches the code only through the same escaping as page text."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from generator.config import Config
from generator.errors import DocmodelsError
from generator.pipeline import run
from generator.spec import read_spec_dir

from .generated_code import check_package, generate, imported_package

PAGE = """# User

| Property | Type | Description |
|---|---|---|
| userId | int | Owner. |
| device.platform | string | Platform. |
"""


@pytest.fixture
def spec_document(tmp_path: Path) -> dict[str, Any]:
    generate(tmp_path, {"user.md": PAGE})
    document: dict[str, Any] = json.loads((tmp_path / "spec" / "user.json").read_text())
    return document


def render_spec(root: Path, document: dict[str, Any]) -> None:
    """Write the spec file, render from it and check the package."""
    spec_file = root / "spec" / "user.json"
    spec_file.write_text(json.dumps(document), encoding="utf-8")
    run(Config(root=root, spec_dir="spec", output_dir="out/models"), from_spec=True)
    modules = read_spec_dir(root / "spec")
    files = {
        path.name: path.read_text(encoding="utf-8")
        for path in (root / "out" / "models").glob("*.py")
    }
    check_package(root, modules, files)


def rejected(root: Path, document: dict[str, Any]) -> str:
    with pytest.raises(DocmodelsError) as caught:
        render_spec(root, document)
    return str(caught.value)


def user_model(document: dict[str, Any]) -> dict[str, Any]:
    (model,) = [model for model in document["models"] if model["name"] == "User"]
    return model


def test_generated_spec_renders(tmp_path: Path, spec_document: dict[str, Any]) -> None:
    render_spec(tmp_path, spec_document)
    assert (tmp_path / "out" / "models" / "user.py").is_file()


@pytest.mark.parametrize(
    "name", ["__init__", "_runtime", "os.path", "class", "User", "a/b", "x" * 80]
)
def test_module_name_rejected(
    tmp_path: Path, spec_document: dict[str, Any], name: str
) -> None:
    spec_document["module"] = name
    message = rejected(tmp_path, spec_document)
    assert message.startswith(f"{(tmp_path / 'spec' / 'user.json').as_posix()}: ")
    assert "cannot use as a module name" in message


@pytest.mark.parametrize(
    "name", ["Any", "json", "os.system", "User()", "Ünicode", "_X", "None"]
)
def test_model_name_rejected(
    tmp_path: Path, spec_document: dict[str, Any], name: str
) -> None:
    user_model(spec_document)["name"] = name
    assert "cannot use as a model name" in rejected(tmp_path, spec_document)


@pytest.mark.parametrize("name", ["str", "int", "list", "dict", "annotations", "user"])
def test_lowercase_model_name_rejected(
    tmp_path: Path, spec_document: dict[str, Any], name: str
) -> None:
    """A model named ``str`` would turn every ``str`` annotation of its module into
    the model, and one named after a module would replace that module in the
    package namespace. The models docmodels names are CamelCase."""
    model = user_model(spec_document)
    spec_document["models"].append(
        {**model, "name": name, "fields": [dict(model["fields"][1])]}
    )
    model["fields"][0]["type"] = {"kind": "model", "name": name, "module": "user"}
    assert "cannot use as a model name" in rejected(tmp_path, spec_document)


@pytest.mark.parametrize(
    "name", ["field", "rt", "from_dict", "x: int = 1", "FIELDS", "_keys", "ｉｆ", "if"]
)
def test_field_name_rejected(
    tmp_path: Path, spec_document: dict[str, Any], name: str
) -> None:
    user_model(spec_document)["fields"][0]["name"] = name
    assert "cannot use as a field name" in rejected(tmp_path, spec_document)


def test_duplicate_field_rejected(
    tmp_path: Path, spec_document: dict[str, Any]
) -> None:
    fields = user_model(spec_document)["fields"]
    fields.append(dict(fields[0]))
    assert "field 'user_id' appears twice in model 'User'" in rejected(
        tmp_path, spec_document
    )


def test_duplicate_wire_name_rejected(
    tmp_path: Path, spec_document: dict[str, Any]
) -> None:
    fields = user_model(spec_document)["fields"]
    fields.append({**fields[0], "name": "other"})
    assert "wire name 'userId' appears twice in model 'User'" in rejected(
        tmp_path, spec_document
    )


@pytest.mark.parametrize(
    "reference",
    [
        {"kind": "model", "name": "Other", "module": "user"},
        {"kind": "model", "name": "UserDevice", "module": "elsewhere"},
        {"kind": "model", "name": 'os.system("id")', "module": "user"},
        {"kind": "list", "item": {"kind": "model", "name": "Nope", "module": "user"}},
    ],
)
def test_model_reference_rejected(
    tmp_path: Path, spec_document: dict[str, Any], reference: dict[str, Any]
) -> None:
    user_model(spec_document)["fields"][0]["type"] = reference
    assert "which no spec file defines" in rejected(tmp_path, spec_document)


@pytest.mark.parametrize(
    "type_json",
    [
        {"kind": "literal", "values": []},
        {"kind": "literal", "values": [1.5]},
        {"kind": "literal", "values": [None]},
        {"kind": "literal", "values": [[1]]},
        {"kind": "literal", "values": [2**64]},
        {"kind": "literal", "values": [-(2**63)]},
        {"kind": "union", "options": []},
        {"kind": "eval"},
    ],
)
def test_invalid_type_rejected(
    tmp_path: Path, spec_document: dict[str, Any], type_json: dict[str, Any]
) -> None:
    user_model(spec_document)["fields"][0]["type"] = type_json
    assert "invalid type" in rejected(tmp_path, spec_document)


def test_deep_type_rejected(tmp_path: Path, spec_document: dict[str, Any]) -> None:
    deep: dict[str, Any] = {"kind": "int"}
    for _ in range(40):
        deep = {"kind": "list", "item": deep}
    user_model(spec_document)["fields"][0]["type"] = deep
    assert "type nested deeper than 32 levels" in rejected(tmp_path, spec_document)


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000, '{"a": ' + "9" * 5000 + "}", '{"a": NaN'],
    ids=["deep arrays", "long integer", "broken"],
)
def test_broken_json_rejected(tmp_path: Path, text: str) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "user.json").write_text(text)
    with pytest.raises(DocmodelsError) as caught:
        run(Config(root=tmp_path, spec_dir="spec"), from_spec=True)
    assert "invalid JSON" in str(caught.value)


def test_spec_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "user.json").write_bytes(b'{"a": "\xff"}')
    with pytest.raises(DocmodelsError) as caught:
        run(Config(root=tmp_path, spec_dir="spec"), from_spec=True)
    assert "invalid UTF-8 byte at offset 7" in str(caught.value)


def test_two_files_with_one_module(
    tmp_path: Path, spec_document: dict[str, Any]
) -> None:
    (tmp_path / "spec" / "copy.json").write_text(json.dumps(spec_document))
    assert "module 'user' is also defined in" in rejected(tmp_path, spec_document)


HOSTILE_STRINGS = [
    '"""',
    "'''",
    "ends in \\",
    "{{ 7*7 }}",
    "\u2028\x0b\x0c\x1c\x85\u202e\x00",
    '__import__("os").system("id")',
    "coding: utf-7 # noqa",
]


def test_hostile_strings_stay_in_constants(
    tmp_path: Path, spec_document: dict[str, Any]
) -> None:
    joined = " ".join(HOSTILE_STRINGS)
    spec_document["source"] = joined
    model = user_model(spec_document)
    model["title"] = model["description"] = joined
    for index, field in enumerate(model["fields"]):
        field["wire_name"] = f"{joined} {index}"
        field["description"] = joined
    model["fields"][0]["type"] = {
        "kind": "literal",
        "values": [*HOSTILE_STRINGS, 7, True],
    }
    render_spec(tmp_path, spec_document)
    code = (tmp_path / "out" / "models" / "user.py").read_text()
    assert "\u2028" not in code
    assert "\x00" not in code
    assert code.splitlines()[0].count("#") == 1


def test_literal_values_round_trip(
    tmp_path: Path, spec_document: dict[str, Any]
) -> None:
    model = user_model(spec_document)
    model["fields"][0]["type"] = {"kind": "literal", "values": HOSTILE_STRINGS}
    render_spec(tmp_path, spec_document)
    with imported_package(tmp_path / "out") as package:
        for value in HOSTILE_STRINGS:
            user = package.User.from_dict({"userId": value})
            assert user.user_id == value
        with pytest.raises(package.ValidationError):
            package.User.from_dict({"userId": "49"})


def test_hostile_wire_names_round_trip(
    tmp_path: Path, spec_document: dict[str, Any]
) -> None:
    """Wire keys reach the compiled serializers as literals, never as code."""
    model = user_model(spec_document)
    keys = [f"{text} {index}" for index, text in enumerate(HOSTILE_STRINGS)]
    fields = [dict(model["fields"][0]) for _ in keys]
    for index, (field, key) in enumerate(zip(fields, keys, strict=True)):
        field.update(
            name=f"field_{index}", wire_name=key, type={"kind": "str"}, required=False
        )
    model["fields"] = fields
    render_spec(tmp_path, spec_document)

    with imported_package(tmp_path / "out") as package:
        payload = {key: key[::-1] for key in keys}
        user = package.User.from_dict(payload)
        assert "from_dict" in vars(package.User), "from_dict was compiled"
        assert user.to_dict() == payload
        with pytest.raises(package.ValidationError) as raised:
            package.User.from_dict({keys[5]: 5})
        assert [error.path for error in raised.value.errors] == [f"User.{keys[5]}"]


@pytest.mark.parametrize(
    "attribute", ["x = __import__('os')", "__class__", "_x", "\ufb01eld", "class"]
)
def test_compiler_rejects_invalid_attribute(
    tmp_path: Path, spec_document: dict[str, Any], attribute: str
) -> None:
    """A hand-edited FIELDS table cannot put code into the compiled serializers,
    nor make them set another attribute than the runtime checker: Python reads
    ``obj.\ufb01eld`` as ``obj.field``, and ``obj.__class__`` changes the class."""
    render_spec(tmp_path, spec_document)
    with imported_package(tmp_path / "out") as package:
        runtime = package._runtime

        @dataclasses.dataclass(slots=True)
        class Edited(runtime.Model[dict[str, Any]]):
            pass

        Edited.FIELDS = (runtime.FieldDesc(attribute, ("str",)),)
        with pytest.raises(TypeError, match="invalid attribute name"):
            Edited.from_dict({})
