"""The mutation run's worker: one process per sandbox that forks a child per mutant.

Most of a mutant's cost used to be a fresh interpreter importing pytest, FastAPI, Django, Flask,
SQLAlchemy and the rest before its first test. A worker imports those once, then forks: the
child writes the mutant into the sandbox, runs ``pytest.main`` in-process on the selected tests
and exits; the worker restores the file. Nothing the child imports or changes outlives it, so
each mutant still starts from the same clean state.

The worker never imports the project's own packages (``snippets``, ``demo_apps``, ``scripts``,
``tests``): a child must import the mutated snippet, and everything importing a snippet, from the
sandbox's files. What it imports up front is learnt, not listed: a first child collects every
selected test (which imports the frameworks, the test modules' imports and the plugins) and
reports the modules it loaded, and :func:`preload` imports the third-party ones. A run of every
selected test without a mutant, from a warmed worker, must then pass, or the run stops:
otherwise every mutant would be "caught" by a broken set-up.

A child that does not finish within the timeout is killed with its process group and the
mutant counts as caught (the tests did not pass), reported apart as *timed out*.

Protocol: one JSON object per line on stdin (a command) and stdout (its answer). Run as
``python -m scripts.mutation_runner`` with the sandbox as working directory and import path.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import json
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

#: Top-level packages a worker must not import before forking (see the module docstring).
PROJECT_PACKAGES = frozenset(
    {"snippets", "demo_apps", "verified_guide", "scripts", "tests", "conftest"}
)
#: What a mutant changes, or imports what it changes: never in the worker's own memory.
MUTATED_PACKAGES = frozenset({"snippets", "demo_apps"})
CASES_FILE = "tests/test_cases.py"
#: Tests left out of a mutation run: servers and browsers (slow), and outcomes that depend on
#: machine load (timing), which a busy machine could fail with no mutant at all.
MARKERS = "not slow and not timing"
POLL_S = 0.02


class Selector:
    """pytest plugin: keep only the selected (topic, framework) cases, note the first failure."""

    def __init__(self, cases: set[tuple[str, str]], topic: str | None = None) -> None:
        self.cases = cases
        self.topic = topic
        self.first_failure: str | None = None
        self.selected = 0

    def _wanted(self, item: Any) -> bool:
        # A test of the case module itself (not one topic's case) is cheap: it always runs.
        callspec = getattr(item, "callspec", None)
        if not item.nodeid.startswith(CASES_FILE) or callspec is None:
            return True
        params = callspec.params
        return (params["topic"].slug, params["framework"]) in self.cases

    def pytest_collection_modifyitems(self, config: Any, items: list) -> None:
        kept = [item for item in items if self._wanted(item)]
        dropped = [item for item in items if not self._wanted(item)]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        # The mutated file's own topic first: with -x, a caught mutant stops at its first failure.
        items[:] = sorted(kept, key=self._order)

    def _order(self, item: Any) -> int:
        callspec = getattr(item, "callspec", None)
        if item.nodeid.startswith(CASES_FILE) and callspec is not None:
            return 0 if callspec.params["topic"].slug == self.topic else 2
        return 1 if item.nodeid.startswith(f"tests/topics/test_{self.topic}.py") else 3

    def pytest_collection_finish(self, session: Any) -> None:
        self.selected = len(session.items)

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed and self.first_failure is None:
            self.first_failure = report.nodeid


def _child(command: dict[str, Any], result_path: Path, log_path: Path) -> None:
    """In the forked child: apply the mutant, run the tests, write the result, never return."""
    code = 3
    try:
        os.setpgrp()  # the worker kills the whole group on a timeout
        log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        if command.get("file"):
            target = Path(command["file"])
            source = target.read_text(encoding="utf-8")
            mutated = source[: command["start"]] + command["replacement"] + source[command["end"] :]
            target.write_text(mutated, encoding="utf-8")
        import pytest

        selector = Selector({tuple(pair) for pair in command["cases"]}, command.get("topic"))
        args = [*command["paths"], "-x", "-q", "-p", "no:cacheprovider", "-m", MARKERS]
        if command.get("collect_only"):
            args.append("--collect-only")
        status = int(pytest.main(args, plugins=[selector]))
        result = {
            "status": status,
            "failed": selector.first_failure,
            "selected": selector.selected,
        }
        if command.get("record_modules"):
            result["modules"] = list(sys.modules)
        result_path.write_text(json.dumps(result), encoding="utf-8")
        code = 0
    except Exception as exc:
        # Raised out of pytest.main: pytest could not even start (a mutant of a Django settings
        # file fails at its import). `pytest` exits non-zero there too: the tests did not pass.
        traceback.print_exc()  # into the child's log
        failed = f"pytest start-up: {type(exc).__name__}: {str(exc)[:200]}"
        result_path.write_text(json.dumps({"status": 3, "failed": failed, "selected": 0}))
        code = 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def forget_bytecode(path: Path) -> None:
    """Delete the file's cached bytecode, so that no run reads another run's version of it.

    A ``.pyc`` is trusted while the source's size and modification second match, and a mutant
    (``200`` -> ``201``) often has the original's size and is written within the same second.
    Other files keep their bytecode across runs, which saves compiling the project every time.
    """
    folder = Path(importlib.util.cache_from_source(str(path.resolve()))).parent  # any prefix
    for cached in folder.glob(f"{path.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def run(command: dict[str, Any], scratch: Path) -> dict[str, Any]:
    """Fork a child for one run (a mutant, or none for a control) and wait for it."""
    result_path, log_path = scratch / "result.json", scratch / "child.log"
    result_path.unlink(missing_ok=True)
    target = Path(command["file"]) if command.get("file") else None
    original = target.read_bytes() if target else None
    if target is not None:
        forget_bytecode(target)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(command, result_path, log_path)
    deadline = started + command["timeout"]
    timed_out = False
    try:
        while os.waitpid(pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                timed_out = True
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(POLL_S)
    finally:
        if target is not None and original is not None:
            target.write_bytes(original)
            forget_bytecode(target)
    answer: dict[str, Any] = {"seconds": round(time.monotonic() - started, 3)}
    if timed_out:
        return {**answer, "status": None, "timed_out": True}
    if not result_path.is_file():
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        return {**answer, "status": None, "timed_out": False, "crashed": tail}
    return {**answer, **json.loads(result_path.read_text(encoding="utf-8")), "timed_out": False}


def preload(modules: list[str]) -> dict[str, Any]:
    """Import the third-party modules a run loaded, in the order it loaded them."""
    started, failed = time.monotonic(), 0
    for name in modules:
        if name.partition(".")[0] in PROJECT_PACKAGES or name.startswith("__"):
            continue  # __main__ and the like are the run's own, not importable modules
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
        except Exception:  # a module that needs a configured app (Django models): skip it
            failed += 1
    # Nothing imported here is garbage: keep the collector from walking it in every child
    # (pytest collects at the end of a session), and keep the pages shared after the fork.
    gc.collect()
    gc.freeze()
    leaked = sorted(n for n in sys.modules if n.partition(".")[0] in MUTATED_PACKAGES)
    if leaked:
        raise SystemExit(f"preloading imported {leaked}: a mutant could not replace them")
    return {"loaded": len(sys.modules), "failed": failed, "seconds": time.monotonic() - started}


def serve() -> None:
    """Answer commands from stdin until it closes."""
    scratch = Path(os.environ["TMPDIR"])
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "preload":
            answer = preload(command["modules"])
        else:
            answer = run(command, scratch)
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
