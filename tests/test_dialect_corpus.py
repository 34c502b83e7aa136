"""Published pages of many vendors: each parses, and the models match a careful reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Config
from generator.pipeline import run
from generator.spec import Module

from .dialect_helpers import corpus_dir, fields_of, model, read_folder, run_mypy

# Several vendors name a model alike (Pet, User, Event); one run needs distinct names.
CORPUS_OVERRIDES = {
    "java_okhttp_gson_pet:Pet": {"name": "JavaPet"},
    "python_pet:Pet": {"name": "PythonPet"},
    "event:Event": {"name": "EventEntity"},
    "event_schema:Event": {"name": "EventGridEvent"},
    "user:User": {"name": "GatewayUser"},
}

S, I, B, F = "str", "int", "bool", "float"
REQ, OPT = True, False
NULL, VALUE = True, False

EXPECTED = [
    ("discord", "emoji", "Emoji", {
        "id": (S, REQ, NULL), "name": (S, REQ, NULL), "roles": ("list[str]", OPT, VALUE),
        "user": ("Any", OPT, VALUE), "require_colons": (B, OPT, VALUE),
        "managed": (B, OPT, VALUE), "animated": (B, OPT, VALUE), "available": (B, OPT, VALUE),
    }),
    ("discord", "stage_instance", "GuildStageEvent", {
        "id": (S, REQ, VALUE), "description": (S, OPT, VALUE), "image": (S, REQ, NULL),
        "scheduled_start_time": ("datetime", REQ, VALUE),
        "scheduled_end_time": ("datetime", REQ, NULL), "entity_id": (S, REQ, NULL),
        "entity_metadata": ("GuildEventEntityMetadata", REQ, VALUE),
        "sku_ids": ("list[str]", REQ, VALUE), "skus": ("list[Any]", REQ, VALUE),
        "guild_id": (S, REQ, VALUE), "channel_id": (S, REQ, VALUE), "name": (S, REQ, VALUE),
        "privacy_level": (I, REQ, VALUE), "status": (I, REQ, VALUE),
        "entity_type": (I, REQ, VALUE),
    }),
    ("discord", "sticker", "StickerPack", {
        "id": (S, REQ, VALUE), "stickers": ("list[Sticker]", REQ, VALUE),
        "name": (S, REQ, VALUE), "sku_id": (S, REQ, VALUE),
        "cover_sticker_id": (S, OPT, VALUE), "description": (S, REQ, VALUE),
        "banner_asset_id": (S, OPT, VALUE),
    }),
    ("mistral", "agenthandoffdoneevent", "AgentHandoffDoneEvent", {
        "type": ('Literal["agent.handoff.done"]', REQ, VALUE),
        "created_at": ("date", OPT, VALUE), "output_index": (I, OPT, VALUE),
        "id": (S, REQ, VALUE), "next_agent_id": (S, REQ, VALUE),
        "next_agent_name": (S, REQ, VALUE),
    }),
    ("gr4vy", "user", "User", {
        "id": (S, OPT, VALUE), "name": (S, OPT, VALUE), "emailAddress": (S, OPT, VALUE),
        "staff": (B, OPT, VALUE),
        "status": ('Literal["active", "pending", "deleted"]', OPT, VALUE),
    }),
    ("msgraph", "accesspackagelocalizedtext", "AccessPackageLocalizedText", {
        "languageCode": (S, REQ, VALUE), "text": (S, REQ, VALUE),
    }),
    ("gitlab", "freeze_periods", "UpdateAFreezePeriod", {
        "id": ("int | str", REQ, VALUE), "freeze_period_id": ("int | str", REQ, VALUE),
        "freeze_start": (S, OPT, VALUE), "freeze_end": (S, OPT, VALUE),
        "cron_timezone": (S, OPT, VALUE),
    }),
    ("gitlab", "avatar", "GetDetailsOnAnAccountAvatar", {
        "email": (S, REQ, VALUE), "size": (I, OPT, VALUE),
    }),
    ("home-assistant", "switch", "Switch", {
        "is_on": (B, OPT, NULL), "current_power_w": (F, OPT, NULL),
        "today_energy_kwh": (F, OPT, NULL),
    }),
    ("home-assistant", "event", "Event", {"event_types": ("list[str]", REQ, VALUE)}),
    ("openapi-generator", "java_okhttp_gson_pet", "Pet", {
        "id": (I, OPT, VALUE), "category": ("Any", OPT, VALUE), "name": (S, REQ, VALUE),
        "photoUrls": ("list[str]", REQ, VALUE), "tags": ("list[Any]", OPT, VALUE),
        "status": ('Literal["available", "pending", "sold"]', OPT, VALUE),
    }),
    ("openapi-generator", "python_pet", "Pet", {
        "id": (I, OPT, VALUE), "category": ("Any", OPT, VALUE), "name": (S, REQ, VALUE),
        "photo_urls": ("list[str]", REQ, VALUE), "tags": ("list[Any]", OPT, VALUE),
        "status": (S, OPT, VALUE),
    }),
    ("kubernetes", "core_v1_endpoint_port", "CoreV1EndpointPort", {
        "app_protocol": (S, OPT, VALUE), "name": (S, OPT, VALUE), "port": (I, REQ, VALUE),
        "protocol": (S, OPT, VALUE),
    }),
    ("opentelemetry", "host", "Host", {
        "host.arch": (S, OPT, VALUE), "host.cpu.cache.l2.size": (I, OPT, VALUE),
        "host.ip": ("list[str]", OPT, VALUE), "host.mac": ("list[str]", OPT, VALUE),
    }),
    ("woocommerce", "order_notes", "OrderNote", {
        "id": (I, OPT, VALUE), "author": (S, OPT, VALUE),
        "date_created": ("datetime", OPT, VALUE), "date_created_gmt": ("datetime", OPT, VALUE),
        "note": (S, REQ, VALUE), "customer_note": (B, OPT, VALUE),
        "added_by_user": (B, OPT, VALUE),
    }),
    ("chartjs", "title", "Title", {
        "display": (B, OPT, VALUE), "fontSize": (F, OPT, VALUE),
        "fontColor": ("Any", OPT, VALUE), "lineHeight": ("float | str", OPT, VALUE),
        "text": ("str | list[str]", OPT, VALUE),
    }),
    ("opensearch", "get_snapshot", "GetSnapshotResponse", {
        "version_id": (I, OPT, VALUE), "version": (F, OPT, VALUE),
        "indices": ("list[Any]", OPT, VALUE), "start_time_in_millis": (I, OPT, VALUE),
        "shards": ("dict[str, Any]", OPT, VALUE),
        "state": ('Literal["IN_PROGRESS", "SUCCESS", "FAILED", "PARTIAL"]', OPT, VALUE),
    }),
    ("elastic-ecs", "ecs_vlan", "VLAN", {"vlan.id": (S, OPT, VALUE), "vlan.name": (S, OPT, VALUE)}),
    ("azure", "event_schema", "Event", {
        "topic": (S, OPT, VALUE), "subject": (S, OPT, VALUE), "eventType": (S, OPT, VALUE),
        "eventTime": (S, OPT, VALUE), "id": (S, OPT, VALUE), "data": ("dict[str, Any]", OPT, VALUE),
    }),
    ("quickblox", "session_model", "Session", {
        "id": (I, OPT, VALUE), "application_id": (I, OPT, VALUE), "user_id": (I, OPT, VALUE),
        "created_at": ("datetime", OPT, VALUE), "updated_at": ("datetime", OPT, VALUE),
        "nonce": (I, OPT, VALUE), "token": (S, OPT, VALUE), "ts": (I, OPT, VALUE),
        "_id": (S, OPT, VALUE),
    }),
]  # fmt: skip


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Module], list[str]]:
    modules, diagnostics = read_folder(corpus_dir())
    return modules, [str(item) for item in diagnostics.errors]


def test_corpus_pages_have_no_errors(corpus: tuple[list[Module], list[str]]) -> None:
    modules, errors = corpus
    assert errors == []
    assert len(modules) == len(list(corpus_dir().rglob("*.md")))


@pytest.mark.parametrize(
    ("vendor", "module", "name", "expected"),
    EXPECTED,
    ids=[f"{entry[0]}-{entry[2]}" for entry in EXPECTED],
)
def test_vendor_model_fields(
    corpus: tuple[list[Module], list[str]],
    vendor: str,
    module: str,
    name: str,
    expected: dict[str, tuple[str, bool, bool]],
) -> None:
    found = fields_of(model(corpus[0], name, module))
    for wire_name, flags in expected.items():
        assert found.get(wire_name) == flags, f"{vendor} {name}.{wire_name}"


def test_quickblox_python_names_and_nesting(
    corpus: tuple[list[Module], list[str]],
) -> None:
    session = model(corpus[0], "Session", "session_model")
    assert [field.name for field in session.fields][-1] == "id_"
    subscription = fields_of(model(corpus[0], "Subscription", "subscription_model"))
    assert subscription["device"][0] == "SubscriptionDevice"
    device = fields_of(model(corpus[0], "SubscriptionDevice", "subscription_model"))
    assert device["platform"][0] == "SubscriptionDevicePlatform"
    platform = fields_of(model(corpus[0], "SubscriptionDevicePlatform"))
    assert platform["name"][0] == 'Literal["ios", "android"]'


def test_corpus_defaults_are_read(corpus: tuple[list[Module], list[str]]) -> None:
    defaults = {
        (field.wire_name): field.default
        for found in (
            model(corpus[0], "Pet", "python_pet"),
            model(corpus[0], "Title", "title"),
            model(corpus[0], "OrderNote", "order_notes"),
        )
        for field in found.fields
    }
    assert defaults["name"] == "doggie"
    assert defaults["position"] == "top"
    assert defaults["fontSize"] == 12
    assert defaults["customer_note"] is False


def test_corpus_package_passes_mypy(tmp_path: Path) -> None:
    config = Config(
        root=tmp_path,
        sources=(str(corpus_dir()),),
        spec_dir="spec",
        output_dir="out/corpus",
        overrides=CORPUS_OVERRIDES,
    )
    result = run(config)
    assert result.diagnostics.errors == []
    imported = subprocess.run(
        [sys.executable, "-c", "import corpus; print(len(corpus.__all__))"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
        check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert int(imported.stdout) > 100
    checked = run_mypy(tmp_path / "out", "corpus")
    assert checked.returncode == 0, checked.stdout
