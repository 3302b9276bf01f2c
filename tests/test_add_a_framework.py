"""CONTRIBUTING.md's "Add a framework" recipe, followed in a copy of the project.

The copy gets Starlette as a fourth framework: an entry in its verified_guide/frameworks.yaml, a
``snippets/hello/starlette.py`` and a demo app, and nothing else. The test then shows that the
case tests collect it, that the demo servers and the benchmark's list know it, that its demo
app mounts the topic and answers the topic's first case, and that the topic page renders its
tab, size row and "for free" column: the rest of the code reads the registry, not a list.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from verified_guide.datafiles import ROOT

#: What the copy needs to import the core package, collect the tests and render a page.
COPIED = (
    "verified_guide",
    "scripts",
    "snippets",
    "demo_apps",
    "docs",
    "tests",
    "pyproject.toml",
    "uv.lock",
)

REGISTRY_ENTRY = """\
  - id: starlette
    title: Starlette
    packages: [starlette]
    demo_app:
      asgi: demo_apps.starlette_app.main:app
    servers:
      - {server: uvicorn, interface: asgi}
    test_client: asgi
    browser: asgi
"""
SNIPPET = """\
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def hello(request):
    return JSONResponse({"message": "Hello, World!"})


app = Starlette(routes=[Route("/", hello)])
"""
DEMO_APP = '''\
"""The Starlette demo app: every topic's Starlette snippet, mounted at ``/<topic>``."""

from starlette.applications import Starlette
from starlette.routing import Mount

from verified_guide.topics import import_snippet, mounted_topics

TOPICS = mounted_topics("starlette")
app = Starlette(routes=[Mount(f"/{t.mount}", import_snippet(t, "starlette").app) for t in TOPICS])
'''
#: Run inside the copy: what each part of the project makes of the new framework.
PROBE = """
import json

from starlette.testclient import TestClient

from docs.plugins import main
from verified_guide.bench import config
from verified_guide.source_links import configure
from verified_guide.servers import DEMO_SERVERS
from verified_guide.topics import FRAMEWORKS, get_topic, mounted_topics
from demo_apps.starlette_app.main import app
from verified_guide.cases import check
from tests.support.clients import RAW_SENDERS
from tests.test_cases import _params

configure("https://example.com/guide")  # what the macros plugin does once per build
hello = get_topic("hello")
first = hello.cases[0]
answer = TestClient(app).request(first.request["method"], "/hello" + first.request["path"])

# What pytest collects from tests/test_cases.py: one parameter set per case and framework.
collected = [param.id for param in _params()]
print(json.dumps({
    "collected": [i for i in collected if i.startswith("hello/starlette/")],
    "frameworks": list(FRAMEWORKS),
    "covers": list(hello.frameworks()),
    "first_case_frameworks": list(first.frameworks),
    "mounted": [t.mount for t in mounted_topics("starlette")],
    "demo_server": DEMO_SERVERS.get("starlette-uvicorn"),
    "benchmarked": "starlette-uvicorn" in config.CONFIGURATIONS,
    "answer": [answer.status_code, answer.json()],
    "in_process": check(RAW_SENDERS["starlette"](hello), first, "starlette"),
    "expected": first.response["json"],
    "hello_cases": [c.name for c in hello.cases],
    "tabs": main.framework_tabs("hello"),
    "loc": main.loc_table("hello"),
    "free": main.free_table("hello"),
}))
"""


def _copy_project(dest: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=ignore)
        else:
            shutil.copy2(source, dest / name)


def _run(copy: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy), "GUIDE_DEBUG": "1"}
    env.pop("COVERAGE_PROCESS_START", None)  # the copy's files are not the project's
    return subprocess.run(
        [sys.executable, *argv], cwd=copy, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def copy_with_starlette(tmp_path: Path) -> Path:
    copy = tmp_path
    _copy_project(copy)
    registry = copy / "verified_guide" / "frameworks.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + REGISTRY_ENTRY, encoding="utf-8")
    (copy / "snippets" / "hello" / "starlette.py").write_text(SNIPPET, encoding="utf-8")
    (copy / "demo_apps" / "starlette_app").mkdir()
    (copy / "demo_apps" / "starlette_app" / "__init__.py").write_text("")
    (copy / "demo_apps" / "starlette_app" / "main.py").write_text(DEMO_APP, encoding="utf-8")
    return copy


def test_tests_demo_app_and_page_pick_the_framework_up(copy_with_starlette: Path) -> None:
    result = _run(copy_with_starlette, "-c", PROBE)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["frameworks"][-1] == "starlette"
    # The topic covers it because its snippet exists, and the shared cases now include it.
    assert "starlette" in seen["covers"] and "starlette" in seen["first_case_frameworks"]
    assert seen["mounted"] == ["hello"]
    assert seen["answer"] == [200, seen["expected"]]
    # The case tests' in-process sender comes from its test_client (asgi), with no edit.
    assert seen["in_process"] == []
    assert seen["demo_server"][:2] == ["uvicorn", "demo_apps.starlette_app.main:app"]
    assert not seen["benchmarked"], "no bench_app: the benchmark must leave it out"
    assert '=== "Starlette"' in seen["tabs"] and "snippets/hello/starlette.py" in seen["tabs"]
    assert "| Starlette |" in seen["loc"]
    assert seen["free"].splitlines()[0].endswith("| Starlette |")
    # The case test collects one test per hello case for it, as for any other framework.
    assert len(seen["collected"]) == len(seen["hello_cases"]) > 0, seen["collected"]
