"""Run the test files the testing page shows, so the tests a reader copies are known to pass.

``snippets/testing/<framework>_test.py`` are snippets like any other (they appear in
their framework's tab). Bringing their tests and fixtures into this module lets this
session's pytest collect and run them: Django's ``TestCase`` through pytest-django, the
FastAPI and Flask functions with their own fixtures. The functions get the framework in
their name here, because each file names its tests the way a reader's project would.
A fixture missing from the imports below fails its tests with "fixture not found".
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.mutation import make_sandbox
from snippets.testing import fastapi_test, flask_test
from snippets.testing.django_test import HelloTests  # collected by pytest-django
from snippets.testing.fastapi_test import french  # noqa: F401 - fixture
from snippets.testing.flask_test import app, client  # noqa: F401 - fixtures

for _framework, _module in {"fastapi": fastapi_test, "flask": flask_test}.items():
    for _name, _test in vars(_module).items():
        if _name.startswith("test_"):
            globals()[f"test_{_framework}_{_name.removeprefix('test_')}"] = _test


def test_every_snippet_file_has_tests() -> None:
    collected = [name for name in globals() if name.startswith(("test_fastapi_", "test_flask_"))]
    assert len(collected) == 6, collected
    assert [n for n in dir(HelloTests) if n.startswith("test_")]


# Each test the page shows must catch a bug: here each runs against a copy of the app it tests
# with one deliberate break (file, text replaced, replacement), and must fail there.
BREAKAGES: dict[tuple[str, str], tuple[str, str]] = {
    ("fastapi", "test_default_greeting"): ('greeting: str = "Hello"', 'greeting: str = "Hi"'),
    ("fastapi", "test_dependency_override"): ("Depends(get_settings)", "Depends(Settings)"),
    ("fastapi", "test_long_name_is_rejected"): ("max_length=20", "max_length=30"),
    ("flask", "test_default_greeting"): ('GREETING="Hello"', 'GREETING="Hi"'),
    ("flask", "test_greeting_from_config"): (
        "        app.config.from_mapping(test_config)",
        "        pass",
    ),
    ("flask", "test_long_name_is_rejected"): ("len(name) > 20", "len(name) > 30"),
    ("django", "HelloTests::test_default_greeting"): ('"GREETING", "Hello"', '"GREETING", "Hi"'),
    ("django", "HelloTests::test_greeting_from_settings"): (
        'getattr(settings, "GREETING", "Hello")',
        '"Hello"',
    ),
    ("django", "HelloTests::test_long_name_is_rejected"): ("len(name) > 20", "len(name) > 30"),
    ("django", "HelloTests::test_post_is_not_allowed"): ("@require_GET\n", ""),
}


def _shown_tests() -> set[tuple[str, str]]:
    found = set()
    for framework, module in {"fastapi": fastapi_test, "flask": flask_test}.items():
        found |= {(framework, name) for name in vars(module) if name.startswith("test_")}
    found |= {("django", f"HelloTests::{n}") for n in dir(HelloTests) if n.startswith("test_")}
    return found


def test_every_shown_test_has_a_breakage() -> None:
    assert set(BREAKAGES) == _shown_tests(), "add a breakage for each new test in BREAKAGES"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Path]:
    folder = make_sandbox()
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


#: pytest as a reader's project runs these files: no plugin but pytest-django (for Django's
#: TestCase), none of this project's (its addopts and the installed plugins' autoload are off).
#: The session's secrets are in the environment the run inherits, as a reader's would be. Loading
#: this project's plugins made each run 3-5 s instead of 1-3.
READERS_PYTEST = ["-q", "-p", "no:cacheprovider", "-o", "addopts=", "-p", "pytest_timeout"]
READERS_PLUGINS = {"django": ["-p", "pytest_django.plugin"]}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("framework", "test"), sorted(BREAKAGES), ids=[f"{f}/{t}" for f, t in sorted(BREAKAGES)]
)
def test_each_shown_test_fails_against_a_broken_app(
    sandbox: Path, framework: str, test: str
) -> None:
    old, new = BREAKAGES[(framework, test)]
    app_file = sandbox / "snippets" / "testing" / f"{framework}.py"
    original = app_file.read_text(encoding="utf-8")
    assert original.count(old) == 1, f"snippets/testing/{framework}.py no longer has {old!r}"
    app_file.write_text(original.replace(old, new), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", *READERS_PYTEST, *READERS_PLUGINS.get(framework, []),
             f"snippets/testing/{framework}_test.py::{test}"],
            cwd=sandbox,
            env={**os.environ, "PYTHONPATH": str(sandbox), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )  # fmt: skip
    finally:
        app_file.write_text(original, encoding="utf-8")
    # Failed, not errored: a test that cannot even set up (settings, a fixture) catches nothing.
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 1 and summary.startswith("1 failed") and "error" not in summary, (
        f"{framework}_test.py::{test} did not fail against the app with {old!r} -> {new!r}:\n"
        + result.stdout[-2000:]
    )
