import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import Field

logger = logging.getLogger(__name__)
api = NinjaAPI(urls_namespace="errors")
ITEMS = {1: {"name": "Widget", "stock": 3}, 2: {"name": "Gadget", "stock": 0}}


class OutOfStock(Exception):
    def __init__(self, item_id: int):
        self.item_id = item_id


class Order(Schema):
    quantity: int = Field(gt=0)


def error(request, status: int, message: str, **extra):
    body = {"error": {"status": status, "message": message, **extra}}
    return api.create_response(request, body, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    return error(request, 404, str(exc))


# Ninja raises HttpError itself, e.g. 400 for a body it cannot parse.
@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return error(request, exc.status_code, str(exc))


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    fields = {str(e["loc"][-1]) if e["loc"] else "body": e["msg"] for e in exc.errors}
    return error(request, 422, "Invalid request body", fields=fields)


@api.exception_handler(OutOfStock)
def out_of_stock(request, exc: OutOfStock):
    return error(request, 409, f"Item {exc.item_id} is out of stock")


# Django's own 400s (SuspiciousOperation) are the client's fault, so not the catch-all's
# 500 below; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413, as in the security topic.
@api.exception_handler(SuspiciousOperation)
def bad_request(request, exc):
    return error(request, 400, "Bad request")


@api.exception_handler(RequestDataTooBig)
def too_large(request, exc):
    return error(request, 413, "Request body too large")


# Ninja's default re-raises to Django's handler500 when DEBUG is off; answer here instead.
@api.exception_handler(Exception)
def server_error(request, exc):
    logger.exception("Unhandled error on %s", request.path)
    return error(request, 500, "Internal server error")


def get_item(item_id: int) -> dict:
    if item_id not in ITEMS:
        raise Http404(f"Item {item_id} not found")
    return ITEMS[item_id]


@api.get("/items/{item_id}")
def read_item(request, item_id: int):
    return get_item(item_id)


@api.post("/items/{item_id}/orders", response={201: dict})
def order_item(request, item_id: int, order: Order):
    item = get_item(item_id)
    if item["stock"] < order.quantity:
        raise OutOfStock(item_id)
    return Status(201, {"item": item["name"], "quantity": order.quantity})


@api.get("/boom")
def boom(request):
    raise RuntimeError("database password is hunter2")


urlpatterns = [
    path("", api.urls),
]
