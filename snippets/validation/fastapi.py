from fastapi import FastAPI
from pydantic import BaseModel, Field

from snippets.validation.fastapi_strict import strict_json

app = strict_json(FastAPI())  # *_strict.py, in this tab


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    price: float = Field(gt=0, allow_inf_nan=False)
    description: str | None = None


@app.post("/items", status_code=201)
async def create_item(item: Item) -> Item:
    return item
