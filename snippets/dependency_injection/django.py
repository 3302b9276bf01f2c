from functools import wraps

from django.http import JsonResponse
from django.urls import path
from django.utils.decorators import decorator_from_middleware
from django.utils.deprecation import MiddlewareMixin

from snippets.dependency_injection.tokens import user_for_token

ITEMS = [f"item-{n}" for n in range(1, 101)]
MAX_PAGE_SIZE = 50


class TokenUserMiddleware(MiddlewareMixin):
    """Sets request.token_user from the X-Token header (None when absent or unknown)."""

    def process_request(self, request):
        request.token_user = user_for_token(request.headers.get("X-Token"))


# The middleware, applied to chosen views only (add it to MIDDLEWARE to apply it everywhere).
with_token_user = decorator_from_middleware(TokenUserMiddleware)


def token_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if "X-Token" not in request.headers:
            return JsonResponse({"detail": "Missing X-Token header"}, status=401)
        if request.token_user is None:
            return JsonResponse({"detail": "Invalid token"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def paginated(view):
    """Passes `limit` and `offset` from the query string, or answers 400."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        limit, offset = request.GET.get("limit", "10"), request.GET.get("offset", "0")
        # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
        readable = (
            limit.isdecimal()
            and len(limit) <= len(str(MAX_PAGE_SIZE))
            and offset.isdecimal()
            and len(offset) <= 18
        )
        if not (readable and 1 <= int(limit) <= MAX_PAGE_SIZE):
            detail = f"limit must be 1-{MAX_PAGE_SIZE}, offset >= 0"
            return JsonResponse({"detail": detail}, status=400)
        return view(request, *args, limit=int(limit), offset=int(offset), **kwargs)

    return wrapper


@with_token_user
@token_required
def me(request):
    return JsonResponse({"user": request.token_user})


@with_token_user
@token_required
@paginated
def list_items(request, limit, offset):
    items = ITEMS[offset : offset + limit]
    return JsonResponse(
        {"user": request.token_user, "limit": limit, "offset": offset, "items": items}
    )


urlpatterns = [
    path("me", me),
    path("items", list_items),
]
