from concurrent.futures import ThreadPoolExecutor

from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError

from snippets.validation.flask_strict import strict_json

app = strict_json(Flask(__name__))  # see the validation page
executor = ThreadPoolExecutor(max_workers=2)  # per worker process; lost on restart
OUTBOX: list[str] = []  # stands in for a mail server


class Signup(BaseModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def send_welcome(email: str) -> None:
    OUTBOX.append(email)  # a real task would call an SMTP client here


@app.post("/signup")
def signup():
    data = request.get_json(silent=True)
    if data is None:
        return {"detail": "Request body must be valid JSON"}, 400
    try:
        body = Signup.model_validate(data)
    except ValidationError as exc:
        return {"detail": exc.errors(include_url=False, include_context=False)}, 422
    executor.submit(send_welcome, body.email)  # runs in a pool thread, maybe before we return
    return {"queued": body.email}, 202


@app.get("/outbox")
def outbox():
    return {"sent": OUTBOX}
