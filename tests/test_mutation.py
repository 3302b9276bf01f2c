"""``make mutation``'s own parts: which tests judge a file, and the worker that runs them.

The mutation run itself is too slow for ``make test``; these check, in a few seconds, that a
mutant in a shared helper is judged by every test that imports the helper, and that the
worker's fork-per-mutant runs catch a mutant, pass an intact file, restore the file and count a
hang as a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.mutation import EQUIVALENTS, MutationError, load_equivalents, mutants_of
from scripts.mutation_selection import ImportGraph, imported_names, project_graph, select
from verified_guide.topics import FRAMEWORKS, ROOT, SNIPPETS, get_topic


def test_a_shared_helper_is_judged_by_every_snippet_and_test_that_imports_it() -> None:
    selection = select(SNIPPETS / "validation" / "flask_strict.py", project_graph())
    # Its own topic, and the Flask snippets of other topics that call strict_json(app).
    assert {("validation", "flask"), ("database", "flask"), ("auth", "flask")} <= selection.cases
    assert {framework for _, framework in selection.cases} == {"flask"}
    assert "tests/topics/test_database.py" in selection.files


def test_a_test_module_that_imports_a_helper_judges_it() -> None:
    selection = select(SNIPPETS / "database" / "fastapi_db.py", project_graph())
    assert "tests/topics/test_admin.py" in selection.files  # imports fastapi_db itself
    assert ("auth", "fastapi") in selection.cases  # auth/fastapi.py imports it


def test_a_file_of_no_framework_is_judged_by_all_of_the_topics() -> None:
    selection = select(SNIPPETS / "uploads" / "storage.py", project_graph())
    uploads = {framework for topic, framework in selection.cases if topic == "uploads"}
    assert uploads == set(get_topic("uploads").frameworks()) == set(FRAMEWORKS)


def test_relative_imports_and_imports_inside_functions_are_followed(tmp_path: Path) -> None:
    package = tmp_path / "snippets" / "demo"
    package.mkdir(parents=True)
    for folder in (tmp_path / "snippets", package):
        (folder / "__init__.py").write_text("")
    (package / "helper.py").write_text("VALUE = 1\n")
    (package / "user.py").write_text("def f():\n    from .helper import VALUE\n    return VALUE\n")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_user.py").write_text("import snippets.demo.user\n")
    assert "snippets.demo.helper" in imported_names(package / "user.py", "snippets.demo.user")
    graph = ImportGraph.build(tmp_path)
    assert graph.reaching("snippets.demo.helper") == {
        "snippets.demo.helper",
        "snippets.demo.user",
        "tests.test_user",
    }


def test_a_misspelt_key_in_the_equivalent_list_is_named(tmp_path: Path) -> None:
    path = tmp_path / "mutation_equivalent.yaml"
    path.write_text("equivalent:\n  - {file: a.py, chnage: x, reason: y}\n")
    with pytest.raises(MutationError, match=r"mutation_equivalent\.yaml:2: .*chnage"):
        load_equivalents(path)


def test_the_equivalent_mutant_list_loads() -> None:
    for (file, _change), reason in load_equivalents(EQUIVALENTS).items():
        assert (ROOT / file).is_file(), f"{EQUIVALENTS.name} names a missing file {file}"
        assert reason.strip(), f"{EQUIVALENTS.name}: {file} needs a reason"


def _ask(worker: subprocess.Popen, command: dict) -> dict:
    assert worker.stdin and worker.stdout
    worker.stdin.write(json.dumps(command) + "\n")
    worker.stdin.flush()
    return json.loads(worker.stdout.readline())


def test_the_worker_catches_a_mutant_restores_the_file_and_times_out_a_hang(
    tmp_path: Path,
) -> None:
    """A tiny project: ``answer.py`` and a test of it, run through the worker's protocol."""
    tests = tmp_path / "tests"
    tests.mkdir()
    answer = tests / "answer.py"
    answer.write_text("def status():\n    return 200\n")
    (tests / "test_answer.py").write_text(
        "import time\nfrom answer import status\n\n"
        "def test_status():\n    if status() == 0:\n        time.sleep(60)\n"
        "    assert status() == 200\n"
    )
    (tmp_path / ".tmp").mkdir()
    (mutant,) = [m for m in mutants_of(answer, 1) if m.kind == "removed"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / ".tmp")}
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the tiny project needs none: seconds saved
    worker = subprocess.Popen(
        [sys.executable, "-m", "scripts.mutation_runner"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    base = {"op": "run", "paths": ["tests/test_answer.py"], "cases": [], "timeout": 60}
    swap = {"file": "tests/answer.py", "start": mutant.start, "end": mutant.end}
    try:
        assert _ask(worker, base)["status"] == 0  # the intact file passes
        caught = _ask(worker, {**base, **swap, "replacement": mutant.replacement})
        assert caught["status"] == 1
        assert caught["failed"] == "tests/test_answer.py::test_status"
        hang = _ask(worker, {**base, **swap, "replacement": "return 0", "timeout": 2})
        assert hang["timed_out"] is True
        assert _ask(worker, base)["status"] == 0  # restored, and no stale bytecode read
    finally:
        assert worker.stdin
        worker.stdin.close()
        worker.wait(timeout=30)
    assert answer.read_text() == "def status():\n    return 200\n"


def test_the_selector_keeps_a_case_module_test_that_is_no_topic_case() -> None:
    """``tests/test_cases.py`` also holds plain tests of the case module (no topic, no
    framework): they run for every mutant instead of stopping the selection."""
    from types import SimpleNamespace

    from scripts.mutation_runner import CASES_FILE, Selector

    topic = SimpleNamespace(slug="hello")
    case = SimpleNamespace(
        nodeid=f"{CASES_FILE}::test_case[hello/flask/x]",
        callspec=SimpleNamespace(params={"topic": topic, "framework": "flask"}),
    )
    other = SimpleNamespace(
        nodeid=f"{CASES_FILE}::test_case[hello/django/x]",
        callspec=SimpleNamespace(params={"topic": topic, "framework": "django"}),
    )
    plain = SimpleNamespace(nodeid=f"{CASES_FILE}::test_two_runtimes_answer_alike")
    selector = Selector({("hello", "flask")}, topic="hello")
    items = [plain, other, case]
    deselected: list = []
    config = SimpleNamespace(
        hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items))
    )
    selector.pytest_collection_modifyitems(config, items)
    assert items == [case, plain] and deselected == [other]
