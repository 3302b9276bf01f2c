from flask import Flask, request

app = Flask(__name__)
MAX_PAGE = 10_000  # a bound, so no page number becomes a huge OFFSET further down


@app.get("/items/<int:item_id>")
def read_item(item_id: int):
    return {"item_id": item_id, "q": request.args.get("q")}


@app.get("/users/<username>/posts")
def list_posts(username: str):
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= MAX_PAGE:
        return {"error": f"page must be 1 to {MAX_PAGE}"}, 400
    return {"username": username, "page": page}
