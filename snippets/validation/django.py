from django.urls import path
from ninja import NinjaAPI, Schema, Status
from pydantic import Field

api = NinjaAPI(urls_namespace="validation")


class Item(Schema):
    name: str = Field(min_length=1, max_length=100)
    price: float = Field(gt=0, allow_inf_nan=False)
    description: str | None = None


@api.post("/items", response={201: Item})
def create_item(request, item: Item):
    return Status(201, item)


urlpatterns = [
    path("", api.urls),
]
