import logging
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError

from snippets.validation.flask_strict import strict_json

app = strict_json(Flask(__name__))  # see the validation page
executor = ThreadPoolExecutor(max_workers=2)  # per worker process; lost on restart
# Tasks queued or running at most: past it a signup gets 503, not a queue that grows while
# the mail server is slow.
backlog = threading.BoundedSemaphore(100)
log = logging.getLogger(__name__)
OUTBOX: deque[str] = deque(maxlen=100)  # stands in for a mail server: its last 100 mails
# One address, no whitespace and no control characters (a NUL breaks mail headers and
# PostgreSQL text).
EMAIL = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$"


class Signup(BaseModel):
    email: str = Field(max_length=254, pattern=EMAIL)  # 254: RFC 5321's limit


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
        # No "input": Pydantic would echo the rejected value (a password, say)
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return {"detail": errors}, 422
    if not backlog.acquire(blocking=False):
        return {"detail": "Too many signups waiting; try again soon"}, 503, {"Retry-After": "5"}
    # Runs in a pool thread, maybe before we return.
    task = executor.submit(send_welcome, body.email)
    task.add_done_callback(task_done)
    return {"queued": body.email}, 202


def task_done(task: Future) -> None:
    if error := task.exception():  # nothing else looks at a pool task's outcome
        log.error("welcome mail failed", exc_info=error)
    backlog.release()


@app.get("/outbox")
def outbox():
    return {"sent": list(OUTBOX)}
