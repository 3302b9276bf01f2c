from django.conf import settings
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET


@require_GET
def hello(request):
    name = request.GET.get("name", "world")
    if len(name) > 20:
        return JsonResponse({"detail": "name is too long"}, status=400)
    greeting = getattr(settings, "GREETING", "Hello")
    return JsonResponse({"message": f"{greeting}, {name}!"})


urlpatterns = [
    path("hello", hello, name="hello-greeting"),
]
