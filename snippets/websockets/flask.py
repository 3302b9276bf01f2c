from flask import Flask
from flask_socketio import SocketIO, emit

app = Flask(__name__)
socketio = SocketIO(app)  # serves the Socket.IO protocol at /socket.io/


@app.get("/")
def info():
    return {"socketio": "socket.io"}


@socketio.on("echo")
def echo(data):
    if not isinstance(data, dict) or "message" not in data:
        emit("error", {"error": 'expected {"message": ...}'})
        return
    emit("echo", {"echo": data["message"]})
