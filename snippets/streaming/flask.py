import csv
import io
import json
from collections.abc import Iterator

from flask import Flask, Response, abort, current_app, request, stream_with_context
from werkzeug.exceptions import BadRequest

app = Flask(__name__)
app.config["SSE_RETRY_MS"] = 3000  # how long a browser waits before it reconnects


@app.errorhandler(400)
def bad_request(error: BadRequest) -> tuple[dict[str, str | None], int]:
    return {"detail": error.description}, 400


def bounded(raw: str, low: int, high: int, message: str) -> int:
    """`raw` as an integer from `low` to `high`; 400 with `message` otherwise."""
    # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
    if not (raw.isascii() and raw.isdecimal() and len(raw) <= len(str(high))):
        abort(400, message)
    if not low <= int(raw) <= high:
        abort(400, message)
    return int(raw)


def sse(event: str, data: object, event_id: int | None = None) -> str:
    """One event in the text/event-stream format (the data is one line of JSON)."""
    lines = [f"event: {event}", f"data: {json.dumps(data)}"]
    if event_id is not None:
        lines.append(f"id: {event_id}")
    return "\n".join(lines) + "\n\n"


@app.get("/progress")
def progress() -> Response:
    # Checked before the first byte: once the stream starts, the status is already 200.
    raw_steps = request.args.get("steps", "3")
    steps = bounded(raw_steps, 1, 100, "steps must be an integer from 1 to 100")
    last_id = request.headers.get("Last-Event-ID", "0")
    start = bounded(last_id, 0, steps - 1, f"Last-Event-ID must be below {steps}")

    def events() -> Iterator[str]:
        yield f"retry: {current_app.config['SSE_RETRY_MS']}\n\n"
        for step in range(start + 1, steps + 1):
            yield sse("progress", {"step": step, "of": steps}, step)
        yield sse("done", {"steps": steps})

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    # stream_with_context keeps the request (and current_app) alive while the body is sent.
    return Response(stream_with_context(events()), mimetype="text/event-stream", headers=headers)


def csv_rows(rows: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [("n", "square"), *((n, n * n) for n in range(1, rows + 1))]:
        writer.writerow(row)
        yield buffer.getvalue()  # one line at a time: memory stays flat for any row count
        buffer.seek(0)
        buffer.truncate()


@app.get("/report.csv")
def report() -> Response:
    raw_rows = request.args.get("rows", "3")
    rows = bounded(raw_rows, 1, 10_000, "rows must be an integer from 1 to 10000")
    headers = {"Content-Disposition": 'attachment; filename="report.csv"'}
    return Response(csv_rows(rows), mimetype="text/csv", headers=headers)
