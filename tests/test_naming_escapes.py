"""The escaping functions of naming, one character class at a time: the code is
one line per literal, black leaves it unchanged, and Python reads back the text."""

from __future__ import annotations

import ast
import io
import tokenize

import black
import pytest

from generator import format as formatting
from generator import naming

from .hostile_text import BIDI, INJECTIONS, INVISIBLE, LINE_BREAKS

SAMPLES = [*LINE_BREAKS, "\n", *INVISIBLE, *BIDI, *INJECTIONS, "a\\", '"', 'a"']


def _value(code: str) -> object:
    statement = ast.parse(code).body[0]
    assert isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    return statement.value.value


@pytest.mark.parametrize("sample", SAMPLES)
def test_string_literal_round_trips(sample: str) -> None:
    text = f"x{sample}y{sample}"
    literal = naming.string_literal(text)
    code = f"value = {literal}\n"
    assert "\n" not in literal
    assert literal.isprintable()
    assert black.format_str(code, mode=formatting.MODE).count("\n") == 1
    assert _value(literal) == text


@pytest.mark.parametrize("sample", SAMPLES)
def test_docstring_literal_keeps_words(sample: str) -> None:
    text = f"Start {sample} middle {sample}"
    literal = naming.docstring_literal(text, "    ")
    code = f"class A:\n    {literal}\n"
    assert all(line.isprintable() for line in literal.splitlines())
    assert black.format_str(code, mode=formatting.MODE) == code
    tree = ast.parse(code)
    docstring = ast.get_docstring(tree.body[0], clean=False)  # type: ignore[arg-type]
    assert docstring is not None
    assert docstring.split() == text.split()


@pytest.mark.parametrize("sample", [*SAMPLES, "\\", "end\\"])
def test_docstring_ending_in_sample(sample: str) -> None:
    literal = naming.docstring_literal(f"Text {sample}", "")
    code = f"{literal}\n"
    assert black.format_str(code, mode=formatting.MODE) == code
    assert isinstance(_value(code), str)


@pytest.mark.parametrize("sample", SAMPLES)
def test_comment_text_is_one_inert_comment(sample: str) -> None:
    code = f"# Generated from {naming.comment_text(f'docs/{sample}.md')}.\nx = 1\n"
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    comments = [token.string for token in tokens if token.type == tokenize.COMMENT]
    assert len(comments) == 1
    assert comments[0].count("#") == 1
    encoding, _ = tokenize.detect_encoding(io.BytesIO(code.encode()).readline)
    assert encoding == "utf-8"
    assert ast.unparse(ast.parse(code)) == "x = 1"


def test_comment_text_breaks_directives() -> None:
    text = naming.comment_text("a coding: utf-7 # noqa type: ignore pylint:disable")
    assert text == (
        "a coding\\x3a utf-7 \\x23 noqa type\\x3a ignore pylint\\x3adisable"
    )


@pytest.mark.parametrize(
    ("raw", "field", "cls"),
    [
        ("ｉｆ", "if_", "If"),
        ("ﬁeld", "field_", "Field"),
        ("class", "class_", "Class"),
        ("None", "none", "NoneModel"),
        ("_id", "id_", "Id"),
        ("tuple", "tuple_", "Tuple"),
        ("rt", "rt_", "Rt"),
        ("Any", "any", "AnyModel"),
        ('x: int = __import__("os")', "x_int_import_os", "XIntImportOs"),
        ("{{ 7*7 }}", "field_7_7", "Model77"),
        ("\u202eevil", "evil", "Evil"),
    ],
)
def test_names_from_hostile_text(raw: str, field: str, cls: str) -> None:
    assert naming.field_name(raw) == field
    assert naming.class_name(raw) == cls
    assert naming.is_field_name(naming.field_name(raw))
    assert naming.is_class_name(naming.class_name(raw))


def test_long_names_are_shortened_and_distinct() -> None:
    first, second = naming.field_name("a" * 500), naming.field_name("a" * 501)
    assert first != second
    assert len(first) <= 64
    assert naming.is_field_name(first)
    nested = naming.nested_class_name("A" * 60, "b" * 60)
    assert len(nested) == 64
    assert naming.is_class_name(nested)
