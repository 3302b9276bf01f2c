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

from channels.routing import ProtocolTypeRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.urls import path  # noqa: E402

from demo_apps.django_app.config.socket_routing import refusing_router  # noqa: E402
from snippets.security.django_charset import unparsable_content_type_asgi  # noqa: E402
from snippets.uploads.django_asgi import BodyLimit  # noqa: E402
from verified_guide.topics import all_topics, import_snippet  # noqa: E402

# Each topic's socket routes at /<topic>/; any other socket path is refused (socket_routing.py).
websocket_routes = [
    path(f"{t.slug}/", refusing_router(module.websocket_urlpatterns))
    for t in all_topics()
    if "django" in t.frameworks()
    and hasattr(module := import_snippet(t, "django"), "websocket_urlpatterns")
]

application = ProtocolTypeRouter(
    {
        # Django reads a whole body before any view runs under ASGI: bounded here, at the limit
        # Django applies to the rest of a body (file data, which it exempts, is checked by the
        # views, below this: the uploads topic's MAX_BYTES). A Content-Type Django cannot parse
        # fails it before its middleware: see the security page.
        "http": BodyLimit(
            unparsable_content_type_asgi(django_asgi_app), settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ),
        "websocket": AllowedHostsOriginValidator(refusing_router(websocket_routes)),
    }
)
