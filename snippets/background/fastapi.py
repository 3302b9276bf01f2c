from collections import deque

from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel, Field

from snippets.validation.fastapi_strict import strict_json

app = strict_json(FastAPI())  # see the validation page
OUTBOX: deque[str] = deque(maxlen=100)  # stands in for a mail server: its last 100 mails
# One address, no whitespace and no control characters (a NUL breaks mail headers and
# PostgreSQL text).
EMAIL = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$"


class Signup(BaseModel):
    email: str = Field(max_length=254, pattern=EMAIL)  # 254: RFC 5321's limit


async def send_welcome(email: str) -> None:
    OUTBOX.append(email)  # a real task would await an SMTP or HTTP client here


@app.post("/signup", status_code=202)
async def signup(body: Signup, background_tasks: BackgroundTasks):
    background_tasks.add_task(send_welcome, body.email)  # runs after the response is sent
    return {"queued": body.email}


@app.get("/outbox")
async def outbox():
    return {"sent": list(OUTBOX)}
