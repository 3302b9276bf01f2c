import json

import pydantic_core
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

app = FastAPI()
COMPACT = (",", ":")  # send_json's separators


@app.get("/")
async def info():
    return {"websocket": "ws"}


@app.websocket("/ws")
async def echo(websocket: WebSocket):
    await websocket.accept()
    try:
        while True:
            try:
                received = await websocket.receive_text()  # KeyError for a binary frame
                # Unlike json.loads: no NaN, no lone surrogate ("\ud800", which the server
                # could not encode to send back), about 200 levels of nesting at most.
                message = pydantic_core.from_json(received, allow_inf_nan=False)["message"]
                # allow_nan=False: 1e400 reads as infinity, which JSON cannot carry back.
                echo = {"echo": message}
                reply = json.dumps(echo, separators=COMPACT, ensure_ascii=False, allow_nan=False)
            except (ValueError, KeyError, TypeError):
                reply = json.dumps({"error": 'expected {"message": ...}'}, separators=COMPACT)
            await websocket.send_text(reply)  # what send_json sends, never NaN or Infinity
    except WebSocketDisconnect:
        pass  # the client went away
