import contextlib
import io
import queue
import socket
import sys
from urllib.parse import parse_qs

from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI
from engineio.packet import Packet
from engineio.payload import Payload
from simple_websocket import ConnectionClosed
from wsproto.utilities import LocalProtocolError

# Under threads (no eventlet or gevent), Engine.IO holds a WebSocket with simple-websocket,
# which reads a client's messages as fast as they arrive, and queues each reply, on both
# transports, until the client takes it: neither sets a bound. uvicorn and granian stop
# reading from a client that falls behind; here the client loses its session instead.

MAX_MESSAGE = 1_000_000  # characters on a WebSocket, bytes in a long-polling POST
MAX_BEHIND = 8_000_000  # bytes a client's unhandled messages or unread replies may hold
MAX_UNHANDLED = 1024  # messages read from a WebSocket and not handled yet
PACKET_COST = 200  # bytes a queued packet holds besides its text (a small echo: about 180)
CHECK_EVERY = 1.0  # seconds between two checks of a WebSocket that receives nothing


def cost(item):
    # Memory a message or queued packet holds (getsizeof counts 4 bytes per emoji); None is
    # the marker Engine.IO queues to end its writer.
    if item is None:
        return 0
    data = getattr(item, "data", item)
    return PACKET_COST + (sys.getsizeof(data) if isinstance(data, (str, bytes)) else 0)


class MeteredQueue(queue.Queue):
    # Engine.IO's queue of one session's replies. Once they hold MAX_BEHIND, it takes no
    # more (its client has fallen too far behind) and is marked, so the session is ended.
    def _init(self, maxsize):
        super()._init(maxsize)
        self.held = 0
        self.overflowed = False

    def put(self, item, block=True, timeout=None):
        with self.mutex:
            if self.held + cost(item) > MAX_BEHIND:
                self.overflowed = True
                return
        super().put(item, block, timeout)

    def _put(self, item):
        super()._put(item)
        self.held += cost(item)

    def _get(self):
        item = super()._get()
        self.held -= cost(item)
        return item


class BoundedWebSocket(SimpleWebSocketWSGI):
    # Engine.IO's WebSocket under threads, which drops a client that falls behind.

    def __init__(self, handler, server, **kwargs):
        kwargs.setdefault("max_message_size", MAX_MESSAGE)  # simple-websocket counts characters
        super().__init__(handler, server, **kwargs)

    def wait(self):
        # The client's next message, or None: Engine.IO then ends the session.
        session = self.app.__self__  # Engine.IO's handler is a method of its session
        ended = False  # by Engine.IO (no answer to its pings): one check for its close packet
        while not self.behind(session) and not ended:
            try:
                message = self.ws.receive(timeout=CHECK_EVERY)
            except ConnectionClosed:  # its close reply may wait on a client that reads nothing
                self.ws.thread.join(CHECK_EVERY)
                break
            if message is not None:
                try:  # Engine.IO decodes it outside its own try: a traceback, a lingering session
                    Packet(encoded_packet=message)
                except ValueError:
                    break
                return message
            ended = session.closed
        self.drop()
        return None

    def behind(self, session):
        unhandled = self.ws.input_buffer[: MAX_UNHANDLED + 1]
        return (
            len(unhandled) > MAX_UNHANDLED
            or sum(map(cost, unhandled)) > MAX_BEHIND
            or session.queue.overflowed
            # A message over the limit: simple-websocket may still wait to send its close.
            or self.ws.incoming_message_len > MAX_MESSAGE
        )

    def drop(self):
        # No close frame: sending it would wait on a client that reads nothing. Shutting
        # the socket down ends simple-websocket's reading thread and Engine.IO's writer.
        self.ws.connected = False
        self.ws.input_buffer.clear()
        with contextlib.suppress(OSError):  # the client may have gone already
            self.ws.sock.shutdown(socket.SHUT_RDWR)

    def close(self):
        # Engine.IO's writer closes the connection as it ends: after a drop, or once the
        # client broke it, there is nothing left to close.
        with contextlib.suppress(ConnectionClosed, LocalProtocolError, OSError):
            super().close()


def bound_engineio(socketio):
    # Engine.IO has no option for these: they replace two classes in its driver table.
    eio = socketio.server.eio
    if eio.async_mode != "threading":
        raise RuntimeError(f"these limits are for threads, not {eio.async_mode}")
    eio._async = {**eio._async, "websocket": BoundedWebSocket, "queue": MeteredQueue}


def limit_engineio_requests(wsgi_app, socketio):
    prefix = socketio.sockio_mw.engineio_path  # "/socket.io/": other paths pass untouched

    def refuse(start_response, status, text):
        start_response(status, [("Content-Type", "text/plain")])
        return [text]

    def guarded(environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(prefix):
            return wsgi_app(environ, start_response)
        post = environ.get("REQUEST_METHOD") == "POST"
        # Read as Engine.IO reads a POST's length, so that none it would choke on gets past
        # ("" and "1e9" raise, "-1" would read the body to its end); a poll has none.
        try:
            length = int(environ.get("CONTENT_LENGTH", "0") if post else 0)
        except ValueError:
            length = -1
        if length < 0:
            return refuse(start_response, "400 Bad Request", b"Bad Content-Length\n")
        # python-engineio answers a POST over its limit by closing the session and then
        # waiting for the client's next poll: a client that never polls would hold the
        # worker's thread for good. A body that long is refused here, before Engine.IO.
        if length > MAX_MESSAGE:
            return refuse(start_response, "413 Content Too Large", b"Message too large\n")
        sid = parse_qs(environ.get("QUERY_STRING", "")).get("sid", [""])[0]
        eio = socketio.server.eio
        session = eio.sockets.get(sid)
        if session is not None and (session.closed or session.queue.overflowed):
            # A long-polling client that sent more than it polled for, or a session that
            # timed out but is still listed (Engine.IO answered a POST to it with a 500).
            session.close(wait=False, abort=True)
            environ["wsgi.input"].read(length)  # at most MAX_MESSAGE: the connection stays usable
            return refuse(start_response, "400 Bad Request", b"Session ended\n")
        if post:
            body = environ["wsgi.input"].read(length)
            try:  # Engine.IO logs a traceback for a payload it cannot decode, and answers 200
                Payload(encoded_payload=body.decode())
            except ValueError:  # also bad UTF-8, and more packets than Engine.IO decodes
                return refuse(start_response, "400 Bad Request", b"Malformed payload\n")
            environ["wsgi.input"] = io.BytesIO(body)
        try:
            return wsgi_app(environ, start_response)
        except KeyError:  # Engine.IO's POST, for a session that closed since the check above
            return refuse(start_response, "400 Bad Request", b"Session ended\n")

    return guarded
