"""Checks that generated modules have only the shape docmodels decides.

Page text may reach generated code only inside string constants: identifiers
are a fixed vocabulary plus names that :mod:`generator.naming` made, statements
are of the kinds the templates write, and every string constant that carries
page text contains exactly that text.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import sys
import tokenize
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import black

from generator import expressions, naming
from generator import format as formatting
from generator.config import Config, Limits
from generator.errors import DocmodelsError
from generator.pipeline import run
from generator.render import bundled_templates_dir
from generator.spec import (
    Field,
    Model,
    Module,
    model_refs,
    read_spec_dir,
)

VOCABULARY = frozenset(
    {
        # imports and the names they bind
        "annotations", "dataclass", "field", "date", "datetime", "Any", "ClassVar",
        "Literal", "NotRequired", "TypedDict", "rt", "_runtime", "MISSING", "Missing",
        # builtins that annotations name
        "dict", "list", "str", "int", "float", "bool",
        # runtime names, class attributes and dataclass options
        "Model", "FieldDesc", "FIELDS", "UNKNOWN_KEYS", "extra", "default_factory",
        "slots", "kw_only", "wire", "required", "nullable",
    }
)  # fmt: skip
"""Identifiers that the bundled templates and expressions write themselves."""

_FIXED_TEXT = "".join(
    path.read_text(encoding="utf-8")
    for path in [
        *sorted(bundled_templates_dir().glob("*.jinja")),
        Path(expressions.__file__),
    ]
)
"""The templates and the code that writes fragments, where every fixed comment of
the generated code comes from."""


def generate(
    root: Path, pages: dict[str, str], **settings: object
) -> tuple[list[Module], dict[str, str]]:
    """Write pages into ``root/docs``, run the pipeline, and return the spec
    modules and the generated Python files by name.

    Raises DocmodelsError as the pipeline does.
    """
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8", newline="")
    config = Config(
        root=root,
        sources=("docs",),
        spec_dir="spec",
        output_dir=str(settings.pop("output_dir", "out/models")),
        **settings,  # type: ignore[arg-type]
    )
    run(config)
    modules = read_spec_dir(config.spec_path)
    files = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(config.output_path.glob("*.py"))
    }
    return modules, files


def identifiers(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Yield every identifier the code binds or reads, with its line."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name):
            yield node.id, line
        elif isinstance(node, ast.Attribute):
            yield node.attr, line
        elif (
            isinstance(node, ast.arg)
            or isinstance(node, ast.keyword)
            and node.arg is not None
        ):
            yield node.arg, line
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            yield node.name, line
        elif isinstance(node, ast.alias):
            yield node.name, line
            if node.asname:
                yield node.asname, line


def _docstring(node: ast.stmt) -> str | None:
    if (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ):
        return node.value.value
    return None


def _words(text: str) -> list[str]:
    """Compare docstrings up to whitespace, which docstring_literal normalises."""
    return text.split()


def check_module_code(code: str, module: Module) -> None:
    """Assert that one generated module has exactly the expected shape."""
    assert black.format_str(code, mode=formatting.MODE) == code, "black changes it"
    _check_comments(code, module)
    tree = ast.parse(code)
    names = _spec_names(module)
    for name, line in identifiers(tree):
        assert (
            name in VOCABULARY or name in names
        ), f"line {line}: identifier {name!r} is neither generated nor from naming"
    body = list(tree.body)
    assert _docstring(body.pop(0)) is not None, "module docstring missing"
    while body and isinstance(body[0], ast.Import | ast.ImportFrom):
        _check_import(body.pop(0))
    for model in module.models:
        _check_typeddict(body, model)
        _check_dataclass(body.pop(0), model)
    # Models of sibling modules are imported after the module's own classes.
    while body and isinstance(body[0], ast.ImportFrom):
        statement = body.pop(0)
        assert isinstance(statement, ast.ImportFrom) and statement.level == 1
    # A model without fields has no descriptors to assign.
    with_fields = [model for model in module.models if model.fields]
    assert len(body) == len(with_fields), "unexpected module-level statements"
    for statement, model in zip(body, with_fields, strict=True):
        _check_fields_assignment(statement, model)


def _spec_names(module: Module) -> set[str]:
    assert naming.is_module_name(module.name), module.name
    names = set()
    for model in module.models:
        assert naming.is_class_name(model.name), model.name
        names.update((model.name, model.name + "Dict"))
        for field in model.fields:
            assert naming.is_field_name(field.name), field.name
            names.add(field.name)
            for reference in model_refs(field.type):
                assert naming.is_class_name(reference.name), reference.name
                assert naming.is_module_name(reference.module), reference.module
                names.update(
                    (reference.name, reference.name + "Dict", reference.module)
                )
    return names


def _check_comments(code: str, module: Module) -> None:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(code.encode()).readline)
    assert encoding == "utf-8", f"the header declares the encoding {encoding}"
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    comments = [token for token in tokens if token.type == tokenize.COMMENT]
    assert comments[0].start == (1, 0)
    assert comments[0].string.count("#") == 1
    assert comments[0].string.startswith("# Generated by docmodels from ")
    for comment in comments[1:]:
        assert comment.string in _FIXED_TEXT, f"comment not from docmodels: {comment}"


def _check_import(node: ast.stmt) -> None:
    assert isinstance(node, ast.ImportFrom), ast.dump(node)
    allowed = {"__future__", "dataclasses", "datetime", "typing"}
    assert node.level == 1 or node.module in allowed, node.module


def _check_typeddict(body: list[ast.stmt], model: Model) -> None:
    node = body.pop(0)
    if isinstance(node, ast.ClassDef):
        assert node.name == model.name + "Dict"
        assert [ast.unparse(base) for base in node.bases] == ["TypedDict"]
        assert _docstring(node.body[0]) is not None
        fields = node.body[1:]
        assert all(isinstance(item, ast.AnnAssign) for item in fields)
        keys = [ast.unparse(item.target) for item in fields]
        assert keys == [field.wire_name for field in model.fields]
        return
    assert isinstance(node, ast.Assign), ast.dump(node)
    assert [ast.unparse(target) for target in node.targets] == [model.name + "Dict"]
    call = node.value
    assert isinstance(call, ast.Call) and ast.unparse(call.func) == "TypedDict"
    assert isinstance(call.args[1], ast.Dict)
    keys = [_constant(key) for key in call.args[1].keys]
    assert keys == [field.wire_name for field in model.fields]
    assert _docstring(body.pop(0)) is not None


def _constant(node: ast.expr | None) -> object:
    assert isinstance(node, ast.Constant), ast.dump(node) if node else None
    return node.value


def _check_dataclass(node: ast.stmt, model: Model) -> None:
    assert isinstance(node, ast.ClassDef) and node.name == model.name
    assert [ast.unparse(base) for base in node.bases] == [f"rt.Model[{model.name}Dict]"]
    assert [ast.unparse(item) for item in node.decorator_list] == [
        "dataclass(slots=True, kw_only=True)"
    ]
    body = list(node.body)
    docstring = _docstring(body.pop(0))
    assert docstring is not None
    assert _words(docstring) == _words(model.description or model.title or model.name)

    attributes: list[str] = []
    docstrings: dict[str, str] = {}
    while body:
        item = body.pop(0)
        if isinstance(item, ast.AnnAssign):
            attributes.append(ast.unparse(item.target))
            continue
        text = _docstring(item)
        assert text is not None and attributes, ast.dump(item)
        docstrings[attributes[-1]] = text

    fields = [field.name for field in model.fields]
    class_attributes = ["UNKNOWN_KEYS"] if model.unknown_keys != "ignore" else []
    extra = ["extra"] if model.unknown_keys == "keep" else []
    assert attributes == [*class_attributes, *fields, *extra]
    for field in model.fields:
        _check_field_docstring(field, docstrings.get(field.name))


def _check_field_docstring(field: Field, docstring: str | None) -> None:
    if not _words(field.description):
        return
    assert docstring is not None, f"{field.name} lost its description"
    assert _words(docstring) == _words(field.description)


def _check_fields_assignment(node: ast.stmt, model: Model) -> None:
    assert isinstance(node, ast.Assign)
    assert [ast.unparse(target) for target in node.targets] == [f"{model.name}.FIELDS"]
    assert isinstance(node.value, ast.Tuple)
    assert len(node.value.elts) == len(model.fields)
    for call, field in zip(node.value.elts, model.fields, strict=True):
        assert isinstance(call, ast.Call) and ast.unparse(call.func) == "rt.FieldDesc"
        assert _constant(call.args[0]) == field.name
        keywords = {item.arg: item.value for item in call.keywords}
        assert set(keywords) <= {"wire", "required", "nullable"}, keywords
        wire = keywords.get("wire")
        assert (_constant(wire) if wire else field.name) == field.wire_name
        assert ("required" in keywords) == field.required
        assert ("nullable" in keywords) == field.nullable


def check_package(root: Path, modules: list[Module], files: dict[str, str]) -> None:
    """Check every generated module, then import the package and decode ``{}``."""
    by_name = {module.name: module for module in modules}
    assert set(files) == {f"{name}.py" for name in by_name} | {
        "__init__.py",
        "_runtime.py",
    }
    for name, module in by_name.items():
        check_module_code(files[f"{name}.py"], module)
    import_and_decode(root / "out" / "models", modules)


def import_and_decode(package: Path, modules: list[Module]) -> None:
    """Import the generated package under a fresh name, compare each TypedDict's
    optional keys with the spec and decode an empty object."""
    alias = f"hostile_{uuid.uuid4().hex}"
    link = package.parent / alias
    link.symlink_to(package.name, target_is_directory=True)
    try:
        with imported_package(package.parent, alias) as imported:
            for module in modules:
                for model in module.models:
                    _check_model_class(imported, model)
    finally:
        link.unlink()


def _check_model_class(package: ModuleType, model: Model) -> None:
    # Only the functional syntax, used when a key differs from its attribute, keeps
    # NotRequired visible at run time: the class syntax under postponed
    # annotations leaves every key required in __optional_keys__ (Python 3.11).
    if any(field.wire_name != field.name for field in model.fields):
        typeddict = getattr(package, model.name + "Dict")
        optional = {field.wire_name for field in model.fields if not field.required}
        assert typeddict.__optional_keys__ == optional
    try:
        instance = getattr(package, model.name).from_dict({})
    except package.ValidationError:
        return
    assert json.loads(instance.to_json()) == {}


@contextmanager
def imported_package(folder: Path, name: str = "models") -> Iterator[ModuleType]:
    """Import the generated package ``folder/name`` and forget it afterwards."""
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))
        for module in [
            module for module in sys.modules if module.split(".")[0] == name
        ]:
            del sys.modules[module]


def generate_or_reject(
    root: Path, pages: dict[str, str], **settings: object
) -> DocmodelsError | None:
    """Run the pipeline on pages and check the package, or return the user error."""
    try:
        modules, files = generate(root, pages, **settings)
    except DocmodelsError as error:
        return error
    check_package(root, modules, files)
    return None


__all__ = ["Limits", "check_module_code", "generate", "generate_or_reject"]
