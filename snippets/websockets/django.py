import json

import pydantic_core
from channels.generic.websocket import AsyncWebsocketConsumer
from django.http import JsonResponse
from django.urls import path


class EchoConsumer(AsyncWebsocketConsumer):
    # connect() accepts every connection by default; override it to check self.scope.
    async def receive(self, text_data=None, bytes_data=None):
        try:
            # Unlike json.loads: no NaN, no lone surrogate, about 200 levels of nesting at most.
            message = pydantic_core.from_json(text_data or "", allow_inf_nan=False)["message"]
            reply = json.dumps({"echo": message}, allow_nan=False)  # 1e400 reads as inf
        except (ValueError, KeyError, TypeError):
            reply = json.dumps({"error": 'expected {"message": ...}'})
        await self.send(text_data=reply)


def info(request):
    return JsonResponse({"websocket": "ws"})


urlpatterns = [path("", info)]  # HTTP, through Django's URLconf
websocket_urlpatterns = [path("ws", EchoConsumer.as_asgi())]  # routed in asgi.py by Channels
