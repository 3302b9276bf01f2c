"""``make mutation``: break the snippets on purpose and count how many breaks the tests catch.

Each mutant changes one thing in one snippet file, the kinds of mistake a reader's copy or a
contributor's edit could make: a status code, a dictionary key, a comparison, a removed
statement, an environment variable's name. The mutant is written into a sandbox copy of the
project and the tests that import the file run against it (``scripts/mutation_selection.py``:
the cases and topic tests of every snippet that imports it, not only its own topic's); a failing
run *catches* the mutant, a passing one lets it *survive*, and a survivor names a case the
topic lacks. A survivor that changes nothing observable is listed, with the reason, in
``scripts/mutation_equivalent.yaml`` and reported as *equivalent*, not dropped.

Each sandbox has a worker (``scripts/mutation_runner.py``) that imports the frameworks once and
forks a child per mutant, so a mutant costs its tests, not an interpreter's start-up.

Mutants are made from the syntax tree and applied to the exact source span of one node, so the
rest of the file is untouched. At most ``--per-kind`` mutants of each kind are taken per file
(spread over the file).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.mutation_selection import Selection, project_graph, select
from verified_guide.datafiles import Strict, display, load_model
from verified_guide.topics import ROOT, all_topics

#: What a sandbox needs to run the selected tests (some read the pages' Markdown).
SANDBOX_PARTS = (
    "snippets", "demo_apps", "verified_guide", "scripts", "tests", "docs", "mkdocs.yml",
    "pyproject.toml",
)  # fmt: skip
COMPARISONS = {
    ast.Eq: "!=", ast.NotEq: "==", ast.Lt: ">=", ast.GtE: "<", ast.Gt: "<=", ast.LtE: ">",
    ast.In: "not in", ast.NotIn: "in", ast.Is: "is not", ast.IsNot: "is",
}  # fmt: skip
STATUS_KEYWORDS = {"status", "status_code", "code"}
STATUS_CALLS = {"abort", "HTTPException", "HttpError"}
#: Seconds a mutant's tests may take before the mutant counts as caught (timed out). Generous:
#: on a loaded machine the largest selections (a helper imported by eight topics) took 230 s.
TIMEOUT_S = 600
CONTROL_TIMEOUT_S = 4 * 3600
EQUIVALENTS = ROOT / "scripts" / "mutation_equivalent.yaml"
REPORT = ROOT / ".cache" / "mutation" / "report.json"


class MutationError(Exception):
    """The run cannot give a verdict: a broken set-up, a crashed worker, a bad data file."""


@dataclass(frozen=True)
class Mutant:
    """One change to one file: the source span it replaces and the replacement."""

    path: Path
    kind: str
    line: int
    start: int  # offsets into the file's text
    end: int
    replacement: str
    description: str

    def apply(self, source: str) -> str:
        return source[: self.start] + self.replacement + source[self.end :]


def _offsets(source: str) -> list[int]:
    starts, total = [], 0
    for line in source.splitlines(keepends=True):
        starts.append(total)
        total += len(line.encode("utf-8"))
    return starts


class _Finder(ast.NodeVisitor):
    """Collects (kind, node, replacement, description) for every mutation site."""

    def __init__(self) -> None:
        self.sites: list[tuple[str, ast.AST, str, str]] = []
        self._in_function = 0

    def _status(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and type(node.value) is int and 100 <= node.value < 600:
            other = 201 if node.value == 200 else 200
            self.sites.append(("status", node, str(other), f"status {node.value} -> {other}"))

    def visit_Call(self, node: ast.Call) -> None:
        for keyword in node.keywords:
            if keyword.arg in STATUS_KEYWORDS:
                self._status(keyword.value)
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name in STATUS_CALLS and node.args:
            self._status(node.args[0])
        dotted = ast.unparse(node.func)
        if dotted in {"os.environ.get", "os.getenv", "environ.get", "getenv"} and node.args:
            self._env(node.args[0])
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if ast.unparse(node.value) in {"os.environ", "environ"}:
            self._env(node.slice)
        elif isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            self._key(node.slice)
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        if isinstance(node.value, ast.Tuple) and len(node.value.elts) >= 2:
            self._status(node.value.elts[1])
        self._statement(node)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key in node.keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self._key(key)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) == 1 and type(node.ops[0]) in COMPARISONS:
            swapped = COMPARISONS[type(node.ops[0])]
            text = f"{ast.unparse(node.left)} {swapped} {ast.unparse(node.comparators[0])}"
            self.sites.append(("comparison", node, f"({text})", f"comparison -> {swapped}"))
        self.generic_visit(node)

    def _key(self, node: ast.Constant) -> None:
        new = repr(f"{node.value}_x")
        self.sites.append(("key", node, new, f"key {node.value!r} -> {new}"))

    def _env(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            new = repr(f"{node.value}_UNSET")
            self.sites.append(("env", node, new, f"environment variable {node.value} -> {new}"))

    def _statement(self, node: ast.stmt) -> None:
        if self._in_function:
            first = ast.unparse(node).splitlines()[0][:60]
            self.sites.append(("removed", node, "pass", f"removed `{first}`"))

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._in_function += 1
        for statement in node.body:
            docstring = isinstance(statement, ast.Expr) and isinstance(
                statement.value, ast.Constant
            )
            removable = (ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.Raise)
            if isinstance(statement, removable) and not docstring:
                self._statement(statement)
        self.generic_visit(node)
        self._in_function -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function


def _spread(items: list, count: int) -> list:
    """``count`` items spread evenly over the list (all of them when it is short)."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def mutants_of(path: Path, per_kind: int) -> list[Mutant]:
    """The file's mutants, at most ``per_kind`` of each kind."""
    source = path.read_text(encoding="utf-8")
    raw = source.encode("utf-8")
    starts = _offsets(source)
    finder = _Finder()
    finder.visit(ast.parse(source))
    chosen: list[Mutant] = []
    for kind in ("status", "key", "comparison", "removed", "env"):
        sites = [s for s in finder.sites if s[0] == kind]
        for _, node, replacement, description in _spread(sites, per_kind):
            start = starts[node.lineno - 1] + node.col_offset
            end = starts[node.end_lineno - 1] + node.end_col_offset
            # Work in characters: the offsets above are bytes (what ast reports).
            start_c, end_c = len(raw[:start].decode()), len(raw[:end].decode())
            chosen.append(Mutant(path, kind, node.lineno, start_c, end_c, replacement, description))
    return chosen


def snippet_sources(topics: list[str] | None) -> Iterator[tuple[str, Path]]:
    """(topic, file) for every Python snippet file, tests of the testing topic excluded."""
    for topic in all_topics():
        if topics and topic.slug not in topics:
            continue
        for path in sorted(topic.folder.rglob("*.py")):
            if path.name == "__init__.py" or path.stem.endswith("_test"):
                continue
            yield topic.slug, path


def make_sandbox() -> Path:
    """A copy of what the tests need, in a fresh temporary folder."""
    sandbox = Path(tempfile.mkdtemp(prefix="mutation-"))
    ignore = shutil.ignore_patterns("__pycache__", "*.sqlite3", ".cache")
    for part in SANDBOX_PARTS:
        source = ROOT / part
        target = sandbox / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    sandbox.chmod(0o755)  # the tests' PostgreSQL server runs as its own user
    return sandbox


# ----------------------------------------------------------------------------- equivalents


class EquivalentSpec(Strict):
    """A mutant that changes nothing a reader or a client could observe, and why."""

    file: str
    change: str  # the mutant's description, as the run prints it
    reason: str


class EquivalentsFile(Strict):
    equivalent: list[EquivalentSpec] = []


def load_equivalents(path: Path = EQUIVALENTS) -> dict[tuple[str, str], str]:
    """(file, change) -> reason, from ``scripts/mutation_equivalent.yaml``."""
    spec = load_model(path, EquivalentsFile, MutationError)
    return {(e.file, e.change): e.reason for e in spec.equivalent}


# ----------------------------------------------------------------------------- running


@dataclass(frozen=True)
class Job:
    """One mutant and the tests that judge it."""

    topic: str
    mutant: Mutant
    selection: Selection

    @property
    def where(self) -> str:
        return f"{self.mutant.path.relative_to(ROOT)}:{self.mutant.line}"


@dataclass
class Verdict:
    job: Job
    outcome: str  # caught, survived, timed out, equivalent, crashed
    seconds: float
    failed: str | None = None


class Worker:
    """A sandbox and its worker process (``scripts/mutation_runner.py``), used by one thread."""

    def __init__(self, timeout: float) -> None:
        self.sandbox = make_sandbox()
        # The runs' temporary files, outside the sandbox: a test checks that uploads land
        # outside the source tree. Readable by the tests' PostgreSQL server, like the sandbox.
        self.scratch = Path(tempfile.mkdtemp(prefix="mutation-tmp-"))
        self.scratch.chmod(0o755)
        self.timeout = timeout
        self.log = self.scratch / "worker.log"
        env = {**os.environ, "PYTHONPATH": str(self.sandbox)}
        # Bytecode is written in the sandbox, and removed with it; the worker deletes a mutated
        # file's own .pyc around each run (scripts/mutation_runner.py: forget_bytecode).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("PYTHONPYCACHEPREFIX", None)
        env["TMPDIR"] = str(self.scratch)
        env.pop("GUIDE_CASE_FRAMEWORKS", None)  # the selection picks the frameworks
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.mutation_runner"],
            cwd=self.sandbox,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # Preloading prints what modules without a configured app complain about.
            stderr=self.log.open("w"),
            text=True,
        )

    def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            status = self.process.wait()
            log = self.log.read_text(errors="replace")[-3000:]
            raise MutationError(f"the worker in {self.sandbox} stopped (exit {status}):\n{log}")
        return json.loads(line)

    def run(self, selection: Selection, mutant: Mutant | None = None, **extra: Any) -> dict:
        command: dict[str, Any] = {
            "op": "run",
            "paths": selection.paths(),
            "cases": sorted(selection.cases),
            "timeout": self.timeout,
        }
        command.update(extra)
        if mutant is not None:
            command.update(
                file=mutant.path.relative_to(ROOT).as_posix(),
                start=mutant.start,
                end=mutant.end,
                replacement=mutant.replacement,
            )
        answer = self.ask(command)
        if answer.get("crashed") is not None and mutant is None:
            raise MutationError(f"a test run crashed in {self.sandbox}:\n{answer['crashed']}")
        if answer["status"] == 5:
            raise MutationError(f"no test selected: {command['paths']} (pytest exit 5)")
        return answer

    def control(self, selection: Selection, **extra: Any) -> dict:
        """Every selected test without a mutant: it must pass, or no verdict means anything.
        No timeout but a generous one: it runs every test that any mutant runs."""
        answer = self.run(selection, **{"timeout": CONTROL_TIMEOUT_S, **extra})
        if answer["timed_out"]:
            raise MutationError(f"the control run took over {CONTROL_TIMEOUT_S} s")
        if answer["status"] != 0:
            log = (self.scratch / "child.log").read_text(errors="replace")[-4000:]
            raise MutationError(
                f"the tests fail with no mutant (first failure: {answer.get('failed')}), so no "
                f"mutant can be judged; fix that first. Output:\n{log}"
            )
        return answer

    def judge(self, job: Job, equivalents: dict[tuple[str, str], str]) -> Verdict:
        answer = self.run(job.selection, job.mutant, topic=job.topic)
        seconds = answer["seconds"]
        if answer.get("crashed") is not None:
            # No verdict: the child died before pytest reported (its log says why).
            print(f"crashed {job.where} {job.mutant.description}:\n{answer['crashed']}")
            verdict = Verdict(job, "crashed", seconds)
        elif answer["timed_out"]:
            verdict = Verdict(job, "timed out", seconds)
        elif answer["status"] == 0:
            key = (job.mutant.path.relative_to(ROOT).as_posix(), job.mutant.description)
            verdict = Verdict(job, "equivalent" if key in equivalents else "survived", seconds)
        else:
            verdict = Verdict(job, "caught", seconds, answer.get("failed"))
        by = f" by {verdict.failed}" if verdict.failed else ""
        print(
            f"{verdict.outcome:<10} {job.where} {job.mutant.description} ({seconds:.1f} s{by})",
            flush=True,
        )
        return verdict

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.sandbox, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)


def jobs_for(topics: list[str] | None, files: list[str] | None, per_kind: int) -> list[Job]:
    """Every mutant to run, each with the tests that import its file."""
    graph = project_graph()
    wanted = {(ROOT / f).resolve() for f in files or ()}
    jobs = []
    for topic, path in snippet_sources(topics):
        if wanted and path.resolve() not in wanted:
            continue
        selection = select(path, graph)
        jobs.extend(Job(topic, mutant, selection) for mutant in mutants_of(path, per_kind))
    return jobs


def union(selections: list[Selection]) -> Selection:
    files = sorted({f for s in selections for f in s.files})
    return Selection(frozenset(pair for s in selections for pair in s.cases), tuple(files))


def prepare(workers: list[Worker], everything: Selection) -> None:
    """Learn what a run imports (collecting every selected test imports the frameworks, the
    test modules' own imports and their plugins), and preload it in every worker."""
    started = time.monotonic()
    learnt = workers[0].control(everything, record_modules=True, collect_only=True)
    print(f"collected {learnt['selected']} tests in {learnt['seconds']:.0f} s")
    for worker in workers:
        loaded = worker.ask({"op": "preload", "modules": learnt["modules"]})
        print(f"preloaded {loaded['loaded']} modules in {loaded['seconds']:.1f} s")
    print(f"prepared in {time.monotonic() - started:.0f} s", flush=True)


def run_jobs(workers: list[Worker], jobs: list[Job], everything: Selection) -> list[Verdict]:
    """Every job, on whichever worker is free; verdicts in the jobs' order.

    The first worker starts with a warm control run (every selected test, no mutant, after
    the preload) while the others start on the mutants: all workers are set up alike, and a
    failing control stops the run before any verdict is reported.
    """
    equivalents = load_equivalents()
    pending: queue.Queue[tuple[int, Job]] = queue.Queue()
    for index, job in enumerate(jobs):
        pending.put((index, job))
    verdicts: dict[int, Verdict] = {}
    failed = threading.Event()

    def drain(worker: Worker) -> None:
        try:
            if worker is workers[0]:
                answer = worker.control(everything)
                print(f"warm control run: {answer['selected']} tests pass in "
                      f"{answer['seconds']:.0f} s", flush=True)  # fmt: skip
            while not failed.is_set():
                try:
                    index, job = pending.get_nowait()
                except queue.Empty:
                    return
                verdicts[index] = worker.judge(job, equivalents)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=len(workers)) as pool:
        list(pool.map(drain, workers))
    _check_equivalents(equivalents, list(verdicts.values()))
    return [verdicts[i] for i in range(len(jobs))]


def _key(mutant: Mutant) -> tuple[str, str]:
    return mutant.path.relative_to(ROOT).as_posix(), mutant.description


def _check_equivalents(equivalents: dict[tuple[str, str], str], verdicts: list[Verdict]) -> None:
    """An entry must match a mutant of a file this run mutated, and that mutant must survive."""
    made = {_key(v.job.mutant): v.outcome for v in verdicts}
    files = {file for file, _ in made}
    for (file, change), _reason in equivalents.items():
        outcome = made.get((file, change))
        if outcome is None and file in files:
            print(f"warning: {EQUIVALENTS.name}: no mutant `{change}` in {file}: remove it")
        elif outcome not in (None, "equivalent"):
            print(f"warning: {EQUIVALENTS.name}: `{change}` in {file} was {outcome}: remove it")


def report(verdicts: list[Verdict], elapsed: float, jobs: int) -> dict[str, Any]:
    """Print the survivors and the score per topic; return the run as data."""
    outcomes = ("caught", "timed out", "survived", "equivalent", "crashed")
    topics: dict[str, Counter[str]] = {}
    for verdict in verdicts:
        topics.setdefault(verdict.job.topic, Counter())[verdict.outcome] += 1
    for verdict in verdicts:
        if verdict.outcome == "survived":
            print(f"survived: {verdict.job.where} {verdict.job.mutant.description}")
    print(f"{'topic':<22}" + "".join(f"{o:>11}" for o in outcomes))
    total: Counter[str] = Counter()
    for topic, counts in sorted(topics.items()):
        total.update(counts)
        print(f"{topic:<22}" + "".join(f"{counts[o]:>11}" for o in outcomes))
    judged = total["caught"] + total["timed out"] + total["survived"]
    killed = total["caught"] + total["timed out"]
    score = 100 * killed / judged if judged else 0.0
    per_mutant = sum(v.seconds for v in verdicts) / len(verdicts) if verdicts else 0.0
    print(
        f"mutation score: {killed} of {judged} mutants caught ({score:.1f} %; "
        f"{total['timed out']} of them by a timeout), {total['equivalent']} equivalent, "
        f"{total['crashed']} crashed (no verdict); "
        f"{elapsed:.0f} s with {jobs} workers, {per_mutant:.1f} s per mutant in a worker"
    )
    return {
        "mutants": len(verdicts),
        "totals": {o: total[o] for o in outcomes},
        "score_percent": round(score, 1),
        "seconds": round(elapsed),
        "workers": jobs,
        "per_topic": {t: {o: c[o] for o in outcomes} for t, c in sorted(topics.items())},
        "verdicts": [
            {
                "file": _key(v.job.mutant)[0],
                "line": v.job.mutant.line,
                "change": v.job.mutant.description,
                "outcome": v.outcome,
                "seconds": v.seconds,
                "caught_by": v.failed,
            }
            for v in verdicts
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.mutation", description=__doc__)
    parser.add_argument("--topic", action="append", help="only this topic (repeatable)")
    parser.add_argument("--file", action="append", help="only this snippet file (repeatable)")
    parser.add_argument("--per-kind", type=int, default=2, help="mutants per kind and file")
    parser.add_argument("--jobs", type=int, default=2, help="workers (one sandbox each)")
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT_S, help="seconds a mutant's tests may take"
    )
    parser.add_argument("--report", type=Path, default=REPORT, help="where the JSON report goes")
    args = parser.parse_args(argv)
    jobs = jobs_for(args.topic, args.file, args.per_kind)
    if not jobs:
        raise SystemExit("no mutant: check --topic and --file")
    started = time.monotonic()
    workers = [Worker(args.timeout) for _ in range(min(args.jobs, len(jobs)))]
    try:
        everything = union([job.selection for job in jobs])
        prepare(workers, everything)
        verdicts = run_jobs(workers, jobs, everything)
    finally:
        for worker in workers:
            worker.close()
    data = report(verdicts, time.monotonic() - started, len(workers))
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"report: {display(args.report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
