import secrets

from apiflask import APIFlask, HTTPTokenAuth, Schema, abort
from apiflask.fields import Integer, List, Nested, String
from apiflask.validators import Length, Range, Regexp

from snippets.configuration.secret_env import require_secret
from snippets.validation.flask_apiflask import hardened

API_TOKEN = require_secret("BOOKS_API_TOKEN")  # missing: the app does not start


app = hardened(APIFlask(__name__, title="Books API", version="1.0.0"))  # see the validation page
auth = HTTPTokenAuth(scheme="Bearer")


@auth.verify_token
def verify_token(token):
    if secrets.compare_digest(token.encode(), API_TOKEN.encode()):
        return token
    return None


class BookIn(Schema):
    # No control characters (PostgreSQL refuses a NUL in text), and text, not lone halves of
    # a UTF-16 pair: JSON's "\ud800" parses to one, which no encoder can write out again.
    title = String(
        required=True,
        validate=[Length(min=1, max=200), Regexp(r"\A[^\x00-\x1f\x7f-\x9f\ud800-\udfff]*\Z")],
    )
    year = Integer(required=True, strict=True, validate=Range(min=1450, max=2100))


class Book(BookIn):
    id = Integer(required=True)


class Filters(Schema):
    year = Integer()
    limit = Integer(load_default=10, validate=Range(min=1, max=50))
    offset = Integer(load_default=0, validate=Range(min=0))


class Page(Schema):
    count = Integer()
    results = List(Nested(Book))


BOOKS = {
    1: {"id": 1, "title": "Dune", "year": 1965},
    2: {"id": 2, "title": "Neuromancer", "year": 1984},
    3: {"id": 3, "title": "Hyperion", "year": 1989},
}


def get_book(book_id):
    if book_id not in BOOKS:
        abort(404, "Book not found")
    return BOOKS[book_id]


@app.get("/books")
@app.input(Filters, location="query", arg_name="filters")
@app.output(Page)
def list_books(filters):
    year, offset = filters.get("year"), filters["offset"]
    found = [b for b in BOOKS.values() if year is None or b["year"] == year]
    return {"count": len(found), "results": found[offset : offset + filters["limit"]]}


@app.post("/books")
@app.auth_required(auth)
@app.input(BookIn, arg_name="data")
@app.output(Book, status_code=201)
def create_book(data):
    book = {"id": max(BOOKS, default=0) + 1, **data}
    BOOKS[book["id"]] = book
    return book


@app.get("/books/<int:book_id>")
@app.output(Book)
def read_book(book_id):
    return get_book(book_id)


@app.put("/books/<int:book_id>")
@app.auth_required(auth)
@app.input(BookIn, arg_name="data")
@app.output(Book)
def update_book(book_id, data):
    get_book(book_id).update(data)
    return BOOKS[book_id]


@app.delete("/books/<int:book_id>")
@app.auth_required(auth)
@app.output({}, status_code=204)
def delete_book(book_id):
    del BOOKS[get_book(book_id)["id"]]
    return ""
