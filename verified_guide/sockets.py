"""A socket case, judged one way everywhere: what each framework must answer, frame by frame.

A socket case (``sockets:`` in ``snippets/<topic>/cases.yaml``) is a conversation on one
connection. Every place that holds one produces the same record, a *conversation*
``{"accepted": bool, "frames": [{"event": str | None, "text": str}, ...], "note": str}``:

- the in-process test clients (``tests/support/sockets.py``),
- a real WebSocket client against a demo server (``websocket_conversation`` here),
- the browser runner (``verified_guide/live/runner.py``, ``run_socket``), which also builds the
frames
  each framework is sent (``socket_frames``), so every sender sends the same ones,

and ``mismatches`` compares it with the case (``conversations_differ`` also with CPython's, for
the parity test). A Socket.IO frame's ``text`` is its event's
argument as JSON; a WebSocket frame's is the frame itself.
"""

from __future__ import annotations

import json
from typing import Any

from verified_guide.live.runner import socket_frames
from verified_guide.topics import SocketCase

Conversation = dict[str, Any]

__all__ = ["Conversation", "conversations_differ", "expected_frames", "mismatches", "socket_frames"]


def speaks_socketio(case: SocketCase, framework: str) -> bool:
    return framework in (case.socketio or {}).get("frameworks", [])


def expected_frames(case: SocketCase, framework: str) -> list[dict[str, Any]]:
    """The frame each message must be answered with, for one framework: ``{"event", "json"}``
    or ``{"event", "text"}``; the event is None for a plain WebSocket."""
    sent = socket_frames(case.as_data(), framework)
    frames = []
    for message, frame in zip(case.messages, sent, strict=True):
        receive = dict(message["receive"])
        event = receive.pop("event", None) or frame.get("event")
        frames.append({**receive, "event": event if speaks_socketio(case, framework) else None})
    return frames


def _frame_problem(index: int, want: dict[str, Any], got: dict[str, Any], socketio: bool) -> str:
    """How one received frame differs from the expected one ('' when it matches)."""
    where = f"frame {index + 1}"
    if got.get("event") != want["event"]:
        return f"{where}: event {got.get('event')!r}, expected {want['event']!r}"
    text = got["text"]
    if "json" in want or socketio:
        try:
            value = json.loads(text)
        except ValueError:
            return f"{where}: {text!r} is not JSON"
        expected = want["json"] if "json" in want else want["text"]
        return "" if value == expected else f"{where}: {value!r}, expected {expected!r}"
    return "" if text == want["text"] else f"{where}: {text!r}, expected {want['text']!r}"


def mismatches(case: SocketCase, framework: str, observed: Conversation) -> list[str]:
    """Every way a conversation differs from what ``case`` expects of ``framework``."""
    if not observed["accepted"]:
        return [f"the connection to {case.path} was refused: {observed.get('note', '')}"]
    wanted = expected_frames(case, framework)
    got = observed["frames"]
    socketio = speaks_socketio(case, framework)
    problems = [
        problem
        for index, (want, frame) in enumerate(zip(wanted, got, strict=False))
        if (problem := _frame_problem(index, want, frame, socketio))
    ]
    if len(got) != len(wanted):
        problems.append(f"{len(got)} frames received, expected {len(wanted)}")
    if observed.get("note"):
        problems.append(observed["note"])
    return problems


def conversations_differ(
    case: SocketCase, framework: str, cpython: Conversation, pyodide: Conversation
) -> list[str]:
    """The parity test's comparison: the browser must hold the very conversation CPython held
    (no random values in a frame here), and it must meet the case."""
    problems = mismatches(case, framework, pyodide)
    if pyodide != cpython:
        problems.append(f"CPython held {cpython!r}, Pyodide {pyodide!r}")
    return problems


def websocket_conversation(url: str, origin: str, case: SocketCase, framework: str) -> Conversation:
    """The case's conversation over a real WebSocket connection (the ``websockets`` client)."""
    from websockets.exceptions import ConnectionClosed, InvalidStatus
    from websockets.sync.client import connect

    from verified_guide.live.runner import REPLY_SECONDS

    frames: list[dict[str, Any]] = []
    try:
        with connect(url, origin=origin, open_timeout=REPLY_SECONDS) as ws:  # type: ignore[arg-type]
            for frame in socket_frames(case.as_data(), framework):
                ws.send(frame["text"])
                answer = ws.recv(timeout=REPLY_SECONDS)
                text = answer if isinstance(answer, str) else answer.decode(errors="replace")
                frames.append({"event": None, "text": text})
    except InvalidStatus as exc:
        note = f"the handshake was answered {exc.response.status_code}"
        return {"accepted": False, "frames": [], "note": note}
    except (TimeoutError, ConnectionClosed) as exc:
        return {"accepted": True, "frames": frames, "note": f"after {len(frames)} frames: {exc!r}"}
    return {"accepted": True, "frames": frames, "note": ""}
