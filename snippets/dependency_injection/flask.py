from functools import wraps

from flask import Flask, current_app, g, request

from snippets.dependency_injection.tokens import user_for_token

app = Flask(__name__)
app.config["MAX_PAGE_SIZE"] = 50
ITEMS = [f"item-{n}" for n in range(1, 101)]


@app.before_request
def load_user():
    g.user = user_for_token(request.headers.get("X-Token"))


def token_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if "X-Token" not in request.headers:
            return {"detail": "Missing X-Token header"}, 401
        if g.user is None:
            return {"detail": "Invalid token"}, 401
        return view(*args, **kwargs)

    return wrapper


def pagination() -> tuple[int, int] | None:
    """(limit, offset) from the query string, or None when they are invalid."""
    limit, offset = request.args.get("limit", "10"), request.args.get("offset", "0")
    max_size = current_app.config["MAX_PAGE_SIZE"]
    # Length first: int() refuses more than 4,300 digits with ValueError, a 500.
    if not (
        limit.isdecimal()
        and len(limit) <= len(str(max_size))
        and offset.isdecimal()
        and len(offset) <= 18
    ):
        return None
    return (int(limit), int(offset)) if 1 <= int(limit) <= max_size else None


@app.get("/me")
@token_required
def me():
    return {"user": g.user}


@app.get("/items")
@token_required
def list_items():
    if (page := pagination()) is None:
        max_size = current_app.config["MAX_PAGE_SIZE"]
        return {"detail": f"limit must be 1-{max_size}, offset >= 0"}, 400
    limit, offset = page
    return {
        "user": g.user,
        "limit": limit,
        "offset": offset,
        "items": ITEMS[offset : offset + limit],
    }
