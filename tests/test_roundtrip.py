"""Property tests of the generated serializers on every model the generator makes
from the example docs, the page corpus and a spec with every kind of field.

For random valid wire payloads ``to_dict(from_dict(p)) == p`` is true and the fast
path of ``from_dict`` builds the same instance as the runtime checker; a single
wrong value, missing required key or null makes ValidationError name its path.
"""

from __future__ import annotations

import copy
import sys
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.spec import Field, Model, Module

from .serde_support import (
    CORPUS,
    FEATURE_MODULE,
    JSON_VALUES,
    REPO,
    WRONG_VALUES,
    import_package,
    model_index,
    package_name,
    payloads,
    read_folder,
    sites,
    wire_values,
    write_package,
    wrong_values,
)

EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _packages() -> dict[str, list[Module]]:
    """The spec modules of every package to generate, by package name: the test
    spec, the example docs and one package per vendor folder of the corpus."""
    found = {"serde_features": [FEATURE_MODULE]}
    docs = REPO / "docs"
    if docs.is_dir() and any(docs.rglob("*.md")):
        found["docs_courier"] = read_folder(docs, REPO)
    if CORPUS.is_dir():
        for folder in sorted(path for path in CORPUS.iterdir() if path.is_dir()):
            found[package_name("corpus_", folder)] = read_folder(folder, CORPUS)
    return found


PACKAGES = _packages()
CASES = [
    pytest.param(package, module, model, id=f"{package}.{model.name}")
    for package, modules in PACKAGES.items()
    for module in modules
    for model in module.models
]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModuleType]:
    """Every package generated once and imported, by package name."""
    folder = tmp_path_factory.mktemp("roundtrip")
    imported = {}
    for package, modules in PACKAGES.items():
        write_package(modules, folder, package)
        imported[package] = import_package(folder, package)
    return imported


def _model_class(
    generated: dict[str, ModuleType], package: str, module: Module, model: Model
) -> Any:
    return getattr(getattr(generated[package], module.name), model.name)


def _slow_decode(cls: Any, payload: Any) -> Any:
    """Decode with the runtime checker alone, as from_dict does when its fast path declines."""
    runtime = sys.modules[cls.__module__].rt
    return runtime.decode(cls, cls.FIELDS, payload, cls.__name__, cls.UNKNOWN_KEYS)


def _fail_on_slow_path(*args: object) -> None:
    raise AssertionError("from_dict left a valid payload to the runtime checker")


def _outcome(function: Any, *args: Any) -> tuple[str, Any]:
    """The result of a call, or the paths of the ValidationError it raised."""
    try:
        return "ok", function(*args)
    except ValueError as error:
        errors = getattr(error, "errors", None)
        assert errors is not None, f"expected ValidationError, got {error!r}"
        return "error", sorted(detail.path for detail in errors)


def test_models_found() -> None:
    assert len(CASES) >= 20, "the corpus and the test spec give at least 20 models"


@pytest.mark.parametrize(("package", "module", "model"), CASES)
@EXAMPLES
@given(data=st.data())
def test_valid_payload_round_trips(
    generated: dict[str, ModuleType],
    package: str,
    module: Module,
    model: Model,
    data: st.DataObject,
) -> None:
    cls = _model_class(generated, package, module, model)
    models = model_index(PACKAGES[package])
    payload = data.draw(payloads(model, models, naive=True), label="payload")
    expected = copy.deepcopy(payload)

    # The compiled from_dict finds the runtime checker in its own globals.
    runtime = sys.modules[cls.__module__].rt
    runtime.compile_serializers(cls)
    compiled = cls.from_dict.__func__.__globals__
    decode = compiled["decode"]
    if model.fields:
        # A model without fields has no fast path.
        compiled["decode"] = _fail_on_slow_path
    try:
        instance = cls.from_dict(payload)
    finally:
        compiled["decode"] = decode

    assert instance.to_dict() == expected
    assert instance == _slow_decode(cls, payload)
    assert cls.from_json(instance.to_json()) == instance
    assert payload == expected, "from_dict and to_dict leave the payload alone"


@pytest.mark.parametrize(("package", "module", "model"), CASES)
@EXAMPLES
@given(data=st.data())
def test_mutation_names_its_path(
    generated: dict[str, ModuleType],
    package: str,
    module: Module,
    model: Model,
    data: st.DataObject,
) -> None:
    cls = _model_class(generated, package, module, model)
    models = model_index(PACKAGES[package])
    payload = data.draw(payloads(model, models, naive=True), label="payload")
    choices = _mutations(payload, model, models)
    if not choices:
        return
    path, apply = data.draw(st.sampled_from(choices), label="mutation")
    apply()

    with pytest.raises(ValueError) as raised:
        cls.from_dict(payload)

    assert [detail.path for detail in raised.value.errors] == [path]
    assert type(raised.value).__name__ == "ValidationError"
    assert path in str(raised.value)


def _mutations(
    payload: dict[str, Any], model: Model, models: dict[str, Model]
) -> list[tuple[str, Any]]:
    """(expected error path, function that mutates the payload in place)."""
    found: list[tuple[str, Any]] = []
    for site in sites(payload, model, models, model.name):
        container, key = site.container, site.key
        present = isinstance(container, list) or key in container
        field = site.field
        if field is not None and field.required and present:
            found.append((site.path, lambda c=container, k=key: c.pop(k)))
        if field is not None and not present:
            continue
        candidates = wrong_values(site.type, models)
        if field is not None:
            candidates = [value for value in candidates if value is not None]
            if not field.nullable:
                candidates.append(None)
        for value in candidates:
            found.append(
                (site.path, lambda c=container, k=key, v=value: c.__setitem__(k, v))
            )
    if model.unknown_keys == "reject":
        found.append(
            (f"{model.name}.undocumented", lambda: payload.update(undocumented=1))
        )
    return found


@pytest.mark.parametrize(("package", "module", "model"), CASES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_fast_path_agrees_with_checker(
    generated: dict[str, ModuleType],
    package: str,
    module: Module,
    model: Model,
    data: st.DataObject,
) -> None:
    """Documented keys with valid, wrong or random JSON values: both paths accept
    or reject alike."""
    cls = _model_class(generated, package, module, model)
    models = model_index(PACKAGES[package])
    payload: dict[str, Any] = {}
    for field in model.fields:
        payload[field.wire_name] = data.draw(
            wire_values(field.type, models, naive=True)
            | st.sampled_from(WRONG_VALUES)
            | JSON_VALUES
        )
        if data.draw(st.integers(0, 5)) == 0:
            del payload[field.wire_name]
    if data.draw(st.booleans()):
        payload["undocumented"] = 1

    assert _outcome(cls.from_dict, payload) == _outcome(
        lambda p: _slow_decode(cls, p), payload
    )


REQUIRED_FIELDS = [
    pytest.param(model, field, id=f"{model.name}.{field.name}")
    for model in FEATURE_MODULE.models
    for field in model.fields
    if field.required
]


@pytest.mark.parametrize(("model", "field"), REQUIRED_FIELDS)
@EXAMPLES
@given(data=st.data())
def test_required_key_set_to_missing(
    generated: dict[str, ModuleType], model: Model, field: Field, data: st.DataObject
) -> None:
    """A required key whose value is the MISSING marker counts as absent on both
    paths, whatever the field's type. Both report the key as missing."""
    cls = _model_class(generated, "serde_features", FEATURE_MODULE, model)
    models = model_index(PACKAGES["serde_features"])
    payload = data.draw(payloads(model, models, naive=True), label="payload")
    payload[field.wire_name] = sys.modules[cls.__module__].rt.MISSING

    expected = ("error", [f"{model.name}.{field.wire_name}"])
    assert _outcome(lambda p: _slow_decode(cls, p), payload) == expected
    assert _outcome(cls.from_dict, payload) == expected


def test_corpus_is_used() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"page corpus not found at {CORPUS}; set DOCMODELS_CORPUS")
    corpus_models = [case for case in CASES if case.values[0].startswith("corpus_")]
    assert len(corpus_models) >= 50


def test_feature_spec_is_complete(generated: dict[str, ModuleType]) -> None:
    features = generated["serde_features"].features
    assert {model.name for model in FEATURE_MODULE.models} <= set(dir(features))
