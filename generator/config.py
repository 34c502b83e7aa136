"""Read ``[tool.docmodels]`` from pyproject.toml and merge command-line values over it.

Keys use the TOML spelling (``cache-dir``); unknown keys are rejected with the list
of valid ones, so a typo never silently does nothing. Paths are relative to the
folder that contains pyproject.toml (the project root).
"""

from __future__ import annotations

import keyword
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import DocmodelsError, Location
from .fetch import FetchSettings

NAIVE_DATETIME_POLICIES = ("keep", "assume-utc", "reject")
UNKNOWN_KEYS_POLICIES = ("ignore", "keep", "reject")


@dataclass(frozen=True)
class Limits:
    """Bounds that keep hostile or broken pages from exhausting time or memory."""

    max_page_bytes: int = 5_000_000
    max_table_rows: int = 10_000
    max_columns: int = 50
    max_nesting_depth: int = 16


@dataclass(frozen=True)
class Config:
    """Settings of one run, after merging pyproject.toml and command-line values."""

    root: Path
    """Folder that relative paths are resolved against."""
    sources: tuple[str, ...] = ()
    spec_dir: str = "spec"
    output_dir: str = "generated/models"
    templates_dir: str | None = None
    """A folder of templates that layer over the bundled ones."""
    cache_dir: str = ".docmodels-cache"
    strict: bool = False
    """Treat every warning as an error."""
    unknown_keys: str = "ignore"
    """Policy of generated ``from_dict`` for undocumented keys: ignore, keep or reject."""
    naive_datetimes: str = "keep"
    """Policy of generated code for datetimes without offset: keep, assume-utc or reject."""
    limits: Limits = field(default_factory=Limits)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    """Limits and options for reading URLs and ``llms.txt`` indexes."""
    overrides: dict[str, Any] = field(default_factory=dict)
    file: str = "pyproject.toml"
    """The file the settings came from, for messages."""

    @property
    def spec_path(self) -> Path:
        return self.root / self.spec_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    @property
    def cache_path(self) -> Path:
        return self.root / self.cache_dir


_KEYS = {
    "sources": "sources",
    "spec": "spec_dir",
    "output": "output_dir",
    "templates": "templates_dir",
    "cache-dir": "cache_dir",
    "strict": "strict",
    "unknown-keys": "unknown_keys",
    "naive-datetimes": "naive_datetimes",
    "limits": "limits",
    "fetch": "fetch",
    "overrides": "overrides",
}
_LIMIT_KEYS = {
    "max-page-bytes": "max_page_bytes",
    "max-table-rows": "max_table_rows",
    "max-columns": "max_columns",
    "max-nesting-depth": "max_nesting_depth",
}
_FETCH_KEYS = {
    "timeout": "timeout_seconds",
    "max-page-bytes": "max_page_bytes",
    "max-pages": "max_pages",
    "max-parallel": "max_parallel",
    "include": "include",
    "exclude": "exclude",
    "cache-dir": "cache_dir",
}


def find_root(start: Path) -> Path:
    """Return the nearest folder from ``start`` upwards whose pyproject.toml has a
    ``[tool.docmodels]`` table, or ``start`` itself when there is none."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.docmodels" in candidate.read_text(
            errors="replace"
        ):
            return folder
    return start


def load_config(root: Path, config_file: Path | None = None) -> Config:
    """Load ``[tool.docmodels]`` from a pyproject.toml; a missing file or table gives defaults."""
    path = config_file or root / "pyproject.toml"
    if not path.is_file():
        if config_file is not None:
            raise DocmodelsError(Location(str(path)), "configuration file not found")
        return Config(root=root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise DocmodelsError(Location(str(path)), f"invalid TOML: {error}") from None
    table = data.get("tool", {}).get("docmodels", {})
    return config_from_table(table, path.parent if config_file else root, path.name)


def config_from_table(table: Any, root: Path, file_name: str) -> Config:
    """Validate a ``[tool.docmodels]`` table and build the Config it describes."""
    where = Location(file_name)
    if not isinstance(table, dict):
        raise DocmodelsError(where, "[tool.docmodels] must be a table")
    _reject_unknown(table, _KEYS, "[tool.docmodels]", where)
    values: dict[str, Any] = {}
    for key, value in table.items():
        attribute = _KEYS[key]
        if attribute == "limits":
            values["limits"] = _limits(value, where)
        elif attribute == "fetch":
            continue  # read below, once cache-dir is known
        elif attribute == "sources":
            values["sources"] = tuple(_string_list(value, key, where))
        elif attribute == "strict":
            values["strict"] = _bool(value, key, where)
        elif attribute == "overrides":
            if not isinstance(value, dict):
                raise DocmodelsError(
                    where, f"'overrides' must be a table, got {value!r}"
                )
            values["overrides"] = value
        else:
            values[attribute] = _string(value, key, where)
    cache_dir = values.get("cache_dir", Config.cache_dir)
    values["fetch"] = _fetch_settings(table.get("fetch", {}), cache_dir, where)
    config = Config(root=root, file=file_name, **values)
    validate_choices(config)
    return config


def validate_choices(config: Config) -> None:
    """Reject policy values outside their lists of valid choices, and an output
    folder whose name cannot be imported as a package."""
    where = Location(config.file)
    package = Path(config.output_dir).name
    if (
        not package.isidentifier()
        or keyword.iskeyword(package)
        or not package.isascii()
    ):
        raise DocmodelsError(
            where,
            f"invalid output folder {config.output_dir!r}: {package!r} is not an importable "
            "package name",
            hint="name the output folder like a Python package, e.g. 'generated/my_api'",
        )
    if config.unknown_keys not in UNKNOWN_KEYS_POLICIES:
        raise DocmodelsError(
            where,
            f"invalid unknown-keys {config.unknown_keys!r}",
            hint=f"use one of: {', '.join(UNKNOWN_KEYS_POLICIES)}",
        )
    if config.naive_datetimes not in NAIVE_DATETIME_POLICIES:
        raise DocmodelsError(
            where,
            f"invalid naive-datetimes {config.naive_datetimes!r}",
            hint=f"use one of: {', '.join(NAIVE_DATETIME_POLICIES)}",
        )


def with_overrides(config: Config, **values: Any) -> Config:
    """Return the config with command-line values set; None means 'not given'."""
    given = {key: value for key, value in values.items() if value is not None}
    merged = replace(config, **given)
    validate_choices(merged)
    return merged


def _reject_unknown(
    table: dict[str, Any], known: dict[str, str], name: str, where: Location
) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise DocmodelsError(
            where,
            f"unknown key {unknown[0]!r} in {name}",
            hint=f"valid keys: {', '.join(sorted(known))}",
        )


def _limits(value: Any, where: Location) -> Limits:
    if not isinstance(value, dict):
        raise DocmodelsError(where, f"'limits' must be a table, got {value!r}")
    _reject_unknown(value, _LIMIT_KEYS, "[tool.docmodels.limits]", where)
    numbers = {
        _LIMIT_KEYS[key]: _positive_int(number, f"limits.{key}", where)
        for key, number in value.items()
    }
    return Limits(**numbers)


def _fetch_settings(value: Any, cache_dir: str, where: Location) -> FetchSettings:
    """Build FetchSettings from ``[tool.docmodels.fetch]``.

    Pages are cached in ``pages/`` under the top-level cache-dir unless the table
    sets its own cache-dir.
    """
    if not isinstance(value, dict):
        raise DocmodelsError(where, f"'fetch' must be a table, got {value!r}")
    _reject_unknown(value, _FETCH_KEYS, "[tool.docmodels.fetch]", where)
    settings: dict[str, Any] = {"cache_dir": Path(cache_dir) / "pages"}
    for key, item in value.items():
        attribute = _FETCH_KEYS[key]
        name = f"fetch.{key}"
        if attribute == "timeout_seconds":
            settings[attribute] = _positive_number(item, name, where)
        elif attribute in ("include", "exclude"):
            settings[attribute] = tuple(_string_list(item, name, where))
        elif attribute == "cache_dir":
            settings[attribute] = Path(_string(item, name, where))
        else:
            settings[attribute] = _positive_int(item, name, where)
    return FetchSettings(**settings)


def _positive_int(value: Any, name: str, where: Location) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise DocmodelsError(where, f"{name} must be a positive integer, got {value!r}")
    return value


def _positive_number(value: Any, name: str, where: Location) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise DocmodelsError(where, f"{name} must be a positive number, got {value!r}")
    return float(value)


def _string(value: Any, key: str, where: Location) -> str:
    if not isinstance(value, str):
        raise DocmodelsError(where, f"{key!r} must be a string, got {value!r}")
    return value


def _bool(value: Any, key: str, where: Location) -> bool:
    if not isinstance(value, bool):
        raise DocmodelsError(where, f"{key!r} must be true or false, got {value!r}")
    return value


def _string_list(value: Any, key: str, where: Location) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise DocmodelsError(where, f"{key!r} must be a list of strings, got {value!r}")
    return list(value)
