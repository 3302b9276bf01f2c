from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings

from snippets.dependency_injection.tokens import user_for_token

app = FastAPI()
ITEMS = [f"item-{n}" for n in range(1, 101)]


class Settings(BaseSettings):
    # Overridable with the MAX_PAGE_SIZE environment variable, within bounds.
    max_page_size: int = Field(50, ge=1, le=1000)


@lru_cache
def get_settings() -> Settings:
    return Settings()


get_settings()  # read at import: a bad MAX_PAGE_SIZE stops the app, not every request


class User(BaseModel):
    name: str


def current_user(x_token: Annotated[str | None, Header()] = None) -> User:
    if x_token is None:
        raise HTTPException(401, "Missing X-Token header")
    if (name := user_for_token(x_token)) is None:
        raise HTTPException(401, "Invalid token")
    return User(name=name)


class Page(BaseModel):
    limit: int
    offset: int


def pagination(
    settings: Annotated[Settings, Depends(get_settings)], limit: int = 10, offset: int = 0
) -> Page:
    if not 1 <= limit <= settings.max_page_size or offset < 0:
        raise HTTPException(422, f"limit must be 1-{settings.max_page_size}, offset >= 0")
    return Page(limit=limit, offset=offset)


@app.get("/me")
async def me(user: Annotated[User, Depends(current_user)]):
    return {"user": user.name}


@app.get("/items")
async def list_items(
    page: Annotated[Page, Depends(pagination)], user: Annotated[User, Depends(current_user)]
):
    return {
        "user": user.name,
        "limit": page.limit,
        "offset": page.offset,
        "items": ITEMS[page.offset : page.offset + page.limit],
    }
