"""The QuickBlox model pages, end to end: spec, generated code, round trips and errors."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.spec import ListOf, ModelRef, Scalar, read_spec_dir

from .conftest import corpus_dir, generate


@pytest.fixture(scope="module")
def quickblox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("quickblox")
    shutil.copytree(corpus_dir("quickblox"), root / "docs")
    generate(root, ["docs"], package="qbmodels")
    return root


def _models(root: Path) -> dict[str, Any]:
    return {model.name: model for module in read_spec_dir(root / "spec") for model in module.models}


def test_every_model_page_yields_a_model(quickblox: Path) -> None:
    pages = sorted(path.stem for path in (quickblox / "docs").glob("*-model.md"))
    modules = {module.source: module for module in read_spec_dir(quickblox / "spec")}
    for stem in pages:
        module = modules.get(f"docs/{stem}.md")
        assert module is not None, f"no module for {stem}"
        assert module.models, f"no model in {stem}"


def test_session_fields_match_the_page(quickblox: Path) -> None:
    session = _models(quickblox)["Session"]
    fields = {field.wire_name: field for field in session.fields}
    expected = {
        "id": "int", "application_id": "int", "user_id": "int", "created_at": "datetime",
        "updated_at": "datetime", "nonce": "int", "token": "str", "ts": "int", "_id": "str",
    }  # fmt: skip
    assert {name: field.type for name, field in fields.items()} == {
        name: Scalar(kind) for name, kind in expected.items()  # type: ignore[arg-type]
    }
    assert fields["_id"].name == "id_"
    assert fields["id"].name == "id"
    for field in session.fields:
        assert field.description, f"{field.wire_name} has no description"
    assert fields["token"].description.startswith("Session identifier.")
    assert fields["ts"].location.line == 16


def test_subscription_nests_dotted_rows(quickblox: Path) -> None:
    models = _models(quickblox)
    subscription = {field.wire_name: field for field in models["Subscription"].fields}
    assert subscription["notification_channel"].type == ModelRef(
        "SubscriptionNotificationChannel", "subscription_model"
    )
    assert subscription["device"].type == ModelRef("SubscriptionDevice", "subscription_model")
    device = {field.wire_name: field for field in models["SubscriptionDevice"].fields}
    assert device["platform"].type == ModelRef("SubscriptionDevicePlatform", "subscription_model")
    platform = models["SubscriptionDevicePlatform"]
    assert [field.wire_name for field in platform.fields] == ["name"]


def test_array_fields_become_lists(quickblox: Path) -> None:
    dialog = {field.wire_name: field for field in _models(quickblox)["Dialog"].fields}
    assert dialog["occupants_ids"].type == ListOf(Scalar("int"))
    message = {field.wire_name: field for field in _models(quickblox)["Message"].fields}
    assert message["attachments"].type == ListOf(Scalar("object"))


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("mypy", ["--strict", "--no-incremental", "qbmodels"]),
        ("ruff", ["check", "--no-cache", "qbmodels"]),
        ("black", ["--check", "qbmodels"]),
    ],
)
def test_generated_package_passes(quickblox: Path, tool: str, arguments: list[str]) -> None:
    executable = Path(sys.executable).with_name(tool)
    completed = subprocess.run(
        [str(executable), *arguments], cwd=quickblox, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.fixture
def qbmodels(quickblox: Path) -> Any:
    sys.path.insert(0, str(quickblox))
    try:
        yield importlib.import_module("qbmodels")
    finally:
        sys.path.remove(str(quickblox))


def test_session_round_trip(qbmodels: Any) -> None:
    payload = {
        "id": 7, "application_id": 2, "user_id": 3, "created_at": "2024-03-01T10:00:00Z",
        "updated_at": "2024-03-01T10:05:00.250000+02:00", "nonce": 11, "token": "t0k",
        "ts": 1709287200, "_id": "65e1a0",
    }  # fmt: skip
    session = qbmodels.Session.from_dict(payload)
    assert session.created_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert session.id_ == "65e1a0"
    assert session.to_dict() == payload
    assert qbmodels.Session.from_dict(session.to_dict()) == session
    assert qbmodels.Session.from_json(session.to_json()) == session


def test_absent_optional_fields_stay_missing(qbmodels: Any) -> None:
    session = qbmodels.Session.from_dict({"id": 1})
    assert session.token is qbmodels.MISSING
    assert session.to_dict() == {"id": 1}


def test_nested_round_trip(qbmodels: Any) -> None:
    payload = {
        "id": 1,
        "notification_channel": {"name": "apns"},
        "device": {"udid": "u-1", "platform": {"name": "ios"}},
    }
    subscription = qbmodels.Subscription.from_dict(payload)
    assert subscription.device.platform.name == "ios"
    assert subscription.to_dict() == payload


def test_wrong_type_names_its_path(qbmodels: Any) -> None:
    payload = {"device": {"platform": {"name": 5}}}
    with pytest.raises(qbmodels.ValidationError) as caught:
        qbmodels.Subscription.from_dict(payload)
    assert str(caught.value) == (
        "Subscription.device.platform.name: expected one of 'ios', 'android', got 5"
    )
    assert [error.path for error in caught.value.errors] == ["Subscription.device.platform.name"]


def test_every_error_is_listed(qbmodels: Any) -> None:
    payload = {"id": "7", "occupants_ids": [1, "2", 3], "created_at": "yesterday"}
    with pytest.raises(qbmodels.ValidationError) as caught:
        qbmodels.Dialog.from_dict(payload)
    paths = [error.path for error in caught.value.errors]
    assert paths == ["Dialog.created_at", "Dialog.occupants_ids[1]"]


def test_bool_is_not_an_int(qbmodels: Any) -> None:
    with pytest.raises(qbmodels.ValidationError) as caught:
        qbmodels.Session.from_dict({"id": True})
    assert str(caught.value) == "Session.id: expected int, got bool"


def test_placeholder_rows_keep_extra_keys(qbmodels: Any) -> None:
    payload = {"_id": "m1", "message": "hi", "mood": "happy"}
    message = qbmodels.Message.from_dict(payload)
    assert message.extra == {"mood": "happy"}
    assert message.to_dict() == payload


def test_intro_paragraph_describes_model(quickblox: Path) -> None:
    models = _models(quickblox)
    assert models["File"].description.startswith("The file field type exists")
    assert models["Session"].description == ""
