import json

from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()


@app.get("/")
async def info():
    return {"websocket": "ws"}


@app.websocket("/ws")
async def echo(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            try:
                message = json.loads(await websocket.receive_text())["message"]
            except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: [[[[...
                await websocket.send_json({"error": 'expected {"message": ...}'})
                continue
            await websocket.send_json({"echo": message})
    except WebSocketDisconnect:
        pass  # the client went away
