import time

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import PlainTextResponse
from opentelemetry.sdk.trace import TracerProvider

from snippets.observability.request_ids import HEADER, accept_request_id, current_id, json_logger

# FastAPI traces natively: give it a tracer provider and every request becomes a span
# named after its route. Spans go where the provider's processors send them.
tracer_provider = TracerProvider()
app = FastAPI(telemetry={"tracer_provider": tracer_provider})
log = json_logger(__name__)
ORDERS = {7: {"id": 7, "status": "shipped"}}


@app.middleware("http")
async def request_id(request: Request, call_next):
    rid = accept_request_id(request.headers.get(HEADER))
    current_id.set(rid)  # this request's task (and the endpoint's) sees it
    started = time.perf_counter()
    try:
        response = await call_next(request)
    except Exception:  # the endpoint crashed: log it with the id, and still send the id back
        log.exception("request failed", extra={"method": request.method, "path": request.url.path})
        response = PlainTextResponse("Internal Server Error", status_code=500)
    response.headers[HEADER] = rid
    log.info(
        "request finished",
        extra={
            "method": request.method,
            "path": request.url.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return response


@app.get("/orders/{order_id}")
async def order(order_id: int):
    if order_id not in ORDERS:
        log.warning("unknown order", extra={"order_id": order_id})
        raise HTTPException(404, "Order not found")
    return {**ORDERS[order_id], "request_id": current_id.get()}
