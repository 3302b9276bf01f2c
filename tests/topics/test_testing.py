"""Run the test files the testing page shows, so the tests a reader copies are known to pass.

``snippets/testing/<framework>_test.py`` are snippets like any other (they appear in
their framework's tab). Bringing their tests and fixtures into this module lets this
session's pytest collect and run them: Django's ``TestCase`` through pytest-django, the
FastAPI and Flask functions with their own fixtures. The functions get the framework in
their name here, because each file names its tests the way a reader's project would.
A fixture missing from the imports below fails its tests with "fixture not found".
"""

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
