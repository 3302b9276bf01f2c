from functools import lru_cache
from typing import Annotated

from fastapi import Depends, FastAPI, Query
from pydantic_settings import BaseSettings

app = FastAPI()


class Settings(BaseSettings):
    greeting: str = "Hello"


@lru_cache
def get_settings() -> Settings:
    return Settings()


@app.get("/hello")
async def hello(
    settings: Annotated[Settings, Depends(get_settings)],
    name: Annotated[str, Query(max_length=20)] = "world",
):
    return {"message": f"{settings.greeting}, {name}!"}
