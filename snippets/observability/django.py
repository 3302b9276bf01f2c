import time

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.decorators import decorator_from_middleware
from django.utils.deprecation import MiddlewareMixin
from django.views.decorators.http import require_GET

from snippets.observability.request_ids import HEADER, accept_request_id, current_id, json_logger

log = json_logger(__name__)
ORDERS = {7: {"id": 7, "status": "shipped"}}
#: What a view raises that Django answers with 400, 403 or 404, not 500.
CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation)


# A project lists this in MIDDLEWARE (near the top); the guide applies it to this topic's
# views only, with decorator_from_middleware, so the demo project's middleware list stays
# startproject's.
class RequestIdMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.request_id = accept_request_id(request.headers.get(HEADER))
        request.started = time.perf_counter()
        current_id.set(request.request_id)

    def process_response(self, request, response):
        response[HEADER] = request.request_id
        log.info(
            "request finished",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - request.started) * 1000, 1),
            },
        )
        return response

    def process_exception(self, request, exception):
        # The view raised: log it with the id. Returning None leaves the answer to Django (a
        # 500, or the debug page); listed in MIDDLEWARE, process_response still adds the id.
        if isinstance(exception, CLIENT_ERRORS):
            return  # Django answers these with a 4xx: not a failure of the app
        log.exception("request failed", extra={"method": request.method, "path": request.path})


with_request_id = decorator_from_middleware(RequestIdMiddleware)


@with_request_id
@require_GET
def order(request, order_id: int):
    if order_id not in ORDERS:
        log.warning("unknown order", extra={"order_id": order_id})
        return JsonResponse({"detail": "Order not found"}, status=404)
    return JsonResponse({**ORDERS[order_id], "request_id": request.request_id})


urlpatterns = [
    path("orders/<int:order_id>", order),
]
