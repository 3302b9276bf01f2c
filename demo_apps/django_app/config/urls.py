"""The demo project's URLs: each topic's Django snippet is included at ``/<topic>/``, and
each Django variant (``variants:`` in topic.yaml) at ``/<topic>/<snippet>/``."""

from django.http import JsonResponse
from django.urls import include, path

from snippets.security.django import handler400  # noqa: F401 (413 for a body too large)
from verified_guide.topics import mounted_topics

TOPICS = mounted_topics("django")


def index(request):
    """List the mounted topics."""
    return JsonResponse({"topics": [t.mount for t in TOPICS]})


urlpatterns = [
    path("", index),
    *(path(f"{t.mount}/", include(t.module_name("django"))) for t in TOPICS),
]
