"""Streaming: what the cases cannot show, i.e. that the body really leaves in pieces.

A case compares the whole body; a framework that built it in memory and sent it at once would
pass too. These tests count the chunks each framework hands to the server (one per event or
CSV row), and pin the two framework behaviours the page warns about.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from django.test import RequestFactory
from flask import Flask, Response, current_app

from snippets.streaming import django as django_snippet
from snippets.streaming import fastapi as fastapi_snippet
from snippets.streaming import flask as flask_snippet
from tests.support.asgi import http_scope
from verified_guide.topics import ROOT

#: retry hint, three progress events, done; CSV header and three rows.
PROGRESS_CHUNKS, CSV_CHUNKS = 5, 4


async def asgi_body_chunks(app: Any, path: str, query: str = "") -> list[bytes]:
    """The non-empty body messages an ASGI app sends for one GET, in order."""
    scope = http_scope("GET", path, [(b"host", b"localhost")], query)
    requested = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            chunks.append(message["body"])

    await app(scope, receive, send)
    return chunks


def test_fastapi_sends_each_event_and_row_as_its_own_chunk() -> None:
    events = asyncio.run(asgi_body_chunks(fastapi_snippet.app, "/progress"))
    assert len(events) == PROGRESS_CHUNKS, events
    assert events[1].startswith(b"event: progress\n"), events
    rows = asyncio.run(asgi_body_chunks(fastapi_snippet.app, "/report.csv", "rows=3"))
    assert rows == [b"n,square\r\n", b"1,1\r\n", b"2,4\r\n", b"3,9\r\n"]


def test_django_streams_an_async_feed_under_asgi_and_a_sync_export_under_wsgi() -> None:
    factory = RequestFactory()
    feed = django_snippet.progress(factory.get("/progress"))
    assert feed.streaming and feed.is_async

    async def drain() -> list[bytes]:
        return [chunk async for chunk in feed]

    assert len(asyncio.run(drain())) == PROGRESS_CHUNKS
    export = django_snippet.report(factory.get("/report.csv"))
    assert export.streaming and not export.is_async
    assert len(list(export)) == CSV_CHUNKS


def test_django_drains_an_iterator_of_the_wrong_kind_first_and_warns() -> None:
    """The page: under WSGI Django collects an async iterator's whole output, under ASGI a
    sync one's, each time with a warning."""
    feed = django_snippet.progress(RequestFactory().get("/progress"))
    with pytest.warns(Warning, match="must consume asynchronous iterators"):
        chunks = list(feed)  # what a WSGI server does with the response
    assert len(chunks) == PROGRESS_CHUNKS
    export = django_snippet.report(RequestFactory().get("/report.csv"))

    async def drain() -> list[bytes]:  # what an ASGI server does with the response
        return [chunk async for chunk in export]

    with pytest.warns(Warning, match="must consume synchronous iterators"):
        assert len(asyncio.run(drain())) == CSV_CHUNKS


def test_flask_hands_the_generator_to_the_server_unbuffered() -> None:
    client = flask_snippet.app.test_client()
    feed = client.get("/progress", buffered=False)
    assert feed.is_streamed
    assert len(list(feed.response)) == PROGRESS_CHUNKS
    export = client.get("/report.csv", buffered=False)
    assert len(list(export.response)) == CSV_CHUNKS


def test_flask_generator_without_stream_with_context_loses_the_app() -> None:
    """The page: a generator that reads current_app needs stream_with_context."""
    app = Flask(__name__)

    @app.get("/")
    def feed() -> Response:
        def events():
            yield f"retry: {current_app.config['DEBUG']}\n\n"

        return Response(events(), mimetype="text/event-stream")

    with pytest.raises(RuntimeError, match="application context"):
        app.test_client().get("/").get_data()


def test_fastapi_pings_an_idle_feed_with_a_comment() -> None:
    """The page: FastAPI sends a `: ping` comment when the generator is idle."""
    from fastapi import sse

    assert sse.KEEPALIVE_COMMENT == b": ping\n\n"
    assert 0 < sse._PING_INTERVAL <= 60  # well under common proxy idle timeouts
    # The free table (topic.yaml) states the interval: it must be FastAPI's.
    table = (ROOT / "snippets" / "streaming" / "topic.yaml").read_text(encoding="utf-8")
    assert f'fastapi: "yes: a comment every {sse._PING_INTERVAL:g} s"' in table
