from datetime import date

from django.urls import path
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

api = NinjaAPI(urls_namespace="serialization")

# No control characters: PostgreSQL refuses a NUL in text, and mail headers break on them.
TEXT = r"^[^\x00-\x1f\x7f-\x9f]*$"


class UserIn(Schema):
    username: str = Field(min_length=1, max_length=150, pattern=TEXT)
    email: str = Field(min_length=3, max_length=254, pattern=TEXT)
    password: str = Field(min_length=8, max_length=128)  # taken in, never sent back


class UserOut(Schema):
    id: int
    username: str
    email: str
    joined: date


USERS = {1: {"id": 1, "username": "ada", "email": "ada@example.com",
             "joined": date(2024, 5, 1), "password_hash": "pbkdf2_sha256$..."}}  # fmt: skip


@api.get("/users/{user_id}", response=UserOut)  # the schema filters the output
def get_user(request, user_id: int):
    if user_id not in USERS:
        raise HttpError(404, "User not found")
    return USERS[user_id]


@api.post("/users", response={201: UserOut})
def create_user(request, user: UserIn):
    new_id = max(USERS) + 1
    USERS[new_id] = {"id": new_id, "username": user.username, "email": user.email,
                     "joined": date.today(), "password_hash": "hashed elsewhere"}  # fmt: skip
    return Status(201, USERS[new_id])


urlpatterns = [
    path("", api.urls),
]
