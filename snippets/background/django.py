from django.tasks import task
from django.urls import path
from ninja import NinjaAPI, Schema, Status
from pydantic import Field

api = NinjaAPI(urls_namespace="background")
OUTBOX: list[str] = []  # stands in for a mail server


class Signup(Schema):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@task
def send_welcome(email: str) -> None:
    OUTBOX.append(email)  # a real task would call django.core.mail.send_mail


@api.post("/signup", response={202: dict})
def signup(request, body: Signup):
    send_welcome.enqueue(body.email)  # the TASKS backend decides when and where it runs
    return Status(202, {"queued": body.email})


@api.get("/outbox")
def outbox(request):
    return {"sent": OUTBOX}


urlpatterns = [
    path("", api.urls),
]
