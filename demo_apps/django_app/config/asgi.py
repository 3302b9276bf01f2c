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

from channels.generic.websocket import WebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import path, re_path  # noqa: E402

from verified_guide.topics import all_topics, import_snippet  # noqa: E402


class RefuseUnroutedSocket(WebsocketConsumer):
    """Any socket path no route takes: refuse the handshake (a 403 under uvicorn). Without it
    Channels' URLRouter raises ValueError ("No route found"), which the server answers with 500."""

    def connect(self) -> None:
        self.close()


#: The last route of every router: it matches whatever the routes before it did not.
unrouted = re_path(r"", RefuseUnroutedSocket.as_asgi())
websocket_routes = [
    path(f"{t.slug}/", URLRouter([*module.websocket_urlpatterns, unrouted]))
    for t in all_topics()
    if "django" in t.frameworks()
    and hasattr(module := import_snippet(t, "django"), "websocket_urlpatterns")
]
websocket_routes.append(unrouted)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(URLRouter(websocket_routes)),
    }
)
