"""Give the columns of a table their roles by the meaning of the header, never by position.

A table is a property table when it has a name column and either a type column
or descriptions that state the type (``type: keyword``). A table with a name-like
column and a value column, and no type column, is an enumeration table. Anything
else (method lists, matrices, sample data) is neither and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .tables import Cell

Role = Literal[
    "name", "type", "description", "notes", "required", "default", "nullable", "value"
]

COLUMN_SYNONYMS: dict[Role, tuple[str, ...]] = {
    "name": (
        "property name", "property", "properties", "field name", "field", "fields", "name",
        "attribute", "attribute name", "key", "parameter", "parameter name", "param",
        "relationship", "argument", "option", "member", "element", "setting", "column",
        "nom", "nombre", "campo", "feld", "feldname", "eigenschaft", "propiedad",
        "propriété", "paramètre", "parámetro", "parâmetro", "parametro", "attribut",
        "atributo", "nome", "champ", "chiave", "clave", "schlüssel",
    ),
    "type": (
        "type", "data type", "datatype", "value type", "format", "schema", "kind",
        "tipo", "typ", "datentyp", "tipo de dato", "tipo de datos", "type de données",
    ),
    "description": (
        "description", "details", "meaning", "summary", "comment", "remarks",
        "beschreibung", "descripción", "descripcion", "descrição", "descrizione",
        "erläuterung", "bedeutung",
    ),
    "notes": ("notes", "note", "hinweise", "notas"),
    "required": (
        "required", "mandatory", "required?", "is required", "optional",
        "obligatoire", "erforderlich", "pflicht", "requerido", "obligatorio",
        "obrigatório", "obbligatorio",
    ),
    "default": (
        "default", "default value", "defaults", "standard", "standardwert",
        "défaut", "valeur par défaut", "por defecto", "valor por defecto", "predeterminado",
    ),
    "nullable": ("nullable", "null", "can be null", "nullable?"),
    "value": ("value", "values", "valeur", "wert", "valor", "enum value"),
}  # fmt: skip
"""Header texts, lower-cased, that mark each column role."""

_TYPE_IN_TEXT = re.compile(r"(?:^|\n)\s*type:\s*`?([\w.\[\]<>-]+)`?", re.IGNORECASE)
_HEADER_NOISE = re.compile(r"[*_`:]+$|^[*_`]+")


@dataclass(frozen=True)
class Columns:
    """Column index per role; a role the table lacks is absent."""

    roles: dict[Role, int]
    inverted_required: bool = False
    """True when the column is headed "Optional", so a yes means not required."""

    def index(self, role: Role) -> int | None:
        """Return the column of a role, or None."""
        return self.roles.get(role)


def normalize_header(text: str) -> str:
    """Lower-case a header cell and drop emphasis and trailing colons."""
    return _HEADER_NOISE.sub("", " ".join(text.lower().split())).strip()


def column_roles(header: tuple[Cell, ...]) -> Columns:
    """Assign each header cell the first role whose synonyms contain it."""
    roles: dict[Role, int] = {}
    inverted = False
    for index, cell in enumerate(header):
        text = normalize_header(cell.text)
        for role, synonyms in COLUMN_SYNONYMS.items():
            if role not in roles and text in synonyms:
                roles[role] = index
                inverted = inverted or (role == "required" and text == "optional")
                break
    if "description" not in roles and "notes" in roles:
        roles["description"] = roles["notes"]
    return Columns(roles, inverted)


def type_in_description(text: str) -> str | None:
    """Return the type a description states as ``type: keyword``, or None."""
    match = _TYPE_IN_TEXT.search(text)
    return match.group(1) if match else None


TableKind = Literal["property", "enum", "other"]


def classify(columns: Columns, descriptions: list[str]) -> TableKind:
    """Tell a property table from an enumeration table and from any other table."""
    roles = columns.roles
    if "name" in roles and "type" in roles:
        return "property"
    if "name" in roles and descriptions:
        typed = sum(1 for text in descriptions if type_in_description(text))
        if typed * 2 >= len(descriptions) and typed:
            return "property"
    if "value" in roles:
        return "enum"
    return "other"
