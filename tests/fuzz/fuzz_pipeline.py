"""Long-running fuzzer for the whole pipeline, outside the normal test suite.

Each input is a set of hostile pages, a raw page of arbitrary bytes, or a
hand-edited spec file. A run must end in DocmodelsError or in a package that
passes the checks of ``tests/generated_code.py``; anything else is a crash.
See tests/fuzz/README.md for how to run it.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from generator.config import Config
from generator.errors import DocmodelsError
from generator.pipeline import run
from generator.spec import MARKER, SCHEMA_VERSION, read_spec_dir
from tests.generated_code import check_package, generate_or_reject
from tests.hostile_text import cell_text, file_stem, hostile_page, hostile_text

COUNTS = {"inputs": 0, "user_errors": 0, "packages": 0}


def _spec_string() -> st.SearchStrategy[str]:
    valid = st.sampled_from(["page", "Model", "name", "user_id", "ItemDict"])
    invalid = st.sampled_from(["_runtime", "__init__", "self", "field", "Any", "x y"])
    return st.one_of(valid, valid, valid, invalid, hostile_text())


@st.composite
def spec_document(draw: st.DrawFn) -> dict[str, object]:
    """A spec file whose every string and type slot may be hostile."""
    scalar = st.sampled_from(["int", "str", "bool", "any", "datetime", "nope"])
    literal = st.lists(
        st.one_of(hostile_text(), st.integers(), st.booleans(), st.floats()),
        max_size=3,
    )
    type_json = st.recursive(
        scalar.map(lambda kind: {"kind": kind}),
        lambda inner: st.one_of(
            inner.map(lambda item: {"kind": "list", "item": item}),
            inner.map(lambda value: {"kind": "map", "value": value}),
            st.lists(inner, max_size=3).map(
                lambda options: {"kind": "union", "options": options}
            ),
        ),
        max_leaves=6,
    )
    module = draw(st.one_of(st.just("page"), _spec_string()))
    model_names = draw(
        st.lists(
            st.one_of(st.sampled_from(["User", "Item"]), _spec_string()),
            min_size=1,
            max_size=3,
        )
    )
    models = []
    for model_name in model_names:
        fields = []
        for _ in range(draw(st.integers(0, 3))):
            kind = draw(
                st.one_of(
                    type_json,
                    literal.map(lambda values: {"kind": "literal", "values": values}),
                    st.sampled_from(model_names + ["Other"]).map(
                        lambda name: {"kind": "model", "name": name, "module": module}
                    ),
                )
            )
            fields.append(
                {
                    "name": draw(
                        st.one_of(st.sampled_from(["id", "user"]), _spec_string())
                    ),
                    "wire_name": draw(hostile_text()),
                    "type": kind,
                    "type_text": draw(hostile_text()),
                    "required": draw(st.booleans()),
                    "nullable": draw(st.booleans()),
                    "default": None,
                    "description": draw(hostile_text()),
                    "line": 1,
                }
            )
        models.append(
            {
                "name": model_name,
                "title": draw(hostile_text()),
                "description": draw(hostile_text()),
                "line": 1,
                "unknown_keys": draw(st.sampled_from(["ignore", "keep", "reject"])),
                "fields": fields,
            }
        )
    return {
        "generator": MARKER,
        "schema_version": SCHEMA_VERSION,
        "module": module,
        "source": draw(hostile_text()),
        "models": models,
    }


def _run_pages(pages: dict[str, bytes | str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        text_pages = {
            name: text for name, text in pages.items() if isinstance(text, str)
        }
        docs = root / "docs"
        docs.mkdir()
        for name, content in pages.items():
            if isinstance(content, bytes):
                (docs / name).write_bytes(content)
        error = generate_or_reject(root, text_pages)
    _count(error)


def _run_spec(document: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "spec").mkdir()
        text = json.dumps(document, ensure_ascii=False)
        (root / "spec" / "page.json").write_text(
            text, encoding="utf-8", errors="surrogatepass"
        )
        config = Config(root=root, spec_dir="spec", output_dir="out/models")
        try:
            run(config, from_spec=True)
        except DocmodelsError as error:
            _count(error)
            return
        modules = read_spec_dir(root / "spec")
        files = {
            path.name: path.read_text(encoding="utf-8")
            for path in sorted((root / "out" / "models").glob("*.py"))
        }
        check_package(root, modules, files)
        _count(None)


def _count(error: DocmodelsError | None) -> None:
    COUNTS["inputs"] += 1
    COUNTS["user_errors" if error is not None else "packages"] += 1
    if COUNTS["inputs"] % 500 == 0:
        print(f"{COUNTS}", file=sys.stderr, flush=True)


raw_page = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass")),
)

pages = st.dictionaries(
    file_stem().map(lambda stem: stem + ".md"),
    st.one_of(hostile_page(), raw_page, cell_text(20)),
    min_size=1,
    max_size=3,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--examples", type=int, default=10_000, help="inputs for the page target"
    )
    parser.add_argument(
        "--spec-examples", type=int, default=None, help="inputs for the spec target"
    )
    parser.add_argument("--seed", type=int, default=None, help="make a run repeatable")
    parser.add_argument(
        "--target", choices=["pages", "spec"], action="append", help="run only these"
    )
    arguments = parser.parse_args()
    logging.disable(logging.CRITICAL)

    def fuzz_settings(examples: int) -> settings:
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            report_multiple_bugs=True,
            phases=[Phase.generate, Phase.shrink, Phase.explain],
            suppress_health_check=list(HealthCheck),
        )

    spec_examples = arguments.spec_examples or arguments.examples
    targets = [
        ("pages", given(pages)(fuzz_settings(arguments.examples)(_run_pages))),
        ("spec", given(spec_document())(fuzz_settings(spec_examples)(_run_spec))),
    ]
    failures = 0
    for name, target in targets:
        if arguments.target and name not in arguments.target:
            continue
        start = time.perf_counter()
        if arguments.seed is not None:
            target = seed(arguments.seed)(target)
        try:
            target()
        except Exception as error:  # noqa: BLE001  # each failure is a finding
            failures += 1
            print(f"{name}: FAILED", file=sys.stderr)
            traceback.print_exception(error, file=sys.stderr)
        elapsed = time.perf_counter() - start
        print(f"{name}: {elapsed:.0f} s, totals so far {COUNTS}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
