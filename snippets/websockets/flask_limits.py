import socket
from urllib.parse import parse_qs

from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI

# Engine.IO under threads (no eventlet or gevent) holds a WebSocket with simple-websocket,
# which reads a client's messages as fast as they arrive and checks a message's size only
# once all of it is in memory; Engine.IO then queues each reply, on both transports, until
# the client takes it. uvicorn and granian stop reading from a client that falls behind;
# these limits drop it (WebSocket) or refuse its message (long polling) instead.

MAX_MESSAGE = 1_000_000  # bytes: Engine.IO's own default, stated so every check agrees
MAX_BEHIND = 8 * MAX_MESSAGE  # bytes a client may leave unhandled and unread


def unread(session):
    # Bytes of the replies queued for an Engine.IO session that its client has not taken.
    with session.queue.mutex:
        packets = [p for p in session.queue.queue if p is not None]
    return sum(len(p.data) for p in packets if isinstance(p.data, (str, bytes)))


class BoundedWebSocket(SimpleWebSocketWSGI):
    def __init__(self, handler, server, **kwargs):
        # simple-websocket closes the connection (1009) as soon as a message passes the limit
        super().__init__(handler, server, max_message_size=MAX_MESSAGE, **kwargs)

    def wait(self):  # Engine.IO asks for the client's next message
        session = self.app.__self__  # the handler is a method of the Engine.IO session
        if sum(map(len, self.ws.input_buffer)) + unread(session) > MAX_BEHIND:
            self.ws.input_buffer.clear()
            # Not a close frame: sending it would wait on a client that does not read.
            self.ws.sock.shutdown(socket.SHUT_RDWR)
            return None  # Engine.IO ends the session as if the client had left
        return super().wait()


def bound_websockets(socketio):
    # Engine.IO has no option for it: its WebSocket class is set in the server's driver table.
    eio = socketio.server.eio
    if eio.async_mode != "threading":
        raise RuntimeError(f"these limits are for threads, not {eio.async_mode}")
    eio._async = {**eio._async, "websocket": BoundedWebSocket}


def limit_long_polling(wsgi_app, socketio):
    def guarded(environ, start_response):
        # python-engineio answers a POST over its limit by closing the session and then
        # waiting for the client's next poll: a client that never polls would hold the
        # worker's thread for good. A body that long is refused here, before Engine.IO.
        try:  # read as Engine.IO reads it, so no length it would refuse gets past
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:  # not a number, or "-1" (int() takes it): Engine.IO would read it all
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"Bad Content-Length\n"]
        if length > MAX_MESSAGE:
            start_response("413 Content Too Large", [("Content-Type", "text/plain")])
            return [b"Message too large\n"]
        sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid", [""])[0]
        session = socketio.server.eio.sockets.get(sid)
        if length and session is not None and unread(session) > MAX_BEHIND:
            # A client that posts messages but never polls for the replies.
            environ["wsgi.input"].read(length)  # at most MAX_MESSAGE: the connection stays usable
            start_response("429 Too Many Requests", [("Content-Type", "text/plain")])
            return [b"Too many unread replies: poll for them first\n"]
        return wsgi_app(environ, start_response)

    return guarded
