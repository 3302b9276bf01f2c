from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def info(request):
    # Name what may be shown; SECRET_KEY and DATABASES stay on the server.
    return JsonResponse(
        {
            "app_name": settings.APP_NAME,
            "new_checkout": settings.NEW_CHECKOUT,
            "debug": settings.DEBUG,
        }
    )


@require_GET
def checkout(request):
    if not settings.NEW_CHECKOUT:
        return JsonResponse({"detail": "Not enabled"}, status=404)
    return JsonResponse({"checkout": "new"})


urlpatterns = [
    path("info", info),
    path("checkout", checkout),
]
