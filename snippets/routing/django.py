from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

MAX_PAGE = 10_000  # a bound, so no page number becomes a huge OFFSET further down


@require_GET
def read_item(request, item_id: int):
    return JsonResponse({"item_id": item_id, "q": request.GET.get("q")})


@require_GET
def list_posts(request, username: str):
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 0
    if not 1 <= page <= MAX_PAGE:
        return JsonResponse({"error": f"page must be 1 to {MAX_PAGE}"}, status=400)
    return JsonResponse({"username": username, "page": page})


urlpatterns = [
    path("items/<int:item_id>", read_item),
    path("users/<str:username>/posts", list_posts),
]
