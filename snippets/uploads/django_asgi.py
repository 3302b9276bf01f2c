# Under ASGI, Django reads the whole body into a temporary file before any view or upload
# handler runs, so the handler above limits only what Django keeps, not what it reads. This
# wraps the project's ASGI application (asgi.py) and refuses a body over the limit first.
import json


class BodyLimit:
    """ASGI middleware: 413 for a body over ``max_bytes``, declared or sent."""

    def __init__(self, app, max_bytes: int) -> None:
        if not isinstance(max_bytes, int):  # DATA_UPLOAD_MAX_MEMORY_SIZE = None, say: no start
            raise TypeError(f"BodyLimit needs a number of bytes, not {max_bytes!r}")
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit():
            return await self.refuse(send, 400, "the Content-Length is not a number")
        digits = declared.lstrip(b"0") or b"0"  # the length first: int() refuses 4,301 digits
        if len(digits) > len(str(self.max_bytes)) or int(digits) > self.max_bytes:
            return await self.refuse(send)  # nothing of the body read
        received, refused, started = 0, False, False

        async def receive_within_limit():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request" and not refused:
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # sent more than it declared, or chunked
                    refused = True
                    if not started:  # an app that answered already keeps its answer
                        await self.refuse(send)
                    return {"type": "http.disconnect"}  # Django stops reading, answers nothing
            return message

        async def send_unless_refused(message):
            nonlocal started
            if not refused or started:
                started = True
                await send(message)

        await self.app(scope, receive_within_limit, send_unless_refused)

    async def refuse(self, send, status=413, detail="the request body is larger than the limit"):
        body = json.dumps({"detail": detail}).encode()
        headers = [(b"content-type", b"application/json"), (b"connection", b"close")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
