"""Compare the generated from_dict/to_dict with serialization libraries.

Run on demand, never in CI, from the repository root in a separate virtual
environment that has the libraries of bench/requirements-serde.txt:

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -r bench/requirements-serde.txt -e .
    .venv-bench/bin/python bench/serde.py

Two models: Session (the QuickBlox session page of the page corpus: nine optional
fields, two datetimes) and Order (bench/pages/order.md: seven fields and a list
of 20 nested lines). Every candidate reads the same wire dict and writes the same
wire dict back. Each round times every candidate once with timeit, in turn, so
that a drift of the machine hits all of them alike. The table reports the median
of the rounds. The generated code checks every type, and the libraries run with
their defaults, which bench/README.md describes.
"""

import argparse
import dataclasses
import importlib
import os
import platform
import statistics
import sys
import tempfile
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("DOCMODELS_CORPUS", REPO.parent / "shared" / "corpus"))
SESSION_PAGE = CORPUS / "quickblox" / "session-model.md"
ORDER_PAGE = REPO / "bench" / "pages" / "order.md"
LIBRARIES = ("pydantic", "mashumaro", "cattrs", "dacite", "msgspec")

SESSION_WIRE: dict[str, Any] = {
    "id": 50,
    "application_id": 2,
    "user_id": 7,
    "created_at": "2024-05-01T10:00:00Z",
    "updated_at": "2024-05-01T10:00:05Z",
    "nonce": 1234,
    "token": "c2e4b1a0f9d8",
    "ts": 1714557600,
    "_id": "663210a0f9d8c2e4b1a0f9d8",
}
ORDER_WIRE: dict[str, Any] = {
    "id": 9001,
    "customer": "ada@example.org",
    "created_at": "2024-05-01T10:00:00Z",
    "status": "paid",
    "total": 257.5,
    "note": "Leave at the door.",
    "lines": [
        {
            "sku": f"SKU-{index:04d}",
            "name": f"Product {index}",
            "quantity": index % 3 + 1,
            "unit_price": 4.5 + index,
            "gift": index % 2 == 0,
        }
        for index in range(20)
    ],
}


@dataclass(frozen=True)
class Candidate:
    """One implementation: a function from wire dict to object and one back."""

    name: str
    decode: Callable[[dict[str, Any]], Any]
    encode: Callable[[Any], dict[str, Any]] | None
    """None when the library has no encoder."""


# ---------------------------------------------------------------------------
# The generated package


def generate(folder: Path) -> Any:
    """Generate the package ``benchmodels`` from the two pages and import it."""
    from generator.config import Config
    from generator.pipeline import run

    config = Config(
        root=folder,
        sources=(str(SESSION_PAGE), str(ORDER_PAGE)),
        spec_dir="spec",
        output_dir="benchmodels",
        cache_dir="cache",
    )
    run(config)
    sys.path.insert(0, str(folder))
    return importlib.import_module("benchmodels")


# ---------------------------------------------------------------------------
# Hand-written straight-line functions without checks


@dataclass(slots=True)
class PlainSession:
    id: int
    application_id: int
    user_id: int
    created_at: datetime
    updated_at: datetime
    nonce: int
    token: str
    ts: int
    id_: str


@dataclass(slots=True)
class OptionalSession:
    """Session with every field optional, as the page documents it."""

    id: int | None = None
    application_id: int | None = None
    user_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    nonce: int | None = None
    token: str | None = None
    ts: int | None = None
    id_: str | None = None


@dataclass(slots=True)
class PlainLine:
    sku: str
    name: str
    quantity: int
    unit_price: float
    gift: bool | None = None


@dataclass(slots=True)
class PlainOrder:
    id: int
    customer: str
    created_at: datetime
    status: str
    total: float
    lines: list[PlainLine]
    note: str | None = None


def _iso(value: datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def plain_session_from(data: dict[str, Any]) -> PlainSession:
    return PlainSession(
        data["id"],
        data["application_id"],
        data["user_id"],
        datetime.fromisoformat(data["created_at"]),
        datetime.fromisoformat(data["updated_at"]),
        data["nonce"],
        data["token"],
        data["ts"],
        data["_id"],
    )


def plain_session_to(value: PlainSession) -> dict[str, Any]:
    return {
        "id": value.id,
        "application_id": value.application_id,
        "user_id": value.user_id,
        "created_at": _iso(value.created_at),
        "updated_at": _iso(value.updated_at),
        "nonce": value.nonce,
        "token": value.token,
        "ts": value.ts,
        "_id": value.id_,
    }


def plain_order_from(data: dict[str, Any]) -> PlainOrder:
    return PlainOrder(
        data["id"],
        data["customer"],
        datetime.fromisoformat(data["created_at"]),
        data["status"],
        data["total"],
        [
            PlainLine(
                line["sku"],
                line["name"],
                line["quantity"],
                line["unit_price"],
                line.get("gift"),
            )
            for line in data["lines"]
        ],
        data.get("note"),
    )


def plain_order_to(value: PlainOrder) -> dict[str, Any]:
    out = {
        "id": value.id,
        "customer": value.customer,
        "created_at": _iso(value.created_at),
        "status": value.status,
        "total": value.total,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "gift": line.gift,
            }
            for line in value.lines
        ],
    }
    if value.note is not None:
        out["note"] = value.note
    return out


# ---------------------------------------------------------------------------
# Library candidates, each with the library's own model classes


def pydantic_candidates() -> dict[str, Candidate]:
    from pydantic import BaseModel, Field

    class Session(BaseModel):
        id: int | None = None
        application_id: int | None = None
        user_id: int | None = None
        created_at: datetime | None = None
        updated_at: datetime | None = None
        nonce: int | None = None
        token: str | None = None
        ts: int | None = None
        id_: str | None = Field(default=None, alias="_id")

    class Line(BaseModel):
        sku: str
        name: str
        quantity: int
        unit_price: float
        gift: bool | None = None

    class Order(BaseModel):
        id: int
        customer: str
        created_at: datetime
        status: str
        total: float
        note: str | None = None
        lines: list[Line]

    def dump(value: BaseModel) -> dict[str, Any]:
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)

    return {
        "Session": Candidate("pydantic", Session.model_validate, dump),
        "Order": Candidate("pydantic", Order.model_validate, dump),
    }


def mashumaro_candidates() -> dict[str, Candidate]:
    from mashumaro import DataClassDictMixin, field_options
    from mashumaro.config import BaseConfig

    class Omit(BaseConfig):
        omit_default = True

    @dataclass
    class Session(DataClassDictMixin):
        id: int | None = None
        application_id: int | None = None
        user_id: int | None = None
        created_at: datetime | None = None
        updated_at: datetime | None = None
        nonce: int | None = None
        token: str | None = None
        ts: int | None = None
        id_: str | None = dataclasses.field(
            default=None, metadata=field_options(alias="_id")
        )

        class Config(Omit):
            serialize_by_alias = True

    @dataclass
    class Line(DataClassDictMixin):
        sku: str
        name: str
        quantity: int
        unit_price: float
        gift: bool | None = None

        class Config(Omit):
            pass

    @dataclass
    class Order(DataClassDictMixin):
        id: int
        customer: str
        created_at: datetime
        status: str
        total: float
        lines: list[Line]
        note: str | None = None

        class Config(Omit):
            pass

    return {
        "Session": Candidate("mashumaro", Session.from_dict, Session.to_dict),
        "Order": Candidate("mashumaro", Order.from_dict, Order.to_dict),
    }


def cattrs_candidates() -> dict[str, Candidate]:
    import cattrs
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    converter = cattrs.Converter(omit_if_default=True)
    converter.register_structure_hook(
        datetime, lambda value, _: datetime.fromisoformat(value)
    )
    converter.register_unstructure_hook(datetime, _iso)
    session = OptionalSession
    rename = {"id_": override(rename="_id")}
    converter.register_structure_hook(
        session, make_dict_structure_fn(session, converter, **rename)
    )
    converter.register_unstructure_hook(
        session, make_dict_unstructure_fn(session, converter, **rename)
    )
    return {
        "Session": Candidate(
            "cattrs",
            lambda data: converter.structure(data, session),
            converter.unstructure,
        ),
        "Order": Candidate(
            "cattrs",
            lambda data: converter.structure(data, PlainOrder),
            converter.unstructure,
        ),
    }


def dacite_candidates() -> dict[str, Candidate]:
    import dacite

    config = dacite.Config(type_hooks={datetime: datetime.fromisoformat})
    session = OptionalSession

    def session_from(data: dict[str, Any]) -> Any:
        renamed = dict(data)
        renamed["id_"] = renamed.pop("_id", None)
        return dacite.from_dict(session, renamed, config)

    return {
        "Session": Candidate("dacite", session_from, None),
        "Order": Candidate(
            "dacite", lambda data: dacite.from_dict(PlainOrder, data, config), None
        ),
    }


def msgspec_candidates() -> dict[str, Candidate]:
    import msgspec

    class Session(msgspec.Struct, omit_defaults=True):
        id: int | None = None
        application_id: int | None = None
        user_id: int | None = None
        created_at: datetime | None = None
        updated_at: datetime | None = None
        nonce: int | None = None
        token: str | None = None
        ts: int | None = None
        id_: str | None = msgspec.field(default=None, name="_id")

    class Line(msgspec.Struct, omit_defaults=True):
        sku: str
        name: str
        quantity: int
        unit_price: float
        gift: bool | None = None

    class Order(msgspec.Struct, omit_defaults=True):
        id: int
        customer: str
        created_at: datetime
        status: str
        total: float
        lines: list[Line]
        note: str | None = None

    return {
        "Session": Candidate(
            "msgspec", lambda data: msgspec.convert(data, Session), msgspec.to_builtins
        ),
        "Order": Candidate(
            "msgspec", lambda data: msgspec.convert(data, Order), msgspec.to_builtins
        ),
    }


def candidates(models: Any) -> dict[str, list[Candidate]]:
    """Return every candidate per model, the generated code first."""
    found = {
        "Session": [
            Candidate("generated", models.Session.from_dict, models.Session.to_dict),
            Candidate("hand-written, no checks", plain_session_from, plain_session_to),
        ],
        "Order": [
            Candidate("generated", models.Order.from_dict, models.Order.to_dict),
            Candidate("hand-written, no checks", plain_order_from, plain_order_to),
        ],
    }
    makers = {
        "pydantic": pydantic_candidates,
        "mashumaro": mashumaro_candidates,
        "cattrs": cattrs_candidates,
        "dacite": dacite_candidates,
        "msgspec": msgspec_candidates,
    }
    for library, make in makers.items():
        try:
            made = make()
        except ImportError as error:
            print(f"skipping {library}: {error}", file=sys.stderr)
            continue
        for model, candidate in made.items():
            found[model].append(candidate)
    return found


# ---------------------------------------------------------------------------
# Checking and timing


def _normalized(wire: Any) -> Any:
    """Return the wire form with UTC written as ``Z`` and null values left out."""
    if isinstance(wire, dict):
        return {k: _normalized(v) for k, v in wire.items() if v is not None}
    if isinstance(wire, list):
        return [_normalized(item) for item in wire]
    if isinstance(wire, str) and wire.endswith("+00:00"):
        return wire[:-6] + "Z"
    return wire


def check(model: str, wire: dict[str, Any], candidate: Candidate) -> None:
    """Fail unless the candidate reads the wire form and writes it back unchanged."""
    value = candidate.decode(dict(wire))
    if candidate.encode is None:
        return
    written = candidate.encode(value)
    if _normalized(written) != _normalized(wire):
        raise SystemExit(f"{candidate.name} changes the {model} wire form: {written}")


def measure(
    entries: list[tuple[str, Callable[[], Any]]], rounds: int, number: int
) -> dict[str, float]:
    """Median microseconds per call, rounds interleaved across the entries."""
    samples: dict[str, list[float]] = {name: [] for name, _ in entries}
    for _ in range(rounds):
        for name, call in entries:
            seconds = timeit.timeit(call, number=number)
            samples[name].append(seconds / number * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def machine() -> str:
    cpu = platform.processor() or "unknown processor"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{name} {_version(name)}" for name in LIBRARIES)
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} "
        f"({platform.python_implementation()}); {versions}"
    )


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timing rounds")
    parser.add_argument(
        "--number", type=int, default=0, help="calls per timing (0: about 50 ms each)"
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        models = generate(Path(folder))
        table = []
        for model, wire in (("Session", SESSION_WIRE), ("Order", ORDER_WIRE)):
            found = candidates(models)[model]
            for candidate in found:
                check(model, wire, candidate)
            entries: list[tuple[str, Callable[[], Any]]] = []
            for candidate in found:
                decode = candidate.decode
                entries.append(
                    (f"{candidate.name}|from", lambda d=decode, w=wire: d(w))
                )
                if candidate.encode is not None:
                    value = candidate.decode(wire)
                    encode = candidate.encode
                    entries.append(
                        (f"{candidate.name}|to", lambda e=encode, v=value: e(v))
                    )
            number = args.number or (20_000 if model == "Session" else 1_000)
            medians = measure(entries, args.rounds, number)
            table.append((model, found, medians))

    print(f"Machine: {machine()}")
    print(f"Rounds: {args.rounds}, median per call; ratio = candidate / generated.\n")
    print("| model | candidate | from_dict (us) | ratio | to_dict (us) | ratio |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for model, found, medians in table:
        base_from = medians["generated|from"]
        base_to = medians["generated|to"]
        for candidate in found:
            decode = medians[f"{candidate.name}|from"]
            encode = medians.get(f"{candidate.name}|to")
            to_cells = (
                f"{encode:.2f} | {encode / base_to:.2f}"
                if encode is not None
                else "n/a | n/a"
            )
            print(
                f"| {model} | {candidate.name} | {decode:.2f} | "
                f"{decode / base_from:.2f} | {to_cells} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
