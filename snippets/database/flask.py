from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError

from snippets.database.flask_db import Item, db, init_db
from snippets.validation.flask_strict import strict_json

# PostgreSQL's text holds no NUL character: psycopg refuses one (a 500), SQLite stores it.
NO_NUL = r"^[^\x00]*$"

app = strict_json(Flask(__name__))  # see the validation page
init_db(app)


class ItemIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    price: float = Field(gt=0, allow_inf_nan=False)


def item_dict(item):
    return {"id": item.id, "name": item.name, "price": item.price}


@app.post("/items")
def create_item():
    try:
        data = ItemIn.model_validate(request.get_json(silent=True))
    except ValidationError as exc:
        # No "input": Pydantic would echo the rejected value (a password, say)
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return {"detail": errors}, 422
    item = Item(**data.model_dump())
    db.session.add(item)
    db.session.commit()
    return item_dict(item), 201


# Bounded like the column (Integer: 32-bit on PostgreSQL): a larger id would reach the
# database and fail there ("integer out of range"), a 500.
@app.get(f"/items/<int(min=1, max={2**31 - 1}):item_id>")
def read_item(item_id):
    return item_dict(db.get_or_404(Item, item_id))


@app.get("/items")
def list_items():
    return [item_dict(item) for item in db.session.scalars(db.select(Item).order_by(Item.id))]
