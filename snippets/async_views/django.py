import asyncio
import time

from django.http import JsonResponse
from django.urls import path


def delay_from(request) -> int | None:
    """The `ms` query parameter (default 100), or None when it is not 0-1000."""
    raw = request.GET.get("ms", "100")
    # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
    return int(raw) if raw.isdecimal() and len(raw) <= 4 and int(raw) <= 1000 else None


def bad_delay() -> JsonResponse:
    return JsonResponse({"detail": "ms must be an integer from 0 to 1000"}, status=400)


async def fetch(source: str, ms: int) -> str:
    await asyncio.sleep(ms / 1000)  # stands in for a database query or an HTTP call
    return source


async def wait_for_io(request):
    if (ms := delay_from(request)) is None:
        return bad_delay()
    await fetch("db", ms)  # under ASGI the event loop serves other requests meanwhile
    return JsonResponse({"waited_ms": ms})


async def gather_sources(request):
    if (ms := delay_from(request)) is None:
        return bad_delay()
    sources = await asyncio.gather(fetch("users", ms), fetch("orders", ms), fetch("stock", ms))
    return JsonResponse({"sources": sources})


def blocking_io(request):
    if (ms := delay_from(request)) is None:
        return bad_delay()
    time.sleep(ms / 1000)  # holds this worker (WSGI) or this request's thread (ASGI)
    return JsonResponse({"waited_ms": ms})


urlpatterns = [
    path("io", wait_for_io),
    path("gather", gather_sources),
    path("sync", blocking_io),
]
