"""Name a model after the headings above its table.

The nearest heading names the model, with words such as "Object", "Structure",
"Properties" or "resource type" dropped from its end. A heading that is only a
label ("Properties", "Fields", "JSON Params", "Response Structure") takes its
name from the heading above it, plus ``Params`` or ``Response`` for request and
response tables. A page without any heading is named by its front matter title
or its file name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .tables import Heading

TRAILING_WORDS = frozenset(
    {"model", "object", "structure", "resource", "schema", "entity",
     "type", "properties", "property", "fields", "field", "attributes", "attribute",
     "details", "configuration", "config", "options", "settings", "api", "values",
     "relationships", "reference", "definition", "definitions", "table",
     "objekt", "objeto", "objet", "oggetto", "modell", "modelo", "modèle", "modello",
     "eigenschaften", "propiedades", "propriétés", "proprietà", "propriedades",
     "felder", "campos", "champs", "campi", "atributos", "attributs",
     "struktur", "estructura"}
)  # fmt: skip
"""Words stripped from the end of a heading to name its model."""

MODEL_SUFFIXES = TRAILING_WORDS

PARAMETER_WORDS = frozenset(
    {"params", "parameters", "parameter", "arguments", "args", "query", "path",
     "form", "json", "string", "body", "request", "headers", "header", "url",
     "http", "https"}
)  # fmt: skip
RESPONSE_WORDS = frozenset({"response", "responses", "result", "returns"})
DROPPED_WORDS = frozenset(
    {"available", "deprecated", "the", "optional", "required", "common",
     "additional", "all", "supported", "other"}
)  # fmt: skip

_HEADING_NOISE = (
    re.compile(r"\s+%\s+(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b.*$"),
    re.compile(r"\s*\[[^\]]*\]\s*$"),
    re.compile(r"\s*\{[#.:][^}]*\}\s*$"),
    re.compile(
        r"\s*\((?:free|premium|ultimate|beta|deprecated|experimental)[^)]*\)\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^\s*enum(?:eration)?:\s*", re.IGNORECASE),
    re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+"),
)
_TITLE_LINE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_SLUG_DROP = re.compile(r"[^\w\- ]+")


def clean_heading(text: str) -> str:
    """Remove HTTP routes, anchors, tier badges and numbering from a heading."""
    for pattern in _HEADING_NOISE:
        text = pattern.sub("", text)
    return " ".join(text.replace("`", "").split())


def strip_model_suffix(text: str) -> str:
    """Drop trailing words such as "Model", "Object" or "Properties" from a heading."""
    words = re.split(r"[\s-]+", text.strip())
    while words and words[-1].lower() in TRAILING_WORDS:
        words.pop()
    return " ".join(words)


def model_title(headings: Sequence[Heading], fallback: str) -> str:
    """Return the model name the headings above a table give, or the fallback."""
    for index in range(len(headings) - 1, -1, -1):
        words = strip_model_suffix(clean_heading(headings[index].text)).split()
        kept = [word for word in words if word.lower() not in DROPPED_WORDS]
        if kept and not all(_is_label_word(word) for word in kept):
            return " ".join(word for word in words if word.lower() != "deprecated")
        lowered = {word.lower() for word in words}
        suffix = ""
        if lowered & RESPONSE_WORDS:
            suffix = "Response"
        elif lowered & PARAMETER_WORDS:
            suffix = "Params"
        parent = model_title(headings[:index], fallback)
        if suffix and parent.split()[-1:] == [suffix]:
            return parent
        return f"{parent} {suffix}".strip()
    return strip_model_suffix(clean_heading(fallback)) or fallback


def _is_label_word(word: str) -> bool:
    lower = word.lower()
    return lower in PARAMETER_WORDS or lower in RESPONSE_WORDS


def heading_slug(text: str) -> str:
    """Return the anchor that GitHub-style renderers give a heading."""
    return _SLUG_DROP.sub("", clean_heading(text).lower()).strip().replace(" ", "-")


def front_matter_title(front_matter: str) -> str:
    """Return the ``title`` of YAML front matter, unquoted, or an empty string."""
    match = _TITLE_LINE.search(front_matter)
    if not match:
        return ""
    return match.group(1).strip().strip("\"'")
