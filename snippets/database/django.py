from django.shortcuts import get_object_or_404
from django.urls import path
from ninja import Field, ModelSchema, NinjaAPI, Schema, Status

from snippets.database.django_models import Item

# PostgreSQL's text holds no NUL character: psycopg refuses one (a 500), SQLite stores it.
NO_NUL = r"^[^\x00]*$"

api = NinjaAPI(urls_namespace="database")


class ItemIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    price: float = Field(gt=0, allow_inf_nan=False)


class ItemOut(ModelSchema):
    class Meta:
        model = Item
        fields = ["id", "name", "price"]


@api.post("/items", response={201: ItemOut})
def create_item(request, data: ItemIn):
    return Status(201, Item.objects.create(**data.dict()))


@api.get("/items/{item_id}", response=ItemOut)
def read_item(request, item_id: int):
    return get_object_or_404(Item, pk=item_id)


@api.get("/items", response=list[ItemOut])
def list_items(request):
    return Item.objects.order_by("id")


urlpatterns = [
    path("", api.urls),
]
