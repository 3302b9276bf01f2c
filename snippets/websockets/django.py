import json

from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import JsonResponse
from django.urls import path


class EchoConsumer(AsyncWebsocketConsumer):
    # connect() accepts every connection by default; override it to check self.scope.
    async def receive(self, text_data=None, bytes_data=None):
        try:
            reply = {"echo": json.loads(text_data)["message"]}
        except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: [[[[...
            reply = {"error": 'expected {"message": ...}'}
        await self.send(text_data=json.dumps(reply))


def info(request):
    return JsonResponse({"websocket": "ws"})


urlpatterns = [path("", info)]  # HTTP, through Django's URLconf
websocket_urlpatterns = [path("ws", EchoConsumer.as_asgi())]  # routed in asgi.py by Channels
