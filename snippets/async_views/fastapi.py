import asyncio
import time
from typing import Annotated

from fastapi import FastAPI, Query

app = FastAPI()
Delay = Annotated[int, Query(ge=0, le=1000)]


async def fetch(source: str, ms: int) -> str:
    await asyncio.sleep(ms / 1000)  # stands in for a database query or an HTTP call
    return source


@app.get("/io")
async def wait_for_io(ms: Delay = 100):
    await fetch("db", ms)  # the event loop serves other requests meanwhile
    return {"waited_ms": ms}


@app.get("/gather")
async def gather_sources(ms: Delay = 100):
    # Three waits of `ms` each, overlapping: the whole call takes about `ms`.
    sources = await asyncio.gather(fetch("users", ms), fetch("orders", ms), fetch("stock", ms))
    return {"sources": sources}


@app.get("/sync")
def blocking_io(ms: Delay = 100):
    time.sleep(ms / 1000)  # blocks a threadpool thread, not the event loop
    return {"waited_ms": ms}
