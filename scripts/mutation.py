"""``make mutation``: break the snippets on purpose and count how many breaks the tests catch.

Each mutant changes one thing in one snippet file, the kinds of mistake a reader's copy or a
contributor's edit could make: a status code, a dictionary key, a comparison, a removed
statement, an environment variable's name. The mutant is written into a sandbox copy of the
project and the topic's tests run against it (``tests/test_cases.py`` for the file's framework
and ``tests/topics/test_<topic>.py``, selected with ``-k <topic>``); a failing run *catches*
the mutant, a passing one lets it *survive*, and a survivor names a case the topic lacks.

Mutants are made from the syntax tree and applied to the exact source span of one node, so the
rest of the file is untouched. At most ``--per-kind`` mutants of each kind are taken per file
(spread over the file) to keep a full run practical: every mutant costs one pytest run.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from verified_guide.topics import FRAMEWORKS, ROOT, SNIPPETS, all_topics

#: What a sandbox needs to run the topic tests.
SANDBOX_PARTS = (
    "snippets",
    "demo_apps",
    "verified_guide",
    "scripts",
    "tests",
    "docs/data",
    "pyproject.toml",
)
COMPARISONS = {
    ast.Eq: "!=", ast.NotEq: "==", ast.Lt: ">=", ast.GtE: "<", ast.Gt: "<=", ast.LtE: ">",
    ast.In: "not in", ast.NotIn: "in", ast.Is: "is not", ast.IsNot: "is",
}  # fmt: skip
STATUS_KEYWORDS = {"status", "status_code", "code"}
STATUS_CALLS = {"abort", "HTTPException", "HttpError"}
TIMEOUT_S = 300


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
    return sandbox


def run_topic_tests(sandbox: Path, topic: str, framework: str | None) -> int:
    """The topic's tests in the sandbox; the exit status (0: every test passed)."""
    env = {**os.environ, "PYTHONPATH": str(sandbox), "PYTHONDONTWRITEBYTECODE": "1"}
    if framework:
        env["GUIDE_CASE_FRAMEWORKS"] = framework
    tests = ["tests/test_cases.py"]
    if (sandbox / "tests" / "topics" / f"test_{topic}.py").is_file():
        tests.append(f"tests/topics/test_{topic}.py")
    command = [
        sys.executable, "-m", "pytest", *tests, "-x", "-q", "-k", topic,
        "-p", "no:cacheprovider", "-m", "not slow",
    ]  # fmt: skip
    try:
        result = subprocess.run(
            command, cwd=sandbox, env=env, capture_output=True, timeout=TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        return -1  # a hang counts as caught: the tests did not pass
    return result.returncode


def framework_of(topic: str, path: Path) -> str | None:
    """The framework a snippet file belongs to (its name's prefix), ``None`` when shared."""
    first = path.relative_to(SNIPPETS / topic).parts[0]
    return next((fw for fw in FRAMEWORKS if first.startswith(fw)), None)


class Worker:
    """One sandbox, used by one thread at a time: write the mutant, run, restore."""

    def __init__(self) -> None:
        self.sandbox = make_sandbox()

    def judge(self, topic: str, mutant: Mutant) -> bool:
        """True when the topic's tests catch the mutant."""
        target = self.sandbox / mutant.path.relative_to(ROOT)
        original = target.read_text(encoding="utf-8")
        target.write_text(mutant.apply(original), encoding="utf-8")
        try:
            status = run_topic_tests(self.sandbox, topic, framework_of(topic, mutant.path))
        finally:
            target.write_text(original, encoding="utf-8")
        if status == 5:
            raise SystemExit(f"no test selected for topic {topic!r} (pytest exit 5)")
        where = f"{mutant.path.relative_to(ROOT)}:{mutant.line}"
        print(f"{'caught  ' if status else 'SURVIVED'} {where} {mutant.description}", flush=True)
        return status != 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.mutation", description=__doc__)
    parser.add_argument("--topic", action="append", help="only this topic (repeatable)")
    parser.add_argument("--per-kind", type=int, default=2, help="mutants per kind and file")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    work = [
        (topic, mutant)
        for topic, path in snippet_sources(args.topic)
        for mutant in mutants_of(path, args.per_kind)
    ]
    started = time.monotonic()
    workers = [Worker() for _ in range(args.jobs)]
    shares = [work[i :: args.jobs] for i in range(args.jobs)]  # one sandbox per thread
    try:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            verdicts = pool.map(
                lambda job: [job[0].judge(t, m) for t, m in job[1]],
                zip(workers, shares, strict=True),
            )
            caught = {
                pair: hit
                for share, hits in zip(shares, verdicts, strict=True)
                for pair, hit in zip(share, hits, strict=True)
            }
    finally:
        for worker in workers:
            shutil.rmtree(worker.sandbox, ignore_errors=True)
    survivors = [(t, m) for (t, m), hit in caught.items() if not hit]
    for _topic, mutant in survivors:
        print(f"survived: {mutant.path.relative_to(ROOT)}:{mutant.line} {mutant.description}")
    total = len(caught)
    score = 100 * (total - len(survivors)) / total if total else 0.0
    print(
        f"mutation score: {total - len(survivors)} of {total} mutants caught ({score:.0f} %) "
        f"in {time.monotonic() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
