"""``docmodels diff``: which model changes are breaking, and how each format reports them.

The report goldens live in ``tests/golden/diff/``. After an intended change to
the report, update them with ``DOCMODELS_UPDATE_GOLDEN=1 pytest tests/test_diff.py``
and review the diff.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.diff import Change, compare
from generator.errors import ExitCode, Location
from generator.spec import Field, LiteralOf, Model, Module, Scalar, TypeRef

from .conftest import UPDATE_GOLDEN
from .projects import commit_all, edit_shop_page, make_field_nullable, make_shop

GOLDEN = Path(__file__).parent / "golden" / "diff"
UPDATE_HINT = "update with: DOCMODELS_UPDATE_GOLDEN=1 pytest tests/test_diff.py"


@pytest.fixture
def spec_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose old and new spec folders differ by a scripted edit; cwd is its root.

    The page edit removes a field, changes a type, renames a field, makes a field
    required and adds a model; a spec edit makes Customer.email nullable.
    """
    root = make_shop(tmp_path)
    assert main(["generate", "--root", str(root)]) == ExitCode.OK
    shutil.copytree(root / "spec", root / "old-spec")
    edit_shop_page(root)
    assert main(["generate", "--root", str(root)]) == ExitCode.OK
    shutil.copytree(root / "spec", root / "new-spec")
    make_field_nullable(root / "new-spec" / "shop.json", "Customer", "email")
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(
    ("output_format", "golden_name"),
    [("text", "report.txt"), ("json", "report.json"), ("markdown", "report.md")],
)
def test_diff_report_matches_golden(
    spec_folders: Path,
    capsys: pytest.CaptureFixture[str],
    output_format: str,
    golden_name: str,
) -> None:
    code = main(["diff", "old-spec", "new-spec", "--format", output_format])
    assert code == ExitCode.OK
    output = capsys.readouterr().out
    golden = GOLDEN / golden_name
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert output == golden.read_text(encoding="utf-8"), UPDATE_HINT


def test_diff_classifies_scripted_edit(
    spec_folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "old-spec", "new-spec", "--format", "json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    found = [
        (change["model"], change["field"], change["kind"], change["breaks"])
        for change in report["changes"]
    ]
    assert found == [
        ("Order", "total", "type-changed", ["reading", "writing"]),
        ("Order", "placed_at", "required-changed", ["reading", "writing"]),
        ("Order", "buyer_memo", "field-renamed", ["reading", "writing"]),
        ("Order", "coupon", "field-removed", ["reading", "writing"]),
        ("Customer", "email", "nullable-changed", ["reading"]),
        ("Shipment", "", "model-added", []),
    ]
    assert report["breaking"] == 5
    assert report["compatible"] == 1
    assert report["exit_code"] == 0


def test_diff_fail_on_breaking_exits_one(spec_folders: Path) -> None:
    code = main(["diff", "old-spec", "new-spec", "--fail-on-breaking"])
    assert code == ExitCode.STALE


def test_diff_of_equal_specs_is_empty(
    spec_folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "old-spec", "old-spec", "--fail-on-breaking"]) == ExitCode.OK
    assert capsys.readouterr().out == "no model changes from old-spec to old-spec\n"


def test_diff_missing_folder_is_user_error(
    spec_folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "old-spec", "nowhere"]) == ExitCode.USER_ERROR
    assert "nowhere: spec folder not found" in capsys.readouterr().err


def test_diff_rejects_one_folder(
    spec_folders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "old-spec"]) == ExitCode.USER_ERROR
    assert "give two spec folders" in capsys.readouterr().err


def test_diff_usage_error_as_json(spec_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "old-spec", "--format", "json"]) == ExitCode.USER_ERROR
    report = json.loads(capsys.readouterr().out)
    assert report["exit_code"] == ExitCode.USER_ERROR
    assert report["errors"][0]["message"] == "give two spec folders, OLD and NEW, or none"


# ---------------------------------------------------------------------------
# Git revisions


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose first commit contains the shop page, its spec and models."""
    root = make_shop(tmp_path)
    assert main(["generate", "--root", str(root)]) == ExitCode.OK
    commit_all(root, "Add the shop models")
    return root


def _kinds(output: str) -> list[tuple[str, str, str]]:
    return [
        (change["model"], change["field"], change["kind"])
        for change in json.loads(output)["changes"]
    ]


EDIT_KINDS = [
    ("Order", "total", "type-changed"),
    ("Order", "placed_at", "required-changed"),
    ("Order", "buyer_memo", "field-renamed"),
    ("Order", "coupon", "field-removed"),
    ("Shipment", "", "model-added"),
]


def test_diff_compares_head_with_docs(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_shop_page(repository)
    spec_before = (repository / "spec" / "shop.json").read_bytes()
    assert main(["diff", "--root", str(repository), "--format", "json"]) == ExitCode.OK
    output = capsys.readouterr().out
    assert _kinds(output) == EDIT_KINDS
    assert json.loads(output)["from"] == "HEAD"
    assert json.loads(output)["to"] == "the docs"
    assert (repository / "spec" / "shop.json").read_bytes() == spec_before


def test_diff_between_two_revisions(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_shop_page(repository)
    assert main(["generate", "--root", str(repository)]) == ExitCode.OK
    commit_all(repository, "Change the shop models")
    arguments = ["diff", "--root", str(repository), "--format", "json"]
    assert main([*arguments, "--from", "HEAD~1", "--to", "HEAD"]) == ExitCode.OK
    assert _kinds(capsys.readouterr().out) == EDIT_KINDS
    assert main([*arguments, "--from", "HEAD", "--to", "HEAD~1"]) == ExitCode.OK
    reverse = _kinds(capsys.readouterr().out)
    assert ("Order", "memo", "field-renamed") in reverse
    assert ("Order", "coupon", "field-added") in reverse
    assert ("Shipment", "", "model-removed") in reverse


def test_diff_from_revision_without_spec_lists_additions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_shop(tmp_path)
    commit_all(root, "Add the page only")
    assert main(["diff", "--root", str(root), "--format", "json"]) == ExitCode.OK
    report = json.loads(capsys.readouterr().out)
    assert [change["kind"] for change in report["changes"]] == ["model-added"] * 2
    assert report["breaking"] == 0


def test_diff_unknown_revision_is_user_error(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["diff", "--root", str(repository), "--from", "no-such-branch"])
    assert code == ExitCode.USER_ERROR
    assert "git revision 'no-such-branch' not found" in capsys.readouterr().err


def test_diff_outside_git_is_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_shop(tmp_path / "plain")
    assert main(["diff", "--root", str(root)]) == ExitCode.USER_ERROR
    error = capsys.readouterr().err
    assert "not inside a git repository" in error
    assert "docmodels diff OLD NEW" in error


def test_check_fails_on_breaking_change_since_head(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_shop_page(repository)
    assert main(["generate", "--root", str(repository)]) == ExitCode.OK
    assert main(["check", "--root", str(repository)]) == ExitCode.OK
    code = main(["check", "--root", str(repository), "--fail-on-breaking"])
    assert code == ExitCode.STALE
    error = capsys.readouterr().err
    assert "breaking (reading, writing): Order.coupon: field removed" in error
    commit_all(repository, "Accept the change")
    assert (
        main(["check", "--root", str(repository), "--fail-on-breaking"]) == ExitCode.OK
    )


def test_check_passes_compatible_change(repository: Path) -> None:
    page = repository / "docs" / "shop.md"
    page.write_text(page.read_text() + "\n## Note object\n\n| Field | Type | Description |\n"
                    "| --- | --- | --- |\n| text | string | Body of the note. |\n")  # fmt: skip
    assert main(["generate", "--root", str(repository)]) == ExitCode.OK
    assert (
        main(["check", "--root", str(repository), "--fail-on-breaking"]) == ExitCode.OK
    )


def test_check_json_lists_breaking_changes(
    repository: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_shop_page(repository)
    arguments = [
        "check",
        "--root",
        str(repository),
        "--fail-on-breaking",
        "--format",
        "json",
    ]
    assert main(arguments) == ExitCode.STALE
    report = json.loads(capsys.readouterr().out)
    assert report["exit_code"] == ExitCode.STALE
    assert "spec/shop.json" in report["changed"]
    assert [change["field"] for change in report["breaking"]] == [
        "total",
        "placed_at",
        "buyer_memo",
        "coupon",
    ]


# ---------------------------------------------------------------------------
# Rules, on spec objects


STRING = Scalar("str")


def _field(
    wire_name: str,
    type_ref: TypeRef = STRING,
    *,
    required: bool = False,
    nullable: bool = False,
    description: str = "",
    name: str = "",
) -> Field:
    return Field(
        name=name or wire_name,
        wire_name=wire_name,
        type=type_ref,
        required=required,
        nullable=nullable,
        description=description,
        location=Location("page.md", 1),
    )


def _spec(
    *fields: Field, module: str = "page", unknown_keys: str = "ignore"
) -> list[Module]:
    model = Model("Thing", "Thing", "", Location("page.md", 1), fields, unknown_keys)  # type: ignore[arg-type]
    return [Module(module, "page.md", (model,))]


def _only(changes: tuple[Change, ...]) -> tuple[str, tuple[str, ...]]:
    assert len(changes) == 1, changes
    return changes[0].kind, changes[0].breaks


def test_required_to_optional_breaks_reading_only() -> None:
    old = _spec(_field("a", required=True))
    new = _spec(_field("a", required=False))
    assert _only(compare(old, new)) == ("required-changed", ("reading",))
    assert _only(compare(new, old)) == ("required-changed", ("reading", "writing"))


def test_nullable_to_non_nullable_breaks_both() -> None:
    old = _spec(_field("a", nullable=True))
    new = _spec(_field("a", nullable=False))
    assert _only(compare(old, new)) == ("nullable-changed", ("reading", "writing"))
    assert _only(compare(new, old)) == ("nullable-changed", ("reading",))


def test_literal_gaining_values_breaks_reading_only() -> None:
    small = _spec(_field("state", LiteralOf(("open", "paid"))))
    large = _spec(_field("state", LiteralOf(("open", "paid", "void"))))
    assert _only(compare(small, large)) == ("type-changed", ("reading",))
    assert _only(compare(large, small)) == ("type-changed", ("reading", "writing"))


def test_optional_field_added_is_compatible() -> None:
    old = _spec(_field("a"))
    assert _only(compare(old, _spec(_field("a"), _field("b")))) == ("field-added", ())
    required = _spec(_field("a"), _field("b", required=True))
    assert _only(compare(old, required)) == ("field-added", ("reading", "writing"))


def test_rename_needs_matching_description() -> None:
    old = _spec(_field("a"), _field("b", description="First."))
    renamed = _spec(_field("a"), _field("c", description="First."))
    assert _only(compare(old, renamed)) == ("field-renamed", ("reading", "writing"))
    replaced = _spec(_field("a"), _field("c", description="Other."))
    kinds = [change.kind for change in compare(old, replaced)]
    assert kinds == ["field-added", "field-removed"]


def test_rename_needs_same_position() -> None:
    old = _spec(_field("a", description="Same."), _field("b"), _field("c"))
    moved = _spec(_field("b"), _field("c"), _field("z", description="Same."))
    kinds = [change.kind for change in compare(old, moved)]
    assert kinds == ["field-added", "field-removed"]


def test_attribute_rename_with_same_wire_name() -> None:
    old = _spec(_field("id", name="id"))
    new = _spec(_field("id", name="id_"))
    assert _only(compare(old, new)) == ("attribute-renamed", ("reading", "writing"))


def test_timestamp_and_datetime_differ_on_the_wire() -> None:
    old = _spec(_field("at", Scalar("datetime")))
    new = _spec(_field("at", Scalar("timestamp")))
    (change,) = compare(old, new)
    assert change.summary == (
        "type changed from datetime (wire: str) to datetime (wire: int | float)"
    )


def test_unknown_keys_reject_breaks_reading() -> None:
    ignore = _spec(_field("a"))
    reject = _spec(_field("a"), unknown_keys="reject")
    assert _only(compare(ignore, reject)) == ("unknown-keys-changed", ("reading",))
    assert _only(compare(reject, ignore)) == ("unknown-keys-changed", ())


def test_model_moved_and_removed_are_breaking() -> None:
    old = _spec(_field("a"), module="first")
    assert _only(compare(old, _spec(_field("a"), module="second"))) == (
        "model-moved",
        ("reading", "writing"),
    )
    assert _only(compare(old, [])) == ("model-removed", ("reading", "writing"))
    assert _only(compare([], old)) == ("model-added", ())
