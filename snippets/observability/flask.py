import time

from flask import Flask, g, got_request_exception, request
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.sdk.trace import TracerProvider

from snippets.observability.request_ids import HEADER, accept_request_id, current_id, json_logger

app = Flask(__name__)
# OpenTelemetry's Flask instrumentation wraps this app: every request becomes a span named
# after its route. Spans go where the provider's processors send them.
tracer_provider = TracerProvider()
FlaskInstrumentor().instrument_app(app, tracer_provider=tracer_provider)
log = json_logger(__name__)
ORDERS = {7: {"id": 7, "status": "shipped"}}


@app.before_request
def take_request_id():
    g.request_id = accept_request_id(request.headers.get(HEADER))
    g.started = time.perf_counter()
    current_id.set(g.request_id)  # a worker thread serves one request at a time


@app.after_request
def echo_request_id(response):
    response.headers[HEADER] = g.request_id
    log.info(
        "request finished",
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "ms": round((time.perf_counter() - g.started) * 1000, 1),
        },
    )
    return response


def log_failure(sender, exception, **extra):
    # A view raised: Flask answers 500 (after_request still adds the id); the traceback goes
    # into the JSON log with the id, not only into Flask's own text log.
    log.error(
        "request failed",
        exc_info=exception,
        extra={"method": request.method, "path": request.path},
    )


got_request_exception.connect(log_failure, app)


@app.get("/orders/<int:order_id>")
def order(order_id: int):
    if order_id not in ORDERS:
        log.warning("unknown order", extra={"order_id": order_id})
        return {"detail": "Order not found"}, 404
    return {**ORDERS[order_id], "request_id": g.request_id}
