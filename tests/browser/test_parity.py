"""Parity: every runnable snippet answers every case the same in Pyodide as in CPython.

The browser side runs the site's own worker (docs/assets/live/worker.js) in two engines: headless
Chromium (Playwright) and WebKitGTK, Safari's engine, which has no JavaScript Promise Integration
(WebKitWebDriver and Selenium, on Xvfb). So it checks exactly what a reader gets, with and
without JSPI. The CPython side runs the same runner in a subprocess.
Snippets listed in snippets/live_unsupported.yaml are left out here and show no Run button.
"""

from __future__ import annotations

import difflib
import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.live_jobs import parity_jobs, selected_topics
from verified_guide.cases import answers_differ, from_runner
from verified_guide.live.support import unsupported
from verified_guide.sockets import conversations_differ
from verified_guide.topics import FRAMEWORKS, ROOT, Case, SocketCase, all_topics, get_topic

# Every runnable case of every snippet, in one Web Worker per engine (Pyodide loads once per
# engine), in ONE test per engine that names every snippet that differs. Per-snippet tests sharing
# a module fixture would make each pytest-xdist process that gets some of them run the whole
# engine again (and xdist_group cannot keep them together: pytest-xdist 3.8 groups by a suffix
# on the node id that pytest 9.2's node ids no longer take); one test per engine is run once
# wherever it lands, and two of them can run on two xdist workers at once.
pytestmark = [pytest.mark.slow, pytest.mark.parity, pytest.mark.timeout(900)]

# A job's time limits in the browser: loading (Pyodide at first, then a snippet's packages), then
# running its requests. A job over either limit is answered with an error naming it, its worker
# is ended and the next job gets a fresh one, so one hang fails one snippet, not the run.
LOAD_SECONDS = 240
RUN_SECONDS = 20

# Runs the jobs one after another in one worker, as live.js does for one demo at a time.
RUN_IN_WORKER = """async ([jobs, loadMs, runMs]) => {
  const bundleUrl = new URL("live/", document.baseURI).href;
  const workerUrl = new URL("assets/live/worker.js", document.baseURI);
  const start = () => new Worker(workerUrl, {type: "module"});
  let worker = start();
  const results = [];
  try {
    for (const [index, job] of jobs.entries()) {
      results.push(await new Promise((resolve) => {
        let timer;
        const limit = (ms, what) => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            worker.terminate();
            worker = start();
            resolve({error: `${job.id}: no answer after ${ms / 1000} s ${what}`});
          }, ms);
        };
        limit(loadMs, "loading");
        worker.onmessage = ({data}) => {
          if (data.id !== index) return;
          if (data.type === "running") limit(runMs, "running");
          else if (data.type === "result" || data.type === "error") {
            clearTimeout(timer);
            resolve(data.type === "result" ? {response: data.response} : {error: data.error});
          }
        };
        // The job after, not before, `id`: a job has its own id (its name), and the worker
        // answers with the message's id, which must be this index.
        worker.postMessage({...job, type: "run", id: index, bundleUrl});
      }));
    }
  } finally {
    worker.terminate();
  }
  return results;
}"""


@pytest.fixture(scope="module")
def jobs() -> list[dict[str, Any]]:
    return parity_jobs()


ENGINES = ["chromium", "webkit"]
# WebKitWebDriver's async scripts get their arguments in `arguments` and answer via a callback.
WEBDRIVER_ASYNC = "const done = arguments[arguments.length - 1];\n(%s)(arguments[0]).then(done);"
WEBKIT_SECONDS = 840
CPYTHON_SECONDS = 600
LIMITS_MS = [LOAD_SECONDS * 1000, RUN_SECONDS * 1000]


def run_in_engine(engine: str, request: Any, base_url: str, jobs: list) -> list:
    """Every job's answer from the site's worker in one engine."""
    if engine == "chromium":
        # Offline by the browser's host resolver alone (conftest.CHROMIUM_ARGS): offline_context's
        # route would pass each of the worker's hundreds of fetches through this Python process,
        # which made loading so slow under load that a job seemed never to answer.
        context = request.getfixturevalue("browser").new_context()
        try:
            page = context.new_page()
            page.goto(base_url)
            return page.evaluate(RUN_IN_WORKER, [jobs, *LIMITS_MS])
        finally:
            context.close()
    driver = request.getfixturevalue("webkit")
    driver.set_script_timeout(WEBKIT_SECONDS)
    driver.get(base_url)
    return driver.execute_async_script(WEBDRIVER_ASYNC % RUN_IN_WORKER, [jobs, *LIMITS_MS])


class CPythonRun:
    """The CPython answers, from the same runner in a subprocess (it configures Django for the
    whole process), which writes them to ``folder / "cpython.json"``.

    One run per pytest session: the two engines' tests run on two pytest-xdist workers at once,
    and both need the same answers (about 30 s of CPU on the 2 cores the stage shares). The first
    worker to lock ``folder / "lock"`` starts the run and hands the lock to it (the subprocess
    inherits the locked file, and the starter closes its own copy), so the lock is free exactly
    when the run has ended, however it ended; another worker waits for the lock, then reads the
    answers, or, when the run left none, runs the jobs itself.
    """

    def __init__(self, jobs: list[dict[str, Any]], folder: Path) -> None:
        self.jobs = jobs
        self.ids = [job["id"] for job in jobs]
        self.folder = folder
        self.result = folder / "cpython.json"
        self.process: subprocess.Popen[bytes] | None = None
        self._answers: dict | None = None
        folder.mkdir(exist_ok=True)
        with (folder / "lock").open("a") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another worker's run is under way
            if not self.result.exists():
                self._start(lock.fileno())

    def _start(self, lock_fd: int) -> None:
        jobs_file = self.folder / "jobs.json"
        jobs_file.write_text(json.dumps(self.jobs))
        # A fresh database file, as the browser's is: both sides then see the same state.
        database = self.folder / "guide.sqlite3"
        database.unlink(missing_ok=True)
        with (self.folder / "stderr.log").open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.browser.live_jobs", str(jobs_file), str(self.result)],
                cwd=ROOT, stdout=err, stderr=err, pass_fds=(lock_fd,),
                env={**os.environ, "GUIDE_DATABASE_URL": f"sqlite:///{database}"},
            )  # fmt: skip

    def _wait_for_the_run(self) -> None:
        """Until the run holding the lock (this worker's or another's) has ended."""
        if self.process is None:
            self._wait_for_the_lock()
        if self.process is not None:
            self.process.wait(timeout=CPYTHON_SECONDS)

    def _wait_for_the_lock(self) -> None:
        """Another worker's run has ended when its lock is free; if it left no answers (it
        failed or was stopped), this worker runs the jobs itself."""
        deadline = time.monotonic() + CPYTHON_SECONDS
        with (self.folder / "lock").open("a") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    assert time.monotonic() < deadline, "the CPython side did not finish"
                    time.sleep(0.5)
            if not self.result.exists():
                self._start(lock.fileno())

    def answers(self) -> dict:
        """The answers by job id (waits for the run the first time)."""
        if self._answers is None:
            self._wait_for_the_run()
            said = (self.folder / "stderr.log").read_text(errors="replace")[-3000:]
            assert self.result.exists(), f"the CPython side failed:\n{said}"
            answers = json.loads(self.result.read_text())
            self._answers = dict(zip(self.ids, answers, strict=True))
        return self._answers

    def stop(self) -> None:
        """Let this worker's run finish (another worker may be waiting for its answers), then
        stop it if it is still running."""
        if self.process is None:
            return
        try:
            self.process.wait(timeout=CPYTHON_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def cpython_started(jobs: list[dict[str, Any]], tmp_path_factory: Any) -> Iterator[CPythonRun]:
    """The CPython side, started before the first engine's test (a fixture is set up before
    the test's body) and read after its browser run, so the two overlap; stopped at the end.
    Its folder is the session's: under pytest-xdist, the parent of each worker's base temp."""
    base = tmp_path_factory.getbasetemp()
    session = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    run = CPythonRun(jobs, session / "parity-cpython")
    try:
        yield run
    finally:
        run.stop()


SNIPPETS = [(t.slug, fw) for t in all_topics() for fw in t.frameworks()]
RUNNABLE = [
    (t.slug, fw)
    for t in selected_topics()
    for fw in t.frameworks()
    if (t.slug, fw) not in unsupported()
]


def _conversation_problem(case: SocketCase, framework: str, cpython: Any, pyodide: Any) -> str:
    """How a socket conversation differs: the same frames, in order ('' when alike)."""
    return "\n".join(conversations_differ(case, framework, cpython, pyodide))[:3000]


def _answer_problem(case: Case, framework: str, cpython: Any, pyodide: Any) -> str:
    """How an HTTP answer differs, judged by the case module (``answers_differ``: the same
    status and body, up to random values where both sides still meet the case): the statuses
    and a diff of the bodies ('' when alike)."""
    browser_answer, cpython_answer = from_runner(pyodide), from_runner(cpython)
    if not answers_differ(case.expected(framework), cpython_answer, browser_answer):
        return ""
    diff = difflib.unified_diff(
        cpython_answer.text.splitlines(), browser_answer.text.splitlines(),
        "CPython", "Pyodide", lineterm="", n=1,
    )  # fmt: skip
    statuses = f"status CPython {cpython_answer.status}, Pyodide {browser_answer.status}"
    return f"{statuses}\n" + "\n".join(list(diff)[:40])


def _differences(topic: str, framework: str, cpython: dict, browser: dict) -> list[str]:
    """What differs between the two sides for one snippet's socket conversations and cases:
    each job both sides ran is an error on either side, or judged by its kind's comparison."""
    info = get_topic(topic)
    judged = [
        *((case, _conversation_problem) for case in info.sockets),
        *((case, _answer_problem) for case in info.cases),
    ]
    problems = []
    for case, problem_of in judged:
        job_id = f"{topic}/{framework}/{case.name}"
        if job_id not in cpython:
            continue  # a case this snippet skips
        got, want = browser[job_id], cpython[job_id]
        if "error" in got or "error" in want:
            problems.append(f"{job_id}: error\n{got.get('error') or want.get('error')}")
        elif problem := problem_of(case, framework, want["response"], got["response"]):
            problems.append(f"{job_id}: {problem}")
    return problems


@pytest.mark.parametrize("engine", ENGINES)
def test_every_runnable_snippet_answers_alike_in_pyodide_and_cpython(
    engine: str,
    request: Any,
    jobs: list[dict[str, Any]],
    base_url: str,
    cpython_started: CPythonRun,
) -> None:
    """Every case of every runnable snippet, in one engine; the failure names each snippet
    that differs, with a diff of the bodies (or the error), and how many snippets agreed."""
    untried = set(RUNNABLE) - {(job["topic"], job["framework"]) for job in jobs}
    assert not untried, f"runnable snippets without a case to run: {sorted(untried)}"
    in_browser = run_in_engine(engine, request, base_url, jobs)
    browser = dict(zip([job["id"] for job in jobs], in_browser, strict=True))
    cpython = cpython_started.answers()
    differing = {}
    for topic, framework in RUNNABLE:
        if problems := _differences(topic, framework, cpython, browser):
            differing[f"{topic}/{framework}"] = problems
    summary = f"{engine}: {len(differing)} of {len(RUNNABLE)} snippets differ from CPython"
    details = "\n\n".join(problem for problems in differing.values() for problem in problems)
    assert not differing, f"{summary} ({', '.join(differing)}):\n\n{details}"


def test_unsupported_list_names_real_snippets_and_pages_hide_run(site_dir: Path) -> None:
    """Every listed snippet exists and has a reason; its page placeholder carries no Run."""
    topics = {t.slug: t for t in all_topics()}
    for (topic, framework), reason in unsupported().items():
        assert topic in topics and framework in FRAMEWORKS, f"unknown snippet {topic}/{framework}"
        assert topics[topic].snippet_path(framework).exists(), f"no file for {topic}/{framework}"
        assert reason.strip(), f"{topic}/{framework}: a reason is required"
    pages = "".join(p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html"))
    for topic, framework in SNIPPETS:
        marker = f'data-topic="{topic}" data-framework="{framework}"'
        assert marker in pages, f"{topic}/{framework}: no live-demo placeholder on any page"
        hidden = f'{marker} data-unsupported="true"' in pages
        assert hidden == ((topic, framework) in unsupported()), f"{topic}/{framework} placeholder"


def test_the_engines_share_one_cpython_run(tmp_path: Path) -> None:
    """A second CPythonRun on the run's folder starts nothing and reads the first one's answers;
    one waiting on a run that ends without answers (here, killed) runs the jobs itself. No job:
    the handover is the point, and the engines' test compares real answers."""
    first, second = CPythonRun([], tmp_path / "shared"), CPythonRun([], tmp_path / "shared")
    assert first.process is not None and second.process is None
    assert second.answers() == first.answers() == {}
    first.stop()
    assert first.process.returncode == 0
    owner, waiting = CPythonRun([], tmp_path / "killed"), CPythonRun([], tmp_path / "killed")
    owner.process.kill()
    owner.stop()
    assert waiting.answers() == {} and waiting.process is not None
    waiting.stop()
