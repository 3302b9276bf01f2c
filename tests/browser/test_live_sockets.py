"""The websockets page's socket form as a reader uses it, in headless Chromium, offline.

Under a plain WebSocket tab (FastAPI) and a Socket.IO one (Flask): Send holds the selected
conversation from cases.yaml and lists each frame sent and received, as the case expects; a
frame the reader types that looks like HTML stays text; an unknown socket path is refused in
plain words, as the demo apps under uvicorn refuse it, not with a traceback.
Every conversation, in both engines, is compared with CPython by tests/browser/test_parity.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import offline_context
from verified_guide.sockets import expected_frames, speaks_socketio
from verified_guide.topics import FRAMEWORK_TITLES, get_topic

pytestmark = pytest.mark.slow

TOPIC = "websockets"
SOCKETS = {case.name: case for case in get_topic(TOPIC).sockets}
SEND_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = offline_context(browser)
    page = context.new_page()
    page.goto(f"{base_url}guide/{TOPIC}/")
    yield page
    context.close()


def demo(page: Any, framework: str) -> Any:
    """The live demo under one framework's tab, the tab shown."""
    page.locator(".tabbed-labels label", has_text=FRAMEWORK_TITLES[framework]).first.click()
    return page.locator(f'.live-demo[data-topic="{TOPIC}"][data-framework="{framework}"]')


def send(page: Any, framework: str) -> list[str]:
    """Press Send under one tab; the frames listed once the conversation is over."""
    box = demo(page, framework)
    box.get_by_role("button", name="Send", exact=True).click()
    log = box.locator(".live-demo__frames")
    page.wait_for_function(
        "el => el.dataset.state && el.dataset.state !== 'running'",
        arg=log.element_handle(), timeout=SEND_TIMEOUT_MS,
    )  # fmt: skip
    assert log.get_attribute("data-state") == "result", box.text_content()
    assert log.get_attribute("aria-live") == "polite"
    return log.locator("li").all_text_contents()


def _shown(frame: dict[str, Any]) -> str:
    value = json.dumps(frame["json"]) if "json" in frame else frame["text"]
    return f"{frame['event']} {value}" if frame.get("event") else value


@pytest.mark.parametrize("framework", ["fastapi", "flask"])
def test_send_holds_the_selected_conversation(page: Any, framework: str) -> None:
    case = SOCKETS["bad messages get an error and the connection stays open"]  # then an echo
    demo(page, framework).locator(".live-demo__socket-case").select_option(label=case.name)
    listed = send(page, framework)
    received = [line.removeprefix("← ") for line in listed if line.startswith("← ")]
    assert len(received) == len(case.messages), listed
    event = case.socketio["event"] if speaks_socketio(case, framework) else None
    for shown, want in zip(received, expected_frames(case, framework), strict=True):
        got_event, _, text = shown.partition(" ") if event else (None, "", shown)
        assert got_event == want["event"], listed
        assert json.loads(text) == want["json"], listed


def test_a_typed_frame_that_looks_like_html_stays_text(page: Any) -> None:
    box = demo(page, "fastapi")
    markup = '{"message": "<img src=x onerror=window.pwned=1><b>bold</b>"}'
    box.locator(".live-demo__socket-messages").fill(markup)
    listed = send(page, "fastapi")
    assert listed == [f"→ {markup}", '← {"echo":"<img src=x onerror=window.pwned=1><b>bold</b>"}']
    assert box.locator(".live-demo__frames img, .live-demo__frames b").count() == 0
    assert page.evaluate("window.pwned") is None


@pytest.mark.parametrize(
    ("framework", "note"),
    [
        ("fastapi", "the handshake was refused"),
        ("flask", "the connection to namespace /nope was refused"),
    ],
)
def test_an_unknown_socket_path_is_refused_in_plain_words(
    page: Any, framework: str, note: str
) -> None:
    """On the tabs whose runtimes the tests above loaded: a WebSocket path and a Socket.IO
    namespace no handler serves. Django's runner side, which used to raise Channels' "No route
    found" here, is held to the same case in both engines by the parity test."""
    case = SOCKETS["an unknown socket path is refused"]
    assert case.refused and framework in case.frameworks
    demo(page, framework).locator(".live-demo__socket-case").select_option(label=case.name)
    where = demo(page, framework).locator(".live-demo__socket-where").text_content()
    assert where == {"fastapi": "WebSocket /nope", "flask": "Socket.IO namespace /nope"}[framework]
    assert send(page, framework) == [f"Connection refused: {note}"]


def test_stopping_a_send_leaves_focus_on_send(page: Any) -> None:
    """Stop disables itself when pressed; focus must go back to Send, not drop to <body>.
    Last in this module: it edits the shared page's code, and Reset puts the snippet back."""
    box = demo(page, "fastapi")
    box.get_by_role("button", name="Edit", exact=True).click()
    box.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(
        "from fastapi import FastAPI, WebSocket\n\napp = FastAPI()\n\n\n"
        "@app.websocket('/ws')\nasync def spin(websocket: WebSocket):\n"
        "    while True:\n        pass\n"
    )
    case = SOCKETS["bad messages get an error and the connection stays open"]  # on /ws
    box.locator(".live-demo__socket-case").select_option(label=case.name)
    box.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_function(
        "el => el.textContent.startsWith('Running')",
        arg=box.locator(".live-demo__progress").element_handle(), timeout=SEND_TIMEOUT_MS,
    )  # fmt: skip
    box.get_by_role("button", name="Stop", exact=True).click()
    assert box.locator(".live-demo__frames").get_attribute("data-state") == "stopped"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Send"
    box.get_by_role("button", name="Reset", exact=True).click()
