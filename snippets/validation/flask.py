from flask import Flask, request
from pydantic import BaseModel, Field, ValidationError

from snippets.validation.flask_strict import strict_json

app = strict_json(Flask(__name__))  # *_strict.py, in this tab


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    price: float = Field(gt=0, allow_inf_nan=False)
    description: str | None = None


@app.post("/items")
def create_item():
    data = request.get_json(silent=True)
    if data is None:
        return {"detail": "Request body must be valid JSON"}, 400
    try:
        item = Item.model_validate(data)
    except ValidationError as exc:
        # No "input": Pydantic would echo the rejected value (a password, say)
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return {"detail": errors}, 422
    return item.model_dump(), 201
