"""The demo project's URLs: each topic's Django snippet is included at ``/<topic>/``."""

from django.http import JsonResponse
from django.urls import include, path

from scripts.topics import all_topics
from snippets.security.django import handler400  # noqa: F401 (413 for a body too large)

TOPICS = [t for t in all_topics() if "django" in t.frameworks()]


def index(request):
    """List the mounted topics."""
    return JsonResponse({"topics": [t.slug for t in TOPICS]})


urlpatterns = [
    path("", index),
    *(path(f"{t.slug}/", include(t.module_name("django"))) for t in TOPICS),
]
