import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from snippets.configuration.secret_env import require_secret
from snippets.validation.fastapi_strict import strict_json

API_TOKEN = require_secret("ITEMS_API_TOKEN")

app = strict_json(FastAPI(title="Items API", version="1.0.0"))  # see the validation page
bearer = HTTPBearer()


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    price: float = Field(gt=0, allow_inf_nan=False)


class Error(BaseModel):
    detail: str


ITEMS: dict[int, Item] = {1: Item(name="Widget", price=9.5)}


def require_token(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> None:
    if not secrets.compare_digest(credentials.credentials.encode(), API_TOKEN.encode()):
        raise HTTPException(status_code=401, detail="Invalid token")


@app.get("/items/{item_id}", responses={404: {"model": Error}})
async def read_item(item_id: int) -> Item:
    """Return one item by its id."""
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="Item not found")
    return ITEMS[item_id]


@app.post("/items", status_code=201, dependencies=[Depends(require_token)])
async def create_item(item: Item) -> Item:
    """Create an item (needs a bearer token)."""
    ITEMS[max(ITEMS) + 1] = item
    return item
