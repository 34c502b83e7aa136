"""Synthesize model pages and the equivalent JSON Schema files for the benchmark.

Each model becomes one Markdown page in the layout of the QuickBlox reference (a
``# Xyz Model`` heading, then a ``| Property name | Type | Description |`` table,
with ``\\_`` and ``\\[`` escapes and padded columns) and one JSON Schema file with
the same properties. The same seed always yields the same files.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

ADJECTIVES = (
    "amber azure bold brisk calm clear coral crisp dusty eager faint fleet frosty "
    "gentle golden grand hazy humble ivory jolly keen lively lunar mellow misty noble "
    "olive pale plain proud quiet rapid rustic silent silver sleek solar steady sunny "
    "swift tidy vivid warm wild"
).split()
NOUNS = (
    "anchor badge beacon branch bridge canvas cargo channel cipher cluster comet "
    "harbor journal kernel ledger lantern marker meadow mirror orbit parcel pillar "
    "pocket prism quarry record relay ribbon river router signal summit switch "
    "ticket token tower valley vault voucher wallet"
).split()
FIELD_WORDS = (
    "account active alias amount author balance caption category city code color "
    "count country created deadline detail device email enabled expires flag format "
    "group height label language level limit locale note owner phone priority "
    "quota rank region score source status street tag title total version weight "
    "width zone"
).split()
NESTED_CHILDREN = ("city", "street", "zip_code", "country", "region", "label")
VERBS = (
    "assigned by the server",
    "chosen by the client",
    "set when the record is saved",
    "updated on every change",
    "read from the account settings",
    "copied from the parent record",
)
SUBJECTS = ("record", "entry", "item", "resource", "object")

# Every row kind that a page may contain, with its page type and JSON Schema.
SCALAR_TYPES: dict[str, dict[str, object]] = {
    "int": {"type": "integer"},
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "float": {"type": "number"},
    "datetime": {"type": "string", "format": "date-time"},
    "date": {"type": "string", "format": "date"},
    "any": {},
}
ARRAY_ITEM_TYPES = ("int", "string", "float", "boolean")
ROW_KINDS = (*SCALAR_TYPES, "array", "bracket_array", "nested")


@dataclass(frozen=True)
class Row:
    """One table row: the property name as written in the page, its type and text."""

    name: str
    type: str
    description: str


@dataclass(frozen=True)
class Model:
    """One synthesized model: its title words, its rows and its JSON Schema."""

    words: tuple[str, ...]
    rows: tuple[Row, ...]
    schema: dict[str, object]

    @property
    def title(self) -> str:
        return " ".join(word.capitalize() for word in self.words)

    @property
    def stem(self) -> str:
        return "-".join(self.words) + "-model"


def model_words(count: int, rng: random.Random) -> list[tuple[str, ...]]:
    """Draw ``count`` distinct adjective-noun-noun triples, so no two models share a name."""
    total = len(ADJECTIVES) * len(NOUNS) * len(NOUNS)
    if count > total:
        raise ValueError(f"at most {total} distinct model names, {count} requested")
    triples = []
    for index in rng.sample(range(total), count):
        index, third = divmod(index, len(NOUNS))
        first, second = divmod(index, len(NOUNS))
        triples.append((ADJECTIVES[first], NOUNS[second], NOUNS[third]))
    return triples


def describe(subject: str, rng: random.Random) -> str:
    """Write a short description sentence in the style of a reference table."""
    thing = rng.choice(SUBJECTS)
    text = f"The {subject.replace('_', ' ')} of the {thing}, {rng.choice(VERBS)}."
    if rng.random() < 0.3:
        text += f"<br>Possible values depend on the `{rng.choice(FIELD_WORDS)}` setting."
    return text


def escape(name: str) -> str:
    """Escape a property name as the QuickBlox pages do: ``\\_`` and ``\\[``."""
    return name.replace("_", "\\_").replace("[", "\\[")


def synthesize_model(words: tuple[str, ...], rng: random.Random) -> Model:
    """Build one model of 10 to 15 rows, with at most one nested object."""
    target = rng.randint(10, 15)
    names = iter(rng.sample(FIELD_WORDS, len(FIELD_WORDS)))
    rows: list[Row] = [Row("id", "int", describe("identifier", rng))]
    properties: dict[str, object] = {"id": {"type": "integer"}}
    has_nested = False

    while len(rows) < target:
        name = f"{next(names)}_{rng.choice(SUBJECTS)}"
        kind = rng.choice(ROW_KINDS)
        if kind == "nested" and (has_nested or target - len(rows) < 3):
            kind = "string"

        if kind in SCALAR_TYPES:
            rows.append(Row(escape(name), kind, describe(name, rng)))
            properties[name] = dict(SCALAR_TYPES[kind])
        elif kind in ("array", "bracket_array"):
            item = rng.choice(ARRAY_ITEM_TYPES)
            written = f"{name}[]" if kind == "bracket_array" else name
            rows.append(Row(escape(written), f"array of {item}", describe(name, rng)))
            properties[name] = {"type": "array", "items": dict(SCALAR_TYPES[item])}
        else:
            has_nested = True
            rows.append(Row(escape(name), "nested object", describe(name, rng)))
            children: dict[str, object] = {}
            for child in rng.sample(NESTED_CHILDREN, 2):
                child_type = rng.choice(("string", "int"))
                path = f"{name}.{child}"
                rows.append(Row(escape(path), child_type, describe(child, rng)))
                children[child] = dict(SCALAR_TYPES[child_type])
            title = "".join(part.capitalize() for part in name.split("_"))
            properties[name] = {"type": "object", "title": title, "properties": children}

    schema: dict[str, object] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "".join(word.capitalize() for word in words),
        "type": "object",
        "properties": properties,
    }
    return Model(tuple(words), tuple(rows), schema)


def synthesize(count: int, seed: int = 0) -> list[Model]:
    """Build ``count`` models; the same ``count`` and ``seed`` give the same models."""
    rng = random.Random(f"{seed}:{count}")
    return [synthesize_model(words, rng) for words in model_words(count, rng)]


def render_page(model: Model, extra_rows: tuple[Row, ...] = ()) -> str:
    """Render a model as a page with a padded property table."""
    header = Row("Property name", "Type", "Description")
    rows = [*model.rows, *extra_rows]
    widths = [max(len(getattr(row, key)) for row in (header, *rows)) for key in Row.__annotations__]

    def line(cells: tuple[str, ...]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths))
        return "| " + " | ".join(padded) + " |"

    lines = [f"# {model.title} Model", "", f"The {model.title.lower()} model as the API returns it.", ""]
    lines.append(line((header.name, header.type, header.description)))
    lines.append(line(tuple("-" * width for width in widths)))
    lines.extend(line((row.name, row.type, row.description)) for row in rows)
    return "\n".join(lines) + "\n"


def write_corpus(models: list[Model], pages: Path, schemas: Path) -> None:
    """Write one page and one JSON Schema file per model into two folders."""
    pages.mkdir(parents=True, exist_ok=True)
    schemas.mkdir(parents=True, exist_ok=True)
    for model in models:
        (pages / f"{model.stem}.md").write_text(render_page(model), encoding="utf-8")
        schema_name = model.stem.replace("-", "_") + ".json"
        schema_text = json.dumps(model.schema, indent=2) + "\n"
        (schemas / schema_name).write_text(schema_text, encoding="utf-8")
