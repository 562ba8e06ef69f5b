"""Time errspec's commands on the real spec, 1,000 and 10,000 codes, and check the targets.

Every command runs in a fresh process, in a scratch project under a temporary
directory, with ERRSPEC_CACHE pointing at a cache of its own (or at nothing:
"no cache" is what CI runs). Each piece of machinery is measured with and
without it: the cache (check in sync), the worker process (ERRSPEC_WORKERS=0). Wall time is the
median of several runs; peak RSS is the median of the runs' maximum resident
set sizes, read from `/usr/bin/time -v` (or from os.wait4 without it). Python
caches bytecode as on a developer machine, even when PYTHONDONTWRITEBYTECODE is
set (it is in some sandboxes, and would recompile the generator on every run).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from bench.synth import change_one_message, write_workspace

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GNU_TIME = Path("/usr/bin/time")
# sha256 of the synthetic spec and surface texts: the workload is frozen, so a later run measures
# the same work (bench/synth.py derives it from the frozen registry under tests/fixtures/).
WORKLOAD = {
    "1k": "62bad7b76d96eb6ee26cff020f53987cc3f36b3908d917773ce9bb6b6c6e55c1",
    "10k": "3f94873da0c660e6b2cb148bd671c9c64476acb24900e5cfea5585898681d9d9",
}
SIZES: tuple[tuple[str, int | None, int], ...] = (
    ("real", None, 5),
    ("1k", 1000, 5),
    ("10k", 10_000, 5),
)
COMMANDS = (
    "floor",
    "datamodel-codegen",
    "validate",
    "generate (cold)",
    "generate (cold, no worker)",
    "check (in sync, no cache)",
    "check (in sync, no cache, no worker)",
    "check (in sync, cache)",
    "check (1 message changed)",
    "check (1 message changed, no worker)",
    "site (cold)",
)
# The reference site has targets of its own (issue 21): 10 s and 300 MB at 10k codes, and
# its search answers a keystroke within 100 ms (median of 20, in Chromium: bench/search.py).
SITE = "site (cold)"
SEARCH = "site search keystroke"


@dataclass
class Sample:
    """Median wall time (s) and peak RSS (MB) of one command at one size."""

    seconds: float
    rss_mb: float
    runs: list[float] = field(default_factory=list)


def measure(
    argv: list[str], cwd: Path, env: dict[str, str], expect: int = 0
) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one run of `argv`; fails on an unexpected exit code."""
    if GNU_TIME.exists():
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            start = time.perf_counter()
            proc = subprocess.run(
                [str(GNU_TIME), "-v", "-o", report.name, *argv],
                cwd=cwd,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            seconds = time.perf_counter() - start
            found = re.search(
                r"Maximum resident set size \(kbytes\): (\d+)", Path(report.name).read_text()
            )
            rss_kb = int(found.group(1)) if found else 0
        code, err = proc.returncode, proc.stderr.decode(errors="replace")
    else:
        start = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        code, err, rss_kb = child.returncode, "", usage.ru_maxrss
    if code != expect:
        raise SystemExit(
            f"bench: {' '.join(argv)} in {cwd} exited {code}, expected {expect}\n{err}"
        )
    return seconds, rss_kb / 1024


def repeat(
    runs: int,
    prepare: Callable[[], None],
    argv: list[str],
    cwd: Path,
    env: dict[str, str],
    expect: int = 0,
) -> Sample:
    """The median of `runs` runs, calling `prepare` before each."""
    times, peaks = [], []
    for _ in range(runs):
        prepare()
        seconds, rss = measure(argv, cwd, env, expect)
        times.append(seconds)
        peaks.append(rss)
    return Sample(statistics.median(times), statistics.median(peaks), times)


def _reset(*paths: Path) -> Callable[[], None]:
    def prepare() -> None:
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)

    return prepare


def _restore(snapshot: Path, target: Path) -> Callable[[], None]:
    def prepare() -> None:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(snapshot, target)

    return prepare


def datamodel_argv(openapi: Path, output: Path) -> list[str]:
    """datamodel-codegen on its own, with the options generator/datamodel.py passes to its API
    (the type and import overrides as the input document asks for them)."""
    sys.path.insert(0, str(ROOT))
    from generator.datamodel import _hints

    hints = _hints(openapi.read_text(encoding="utf-8"))
    return [
        str(BIN / "datamodel-codegen"),
        "--input",
        str(openapi),
        "--output",
        str(output),
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "pydantic_v2.BaseModel",
        "--target-python-version",
        "3.11",
        "--disable-timestamp",
        "--formatters",
        "builtin",
        "--custom-file-header",
        '"""API envelopes as Pydantic v2 models; their codes are error_codes.ErrorCode."""',
        "--use-double-quotes",
        "--use-annotated",
        "--field-constraints",
        "--use-schema-description",
        "--use-field-description",
        "--union-mode",
        "left_to_right",
        *(
            arg
            for option in ("type_overrides", "import_overrides")
            if option in hints
            for arg in ("--" + option.replace("_", "-"), json.dumps(hints[option]))
        ),
    ]


def models_input(ws: Path) -> Path:
    """The OpenAPI text that datamodel-code-generator gets for python/models.py, written out."""
    sys.path.insert(0, str(ROOT))
    from generator.load import parse
    from generator.pipeline import check_spec
    from generator.read import read_text
    from generator.render import render
    from generator.surface import surface_of
    from generator.targets import TARGETS

    errors, openapi = ws / "spec" / "errors.yaml", ws / "spec" / "openapi.yaml"
    spec = check_spec(read_text(errors, str(errors)), str(errors)).spec
    surface = surface_of(parse(read_text(openapi, str(openapi)), str(openapi)), spec)
    (target,) = [t for t in TARGETS if t.post == "datamodel"]
    path = ws / "models-input.yaml"
    path.write_text(render(target, spec=spec, surface=surface), encoding="utf-8")
    return path


def bench_size(label: str, n: int | None, runs: int, scratch: Path) -> dict[str, Sample]:
    """Every command at one size."""
    ws = scratch / label
    write_workspace(ws, n)
    if label in WORKLOAD:
        digest = hashlib.sha256()
        for name in ("errors.yaml", "openapi.yaml"):
            digest.update((ws / "spec" / name).read_bytes())
        if digest.hexdigest() != WORKLOAD[label]:
            raise SystemExit(
                f"bench: the {label} workload changed (sha256 {digest.hexdigest()}); it is frozen"
                " so that runs stay comparable: restore bench/synth.py and the frozen registry,"
                " or record the new hash in WORKLOAD on purpose"
            )
    # The cache beside the workspace: errspec refuses (with a note) one inside the project.
    cache, out = scratch / f"{label}-cache", ws / "generated"
    # Bytecode is cached as on any developer machine, even where the environment turns it off.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CI")}
    env.update(ERRSPEC_CACHE=str(cache), PYTHONPATH=str(ROOT))
    no_cache = {**env, "ERRSPEC_CACHE": "0"}
    no_worker = {"ERRSPEC_WORKERS": "0"}
    errspec = [str(BIN / "python"), "-m", "generator"]
    nothing = _reset()
    results: dict[str, Sample] = {}
    results["floor"] = repeat(
        runs, nothing, [str(BIN / "python"), "-c", "import yaml, jinja2"], ws, env
    )
    results["validate"] = repeat(runs, nothing, [*errspec, "validate"], ws, no_cache)
    results["generate (cold, no worker)"] = repeat(
        runs, _reset(out), [*errspec, "generate"], ws, {**no_cache, **no_worker}
    )
    results["generate (cold)"] = repeat(runs, _reset(out), [*errspec, "generate"], ws, no_cache)
    results["check (in sync, no cache)"] = repeat(runs, nothing, [*errspec, "check"], ws, no_cache)
    results["check (in sync, no cache, no worker)"] = repeat(
        runs, nothing, [*errspec, "check"], ws, {**no_cache, **no_worker}
    )
    measure([*errspec, "check"], ws, env)  # fills the cache
    if not any(cache.glob("outputs-*.json")):
        raise SystemExit(f"bench: the cache at {cache} holds no entry after a check: refused?")
    results["check (in sync, cache)"] = repeat(runs, nothing, [*errspec, "check"], ws, env)

    changed = scratch / f"{label}-changed"
    shutil.copytree(ws / "spec", changed / "spec")
    shutil.copytree(out, changed / "generated")
    change_one_message(changed / "spec" / "errors.yaml")
    for name, extra in (
        ("check (1 message changed)", {}),
        ("check (1 message changed, no worker)", no_worker),
    ):
        results[name] = repeat(
            runs, nothing, [*errspec, "check"], changed, {**no_cache, **extra}, expect=1
        )
    results[SITE] = repeat(runs, _reset(ws / "_site"), [*errspec, "site"], ws, no_cache)
    if n is not None and n >= 10_000:  # the last run's site: its search, in Chromium
        results[SEARCH] = Sample(search_ms(ws) / 1000, 0.0)
    results["datamodel-codegen"] = repeat(
        runs, nothing, datamodel_argv(models_input(ws), ws / "models-alone.py"), ws, env
    )
    return results


def search_ms(ws: Path) -> float:
    """The median keystroke of typing the first error code's wire message on the site's first
    locale's index (bench/search.py)."""
    from bench.search import median_keystroke_ms  # loads the browser driver: only here

    spec = yaml.safe_load((ws / "spec" / "errors.yaml").read_text(encoding="utf-8"))
    message = next(c["message"] for c in spec["codes"] if c["code"] != 0)
    return median_keystroke_ms(ws / "_site", spec["locales"][0], message)


def _cell(sample: Sample | None) -> str:
    return "n/a" if sample is None else f"{sample.seconds:.3f} s / {sample.rss_mb:.0f} MB"


def table(results: dict[str, dict[str, Sample]]) -> str:
    """The Markdown table: one row per command, one column per size."""
    labels = list(results)
    lines = [
        "| command | " + " | ".join(f"{lbl} (time / peak RSS)" for lbl in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]
    for command in COMMANDS:
        lines.append(
            f"| {command} | "
            + " | ".join(_cell(results[lbl].get(command)) for lbl in labels)
            + " |"
        )
    return "\n".join(lines)


def targets(results: dict[str, dict[str, Sample]]) -> list[tuple[str, str, bool | None]]:
    """(target, measured, passed) for every target of the performance issue; None when not measurable."""

    def t(size: str, command: str) -> float | None:
        sample = results.get(size, {}).get(command)
        return None if sample is None else sample.seconds

    rows: list[tuple[str, str, bool | None]] = []

    def ratio(name: str, a: float | None, b: float | None, limit: float) -> None:
        if a is None or b is None:
            rows.append((name, "n/a", None))
        else:
            rows.append((name, f"{a / b:.2f}×", a / b <= limit))

    def absolute(name: str, value: float | None, limit: float, unit: str) -> None:
        if value is None:
            rows.append((name, "n/a", None))
        else:
            rows.append((name, f"{value:.2f} {unit}", value <= limit))

    ratio(
        "real: check, fresh clone, no cache ≤ 1.2× datamodel-codegen alone",
        t("real", "check (in sync, no cache)"),
        t("real", "datamodel-codegen"),
        1.2,
    )
    ratio(
        "real: local check in sync ≤ 1× floor",
        t("real", "check (in sync, cache)"),
        t("real", "floor"),
        1,
    )
    ratio(
        "real: cold generate ≤ 1.2× datamodel-codegen alone",
        t("real", "generate (cold)"),
        t("real", "datamodel-codegen"),
        1.2,
    )
    absolute("10k: cold generate ≤ 6 s", t("10k", "generate (cold)"), 6, "s")
    absolute("10k: check, 1 message changed ≤ 6 s", t("10k", "check (1 message changed)"), 6, "s")
    tenk = results.get("10k", {})
    peak = max((s.rss_mb for c, s in tenk.items() if c not in (SITE, SEARCH)), default=None)
    absolute("10k: peak RSS ≤ 200 MB (max over commands but site)", peak, 200, "MB")
    absolute("10k: site ≤ 10 s", t("10k", SITE), 10, "s")
    search = t("10k", SEARCH)
    absolute(
        "10k: site search, input to rendered rows ≤ 100 ms (median of 20 keystrokes, Chromium)",
        None if search is None else search * 1000,
        100,
        "ms",
    )
    site = tenk.get(SITE)
    absolute("10k: site peak RSS ≤ 300 MB", None if site is None else site.rss_mb, 300, "MB")
    for command in COMMANDS:
        if command not in ("floor", SITE):
            ratio(f"time(10k)/time(1k) ≤ 10: {command}", t("10k", command), t("1k", command), 10)
    return rows


def report(results: dict[str, dict[str, Sample]]) -> str:
    """The table and the targets, as Markdown."""
    verdict = {True: "pass", False: "**FAIL**", None: "n/a"}
    lines = [table(results), "", "| target | measured | result |", "|---|---:|---|"]
    lines += [f"| {name} | {value} | {verdict[ok]} |" for name, value, ok in targets(results)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the Markdown report; with --strict, exit 1 when a target fails."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes", default="real,1k,10k", help="which sizes to run (default: %(default)s)"
    )
    parser.add_argument("--runs", type=int, help="runs per command (default: 5)")
    parser.add_argument("--write", type=Path, help="also write the report to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    wanted = args.sizes.split(",")
    results: dict[str, dict[str, Sample]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="errspec-bench-") as tmp:
        for label, n, runs in SIZES:
            if label in wanted:
                print(f"bench: {label} …", file=sys.stderr, flush=True)
                results[label] = bench_size(label, n, args.runs or runs, Path(tmp))
    text = report(results)
    text += (
        f"\n{sys.platform}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
        f"bench took {time.perf_counter() - started:.0f} s.\n"
    )
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    return 1 if args.strict and any(ok is False for _, _, ok in targets(results)) else 0
