from flask import Flask, request

app = Flask(__name__)


@app.get("/items/<int:item_id>")
def read_item(item_id: int):
    return {"item_id": item_id, "q": request.args.get("q")}


@app.get("/users/<username>/posts")
def list_posts(username: str):
    page = request.args.get("page", 1, type=int)
    if page < 1:
        return {"error": "page must be 1 or more"}, 400
    return {"username": username, "page": page}
