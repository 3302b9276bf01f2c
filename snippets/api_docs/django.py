import secrets

from django.conf import settings
from django.urls import path
from ninja import NinjaAPI, Schema, Status
from ninja.security import HttpBearer
from pydantic import Field


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if secrets.compare_digest(token.encode(), settings.ITEMS_API_TOKEN.encode()):
            return token
        return None


api = NinjaAPI(title="Items API", version="1.0.0", urls_namespace="api_docs")


class Item(Schema):
    name: str = Field(min_length=1, max_length=100)
    price: float = Field(gt=0, allow_inf_nan=False)


class Error(Schema):
    detail: str


ITEMS: dict[int, Item] = {1: Item(name="Widget", price=9.5)}


@api.get("/items/{item_id}", response={200: Item, 404: Error})
def read_item(request, item_id: int):
    """Return one item by its id."""
    if item_id not in ITEMS:
        return Status(404, {"detail": "Item not found"})
    return ITEMS[item_id]


@api.post("/items", response={201: Item}, auth=BearerToken())
def create_item(request, item: Item):
    """Create an item (needs a bearer token)."""
    ITEMS[max(ITEMS) + 1] = item
    return Status(201, item)


urlpatterns = [
    path("", api.urls),
]
