import secrets

from apiflask import APIFlask, HTTPTokenAuth, Schema, abort
from apiflask.fields import Float, String
from apiflask.validators import Length, Range

from snippets.configuration.secret_env import require_secret
from snippets.validation.flask_apiflask import hardened

API_TOKEN = require_secret("ITEMS_API_TOKEN")


app = hardened(APIFlask(__name__, title="Items API", version="1.0.0"))  # see the validation page
auth = HTTPTokenAuth(scheme="Bearer")


@auth.verify_token
def verify_token(token):
    if secrets.compare_digest(token.encode(), API_TOKEN.encode()):
        return token
    return None


class Item(Schema):
    name = String(required=True, validate=Length(min=1, max=100))
    price = Float(required=True, validate=Range(min=0, min_inclusive=False))


ITEMS: dict[int, dict] = {1: {"name": "Widget", "price": 9.5}}


@app.get("/items/<int:item_id>")
@app.output(Item)
@app.doc(responses=[404])
def read_item(item_id):
    """Return one item by its id."""
    if item_id not in ITEMS:
        abort(404, "Item not found")
    return ITEMS[item_id]


@app.post("/items")
@app.auth_required(auth)
@app.input(Item)
@app.output(Item, status_code=201)
def create_item(json_data):
    """Create an item (needs a bearer token)."""
    ITEMS[max(ITEMS) + 1] = json_data
    return json_data
