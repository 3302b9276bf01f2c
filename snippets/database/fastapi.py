from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Path
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from snippets.database.fastapi_db import Item, get_session
from snippets.validation.fastapi_strict import strict_json

# PostgreSQL's text holds no NUL character: psycopg refuses one (a 500), SQLite stores it.
NO_NUL = r"^[^\x00]*$"

app = strict_json(FastAPI())  # see the validation page
SessionDep = Annotated[Session, Depends(get_session)]


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    price: float = Field(gt=0, allow_inf_nan=False)


class ItemOut(BaseModel):  # not ItemIn's rules: a row stored before them still lists
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    price: float


@app.post("/items", status_code=201)
def create_item(data: ItemIn, session: SessionDep) -> ItemOut:
    item = Item(**data.model_dump())
    session.add(item)
    session.commit()
    session.refresh(item)
    return item


# Bounded like the column (Integer: 32-bit on PostgreSQL): a larger id would reach the
# database and fail there ("integer out of range"), a 500.
@app.get("/items/{item_id}")
def read_item(item_id: Annotated[int, Path(gt=0, lt=2**31)], session: SessionDep) -> ItemOut:
    item = session.get(Item, item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


@app.get("/items")
def list_items(session: SessionDep) -> list[ItemOut]:
    return session.scalars(select(Item).order_by(Item.id)).all()
