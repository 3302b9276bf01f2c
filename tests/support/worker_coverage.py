"""pytest plugin: coverage inside each pytest-xdist worker of a ``coverage run -p -m pytest -n N``.

``coverage run`` measures only the process it starts, the xdist controller, which runs no test;
the workers are separate interpreters. Loaded with ``-p`` (pyproject's addopts), this module is
imported by a worker before any test module imports a snippet, so a worker under a measured
controller starts its own measurement here, with the project's settings (``[tool.coverage]``),
and saves a parallel data file (``.coverage.<host>.<pid>.<random>``) when it ends. ``coverage
combine`` then adds the workers' files to the rest, as ``make test`` does.
"""

from __future__ import annotations

import os

import coverage

_measured = None
# coverage run sets COVERAGE_RUN in its own environment, which the workers inherit.
if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("COVERAGE_RUN") == "true":
    _measured = coverage.Coverage(data_suffix=True)
    _measured.start()


def pytest_unconfigure() -> None:
    """Save the worker's data once its last test has run."""
    if _measured is not None:
        _measured.stop()
        _measured.save()
