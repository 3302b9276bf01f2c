"""The test that shows ``--dist loadgroup`` still groups (the check is in tests/conftest.py).

`make test` runs most tests on both cores with ``--dist loadgroup`` and relies on
``xdist_group`` to keep each browser module's pages on one worker. pytest 9.2 with
pytest-xdist 3.8 drops the group silently (pytest-dev/pytest-xdist#1386): every test still
passes, only slower, with each costly fixture opened on both workers. The controller's
``pytest_xdist_node_collection_finished`` in tests/conftest.py looks for this test's group in
the ids the workers collected and stops the run when it is missing.
"""

from __future__ import annotations

import pytest

#: The group the conftest check looks for.
GROUP = "grouping-check"


@pytest.mark.xdist_group(GROUP)
def test_a_grouped_test_runs() -> None:
    """Present so the workers collect a grouped test; its id carries the group when it works."""
