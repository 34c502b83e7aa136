"""Resolve the references that Type cells make to models and enumerations on any page.

A Type cell names another model (``Category``, ``[user](#user-object) object``,
``List[[models.AgentTools](agenttools.md)]``); :mod:`generator.types` leaves it
as ``ModelRef(name, "")``. A link in the cell decides where to look: ``x.md``
means the page with that file name, ``#anchor`` a heading on the same page, and
``#PAGE/anchor`` a heading on the page whose name ends that prefix. Without a
link the name is looked up on the same page, then on every page. A reference to
an enumeration becomes a ``LiteralOf`` of its values. A reference that matches
nothing is a warning, and the type becomes ``Any``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from .enums import EnumDef
from .errors import Diagnostics
from .parse import PageResult
from .spec import Field, LiteralOf, Model, ModelRef, Module, Scalar, TypeRef
from .types import map_refs

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

Target = ModelRef | LiteralOf


@dataclass(frozen=True)
class _Index:
    pages: Sequence[PageResult]

    def by_stem(self, stem: str) -> PageResult | None:
        wanted = _normal(stem)
        for page in self.pages:
            if _normal(page.stem) == wanted or _normal(page.module.name) == wanted:
                return page
        return None

    def by_prefix(self, prefix: str) -> list[PageResult]:
        """Return the pages whose name ends a ``#PAGE/anchor`` prefix."""
        wanted = _normal(prefix)
        return [page for page in self.pages if wanted.endswith(_normal(page.stem))]


def _normal(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def resolve(pages: Sequence[PageResult], diagnostics: Diagnostics) -> list[Module]:
    """Return the modules of the pages with every reference resolved or replaced by Any."""
    index = _Index(pages)
    modules = []
    for page in pages:
        models = tuple(
            _resolve_model(model, page, index, diagnostics)
            for model in page.module.models
        )
        modules.append(replace(page.module, models=models))
    return modules


def _resolve_model(
    model: Model, page: PageResult, index: _Index, diagnostics: Diagnostics
) -> Model:
    fields = []
    for field in model.fields:
        links = page.type_links.get((model.name, field.wire_name), ())
        new_type = _resolve_type(field.type, field, links, page, index, diagnostics)
        fields.append(
            field if new_type == field.type else replace(field, type=new_type)
        )
    return replace(model, fields=tuple(fields))


def _resolve_type(
    type_ref: TypeRef,
    field: Field,
    links: tuple[str, ...],
    page: PageResult,
    index: _Index,
    diagnostics: Diagnostics,
) -> TypeRef:
    def resolve_one(ref: ModelRef) -> TypeRef:
        if ref.module:
            return ref
        target = _find(ref.name, links, page, index)
        if target is not None:
            return target
        _warn_unresolved(field, links, diagnostics)
        return Scalar("any")

    return map_refs(type_ref, resolve_one)


def _warn_unresolved(
    field: Field, links: tuple[str, ...], diagnostics: Diagnostics
) -> None:
    if links:
        message = (
            f"type {field.type_text!r} of property {field.wire_name!r} links to "
            f"{links[0]!r}, which matches no model or enumeration; using Any"
        )
    else:
        message = (
            f"unknown type {field.type_text!r} for property {field.wire_name!r}; "
            "using Any"
        )
    diagnostics.warn(
        field.location,
        message,
        hint="add the linked page to the sources, or set the type with an override "
        "in [tool.docmodels.overrides]",
    )


def _find(
    name: str, links: tuple[str, ...], page: PageResult, index: _Index
) -> Target | None:
    """Find a reference by the links of its cell, or by name when there is no link."""
    page_links = [link for link in links if not link.startswith(("http:", "https:"))]
    for link in page_links:
        found = _follow(link, name, page, index)
        if found is not None:
            return found
    if page_links:
        return None
    found = _named(name, page)
    if found is not None:
        return found
    for other in index.pages:
        found = _named(name, other)
        if found is not None:
            return found
    return None


def _follow(link: str, name: str, page: PageResult, index: _Index) -> Target | None:
    path, _, anchor = link.partition("#")
    if path:
        target = index.by_stem(PurePosixPath(path).stem)
        if target is None:
            return None
        return _named(name, target) or _main(target)
    prefix, _, slug = anchor.rpartition("/")
    candidates = [page] if not prefix else index.by_prefix(prefix)
    for candidate in candidates:
        found = _by_slug(slug.lower(), candidate)
        if found is None and not prefix:
            found = _named(name, candidate)
        if found is not None:
            return found
    return None


def _named(name: str, page: PageResult) -> Target | None:
    for enum in page.enums:
        if enum.name == name:
            return _literal(enum)
    for model in page.module.models:
        if model.name == name:
            return ModelRef(model.name, page.module.name)
    return None


def _by_slug(slug: str, page: PageResult) -> Target | None:
    for enum in page.enums:
        if any(_slug_matches(slug, own) for own in enum.slugs) or _normal(
            enum.name
        ) == _normal(slug):
            return _literal(enum)
    for model_name, slugs in page.slugs.items():
        if any(_slug_matches(slug, own) for own in slugs):
            return ModelRef(model_name, page.module.name)
    return None


def _slug_matches(anchor: str, slug: str) -> bool:
    return bool(slug) and (anchor == slug or anchor.endswith("-" + slug))


def _main(page: PageResult) -> Target | None:
    """Return what a link to a whole page means: its only enumeration or its first model."""
    if page.enums and not page.slugs:
        return _literal(page.enums[0])
    for model_name in page.slugs:
        return ModelRef(model_name, page.module.name)
    return None


def _literal(enum: EnumDef) -> LiteralOf:
    return LiteralOf(enum.values)
