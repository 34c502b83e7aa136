"""Pages at the edges of the Markdown and naming rules, each once produced bad output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import ExitCode
from generator.spec import LiteralOf, read_spec_dir

from .conftest import generate

TABLE = "| Name | Type | Description |\n|---|---|---|\n"


def _page(tmp_path: Path, text: str) -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    page = tmp_path / "docs" / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def _field_type(tmp_path: Path, model: str, wire_name: str) -> object:
    for module in read_spec_dir(tmp_path / "spec"):
        for candidate in module.models:
            if candidate.name == model:
                return {f.wire_name: f.type for f in candidate.fields}[wire_name]
    raise AssertionError(f"no model {model}")


def test_repeated_literal_values_are_dropped(tmp_path: Path) -> None:
    _page(tmp_path, "# Foo\n\n" + TABLE + "| a | Literal[1, 1, True] | x |\n")
    generate(tmp_path, ["docs"])
    assert _field_type(tmp_path, "Foo", "a") == LiteralOf((1, True))


def test_empty_literal_becomes_any(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _page(tmp_path, "# Foo\n\n" + TABLE + "| a | Literal[,] | x |\n")
    generate(tmp_path, ["docs"])
    assert "unknown type 'Literal[,]'" in caplog.text


def test_one_letter_model_passes_ruff(tmp_path: Path) -> None:
    _page(tmp_path, "# D\n\n" + TABLE + "| a | int | x |\n")
    generate(tmp_path, ["docs"])
    ruff = Path(sys.executable).with_name("ruff")
    completed = subprocess.run(
        [str(ruff), "check", "--no-cache", "models"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout


def test_headings_with_one_class_name_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _page(
        tmp_path,
        "# Foo\n\n"
        + TABLE
        + "| a | int | x |\n\n# Ｆｏｏ\n\n"
        + TABLE
        + "| b | int | y |\n",
    )
    assert main(["generate", "--root", ".", "docs"]) == ExitCode.USER_ERROR
    assert "both map to the class name 'Foo'" in capsys.readouterr().err


def test_line_separator_keeps_line_numbers(tmp_path: Path) -> None:
    _page(tmp_path, "# Foo\n\nsee \u2028 here\n\n" + TABLE + "| a | int | x |\n")
    generate(tmp_path, ["docs"])
    (module,) = read_spec_dir(tmp_path / "spec")
    assert module.models[0].fields[0].location.line == 7


def test_inspect_escapes_terminal_controls(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _page(tmp_path, "# Foo\n\n" + TABLE + "| a\x1b[31mRED | int | x\u202e |\n")
    assert main(["inspect", "docs/page.md"]) == ExitCode.OK
    output = capsys.readouterr().out
    assert "\x1b" not in output
    assert "a\\x1b[31mRED" in output
