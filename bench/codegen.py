"""Benchmark ``docmodels`` against datamodel-code-generator on synthesized models.

Run it by hand from the repository root, never in CI:

    python3 -m venv bench/.venv
    bench/.venv/bin/pip install -r bench/requirements-codegen.txt
    .venv/bin/python bench/codegen.py --sizes 1,10,100,1000,10000

For each model count N it writes N pages and N equivalent JSON Schema files, then
times whole processes, round-robin over the scenarios and the repetitions:

- ``dm-cold``: ``docmodels generate`` with no cache folder and no output;
- ``dm-one-changed``: ``docmodels generate`` after one page gained or lost a row;
- ``dm-check``: ``docmodels check`` with nothing changed;
- ``dcg``: ``datamodel-codegen --output-model-type dataclasses.dataclass`` with its
  default formatters (black, then isort) on the JSON Schema folder.

Wall time comes from ``time.perf_counter`` around each process, peak memory from
the ``ru_maxrss`` that ``os.wait4`` returns. The stage timings of docmodels come from
its DEBUG log (``-vv``). The medians go into the results section of bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import synth

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
README = BENCH_DIR / "README.md"
RESULTS_START = "<!-- results:start -->"
RESULTS_END = "<!-- results:end -->"

# One DEBUG line per pipeline stage, as generator/pipeline.py logs it under -vv,
# for example "stage parse: 123.4 ms".
STAGE_LINE = re.compile(r"^stage (?P<stage>[a-z_]+): (?P<ms>[0-9.]+) ms$", re.MULTILINE)

# The row that the "one page changed" scenario adds to, then removes from, one page.
EXTRA_ROW = synth.Row("revision\\_note", "string", "A note on the latest revision.")


@dataclass(frozen=True)
class Run:
    """One timed process: wall and CPU seconds, peak RSS and the stage timings it logged."""

    scenario: str
    models: int
    wall: float
    cpu: float
    max_rss_kib: int
    exit_code: int
    stages: dict[str, float] = field(default_factory=dict)
    files_written: int = 0
    idle_cores: float = 0.0
    """Mean number of idle cores of the machine during the run."""


@dataclass(frozen=True)
class Tools:
    """The executables under test and the flags they are run with."""

    docmodels: list[str]
    datamodel_codegen: list[str]
    dcg_formatters: list[str]


@dataclass
class Workspace:
    """The folders of one model count: pages, schemas and each tool's output."""

    root: Path
    models: list[synth.Model]
    toggled: bool = False

    @property
    def pages(self) -> Path:
        return self.root / "docs"

    @property
    def schemas(self) -> Path:
        return self.root / "schema"

    def docmodels_args(self, command: str) -> list[str]:
        return ["-vv", command, "--root", ".", "docs", "--spec", "spec", "--output", "out_docmodels"]

    def reset_docmodels(self) -> None:
        for name in (".docmodels-cache", "out_docmodels", "spec"):
            shutil.rmtree(self.root / name, ignore_errors=True)

    def reset_dcg(self) -> None:
        shutil.rmtree(self.root / "out_dcg", ignore_errors=True)

    def write_middle_page(self, with_extra_row: bool) -> None:
        model = self.models[len(self.models) // 2]
        extra = (EXTRA_ROW,) if with_extra_row else ()
        page = self.pages / f"{model.stem}.md"
        page.write_text(synth.render_page(model, extra), encoding="utf-8")
        self.toggled = with_extra_row

    def change_one_page(self) -> None:
        """Add the extra row to the middle page, or remove it if the last call added it."""
        self.write_middle_page(not self.toggled)


def prepare_workspace(root: Path, count: int, seed: int) -> Workspace:
    """Write the pages and schemas of ``count`` models, reusing them if already there."""
    models = synth.synthesize(count, seed)
    marker = root / "corpus.json"
    expected = {"models": count, "seed": seed}
    if not marker.exists() or json.loads(marker.read_text()) != expected:
        shutil.rmtree(root, ignore_errors=True)
        synth.write_corpus(models, root / "docs", root / "schema")
        marker.write_text(json.dumps(expected))
    workspace = Workspace(root, models)
    workspace.write_middle_page(with_extra_row=False)
    return workspace


def snapshot_mtimes(folder: Path) -> dict[Path, int]:
    if not folder.exists():
        return {}
    return {path: path.stat().st_mtime_ns for path in folder.rglob("*.py")}


def count_written(before: dict[Path, int], after: dict[Path, int]) -> int:
    return sum(1 for path, mtime in after.items() if before.get(path) != mtime)


def machine_idle_seconds() -> float:
    """Return the CPU seconds that all cores of the machine spent idle since boot.

    Other work on the machine takes cores that the timed process could use, so the
    report shows how many cores stayed idle. Without /proc/stat (outside Linux) it
    returns 0.
    """
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    return (fields[3] + fields[4]) / os.sysconf("SC_CLK_TCK")  # idle and iowait


@dataclass(frozen=True)
class Measurement:
    """Wall and CPU seconds, peak RSS in KiB, exit code and idle cores of one run."""

    wall: float
    cpu: float
    max_rss_kib: int
    exit_code: int
    idle_cores: float


def time_process(argv: Sequence[str], cwd: Path, env: dict[str, str], log_path: Path) -> Measurement:
    """Run one process to its end and measure it.

    ``ru_maxrss`` from ``wait4`` covers the process and the children it waited for,
    and is the peak of the largest single process among them, not their sum.
    """
    with open(log_path, "wb") as log_file:
        idle_before = machine_idle_seconds()
        start = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        idle = machine_idle_seconds() - idle_before
    process.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Measurement(wall, cpu, usage.ru_maxrss, process.returncode, idle / wall)


def parse_stages(log_text: str) -> dict[str, float]:
    """Sum the seconds of each stage that the DEBUG log reports."""
    stages: dict[str, float] = {}
    for match in STAGE_LINE.finditer(log_text):
        stage = match["stage"]
        stages[stage] = stages.get(stage, 0.0) + float(match["ms"]) / 1000
    return stages


@dataclass(frozen=True)
class Scenario:
    """A command to time and the step that puts the workspace in its starting state."""

    name: str
    prepare: Callable[[Workspace], None]
    argv: Callable[[Workspace, Tools], list[str]]
    output: str
    expected_exit: int = 0


def nothing(workspace: Workspace) -> None:
    del workspace


def dcg_argv(workspace: Workspace, tools: Tools) -> list[str]:
    return [
        *tools.datamodel_codegen,
        "--input", "schema",
        "--input-file-type", "jsonschema",
        "--output", "out_dcg",
        "--output-model-type", "dataclasses.dataclass",
        "--disable-timestamp",
        "--formatters", *tools.dcg_formatters,
    ]  # fmt: skip


SCENARIOS = {
    "dcg": Scenario(
        "dcg", Workspace.reset_dcg, dcg_argv, "out_dcg"
    ),
    "dm-cold": Scenario(
        "dm-cold",
        Workspace.reset_docmodels,
        lambda ws, tools: [*tools.docmodels, *ws.docmodels_args("generate")],
        "out_docmodels",
    ),
    "dm-one-changed": Scenario(
        "dm-one-changed",
        Workspace.change_one_page,
        lambda ws, tools: [*tools.docmodels, *ws.docmodels_args("generate")],
        "out_docmodels",
    ),
    "dm-check": Scenario(
        "dm-check",
        nothing,
        lambda ws, tools: [*tools.docmodels, *ws.docmodels_args("check")],
        "out_docmodels",
    ),
}
DOCMODELS_ROUND = ("dm-cold", "dm-one-changed", "dm-check")


def round_order(repetition: int, names: Sequence[str]) -> list[str]:
    """Alternate datamodel-codegen before and after the docmodels scenarios.

    The docmodels scenarios keep their order because each starts from the state the
    previous one leaves: a cold run fills the cache that the others need.
    """
    docmodels = [name for name in DOCMODELS_ROUND if name in names]
    dcg = ["dcg"] if "dcg" in names else []
    return dcg + docmodels if repetition % 2 == 0 else docmodels + dcg


def run_scenario(name: str, workspace: Workspace, tools: Tools, logs: Path) -> Run:
    scenario = SCENARIOS[name]
    scenario.prepare(workspace)
    before = snapshot_mtimes(workspace.root / scenario.output)
    log_path = logs / f"{name}-{len(workspace.models)}.log"
    argv = scenario.argv(workspace, tools)
    measured = time_process(argv, workspace.root, tool_environment(), log_path)
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    if measured.exit_code != scenario.expected_exit:
        tail = "\n".join(log_text.splitlines()[-20:])
        raise SystemExit(
            f"{shlex.join(argv)} exited with {measured.exit_code} in {workspace.root}:\n{tail}"
        )
    written = count_written(before, snapshot_mtimes(workspace.root / scenario.output))
    return Run(
        name,
        len(workspace.models),
        measured.wall,
        measured.cpu,
        measured.max_rss_kib,
        measured.exit_code,
        parse_stages(log_text),
        written,
        measured.idle_cores,
    )


def tool_environment() -> dict[str, str]:
    """Return the environment of the timed tools: this one, with bytecode caching on.

    PYTHONDONTWRITEBYTECODE would make every run compile the editable docmodels
    sources again, which an installed package never does.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure_size(
    count: int, repetitions: int, warmups: int, names: Sequence[str], tools: Tools, args: argparse.Namespace
) -> list[Run]:
    """Time every scenario ``repetitions`` times for one model count."""
    workspace = prepare_workspace(args.workdir / f"n{count}", count, args.seed)
    logs = args.workdir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    runs: list[Run] = []
    for repetition in range(-warmups, repetitions):
        for name in round_order(repetition, names):
            run = run_scenario(name, workspace, tools, logs)
            label = "warm-up" if repetition < 0 else f"rep {repetition + 1}/{repetitions}"
            print(
                f"N={count:>5} {name:<15} {label:<10} {run.wall:8.3f} s"
                f"  cpu {run.cpu:8.3f} s  {run.max_rss_kib / 1024:7.1f} MiB"
                f"  wrote {run.files_written}  idle cores {run.idle_cores:.2f}",
                flush=True,
            )
            if repetition >= 0:
                runs.append(run)
    return runs


# --- report ---------------------------------------------------------------------


def median_of(runs: list[Run], name: str, count: int, key: Callable[[Run], float]) -> float | None:
    values = [key(run) for run in runs if run.scenario == name and run.models == count]
    return statistics.median(values) if values else None


def seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def format_ratio(numerator: float | None, denominator: float | None) -> str:
    if numerator is None or not denominator:
        return "–"
    return f"{numerator / denominator:.2f}"


def timing_table(runs: list[Run], sizes: list[int], names: list[str]) -> list[str]:
    lines = [
        "| N | " + " | ".join(names) + " | dm-cold / dcg |",
        "|---:|" + "---:|" * (len(names) + 1),
    ]
    for count in sizes:
        walls = {name: median_of(runs, name, count, lambda run: run.wall) for name in names}
        cells = [seconds(walls[name]) for name in names]
        ratio = format_ratio(walls.get("dm-cold"), walls.get("dcg"))
        lines.append(f"| {count} | " + " | ".join(cells) + f" | {ratio} |")
    return lines


def per_model_table(runs: list[Run], sizes: list[int], names: list[str]) -> list[str]:
    lines = ["| N | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for count in sizes:
        cells = []
        for name in names:
            wall = median_of(runs, name, count, lambda run: run.wall)
            cells.append("–" if wall is None else f"{wall / count * 1000:.2f} ms")
        lines.append(f"| {count} | " + " | ".join(cells) + " |")
    return lines


def memory_table(runs: list[Run], sizes: list[int], names: list[str]) -> list[str]:
    lines = ["| N | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for count in sizes:
        cells = []
        for name in names:
            rss = median_of(runs, name, count, lambda run: run.max_rss_kib)
            cells.append("–" if rss is None else f"{rss / 1024:.0f} MiB")
        lines.append(f"| {count} | " + " | ".join(cells) + " |")
    return lines


def cpu_table(runs: list[Run], sizes: list[int], names: list[str]) -> list[str]:
    lines = [
        "| N | " + " | ".join(names) + " |",
        "|---:|" + "---:|" * len(names),
    ]
    for count in sizes:
        cells = [seconds(median_of(runs, name, count, lambda run: run.cpu)) for name in names]
        lines.append(f"| {count} | " + " | ".join(cells) + " |")
    return lines


def idle_table(runs: list[Run], sizes: list[int], names: list[str]) -> list[str]:
    lines = ["| N | " + " | ".join(names) + " |", "|---:|" + "---:|" * len(names)]
    for count in sizes:
        cells = []
        for name in names:
            idle = median_of(runs, name, count, lambda run: run.idle_cores)
            cells.append("–" if idle is None else f"{idle:.2f}")
        lines.append(f"| {count} | " + " | ".join(cells) + " |")
    return lines


def stage_table(runs: list[Run], sizes: list[int]) -> list[str]:
    stages = sorted({stage for run in runs for stage in run.stages})
    if not stages:
        return ["No stage timings were found in the DEBUG log."]
    lines = ["| N | scenario | " + " | ".join(stages) + " | files written |"]
    lines.append("|---:|---|" + "---:|" * (len(stages) + 1))
    for count in sizes:
        for name in DOCMODELS_ROUND:
            selected = [run for run in runs if run.scenario == name and run.models == count]
            if not selected:
                continue
            cells = []
            for stage in stages:
                values = [run.stages[stage] for run in selected if stage in run.stages]
                cells.append(seconds(statistics.median(values)) if values else "–")
            written = statistics.median(run.files_written for run in selected)
            lines.append(f"| {count} | {name} | " + " | ".join(cells) + f" | {written:g} |")
    return lines


def target_lines(runs: list[Run]) -> list[str]:
    def wall(name: str, count: int) -> float | None:
        return median_of(runs, name, count, lambda run: run.wall)

    def rss(name: str, count: int) -> float | None:
        return median_of(runs, name, count, lambda run: run.max_rss_kib)

    def verdict(ok: bool | None) -> str:
        if ok is None:
            return "not measured"
        return "met" if ok else "missed"

    checks: list[tuple[str, str, bool | None]] = []
    cold, dcg = wall("dm-cold", 1000), wall("dcg", 1000)
    ok = None if cold is None or dcg is None else cold <= dcg
    checks.append(("cold generate of 1,000 models no slower than dcg", f"{seconds(cold)} vs {seconds(dcg)}", ok))
    changed = wall("dm-one-changed", 1000)
    ok = None if cold is None or changed is None else changed < 0.1 * cold
    share = "–" if changed is None or not cold else f"{changed / cold:.1%}"
    checks.append(("one of 1,000 pages changed: under 10% of cold", f"{seconds(changed)} ({share} of cold)", ok))
    for count, limit in ((100, 0.1), (10000, 0.3)):
        check = wall("dm-check", count)
        ok = None if check is None else check < limit
        checks.append((f"no-op check at N={count} under {limit * 1000:.0f} ms", seconds(check), ok))
    small, large = wall("dm-cold", 100), wall("dm-cold", 10000)
    if small is not None and large is not None:
        growth = (large / 10000) / (small / 100)
        checks.append(("cold per-model time at 10,000 within 1.5x of 100", f"{growth:.2f}x", growth <= 1.5))
    # Below a few hundred models the interpreter and its imports make up nearly all
    # of the peak RSS, so memory is compared by the growth per added model.
    small_rss, middle_rss, large_rss = rss("dm-cold", 100), rss("dm-cold", 1000), rss("dm-cold", 10000)
    if small_rss is not None and middle_rss is not None and large_rss is not None:
        lower = (middle_rss - small_rss) / 900
        upper = (large_rss - middle_rss) / 9000
        growth = upper / lower if lower > 0 else float("inf")
        text = f"{lower:.0f} KiB per added model from 100 to 1,000, {upper:.0f} KiB from 1,000 to 10,000 ({growth:.2f}x)"
        checks.append(("cold peak RSS linear in N (growth per model within 1.5x)", text, growth <= 1.5))
    lines = ["| target | measured | result |", "|---|---|---|"]
    lines.extend(f"| {goal} | {measured} | {verdict(ok)} |" for goal, measured, ok in checks)
    return lines


def tool_version(argv: list[str]) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (result.stdout or result.stderr).strip().splitlines()[-1] if result.returncode == 0 else "unknown"


def machine_lines(tools: Tools, args: argparse.Namespace) -> list[str]:
    probe = "import black, platform; print(platform.python_version(), black.__version__)"
    python, _, black = tool_version([str(args.python), "-c", probe]).partition(" ")
    dcg = tool_version([*tools.datamodel_codegen, "--version"]).split()[-1]
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return [
        f"- date: {date}",
        f"- machine: {os.cpu_count()} cores (nproc), {platform.machine()}, {platform.system()} {platform.release()}",
        f"- docmodels on Python {python}, black {black}; datamodel-code-generator {dcg}",
        f"- datamodel-codegen formatters: {' '.join(tools.dcg_formatters)}",
    ]


def render_results(runs: list[Run], sizes: list[int], names: list[str], command: str, machine: list[str]) -> str:
    sections = [
        ["Command: `" + command + "`", ""] + machine,
        ["#### Targets", ""] + target_lines(runs),
        ["#### Median wall time", ""] + timing_table(runs, sizes, names),
        ["#### Wall time per model", ""] + per_model_table(runs, sizes, names),
        ["#### Peak memory (ru_maxrss of the largest process)", ""] + memory_table(runs, sizes, names),
        ["#### Median CPU time (user + system, workers included)", ""] + cpu_table(runs, sizes, names),
        [
            f"#### Idle cores during the runs (median, of {os.cpu_count()})",
            "",
            "Fewer idle cores than the tool leaves free means that other work shared the machine.",
            "",
        ]
        + idle_table(runs, sizes, names),
        ["#### docmodels stages (median seconds, from the `-vv` log)", ""] + stage_table(runs, sizes),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def write_readme(results: str) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(RESULTS_START), text.index(RESULTS_END)
    updated = text[: start + len(RESULTS_START)] + "\n\n" + results + "\n" + text[end:]
    README.write_text(updated, encoding="utf-8")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100,1000,10000", help="model counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions per model count")
    parser.add_argument("--repeat-large", type=int, default=2, help="timed repetitions at --large and above")
    parser.add_argument("--large", type=int, default=10000, help="smallest model count that counts as large")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds before the timed ones, below --large")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="scenarios to run, comma-separated")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthesized models")
    parser.add_argument("--workdir", type=Path, default=BENCH_DIR / ".work", help="folder for pages and outputs")
    parser.add_argument("--docmodels", default=str(REPO_ROOT / ".venv" / "bin" / "docmodels"))
    parser.add_argument("--python", default=str(REPO_ROOT / ".venv" / "bin" / "python"), help="Python of docmodels, for its black version")
    parser.add_argument("--datamodel-codegen", default=str(BENCH_DIR / ".venv" / "bin" / "datamodel-codegen"))
    parser.add_argument("--dcg-formatters", default="black,isort", help="formatters that datamodel-codegen runs")
    parser.add_argument("--json", type=Path, default=BENCH_DIR / "results.json", help="file for the raw runs")
    parser.add_argument("--no-readme", action="store_true", help="print the results instead of writing bench/README.md")
    parser.add_argument("--report-only", action="store_true", help="rebuild the results from --json without running anything")
    args = parser.parse_args(argv)
    args.argv = argv
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.report_only:
        saved = json.loads(args.json.read_text(encoding="utf-8"))
        runs = [Run(**run) for run in saved["runs"]]
        sizes, names = saved["sizes"], saved["scenarios"]
        command, machine = saved["command"], saved["machine"]
    else:
        sizes = [int(size) for size in args.sizes.split(",")]
        names = [name for name in SCENARIOS if name in args.scenarios.split(",")]
        tools = Tools([args.docmodels], [args.datamodel_codegen], args.dcg_formatters.split(","))
        runs = []
        for count in sizes:
            large = count >= args.large
            repetitions = args.repeat_large if large else args.repeat
            runs += measure_size(count, repetitions, 0 if large else args.warmup, names, tools, args)
        command = shlex.join(["python3", "bench/codegen.py", *args.argv])
        machine = machine_lines(tools, args)
        saved = {
            "command": command,
            "machine": machine,
            "sizes": sizes,
            "scenarios": names,
            "runs": [asdict(run) for run in runs],
        }
        args.json.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
    results = render_results(runs, sizes, names, command, machine)
    if args.no_readme:
        print(results)
    else:
        write_readme(results)
        print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
