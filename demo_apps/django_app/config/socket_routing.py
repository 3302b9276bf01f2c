"""The demo project's socket routing around a snippet's ``websocket_urlpatterns``.

Shared by the project's ``asgi.py`` (under uvicorn), the in-process socket driver
(tests/support/sockets.py) and the browser runner (verified_guide/live/runner.py), so a
socket path no route takes gets the same answer everywhere: a refused handshake (403 under
uvicorn), where Channels' ``URLRouter`` alone raises ValueError ("No route found"), which a
server answers with 500 and the browser would show as a traceback.
"""

from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import URLRouter
from django.urls import re_path


class RefuseUnroutedSocket(AsyncWebsocketConsumer):
    """Any socket path no route takes: close before accepting, which refuses the handshake."""

    async def connect(self) -> None:
        await self.close()


#: The last route of every router: it matches whatever the routes before it did not.
unrouted = re_path(r"", RefuseUnroutedSocket.as_asgi())


def refusing_router(routes: list[Any]) -> URLRouter:
    """``routes`` (a snippet's ``websocket_urlpatterns``, or routers of them), then the refusal."""
    return URLRouter([*routes, unrouted])
