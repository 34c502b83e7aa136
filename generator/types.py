"""Read the Type cell of a property table into a :data:`generator.spec.TypeRef`.

The vocabulary covers the spellings of common API documentation: scalar names
(``int``, ``integer``, ``string``, ``boolean``, ``float``, ``datetime``,
``timestamp``, ``date``, ``object``, ``any``), arrays (``array of X``, ``X[]``,
``List[X]``, ``list[X]``), maps (``Dict[str, X]``) and unions (``X or Y``,
``X | Y``). A parenthesised note such as ``int (0 or 1)`` is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .spec import ListOf, MapOf, Scalar, ScalarKind, TypeRef, UnionOf

SCALAR_NAMES: dict[str, ScalarKind] = {
    "int": "int", "integer": "int", "int32": "int", "int64": "int", "long": "int",
    "number": "float", "float": "float", "double": "float", "decimal": "float",
    "string": "str", "str": "str", "text": "str", "uuid": "str", "url": "str", "uri": "str",
    "email": "str",
    "boolean": "bool", "bool": "bool",
    "datetime": "datetime", "date-time": "datetime", "iso8601": "datetime",
    "timestamp": "timestamp", "unix timestamp": "timestamp",
    "date": "date",
    "object": "object", "nested object": "object", "json": "object", "hash": "object",
    "any": "any", "mixed": "any",
}  # fmt: skip
"""Lower-case type names and the scalar they mean."""

NESTED_OBJECT_NAMES = frozenset({"object", "nested object", "hash", "json"})
"""Type names that, with dotted child rows, make a nested model."""


@dataclass(frozen=True)
class ParsedType:
    """The result of reading a Type cell: the type, and whether every part was recognised."""

    type: TypeRef
    known: bool


_ARRAY_OF = re.compile(r"^(?:an? )?(?:array|list)s?(?: of)? (.+)$")
_GENERIC = re.compile(r"^(list|array|set|sequence|dict|map|mapping)\s*\[(.*)\]$")
_PAREN_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
_UNION_SPLIT = re.compile(r"\s+or\s+|\s*\|\s*")


def parse_type(text: str) -> ParsedType:
    """Read a Type cell; unknown parts become ``any`` and mark the result unknown."""
    cleaned = " ".join(text.replace("`", "").split()).strip().lower()
    return _parse(cleaned)


def _parse(text: str) -> ParsedType:
    text = _PAREN_NOTE.sub("", text).strip()
    if not text:
        return ParsedType(Scalar("any"), False)
    if text in SCALAR_NAMES:
        return ParsedType(Scalar(SCALAR_NAMES[text]), True)

    generic = _GENERIC.match(text)
    if generic:
        return _parse_generic(generic.group(1), generic.group(2))
    if text.endswith("[]"):
        item = _parse(text[:-2])
        return ParsedType(ListOf(item.type), item.known)
    array = _ARRAY_OF.match(text)
    if array:
        item = _parse(_singular(array.group(1)))
        return ParsedType(ListOf(item.type), item.known)
    if text in ("array", "list"):
        return ParsedType(ListOf(Scalar("any")), True)

    options = [part for part in _UNION_SPLIT.split(text) if part]
    if len(options) > 1:
        parsed = [_parse(option) for option in options]
        return ParsedType(
            union_of(tuple(item.type for item in parsed)),
            all(item.known for item in parsed),
        )
    singular = _singular(text)
    if singular != text:
        return _parse(singular)
    return ParsedType(Scalar("any"), False)


def _parse_generic(name: str, arguments: str) -> ParsedType:
    parts = [part.strip() for part in arguments.split(",")]
    if name in ("dict", "map", "mapping"):
        value = (
            _parse(parts[-1]) if len(parts) == 2 else ParsedType(Scalar("any"), False)
        )
        return ParsedType(MapOf(value.type), value.known)
    item = _parse(arguments)
    return ParsedType(ListOf(item.type), item.known)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and word[:-1] in SCALAR_NAMES:
        return word[:-1]
    if word.endswith("s") and word[:-1] in NESTED_OBJECT_NAMES:
        return word[:-1]
    return word


def union_of(options: tuple[TypeRef, ...]) -> TypeRef:
    """Build a union, flattening nested unions and dropping duplicates; one option is itself."""
    flat: list[TypeRef] = []
    for option in options:
        members = option.options if isinstance(option, UnionOf) else (option,)
        for member in members:
            if member not in flat:
                flat.append(member)
    return flat[0] if len(flat) == 1 else UnionOf(tuple(flat))
