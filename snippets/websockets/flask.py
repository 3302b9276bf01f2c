from flask import Flask
from flask_socketio import SocketIO, emit

MAX_MESSAGE = 1_000_000  # bytes: Engine.IO's own default, stated so both checks agree

app = Flask(__name__)
socketio = SocketIO(app, max_http_buffer_size=MAX_MESSAGE)  # Socket.IO at /socket.io/


def refuse_long_polls(wsgi_app):
    # python-engineio answers a long-polling POST over its limit by closing the session and
    # then waiting for the client's next poll: a client that never polls holds the worker's
    # thread for good. A body that long is refused here, before Engine.IO sees it.
    def guarded(environ, start_response):
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > MAX_MESSAGE:
            start_response("413 Content Too Large", [("Content-Type", "text/plain")])
            return [b"Message too large\n"]
        return wsgi_app(environ, start_response)

    return guarded


app.wsgi_app = refuse_long_polls(app.wsgi_app)  # outside Flask-SocketIO's middleware


@app.get("/")
def info():
    return {"socketio": "socket.io"}


@socketio.on("echo")
def echo(data):
    if not isinstance(data, dict) or "message" not in data:
        emit("error", {"error": 'expected {"message": ...}'})
        return
    emit("echo", {"echo": data["message"]})
