import asyncio
import pathlib
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, joinedload

from snippets.bench.fastapi_db import Row, get_session
from snippets.validation.fastapi_strict import strict_json

app = strict_json(FastAPI())  # see the validation page
templates = Jinja2Templates(directory=pathlib.Path(__file__).parent / "templates")
ITEMS = [f"item {i}" for i in range(20)] + ["<script>alert('x')</script>"]


class Item(BaseModel):
    name: str
    price: float = Field(allow_inf_nan=False)  # Infinity is no price, and not JSON
    description: str | None = None


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


@app.get("/json")
async def json():
    return {"message": "Hello, World!"}


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}


@app.post("/items", status_code=201)
async def create_item(item: Item):
    return item


@app.get("/db/{row_id}")
def read_row(
    row_id: Annotated[int, Path(gt=0, lt=2**31)],  # Integer ids: 32-bit on PostgreSQL
    session: Annotated[Session, Depends(get_session)],
):
    # One query: the row and its author through an inner join.
    row = session.get(Row, row_id, options=[joinedload(Row.author, innerjoin=True)])
    if row is None:
        raise HTTPException(status_code=404)
    return {"id": row.id, "title": row.title, "views": row.views, "author": row.author.name}


@app.get("/template", response_class=HTMLResponse)
async def template(request: Request):
    return templates.TemplateResponse(request, "items.html", {"title": "Items", "items": ITEMS})


@app.get("/io")
async def io():
    await asyncio.sleep(0.01)
    return {"waited_ms": 10}
