from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

ITEMS = {1: {"name": "Widget", "price": 9.5}, 2: {"name": "Lamp", "price": 25}}


@require_GET
def list_items(request):
    name = request.GET.get("name", "guest")
    return render(request, "catalog/items.html", {"name": name, "items": ITEMS.values()})


@require_GET
def read_item(request, item_id: int):
    if item_id not in ITEMS:
        raise Http404("Item not found")
    return render(request, "catalog/item.html", {"item": ITEMS[item_id]})


urlpatterns = [
    path("items", list_items),
    path("items/<int:item_id>", read_item),
]
