"""The contributor's loop: under ``mkdocs serve``, an edited snippet or case shows on its page
within seconds, with the claim evidence reused rather than re-measured.

One save of a snippet and its ``cases.yaml`` together, so one rebuild must show both: the
snippet read afresh (the include) and the cases read afresh (the cached loaders cleared). Both
files are under the same watched folder, so a separate save of each would only repeat the same
trigger at the cost of another whole build.

The server runs on a temporary copy of the project (the live-demo bundle linked, not copied), on
a free 127.0.0.1 port, and is always stopped; the edits happen in the copy only.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from docs.plugins.claims_page import stale_notice
from tests.support.claim_evidence import RECORDER_NAME
from verified_guide.claims.evidence import evidence_path
from verified_guide.freshness import newer_inputs
from verified_guide.topics import ROOT

#: The promise CONTRIBUTING.md makes: an edit is on its page within this many seconds, on a
#: machine that builds the whole site within it. Under load a rebuild may take as long as the
#: first build did (never more than half again): it is a build, never a re-measurement.
REBUILD_LIMIT_S = 10
#: The first build of the whole site (bounded, so a stuck server fails the test).
FIRST_BUILD_LIMIT_S = 300


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _copy_project(dest: Path) -> None:
    """Every file git tracks (what a fresh clone has), and the live bundle by a link."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source, target = ROOT / name, dest / name
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (dest / ".cache").mkdir()
    # Built once by `make test` before this runs: the npm packages and the strict type-check
    # report, which a fresh copy would otherwise rebuild first (the bundle is in the user's cache).
    for built in (".cache/typecheck", "node_modules"):
        if (ROOT / built).exists():
            (dest / built).symlink_to(ROOT / built)


def _wait_for(
    url: str, markers: list[str], limit_s: float, server: subprocess.Popen, log: Path
) -> float:
    """Seconds until the page at ``url`` contains every marker; fails after ``limit_s``."""
    started = time.monotonic()
    missing = markers
    while time.monotonic() - started < limit_s:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve exited:\n{log.read_text()[-3000:]}", pytrace=False)
        try:
            page = httpx.get(url, timeout=5).text
            missing = [marker for marker in markers if marker not in page]
            if not missing:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"{url} did not show {missing!r} within {limit_s:.0f} s", pytrace=False)


@pytest.mark.slow
@pytest.mark.timing
# pytest-timeout's 300 s default would cut the test's own limits short under load (first build
# up to FIRST_BUILD_LIMIT_S, the rebuild up to 1.5 times that), hiding which one was missed.
@pytest.mark.timeout(FIRST_BUILD_LIMIT_S * 2.5 + 120)
def test_an_edit_shows_on_its_page_within_seconds(
    tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    project = tmp_path / "project"
    _copy_project(project)
    evidence = evidence_path()
    if not evidence.is_file():  # a fresh clone: the page is the point, not the claims
        evidence = tmp_path / "evidence.json"
        pytestconfig.pluginmanager.get_plugin(RECORDER_NAME).provisional_report(evidence)
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "GUIDE_CLAIMS_EVIDENCE": str(evidence),
        "NO_MKDOCS_2_WARNING": "1",
        # `mkdocs serve` serves under site_url's path (the published sub-path); a contributor
        # previewing at the root sets it so, as this test does.
        "SITE_URL": f"http://127.0.0.1:{port}/",
        # `mkdocs serve` builds into a temp folder it removes only on Ctrl-C; stopped with a
        # signal, it would leave a whole site in /tmp on every run.
        "TMPDIR": str(tmp_path),
    }
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--strict", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/guide/hello/"
    try:
        first_s = _wait_for(url, ["greets the world"], FIRST_BUILD_LIMIT_S, server, log_path)
        limit_s = max(REBUILD_LIMIT_S, 1.5 * first_s)
        edit = uuid.uuid4().hex[:8]
        comment, renamed = f"snippet-edit-{edit}", f"greets the world case-edit-{edit}"
        snippet = project / "snippets" / "hello" / "flask.py"
        cases = project / "snippets" / "hello" / "cases.yaml"
        edited_snippet = snippet.read_text(encoding="utf-8") + f"# {comment}\n"
        edited_cases = cases.read_text(encoding="utf-8").replace("greets the world", renamed)
        snippet.write_text(edited_snippet, encoding="utf-8")
        cases.write_text(edited_cases, encoding="utf-8")
        # The comment shows in the snippet's code block, the renamed case in the examples.
        rebuilt_s = _wait_for(url, [comment, renamed], limit_s, server, log_path)
        print(
            f"first build {first_s:.1f} s; a snippet and its cases edited together were on "
            f"the page {rebuilt_s:.1f} s after the save"
        )
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def test_serve_reuses_an_older_evidence_report(tmp_path: Path) -> None:
    """`make serve` with a report older than every input does not re-run the claim tests."""
    report = tmp_path / "evidence.json"
    report.write_text("{}", encoding="utf-8")
    os.utime(report, (0, 0))
    dry_run = subprocess.run(
        ["make", "-n", "serve", f"EVIDENCE={report}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "mkdocs serve" in dry_run.stdout
    assert "-m claim" not in dry_run.stdout, dry_run.stdout


def test_the_claims_page_says_when_the_evidence_is_stale(tmp_path: Path) -> None:
    report = tmp_path / "evidence.json"
    report.write_text("{}", encoding="utf-8")
    os.utime(report, (0, 0))
    assert "Evidence is stale" in stale_notice(report)
    future = time.time() + 3600
    os.utime(report, (future, future))
    assert stale_notice(report) == ""
    assert newer_inputs(tmp_path / "missing.json") == []
