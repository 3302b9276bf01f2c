import json

from flask import Flask, abort, request
from pydantic import BaseModel, Field, ValidationError
from werkzeug.exceptions import HTTPException

from snippets.validation.flask_strict import strict_json

app = strict_json(Flask(__name__))  # see the validation page
ITEMS = {1: {"name": "Widget", "stock": 3}, 2: {"name": "Gadget", "stock": 0}}


class OutOfStock(Exception):
    def __init__(self, item_id: int):
        self.item_id = item_id


class Order(BaseModel):
    quantity: int = Field(gt=0)


def error(status: int, message: str, **extra):
    return {"error": {"status": status, "message": message, **extra}}, status


# Every HTTP error, including Flask's own 404 and 405 and abort(...).
@app.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    response = exc.get_response()  # keeps headers such as Allow on a 405
    response.data = json.dumps({"error": {"status": exc.code, "message": exc.description}})
    response.content_type = "application/json"
    return response


@app.errorhandler(ValidationError)
def invalid_request(exc: ValidationError):
    fields = {str(e["loc"][-1]) if e["loc"] else "body": e["msg"] for e in exc.errors()}
    return error(422, "Invalid request body", fields=fields)


@app.errorhandler(OutOfStock)
def out_of_stock(exc: OutOfStock):
    return error(409, f"Item {exc.item_id} is out of stock")


# Unhandled exceptions arrive here as a 500 (Flask has logged the traceback already).
@app.errorhandler(500)
def server_error(exc):
    return error(500, "Internal server error")


def get_item(item_id: int) -> dict:
    if item_id not in ITEMS:
        abort(404, f"Item {item_id} not found")
    return ITEMS[item_id]


@app.get("/items/<int:item_id>")
def read_item(item_id: int):
    return get_item(item_id)


@app.post("/items/<int:item_id>/orders")
def order_item(item_id: int):
    data = request.get_json(silent=True)
    if data is None:
        abort(400, "Request body is not valid JSON")
    order = Order.model_validate(data)
    item = get_item(item_id)
    if item["stock"] < order.quantity:
        raise OutOfStock(item_id)
    return {"item": item["name"], "quantity": order.quantity}, 201


@app.get("/boom")
def boom():
    raise RuntimeError("database password is hunter2")
