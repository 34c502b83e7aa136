"""Turn documentation text into Python names and literals that are safe to emit.

Every piece of page text that reaches generated code passes through exactly one
function here, chosen by where it lands: an identifier (:func:`field_name`,
:func:`class_name`, :func:`module_name`), a string literal (:func:`string_literal`),
a docstring (:func:`docstring_literal`) or a comment (:func:`comment_text`).
Templates never paste page text directly.
"""

from __future__ import annotations

import hashlib
import keyword
import re
import unicodedata

MAX_IDENTIFIER_LENGTH = 64
"""Longer names are cut and given a hash suffix, so they stay distinct and stable."""

RESERVED_FIELD_NAMES = frozenset(
    {
        # Names that generated class bodies use in annotations and decorators: a field
        # with one of these names would shadow it inside the class for type checkers.
        "int", "float", "str", "bool", "list", "dict", "object", "bytes", "tuple",
        "frozenset", "datetime", "date", "classmethod", "staticmethod", "property",
        "rt", "field",
        # Methods and attributes of every generated model.
        "from_dict", "to_dict", "from_json", "to_json", "extra",
    }
)  # fmt: skip
"""Field names that get a trailing underscore, besides Python keywords."""

RESERVED_CLASS_NAMES = frozenset(
    {
        "Any", "Literal", "TypedDict", "NotRequired", "Required", "Final", "Self",
        "ClassVar", "Mapping", "Missing", "MISSING", "ValidationError", "ErrorDetail",
        "cast", "dataclass", "field", "datetime", "date", "timezone", "json",
    }
)  # fmt: skip
"""Class names that would shadow a name the generated modules import."""

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def ascii_words(text: str) -> list[str]:
    """Split text into ASCII words: NFKC first, accents dropped, camelCase split."""
    normalized = unicodedata.normalize("NFKC", text)
    folded = (
        unicodedata.normalize("NFKD", normalized).encode("ascii", "ignore").decode()
    )
    spaced = _CAMEL_BOUNDARY.sub(" ", folded)
    return [word for word in _NOT_WORD.split(spaced) if word]


def _shorten(name: str, separator: str = "_") -> str:
    if len(name) <= MAX_IDENTIFIER_LENGTH:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    keep = MAX_IDENTIFIER_LENGTH - len(digest) - len(separator)
    return f"{name[:keep]}{separator}{digest}"


def snake_case(text: str) -> str:
    """Return the snake_case form of text, or an empty string if it has no ASCII word."""
    return "_".join(word.lower() for word in ascii_words(text))


def field_name(wire_name: str) -> str:
    """Map a wire key to a Python attribute name.

    The rule depends only on the key, so a name never changes because another
    field was added: leading underscores become one trailing underscore (``_id``
    becomes ``id_``), and keywords and reserved names get a trailing underscore too.
    """
    base = snake_case(wire_name)
    if not base:
        base = "field_" + hashlib.sha256(wire_name.encode()).hexdigest()[:8]
    elif base[0].isdigit():
        base = "field_" + base
    base = _shorten(base)
    stripped = unicodedata.normalize("NFKC", wire_name).strip()
    if (
        stripped.startswith("_")
        or keyword.iskeyword(base)
        or base in RESERVED_FIELD_NAMES
    ):
        base += "_"
    return base


def class_name(text: str) -> str:
    """Map a heading or a field path to a CamelCase class name."""
    words = ascii_words(text)
    name = "".join(word[:1].upper() + word[1:] for word in words) or "Model"
    if name[0].isdigit():
        name = "Model" + name
    return _unreserved_class(_shorten(name, separator=""))


def _unreserved_class(name: str) -> str:
    if name in RESERVED_CLASS_NAMES or keyword.iskeyword(name):
        return name + "Model"
    return name


def nested_class_name(parent: str, segment: str) -> str:
    """Name the model of a dotted group: the parent class name, then the segment's."""
    return _unreserved_class(_shorten(parent + class_name(segment), separator=""))


def module_name(stem: str) -> str:
    """Map a page's file name to a module name inside the generated package."""
    name = snake_case(stem) or "page"
    if name[0].isdigit():
        name = "page_" + name
    name = _shorten(name)
    if keyword.iskeyword(name):
        name += "_"
    return name


def is_safe_identifier(name: str) -> bool:
    """Return whether a name from a spec file is an ASCII identifier that is no keyword."""
    return name.isascii() and name.isidentifier() and not keyword.iskeyword(name)


_LOWER_NAME = re.compile(r"[a-z][a-z0-9_]*")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
"""An ASCII identifier without a leading underscore, which would make it private
or, as ``__init__`` or ``__slots__``, change what the class does."""
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]*")
"""A name as :func:`class_name` makes it. A lower-case model name could shadow a
builtin that annotations use (``str``, ``list``), the ``annotations`` import, or a
module of the package that ``__init__`` imports by the same name."""

CLASS_ATTRIBUTES = frozenset({"FIELDS", "UNKNOWN_KEYS"})
"""Class variables of every generated model, which a field must not replace."""


def is_field_name(name: str) -> bool:
    """Return whether a name from a spec file or an override can be an attribute.

    :func:`field_name` only makes such names. The check keeps a hand-edited
    name from shadowing a builtin, an imported name, a generated method or the
    module's ``_runtime`` alias inside the class body.
    """
    return (
        _NAME.fullmatch(name) is not None
        and not keyword.iskeyword(name)
        and name not in RESERVED_FIELD_NAMES
        and name not in RESERVED_CLASS_NAMES
        and name not in CLASS_ATTRIBUTES
    )


def is_class_name(name: str) -> bool:
    """Return whether a name from a spec file or an override can be a model class.

    :func:`class_name` and :func:`nested_class_name` only make such names.
    """
    return (
        _CLASS_NAME.fullmatch(name) is not None
        and not keyword.iskeyword(name)
        and name not in RESERVED_CLASS_NAMES
    )


def is_module_name(name: str) -> bool:
    """Return whether a name could come from :func:`module_name`.

    Names such as ``__init__`` or ``_runtime`` would overwrite the package's own
    files, so a leading underscore is rejected.
    """
    return (
        _LOWER_NAME.fullmatch(name) is not None
        and len(name) <= MAX_IDENTIFIER_LENGTH + 1
        and not keyword.iskeyword(name)
    )


# ---------------------------------------------------------------------------
# Literals and comments

_ESCAPE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def _escape_char(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _needs_escape(char: str) -> bool:
    return unicodedata.category(char) in _ESCAPE_CATEGORIES or (
        unicodedata.category(char) == "Zs" and char != " "
    )


def string_literal(text: str) -> str:
    """Return a double-quoted Python string literal whose value is exactly ``text``.

    Backslashes and quotes are escaped, and so is every control, format, separator
    or unassigned character, so the literal is one physical line that shows no
    invisible character (bidirectional overrides included).
    """
    return '"' + _escape_text(text).replace('"', '\\"') + '"'


def docstring_literal(text: str, indent: str) -> str:
    """Return a triple-quoted docstring whose value, after black's indentation
    handling, is ``text`` with whitespace normalised.

    Lines are stripped, tabs become spaces, and every character that Python or
    black would treat as a line break or that is invisible is escaped.
    """
    lines = [_escape_docstring_line(line) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        return '""""""'
    body = ("\n" + indent).join(lines).replace("\n" + indent + "\n", "\n\n")
    body = body.replace("\n" + indent + "\n", "\n\n")
    if body.startswith('"'):
        body = " " + body
    if body.endswith('"'):
        body += " "
    if len(lines) == 1:
        return f'"""{body}"""'
    return f'"""{body}\n{indent}"""'


def _escape_docstring_line(line: str) -> str:
    escaped = _escape_text(line.replace("\t", "    ").strip())
    # Three quotes in a row would end the docstring early.
    return escaped.replace('"""', '\\"\\"\\"')


def _escape_text(text: str) -> str:
    """Escape backslashes and every character that :func:`_needs_escape` names."""
    if text.isascii() and text.isprintable():
        # No printable ASCII character needs an escape of its own.
        return text.replace("\\", "\\\\")
    parts = []
    for char in text:
        if char == "\\":
            parts.append("\\\\")
        elif _needs_escape(char):
            parts.append(_escape_char(char))
        else:
            parts.append(char)
    return "".join(parts)


_COMMENT_DIRECTIVE = re.compile(
    r"(?i)(coding|pylint|mypy|pyright|type|noqa|nosec|fmt|isort|ruff|flake8)(\s*)([:=])"
)
"""Words that, followed by ``:`` or ``=``, turn a comment into an instruction to a tool.

``coding:`` on the first two lines sets the source encoding (PEP 263) and
``pylint:`` needs no ``#`` of its own, so both must be broken even inside a comment.
"""


def terminal_text(text: str) -> str:
    """Escape control, format and separator characters, except newlines, so page
    text printed to a terminal cannot move the cursor, recolour or reorder it."""
    return "".join(
        _escape_char(char) if char != "\n" and _needs_escape(char) else char
        for char in text
    )


def comment_text(text: str, max_length: int = 200) -> str:
    """Return text fit for one ``#`` comment line: printable, single-line, bounded.

    ``#`` is escaped and tool directives are broken, so the text can neither start
    a second comment (``# noqa``, ``# type: ignore``) nor declare an encoding.
    """
    parts = []
    for char in text:
        if char in "\r\n#" or _needs_escape(char):
            parts.append(_escape_char(char))
        else:
            parts.append(char)
    flat = _COMMENT_DIRECTIVE.sub(
        lambda match: match[1] + match[2] + _escape_char(match[3]), "".join(parts)
    )
    return flat if len(flat) <= max_length else flat[: max_length - 3] + "..."
