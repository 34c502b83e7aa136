"""A run after a page changed reads and renders only that page again, and gives what a
cold run gives."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import reading, render, spec
from generator.config import Config, Limits
from generator.errors import DocmodelsError
from generator.pipeline import PARSE_CACHE, run

PAGE = """# {title}

| Property | Type | Description |
|---|---|---|
| id | int | Number of the record. |
| label | string | Name shown in lists. |
| shape | hexagon | A type no vocabulary knows, which warns. |
"""


def _config(root: Path, **settings: object) -> Config:
    return Config(
        root=root,
        sources=("docs",),
        spec_dir="spec",
        output_dir="out/models",
        **settings,  # type: ignore[arg-type]
    )


def _write_pages(root: Path, count: int) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for index in range(count):
        page = PAGE.format(title=f"Record{index}")
        (root / "docs" / f"record{index}.md").write_text(page, encoding="utf-8")


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for folder in ("spec", "out")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def pages_read(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the pages that the parser reads, in order."""
    names: list[str] = []
    original = reading.read_page

    def spy(page, *arguments, **keywords):  # type: ignore[no-untyped-def]
        names.append(page.name)
        return original(page, *arguments, **keywords)

    monkeypatch.setattr(reading, "read_page", spy)
    yield names


@pytest.fixture
def modules_rendered(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the modules rendered and of those serialized for the spec."""
    names: list[str] = []
    original_render = render._render_module
    original_dumps = spec.dumps

    def spy_render(env, module):  # type: ignore[no-untyped-def]
        names.append(f"render {module.name}")
        return original_render(env, module)

    def spy_dumps(module):  # type: ignore[no-untyped-def]
        names.append(f"spec {module.name}")
        return original_dumps(module)

    monkeypatch.setattr(render, "_render_module", spy_render)
    monkeypatch.setattr(spec, "dumps", spy_dumps)
    yield names


def test_changed_module_is_the_only_one_rendered(
    tmp_path: Path, modules_rendered: list[str]
) -> None:
    _write_pages(tmp_path, 3)
    run(_config(tmp_path))
    assert len(modules_rendered) == 6

    page = tmp_path / "docs" / "record1.md"
    page.write_text(page.read_text() + "| extra | bool | One more row. |\n")
    modules_rendered.clear()
    run(_config(tmp_path))

    assert sorted(modules_rendered) == ["render record1", "spec record1"]


def test_template_change_renders_every_module(
    tmp_path: Path, modules_rendered: list[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    module_template = render.bundled_templates_dir() / "module.py.jinja"
    (templates / "module.py.jinja").write_text(module_template.read_text())
    _write_pages(tmp_path, 2)
    config = _config(tmp_path, templates_dir="templates")
    run(config)
    modules_rendered.clear()
    render.environment.cache_clear()

    (templates / "module.py.jinja").write_text(
        module_template.read_text() + "# Edited by the project.\n"
    )
    result = run(config)

    assert sorted(modules_rendered) == ["render record0", "render record1"]
    assert result.changed == ["out/models/record0.py", "out/models/record1.py"]


def test_changed_page_is_the_only_one_read(tmp_path: Path, pages_read: list[str]) -> None:
    _write_pages(tmp_path, 4)
    run(_config(tmp_path))
    assert len(pages_read) == 4

    page = tmp_path / "docs" / "record2.md"
    page.write_text(page.read_text() + "| extra | bool | One more row. |\n")
    pages_read.clear()
    result = run(_config(tmp_path))

    assert pages_read == ["docs/record2.md"]
    assert "spec/record2.json" in result.changed
    assert "out/models/record2.py" in result.changed
    assert len(result.diagnostics.warnings) == 4, "cached pages keep their warnings"


def test_cached_run_equals_cold_run(tmp_path: Path, pages_read: list[str]) -> None:
    cached, cold = tmp_path / "cached", tmp_path / "cold"
    for root in (cached, cold):
        _write_pages(root, 3)
    run(_config(cached))
    (cached / "docs" / "record0.md").write_text(PAGE.format(title="Renamed"))
    pages_read.clear()
    first = run(_config(cached))
    assert pages_read == ["docs/record0.md"]

    (cold / "docs" / "record0.md").write_text(PAGE.format(title="Renamed"))
    second = run(_config(cold))

    assert _outputs(cached) == _outputs(cold)
    assert first.diagnostics.items == second.diagnostics.items


def test_new_limits_read_every_page(tmp_path: Path, pages_read: list[str]) -> None:
    _write_pages(tmp_path, 2)
    run(_config(tmp_path))
    shutil.rmtree(tmp_path / "out")
    pages_read.clear()

    run(_config(tmp_path, limits=Limits(max_table_rows=50)))

    assert sorted(pages_read) == ["docs/record0.md", "docs/record1.md"]


def test_damaged_cache_file_is_ignored(tmp_path: Path, pages_read: list[str]) -> None:
    _write_pages(tmp_path, 2)
    config = _config(tmp_path)
    run(config)
    expected = _outputs(tmp_path)
    (config.cache_path / PARSE_CACHE).write_bytes(b"\x80\x04not a pickle")
    shutil.rmtree(tmp_path / "out")
    pages_read.clear()

    run(config)

    assert len(pages_read) == 2
    assert _outputs(tmp_path) == expected


def test_page_error_is_reported_again(tmp_path: Path, pages_read: list[str]) -> None:
    """An error that a page gave is replayed from the cache, so the run fails again."""
    _write_pages(tmp_path, 2)
    broken = PAGE.format(title="Broken").replace("| id | int |", "| id | int |\n| id | int |")
    (tmp_path / "docs" / "record1.md").write_text(broken, encoding="utf-8")
    with pytest.raises(DocmodelsError) as first:
        run(_config(tmp_path))
    (tmp_path / "docs" / "record0.md").write_text(PAGE.format(title="Other"))
    pages_read.clear()

    with pytest.raises(DocmodelsError) as second:
        run(_config(tmp_path))

    assert pages_read == ["docs/record0.md"]
    assert str(second.value) == str(first.value)
    assert "record1.md" in str(second.value)


def test_template_subfolder_edit_ends_noop(tmp_path: Path) -> None:
    """A file below the templates folder, which a template may include, is part of
    what a no-op run compares."""
    templates = tmp_path / "templates"
    (templates / "parts").mkdir(parents=True)
    (templates / "parts" / "note.jinja").write_text("# one\n")
    _write_pages(tmp_path, 1)
    config = _config(tmp_path, templates_dir="templates")
    run(config)
    assert run(config).no_op

    (templates / "parts" / "note.jinja").write_text("# two\n")

    assert not run(config).no_op
