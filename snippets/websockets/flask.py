import json
import math

from flask import Flask
from flask_socketio import SocketIO, emit
from socketio.packet import Packet

from snippets.websockets.flask_limits import MAX_MESSAGE, bound_engineio, limit_engineio_requests


def finite(text):
    number = float(text)
    if not math.isfinite(number):  # 1e400
        raise ValueError("not a finite number")
    return number


def not_json(name):
    raise ValueError(f"{name} is not JSON")


class StrictJSON:
    # python-socketio reads and writes frames with json.loads/dumps, which take NaN and
    # Infinity: JSON has neither, and a browser's socket.io-client fails on them. A frame
    # that does not decode is dropped, as malformed JSON already was.
    @staticmethod
    def loads(text, **kwargs):
        return json.loads(text, parse_constant=not_json, parse_float=finite, **kwargs)

    @staticmethod
    def dumps(value, **kwargs):
        return json.dumps(value, allow_nan=False, **kwargs)


class TextOnlyPacket(Packet):
    # A packet may announce binary attachments (up to 10 digits of them): the server then keeps
    # every later message of that session as one, in memory, and the echo never answers again.
    # The echo takes text only, so such a packet is dropped like a malformed one.
    def decode(self, encoded_packet):
        if super().decode(encoded_packet):
            raise ValueError("binary attachments are not accepted")
        return 0


app = Flask(__name__)
socketio = SocketIO(  # at /socket.io/
    app,
    max_http_buffer_size=MAX_MESSAGE,
    json=StrictJSON,
    serializer=TextOnlyPacket,
    async_handlers=False,  # each message in turn on its connection's thread, not a thread each
)
bound_engineio(socketio)  # flask_limits.py: how far a client may fall behind
app.wsgi_app = limit_engineio_requests(app.wsgi_app, socketio)  # outside Flask-SocketIO's


@app.get("/")
def info():
    return {"socketio": "socket.io"}


@socketio.on("echo")
def echo(data=None, *extra):  # any number of arguments: a wrong count gets the error too
    if extra or not isinstance(data, dict) or "message" not in data:
        emit("error", {"error": 'expected {"message": ...}'})
        return
    emit("echo", {"echo": data["message"]})
