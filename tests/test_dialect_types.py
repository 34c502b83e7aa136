"""Type cells in the spellings of many vendors and languages."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.expressions import python_annotation, wire_type
from generator.spec import ListOf, LiteralOf, MapOf, Scalar, TypeRef, UnionOf
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


_SCALAR_KINDS = ["int", "float", "str", "bool", "any", "object", "datetime", "date", "timestamp"]
_TYPES: st.SearchStrategy[TypeRef] = st.recursive(
    st.sampled_from(_SCALAR_KINDS).map(Scalar)
    | st.sampled_from([LiteralOf(("a", 1)), LiteralOf((True,))]),
    lambda inner: inner.map(ListOf)
    | inner.map(MapOf)
    | st.lists(inner, min_size=2, max_size=4).map(lambda options: UnionOf(tuple(options))),
    max_leaves=6,
)



def _union_members(node: ast.expr) -> list[str]:
    """The members of a ``|`` chain, as source text."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return [*_union_members(node.left), *_union_members(node.right)]
    return [ast.unparse(node)]


@given(type_ref=_TYPES)
def test_union_annotations_name_each_member_once(type_ref: TypeRef) -> None:
    """``datetime | timestamp`` and ``str | date`` are distinct types that share a
    Python or a wire annotation; ruff reports a union that repeats a member."""
    for annotation in (python_annotation(type_ref), wire_type(type_ref)):
        for node in ast.walk(ast.parse(annotation, mode="eval")):
            if isinstance(node, ast.BinOp):
                members = _union_members(node)
                assert len(members) == len(set(members)), annotation
