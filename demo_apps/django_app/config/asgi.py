"""ASGI entry point: ``uvicorn demo_apps.django_app.config.asgi:application``.

HTTP goes to Django; WebSocket connections go to Channels, which routes
``/<topic>/...`` to the ``websocket_urlpatterns`` of a topic's Django snippet.
"""

import os

from django.core.asgi import get_asgi_application

from demo_apps.django_app.config.startup import migrate

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo_apps.django_app.config.settings")
django_asgi_app = get_asgi_application()  # sets Django up before anything imports models
migrate()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path  # noqa: E402

from scripts.topics import all_topics, import_snippet  # noqa: E402

websocket_routes = [
    path(f"{t.slug}/", URLRouter(module.websocket_urlpatterns))
    for t in all_topics()
    if "django" in t.frameworks()
    and hasattr(module := import_snippet(t, "django"), "websocket_urlpatterns")
]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_routes)),
    }
)
