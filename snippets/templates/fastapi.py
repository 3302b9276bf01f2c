from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

ITEMS = {1: {"name": "Widget", "price": 9.5}, 2: {"name": "Lamp", "price": 25}}


@app.get("/items", response_class=HTMLResponse)
async def list_items(request: Request, name: str = "guest"):
    context = {"name": name, "items": ITEMS.values()}
    return templates.TemplateResponse(request, "items.html", context)


@app.get("/items/{item_id}", response_class=HTMLResponse)
async def read_item(request: Request, item_id: int):
    if item_id not in ITEMS:
        raise HTTPException(status_code=404, detail="Item not found")
    return templates.TemplateResponse(request, "item.html", {"item": ITEMS[item_id]})
