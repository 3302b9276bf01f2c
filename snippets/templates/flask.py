from flask import Flask, abort, render_template, request

app = Flask(__name__)

ITEMS = {1: {"name": "Widget", "price": 9.5}, 2: {"name": "Lamp", "price": 25}}


@app.get("/items")
def list_items():
    name = request.args.get("name", "guest")
    return render_template("items.html", name=name, items=ITEMS.values())


@app.get("/items/<int:item_id>")
def read_item(item_id):
    if item_id not in ITEMS:
        abort(404)
    return render_template("item.html", item=ITEMS[item_id])
