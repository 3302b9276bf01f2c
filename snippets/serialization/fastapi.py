from datetime import date

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from snippets.validation.fastapi_strict import strict_json

app = strict_json(FastAPI())  # see the validation page

# No control characters: PostgreSQL refuses a NUL in text, and mail headers break on them.
TEXT = r"^[^\x00-\x1f\x7f-\x9f]*$"


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=150, pattern=TEXT)
    email: str = Field(min_length=3, max_length=254, pattern=TEXT)
    password: str = Field(min_length=8, max_length=128)  # taken in, never sent back


class UserOut(BaseModel):
    id: int
    username: str
    email: str
    joined: date


USERS = {1: {"id": 1, "username": "ada", "email": "ada@example.com",
             "joined": date(2024, 5, 1), "password_hash": "pbkdf2_sha256$..."}}  # fmt: skip


@app.get("/users/{user_id}", response_model=UserOut)  # the model filters the output
async def get_user(user_id: int):
    if user_id not in USERS:
        raise HTTPException(status_code=404, detail="User not found")
    return USERS[user_id]


@app.post("/users", response_model=UserOut, status_code=201)
async def create_user(user: UserIn):
    new_id = max(USERS) + 1
    USERS[new_id] = {"id": new_id, "username": user.username, "email": user.email,
                     "joined": date.today(), "password_hash": "hashed elsewhere"}  # fmt: skip
    return USERS[new_id]
