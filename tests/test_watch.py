"""``docmodels watch``: a page edit regenerates the models; Ctrl-C stops it cleanly."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Config
from generator.errors import ExitCode
from generator.watch import relevance_filter, watched_folders

from .projects import make_shop

TIMEOUT = 20.0
"""Seconds any one wait may take before the test fails."""


def _read_lines(stream: object, lines: queue.Queue[str]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)


def _wait_for(lines: queue.Queue[str], text: str, seen: list[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    pytest.fail(f"no line with {text!r} within {TIMEOUT} s; output:\n{''.join(seen)}")


def test_watch_regenerates_after_doc_edit(tmp_path: Path) -> None:
    root = make_shop(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "watch", "--debounce", "50"],
        cwd=root,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(
        target=_read_lines, args=(process.stderr, lines), daemon=True
    ).start()
    seen: list[str] = []
    try:
        _wait_for(lines, "watching docs for changes", seen)
        module = root / "models" / "shop" / "shop.py"
        assert "refund_due" not in module.read_text()

        page = root / "docs" / "shop.md"
        page.write_text(
            page.read_text().replace(
                "| memo |",
                "| refund_due | boolean | no | Whether money goes back. |\n| memo |",
            )
        )
        _wait_for(lines, "wrote models/shop/shop.py", seen)
        assert "refund_due: bool | Missing = MISSING" in module.read_text()
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == ExitCode.OK, "".join(seen)
    _wait_for(lines, "stopped watching", seen)


def test_watch_without_watchfiles_names_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_shop(tmp_path)
    monkeypatch.setitem(sys.modules, "watchfiles", None)
    assert main(["watch", "--root", str(root)]) == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "watch mode needs the optional package 'watchfiles'" in error
    assert "pip install 'docmodels[watch]'" in error
    assert not (root / "models").exists()


def test_watch_ignores_its_own_output(tmp_path: Path) -> None:
    root = make_shop(tmp_path)
    config = Config(
        root=root, sources=("docs", "README.md"), output_dir="docs/generated"
    )
    (root / "README.md").write_text("# Shop\n")
    is_relevant = relevance_filter(config, from_spec=False)
    assert is_relevant(root / "docs" / "shop.md")
    assert not is_relevant(root / "docs" / "generated" / "notes.md")
    assert not is_relevant(root / "spec" / "shop.json")
    assert not is_relevant(root / "docs" / "picture.png")
    assert watched_folders(config, from_spec=False) == [root.resolve()]
