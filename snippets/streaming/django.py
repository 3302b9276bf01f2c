import csv
import json
from collections.abc import AsyncIterator, Iterator

from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import path

RETRY_MS = 3000  # how long a browser waits before it reconnects
NO_BUFFERING = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def bounded(raw: str, low: int, high: int) -> int | None:
    """`raw` as an integer from `low` to `high`, or None."""
    # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= len(str(high))):
        return None
    return int(raw) if low <= int(raw) <= high else None


def sse(event: str, data: object, event_id: int | None = None) -> str:
    """One event in the text/event-stream format (the data is one line of JSON)."""
    lines = [f"event: {event}", f"data: {json.dumps(data)}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    return "\n".join(lines) + "\n\n"


async def events(start: int, steps: int) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    for step in range(start + 1, steps + 1):
        yield sse("progress", {"step": step, "of": steps}, step)
    yield sse("done", {"steps": steps})


def progress(request: HttpRequest) -> JsonResponse | StreamingHttpResponse:
    # Checked before the first byte: once the stream starts, the status is already 200.
    steps = bounded(request.GET.get("steps", "3"), 1, 100)
    if steps is None:
        return JsonResponse({"detail": "steps must be an integer from 1 to 100"}, status=400)
    start = bounded(request.headers.get("Last-Event-ID", "0"), 0, steps - 1)
    if start is None:
        return JsonResponse({"detail": f"Last-Event-ID must be below {steps}"}, status=400)
    # An async iterator: served as it is produced under ASGI (uvicorn, Daphne).
    return StreamingHttpResponse(
        events(start, steps), content_type="text/event-stream", headers=NO_BUFFERING
    )


class Echo:
    """A file-like object that hands back what csv.writer writes, instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_rows(rows: int) -> Iterator[str]:
    writer = csv.writer(Echo())
    yield writer.writerow(("n", "square"))
    for n in range(1, rows + 1):
        yield writer.writerow((n, n * n))


def report(request: HttpRequest) -> JsonResponse | StreamingHttpResponse:
    rows = bounded(request.GET.get("rows", "3"), 1, 10_000)
    if rows is None:
        return JsonResponse({"detail": "rows must be an integer from 1 to 10000"}, status=400)
    # A sync iterator: streamed under WSGI (under ASGI, Django collects it first).
    return StreamingHttpResponse(
        csv_rows(rows),
        content_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="report.csv"'},
    )


urlpatterns = [
    path("progress", progress),
    path("report.csv", report),
]
