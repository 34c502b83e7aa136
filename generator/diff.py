"""Compare two specs and classify each change for the code that uses the models.

Generated models are used in two ways, and a change can break either one:

- reading: decoding data the program receives (``from_dict``) and reading the
  attributes of an instance;
- writing: constructing an instance in code and encoding the data the program
  sends (``to_dict``).

A change is compatible when every program that type-checked and ran against the
old models still does against the new ones, whichever way it uses them. Otherwise
it is breaking, and :attr:`Change.breaks` names the ways it breaks.

==========================  ===============  =============================================
change                      breaks           why
==========================  ===============  =============================================
model added                 nothing          no existing code refers to it
model removed               reading, writing its class and its wire form disappear
model moved to a module     reading, writing imports from the old module fail
optional field added        nothing          keyword-only with a default; absent keys pass
required field added        reading, writing older payloads lack the key; constructors
                                             must pass it
field removed               reading, writing the attribute and the wire key disappear
field renamed               reading, writing the wire key changed, so payloads with the
                                             old key no longer fill the field
attribute renamed           reading, writing same wire key, different Python name
type changed                reading, writing values valid before are rejected, or readers
                                             get values of another type
literal values added        reading          readers may meet a value they do not handle
literal values removed      reading, writing payloads and code with the old value fail
optional -> required        reading, writing payloads without the key fail to decode;
                                             constructors must pass it
required -> optional        reading          readers must handle a missing value
non-nullable -> nullable    reading          readers must handle None
nullable -> non-nullable    reading, writing payloads with null fail to decode; code
                                             that passes None fails
unknown keys -> "reject"    reading          payloads with extra keys fail to decode
unknown keys, other change  nothing          decoding accepts at least what it did
==========================  ===============  =============================================

A field is renamed, not removed and added, when its wire name changed but its
position (the same place after the same unchanged field), type and description
match. Types are compared as the generated code sees them: the attribute
annotation and the wire type, so a model moving between modules is not a type
change. Descriptions, titles, defaults and line numbers are not compared.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .config import Config
from .errors import DocmodelsError, Location
from .expressions import python_annotation, wire_type
from .spec import Field, LiteralOf, Model, Module, TypeRef, loads, read_spec_dir

log = logging.getLogger(__name__)

Use = Literal["reading", "writing"]
BOTH: tuple[Use, ...] = ("reading", "writing")
READING: tuple[Use, ...] = ("reading",)
NOTHING: tuple[Use, ...] = ()

ChangeKind = Literal[
    "model-added",
    "model-removed",
    "model-moved",
    "field-added",
    "field-removed",
    "field-renamed",
    "attribute-renamed",
    "type-changed",
    "required-changed",
    "nullable-changed",
    "unknown-keys-changed",
]


@dataclass(frozen=True)
class Change:
    """One difference between two specs that matters to code using the models."""

    kind: ChangeKind
    model: str
    """Class name of the model."""
    field: str
    """Wire name of the field (the new one for renames), or empty for model changes."""
    summary: str
    """Short description of the change, e.g. ``type changed from int to str``."""
    breaks: tuple[Use, ...]
    """The uses of the models that this change breaks; empty when it is compatible."""
    location: Location | None
    """Location of the change in the new docs, or in the old docs for removals."""
    old: str = ""
    """The value before the change, e.g. a type or a wire name, where one applies."""
    new: str = ""

    @property
    def is_breaking(self) -> bool:
        return bool(self.breaks)

    @property
    def subject(self) -> str:
        return f"{self.model}.{self.field}" if self.field else self.model


@dataclass(frozen=True)
class _Located:
    """A model with the name of the module that defines it."""

    module: str
    model: Model


def compare(old: Sequence[Module], new: Sequence[Module]) -> tuple[Change, ...]:
    """List every change from ``old`` to ``new``.

    Models come in the order of ``new``, then the removed ones in the order of
    ``old``; within a model, fields come in the same way.
    """
    old_models = _by_name(old)
    new_models = _by_name(new)
    changes: list[Change] = []
    for name, located in new_models.items():
        if name in old_models:
            changes.extend(_compare_models(old_models[name], located))
        else:
            where = located.model.location
            changes.append(
                Change("model-added", name, "", "model added", NOTHING, where)
            )
    for name, located in old_models.items():
        if name not in new_models:
            where = located.model.location
            changes.append(
                Change("model-removed", name, "", "model removed", BOTH, where)
            )
    return tuple(changes)


def _by_name(modules: Iterable[Module]) -> dict[str, _Located]:
    return {
        model.name: _Located(module.name, model)
        for module in modules
        for model in module.models
    }


def _compare_models(old: _Located, new: _Located) -> list[Change]:
    changes = _compare_model_settings(old, new)

    renames = _find_renames(old.model.fields, new.model.fields)
    renamed_from = {new_wire: old_wire for old_wire, new_wire in renames.items()}
    old_fields = {field.wire_name: field for field in old.model.fields}
    name = new.model.name
    for field in new.model.fields:
        if field.wire_name in renamed_from:
            previous = old_fields[renamed_from[field.wire_name]]
            changes.append(_renamed(name, previous, field))
            changes.extend(_compare_fields(name, previous, field, renamed=True))
        elif field.wire_name in old_fields:
            changes.extend(_compare_fields(name, old_fields[field.wire_name], field))
        else:
            changes.append(_added(name, field))

    new_wires = {field.wire_name for field in new.model.fields}
    for field in old.model.fields:
        if field.wire_name not in new_wires and field.wire_name not in renames:
            changes.append(
                Change(
                    "field-removed",
                    name,
                    field.wire_name,
                    "field removed",
                    BOTH,
                    field.location,
                )
            )
    return changes


def _compare_model_settings(old: _Located, new: _Located) -> list[Change]:
    """Compare what belongs to the model as a whole: its module and unknown-keys policy."""
    name = new.model.name
    where = new.model.location
    changes = []
    if old.module != new.module:
        changes.append(
            Change(
                "model-moved",
                name,
                "",
                f"model moved from module {old.module} to {new.module}",
                BOTH,
                where,
                old=old.module,
                new=new.module,
            )
        )
    before, after = old.model.unknown_keys, new.model.unknown_keys
    if before != after:
        changes.append(
            Change(
                "unknown-keys-changed",
                name,
                "",
                f"unknown keys policy changed from {before} to {after}",
                READING if after == "reject" else NOTHING,
                where,
                old=before,
                new=after,
            )
        )
    return changes


def _renamed(model: str, old: Field, new: Field) -> Change:
    return Change(
        "field-renamed",
        model,
        new.wire_name,
        f"field renamed from {old.wire_name!r} to {new.wire_name!r}",
        BOTH,
        new.location,
        old=old.wire_name,
        new=new.wire_name,
    )


def _added(model: str, field: Field) -> Change:
    """Report an added field, which breaks older payloads and constructors when required."""
    required = "required" if field.required else "optional"
    return Change(
        "field-added",
        model,
        field.wire_name,
        f"{required} field added",
        BOTH if field.required else NOTHING,
        field.location,
    )


def _compare_fields(
    model: str, old: Field, new: Field, *, renamed: bool = False
) -> list[Change]:
    """Compare two versions of one field, matched by wire name or as a rename.

    A renamed field's attribute name follows its wire name, so the rename itself
    is the one change reported for both names.
    """
    found: list[tuple[ChangeKind, tuple[Use, ...], str, str]] = []
    if old.name != new.name and not renamed:
        found.append(("attribute-renamed", BOTH, old.name, new.name))
    if _type_identity(old.type) != _type_identity(new.type):
        before, after = describe_types(old.type, new.type)
        found.append(("type-changed", _type_breaks(old.type, new.type), before, after))
    if old.required != new.required:
        breaks = BOTH if new.required else READING
        found.append(("required-changed", breaks, _required(old), _required(new)))
    if old.nullable != new.nullable:
        breaks = READING if new.nullable else BOTH
        found.append(("nullable-changed", breaks, _nullable(old), _nullable(new)))
    return [
        Change(
            kind,
            model,
            new.wire_name,
            _SUMMARIES[kind].format(old=before, new=after),
            breaks,
            new.location,
            old=before,
            new=after,
        )
        for kind, breaks, before, after in found
    ]


_SUMMARIES: dict[ChangeKind, str] = {
    "attribute-renamed": "attribute renamed from {old} to {new}",
    "type-changed": "type changed from {old} to {new}",
    "required-changed": "changed from {old} to {new}",
    "nullable-changed": "changed from {old} to {new}",
}


def _required(field: Field) -> str:
    return "required" if field.required else "optional"


def _nullable(field: Field) -> str:
    return "nullable" if field.nullable else "non-nullable"


def _type_identity(type_ref: TypeRef) -> tuple[str, str]:
    """Return the attribute and wire annotations that the generated code uses for a type."""
    return python_annotation(type_ref), wire_type(type_ref)


def describe_types(old: TypeRef, new: TypeRef) -> tuple[str, str]:
    """Return the attribute annotations, with the wire types where only those differ.

    ``datetime`` and ``timestamp`` both read as ``datetime`` in Python, so the wire
    type (ISO string or Unix seconds) is what tells them apart in a report.
    """
    old_annotation, old_wire = _type_identity(old)
    new_annotation, new_wire = _type_identity(new)
    if old_annotation != new_annotation:
        return old_annotation, new_annotation
    return (
        f"{old_annotation} (wire: {old_wire})",
        f"{new_annotation} (wire: {new_wire})",
    )


def _type_breaks(old: TypeRef, new: TypeRef) -> tuple[Use, ...]:
    """Only a literal that gains values and loses none is safe for writing code."""
    gains_only = (
        isinstance(old, LiteralOf)
        and isinstance(new, LiteralOf)
        and set(old.values) <= set(new.values)
    )
    return READING if gains_only else BOTH


def _find_renames(old: Sequence[Field], new: Sequence[Field]) -> dict[str, str]:
    """Pair removed and added fields that share position, type and description.

    The position of a field that exists on one side only is the wire name of the
    nearest unchanged field before it, plus its index among the other one-sided
    fields after that one. Returns old wire name -> new wire name.
    """
    common = {field.wire_name for field in old} & {field.wire_name for field in new}
    removed = _positions(old, common)
    added = _positions(new, common)
    renames: dict[str, str] = {}
    for position, before in removed.items():
        after = added.get(position)
        if (
            after is not None
            and _type_identity(before.type) == _type_identity(after.type)
            and before.description == after.description
        ):
            renames[before.wire_name] = after.wire_name
    return renames


def _positions(
    fields: Sequence[Field], common: set[str]
) -> dict[tuple[str | None, int], Field]:
    positions: dict[tuple[str | None, int], Field] = {}
    anchor: str | None = None
    index = 0
    for field in fields:
        if field.wire_name in common:
            anchor, index = field.wire_name, 0
        else:
            positions[(anchor, index)] = field
            index += 1
    return positions


# ---------------------------------------------------------------------------
# Reading the two sides


def spec_from_docs(config: Config) -> list[Module]:
    """Return the spec of the docs as they are now, computed in memory.

    When the manifest proves that the spec folder is current, the folder is read
    instead, which needs no Markdown parser.
    """
    from . import manifest

    if manifest.check(config, False).current:
        return read_spec_dir(config.spec_path)
    from .pipeline import read_modules

    return read_modules(config)


def spec_in_folder(folder: Path) -> list[Module]:
    """Read the spec files in a folder; a missing folder is an error, not an empty spec."""
    if not folder.is_dir():
        raise DocmodelsError(
            Location(folder.as_posix()),
            "spec folder not found",
            hint="name a folder that holds docmodels spec JSON files",
        )
    return read_spec_dir(folder)


def spec_at_revision(root: Path, spec_dir: str, revision: str) -> list[Module]:
    """Read the spec files committed at a git revision; a revision without them is empty."""
    if _git(root, "rev-parse", "--git-dir") is None:
        raise DocmodelsError(
            Location(str(root)),
            "not inside a git repository",
            hint="compare two spec folders instead: docmodels diff OLD NEW",
        )
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if commit is None:
        raise DocmodelsError(
            Location(revision),
            f"git revision {revision!r} not found",
            hint="name a commit, branch or tag, e.g. HEAD or origin/main",
        )
    folder = _relative_folder(root, spec_dir)
    tree = f"{commit.strip()}:./{folder}"
    listing = _git(root, "ls-tree", "--name-only", "-z", tree)
    if listing is None:
        log.info("%s has no folder %s; comparing with an empty spec", revision, folder)
        return []
    modules = []
    for name in sorted(filter(None, listing.split("\0"))):
        if not name.endswith(".json"):
            continue
        where = f"{revision}:{folder}/{name}"
        text = _git(root, "cat-file", "blob", f"{tree}/{name}")
        if text is None:
            raise DocmodelsError(
                Location(where), "failed to read the spec file from git"
            )
        modules.append(loads(text, where))
    return sorted(modules, key=lambda module: module.name)


def _relative_folder(root: Path, spec_dir: str) -> str:
    """Return the spec folder relative to the root, as git paths inside a revision are."""
    try:
        relative = (root / spec_dir).resolve().relative_to(root.resolve())
    except ValueError:
        raise DocmodelsError(
            Location(spec_dir),
            "spec folder is outside the project root, so git revisions cannot be read",
            hint="compare two spec folders instead: docmodels diff OLD NEW",
        ) from None
    return relative.as_posix()


def _git(root: Path, *arguments: str) -> str | None:
    """Run git in ``root``; return its output, or None when git exits with an error."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), *arguments],
            capture_output=True,
            check=False,
        )
    except FileNotFoundError:
        raise DocmodelsError(
            Location(str(root)),
            "git not found",
            hint="install git, or compare two spec folders: docmodels diff OLD NEW",
        ) from None
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip()
        log.debug("git %s failed: %s", " ".join(arguments), message)
        return None
    return completed.stdout.decode()
