"""One page per hostile character class and per injection attempt, through the
whole pipeline, with the code or the error each one must produce."""

from __future__ import annotations

import ast
import os
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.errors import DocmodelsError

from .generated_code import check_package, generate, imported_package
from .hostile_text import BIDI, LINE_BREAKS

TABLE = "| Property | Type | Description |\n|---|---|---|\n"


def page(heading: str, *rows: tuple[str, str, str]) -> str:
    lines = [f"# {heading}", "", TABLE.rstrip("\n")]
    lines += [f"| {name} | {kind} | {text} |" for name, kind, text in rows]
    return "\n".join(lines) + "\n"


def build(tmp_path: Path, pages: dict[str, str]) -> dict[str, str]:
    """Generate, run every structural check on the package and return its files."""
    modules, files = generate(tmp_path, pages)
    check_package(tmp_path, modules, files)
    return files


def docstrings(code: str) -> list[str]:
    return [
        node.value.value
        for node in ast.walk(ast.parse(code))
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


def field_descs(code: str) -> list[tuple[str, str]]:
    """Return (attribute, wire name) of every rt.FieldDesc call."""
    result = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "rt.FieldDesc":
            attribute = node.args[0]
            assert isinstance(attribute, ast.Constant)
            wire = _keyword(node, "wire", attribute)
            assert isinstance(wire, ast.Constant)
            result.append((attribute.value, wire.value))
    return result


def _keyword(call: ast.Call, name: str, default: ast.expr) -> ast.expr:
    """The value of a keyword argument of a call, or ``default`` when it is absent."""
    return next((item.value for item in call.keywords if item.arg == name), default)


def assert_no_invisible(files: dict[str, str]) -> None:
    for name, code in files.items():
        for char in set(code) - {"\n"}:
            category = unicodedata.category(char)
            assert category[0] != "C", f"{name} contains {char!r}"
            assert category not in ("Zl", "Zp"), f"{name} contains {char!r}"


# ---------------------------------------------------------------------------
# Character classes

CHARACTER_CLASSES = {
    **{f"line break U+{ord(char):04X}": char for char in LINE_BREAKS[1:]},
    "NUL": "\x00",
    "bell": "\x07",
    "escape sequence": "\x1b[31m",
    "delete": "\x7f",
    "zero width space": "\u200b",
    "byte order mark": "\ufeff",
    **{f"bidi U+{ord(char):04X}": char for char in BIDI},
}


@pytest.mark.parametrize("char", CHARACTER_CLASSES.values(), ids=CHARACTER_CLASSES)
def test_character_in_every_cell(tmp_path: Path, char: str) -> None:
    text = f"before{char}after"
    files = build(
        tmp_path,
        {"user.md": page(f"User {text}", (f"key{char}x", "string", text))},
    )
    code = files["user.py"]
    assert_no_invisible(files)
    # The parser folds every whitespace character, line breaks included, into one
    # space and keeps the first word of a name. Other characters stay in the
    # value and appear escaped in the code. markdown-it replaces NUL with U+FFFD,
    # as CommonMark requires.
    expected = " ".join(text.replace("\x00", "\ufffd").split())
    escaped = "".join(
        char if char.isprintable() else f"\\x{ord(char):02x}"
        if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        for char in expected
    )  # fmt: skip
    assert f'    """{escaped}"""\n' in code
    assert expected in docstrings(code)
    wire_names = [wire for _, wire in field_descs(code)]
    if char.isspace():
        assert wire_names == ["key"]
    else:
        assert wire_names == [f"key{expected[6:-5]}x"]


def test_carriage_return_ends_the_table_row(tmp_path: Path) -> None:
    files = build(tmp_path, {"user.md": page("User", ("id", "int", "one\rtwo"))})
    # CommonMark reads a lone CR as a line break, so "two |" is a row of its own.
    assert field_descs(files["user.py"]) == [("id", "id"), ("two", "two")]
    assert "one" in docstrings(files["user.py"])


# ---------------------------------------------------------------------------
# Injection attempts


def test_property_name_with_code(tmp_path: Path) -> None:
    name = '`x: int = __import__("os").system("id")`'
    files = build(tmp_path, {"user.md": page("User", (name, "string", "Payload."))})
    code = files["user.py"]
    # A name with spaces is not a dotted path; the whole text is the wire key.
    assert field_descs(code) == [
        ("x_int_import_os_system_id", 'x: int = __import__("os").system("id")')
    ]
    tree = ast.parse(code)
    calls = {
        ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)
    }
    assert "__import__" not in calls
    assert "system" not in calls


def test_description_ending_in_backslash(tmp_path: Path) -> None:
    files = build(tmp_path, {"user.md": page("User", ("id", "int", "Ends in \\\\"))})
    assert '    """Ends in \\\\"""\n' in files["user.py"]
    assert "Ends in \\" in docstrings(files["user.py"])


def test_triple_quotes_in_heading(tmp_path: Path) -> None:
    files = build(tmp_path, {"user.md": page('Quote """ here', ("id", "int", "x"))})
    assert '    """Quote \\"\\"\\" here"""\n' in files["user.py"]
    assert "class QuoteHere(rt.Model[QuoteHereDict]):" in files["user.py"]


def test_quotes_at_docstring_edges(tmp_path: Path) -> None:
    files = build(
        tmp_path, {"user.md": page("User", ("id", "int", "\"quoted\" and '''"))}
    )
    # A docstring that starts with a quote gets a space, so it cannot merge with
    # the opening quotes.
    assert " \"quoted\" and '''" in docstrings(files["user.py"])


@pytest.mark.parametrize(
    "payload", ["{{ 7*7 }}", "{% for x in range(3) %}x{% endfor %}", "{# hidden #}"]
)
def test_jinja_syntax_is_plain_text(tmp_path: Path, payload: str) -> None:
    files = build(
        tmp_path,
        {"user.md": page(f"User {payload}", ("id", payload, f"Text {payload}"))},
    )
    code = files["user.py"]
    assert f"Text {payload}" in docstrings(code)
    assert "49" not in code
    assert "xxx" not in code
    # An unknown type becomes Any.
    assert "    id: Any | Missing = MISSING\n" in code


def test_nfkc_keyword_gets_underscore(tmp_path: Path) -> None:
    files = build(
        tmp_path, {"user.md": page("User", ("ｉｆ", "int", "x"), ("ℌ", "int", "y"))}
    )
    assert field_descs(files["user.py"]) == [("if_", "ｉｆ"), ("h", "ℌ")]


def test_nfkc_collision_names_both_lines(tmp_path: Path) -> None:
    text = page("User", ("ﬁeld", "int", "ligature"), ("field", "int", "plain"))
    with pytest.raises(DocmodelsError) as caught:
        generate(tmp_path, {"user.md": text})
    assert str(caught.value).startswith("docs/user.md:6: property 'field' and 'ﬁeld'")
    assert "(line 5)" in str(caught.value)


@pytest.mark.parametrize("name", ["field", "rt", "tuple", "frozenset", "self"])
def test_names_that_would_shadow(tmp_path: Path, name: str) -> None:
    text = page("User", (name, "int", "x"), ("{placeholder}", "string", "rest"))
    files = build(tmp_path, {"user.md": text})
    attributes = [attribute for attribute, _ in field_descs(files["user.py"])]
    assert attributes == [name if name == "self" else name + "_"]


def test_very_long_strings(tmp_path: Path) -> None:
    long_name = "n" * 5000
    description = "word " * 20_000
    files = build(
        tmp_path, {"user.md": page("H" * 3000, (long_name, "int", description))}
    )
    ((attribute, wire),) = field_descs(files["user.py"])
    assert wire == long_name
    assert len(attribute) <= 65
    assert description.strip() in docstrings(files["user.py"])


def test_deep_nesting_up_to_limit(tmp_path: Path) -> None:
    path = ".".join(f"level{index}" for index in range(16))
    rows = [("level0", "object", "top"), (path, "int", "deep")]
    files = build(tmp_path, {"user.md": page("User", *rows)})
    assert files["user.py"].count("@dataclass") == 16


def test_deep_nesting_over_limit(tmp_path: Path) -> None:
    path = ".".join(f"level{index}" for index in range(17))
    rows = [("level0", "object", "top"), (path, "int", "deep")]
    with pytest.raises(DocmodelsError) as caught:
        generate(tmp_path, {"user.md": page("User", *rows)})
    assert str(caught.value).startswith("docs/user.md:6: property 'level0.level1")
    assert "nested 17 levels deep, over the limit of 16" in str(caught.value)


def test_deep_type_nesting_becomes_any(tmp_path: Path) -> None:
    kind = "list[" * 500 + "int" + "]" * 500
    files = build(tmp_path, {"user.md": page("User", ("id", kind, "x"))})
    (annotation,) = [
        ast.unparse(node.annotation)
        for node in ast.walk(ast.parse(files["user.py"]))
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "id"
    ][1:]
    assert annotation == "list[" * 16 + "Any" + "]" * 16 + " | Missing"


@pytest.mark.parametrize(
    "stem",
    ["coding: utf-7", "x # noqa", "a # type: ignore", "pylint: disable=all", "b\rc"],
)
def test_file_name_cannot_become_a_directive(tmp_path: Path, stem: str) -> None:
    files = build(tmp_path, {f"{stem}.md": page("User", ("id", "int", "x"))})
    (code,) = [code for name, code in files.items() if not name.startswith("_")]
    header = code.splitlines()[0]
    assert header.count("#") == 1
    assert "coding:" not in header
    assert "# noqa" not in header


def test_front_matter_and_link_targets_stay_out(tmp_path: Path) -> None:
    description = "See [docs](https://example.com/hidden)."
    text = '---\ntitle: """\nimport os\n---\n' + page(
        "User", ("id", "int", description)
    )
    files = build(tmp_path, {"user.md": text})
    assert "hidden" not in files["user.py"]
    assert "import os" not in files["user.py"]
    assert "See docs." in docstrings(files["user.py"])


def test_script_link_stays_text(tmp_path: Path) -> None:
    # markdown-it rejects javascript: targets, so the whole link stays text.
    description = "See [docs](javascript:alert(1))."
    files = build(tmp_path, {"user.md": page("User", ("id", "int", description))})
    assert description in docstrings(files["user.py"])


def test_heading_that_names_a_typeddict(tmp_path: Path) -> None:
    text = (
        page("User", ("id", "int", "x")) + "\n" + page("User Dict", ("id", "int", "y"))
    )
    with pytest.raises(DocmodelsError) as caught:
        generate(tmp_path, {"user.md": text})
    assert (
        "docs/user.md:9: model 'UserDict' has the name of the TypedDict of the model "
        "at docs/user.md:3" in str(caught.value)
    )


@pytest.mark.skipif(sys.platform != "linux", reason="needs byte file names")
def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / os.fsdecode(b"bad\xff.md")).write_text(page("User", ("id", "int", "x")))
    with pytest.raises(DocmodelsError) as caught:
        generate(tmp_path, {})
    assert str(caught.value) == (
        "docs/bad\\udcff.md: the file name is not valid UTF-8\n"
        "  hint: rename the page; its name becomes a module name and appears in the spec"
    )


def test_required_key_of_any_type_must_be_present(tmp_path: Path) -> None:
    text = (
        "# User\n\n| Property | Type | Required |\n|---|---|---|\n"
        "| note | None | yes |\n| blob |  | yes |\n"
    )
    build(tmp_path, {"user.md": text})
    with imported_package(tmp_path / "out") as package:
        with pytest.raises(package.ValidationError) as caught:
            package.User.from_dict({"note": None})
        assert str(caught.value) == (
            "User.blob: expected a value, got nothing (required key missing)"
        )
        assert package.User.from_dict({"note": None, "blob": 1}).blob == 1


def test_literal_values_stay_constants(tmp_path: Path) -> None:
    values = ['x"""y', "{{ 7*7 }}", "\u202e", "a,b", "it's"]
    kind = """Literal['x\"\"\"y', "{{ 7*7 }}", '\u202e', 'a,b', "it's", 42, true]"""
    files = build(tmp_path, {"user.md": page("User", ("mode", kind, "Mode."))})
    (annotation,) = [
        node.annotation
        for node in ast.walk(ast.parse(files["user.py"]))
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "mode"
    ][1:]
    assert isinstance(annotation, ast.BinOp)
    literal = annotation.left
    assert isinstance(literal, ast.Subscript)
    assert ast.unparse(literal.value) == "Literal"
    assert isinstance(literal.slice, ast.Tuple)
    constants = [ast.literal_eval(element) for element in literal.slice.elts]
    assert constants == [*values, 42, True]
    assert "\u202e" not in files["user.py"]


@pytest.mark.parametrize(
    "value", ["9223372036854775808", "-9223372036854775808", "9" * 5000]
)
def test_int_enum_past_64_bits_stays_int(
    tmp_path: Path, value: str
) -> None:
    """Spec files hold integer enumeration values of 64 bits, and mypy 2.4 rejects
    ``Literal[-9223372036854775808]``, so such a list leaves the field an int."""
    text = f"The size. Possible values are: `{value}`, `1`."
    build(tmp_path, {"box.md": page("Box", ("size", "integer", text))})
    with imported_package(tmp_path / "out") as package:
        assert package.Box.from_dict({"size": 5}).size == 5


def test_functional_typeddict_names_later_models(tmp_path: Path) -> None:
    # A camel-case key needs the functional TypedDict syntax, whose values Python
    # evaluates at import time, before Pet is defined and while User is not yet.
    text = (
        page(
            "User",
            ("bestFriend", "User", "x"),
            ("petInfo", "Pet", "y"),
            ("userId", "int", "z"),
        )
        + "\n"
        + page("Pet", ("name", "string", "n"))
    )
    build(tmp_path, {"user.md": text})
    with imported_package(tmp_path / "out") as package:
        assert package.UserDict.__optional_keys__ == {"bestFriend", "petInfo", "userId"}
        user = package.User.from_dict({"bestFriend": {"petInfo": {"name": "Rex"}}})
        assert user.best_friend.pet_info.name == "Rex"
