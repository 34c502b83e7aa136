"""Type cells in the spellings of many vendors and languages."""

from __future__ import annotations

import pytest

from generator.expressions import python_annotation
from generator.types import parse_type

CASES = [
    # text, annotation, nullable, optional
    ("integer", "int", False, False),
    ("Int64", "int", False, False),
    ("long", "int", False, False),
    ("Guid", "str", False, False),
    ("snowflake", "str", False, False),
    ("time.Time", "datetime", False, False),
    ("DateTimeOffset", "datetime", False, False),
    ("date-time", "datetime", False, False),
    ("ISO8601", "datetime", False, False),
    ("string (uuid)", "str", False, False),
    ("string (date-time)", "datetime", False, False),
    ("?string", "str", True, False),
    ("string?", "str", True, False),
    ("*string", "str", True, False),
    ("?ISO8601", "datetime", True, False),
    ("?string (can be null in drafts)", "str", True, False),
    ("string | null", "str", True, False),
    ("`string` \\| `null`", "str", True, False),
    ("integer or string", "int | str", False, False),
    ("integer/string", "int | str", False, False),
    ("number&#124;string", "float | str", False, False),
    ("Union[int, str]", "int | str", False, False),
    ("List[str]", "list[str]", False, False),
    ("list[str]", "list[str]", False, False),
    ("string[]", "list[str]", False, False),
    ("[]string", "list[str]", False, False),
    ("Array<Tag>", "list[Tag]", False, False),
    ("List&lt;String&gt;", "list[str]", False, False),
    ("List&#x3C;Long&#x3E;", "list[int]", False, False),
    ("array of integers", "list[int]", False, False),
    ("array of [role] object ids", "list[str]", False, False),
    ("array of sticker pack objects", "list[StickerPack]", False, False),
    ("String collection", "list[str]", False, False),
    ("[(str,)]", "list[str]", False, False),
    ("array", "list[Any]", False, False),
    ("Dict[str, X]", "dict[str, X]", False, False),
    ("Dict[str, *Any*]", "dict[str, Any]", False, False),
    ("Map<String, List<Integer>>", "dict[str, list[int]]", False, False),
    ("map[string]int", "dict[str, int]", False, False),
    ("object", "dict[str, Any]", False, False),
    ('Literal["agent.done"]', 'Literal["agent.done"]', False, False),
    ("Literal[1, 2]", "Literal[1, 2]", False, False),
    ("*OptionalNullable[str]*", "str", True, True),
    ("Optional[models.Widget]", "Widget", False, True),
    ("Nullable[int]", "int", True, False),
    ("**List[V1OwnerReference]**", "list[V1OwnerReference]", False, False),
    ("user object", "User", False, False),
]


@pytest.mark.parametrize(("text", "annotation", "nullable", "optional"), CASES)
def test_type_spelling(
    text: str, annotation: str, nullable: bool, optional: bool
) -> None:
    parsed = parse_type(text)
    assert python_annotation(parsed.type) == annotation
    assert parsed.nullable is nullable
    assert parsed.optional is optional
    assert parsed.known


@pytest.mark.parametrize("text", ["", "a b c d e", "Foo<Bar>", "Dict[str]"])
def test_unknown_type_is_any(text: str) -> None:
    parsed = parse_type(text)
    assert not parsed.known
    assert "Any" in python_annotation(parsed.type)
