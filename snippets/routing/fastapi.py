from fastapi import FastAPI, Query

app = FastAPI()
MAX_PAGE = 10_000  # a bound, so no page number becomes a huge OFFSET further down


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None) -> dict:
    return {"item_id": item_id, "q": q}


@app.get("/users/{username}/posts")
async def list_posts(username: str, page: int = Query(1, ge=1, le=MAX_PAGE)) -> dict:
    return {"username": username, "page": page}
