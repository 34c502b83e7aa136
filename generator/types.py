"""Read the Type cell of a property table into a :data:`generator.spec.TypeRef`.

The vocabulary covers the spellings of API documentation and of the languages
that client generators write. It reads scalar names (``integer``, ``Int64``, ``Guid``,
``time.Time``, ``DateTimeOffset``, ``snowflake``, ``keyword``), arrays (``array
of X``, ``X[]``, ``[]X``, ``List[X]``, ``List<X>``, ``Array<X>``, ``X
collection``, ``[(X,)]``), maps (``Dict[str, X]``, ``Map<K, V>``,
``map[string]X``), unions (``X or Y``, ``X | Y``, ``X/Y``, ``Union[X, Y]``),
``Literal["x"]``, and format hints (``string (uuid)``). Nullability comes from
``?X``, ``X?``, ``*X``, ``X | null``, ``Nullable[X]`` and ``OptionalNullable[X]``.
``Optional[X]`` and ``OptionalNullable[X]`` also mark the field optional.

A name that is no known type becomes ``ModelRef(name, "")``: a reference to a
model or enumeration that :mod:`generator.references` resolves across pages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import naming
from .spec import (
    ListOf,
    LiteralOf,
    MapOf,
    ModelRef,
    Scalar,
    ScalarKind,
    TypeRef,
    UnionOf,
)

SCALAR_NAMES: dict[str, ScalarKind] = {
    "int": "int", "integer": "int", "int32": "int", "int64": "int", "long": "int",
    "short": "int", "uint": "int", "uint32": "int", "uint64": "int", "i32": "int",
    "i64": "int", "u32": "int", "u64": "int", "bigint": "int", "unsigned long": "int",
    "number": "float", "float": "float", "double": "float", "decimal": "float",
    "float32": "float", "float64": "float", "f64": "float", "bigdecimal": "float",
    "scaled_float": "float", "half_float": "float",
    "string": "str", "str": "str", "text": "str", "uuid": "str", "guid": "str",
    "url": "str", "uri": "str", "email": "str", "char": "str", "character": "str",
    "snowflake": "str", "keyword": "str", "constant_keyword": "str", "wildcard": "str",
    "match_only_text": "str", "ip": "str", "hostname": "str", "password": "str",
    "byte": "str", "binary": "str", "duration": "str", "timespan": "str",
    "boolean": "bool", "bool": "bool",
    "datetime": "datetime", "date-time": "datetime", "iso8601": "datetime",
    "iso 8601": "datetime", "iso8601 timestamp": "datetime", "rfc3339": "datetime",
    "datetimeoffset": "datetime", "time.time": "datetime", "instant": "datetime",
    "offsetdatetime": "datetime", "zoneddatetime": "datetime", "localdatetime": "datetime",
    "timestamp": "timestamp", "unix timestamp": "timestamp", "epoch": "timestamp",
    "date": "date", "localdate": "date",
    "object": "object", "nested object": "object", "json": "object", "hash": "object",
    "dict": "object", "map": "object", "dictionary": "object", "flattened": "object",
    "any": "any", "mixed": "any", "unknown": "any", "interface{}": "any",
}  # fmt: skip
"""Lower-case type names and the scalar they mean."""

NESTED_OBJECT_NAMES = frozenset({"object", "nested object", "hash", "json"})
"""Type names that, with dotted child rows, make a nested model."""

_NULL_NAMES = frozenset({"null", "none", "nil", "undefined"})
_LIST_GENERICS = frozenset(
    {"list", "array", "set", "sequence", "iterable", "ienumerable", "collection",
     "vec", "frozenset", "readonlyarray", "ilist", "icollection", "arraylist"}
)  # fmt: skip
_MAP_GENERICS = frozenset(
    {"dict", "map", "mapping", "record", "hashmap", "dictionary", "idictionary"}
)
_GENERIC = re.compile(r"^([A-Za-z_][\w.]*)\s*([\[<])(.*)([\]>])$", re.DOTALL)
_GO_MAP = re.compile(r"^map\[([^\]]+)\](.+)$")
_ARRAY_OF = re.compile(r"^(?:an? )?(?:array|list|set)s? of (.+)$", re.IGNORECASE)
_SUFFIX_COLLECTION = re.compile(r"^(.+?) (?:collection|array|list)$", re.IGNORECASE)
_PAREN_NOTE = re.compile(r"^(.+?)\s+\(([^()]*)\)$")
_IDENTIFIER = re.compile(r"^[A-Za-z_][\w.]*(?: [A-Za-z_][\w]*){0,2}$")
_OBJECT_WORDS = re.compile(r"\s+(?:object|objects|model|structure)$", re.IGNORECASE)
_ID_WORDS = re.compile(r"(?:^|\s)(?:object )?ids?$", re.IGNORECASE)
_BACKSLASH_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>&\"'])")
_MODULE_PREFIX = re.compile(r"^(?:[a-z_][\w]*\.)+(?=[A-Z])")
_QUOTED = re.compile(r"""^(?:"([^"]*)"|'([^']*)')$""")
_CLOSING = {"[": "]", "<": ">", "(": ")", "{": "}"}


@dataclass(frozen=True)
class ParsedType:
    """The result of reading a Type cell: the type, and the flags its spelling sets."""

    type: TypeRef
    known: bool
    """Whether every part was recognised; unknown parts are ``any``."""
    nullable: bool = False
    """Whether the spelling allows null (``?X``, ``X | null``, ``Nullable[X]``)."""
    optional: bool = False
    """Whether the spelling marks the field optional (``Optional[X]``)."""


def clean_type_text(text: str) -> str:
    """Remove Markdown leftovers from a Type cell: entities, escapes, emphasis, ticks."""
    text = html.unescape(html.unescape(text))
    text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    text = " ".join(text.replace("`", "").replace("**", "").split())
    if len(text) > 2 and text.startswith("*") and text.endswith("*"):
        text = text[1:-1]
    return text.replace("*]", "]").replace("[*", "[").strip()


def parse_type(text: str) -> ParsedType:
    """Read a Type cell; unknown parts become ``any`` and mark the result unknown."""
    cleaned = clean_type_text(text)
    if cleaned.startswith(("*", "?")):
        inner = _parse(cleaned[1:])
        return _with(inner, nullable=True)
    return _parse(cleaned)


def _with(
    parsed: ParsedType, *, nullable: bool = False, optional: bool = False
) -> ParsedType:
    return ParsedType(
        parsed.type,
        parsed.known,
        parsed.nullable or nullable,
        parsed.optional or optional,
    )


MAX_TYPE_DEPTH = 16
"""Parts nested deeper than this (``list[list[...]]``) are read as unknown ``any``,
which bounds the recursion of the parser and of every stage that walks a type."""

_depth = [0]
"""Nesting depth of the parse under way. The parser runs in one thread at a time."""


def _parse(text: str) -> ParsedType:
    if _depth[0] >= MAX_TYPE_DEPTH:
        return ParsedType(Scalar("any"), False)
    _depth[0] += 1
    try:
        return _parse_unbounded(text)
    finally:
        _depth[0] -= 1


def _parse_unbounded(text: str) -> ParsedType:
    text = text.strip()
    lower = text.lower()
    if not text:
        return ParsedType(Scalar("any"), False)
    if lower.startswith("edm."):
        return _parse(text[4:])
    if lower in SCALAR_NAMES:
        return ParsedType(Scalar(SCALAR_NAMES[lower]), True)
    if lower in _NULL_NAMES:
        return ParsedType(Scalar("any"), True, nullable=True)

    note = _PAREN_NOTE.match(text)
    if note:
        return _parse_note(note.group(1), note.group(2))
    options = _split_top(text, ("|", " or "))
    if len(options) > 1:
        return _union([_parse(option) for option in options])
    if text.endswith("[]"):
        return _list_of(_parse(text[:-2]))
    generic = _GENERIC.match(text)
    if (
        generic
        and _CLOSING[generic.group(2)] == generic.group(4)
        and _balanced(generic.group(3))
    ):
        return _parse_generic(generic.group(1), generic.group(3))
    return _parse_collection(text)


def _parse_collection(text: str) -> ParsedType:
    """Read the array, map, pointer and name spellings that have no generic brackets."""
    lower = text.lower()
    if text.startswith("[]"):
        return _list_of(_parse(text[2:]))
    go_map = _GO_MAP.match(text)
    if go_map:
        return _map_of(_parse(go_map.group(2)))
    if text.startswith("[") and text.endswith("]") and _balanced(text[1:-1]):
        return _list_of(_parse(_strip_tuple(text[1:-1])))
    if text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        parts = [part for part in _split_top(text[1:-1], (",",)) if part.strip()]
        return _union([_parse(part) for part in parts])
    if text.endswith("?"):
        return _with(_parse(text[:-1]), nullable=True)
    if text.startswith("*"):
        return _with(_parse(text[1:]), nullable=True)
    if lower in ("array", "list", "set"):
        return ParsedType(ListOf(Scalar("any")), True)
    array = _ARRAY_OF.match(text) or _SUFFIX_COLLECTION.match(text)
    if array:
        return _list_of(_parse(_singular(array.group(1))))
    slashed = _split_top(text, ("/",))
    if len(slashed) > 1:
        parsed = [_parse(option) for option in slashed]
        if all(item.known and not isinstance(item.type, ModelRef) for item in parsed):
            return _union(parsed)
    return _parse_name(text)


def _parse_name(text: str) -> ParsedType:
    """Read a plain name: a plural scalar, an id, or a reference to another model."""
    lower = text.lower()
    singular = _singular(lower)
    if singular != lower and singular in SCALAR_NAMES:
        return ParsedType(Scalar(SCALAR_NAMES[singular]), True)
    if _ID_WORDS.search(text) and " " in text:
        return ParsedType(Scalar("str"), True)
    stripped = _OBJECT_WORDS.sub("", text)
    if stripped != text:
        return _parse(stripped)
    if _IDENTIFIER.match(text):
        name = _MODULE_PREFIX.sub("", text).rsplit(".", 1)[-1] if "." in text else text
        return ParsedType(ModelRef(naming.class_name(name), ""), True)
    return ParsedType(Scalar("any"), False)


def _parse_note(base_text: str, note_text: str) -> ParsedType:
    """Read ``string (uuid)``: a format hint refines the base; ``(can be null)`` allows null."""
    base = _parse(base_text)
    note = note_text.strip().lower()
    nullable = "null" in note.split() or "nullable" in note
    if (
        note in SCALAR_NAMES
        and isinstance(base.type, Scalar)
        and base.type.kind == "str"
    ):
        return ParsedType(Scalar(SCALAR_NAMES[note]), True, base.nullable or nullable)
    return _with(base, nullable=nullable)


def _parse_generic(name: str, arguments: str) -> ParsedType:
    lowered = name.lower()
    parts = [part.strip() for part in _split_top(arguments, (",",))]
    if lowered == "optional":
        return _with(_parse(arguments), optional=True)
    if lowered == "optionalnullable":
        return _with(_parse(arguments), optional=True, nullable=True)
    if lowered == "nullable":
        return _with(_parse(arguments), nullable=True)
    if lowered == "union":
        return _union([_parse(part) for part in parts])
    if lowered == "literal":
        return _literal(parts)
    if lowered in _LIST_GENERICS:
        return _list_of(_parse(parts[0]))
    if lowered in _MAP_GENERICS:
        if len(parts) != 2:
            return ParsedType(MapOf(Scalar("any")), False)
        return _map_of(_parse(parts[1]))
    return ParsedType(Scalar("any"), False)


def _literal(parts: list[str]) -> ParsedType:
    values: list[str | int | bool] = []
    for part in parts:
        quoted = _QUOTED.match(part)
        if quoted:
            values.append(
                quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
            )
        elif re.fullmatch(r"-?\d{1,18}", part):
            # Longer numbers may not fit the 64 bits that spec files allow.
            values.append(int(part))
        elif part in ("True", "False", "true", "false"):
            values.append(part.lower() == "true")
        else:
            return ParsedType(Scalar("any"), False)
    if not values:
        return ParsedType(Scalar("any"), False)
    return ParsedType(LiteralOf(tuple(values)), True)


def _list_of(item: ParsedType) -> ParsedType:
    return ParsedType(ListOf(item.type), item.known)


def _map_of(value: ParsedType) -> ParsedType:
    return ParsedType(MapOf(value.type), value.known)


def _union(parsed: list[ParsedType]) -> ParsedType:
    """Combine union members; a ``null`` member makes the union nullable instead."""
    nullable = any(item.nullable for item in parsed)
    members = [
        item for item in parsed
        if not (isinstance(item.type, Scalar) and item.type.kind == "any" and item.nullable)
    ]  # fmt: skip
    if not members:
        return ParsedType(Scalar("any"), True, nullable)
    return ParsedType(
        union_of(tuple(item.type for item in members)),
        all(item.known for item in members),
        nullable,
        any(item.optional for item in parsed),
    )


def _strip_tuple(text: str) -> str:
    """Turn the Python tuple spelling ``(str,)`` of openapi-generator into ``str``."""
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        inner = text[1:-1].strip().rstrip(",").strip()
        if _balanced(inner):
            return " | ".join(_split_top(inner, (",",)))
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        if char in "[<({":
            depth += 1
        elif char in "]>)}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _split_top(text: str, separators: tuple[str, ...]) -> list[str]:
    """Split text on any separator that is outside brackets and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[<({":
            depth += 1
        elif char in "]>)}":
            depth -= 1
        elif depth == 0:
            for separator in separators:
                if text.startswith(separator, index):
                    parts.append(text[start:index].strip())
                    index += len(separator)
                    start = index
                    break
            else:
                index += 1
            continue
        index += 1
    parts.append(text[start:].strip())
    return [part for part in parts if part] if len(parts) > 1 else parts


def _singular(word: str) -> str:
    lower = word.lower()
    if lower.endswith("ies"):
        return word[:-3] + "y"
    if lower.endswith("s") and not lower.endswith("ss") and lower[:-1] in SCALAR_NAMES:
        return word[:-1]
    if lower.endswith((" objects", " ids")):
        return word[:-1]
    return word


def union_of(options: tuple[TypeRef, ...]) -> TypeRef:
    """Build a union, flattening nested unions and dropping duplicates; one option is itself."""
    flat: dict[TypeRef, None] = {}
    for option in options:
        members = option.options if isinstance(option, UnionOf) else (option,)
        for member in members:
            flat.setdefault(member, None)
    unique = tuple(flat)
    return unique[0] if len(unique) == 1 else UnionOf(unique)


def map_refs(type_ref: TypeRef, function: Callable[[ModelRef], TypeRef]) -> TypeRef:
    """Return the type with every model reference in it replaced by ``function(ref)``."""
    if isinstance(type_ref, ModelRef):
        return function(type_ref)
    if isinstance(type_ref, ListOf):
        return ListOf(map_refs(type_ref.item, function))
    if isinstance(type_ref, MapOf):
        return MapOf(map_refs(type_ref.value, function))
    if isinstance(type_ref, UnionOf):
        return UnionOf(tuple(map_refs(option, function) for option in type_ref.options))
    return type_ref
