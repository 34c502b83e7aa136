"""User errors, warnings and the exit codes of the command line.

Every problem found in a user's input is a :class:`DocmodelsError` or a warning
recorded in :class:`Diagnostics`; both carry a :class:`Location`, so the message
reads ``docs/user.md:14: <what is wrong with which value>`` followed by a hint.
Anything else that escapes is a bug in docmodels and is reported as an internal error.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import IntEnum

log = logging.getLogger(__name__)


class ExitCode(IntEnum):
    """Exit codes of every ``docmodels`` command."""

    OK = 0
    """Success; for ``check``, everything is current."""
    STALE = 1
    """``check`` found stale or hand-edited output, or a breaking change under ``--fail-on-breaking``."""
    USER_ERROR = 2
    """Invalid input, configuration or arguments; the message names file, line and value."""
    INTERNAL_ERROR = 3
    """A bug in docmodels or in a template; the message names the template and model."""


@dataclass(frozen=True, order=True)
class Location:
    """A place in a page or file: its name (path or URL) and a 1-based line, if known."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        file = _printable(self.file)
        return file if self.line is None else f"{file}:{self.line}"


def _printable(text: str) -> str:
    """Escape characters that could move the cursor or recolour a terminal."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode()
        for char in text
    )


class DocmodelsError(Exception):
    """Invalid input: a page, the configuration, a spec file or a command-line argument.

    The message names the location and the offending value; ``hint`` suggests a fix.
    """

    def __init__(self, location: Location, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.location = location
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class InternalError(Exception):
    """A bug in docmodels or in a user's template, never caused by a page's content alone."""


@dataclass(frozen=True)
class Diagnostic:
    """One warning or error found while reading the pages."""

    location: Location
    message: str
    hint: str = ""
    is_error: bool = False

    def __str__(self) -> str:
        level = "error" if self.is_error else "warning"
        text = f"{self.location}: {level}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


@dataclass
class Diagnostics:
    """Collects every warning and error of a run, so that one run reports them all."""

    items: list[Diagnostic] = field(default_factory=list)

    def warn(self, location: Location, message: str, hint: str = "") -> None:
        """Record a warning and log it at WARNING level."""
        diagnostic = Diagnostic(location, message, hint)
        self.items.append(diagnostic)
        log.warning("%s", diagnostic)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        """Record an error; the run fails after all pages have been read."""
        self.items.append(Diagnostic(location, message, hint, is_error=True))

    @property
    def errors(self) -> list[Diagnostic]:
        return [item for item in self.items if item.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [item for item in self.items if not item.is_error]

    def raise_if_failed(self, strict: bool) -> None:
        """Raise the first error, or the first warning under ``strict``, with the rest counted."""
        failures = self.items if strict else self.errors
        if not failures:
            return
        for other in failures[1:]:
            if other.is_error:
                log.error("%s", other)
        first = failures[0]
        message = first.message
        if len(failures) > 1:
            message += (
                f" (first of {len(failures)} problems; the others are listed above)"
            )
        raise DocmodelsError(first.location, message, hint=first.hint)
