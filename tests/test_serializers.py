"""Behaviour of the generated from_dict/to_dict on a spec with every kind of field:
presence, strict types, error reports, dates and times, and unknown keys."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.config import Limits
from generator.errors import Diagnostics
from generator.parse import parse_page
from generator.sources import Page

from .conftest import generate
from .serde_support import FEATURE_MODULE, import_package, write_package


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    """The feature spec generated once per naive-datetimes policy."""
    folder = tmp_path_factory.mktemp("serializers")
    found = {}
    for policy in ("keep", "assume-utc", "reject"):
        name = "serde_naive_" + policy.replace("-", "_")
        write_package([FEATURE_MODULE], folder, name, policy)
        found[policy] = import_package(folder, name).features
    return found


@pytest.fixture(scope="module")
def models(packages: dict[str, ModuleType]) -> ModuleType:
    return packages["keep"]


def _message(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"id": 1, "text": "hi", "status": "new", "loose": 0}
    payload.update(changes)
    return payload


def _error_paths(models: ModuleType, name: str, payload: Any) -> list[str]:
    with pytest.raises(models.rt.ValidationError) as raised:
        getattr(models, name).from_dict(payload)
    return [detail.path for detail in raised.value.errors]


# ---------------------------------------------------------------------------
# Presence: absent, null, value


def test_absent_optional_is_missing(models: ModuleType) -> None:
    message = models.Message.from_dict(_message())

    assert message.score is models.MISSING
    assert message.address is models.MISSING
    assert "score" not in message.to_dict()


def test_null_kept_where_nullable(models: ModuleType) -> None:
    message = models.Message.from_dict(_message(text=None, address=None, flag=None))

    assert message.text is None
    assert message.address is None
    assert message.to_dict() == _message(text=None, address=None, flag=None)


def test_null_rejected_where_not_nullable(models: ModuleType) -> None:
    paths = _error_paths(models, "Message", _message(score=None, id=None))

    assert paths == ["Message.id", "Message.score"]


def test_typeddict_marks_optional_keys(models: ModuleType) -> None:
    wire = models.MessageDict

    assert {"id", "text", "status", "loose"} == wire.__required_keys__
    assert "x-rate" in wire.__optional_keys__


def test_constructor_defaults_to_missing(models: ModuleType) -> None:
    message = models.Message(id=1, text=None, status="read", loose=[1])

    assert message.to_dict() == {"id": 1, "text": None, "status": "read", "loose": [1]}


# ---------------------------------------------------------------------------
# Strict types


@pytest.mark.parametrize(
    ("changes", "path", "expected", "actual"),
    [
        ({"id": True}, "Message.id", "int", "bool"),
        ({"id": "1"}, "Message.id", "int", "str"),
        ({"id": 1.0}, "Message.id", "int", "float"),
        ({"flag": 1}, "Message.flag", "bool", "int"),
        ({"score": True}, "Message.score", "float", "bool"),
        ({"score": "1.5"}, "Message.score", "float", "str"),
        ({"score": 10**400}, "Message.score", "float", "int"),
        ({"ratios": [10**400]}, "Message.ratios[0]", "float", "int"),
        ({"text": 5}, "Message.text", "str", "int"),
        ({"status": "gone"}, "Message.status", "one of 'new', 'read'", "'gone'"),
        ({"level": True}, "Message.level", "one of 1, 2, 3", "True"),
        ({"mixed": 2}, "Message.mixed", "one of 'a', 1, True", "2"),
        ({"tags": ["a", 2]}, "Message.tags[1]", "str", "int"),
        ({"grid": [[1], [2, "x"]]}, "Message.grid[1][1]", "int", "str"),
        ({"ratios": [1.5, None]}, "Message.ratios[1]", "float", "null"),
        ({"counts": {"a": 1, "b": "2"}}, "Message.counts['b']", "int", "str"),
        ({"either": 1.5}, "Message.either", "int or str", "float"),
        ({"meta": []}, "Message.meta", "object", "array"),
        ({"address": {"zip": 1}}, "Message.address.street", "a value", None),
    ],
)
def test_wrong_type_is_reported(
    models: ModuleType,
    changes: dict[str, Any],
    path: str,
    expected: str,
    actual: str | None,
) -> None:
    with pytest.raises(models.rt.ValidationError) as raised:
        models.Message.from_dict(_message(**changes))

    first = raised.value.errors[0]
    assert first.path == path
    assert first.expected == expected
    if actual is not None:
        assert first.actual == actual


def test_int_accepted_for_float(models: ModuleType) -> None:
    message = models.Message.from_dict(_message(score=3, ratios=[1, 2.5]))

    assert message.score == 3.0
    assert type(message.score) is float
    assert [type(ratio) for ratio in message.ratios] == [float, float]


def test_nested_models_are_built(models: ModuleType) -> None:
    payload = _message(
        attachments=[{"id": 1, "size": 10, "kind": "image"}],
        address={"street": "Main", "zip": None},
        places={"home": {"street": "Elm"}},
    )
    message = models.Message.from_dict(payload)

    assert message.attachments[0] == models.Attachment(id=1, size=10, kind="image")
    assert message.address.zip is None
    assert message.places["home"].zip is models.MISSING
    assert message.to_dict() == payload


def test_to_dict_keeps_page_order(models: ModuleType) -> None:
    payload = _message(score=1.5, **{"x-rate": 3})
    del payload["loose"]
    payload["loose"] = "last"
    keys = [field.wire_name for field in FEATURE_MODULE.models[2].fields]

    wire = models.Message.from_dict(payload).to_dict()

    assert list(wire) == [key for key in keys if key in payload]


def test_to_dict_copies_containers(models: ModuleType) -> None:
    payload = _message(tags=["a"], grid=[[1]], meta={"k": 1}, counts={"c": 2})
    message = models.Message.from_dict(payload)

    wire = message.to_dict()
    wire["tags"].append("b")
    wire["grid"][0].append(2)
    wire["meta"]["k"] = 3
    wire["counts"]["d"] = 4

    assert message.tags == ["a"]
    assert message.grid == [[1]]
    assert message.meta == {"k": 1}
    assert message.counts == {"c": 2}


# ---------------------------------------------------------------------------
# Every error at once


def test_all_errors_in_one_exception(models: ModuleType) -> None:
    payload = _message(
        id="one",
        attachments=[
            {"id": 1, "size": 1},
            {"id": 2, "size": 2},
            {"id": 3, "size": "big"},
        ],
        day="yesterday",
    )
    del payload["status"]

    with pytest.raises(models.rt.ValidationError) as raised:
        models.Message.from_dict(payload)

    error = raised.value
    assert isinstance(error, ValueError)
    assert [(d.path, d.expected, d.actual) for d in error.errors] == [
        ("Message.id", "int", "str"),
        ("Message.status", "a value", "nothing (required key missing)"),
        ("Message.day", "ISO 8601 date string", "'yesterday'"),
        ("Message.attachments[2].size", "int", "str"),
    ]
    assert str(error).splitlines()[-1] == (
        "Message.attachments[2].size: expected int, got str"
    )


def test_error_type_is_exported(packages: dict[str, ModuleType]) -> None:
    package = sys.modules[packages["keep"].__name__.rsplit(".", 1)[0]]

    assert package.ValidationError is packages["keep"].rt.ValidationError
    assert package.ErrorDetail is packages["keep"].rt.ErrorDetail


def test_payload_that_is_not_an_object(models: ModuleType) -> None:
    assert _error_paths(models, "Message", ["id"]) == ["Message"]


# ---------------------------------------------------------------------------
# Dates and times


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (
            "2024-05-01T10:00:00.250+02:00",
            datetime(2024, 5, 1, 10, 0, 0, 250000, timezone(timedelta(hours=2))),
        ),
        ("2024-05-01 10:00:00+00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01T10:00:00.123456Z", datetime(2024, 5, 1, 10, 0, 0, 123456, UTC)),
    ],
)
def test_datetime_forms_parse(
    models: ModuleType, text: str, expected: datetime
) -> None:
    message = models.Message.from_dict(_message(sent_at=text))

    assert message.sent_at == expected
    assert message.sent_at.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (datetime(2024, 5, 1, 10, tzinfo=UTC), "2024-05-01T10:00:00Z"),
        (datetime(2024, 5, 1, 10, 0, 0, 5, UTC), "2024-05-01T10:00:00.000005Z"),
        (
            datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(hours=-5))),
            "2024-05-01T10:00:00-05:00",
        ),
        (
            datetime(2024, 5, 1, 10, tzinfo=timezone(timedelta(0))),
            "2024-05-01T10:00:00Z",
        ),
        (datetime(2024, 5, 1, 10), "2024-05-01T10:00:00"),
    ],
)
def test_datetime_written_as_iso(
    models: ModuleType, value: datetime, wire: str
) -> None:
    message = models.Message(id=1, text="", status="new", loose=0, sent_at=value)

    assert message.to_dict()["sent_at"] == wire


@pytest.mark.parametrize(
    "text", ["2024-05-01", "20240501", "yesterday", "2024-05-01T25:00"]
)
def test_datetime_rejects_non_datetimes(models: ModuleType, text: str) -> None:
    assert _error_paths(models, "Message", _message(sent_at=text)) == [
        "Message.sent_at"
    ]


def test_naive_datetime_policies(packages: dict[str, ModuleType]) -> None:
    payload = _message(sent_at="2024-05-01T10:00:00", times=["2024-05-01T11:00:00"])

    kept = packages["keep"].Message.from_dict(payload)
    assumed = packages["assume-utc"].Message.from_dict(payload)

    assert kept.sent_at.tzinfo is None
    assert kept.to_dict()["sent_at"] == "2024-05-01T10:00:00"
    assert assumed.sent_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert assumed.times == [datetime(2024, 5, 1, 11, tzinfo=UTC)]
    assert assumed.to_dict()["sent_at"] == "2024-05-01T10:00:00Z"
    assert _error_paths(packages["reject"], "Message", payload) == [
        "Message.sent_at",
        "Message.times[0]",
    ]
    with pytest.raises(ValueError, match="with UTC offset, got '2024-05-01T10:00:00'"):
        packages["reject"].Message.from_dict(payload)
    aware = _message(sent_at="2024-05-01T10:00:00Z")
    assert packages["reject"].Message.from_dict(aware).to_dict() == aware


def test_date_round_trip(models: ModuleType) -> None:
    message = models.Message.from_dict(_message(day="2024-02-29"))

    assert message.day == date(2024, 2, 29)
    assert message.to_dict()["day"] == "2024-02-29"


@pytest.mark.parametrize("text", ["2024-W01-1", "20240501", "2024-02-30", "2024-5-1"])
def test_date_rejects_other_forms(models: ModuleType, text: str) -> None:
    assert _error_paths(models, "Message", _message(day=text)) == ["Message.day"]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, datetime(1970, 1, 1, tzinfo=UTC)),
        (1714557600, datetime(2024, 5, 1, 10, tzinfo=UTC)),
        (1714557600.25, datetime(2024, 5, 1, 10, 0, 0, 250000, UTC)),
    ],
)
def test_timestamp_round_trip(
    models: ModuleType, seconds: float, expected: datetime
) -> None:
    message = models.Message.from_dict(_message(ts=seconds))

    assert message.ts == expected
    wire = message.to_dict()["ts"]
    assert wire == seconds
    assert type(wire) is type(seconds)


@pytest.mark.parametrize("seconds", [True, "1714557600", 10**20, -(10**20)])
def test_timestamp_rejects_bad_values(models: ModuleType, seconds: object) -> None:
    assert _error_paths(models, "Message", _message(ts=seconds)) == ["Message.ts"]


# ---------------------------------------------------------------------------
# Unknown keys


def test_unknown_keys_ignored(models: ModuleType) -> None:
    message = models.Message.from_dict(_message(surprise=1))

    assert "surprise" not in message.to_dict()


def test_unknown_keys_kept(models: ModuleType) -> None:
    opened = models.Open.from_dict({"name": "a", "x": [1], "y": None})

    assert opened.extra == {"x": [1], "y": None}
    assert opened.to_dict() == {"name": "a", "x": [1], "y": None}


def test_unknown_keys_rejected(models: ModuleType) -> None:
    payload = {"name": "a", "at": None, "x": 1, "y": 2}

    assert _error_paths(models, "Closed", payload) == ["Closed.x", "Closed.y"]
    assert _error_paths(models, "Empty", {"x": 1}) == ["Empty.x"]
    assert models.Empty.from_dict({}).to_dict() == {}
    with pytest.raises(ValueError, match="expected a documented key, got an undocumented key"):
        models.Empty.from_dict({"x": 1})


PAGE = """# Account

| Field | Type | Description |
| --- | --- | --- |
| id | integer | Identifier. |
| owner | object | Who holds the account. |
| owner.name | string | Name of the owner. |

# Labels

| Field | Type | Description |
| --- | --- | --- |
| {label} | string | Any label and its value. |
"""


@pytest.mark.parametrize("policy", ["ignore", "keep", "reject"])
def test_project_policy_reaches_models(policy: str) -> None:
    page = Page(name="account.md", text=PAGE, stem="account")

    module = parse_page(page, "account", Limits(), Diagnostics(), unknown_keys=policy)  # type: ignore[arg-type]

    policies = {model.name: model.unknown_keys for model in module.models}
    assert policies == {"AccountOwner": policy, "Account": policy, "Labels": "keep"}


# ---------------------------------------------------------------------------
# JSON helpers and generated code quality


def test_json_helpers(models: ModuleType) -> None:
    text = json.dumps(_message(sent_at="2024-05-01T10:00:00Z", score=1.5))

    message = models.Message.from_json(text)
    again = models.Message.from_json(message.to_json().encode())

    assert again == message
    assert json.loads(message.to_json()) == json.loads(text)


def test_from_json_reports_errors(models: ModuleType) -> None:
    with pytest.raises(models.rt.ValidationError):
        models.Message.from_json('{"id": "x"}')


def test_generated_code_passes_checkers(tmp_path: Path) -> None:
    write_package([FEATURE_MODULE], tmp_path, "checked", "assume-utc", formatted=True)
    tools = Path(sys.executable).parent
    commands = [
        [str(tools / "mypy"), "--strict", "--no-incremental", "checked"],
        [str(tools / "ruff"), "check", "--no-cache", "--isolated", "checked"],
        [str(tools / "black"), "--check", "-q", "checked"],
    ]
    for command in commands:
        result = subprocess.run(
            command, cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, f"{command[0]}:\n{result.stdout}{result.stderr}"


def test_project_policy_reaches_spec_and_code(tmp_path: Path) -> None:
    (tmp_path / "account.md").write_text(PAGE, encoding="utf-8")

    generate(tmp_path, ["account.md"], package="accounts", unknown_keys="reject")

    spec = json.loads((tmp_path / "spec" / "account.json").read_text(encoding="utf-8"))
    policies = {model["name"]: model["unknown_keys"] for model in spec["models"]}
    assert policies == {"AccountOwner": "reject", "Account": "reject", "Labels": "keep"}
    code = (tmp_path / "accounts" / "account.py").read_text(encoding="utf-8")
    assert 'UNKNOWN_KEYS: ClassVar[str] = "reject"' in code


def test_model_override_beats_project_policy(tmp_path: Path) -> None:
    (tmp_path / "account.md").write_text(PAGE, encoding="utf-8")
    overrides = {
        "Account": {"unknown-keys": "ignore"},
        "Labels": {"unknown-keys": "reject"},
    }

    generate(
        tmp_path,
        ["account.md"],
        package="accounts",
        unknown_keys="keep",
        overrides=overrides,
    )

    spec = json.loads((tmp_path / "spec" / "account.json").read_text(encoding="utf-8"))
    policies = {model["name"]: model["unknown_keys"] for model in spec["models"]}
    assert policies == {"AccountOwner": "keep", "Account": "ignore", "Labels": "reject"}
