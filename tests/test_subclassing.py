"""Subclasses of generated models that override from_dict or to_dict, and references
to the serializers, before and after the generated class compiled them."""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import pytest

from .serde_support import FEATURE_MODULE, import_package, write_package

_NAMES = itertools.count()

PAYLOAD = {"street": "Elm 4", "zip": "1234"}


@pytest.fixture
def fresh(tmp_path: Path) -> ModuleType:
    """A newly imported package, so that no class has compiled its serializers."""
    name = f"serde_subclass_{next(_NAMES)}"
    write_package([FEATURE_MODULE], tmp_path, name)
    features: ModuleType = import_package(tmp_path, name).features
    return features


def _subclasses(features: ModuleType) -> tuple[type[Any], type[Any]]:
    """An Address subclass that overrides to_dict and one that overrides from_dict."""

    class Labelled(features.Address):  # type: ignore[misc,name-defined]
        def to_dict(self) -> dict[str, Any]:
            out: dict[str, Any] = super().to_dict()
            out["label"] = "home"
            return out

    class Trimmed(features.Address):  # type: ignore[misc,name-defined]
        @classmethod
        def from_dict(cls, data: dict[str, Any]) -> Any:
            return super().from_dict({**data, "street": data["street"].strip()})

    return Labelled, Trimmed


@pytest.mark.parametrize("base_first", [False, True], ids=["fresh", "compiled"])
def test_to_dict_override_calls_generated(fresh: ModuleType, base_first: bool) -> None:
    if base_first:
        fresh.Address.from_dict(PAYLOAD).to_dict()
    labelled, _ = _subclasses(fresh)
    for _ in range(2):
        instance = labelled.from_dict(PAYLOAD)
        assert type(instance) is labelled
        assert instance.to_dict() == {**PAYLOAD, "label": "home"}
    assert fresh.Address.from_dict(PAYLOAD).to_dict() == PAYLOAD


@pytest.mark.parametrize("base_first", [False, True], ids=["fresh", "compiled"])
def test_from_dict_override_stays(fresh: ModuleType, base_first: bool) -> None:
    if base_first:
        fresh.Address.from_dict(PAYLOAD)
    _, trimmed = _subclasses(fresh)
    for _ in range(3):
        instance = trimmed.from_dict({"street": "  Elm 4 ", "zip": None})
        assert type(instance) is trimmed
        assert instance.street == "Elm 4"
    assert fresh.Address.from_dict({"street": " x"}).street == " x"


def test_subclass_slow_path(fresh: ModuleType) -> None:
    labelled, _ = _subclasses(fresh)

    # A Mapping that is not a dict takes the runtime checker, as do invalid values.
    instance = labelled.from_dict(MappingProxyType(PAYLOAD))
    assert type(instance) is labelled
    assert instance.to_dict() == {**PAYLOAD, "label": "home"}

    with pytest.raises(fresh.rt.ValidationError) as raised:
        labelled.from_dict({"street": 4})
    assert [str(detail) for detail in raised.value.errors] == [
        "Address.street: expected str, got int"
    ]


def test_subclass_fields_and_post_init(fresh: ModuleType) -> None:
    """A dataclass subclass gets its own defaults and __post_init__ from from_dict."""

    @dataclasses.dataclass(slots=True, kw_only=True)
    class Checked(fresh.Address):  # type: ignore[misc,name-defined]
        seen: bool = False
        upper: str = ""

        def __post_init__(self) -> None:
            self.upper = self.street.upper()

    for _ in range(2):
        instance = Checked.from_dict(PAYLOAD)
        assert type(instance) is Checked
        assert instance.seen is False
        assert instance.upper == "ELM 4"
        assert instance.to_dict() == PAYLOAD
    assert type(fresh.Address.from_dict(PAYLOAD)) is fresh.Address



def test_early_reference_is_compiled(fresh: ModuleType) -> None:
    """A method looked up before any call is already the compiled function, so a
    captured reference (``decode = Model.from_dict``) costs no extra call."""
    decode = fresh.Address.from_dict
    encode = fresh.Address.to_dict

    assert decode.__func__ is vars(fresh.Address)["from_dict"].__func__
    assert encode is vars(fresh.Address)["to_dict"]
    assert encode(decode(PAYLOAD)) == PAYLOAD
    assert "ValidationError" in (decode.__doc__ or "")


def test_base_class_is_not_compiled(fresh: ModuleType) -> None:
    model = fresh.rt.Model

    assert "Build an instance" in (model.from_dict.__doc__ or "")
    with pytest.raises(TypeError, match="is not a generated model"):
        fresh.rt.compile_serializers(model)
    assert "to_dict" not in vars(fresh.Address), "looking at the base compiles nothing"
