"""Shared fixtures: the built site, and the CI rule that a missing tool is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.claim_evidence import RECORDER_NAME
from tests.support.demo_servers import DemoServers
from tests.support.xdist_groups import browser_rank
from verified_guide.claims.evidence import IN_CI, evidence_path
from verified_guide.postgres import Cluster, PostgresNotInstalled, cluster, find_bindir
from verified_guide.source_links import configure as configure_source_links
from verified_guide.topics import ROOT

#: Page builders called outside a site build link into this repository address.
TEST_REPO_URL = "https://github.com/example-owner/example-repo"


@pytest.fixture(autouse=True, scope="session")
def _source_links() -> None:
    """The macros configure the source links once per build; do the same for tests that
    call the page builders directly."""
    configure_source_links(TEST_REPO_URL)


def require_tool(name: str, install_hint: str) -> str:
    """Path of an external tool; skip locally with an install hint, fail in CI."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} not found on PATH: install it with `{install_hint}`"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Path:
    """The built site: ``make test`` builds it once and passes ``GUIDE_SITE_DIR``;
    a test run on its own builds it into a temporary folder.

    ``make test`` builds it beside the tests (``GUIDE_SITE_STATUS``: the build's exit status
    appears there when it ends), so the first test that reads a page waits for the build.

    Without a claim evidence report (a fresh clone, before ``make evidence``), the build reads
    a provisional one where every claim test is "not run in this session", so ``pytest -k
    <topic>`` can check the topic's pages without running the claim tests first.
    """
    given = os.environ.get("GUIDE_SITE_DIR")
    if given:
        status = os.environ.get("GUIDE_SITE_STATUS")
        if status:
            wait_for_site_build(Path(status))
        path = Path(given)
        assert (path / "index.html").is_file(), f"GUIDE_SITE_DIR={given} holds no built site"
        return path
    path = tmp_path_factory.mktemp("site")
    env = dict(os.environ)
    if not evidence_path().is_file():
        provisional = tmp_path_factory.mktemp("claims") / "evidence.json"
        pytestconfig.pluginmanager.get_plugin(RECORDER_NAME).provisional_report(provisional)
        env["GUIDE_CLAIMS_EVIDENCE"] = str(provisional)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return path


#: How long a test waits for the site build that runs beside it (about 30 s alone; several
#: times that while the tests take both cores): below pytest-timeout's 300 s per test, which
#: counts a fixture's setup, so that this message, not a bare timeout, says what was slow.
SITE_BUILD_LIMIT_S = 240.0


def wait_for_site_build(status: Path, limit_s: float = SITE_BUILD_LIMIT_S) -> None:
    """Wait until the build beside the tests wrote its exit status; fail unless it is 0."""
    deadline = time.monotonic() + limit_s
    while not status.is_file():
        if time.monotonic() > deadline:
            pytest.fail(f"the site build wrote no exit status to {status} in {limit_s:.0f} s")
        time.sleep(0.5)
    code = status.read_text(encoding="utf-8").strip()
    if code != "0":
        pytest.fail(
            f"the site build beside the tests failed (exit status {code or 'missing'} in "
            f"{status}): its output is in {status.with_suffix('.log')}, printed after the tests",
            pytrace=False,
        )


def _in_browser(item: pytest.Item) -> bool:
    return "tests/browser/" in item.nodeid


def _browser_rank(item: pytest.Item) -> int:
    """Longest browser modules first (``tests/support/xdist_groups.py``); 0 for the others."""
    return browser_rank(item.nodeid.partition("::")[0]) if _in_browser(item) else 0


def _attacks_demo_server(item: pytest.Item) -> bool:
    return item.get_closest_marker("attacks_demo_servers") is not None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups off the items
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright's sync API keeps an event loop running in the
    main thread for the whole session, and asgiref (Flask and Django async views) refuses to
    start its own loop where one is running. Under pytest-xdist (``make test``), each worker
    runs its share in this order, and a browser module's tests share one worker (the
    ``xdist_group`` of ``--dist loadgroup``): its module-scoped pages and contexts are opened
    once, and what it records at its end covers all of its tests.

    The tests of one shared demo server (``demo_servers``: cases, health check, forgeries,
    hostile suite) share a worker too (``server_param``), and the hostile ones come after the
    others: a server they attacked would have to be started again for a case."""
    items.sort(
        key=lambda item: (_in_browser(item), _browser_rank(item), _attacks_demo_server(item))
    )
    for item in filter(_in_browser, items):
        item.add_marker(pytest.mark.xdist_group(f"browser-{item.path.stem}"))


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` by ``tests/support/xdist_groups.py`` (pytest-xdist's own grouping
    does not take effect under pytest 9)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.support.xdist_groups import GroupScheduling

    config.option.loadscopereorder = False
    return GroupScheduling(config, log)


@pytest.fixture(scope="session")
def demo_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServers]:
    """The demo apps under their production servers, each started once per session (per
    pytest-xdist worker) and shared by the tests that name it in a ``server_name`` parameter
    made by ``server_param`` (``tests/support/demo_servers.py``)."""
    servers = DemoServers(tmp_path_factory.mktemp("demo-servers"))
    try:
        yield servers
    finally:
        servers.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the session (``verified_guide/postgres.py``); skips on
    a laptop without PostgreSQL, with the install hint, and fails in CI."""
    try:
        bindir = find_bindir()
    except PostgresNotInstalled as exc:
        if IN_CI:
            pytest.fail(str(exc), pytrace=False)
        pytest.skip(str(exc))
    with cluster(bindir) as running:
        yield running


MACHINE_LOAD = (
    "This test depends on timing (servers starting, measured throughput), so machine load "
    "alone can fail it: re-run it on a quieter machine before suspecting your change."
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
    """A failing ``@pytest.mark.timing`` test says that it depends on machine load."""
    report = yield
    if report.failed and item.get_closest_marker("timing"):
        report.sections.append(("depends on machine load", MACHINE_LOAD))
    return report
