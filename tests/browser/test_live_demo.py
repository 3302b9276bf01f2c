"""The live demos as a reader uses them, in headless Chromium with every other host blocked.

Per topic page: nothing of Pyodide is fetched before Run; Run under each framework's tab answers
the topic's first case as the tests expect. On the hello page: an edit changes the response, a
bad request gets its 4xx, a Python error shows its traceback, a <script> body stays text, Stop
ends an endless loop and the next Run recovers, Reset restores the snippet.
Timings and bytes are written to .cache/live-metrics.json (see the report in the test output).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scripts.live.measure import load_settled
from tests.browser.conftest import offline_context
from tests.support.responses import Observed, mismatches
from verified_guide.live.support import unsupported
from verified_guide.topics import FRAMEWORK_TITLES, ROOT, get_topic

pytestmark = pytest.mark.slow

# Two pages whose tabs load different package sets (validation adds Django Ninja and pydantic to
# Django's, APIFlask, marshmallow and pydantic to Flask's); the hello page's tabs load routing's
# sets exactly (test_hello_tabs_load_what_routing_tabs_load), so the same bytes (parity runs
# every case of every snippet, hello's included).
TOPICS = ["routing", "validation"]
# Bytes a first Run may download (as served, precompressed copies included): the budgets.
FIRST_RUN_BUDGET = {"fastapi": 10_000_000, "django": 8_000_000}
TAB_TITLES = FRAMEWORK_TITLES  # the tab labels are the registry's titles
RUN_TIMEOUT_MS = 180_000
METRICS: dict[str, Any] = {}


class Traffic:
    """Bytes the page (and its worker) fetched, so far and per URL."""

    def __init__(self, page: Any) -> None:
        self.urls: list[tuple[str, int]] = []
        page.on("requestfinished", self._finished)

    def _finished(self, request: Any) -> None:
        sizes = request.sizes()
        self.urls.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def total(self) -> int:
        return sum(size for _, size in self.urls)


def demo(page: Any, topic: str, framework: str) -> Any:
    return page.locator(f'.live-demo[data-topic="{topic}"][data-framework="{framework}"]')


def run(page: Any, topic: str, framework: str) -> dict[str, Any]:
    """Press Run under one tab and wait for the Response region to show the outcome."""
    page.locator(".tabbed-labels label", has_text=TAB_TITLES[framework]).first.click()
    box = demo(page, topic, framework)
    box.get_by_role("button", name="Run", exact=True).click()
    region = box.get_by_role("region", name="Response")
    page.wait_for_function(
        "el => el.dataset.state && el.dataset.state !== 'running'",
        arg=region.element_handle(timeout=RUN_TIMEOUT_MS),
        timeout=RUN_TIMEOUT_MS,
    )
    return {
        "state": region.get_attribute("data-state"),
        "status": region.locator(".live-demo__status").text_content(),
        "headers": region.locator(".live-demo__headers").text_content(),
        "body": region.locator(".live-demo__response-body").text_content(),
        "progress": box.locator(".live-demo__progress").text_content(),
    }


def observed(shown: dict[str, Any]) -> Observed:
    status = int(shown["status"].removeprefix("Status "))
    content_type = next(
        (line.split(":", 1)[1].strip() for line in shown["headers"].splitlines()
         if line.lower().startswith("content-type:")),
        "",
    )  # fmt: skip
    return Observed(status, content_type, shown["body"].encode())


def set_code(page: Any, topic: str, framework: str, code: str) -> None:
    """Replace the editor's text the way a reader would: Edit, select all, then type."""
    box = demo(page, topic, framework)
    edit = box.get_by_role("button", name="Edit", exact=True)
    if edit.is_visible():
        edit.click()
    editor = box.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    context = offline_context(browser)
    yield context
    context.close()


@pytest.fixture(scope="module", autouse=True)
def write_metrics() -> Iterator[None]:
    yield
    out = ROOT / ".cache" / "live-metrics.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(METRICS, indent=1))
    print(f"\nlive-demo metrics ({out.relative_to(ROOT)}):\n{json.dumps(METRICS, indent=1)}")


def test_hello_tabs_load_what_routing_tabs_load(site_dir: Path) -> None:
    """Why the hello page is not among TOPICS: its first Run fetches what routing's does."""
    sets = json.loads((site_dir / "live" / "packages.json").read_text(encoding="utf-8"))
    for framework in get_topic("hello").frameworks():
        assert sets["snippets"][f"hello/{framework}"] == sets["snippets"][f"routing/{framework}"]


def test_a_scroll_the_browser_makes_fetches_nothing_and_a_readers_wheel_warms_up(
    browser: Any, base_url: str
) -> None:
    """review: the first scroll event counted as the reader's, but a browser scrolls by itself
    to a #fragment (a search result) or to the position it restores on reload: the runtime
    came down with no intent shown. Now only a wheel, a swipe or a key starts the warm-up."""
    context = offline_context(browser)
    try:
        page = context.new_page()
        traffic = Traffic(page)
        bundle = f"{base_url}live/"
        load_settled(page, f"{base_url}guide/routing/")
        demo(page, "routing", "fastapi").evaluate("el => el.scrollIntoView()")  # as a jump does
        page.wait_for_timeout(1500)
        assert not [url for url, _ in traffic.urls if url.startswith(bundle)], traffic.urls
        with page.expect_request(lambda request: request.url.startswith(bundle), timeout=60_000):
            page.mouse.move(10, 10)
            page.mouse.wheel(0, 5)
    finally:
        context.close()


@pytest.mark.parametrize("topic", TOPICS)
def test_run_answers_the_first_case_under_every_tab(
    browser: Any, base_url: str, topic: str
) -> None:
    context = offline_context(browser)  # cold: a fresh context per page
    try:
        page = context.new_page()
        traffic = Traffic(page)
        load_settled(page, f"{base_url}guide/{topic}/")
        before = traffic.total()
        bundle = f"{base_url}live/"  # Pyodide, wheels, editor: all under the site's live/
        pyodide_before = sum(size for url, size in traffic.urls if url.startswith(bundle))
        assert pyodide_before == 0, f"fetched before any Run: {traffic.urls}"
        timings, run_bytes = {}, {}
        for framework in get_topic(topic).frameworks():
            if (topic, framework) in unsupported():
                continue
            case = next(c for c in get_topic(topic).cases if framework in c.frameworks)
            started, fetched = time.perf_counter(), traffic.total()
            shown = run(page, topic, framework)
            timings[framework] = round(time.perf_counter() - started, 2)
            run_bytes[framework] = traffic.total() - fetched
            assert shown["state"] == "result", shown
            problems = mismatches(case.expected(framework), observed(shown))
            assert not problems, f"{topic}/{framework} {case.name}: {problems}"
        for framework, budget in FIRST_RUN_BUDGET.items():
            assert run_bytes[framework] <= budget, f"{topic}/{framework}: {run_bytes}"
        assert "editor.js" not in str(traffic.urls), "the editor was fetched without Edit"
        started = time.perf_counter()
        assert run(page, topic, "fastapi")["state"] == "result"
        METRICS[topic] = {
            "bytes_before_first_run": before,
            "pyodide_bytes_before_first_run": pyodide_before,
            "bytes_on_first_run_per_tab": run_bytes,
            "seconds_to_response": timings,
            "seconds_second_fastapi_run": round(time.perf_counter() - started, 2),
        }
    finally:
        context.close()


@pytest.fixture(scope="module")
def hello(context: Any, base_url: str) -> Any:
    page = context.new_page()
    page.goto(f"{base_url}guide/hello/")
    assert run(page, "hello", "fastapi")["state"] == "result"
    return page


def test_an_edit_changes_the_response(hello: Any) -> None:
    original = get_topic("hello").snippet_path("fastapi").read_text(encoding="utf-8")
    set_code(hello, "hello", "fastapi", original.replace("Hello, World!", "Hello, edited!"))
    shown = run(hello, "hello", "fastapi")
    assert shown["body"] == '{"message":"Hello, edited!"}', shown


def test_a_bad_request_gets_a_4xx(hello: Any) -> None:
    box = demo(hello, "hello", "fastapi")
    box.locator(".live-demo__path").fill("/nowhere")
    shown = run(hello, "hello", "fastapi")
    assert shown["status"] == "Status 404", shown
    box.locator(".live-demo__case").select_option(index=0)


def test_a_python_error_shows_its_traceback(hello: Any) -> None:
    set_code(hello, "hello", "fastapi", "from fastapi import FastAPI\n\napp = FastAPI()\n1 / 0\n")
    shown = run(hello, "hello", "fastapi")
    assert shown["state"] == "error", shown
    assert "Traceback (most recent call last)" in shown["body"], shown
    assert "ZeroDivisionError" in shown["body"], shown


#: Before live.js sets the demos up (its DOMContentLoaded listener comes later), the routing
#: page's first demo loses the code in its code block, as a page built wrong would.
BREAK_FIRST_DEMO = """
document.addEventListener("DOMContentLoaded", () => {
  const first = document.querySelector(".live-demo:not([data-unsupported])");
  const file = `snippets/${first.dataset.topic}/${first.dataset.framework}.py`;
  for (const title of document.querySelectorAll(".highlight .filename")) {
    const code = title.closest(".highlight").querySelector("code");
    if (title.textContent.trim() === file) code.remove();
  }
});
"""


def test_a_demo_that_cannot_start_says_so_and_the_others_still_work(
    browser: Any, base_url: str
) -> None:
    context = offline_context(browser)
    try:
        context.add_init_script(BREAK_FIRST_DEMO)
        page = context.new_page()
        page.goto(f"{base_url}guide/routing/")
        boxes = page.locator(".live-demo:not([data-unsupported])")
        assert boxes.count() > 1
        assert "This demo could not start" in boxes.first.text_content()
        for n in range(1, boxes.count()):
            assert boxes.nth(n).locator(".live-demo__run").count() == 1  # (hidden tabs too)
    finally:
        context.close()


def test_a_syntax_error_shows_the_readers_line_not_the_runner(hello: Any) -> None:
    set_code(hello, "hello", "fastapi", "from fastapi import FastAPI\n\napp = FastAPI(\n")
    shown = run(hello, "hello", "fastapi")
    assert shown["state"] == "error", shown
    assert "SyntaxError" in shown["body"] and "snippets/hello/fastapi.py" in shown["body"], shown
    assert "live_runner" not in shown["body"] and "importlib" not in shown["body"], shown


def test_controls_before_the_first_run(context: Any, base_url: str) -> None:
    """Reset is hidden until Edit; the PBKDF2 note only where a snippet hashes passwords."""
    page = context.new_page()
    page.goto(f"{base_url}guide/auth/")
    for framework in ("fastapi", "flask"):
        box = demo(page, "auth", framework)
        assert box.get_attribute("data-hashing") == "true"
        assert "PBKDF2" in box.locator(".live-demo__hint").text_content()
    page.goto(f"{base_url}guide/routing/")
    box = demo(page, "routing", "fastapi")
    assert not box.get_by_role("button", name="Reset").is_visible()
    assert box.get_by_role("button", name="Run", exact=True).is_visible()
    assert "PBKDF2" not in box.locator(".live-demo__hint").text_content()
    assert box.locator(".cm-content").count() == 0  # no editor, no second copy of the code
    page.close()


#: Records every text the demo's live region (role=status) is given, one entry per change as
#: a screen reader is told of it, and every byte count shown beside the region.
RECORD_STATUS = """box => {
  const status = box.querySelector("[role=status]");
  const bytes = box.querySelector(".live-demo__bytes");
  window.statusLog = { spoken: [], bytes: [] };
  new MutationObserver((records) => {
    for (const record of records) {
      // Setting textContent replaces the text node: the record holds the text it was given.
      const given = record.type === "childList" ? record.addedNodes[0]?.data : record.target.data;
      window.statusLog.spoken.push(given ?? "");
    }
  }).observe(status, { subtree: true, childList: true, characterData: true });
  new MutationObserver(() => window.statusLog.bytes.push(bytes.textContent))
    .observe(bytes, { subtree: true, childList: true, characterData: true });
}"""
COLD_RUN_STEPS = [
    "Downloading Python and the snippet's packages",
    "Setting up fastapi…",
    "Running the request…",
    "Response: status 200",
]


def test_a_cold_run_announces_steps_keeps_focus_and_shows_the_response(
    browser: Any, base_url: str
) -> None:
    """From the keyboard, with Run at the bottom of the window: focus on Run starts the download,
    and Enter a moment later runs. Each step is announced once, in order (the byte counts are
    shown beside the live region, never read out file by file); focus stays on Run; the
    Response, below the window, is scrolled into view. Edit then swaps the page's copy of the
    code for the editor, so the code is on screen once."""
    context = offline_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{base_url}guide/hello/")
        box = demo(page, "hello", "fastapi")
        button = box.get_by_role("button", name="Run", exact=True)
        button.evaluate("b => b.scrollIntoView({ block: 'end' })")
        box.evaluate(RECORD_STATUS)
        button.focus()
        page.wait_for_function("window.statusLog.spoken.length > 0", timeout=RUN_TIMEOUT_MS)
        page.keyboard.press("Enter")
        region = box.get_by_role("region", name="Response")
        page.wait_for_function(
            "el => el.dataset.state && el.dataset.state !== 'running'",
            arg=region.element_handle(timeout=RUN_TIMEOUT_MS), timeout=RUN_TIMEOUT_MS,
        )  # fmt: skip
        log = page.evaluate("window.statusLog")
        assert log["spoken"] == COLD_RUN_STEPS, log
        assert any(shown.endswith(" MB") for shown in log["bytes"]), log
        assert page.evaluate("document.activeElement.textContent.trim()") == "Run"
        top = region.evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < page.evaluate("innerHeight"), "the Response was left below the window"
        code = page.locator(
            ".highlight", has=page.locator(".filename", has_text="snippets/hello/fastapi.py")
        )
        assert code.is_visible()
        box.get_by_role("button", name="Edit", exact=True).click()
        box.locator(".cm-content").wait_for()
        assert not code.is_visible(), "the page's copy of the code stayed beside the editor"
    finally:
        context.close()


def test_a_run_beside_another_demos_warm_up_hears_only_its_own_steps(
    browser: Any, base_url: str
) -> None:
    """The pointer on Flask's Run starts its warm-up; the reader switches to FastAPI and runs
    it while Flask's load is under way. FastAPI's line never reports Flask's set-up, and no
    step comes back after a later one."""
    context = offline_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{base_url}guide/hello/")
        page.locator(".tabbed-labels label", has_text=TAB_TITLES["flask"]).first.click()
        flask = demo(page, "hello", "flask")
        flask.get_by_role("button", name="Run", exact=True).hover()
        page.wait_for_function(
            "el => el.textContent.startsWith('Downloading')",
            arg=flask.locator("[role=status]").element_handle(), timeout=RUN_TIMEOUT_MS,
        )  # fmt: skip
        page.locator(".tabbed-labels label", has_text=TAB_TITLES["fastapi"]).first.click()
        demo(page, "hello", "fastapi").evaluate(RECORD_STATUS)
        shown = run(page, "hello", "fastapi")
        assert shown["state"] == "result", shown
        spoken = page.evaluate("window.statusLog.spoken")
        assert not any("flask" in said.lower() for said in spoken), spoken
        assert spoken[-3:] == COLD_RUN_STEPS[-3:], spoken
        steps = [said for i, said in enumerate(spoken) if i == 0 or said != spoken[i - 1]]
        assert len(steps) == len(set(steps)), f"a step came back: {spoken}"
    finally:
        context.close()


def test_a_script_in_a_response_stays_text(hello: Any) -> None:
    code = (
        "from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\n\n"
        "app = FastAPI()\n\n\n@app.get('/')\ndef page():\n"
        "    return HTMLResponse('<script>window.pwned = 1</script><b>bold</b>')\n"
    )
    set_code(hello, "hello", "fastapi", code)
    shown = run(hello, "hello", "fastapi")
    assert shown["body"] == "<script>window.pwned = 1</script><b>bold</b>", shown
    region = demo(hello, "hello", "fastapi").get_by_role("region", name="Response")
    assert region.locator("script, b").count() == 0
    assert hello.evaluate("window.pwned") is None


def test_stop_ends_an_endless_loop_and_run_recovers(hello: Any) -> None:
    code = "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/')\ndef spin():\n"
    set_code(hello, "hello", "fastapi", code + "    while True:\n        pass\n")
    box = demo(hello, "hello", "fastapi")
    box.get_by_role("button", name="Run", exact=True).click()
    hello.wait_for_function(
        "el => el.textContent.startsWith('Running')", arg=box.locator(".live-demo__progress")
        .element_handle(), timeout=RUN_TIMEOUT_MS,
    )  # fmt: skip
    box.get_by_role("button", name="Stop", exact=True).click()
    region = box.get_by_role("region", name="Response")
    assert region.get_attribute("data-state") == "stopped"
    assert hello.evaluate("document.activeElement.textContent.trim()") == "Run"
    # Focus goes back to Run, whose focus starts a fresh runtime's warm-up: its download
    # progress (posted a moment later) must not replace the outcome on the progress line.
    hello.wait_for_timeout(1500)
    assert "terminated" in box.locator(".live-demo__progress").text_content()
    box.get_by_role("button", name="Reset", exact=True).click()
    shown = run(hello, "hello", "fastapi")
    assert shown["body"] == '{"message":"Hello, World!"}', shown


#: Counts the live demos' workers the page makes and terminates (not Material's search worker).
COUNT_WORKERS = """
window.workers = { made: 0, dropped: 0 };
window.Worker = class extends window.Worker {
  constructor(url, options) {
    super(url, options);
    this.live = String(url).endsWith("/assets/live/worker.js");
    if (this.live) window.workers.made += 1;
  }
  terminate() {
    if (this.live) window.workers.dropped += 1;
    super.terminate();
  }
};
"""


@pytest.mark.parametrize(
    ("file", "answer"),
    [
        ("python_stdlib.zip", {"status": 404}),
        # A wheel the worker installs itself, altered on the way: its hash no longer matches.
        ("flask-*.whl", {"status": 200, "body": b"PK\x05\x06" + bytes(18)}),
        # The worker itself (assets/live/worker.js): it fails during the warm-up, before Run.
        ("worker.js", {"status": 404}),
    ],
    ids=["missing", "altered", "worker"],
)
def test_a_bundle_file_that_fails_to_load_is_named(
    browser: Any, base_url: str, file: str, answer: dict[str, Any]
) -> None:
    """The file fails during the warm-up that the pointer on Run starts: that worker is
    dropped (a runtime that failed to load is never reused), and Run starts a fresh one whose
    error names the file."""
    context = offline_context(browser)
    context.route(f"**/live/{file}", lambda route: route.fulfill(**answer))
    context.add_init_script(COUNT_WORKERS)
    try:
        page = context.new_page()
        page.goto(f"{base_url}guide/hello/")
        page.locator(".tabbed-labels label", has_text=TAB_TITLES["flask"]).first.click()
        demo(page, "hello", "flask").get_by_role("button", name="Run", exact=True).hover()
        page.wait_for_function("window.workers.dropped === 1", timeout=RUN_TIMEOUT_MS)
        shown = run(page, "hello", "flask")
        # One fresh worker, for Run: pointing at Run again started no more warm-ups.
        assert page.evaluate("window.workers.made") == 2, "the failed worker was reused"
        assert shown["state"] == "error", shown
        named = file.split("*")[0]
        assert "Failed to load" in shown["body"] and named in shown["body"], shown
        line = demo(page, "hello", "flask").locator(".live-demo__progress").text_content()
        assert "Downloading" not in line, line
    finally:
        context.close()


def test_a_load_that_goes_quiet_says_so_and_stop_still_ends_it(browser: Any, base_url: str) -> None:
    """A file that never arrives (a dropped connection) leaves the load waiting: after
    ``STALL_MS`` with no word from it, the progress line says so and points at Stop, and the
    load is not ended for it (a slow link may still finish). The page's clock is moved on;
    the worker's download is held for real."""
    context = offline_context(browser)
    held: list[Any] = []
    context.route("**/live/python_stdlib.zip", lambda route: held.append(route))  # unanswered
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(f"{base_url}guide/hello/")
        page.locator(".tabbed-labels label", has_text=TAB_TITLES["flask"]).first.click()
        box = demo(page, "hello", "flask")
        box.get_by_role("button", name="Run", exact=True).click()
        progress = box.locator(".live-demo__progress")
        # Wait until the worker has asked for the file it will never get and every other
        # file has come (the line has stopped moving for 1.5 s of real time).
        deadline, line, since = time.monotonic() + 60, None, time.monotonic()
        while not held or time.monotonic() - since < 1.5:
            assert time.monotonic() < deadline, f"the load never went quiet: {held}, {line!r}"
            page.wait_for_timeout(250)
            if progress.text_content() != line:
                line, since = progress.text_content(), time.monotonic()
        assert "Downloading" in line, line
        page.clock.fast_forward(25_000)  # with the real time since, still under STALL_MS
        assert "Nothing has arrived" not in progress.text_content()
        page.clock.fast_forward(6_000)
        line = progress.text_content()
        assert "Nothing has arrived for 30 s" in line and "press Stop" in line, line
        box.get_by_role("button", name="Stop", exact=True).click()
        status = box.get_by_role("region", name="Response").locator(".live-demo__status")
        assert status.text_content() == "Stopped: no response"
    finally:
        context.close()
