"""Golden output of ``docmodels inspect``.

Update the golden files after an intended change with:

    DOCMODELS_UPDATE_GOLDEN=1 pytest tests/test_inspect.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main

from .conftest import UPDATE_GOLDEN
from .dialect_helpers import FIXTURES, corpus_dir

GOLDEN = Path(__file__).parent / "golden" / "inspect"
UPDATE_COMMAND = "DOCMODELS_UPDATE_GOLDEN=1 pytest tests/test_inspect.py"


def inspect_output(
    folder: Path,
    source: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """Run ``docmodels inspect`` from inside folder, which is also the project root."""
    monkeypatch.chdir(folder)
    assert main(["inspect", "--root", ".", source]) == 0
    return capsys.readouterr().out


def compare(name: str, output: str) -> None:
    golden = GOLDEN / f"{name}.txt"
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
        return
    assert golden.is_file(), f"{golden} is missing; create it with: {UPDATE_COMMAND}"
    expected = golden.read_text(encoding="utf-8")
    assert (
        output == expected
    ), f"inspect output changed; if intended, run: {UPDATE_COMMAND}"


@pytest.mark.parametrize("folder", ["badges", "widgets", "broken", "graph"])
def test_inspect_fixture_pages(
    folder: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    compare(folder, inspect_output(FIXTURES / folder, ".", capsys, monkeypatch))


@pytest.mark.parametrize(
    "page", ["quickblox/session-model.md", "discord/Stage_Instance.md"]
)
def test_inspect_published_pages(
    page: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    output = inspect_output(corpus_dir(), page, capsys, monkeypatch)
    compare(Path(page).stem.lower().replace("_", "-"), output)
