"""The command line over hostile input.

A bad page exits 0 or 2 with a located message and never with a traceback. A
template that breaks black is an internal error, exit 3."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from generator.cli import main

PYPROJECT = """[tool.docmodels]
sources = ["docs"]
spec = "spec"
output = "out/models"

[tool.docmodels.limits]
max-page-bytes = 200000
max-table-rows = 50
max-columns = 8
max-nesting-depth = 4
"""

TABLE = "| Property | Type | Description |\n|---|---|---|\n"

HOSTILE_PAGES: dict[str, bytes | str] = {
    "empty": "",
    "only front matter": "---\ntitle: x\n---\n",
    "unclosed front matter": "---\ntitle: '''\n# User\n\n" + TABLE + "| id | int | x |\n",
    "binary": bytes(range(256)),
    "not utf8": b"# User\n\n" + TABLE.encode() + b"| id | int | \xff\xfe |\n",
    "utf16": "# User\n".encode("utf-16"),
    "too many rows": "# User\n\n" + TABLE + "| id | int | x |\n" * 51,
    "too many columns": "# User\n\n| Property | Type |" + " c |" * 9 + "\n"
    + "|---" * 11 + "|\n",
    "too deep": "# User\n\n" + TABLE + "| a | object | x |\n| a.b.c.d.e | int | x |\n",
    "too big": "# User\n\n" + TABLE + "| id | int | " + "x" * 200_000 + " |\n",
    "duplicate row": "# User\n\n" + TABLE + "| id | int | x |\n| id | int | y |\n",
    "nfkc collision": "# User\n\n" + TABLE + "| ﬁle | int | x |\n| file | int | y |\n",
    "empty names": "# User\n\n" + TABLE + "|  | int | x |\n| `` | int | y |\n",
    "placeholders": "# User\n\n" + TABLE + "| {a} | int | x |\n| b.{c} | int | y |\n",
    "dots only": "# User\n\n" + TABLE + "| . | int | x |\n| .. | int | y |\n| a. | int | z |\n",
    "brackets only": "# User\n\n" + TABLE + "| [] | int | x |\n| a[][] | int | y |\n",
    "deep type": "# User\n\n" + TABLE + "| a | " + "list[" * 3000 + " | x |\n",
    "control characters": "# U\x00s\x07er\u202e\n\n" + TABLE + "| i\x0bd | in\x1ct | \x85x |\n",
    "jinja": "# {{ user }}\n\n" + TABLE + "| {% raw %} | {{ 7*7 }} | {# x #} |\n",
    "quotes": '# """\n\n' + TABLE + "| ''' | \" | \\ |\n",
    "headings only": "# A\n## B\n### C\n#### D\n##### E\n###### F\n####### G\n",
    "nested brackets": "# User\n\n" + TABLE + "| a | int | " + "[" * 5000 + "]" * 5000 + " |\n",
    "table without type": "# User\n\n| Property | Description |\n|---|---|\n| a | b |\n",
    "html": "# User\n\n" + TABLE + "| <script>x</script> | <b>int</b> | <br><br/> |\n",
    "keyword heading": "# class\n\n" + TABLE + "| def | int | x |\n",
    "typeddict clash": "# User\n\n" + TABLE + "| a | int | x |\n\n# User Dict\n\n"
    + TABLE + "| a | int | x |\n",
}  # fmt: skip

FILE_NAMES = ["page.md", "coding: utf-7.md", "#.md", " .md", "a\nb.md", "__init__.md"]


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "docs").mkdir(exist_ok=True)
    return root


def write_page(docs: Path, name: str, content: bytes | str) -> None:
    path = docs / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")


@pytest.mark.parametrize("content", HOSTILE_PAGES.values(), ids=HOSTILE_PAGES)
def test_hostile_page_exits_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | str
) -> None:
    root = make_project(tmp_path)
    write_page(root / "docs", "page.md", content)
    code = main(["generate", "--root", str(root)])
    stderr = capsys.readouterr().err
    assert code in (0, 2), stderr
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    if code == 2:
        assert re.search(
            r"^error: docs/page\.md(:\d+)?: ", stderr, re.MULTILINE
        ), stderr
    else:
        assert main(["check", "--root", str(root)]) == 0


@pytest.mark.parametrize("name", FILE_NAMES)
def test_hostile_file_name_exits_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    root = make_project(tmp_path)
    write_page(root / "docs", name, "# User\n\n" + TABLE + "| id | int | x |\n")
    code = main(["generate", "--root", str(root)])
    stderr = capsys.readouterr().err
    assert code == 0, stderr
    generated = sorted(path.name for path in (root / "out" / "models").iterdir())
    assert "__init__.py" in generated
    assert "_runtime.py" in generated
    assert len(generated) == 4


def test_all_hostile_pages_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    for index, content in enumerate(HOSTILE_PAGES.values()):
        write_page(root / "docs", f"page{index}.md", content)
    code = main(["generate", "--root", str(root)])
    stderr = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in stderr
    assert not (root / "out").exists(), "a failed run must write nothing"


@pytest.mark.skipif(sys.platform == "win32", reason="needs symbolic links")
def test_symlink_loop_in_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    write_page(root / "docs", "page.md", "# User\n\n" + TABLE + "| id | int | x |\n")
    os.symlink(root / "docs", root / "docs" / "loop")
    code = main(["generate", "--root", str(root)])
    stderr = capsys.readouterr().err
    assert code in (0, 2), stderr
    assert "Traceback" not in stderr


def test_black_failure_is_internal_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path)
    write_page(root / "docs", "user.md", "# User\n\n" + TABLE + "| id | int | x |\n")
    templates = root / "templates"
    templates.mkdir()
    (templates / "module.py.jinja").write_text("{{ header }}\ndef broken(:\n")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text().replace(
            'output = "out/models"\n',
            'output = "out/models"\ntemplates = "templates"\n',
        )
    )
    code = main(["generate", "--root", str(root)])
    stderr = capsys.readouterr().err
    assert code == 3
    assert stderr.startswith(
        "internal error: black could not format the output of "
        "module.py.jinja (module user, models User): "
    )
    match = re.search(r"the unformatted code is in (\S+)", stderr)
    assert match, stderr
    dump = Path(match.group(1))
    try:
        assert dump.read_text().endswith("def broken(:\n")
    finally:
        dump.unlink()
    assert not (root / "out").exists()
