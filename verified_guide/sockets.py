"""A socket case, judged one way everywhere: what each framework must answer, frame by frame.

A socket case (``sockets:`` in ``snippets/<topic>/cases.yaml``) is a conversation on one
connection. Every place that holds one produces the same record, a *conversation*
``{"accepted": bool, "frames": [{"event": str | None, "text": str}, ...], "note": str}``:

- the in-process test clients (``tests/support/sockets.py``),
- a real WebSocket client against a demo server (``websocket_conversation`` here), or a real
  Socket.IO client for a snippet that speaks Socket.IO (``socketio_server_conversation``),
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

from verified_guide.frameworks import REGISTRY, DemoServer
from verified_guide.live.runner import socket_frames
from verified_guide.topics import SocketCase

Conversation = dict[str, Any]

__all__ = ["Conversation", "conversations_differ", "expected_frames", "mismatches", "socket_frames"]


def speaks_socketio(case: SocketCase, framework: str) -> bool:
    return framework in (case.socketio or {}).get("frameworks", [])


def namespace(case: SocketCase) -> str:
    """The Socket.IO namespace a client joins for ``case`` (its ``socketio.namespace``, whose
    default the schema holds); a case that speaks no Socket.IO has none."""
    if not case.socketio:
        raise ValueError(f"socket case {case.name!r} speaks no Socket.IO: it has no namespace")
    return case.socketio["namespace"]


def endpoint(case: SocketCase, framework: str) -> str:
    """What the framework's client connects to: the WebSocket path, or the Socket.IO namespace."""
    if speaks_socketio(case, framework):
        return f"namespace {namespace(case)}"
    return case.path


def held_on(demo: DemoServer, case: SocketCase) -> bool:
    """Whether the demo server holds the case's conversation over a real connection: a plain
    WebSocket one on an ASGI server, a Socket.IO one on the framework's socket server
    (``socket_server`` in verified_guide/frameworks.yaml; a WSGI worker that serves one connection
    at a time cannot keep a socket open beside the others)."""
    framework = demo.framework.id
    if framework not in case.frameworks:
        return False
    if speaks_socketio(case, framework):
        return demo in REGISTRY.socket_servers
    return demo.spec.interface == "asgi"


def socket_demo_servers(case: SocketCase) -> list[DemoServer]:
    """Every demo server that holds the case's conversation, in registry order."""
    return [
        demo for demo in (*REGISTRY.demo_servers, *REGISTRY.socket_servers) if held_on(demo, case)
    ]


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
    where = endpoint(case, framework)
    if case.refused:
        if observed["accepted"]:
            return [f"the connection to {where} was accepted; it must be refused"]
        return []
    if not observed["accepted"]:
        return [f"the connection to {where} was refused: {observed.get('note', '')}"]
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


def socketio_server_conversation(
    base_url: str, mount: str, case: SocketCase, framework: str
) -> Conversation:
    """The case's conversation with a Socket.IO server (Flask-SocketIO in a demo app mounted at
    ``/<mount>``) through python-socketio's client, in the case's namespace, over the WebSocket
    transport only: each emit, then the one event that answers it. The Origin its WebSocket
    client sends is the server's own, as a page of the same site would send it (Flask-SocketIO
    refuses other origins by default)."""
    import socketio
    from socketio.exceptions import ConnectionError as RefusedError
    from socketio.exceptions import TimeoutError as NoAnswerError

    from verified_guide.live.runner import REPLY_SECONDS

    frames: list[dict[str, Any]] = []
    client = socketio.SimpleClient()
    try:
        client.connect(
            base_url,
            namespace=namespace(case),
            transports=["websocket"],
            socketio_path=f"/{mount}/socket.io",
            wait_timeout=REPLY_SECONDS,
        )
    except RefusedError as exc:
        return {"accepted": False, "frames": [], "note": f"the connection was refused: {exc}"}
    try:
        for frame in socket_frames(case.as_data(), framework):
            client.emit(frame["event"], frame["arg"])
            event, *args = client.receive(timeout=REPLY_SECONDS)
            value = args[0] if len(args) == 1 else args
            frames.append({"event": event, "text": json.dumps(value)})
    except NoAnswerError:
        note = f"no answer to frame {len(frames) + 1} within {REPLY_SECONDS:g} s"
        return {"accepted": True, "frames": frames, "note": note}
    finally:
        client.disconnect()
    return {"accepted": True, "frames": frames, "note": ""}
