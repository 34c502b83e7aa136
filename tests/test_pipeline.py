"""Whole runs on small trees: no-op reruns, stale checks, all-or-nothing writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import ExitCode

from .conftest import REPO, generate
from .conftest import snapshot_outputs as _snapshot


@pytest.fixture(autouse=True)
def _inside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test from its tmp folder, as command-line sources are relative to it."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example docs with a pyproject.toml that points at them."""
    shutil.copytree(REPO / "docs", tmp_path / "docs")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docmodels]\nsources = ["docs"]\nspec = "spec"\noutput = "out/courier"\n'
    )
    return tmp_path


def test_second_generate_writes_nothing(project: Path) -> None:
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    before = _snapshot(project)
    assert before
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    assert _snapshot(project) == before


def test_rerun_without_manifest_writes_nothing(project: Path) -> None:
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    before = _snapshot(project)
    shutil.rmtree(project / ".docmodels-cache")
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    assert _snapshot(project) == before


def test_check_passes_after_generate(project: Path) -> None:
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    assert main(["check", "--root", str(project)]) == ExitCode.OK


def test_check_fails_after_doc_edit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    page = project / "docs" / "courier-model.md"
    page.write_text(page.read_text().replace("| rating        | float ", "| rating        | int   "))
    before = _snapshot(project)
    assert main(["check", "--root", str(project)]) == ExitCode.STALE
    output = capsys.readouterr()
    assert "-    rating: float | Missing = MISSING" in output.out
    assert "+    rating: int | Missing = MISSING" in output.out
    assert "spec/courier_model.json" in output.out
    assert _snapshot(project) == before


def test_check_names_hand_edited_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    module = project / "out" / "courier" / "courier_model.py"
    module.write_text(module.read_text() + "\n# local tweak\n")
    assert main(["check", "--root", str(project)]) == ExitCode.STALE
    assert "out/courier/courier_model.py: edited by hand" in capsys.readouterr().err
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    assert "local tweak" not in module.read_text()


def test_stale_generated_file_is_removed(project: Path) -> None:
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    (project / "docs" / "courier-model.md").unlink()
    own_file = project / "out" / "courier" / "notes.py"
    own_file.write_text("# written by a person\n")
    assert main(["generate", "--root", str(project)]) == ExitCode.OK
    assert not (project / "out" / "courier" / "courier_model.py").exists()
    assert not (project / "spec" / "courier_model.json").exists()
    assert own_file.read_text() == "# written by a person\n"


def test_bad_page_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "docs" / "broken-model.md").write_text(
        "# Broken Model\n\n| Property name | Type | Description |\n| --- | --- | --- |\n"
        "| size | int | Size. |\n| size | int | Listed again. |\n"
    )
    assert main(["generate", "--root", str(project)]) == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "docs/broken-model.md:6: property 'size' is listed twice (first at line 5)" in error
    assert not (project / "spec").exists()
    assert not (project / "out").exists()


def test_unknown_config_key_lists_valid_ones(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text('[tool.docmodels]\nsoruces = ["docs"]\n')
    assert main(["generate", "--root", str(project)]) == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "unknown key 'soruces' in [tool.docmodels]" in error
    assert "valid keys: cache-dir, fetch, limits" in error


def test_source_that_matches_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--root", str(project), "nowhere/*.md"]) == ExitCode.USER_ERROR
    assert "source 'nowhere/*.md' matches no Markdown file" in capsys.readouterr().err


def test_unknown_type_warns_with_location(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "gadget.md").write_text(
        "# Gadget Model\n\n| Property name | Type | Description |\n| --- | --- | --- |\n"
        "| spin | quaternion | Orientation. |\n"
    )
    generate(tmp_path, ["gadget.md"])
    assert "gadget.md:5: warning: unknown type 'quaternion' for property 'spin'" in caplog.text


def test_strict_turns_warning_into_error(tmp_path: Path) -> None:
    (tmp_path / "gadget.md").write_text(
        "# Gadget Model\n\n| Property name | Type | Description |\n| --- | --- | --- |\n"
        "| spin | quaternion | Orientation. |\n"
    )
    code = main(["generate", "--root", str(tmp_path), "--strict", "gadget.md"])
    assert code == ExitCode.USER_ERROR
    assert not (tmp_path / "spec").exists()


def test_duplicate_model_names_name_both_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = "| Property name | Type | Description |\n| --- | --- | --- |\n| id | int | Key. |\n"
    (tmp_path / "a.md").write_text("# Thing Model\n\n" + table)
    (tmp_path / "b.md").write_text("intro\n\n# Thing Object\n\n" + table)
    assert main(["generate", "--root", str(tmp_path), "a.md", "b.md"]) == ExitCode.USER_ERROR
    assert "b.md:5: model 'Thing' is also defined at a.md:3" in capsys.readouterr().err


def test_duplicate_model_hints_propose_distinct_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Following every rename hint of one run must not make a new duplicate."""
    table = "| Property name | Type | Description |\n| --- | --- | --- |\n| id | int | Key. |\n"
    pages = ["a.md", "event.md", "event_model.md"]
    for page in pages:
        (tmp_path / page).write_text("# Event\n\n" + table)
    assert main(["generate", "--root", str(tmp_path), *pages]) == ExitCode.USER_ERROR
    suggested = re.findall(r'\] name = "(\w+)"', capsys.readouterr().err)
    assert len(suggested) == 2
    assert len(set(suggested)) == 2
    assert "Event" not in suggested


def test_python_dash_m_runs_the_cli(project: Path) -> None:
    import subprocess
    import sys

    completed = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--root", str(project)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (project / "out" / "courier" / "__init__.py").is_file()


def test_name_collision_names_both_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "user.md").write_text(
        "# User Model\n\n| Property name | Type | Description |\n| --- | --- | --- |\n"
        "| userId | int | Camel case. |\n| user_id | int | Snake case. |\n"
    )
    assert main(["generate", "--root", str(tmp_path), "user.md"]) == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "user.md:6: property 'user_id' and 'userId' (line 5) both map to the Python name" in error


def test_subfolder_finds_project_root(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "docs")
    assert main(["generate"]) == ExitCode.OK
    assert (project / "out" / "courier" / "courier_model.py").is_file()
    assert main(["check", "-v"]) == ExitCode.OK


def test_sources_are_relative_to_current_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "docs")
    assert main(["generate", "courier-model.md"]) == ExitCode.OK
    assert sorted(path.name for path in (project / "spec").iterdir()) == ["courier_model.json"]


@pytest.mark.parametrize("output", ["out/my-api", "out/class"])
def test_output_must_be_a_package_name(
    project: Path, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--root", str(project), "--output", output]) == ExitCode.USER_ERROR
    assert "is not an importable package name" in capsys.readouterr().err


def test_output_that_is_a_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "afile").write_text("not a folder\n")
    assert main(["generate", "--root", str(project), "--output", "afile"]) == ExitCode.USER_ERROR
    assert "afile: output folder is a file" in capsys.readouterr().err


def test_user_template_syntax_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "module.py.jinja").write_text("# header\n{{ oops\n")
    code = main(["generate", "--root", str(project), "--templates", "templates"])
    assert code == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "module.py.jinja:2: invalid template" in error
