import asyncio
import json
import time
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import Context, Engine
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from snippets.bench.django_models import BenchRow
from snippets.bench.seed import seed

seed()  # a fresh database file gets its tables; tests get them from a migration
engine = Engine(dirs=[Path(__file__).parent / "templates"])
ITEMS = [f"item {i}" for i in range(20)] + ["<script>alert('x')</script>"]


class PriceField(forms.FloatField):
    # FloatField refuses inf, but float() of an integer past a float's range (400 digits)
    # raises OverflowError, which it does not catch: that would be a 500.
    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class ItemForm(forms.Form):
    name = forms.CharField()
    price = PriceField()
    description = forms.CharField(required=False, empty_value=None)


def parse_item(request):
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError):  # deep nesting exhausts json.loads' recursion
        data = None
    return ItemForm(data if isinstance(data, dict) else {})


def item_response(form):
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    return JsonResponse(form.cleaned_data, status=201)


def row_dict(row):
    return {"id": row.id, "title": row.title, "views": row.views, "author": row.author.name}


# Sync views: run by a WSGI server (gunicorn), one request at a time per thread.
@require_GET
def plaintext(request):
    return HttpResponse("Hello, World!", content_type="text/plain")


@require_GET
def json_view(request):
    return JsonResponse({"message": "Hello, World!"})


@require_GET
def read_item(request, item_id):
    return JsonResponse({"item_id": item_id, "q": request.GET.get("q")})


@csrf_exempt
@require_POST
def create_item(request):
    return item_response(parse_item(request))


@require_GET
def read_row(request, row_id):
    try:
        # One query: select_related joins the author into the row's SELECT.
        return JsonResponse(row_dict(BenchRow.objects.select_related("author").get(pk=row_id)))
    except BenchRow.DoesNotExist:
        raise Http404 from None


@require_GET
def template(request):
    html = engine.get_template("items.html").render(Context({"title": "Items", "items": ITEMS}))
    return HttpResponse(html)


@require_GET
def io(request):
    time.sleep(0.01)
    return JsonResponse({"waited_ms": 10})


# Async views: the same endpoints for an ASGI server (uvicorn), awaiting instead of blocking.
@require_GET
async def async_plaintext(request):
    return HttpResponse("Hello, World!", content_type="text/plain")


@require_GET
async def async_json(request):
    return JsonResponse({"message": "Hello, World!"})


@require_GET
async def async_read_item(request, item_id):
    return JsonResponse({"item_id": item_id, "q": request.GET.get("q")})


@csrf_exempt
@require_POST
async def async_create_item(request):
    return item_response(parse_item(request))


@require_GET
async def async_read_row(request, row_id):
    try:
        row = await BenchRow.objects.select_related("author").aget(pk=row_id)
        return JsonResponse(row_dict(row))
    except BenchRow.DoesNotExist:
        raise Http404 from None


@require_GET
async def async_template(request):
    html = engine.get_template("items.html").render(Context({"title": "Items", "items": ITEMS}))
    return HttpResponse(html)


@require_GET
async def async_io(request):
    await asyncio.sleep(0.01)
    return JsonResponse({"waited_ms": 10})


urlpatterns = [
    path("plaintext", plaintext),
    path("json", json_view),
    path("items/<int:item_id>", read_item),
    path("items", create_item),
    path("db/<int:row_id>", read_row),
    path("template", template),
    path("io", io),
    path("async/plaintext", async_plaintext),
    path("async/json", async_json),
    path("async/items/<int:item_id>", async_read_item),
    path("async/items", async_create_item),
    path("async/db/<int:row_id>", async_read_row),
    path("async/template", async_template),
    path("async/io", async_io),
]
