"""Limits on page size, table shape and nesting, and parsing that stays linear."""

from __future__ import annotations

import cProfile
import gc
import pstats
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.config import Limits, config_from_table
from generator.errors import Diagnostics, DocmodelsError
from generator.parse import parse_page
from generator.sources import Page, read_page

HEADER = "| Property | Type | Description |\n|---|---|---|\n"


def parse(text: str, limits: Limits | None = None) -> Diagnostics:
    diagnostics = Diagnostics()
    parse_page(Page("docs/p.md", text, "p"), "p", limits or Limits(), diagnostics)
    return diagnostics


def test_limits_from_configuration() -> None:
    config = config_from_table(
        {"limits": {"max-table-rows": 3, "max-columns": 4, "max-nesting-depth": 2,
                    "max-page-bytes": 100}},
        Path("."),
        "pyproject.toml",
    )  # fmt: skip
    assert config.limits == Limits(
        max_page_bytes=100, max_table_rows=3, max_columns=4, max_nesting_depth=2
    )


@pytest.mark.parametrize("value", [0, -1, True, "10", 1.5])
def test_limit_must_be_positive_integer(value: object) -> None:
    with pytest.raises(DocmodelsError, match="must be a positive integer"):
        config_from_table({"limits": {"max-columns": value}}, Path("."), "p.toml")


def test_unknown_limit_lists_valid_ones() -> None:
    with pytest.raises(DocmodelsError) as caught:
        config_from_table({"limits": {"max-rows": 1}}, Path("."), "pyproject.toml")
    assert "unknown key 'max-rows' in [tool.docmodels.limits]" in str(caught.value)
    assert "max-table-rows" in str(caught.value)


def test_page_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("x" * 101)
    with pytest.raises(DocmodelsError) as caught:
        read_page(path, tmp_path, max_bytes=100)
    assert str(caught.value).startswith(
        "big.md: page is 101 bytes, over the limit of 100"
    )


def test_rows_over_limit() -> None:
    text = "# User\n\n" + HEADER + "| a | int | x |\n" * 4
    with pytest.raises(DocmodelsError) as caught:
        parse(text, Limits(max_table_rows=3))
    assert str(caught.value).startswith(
        "docs/p.md:3: table has 4 rows, over the limit of 3"
    )


def test_columns_over_limit() -> None:
    text = "# User\n\n| Property | Type | A | B | C |\n|---|---|---|---|---|\n"
    with pytest.raises(
        DocmodelsError, match="table has 5 columns, over the limit of 4"
    ):
        parse(text, Limits(max_columns=4))


def test_nesting_over_limit() -> None:
    text = "# User\n\n" + HEADER + "| a | object | x |\n| a.b.c | int | x |\n"
    with pytest.raises(
        DocmodelsError, match="nested 3 levels deep, over the limit of 2"
    ):
        parse(text, Limits(max_nesting_depth=2))


# ---------------------------------------------------------------------------
# Linear time: doubling the input must about double the work.

PAGES: dict[str, Callable[[int], str]] = {
    "long rows": lambda n: "# User\n\n" + HEADER
    + "".join(f"| p{i} | int | {'word ' * 200} |\n" for i in range(n // 100)),
    "many tables": lambda n: "".join(
        f"## Model {i}\n\n{HEADER}| a | int | x |\n| b | string | y |\n\n"
        for i in range(n // 50)
    ),
    "wide row": lambda n: "# User\n\n" + HEADER + "| a | int |" + " x |" * (n // 2) + "\n",
    "long type cell": lambda n: "# User\n\n" + HEADER
    + "| a | " + " or ".join(["int", "list[string]"] * (n // 10)) + " | x |\n",
    "many headings": lambda n: "".join(f"# H{i}\n" for i in range(n // 5)) + HEADER,
    "emphasis and code": lambda n: "# User\n\n" + HEADER
    + "| a | int | " + "*a* `b` _c_ " * (n // 10) + " |\n",
    "brackets": lambda n: "# User\n\n" + HEADER + "| a | int | " + "[" * (n // 4) + " |\n",
}  # fmt: skip


LIMITS = Limits(max_table_rows=10**6, max_columns=10**6)


def _calls(text: str) -> int:
    profile = cProfile.Profile()
    profile.enable()
    parse(text, LIMITS)
    profile.disable()
    return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]


def _best_seconds(texts: tuple[str, str], rounds: int = 3) -> tuple[float, float]:
    """Time both texts in alternation and keep each one's fastest run, so that
    load from other processes slows both alike."""
    best = [float("inf"), float("inf")]
    gc.disable()  # a collection inside one run would dwarf a 20 ms parse
    try:
        for _ in range(rounds):
            for index, text in enumerate(texts):
                start = time.perf_counter()
                parse(text, LIMITS)
                best[index] = min(best[index], time.perf_counter() - start)
    finally:
        gc.enable()
    return best[0], best[1]


@pytest.mark.parametrize("make", PAGES.values(), ids=PAGES)
def test_parsing_is_linear(make: Callable[[int], str]) -> None:
    text, doubled = make(6_000), make(12_000)
    # Python function calls are an exact measure of interpreted work; the time
    # ratio also catches quadratic regular expressions. Quadratic work gives
    # ratios near 4, so the bounds leave room for noise.
    assert _calls(doubled) <= 2.3 * _calls(text)
    seconds, seconds_doubled = _best_seconds((text, doubled))
    assert seconds_doubled <= 3.3 * max(seconds, 0.01)
