import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from snippets.validation.fastapi_strict import strict_json

logger = logging.getLogger(__name__)
app = strict_json(FastAPI())  # see the validation page
ITEMS = {1: {"name": "Widget", "stock": 3}, 2: {"name": "Gadget", "stock": 0}}


class OutOfStock(Exception):
    def __init__(self, item_id: int):
        self.item_id = item_id


class Order(BaseModel):
    quantity: int = Field(gt=0)


def error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message, **extra}}, status)


# Starlette's HTTPException also covers the router's own 404 and 405.
@app.exception_handler(HTTPException)
async def http_error(request: Request, exc: HTTPException):
    response = error(exc.status_code, exc.detail)
    response.headers.update(exc.headers or {})  # e.g. Allow on a 405
    return response


@app.exception_handler(RequestValidationError)
async def invalid_request(request: Request, exc: RequestValidationError):
    if any(e["type"] == "json_invalid" for e in exc.errors()):
        return error(400, "Request body is not valid JSON")
    fields = {str(e["loc"][-1]) if e["loc"] else "body": e["msg"] for e in exc.errors()}
    return error(422, "Invalid request body", fields=fields)


@app.exception_handler(OutOfStock)
async def out_of_stock(request: Request, exc: OutOfStock):
    return error(409, f"Item {exc.item_id} is out of stock")


# Anything unexpected: log the traceback, answer with a message that reveals nothing.
@app.middleware("http")
async def server_error(request: Request, call_next):
    try:
        return await call_next(request)
    except Exception:
        logger.exception("Unhandled error on %s", request.url.path)
        return error(500, "Internal server error")


def get_item(item_id: int) -> dict:
    if item_id not in ITEMS:
        raise HTTPException(404, f"Item {item_id} not found")
    return ITEMS[item_id]


@app.get("/items/{item_id}")
async def read_item(item_id: int):
    return get_item(item_id)


@app.post("/items/{item_id}/orders", status_code=201)
async def order_item(item_id: int, order: Order):
    item = get_item(item_id)
    if item["stock"] < order.quantity:
        raise OutOfStock(item_id)
    return {"item": item["name"], "quantity": order.quantity}


@app.get("/boom")
async def boom():
    raise RuntimeError("database password is hunter2")
