# handler404 and handler500 are read from the ROOT URLconf only (settings.ROOT_URLCONF).
# In an included module they do nothing, so they belong in the project's urls.py.
from django.http import JsonResponse
from django.urls import include, path

urlpatterns = [
    path("api/", include("snippets.errors.django")),
]


def not_found(request, exception):
    return JsonResponse({"error": {"status": 404, "message": "Not Found"}}, status=404)


def server_error(request):
    return JsonResponse({"error": {"status": 500, "message": "Internal server error"}}, status=500)


handler404 = not_found
handler500 = server_error
