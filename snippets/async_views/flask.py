import asyncio
import time

from flask import Flask, abort, request

app = Flask(__name__)


@app.errorhandler(400)
def bad_request(error):
    return {"detail": error.description}, 400


def delay() -> int:
    """The `ms` query parameter (default 100); 400 unless it is 0-1000."""
    raw = request.args.get("ms", "100")
    # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
    if not raw.isdecimal() or len(raw) > 4 or int(raw) > 1000:
        abort(400, "ms must be an integer from 0 to 1000")
    return int(raw)


async def fetch(source: str, ms: int) -> str:
    await asyncio.sleep(ms / 1000)  # stands in for a database query or an HTTP call
    return source


@app.get("/io")
async def wait_for_io():
    ms = delay()
    await fetch("db", ms)  # on a new event loop for this request; the worker waits
    return {"waited_ms": ms}


@app.get("/gather")
async def gather_sources():
    ms = delay()
    # Concurrency inside one request still works: the three waits overlap.
    sources = await asyncio.gather(fetch("users", ms), fetch("orders", ms), fetch("stock", ms))
    return {"sources": sources}


@app.get("/sync")
def blocking_io():
    ms = delay()
    time.sleep(ms / 1000)
    return {"waited_ms": ms}
