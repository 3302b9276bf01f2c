from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    # For the load balancer: answers while the process can serve requests.
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("health", health),
]
