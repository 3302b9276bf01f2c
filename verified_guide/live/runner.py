"""Send one request to one snippet through its framework's own request machinery.

The same file runs in the reader's browser (Pyodide, inside the live-demo Web Worker, where it is
imported as `live_runner`) and in CPython (the parity test), so both answer through the same code.
It is async-first, so it needs no JavaScript Promise Integration (JSPI, which Safari and older
Firefox lack): the worker awaits `run_job` on Pyodide's event loop, and nothing here blocks on
async code. Pyodide has no threads either, which shapes each adapter:

- FastAPI: the ASGI app is awaited directly (no TestClient, whose portal is a thread), and
  anyio's thread offloading, used for `def` endpoints and dependencies, runs inline.
- Django: the demo project's settings on in-memory SQLite, migrations applied; requests go
  through `AsyncClient` with the snippet as ROOT_URLCONF. asgiref's SyncToAsync (sync views and
  middleware) calls inline instead of in a thread; async-unsafe access is allowed, because the
  ORM then runs inside the event loop on the worker's only thread.
- Flask: the app's own (synchronous) test client. An `async def` view, which Flask would hand to
  asgiref's AsyncToSync, runs to completion on a private event loop of its own instead
  (`run_on_private_loop`), so it needs no stack switching either.

The packages a snippet needs are loaded by the worker before anything runs (the build computes
each snippet's set, verified_guide/live/packages.py); nothing is fetched on import.

A case's request is built by the case module (verified_guide/cases.py, shipped beside this file as
`live_cases`), as every other sender builds it, so the browser sends the tests' bytes.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import linecache
import os
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Awaitable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import dropwhile
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite3

IN_BROWSER = sys.platform == "emscripten"
if IN_BROWSER:  # the case module, shipped beside this one (verified_guide/live/mkdocs_hook.py)
    from live_cases import request_parts
else:
    from verified_guide.cases import request_parts

Response = dict[str, Any]


def load_snippet(topic: str, framework: str, source: str | None = None) -> ModuleType:
    """Import snippets.<topic>.<framework> afresh, from `source` when the reader edited it.

    The topic's modules are dropped first, so every run starts from a clean module state.
    Edited source is registered with linecache so tracebacks quote the edited lines.
    """
    package = f"snippets.{topic}"
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        del sys.modules[name]
    name = f"{package}.{framework}"
    # Re-importing a topic's Django models re-registers them; expected here, so not a warning.
    warnings.filterwarnings("ignore", "Model '.*' was already registered", RuntimeWarning)
    if source is None:
        return importlib.import_module(name)
    importlib.import_module(package)
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ModuleNotFoundError(name)
    module = importlib.util.module_from_spec(spec)
    filename = f"snippets/{topic}/{framework}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    sys.modules[name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


# --- No threads, no blocking ------------------------------------------------------------------


# time.sleep itself, blocking the thread. Where the browser has JSPI, Pyodide replaces time.sleep
# with one that awaits asyncio.sleep on "the" event loop through stack switching (the original is
# kept as its __wrapped__). Called while the private loop below runs, that asyncio.sleep lands on
# the private loop, which is blocked in that very call: the request never answered (Chromium).
_blocking_sleep = getattr(time.sleep, "__wrapped__", time.sleep)


class _Sleeper:
    """The selector of a loop with no sockets to watch: waiting is sleeping until the next timer."""

    def select(self, timeout: float | None = None) -> list:
        if timeout is None:
            raise RuntimeError("the coroutine waits for something that can never happen here")
        if timeout > 0:
            _blocking_sleep(timeout)
        return []

    def close(self) -> None:
        """Nothing to release."""


class PrivateLoop(asyncio.BaseEventLoop):
    """An event loop with timers and tasks but no I/O, so it needs neither a self-pipe (a socket
    pair, which Pyodide lacks) nor threads: enough for a view that awaits sleeps and gathers."""

    def __init__(self) -> None:
        super().__init__()
        self._selector = _Sleeper()

    def _process_events(self, event_list: list) -> None:
        """No I/O events: only timers and ready callbacks drive this loop."""

    def _write_to_self(self) -> None:
        """Only this thread runs the loop, so nothing ever needs to wake it."""


def run_on_private_loop(awaitable: Awaitable[Any]) -> Any:
    """Run async code to completion from sync code that is itself called from a running loop.

    Pyodide's own loop cannot be re-entered without JSPI, and asyncio refuses to nest loops, so
    this runs the coroutine on a private loop, with the outer loop set aside while it runs
    (nothing else runs meanwhile: the worker handles one request at a time).
    """
    outer = asyncio.events._get_running_loop()
    outer_task = asyncio.current_task(outer) if outer else None
    if outer_task:  # asyncio allows one running task per thread: set the outer one aside too
        asyncio.tasks._leave_task(outer, outer_task)
    asyncio.events._set_running_loop(None)
    loop = PrivateLoop()
    stack_switching_sleep, time.sleep = time.sleep, _blocking_sleep  # the reader's, too
    try:
        return loop.run_until_complete(awaitable)
    finally:
        time.sleep = stack_switching_sleep
        loop.close()
        asyncio.events._set_running_loop(outer)
        if outer_task:
            asyncio.tasks._enter_task(outer, outer_task)


def _submit_inline(self: ThreadPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
    """``ThreadPoolExecutor.submit`` without a thread: the task runs now, its future is done."""
    future: Future = Future()
    try:
        future.set_result(fn(*args, **kwargs))
    except BaseException as exc:  # the future carries it, as a pool's would
        future.set_exception(exc)
    return future


def _no_threads(adapter: str) -> None:
    """Pyodide cannot start threads, nor block on its own event loop: run the framework's thread
    offloading inline (anyio's for FastAPI; asgiref's, which Django uses, otherwise) and its
    async-from-sync calls on a private loop. Applied in CPython too, so both run the same path.

    A ``threading.Timer`` is not started at all: the one the snippets meet only tidies up
    (the limits library's in-memory storage expires old counters with it, and checks expiry
    on every read anyway), and starting it raises in Pyodide. A ``ThreadPoolExecutor`` runs
    each task inline when it is submitted: the one the snippets meet is OpenTelemetry's, which
    runs its resource detectors in a pool (with a timeout) when a TracerProvider is made."""
    threading.Timer.start = lambda self: None  # type: ignore[method-assign]
    ThreadPoolExecutor.submit = _submit_inline  # type: ignore[method-assign]
    if adapter == "asgi":
        import anyio.to_thread

        async def run_sync(func, *args, abandon_on_cancel=False, cancellable=None, limiter=None):
            return func(*args)

        anyio.to_thread.run_sync = run_sync
        return
    if adapter == "flask":
        from flask import Flask

        Flask.async_to_sync = lambda self, func: lambda *a, **k: run_on_private_loop(func(*a, **k))
        return
    if adapter != "django":
        raise ValueError(f"no thread patches for the {adapter!r} adapter")
    from asgiref.sync import AsyncToSync, SyncToAsync

    async def sync_to_async_inline(self, *args, **kwargs):
        return self.func(*args, **kwargs)

    def async_to_sync_private_loop(self, *args, **kwargs):
        return run_on_private_loop(self.awaitable(*args, **kwargs))

    SyncToAsync.__call__ = sync_to_async_inline
    AsyncToSync.__call__ = async_to_sync_private_loop


# --- FastAPI -------------------------------------------------------------------------------


async def call_asgi(app: Any, requests: list[dict[str, Any]]) -> Response:
    """Send requests in turn to an ASGI app, inside one lifespan (startup, then shutdown)."""
    lifespan = _Lifespan(app)
    await lifespan.send("startup")
    for request in requests:
        response = await _asgi_request(app, request)
    await lifespan.send("shutdown")
    return response


async def _asgi_request(app: Any, request: dict[str, Any]) -> Response:
    """One HTTP request as an ASGI server would deliver it, the response collected."""
    body, headers = request_parts(request)
    path, _, query = request["path"].partition("?")
    raw_headers = [(b"content-length", str(len(body)).encode())]
    raw_headers += [(k.lower().encode(), str(v).encode()) for k, v in headers.items()]
    if not any(name == b"host" for name, _ in raw_headers):  # a case may name its own Host
        raw_headers.insert(0, (b"host", b"localhost"))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": request.get("method", "GET").upper(), "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(),
        "root_path": "", "headers": raw_headers,
        "client": ("127.0.0.1", 50000), "server": ("localhost", 80),
    }  # fmt: skip
    sent = {"status": 0, "headers": [], "body": b""}
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        if chunks:
            return chunks.pop()
        await asyncio.Event().wait()  # the client never disconnects while the app responds
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = [(k.decode(), v.decode()) for k, v in message.get("headers", [])]
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return _response(sent["status"], sent["headers"], sent["body"])


class _Lifespan:
    """The ASGI lifespan protocol, so apps with startup code (e.g. table creation) work."""

    def __init__(self, app: Any) -> None:
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.outbox: asyncio.Queue = asyncio.Queue()
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self.task = asyncio.ensure_future(app(scope, self.inbox.get, self.outbox.put))

    async def send(self, event: str) -> None:
        await self.inbox.put({"type": f"lifespan.{event}"})
        getter = asyncio.ensure_future(self.outbox.get())
        done, _ = await asyncio.wait({getter, self.task}, return_when=asyncio.FIRST_COMPLETED)
        if getter not in done:
            getter.cancel()
            return  # the app does not speak lifespan: fine, nothing to start
        message = getter.result()
        if message["type"].endswith(".failed"):
            raise RuntimeError(f"lifespan {event} failed: {message.get('message', '')}")


# --- Django --------------------------------------------------------------------------------


DEMO_SETTINGS = "demo_apps.django_app.config.settings"
MEMORY_DB = "file:live-guide?mode=memory&cache=shared"
#: The demo project's database, migrated at build time (verified_guide/live/django_database.py),
#: beside
#: this module in the browser: loading it takes milliseconds where migrating took seconds (and the
#: benchmark rows' migration needs SQLAlchemy, 2 MB of a Django tab's download).
DATABASE_IMAGE = "live_django.sqlite3"
_keep_alive: list[sqlite3.Connection] = []


def _setup_django() -> None:
    """Configure Django once per runtime: the demo project's settings, on in-memory SQLite.

    The demo project (demo_apps/django_app, shipped beside the snippets) owns the "guide" app
    whose migrations create the snippets' tables, so the browser gets the same schema: in the
    browser from the database those migrations made at build time, elsewhere (the parity test's
    CPython side, the build itself) by migrating.
    """
    import sqlite3

    from django.conf import settings

    if settings.configured:
        return
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    with _timed("settings configured (demo settings, password hasher)"):
        demo = importlib.import_module(DEMO_SETTINGS)
        values = {name: getattr(demo, name) for name in dir(demo) if name.isupper()}
        # Shared-cache memory: Django keys connections by context, and every worker call may
        # run in a new one; a plain ":memory:" database would be a new, empty one each time.
        # The database lives while one connection is open, so this module keeps one open.
        values["DATABASES"] = {
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": MEMORY_DB}
        }
        _keep_alive.append(sqlite3.connect(MEMORY_DB, uri=True))
        if IN_BROWSER:
            import live_hashing

            values["PASSWORD_HASHERS"] = [live_hashing.django_hasher()]
        settings.configure(**values)
    with _timed("django.setup() (installed apps imported)"):
        django.setup()
    image = Path(__file__).with_name(DATABASE_IMAGE)
    if IN_BROWSER and image.is_file():
        with _timed("migrated database loaded"):
            load_database(image.read_bytes(), _keep_alive[0])
        return
    from django.core.management import call_command

    with _timed("migrations applied"):
        call_command("migrate", verbosity=0)


def load_database(image: bytes, target: sqlite3.Connection) -> None:
    """Copy a serialized SQLite database into ``target``'s (the shared in-memory one)."""
    import sqlite3

    source = sqlite3.connect(":memory:")
    try:
        source.deserialize(image)
        source.backup(target)
    finally:
        source.close()


def migrated_database() -> bytes:
    """The demo project's database after its migrations, serialized (for the build)."""
    prepare("django")
    return _keep_alive[0].serialize()


async def run_django(module_name: str, requests: list[dict[str, Any]]) -> Response:
    """Call the snippet through django.test.AsyncClient with the snippet as ROOT_URLCONF."""
    from django.conf import settings
    from django.test import AsyncClient
    from django.urls import clear_url_caches, set_urlconf

    settings.ROOT_URLCONF = module_name
    clear_url_caches()
    set_urlconf(None)
    client = AsyncClient(enforce_csrf_checks=True)  # as tests/support/clients.py: CSRF enforced
    for request in requests:
        body, headers = request_parts(request)
        content_type = headers.pop("Content-Type", "application/octet-stream")
        response = await client.generic(
            request.get("method", "GET").upper(), request["path"], data=body,
            content_type=content_type, headers=headers,
        )  # fmt: skip
    return _response(response.status_code, list(response.items()), await _django_body(response))


async def _django_body(response: Any) -> bytes:
    """The body, streamed ones included (a StreamingHttpResponse has no ``content``)."""
    if not response.streaming:
        return response.content
    if response.is_async:
        return b"".join([chunk async for chunk in response.streaming_content])
    return b"".join(response.streaming_content)


def _forget_admin(package: str) -> None:
    """Unregister the admin classes a previous import of the topic registered, so that
    re-importing it (every run does) does not raise AlreadyRegistered."""
    from django.contrib import admin

    for model, model_admin in list(admin.site._registry.items()):
        if type(model_admin).__module__.startswith(package) or model.__module__.startswith(package):
            admin.site.unregister(model)


# --- Flask ---------------------------------------------------------------------------------


def run_flask(module: ModuleType, requests: list[dict[str, Any]]) -> Response:
    client = module.app.test_client()
    for request in requests:
        body, headers = request_parts(request)
        response = client.open(
            request["path"],
            method=request.get("method", "GET").upper(),
            data=body,
            headers=headers,
        )
    return _response(response.status_code, list(response.headers.items()), response.get_data())


# --- Sockets -------------------------------------------------------------------------------
# A socket case (``sockets:`` in cases.yaml) is a conversation on one connection: each frame
# sent, then the one frame that answers it. FastAPI's app and Django's Channels routing are
# ASGI applications, driven here with a websocket scope as a server would; Flask-SocketIO's
# snippet goes through its own test client. The answer is what came back, frame by frame
# ({"event", "text"}); verified_guide/sockets.py judges it against the case.

#: How long a sent frame may wait for its answer before the conversation ends unanswered.
REPLY_SECONDS = 5.0


def socket_frames(socket: dict[str, Any], framework: str) -> list[dict[str, Any]]:
    """What the client sends, for one framework: ``{"text"}`` frames for a plain WebSocket,
    ``{"event", "arg"}`` emits for a snippet that speaks Socket.IO (``socketio`` in the case)."""
    socketio = socket.get("socketio") or {}
    frames = []
    for message in socket["messages"]:
        send = message["send"]
        value = send["json"] if "json" in send else send["text"]
        if framework in socketio.get("frameworks", []):
            frames.append({"event": send.get("event") or socketio["event"], "arg": value})
        else:
            frames.append({"text": send["text"] if "text" in send else json.dumps(value)})
    return frames


def _conversation(accepted: bool, frames: list[dict[str, Any]], note: str = "") -> Response:
    return {"accepted": accepted, "frames": frames, "note": note}


async def _next_sent(outbox: asyncio.Queue, task: asyncio.Future) -> dict[str, Any] | None:
    """The app's next ASGI message, or None when it sends none within ``REPLY_SECONDS``
    (an app that ended instead re-raises its exception here)."""
    getter = asyncio.ensure_future(outbox.get())
    done, _ = await asyncio.wait({getter, task}, timeout=REPLY_SECONDS,
                                 return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
    if getter in done:
        return getter.result()
    getter.cancel()
    if task in done:
        task.result()  # raises what ended the app
        return {"type": "websocket.close", "code": 1000}
    return None


async def asgi_socket(
    app: Any, path: str, frames: list[dict[str, Any]], lifespan: bool = True
) -> Response:
    """A WebSocket conversation with an ASGI app, inside its lifespan unless told otherwise
    (Channels' router speaks none): connect, then each text frame and the frame it is
    answered with, then a normal close."""
    events = _Lifespan(app) if lifespan else None
    if events:
        await events.send("startup")
    scope = {
        "type": "websocket", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "ws",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"localhost"), (b"origin", b"http://localhost")],
        "client": ("127.0.0.1", 50000), "server": ("localhost", 80), "subprotocols": [],
    }  # fmt: skip
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.ensure_future(app(scope, inbox.get, outbox.put))
    await inbox.put({"type": "websocket.connect"})
    received: list[dict[str, Any]] = []
    first = await _next_sent(outbox, task)
    accepted = first is not None and first["type"] == "websocket.accept"
    note = "" if accepted else "the handshake was refused"
    for frame in frames if accepted else []:
        await inbox.put({"type": "websocket.receive", "text": frame["text"]})
        answer = await _next_sent(outbox, task)
        if answer is None:
            note = f"no answer to frame {len(received) + 1} within {REPLY_SECONDS:g} s"
            break
        if answer["type"] != "websocket.send":
            note = f"the server closed the connection (code {answer.get('code', 1000)})"
            break
        text = answer.get("text")
        if text is None:
            text = answer.get("bytes", b"").decode("utf-8", errors="replace")
        received.append({"event": None, "text": text})
    await inbox.put({"type": "websocket.disconnect", "code": 1000})
    try:
        await asyncio.wait_for(task, REPLY_SECONDS)
    except TimeoutError:
        task.cancel()
    if events:
        await events.send("shutdown")
    return _conversation(accepted, received, note)


def socketio_conversation(
    module: ModuleType, frames: list[dict[str, Any]], namespace: str
) -> Response:
    """A Socket.IO conversation in ``namespace`` through Flask-SocketIO's test client: each
    emit, then the events it was answered with (the module's ``socketio`` serves its ``app``)."""
    server = getattr(module, "socketio", None)
    if server is None:
        raise AttributeError(f"{module.__name__} has no `socketio` (a flask_socketio.SocketIO)")
    client = server.test_client(module.app, namespace=namespace)
    if not client.is_connected(namespace):
        return _conversation(False, [], f"the connection to namespace {namespace} was refused")
    received: list[dict[str, Any]] = []
    note = ""
    for frame in frames:
        client.emit(frame["event"], frame["arg"], namespace=namespace)
        answers = client.get_received(namespace)
        if not answers:
            note = f"no answer to frame {len(received) + 1}"
            break
        for answer in answers:
            args = answer["args"]
            value = args[0] if isinstance(args, list) and len(args) == 1 else args
            received.append({"event": answer["name"], "text": json.dumps(value)})
    client.disconnect(namespace)
    return _conversation(True, received, note)


async def run_socket(
    topic: str, framework: str, socket: dict[str, Any], source: str | None = None
) -> Response:
    """The snippet's side of a socket conversation: {"accepted", "frames", "note"}."""
    prepare(framework)
    frames = socket_frames(socket, framework)
    adapter = adapter_of(framework)
    if adapter == "django":
        _forget_admin(f"snippets.{topic}")
    module = load_snippet(topic, framework, source)
    socketio = socket.get("socketio") or {}
    if framework in socketio.get("frameworks", []):
        return socketio_conversation(module, frames, socketio["namespace"])
    if adapter == "flask":
        raise ValueError(
            "a Flask snippet's socket is driven through Flask-SocketIO only: "
            "name the framework in the case's `socketio`"
        )
    if adapter == "django":  # routed as the demo project routes it: an unknown path is refused
        from demo_apps.django_app.config.socket_routing import refusing_router

        router = refusing_router(module.websocket_urlpatterns)
        return await asgi_socket(router, socket["path"], frames, lifespan=False)
    return await asgi_socket(module.app, socket["path"], frames)


# --- Entry points --------------------------------------------------------------------------


def _registry() -> dict[str, dict[str, str]]:
    """Each framework's adapter and title (verified_guide/frameworks.yaml): in the browser from the
    JSON the site build puts beside this module, in CPython from the registry itself."""
    beside = Path(__file__).with_name("live_frameworks.json")
    if IN_BROWSER:
        return json.loads(beside.read_text(encoding="utf-8"))
    from verified_guide.frameworks import REGISTRY

    return REGISTRY.browser_data()


FRAMEWORKS = _registry()


def adapter_of(framework: str) -> str:
    """The adapter that sends a framework's snippet its requests, naming the known ones if none."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r} (known: {', '.join(FRAMEWORKS)})")
    return FRAMEWORKS[framework]["adapter"]


def _response(status: int, headers: list[tuple[str, str]], body: bytes) -> Response:
    return {
        "status": status,
        "headers": [[k, v] for k, v in headers],
        "body": body.decode("utf-8", errors="replace"),
    }


def _supply_secrets() -> None:
    """The snippets refuse to start without their secrets; the browser is a sandbox, not a
    deployment, so each runtime gets fresh random ones (never a constant from the repository)."""
    if IN_BROWSER:
        import live_secrets as secret_env
    else:
        from verified_guide import secret_env
    for name, value in secret_env.throwaway_secrets().items():
        os.environ.setdefault(name, value)


_prepared: set[str] = set()
#: Seconds each step of preparing a framework took in this runtime, in order: the worker adds
#: them to its timings, so a slow cold start shows which import or setup step it was.
SETUP_SECONDS: dict[str, float] = {}


@contextmanager
def _timed(step: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        SETUP_SECONDS[step] = round(time.perf_counter() - started, 3)


def _defer_model_builds() -> None:
    """Build each Pydantic model's validator on its first use, not when its class is defined.

    Importing FastAPI defines its OpenAPI models, which a demo uses only if it serves the
    schema: building them was 0.18 s of the 1.2 s ``import fastapi`` in Pyodide 314 (median of
    5 runs under Node), and a cold Run waits for that import. The validators built later are
    the same ones (the parity test compares these answers with CPython's, where nothing is
    deferred). Pydantic has no public switch for every model, so this sets its default.
    """
    if importlib.util.find_spec("pydantic") is None:
        return
    with _timed("import pydantic (model builds deferred)"):
        from pydantic._internal import _config

    _config.config_defaults["defer_build"] = True


def prepare(framework: str) -> None:
    """Everything a framework needs before the reader's code runs (Django: settings and
    migrations, secrets), apart, so that the worker's time limit counts only the reader's code."""
    _supply_secrets()
    if framework not in _prepared:
        adapter = adapter_of(framework)
        if IN_BROWSER:
            _defer_model_builds()
        with _timed(f"import {framework}"):  # the slow part of a cold start, not the reader's
            importlib.import_module(framework)
        _no_threads(adapter)
        if adapter == "django":
            _setup_django()
        _prepared.add(framework)
    # After the import, whose time then counts werkzeug's once; on every run, because a later
    # snippet may bring a hashing library (pwdlib) along.
    if IN_BROWSER:
        import live_hashing

        live_hashing.install(framework)


async def run(
    topic: str,
    framework: str,
    request: dict[str, Any],
    source: str | None = None,
    before: list[dict[str, Any]] | None = None,
) -> Response:
    """The snippet's answer to `request` (after the case's `before` requests, on one client):
    status, headers (list of pairs) and body text."""
    prepare(framework)
    requests = [*(before or []), request]
    return await SENDERS[adapter_of(framework)](topic, framework, source, requests)


async def _send_asgi(topic: str, framework: str, source: str | None, requests: list) -> Response:
    return await call_asgi(load_snippet(topic, framework, source).app, requests)


async def _send_django(topic: str, framework: str, source: str | None, requests: list) -> Response:
    _forget_admin(f"snippets.{topic}")
    module = load_snippet(topic, framework, source)
    return await run_django(module.__name__, requests)


async def _send_flask(topic: str, framework: str, source: str | None, requests: list) -> Response:
    return run_flask(load_snippet(topic, framework, source), requests)


#: How each in-browser adapter (``browser:`` in verified_guide/frameworks.yaml) sends a snippet
#: requests.
SENDERS = {"asgi": _send_asgi, "django": _send_django, "flask": _send_flask}


def _reader_frames(exc: BaseException) -> str:
    """The traceback without the frames of this runner and of the import machinery that come
    before the reader's code: they only bury the line that matters (for a syntax error, the
    message alone quotes it)."""
    frames = traceback.extract_tb(exc.__traceback__)
    internal = lambda frame: frame.filename == __file__ or frame.filename.startswith("<frozen ")  # noqa: E731
    report = traceback.TracebackException.from_exception(exc)
    report.stack = traceback.StackSummary.from_list(list(dropwhile(internal, frames)))
    return "".join(report.format())


async def run_job(payload: str) -> str:
    """JSON in, JSON out, for the worker: {"response": ...} or {"error": "<traceback>"}; a
    payload with a ``socket`` holds a conversation instead of sending ``request``."""
    args = json.loads(payload)
    try:
        if args.get("socket"):  # a socket conversation (the websockets demo's Send)
            response = await run_socket(
                args["topic"], args["framework"], args["socket"], args.get("source")
            )
        else:
            response = await run(
                args["topic"], args["framework"], args["request"], args.get("source"),
                args.get("before"),
            )  # fmt: skip
    except BaseException as exc:  # the reader's code may raise anything, even SystemExit
        return json.dumps({"error": _reader_frames(exc)})
    return json.dumps({"response": response})
