"""The pre-commit hooks, run by the real pre-commit tool in a throwaway repository.

pre-commit installs the hooks' own virtual environment from a snapshot of this
checkout, which downloads docmodels' dependencies from the package index; that
install is most of the run time. Select these tests with ``-m precommit``, or
leave them out with ``-m 'not precommit'``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO
from .projects import commit_all, git, make_shop

pytestmark = pytest.mark.precommit

CONFIG = """\
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: docmodels-generate
      - id: docmodels-check
"""


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's files as they are now, and its commit."""
    if not (REPO / ".git").exists():
        pytest.skip(
            "the project is not a git checkout, so there is nothing to snapshot"
        )
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    snapshot = tmp_path_factory.mktemp("hooks")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return snapshot, commit_all(snapshot, "Snapshot for the hook tests")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment cache for every test in this module."""
    return tmp_path_factory.mktemp("pre-commit-home")


def _pre_commit(
    root: Path, home: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *arguments],
        cwd=root,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture
def user_repository(tmp_path: Path, hook_repository: tuple[Path, str]) -> Path:
    """A project that uses both hooks, committed before its models are generated."""
    root = make_shop(tmp_path / "user")
    snapshot, rev = hook_repository
    (root / ".pre-commit-config.yaml").write_text(CONFIG.format(repo=snapshot, rev=rev))
    commit_all(root, "Add the shop page")
    return root


def test_generate_hook_regenerates_after_doc_edit(
    user_repository: Path, pre_commit_home: Path
) -> None:
    root = user_repository
    # pre-commit reports modified tracked files only, so creating the models passes.
    first = _pre_commit(
        root, pre_commit_home, "run", "docmodels-generate", "--all-files"
    )
    assert first.returncode == 0, first.stdout + first.stderr
    module = root / "models" / "shop" / "shop.py"
    assert "class Order(rt.Model[OrderDict]):" in module.read_text()
    git(root, "add", "--all")

    again = _pre_commit(
        root, pre_commit_home, "run", "docmodels-generate", "--all-files"
    )
    assert again.returncode == 0, again.stdout + again.stderr

    page = root / "docs" / "shop.md"
    page.write_text(
        page.read_text().replace(
            "| memo |", "| gift_wrap | boolean | no | Wrap it. |\n| memo |"
        )
    )
    git(root, "add", "--all")
    edited = _pre_commit(
        root, pre_commit_home, "run", "docmodels-generate", "--all-files"
    )
    assert edited.returncode == 1, edited.stdout + edited.stderr
    assert "files were modified by this hook" in edited.stdout
    assert "gift_wrap: bool | Missing = MISSING" in module.read_text()


def test_check_hook_fails_on_stale_tree(
    user_repository: Path, pre_commit_home: Path
) -> None:
    root = user_repository
    generated = _pre_commit(
        root, pre_commit_home, "run", "docmodels-generate", "--all-files"
    )
    assert "docmodels generate" in generated.stdout, generated.stdout + generated.stderr
    git(root, "add", "--all")
    current = _pre_commit(
        root, pre_commit_home, "run", "docmodels-check", "--all-files"
    )
    assert current.returncode == 0, current.stdout + current.stderr

    page = root / "docs" / "shop.md"
    page.write_text(page.read_text().replace("Amount due", "Sum due"))
    git(root, "add", "--all")
    module = root / "models" / "shop" / "shop.py"
    before = module.read_text()
    stale = _pre_commit(root, pre_commit_home, "run", "docmodels-check", "--all-files")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert (
        "generated files differ from what the docs produce; run 'docmodels generate'"
        in stale.stdout
    )
    assert '+    """Sum due, in cents."""' in stale.stdout
    assert module.read_text() == before
