"""Hypothesis settings and the session's report for the hostile-request suite."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from tests.hostile.verdict import REPORT, Report
from verified_guide.claims.evidence import IN_CI
from verified_guide.topics import ROOT

# One place for the examples Hypothesis keeps between runs (failing ones are replayed first);
# in CI the run is derandomized, so the same requests are sent on every run and the page's
# counts and any failure are reproducible.
settings.register_profile(
    "hostile",
    database=None if IN_CI else DirectoryBasedExampleDatabase(ROOT / ".cache" / "hypothesis"),
    derandomize=IN_CI,
    deadline=None,  # the 5-second hang limit is checked per request by the suite itself
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)


@pytest.fixture(scope="session")
def hostile_report() -> Iterator[Report]:
    """The tallies of this session, written to .cache/hostile/report.json at its end (or to
    GUIDE_HOSTILE_REPORT: the PostgreSQL run's, which the pages do not show)."""
    report = Report()
    yield report
    report.write(Path(os.environ.get("GUIDE_HOSTILE_REPORT") or REPORT))


@pytest.fixture(autouse=True)
def fresh_login_limits() -> Iterator[None]:
    """Forget the failed logins a hostile test counted: the suite fails logins by the hundred
    from one address, and a later test in the same process must still be able to log in."""
    yield
    if fastapi_limit := sys.modules.get("snippets.auth.fastapi_limit"):
        fastapi_limit.limiter.storage.reset()
    if flask_auth := sys.modules.get("snippets.auth.flask"):
        flask_auth.limiter.reset()
    if "snippets.auth.django_limit" in sys.modules:
        from django.core.cache import cache

        cache.clear()
