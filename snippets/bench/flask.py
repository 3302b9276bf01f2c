import math
import time

from flask import Flask, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Mapped, joinedload, mapped_column

from snippets.bench.seed import database_url, seed
from snippets.validation.flask_strict import strict_json

seed()
app = strict_json(Flask(__name__))  # see the validation page
app.config["SQLALCHEMY_DATABASE_URI"] = database_url()
db = SQLAlchemy(app)
ITEMS = [f"item {i}" for i in range(20)] + ["<script>alert('x')</script>"]


class Author(db.Model):
    __tablename__ = "bench_author"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Row(db.Model):
    __tablename__ = "bench_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    views: Mapped[int]
    author_id: Mapped[int] = mapped_column(db.ForeignKey("bench_author.id"))
    author: Mapped[Author] = db.relationship()


@app.get("/plaintext")
def plaintext():
    return "Hello, World!", {"Content-Type": "text/plain"}


@app.get("/json")
def json():
    return {"message": "Hello, World!"}


@app.get("/items/<int:item_id>")
def read_item(item_id):
    return {"item_id": item_id, "q": request.args.get("q")}


def as_price(value):
    # A finite float, or None: float() of an integer past a float's range (400 digits) raises
    # OverflowError, and 1e400 parses as inf, which is no price and not JSON.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        price = float(value)
    except OverflowError:
        return None
    return price if math.isfinite(price) else None


@app.post("/items")
def create_item():
    data = request.get_json(silent=True)
    item = data if isinstance(data, dict) else {}
    name, price, description = (
        item.get("name"),
        as_price(item.get("price")),
        item.get("description"),
    )
    if not isinstance(name, str) or price is None or not isinstance(description, str | None):
        return {"error": "name (string) and price (number) are required"}, 400
    return {"name": name, "price": price, "description": description}, 201


# Bounded like the id column (Integer: 32-bit on PostgreSQL): a larger id is a 404 here,
# not "integer out of range" from the database, a 500.
@app.get(f"/db/<int(min=1, max={2**31 - 1}):row_id>")
def read_row(row_id):
    # One query: the row and its author through an inner join.
    query = db.select(Row).options(joinedload(Row.author, innerjoin=True)).filter_by(id=row_id)
    row = db.first_or_404(query)
    return {"id": row.id, "title": row.title, "views": row.views, "author": row.author.name}


@app.get("/template")
def template():
    return render_template("items.html", title="Items", items=ITEMS)


@app.get("/io")
def io():
    time.sleep(0.01)
    return {"waited_ms": 10}
