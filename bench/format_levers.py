"""Measure the levers of the format stage inside one process, A/B and interleaved.

Whole-process timings (bench/codegen.py) move with the load of the machine, so this
script compares the variants of one lever on the same rendered modules, alternating
them round by round, and reports CPU time (``time.process_time``) per module:

    .venv/bin/python bench/format_levers.py gc --models 60
    .venv/bin/python bench/format_levers.py templates --old-templates DIR --models 60
    .venv/bin/python bench/format_levers.py parallel --models 64

``gc`` compares black with the collector on, off, and off with one collection per
file. ``templates`` compares the bundled templates with those in DIR and with text
that black leaves unchanged. ``parallel``
times the format stage sequentially and with worker processes for growing batches.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import black

import synth
from generator import format as formatting
from generator import render
from generator.errors import Diagnostics
from generator.parse import parse_page
from generator.config import load_config
from generator.sources import Page
from generator import naming


def rendered_modules(count: int, templates: str | None) -> list[render.RenderedFile]:
    """Parse ``count`` synthesized pages and render them, without formatting."""
    config = load_config(Path(tempfile.mkdtemp()), None)
    modules = []
    for model in synth.synthesize(count):
        page = Page(f"docs/{model.stem}.md", synth.render_page(model), model.stem)
        module_name = naming.module_name(page.stem)
        modules.append(parse_page(page, module_name, config.limits, Diagnostics()))
    render.environment.cache_clear()
    files = render.render_package(modules, templates, config.naive_datetimes)
    return [item for item in files if item.path.endswith("_model.py")]


def cpu_per_module(texts: list[str], before_each: Callable[[], None], after_each: Callable[[], None]) -> float:
    start = time.process_time()
    for text in texts:
        before_each()
        black.format_str(text, mode=formatting.MODE)
        after_each()
    return (time.process_time() - start) / len(texts) * 1000


def compare(variants: dict[str, Callable[[], float]], rounds: int) -> None:
    """Run every variant once per round, in turn, and print the median per variant."""
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, measure in variants.items():
            results[name].append(measure())
    for name, values in results.items():
        print(f"{name:40} {statistics.median(values):7.2f} ms CPU per module")


def gc_lever(args: argparse.Namespace) -> None:
    texts = [item.text for item in rendered_modules(args.models, None)]

    def nothing() -> None:
        pass

    def with_collector() -> float:
        gc.enable()
        return cpu_per_module(texts, nothing, nothing)

    def without_collector() -> float:
        gc.disable()
        try:
            return cpu_per_module(texts, nothing, nothing)
        finally:
            gc.collect()
            gc.enable()

    def collect_per_file() -> float:
        gc.disable()
        gc.freeze()
        try:
            return cpu_per_module(texts, nothing, gc.collect)
        finally:
            gc.unfreeze()
            gc.enable()

    compare(
        {
            "collector on": with_collector,
            "collector off": without_collector,
            "off, frozen, one collection per file": collect_per_file,
        },
        args.rounds,
    )
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def templates_lever(args: argparse.Namespace) -> None:
    """Compare two template folders, and both with text that black leaves unchanged.

    The last variant is black's own output, so it shows what templates that emit
    black's layout for every line would cost: black then makes one pass, not two.
    """
    variants = {"bundled templates": None}
    if args.old_templates:
        variants[f"templates in {args.old_templates}"] = args.old_templates
    measures = {}
    formatted: list[str] = []
    for name, folder in variants.items():
        texts = [item.text for item in rendered_modules(args.models, folder)]
        formatted = [black.format_str(text, mode=formatting.MODE) for text in texts]
        exact = sum(after == before for after, before in zip(formatted, texts, strict=True))
        print(f"{name}: {exact}/{len(texts)} modules already in black style")
        measures[name] = lambda texts=texts: formatting_cpu(texts)
    measures["black's own output (one pass)"] = lambda: formatting_cpu(formatted)
    compare(measures, args.rounds)


def formatting_cpu(texts: list[str]) -> float:
    gc.disable()
    gc.freeze()
    try:
        return cpu_per_module(texts, lambda: None, gc.collect)
    finally:
        gc.unfreeze()
        gc.enable()


def parallel_lever(args: argparse.Namespace) -> None:
    files = rendered_modules(args.models, None)
    print(f"{'modules':>8} {'sequential':>12} {'workers':>12}")
    for count in (1, 2, 4, 8, 16, 32, 64, 128, 256):
        if count > len(files):
            break
        batch = files[:count]
        walls = {}
        for name, threshold in (("sequential", 10**9), ("workers", 0)):
            formatting.PARALLEL_THRESHOLD = threshold
            samples = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                formatting._format_many(batch)
                samples.append(time.perf_counter() - start)
            walls[name] = statistics.median(samples)
        print(f"{count:>8} {walls['sequential'] * 1000:>9.0f} ms {walls['workers'] * 1000:>9.0f} ms")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lever", choices=("gc", "templates", "parallel"))
    parser.add_argument("--models", type=int, default=60, help="number of synthesized models")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per variant")
    parser.add_argument("--old-templates", help="template folder to compare the bundled one with")
    args = parser.parse_args(argv)
    {"gc": gc_lever, "templates": templates_lever, "parallel": parallel_lever}[args.lever](args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
