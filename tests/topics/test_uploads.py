"""Uploads: where the bytes end up, which the cases (status and JSON) cannot see."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import uuid
from collections.abc import Iterator
from importlib.metadata import requires
from pathlib import Path

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import RequestFactory
from fastapi.testclient import TestClient
from werkzeug.test import EnvironBuilder

from snippets.uploads import fastapi as fastapi_snippet
from snippets.uploads import flask as flask_snippet
from snippets.uploads import storage
from snippets.uploads.django import SizeLimitHandler, TooLarge
from tests.support.asgi import http_scope
from tests.support.clients import RAW_SENDERS, SENDERS
from verified_guide.cases import request_parts
from verified_guide.datafiles import ROOT
from verified_guide.topics import get_topic

TEXT = "line one\nline two, é\n" * 50


def stored_files() -> set[Path]:
    return set(storage.upload_dir().iterdir())


def upload(framework: str, filename: str, content: str, content_type: str = "text/plain"):
    file = {"filename": filename, "content_type": content_type, "content": content}
    request = {"method": "POST", "path": "/files", "files": {"file": file}}
    return SENDERS[framework](get_topic("uploads"))(request)


@pytest.mark.parametrize("framework", ["fastapi", "flask", "django"])
def test_accepted_file_is_written_whole_under_the_configured_folder(
    framework: str, settings
) -> None:
    settings.ROOT_URLCONF = "snippets.uploads.django"
    # Content of this test's own: the folder is shared with the other xdist worker's uploads.
    content = f"{TEXT}{uuid.uuid4().hex}\n"
    before = stored_files()
    resp = upload(framework, "notes.txt", content)
    assert resp.status == 201, resp.text
    (new,) = [f for f in stored_files() - before if f.read_bytes() == content.encode()]
    assert hashlib.sha256(new.read_bytes()).hexdigest() in resp.text
    # A random name, under GUIDE_UPLOAD_DIR (the test session's folder): not the client's name,
    # never the source tree.
    assert new.name != "notes.txt" and new.suffix == ".txt"
    assert new.is_relative_to(os.environ["GUIDE_UPLOAD_DIR"])
    assert not new.resolve().is_relative_to(ROOT)


@pytest.mark.parametrize("framework", ["fastapi", "flask", "django"])
def test_a_refused_file_leaves_nothing_on_disk(framework: str, settings) -> None:
    settings.ROOT_URLCONF = "snippets.uploads.django"
    marker = uuid.uuid4().hex  # tells this test's files from the other xdist worker's
    before = stored_files()
    assert upload(framework, "setup.txt", f"text, then a NUL\0{marker}").status == 415
    renamed = upload(framework, "../notes.txt", f"x{marker}").status
    assert renamed in {201, 400}  # 201: Django's basename
    assert upload(framework, "big.txt", marker + "x" * storage.MAX_BYTES).status == 413
    ours = [f.read_bytes() for f in stored_files() - before if marker.encode() in f.read_bytes()]
    assert ours in ([], [f"x{marker}".encode()])  # at most Django's notes.txt


def _multipart(*parts: tuple[str, str | None, bytes]) -> tuple[bytes, bytes]:
    """A multipart body of (field, filename or None for a text field, content) parts."""
    body = b""
    for field, filename, content in parts:
        disposition = f'form-data; name="{field}"' + (
            f'; filename="{filename}"' if filename else ""
        )
        kind = b"Content-Type: text/plain\r\n" if filename else b""
        body += f"--B\r\nContent-Disposition: {disposition}\r\n".encode() + kind
        body += b"\r\n" + content + b"\r\n"
    return body + b"--B--\r\n", b"multipart/form-data; boundary=B"


@pytest.mark.parametrize("framework", ["fastapi", "flask", "django"])
@pytest.mark.parametrize(
    "parts",
    [
        [("file", "a.txt", b"AAA"), ("file", "b.txt", b"BBB")],
        [("file", "a.txt", b"AAA"), ("other", "b.txt", b"BBB")],
        [("file", "a.txt", b"AAA"), ("note", None, b"hello")],
    ],
    ids=["two files in the field", "a second file field", "a text field beside it"],
)
def test_one_file_in_the_field_named_file_and_nothing_else(
    framework: str, parts: list, settings
) -> None:
    """The page's rule, "one file in a field named file", held by all three: a second file
    (stored in its place by Flask, the first; by Django, the last) or a text field is a 400."""
    settings.ROOT_URLCONF = "snippets.uploads.django"
    body, content_type = _multipart(*parts)
    send = RAW_SENDERS[framework](get_topic("uploads"))
    before = stored_files()
    answer = send("POST", "/files", body, [("Content-Type", content_type)])
    assert answer.status == 400, (answer.status, answer.body)
    assert not [f for f in stored_files() - before if f.read_bytes() in {b"AAA", b"BBB"}]


def test_without_a_configured_folder_each_process_gets_a_private_one(monkeypatch) -> None:
    monkeypatch.delenv("GUIDE_UPLOAD_DIR")
    made = [storage.upload_dir.__wrapped__(), storage.upload_dir.__wrapped__()]
    try:
        folder = made[0]
        assert folder.parent == Path(tempfile.gettempdir())
        assert folder.stat().st_mode & 0o077 == 0, oct(folder.stat().st_mode)
        assert made[0] != made[1]  # an unguessable name, new for each process
    finally:
        for path in made:
            path.rmdir()


def test_django_limit_also_counts_a_body_longer_than_it_declared() -> None:
    """Content-Length is the client's word: the handler counts the bytes that really come."""
    handler = SizeLimitHandler(RequestFactory().post("/files"))
    assert isinstance(handler, FileUploadHandler)
    handler.handle_raw_input(None, {}, content_length=10, boundary=b"b")
    assert handler.receive_data_chunk(b"x" * 10, 0) == b"x" * 10
    with pytest.raises(TooLarge):
        handler.receive_data_chunk(b"x" * storage.MAX_BYTES, 10)


def test_django_limit_refuses_a_declared_oversize_body_before_reading_it() -> None:
    """A client that announces more than MAX_BYTES is refused at once: nothing is read, so a
    slow client cannot hold a worker while it sends a body that will be refused anyway."""
    handler = SizeLimitHandler(RequestFactory().post("/files"))

    class Unread(io.BytesIO):
        def read(self, size: int | None = -1) -> bytes:
            raise AssertionError("the body was read")

    with pytest.raises(TooLarge):
        handler.handle_raw_input(Unread(), {}, content_length=storage.MAX_BYTES + 1, boundary=b"b")


def test_a_rejection_carries_its_reason_as_the_exception_message() -> None:
    """``Rejected`` is an exception like any other: a log line or traceback that shows it
    (``str(exc)``) gives the reason the client got, not an empty message."""
    rejected = storage.Rejected(415, "only text files")
    assert (str(rejected), rejected.args, rejected.status) == (
        "only text files", ("only text files",), 415,
    )  # fmt: skip


def test_case_bodies_are_multipart_with_the_declared_type() -> None:
    body, headers = request_parts(
        {"files": {"file": {"filename": "a.txt", "content_type": "text/plain", "content": "hi"}}}
    )
    assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert b'filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhi\r\n' in body


def _chunks(data: bytes, size: int = 8192) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_fastapi_limit_holds_without_a_content_length() -> None:
    """The page: max_body_size answers 413 whether or not the client declared a length."""
    body, headers = request_parts(
        {"files": {"file": {"filename": "big.txt", "content_type": "text/plain",
                            "content": "x", "repeat": storage.MAX_BYTES + 1}}}
    )  # fmt: skip
    client = TestClient(fastapi_snippet.app)
    resp = client.post("/files", content=_chunks(body), headers=headers)  # chunked: no length
    assert resp.status_code == 413, resp.text


def test_flask_limit_holds_without_a_content_length() -> None:
    body, headers = request_parts(
        {"files": {"file": {"filename": "big.txt", "content_type": "text/plain",
                            "content": "x", "repeat": storage.MAX_BYTES + 1}}}
    )  # fmt: skip
    environ = EnvironBuilder(
        path="/files", method="POST", input_stream=io.BytesIO(body), headers=headers
    ).get_environ()
    del environ["CONTENT_LENGTH"]  # a chunked body: the server marks its end instead
    environ["wsgi.input_terminated"] = True
    resp = flask_snippet.app.test_client().open(environ)
    assert resp.status_code == 413, resp.get_data()


def test_django_data_limit_does_not_cap_files(settings) -> None:
    """The page: DATA_UPLOAD_MAX_MEMORY_SIZE leaves file data alone (hence the handler)."""
    settings.ROOT_URLCONF = "snippets.uploads.django"
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    resp = upload("django", "notes.txt", "x" * 10_000)
    assert resp.status == 201, resp.text


def test_fastapi_names_python_multipart_as_optional() -> None:
    """The page: FastAPI only names python-multipart as an optional dependency."""
    wanted = [r for r in requires("fastapi") or [] if r.startswith("python-multipart")]
    assert wanted and all("extra ==" in r for r in wanted), wanted


def test_django_default_handlers_keep_small_files_in_memory_and_spool_large_ones() -> None:
    """The page: Django's default chain is a memory handler, then a temp-file handler."""
    from django.conf import global_settings

    assert global_settings.FILE_UPLOAD_HANDLERS == [
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]


# --- Django under ASGI: the body limit in front of Django (django_asgi.py) -------------------

BIG = 20 * 1024 * 1024
CHUNK = 64 * 1024


def _asgi_upload(app, size: int, declared: bool) -> tuple[int, int]:
    """(status, bytes the app had taken from the client when it answered) for a POST of
    ``size`` bytes to /files, sent in chunks, with or without a Content-Length."""
    import asyncio

    sent, answered = 0, {}
    headers = [(b"content-type", b"multipart/form-data; boundary=x")]
    if declared:
        headers.append((b"content-length", str(size).encode()))
    scope = http_scope("POST", "/files", [(b"host", b"testserver"), *headers])

    async def receive() -> dict:
        nonlocal sent
        if sent >= size:
            await asyncio.sleep(3600)  # the client waits for the answer
        chunk = min(CHUNK, size - sent)
        sent += chunk
        return {"type": "http.request", "body": b"x" * chunk, "more_body": sent < size}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answered.setdefault("status", message["status"])
            answered.setdefault("read", sent)

    async def run() -> None:
        await asyncio.wait_for(app(scope, receive, send), timeout=30)

    asyncio.run(run())
    return answered["status"], answered["read"]


@pytest.fixture
def django_asgi(settings):
    from django.core.handlers.asgi import ASGIHandler

    from snippets.uploads.django_asgi import BodyLimit

    settings.ROOT_URLCONF = "snippets.uploads.django"
    return BodyLimit(ASGIHandler(), settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "chunked"])
def test_django_under_asgi_refuses_a_huge_body_without_reading_it(
    django_asgi, settings, declared: bool
) -> None:
    """review: under ASGI, Django read all 20 MiB into a temporary file before the view's
    upload handler could refuse it; the limit in front of it stops at the declared length, or
    at the limit when the client declares none."""
    status, read = _asgi_upload(django_asgi, BIG, declared)
    assert status == 413
    assert read <= (0 if declared else settings.DATA_UPLOAD_MAX_MEMORY_SIZE + CHUNK), read


def test_django_under_asgi_still_answers_a_body_within_the_limit(django_asgi) -> None:
    """Below the limit the body reaches Django, whose view then answers (a body that is not a
    valid form: 400), as without the middleware."""
    status, _ = _asgi_upload(django_asgi, 1000, declared=True)
    assert status == 400


@pytest.mark.parametrize(
    ("declared", "status"),
    [
        (b"-1", 400),
        # uvicorn's httptools parser passes a length of any number of digits: past 4,300,
        # int() raises, and that was a 500. Zeros first keep the value small.
        (b"0" * 5000 + b"11", 413),
        (b"9" * 5000, 413),
        (b"00000000011", 413),
    ],
)
def test_django_under_asgi_refuses_a_content_length_it_cannot_take(
    declared: bytes, status: int
) -> None:
    import asyncio

    from snippets.uploads.django_asgi import BodyLimit

    sent: list[dict] = []

    async def app(scope, receive, send):  # never reached
        raise AssertionError("the app saw the request")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": [(b"content-length", declared)]}
    asyncio.run(BodyLimit(app, 10)(scope, None, send))
    assert sent[0]["status"] == status


def test_django_under_asgi_passes_a_length_within_the_limit_with_zeros_first() -> None:
    import asyncio

    from snippets.uploads.django_asgi import BodyLimit

    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.append(scope)

    scope = {"type": "http", "headers": [(b"content-length", b"0" * 5000 + b"10")]}
    asyncio.run(BodyLimit(app, 10)(scope, None, None))
    assert seen == [scope]


def test_the_body_limit_needs_a_number_of_bytes() -> None:
    """review: with DATA_UPLOAD_MAX_MEMORY_SIZE = None (Django's "no limit"), every request
    compared a length with None: a 500 on every URL instead of a refusal to start."""
    from snippets.uploads.django_asgi import BodyLimit

    with pytest.raises(TypeError, match="BodyLimit needs a number of bytes, not None"):
        BodyLimit(lambda *_: None, None)  # type: ignore[arg-type]


def test_an_app_that_answered_before_the_body_passed_the_limit_keeps_its_answer() -> None:
    """review: a second response start would break the protocol; the app's answer stands and
    the app is told the client went away."""
    import asyncio

    from snippets.uploads.django_asgi import BodyLimit

    sent: list[dict] = []
    seen: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 202, "headers": []})
        seen.append(await receive())
        await send({"type": "http.response.body", "body": b"accepted"})

    async def receive() -> dict:
        return {"type": "http.request", "body": b"x" * 20, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "headers": []}
    asyncio.run(BodyLimit(app, 10)(scope, receive, send))
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [202]
    assert seen == [{"type": "http.disconnect"}] and sent[-1]["body"] == b"accepted"


def test_the_body_limit_passes_other_connections_through() -> None:
    """A lifespan or WebSocket connection has no body to limit: the app gets it unchanged."""
    import asyncio

    from snippets.uploads.django_asgi import BodyLimit

    seen: list[tuple] = []

    async def app(scope, receive, send):
        seen.append((scope, receive, send))

    scope, receive, send = {"type": "lifespan"}, object(), object()
    asyncio.run(BodyLimit(app, 10)(scope, receive, send))
    assert seen == [(scope, receive, send)]
