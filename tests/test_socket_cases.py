"""Every socket case of every topic, against every framework's snippet, in-process.

The conversations live under ``sockets:`` in ``snippets/<topic>/cases.yaml``; each goes through
the framework's own socket test client (tests/support/sockets.py) and is judged by
verified_guide/sockets.py, as the demo servers' and the browser's conversations are. The version
matrix runs it on each release line beside tests/test_cases.py (``GUIDE_CASE_FRAMEWORKS``).
"""

from __future__ import annotations

import json

import pytest

from tests.support.sockets import converse
from tests.test_cases import ONLY
from verified_guide.sockets import conversations_differ, endpoint, mismatches, namespace
from verified_guide.topics import SocketCase, Topic, all_topics, get_topic


def _params() -> list:
    params = []
    for topic in all_topics():
        for case in topic.sockets:
            for framework in case.frameworks:
                if ONLY and framework not in ONLY:
                    continue
                claims = topic.meta.claims.get(framework)
                marks = [pytest.mark.claim(*claims)] if claims else []
                name = f"{topic.slug}/{framework}/{case.name}"
                params.append(pytest.param(topic, framework, case, id=name, marks=marks))
    return params


@pytest.mark.parametrize(("topic", "framework", "case"), _params())
def test_socket_case(topic: Topic, framework: str, case: SocketCase) -> None:
    problems = mismatches(case, framework, converse(topic, framework, case))
    snippet = topic.snippet_path(framework).relative_to(topic.folder.parent.parent)
    assert not problems, f"{snippet} fails socket case {case.name!r}:\n  " + "\n  ".join(problems)


def test_a_conversation_is_judged_frame_by_frame_and_against_cpython() -> None:
    """The comparison every sender and the parity test use: event, JSON value, frame count,
    a refused handshake (unexpected, or what a case asks for), and (parity) the browser's
    conversation against CPython's."""
    sockets = {case.name: case for case in get_topic("websockets").sockets}
    case = sockets["bad messages get an error and the connection stays open"]
    error = '{"error": "expected {\\"message\\": ...}"}'
    frames = [{"event": "error", "text": error}] * 3 + [
        {"event": "echo", "text": '{"echo": "still here"}'}
    ]
    held = {"accepted": True, "frames": frames, "note": ""}
    assert mismatches(case, "flask", held) == []
    assert mismatches(case, "flask", {**held, "frames": frames[:3]}) == [
        "3 frames received, expected 4"
    ]
    wrong_event = [{**frames[0], "event": "echo"}, *frames[1:]]
    assert mismatches(case, "flask", {**held, "frames": wrong_event}) == [
        "frame 1: event 'echo', expected 'error'"
    ]
    plain = [{"event": None, "text": f["text"]} for f in frames]
    assert mismatches(case, "fastapi", {**held, "frames": plain}) == []
    assert mismatches(case, "fastapi", {**held, "frames": frames})[0].startswith("frame 1: event")
    refused = {"accepted": False, "frames": [], "note": "the handshake was refused"}
    assert mismatches(case, "fastapi", refused)[0].startswith("the connection to /ws was refused")
    compact = [
        {**f, "text": json.dumps(json.loads(f["text"]), separators=(",", ":"))} for f in plain
    ]
    rewritten = {**held, "frames": compact}
    assert mismatches(case, "fastapi", rewritten) == []  # the same JSON, written another way
    assert conversations_differ(
        case, "fastapi", held | {"frames": plain}, rewritten
    )  # not CPython's
    assert not conversations_differ(case, "fastapi", rewritten, rewritten)
    unknown = sockets["an unknown socket path is refused"]
    assert mismatches(unknown, "django", refused) == []
    assert mismatches(unknown, "django", held) == [
        "the connection to /nope was accepted; it must be refused"
    ]


def test_only_a_socketio_case_has_a_namespace_and_its_default_is_the_schemas() -> None:
    cases = {c.name: c for c in get_topic("websockets").sockets}
    refused = cases["an unknown socket path is refused"]
    assert namespace(refused) == "/nope" and endpoint(refused, "flask") == "namespace /nope"
    assert endpoint(refused, "fastapi") == "/nope"
    echo = next(c for c in cases.values() if c.socketio and not c.refused)
    assert namespace(echo) == "/"  # not named in cases.yaml: SocketIOSpec's default
    plain = SocketCase(**{**vars(echo), "socketio": None})
    with pytest.raises(ValueError, match=r"speaks no Socket\.IO"):
        namespace(plain)
