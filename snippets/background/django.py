from collections import deque

from django.tasks import task
from django.urls import path
from ninja import NinjaAPI, Schema, Status
from pydantic import Field

api = NinjaAPI(urls_namespace="background")
OUTBOX: deque[str] = deque(maxlen=100)  # stands in for a mail server: its last 100 mails
# One address, no whitespace and no control characters (a NUL breaks mail headers and
# PostgreSQL text).
EMAIL = r"^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+\.[^@\s\x00-\x1f\x7f-\x9f]+$"


class Signup(Schema):
    email: str = Field(max_length=254, pattern=EMAIL)  # 254: RFC 5321's limit


@task
def send_welcome(email: str) -> None:
    OUTBOX.append(email)  # a real task would call django.core.mail.send_mail


@api.post("/signup", response={202: dict})
def signup(request, body: Signup):
    send_welcome.enqueue(body.email)  # the TASKS backend decides when and where it runs
    return Status(202, {"queued": body.email})


@api.get("/outbox")
def outbox(request):
    return {"sent": list(OUTBOX)}


urlpatterns = [
    path("", api.urls),
]
