"""Pages that refer to each other generate modules that import each other and type-check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.config import Config
from generator.pipeline import run

from .dialect_helpers import FIXTURES, run_mypy

ROUND_TRIP = """
import json
from shelfmodels import Bird, Nest, Widget

bird = Bird.from_dict({"name": "Wren", "songs": ["trill"],
                       "nest": {"material": "mud", "eggs": [{"name": "Chick", "songs": []}]}})
assert isinstance(bird.nest, Nest) and isinstance(bird.nest.eggs[0], Bird), bird
assert Bird.from_json(bird.to_json()) == bird
widget = Widget.from_dict({"id": "w1", "state": "on", "made_on": "2024-05-01",
                           "event": "widget.made", "parts": [{"serial": 3}]})
print(json.dumps(widget.to_dict(), sort_keys=True))
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("generated")
    sources = tuple(str(FIXTURES / name) for name in ("petstore", "widgets", "graph"))
    config = Config(root=tmp_path, sources=sources, output_dir="out/shelfmodels")
    result = run(config)
    assert result.diagnostics.errors == []
    return tmp_path / "out"


def test_cross_page_models_import_each_other(out: Path) -> None:
    bird = (out / "shelfmodels" / "bird.py").read_text()
    nest = (out / "shelfmodels" / "nest.py").read_text()
    assert "from .nest import Nest, NestDict" in bird
    assert "from .bird import Bird, BirdDict" in nest


def test_cross_page_round_trip(out: Path) -> None:
    """Optional[X] in a Speakeasy page means the key may be absent, not null."""
    done = subprocess.run(
        [sys.executable, "-c", ROUND_TRIP],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"parts": [{"serial": 3}]' in done.stdout


def test_cross_page_package_passes_mypy(out: Path) -> None:
    checked = run_mypy(out, "shelfmodels")
    assert checked.returncode == 0, checked.stdout
