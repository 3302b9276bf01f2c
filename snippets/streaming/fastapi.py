import csv
import io
from collections.abc import AsyncIterator, Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query
from fastapi.responses import StreamingResponse
from fastapi.sse import EventSourceResponse, ServerSentEvent

app = FastAPI()
RETRY_MS = 3000  # how long a browser waits before it reconnects


def resume_after(
    steps: Annotated[int, Query(ge=1, le=100)] = 3,
    last_event_id: Annotated[int | None, Header(ge=0)] = None,
) -> tuple[int, int]:
    """Checked before the first byte: once the stream starts, the status is already 200."""
    start = last_event_id or 0
    if start >= steps:
        raise HTTPException(400, f"Last-Event-ID must be below {steps}")
    return start, steps


@app.get("/progress", response_class=EventSourceResponse)
async def progress(
    span: Annotated[tuple[int, int], Depends(resume_after)],
) -> AsyncIterator[ServerSentEvent]:
    start, steps = span
    yield ServerSentEvent(retry=RETRY_MS)
    for step in range(start + 1, steps + 1):
        yield ServerSentEvent(event="progress", data={"step": step, "of": steps}, id=str(step))
    yield ServerSentEvent(event="done", data={"steps": steps})


def csv_rows(rows: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in [("n", "square"), *((n, n * n) for n in range(1, rows + 1))]:
        writer.writerow(row)
        yield buffer.getvalue()  # one line at a time: memory stays flat for any row count
        buffer.seek(0)
        buffer.truncate()


@app.get("/report.csv")
def report(rows: Annotated[int, Query(ge=1, le=10_000)] = 3) -> StreamingResponse:
    return StreamingResponse(
        csv_rows(rows),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="report.csv"'},
    )
