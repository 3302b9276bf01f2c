import secrets

from django.conf import settings
from django.urls import path
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

# BOOKS_API_TOKEN is read in settings (django_settings.py): a missing one stops the server.


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        if secrets.compare_digest(token.encode(), settings.BOOKS_API_TOKEN.encode()):
            return token
        return None  # Ninja answers 401


api = NinjaAPI(title="Books API", version="1.0.0", urls_namespace="rest_api_ninja")


@api.exception_handler(AuthenticationError)
def challenge(request, exc):
    # Ninja's own 401 names no scheme; HTTP requires a 401 to say which one to use.
    response = api.create_response(request, {"detail": str(exc)}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


class BookIn(Schema):
    # No control characters: PostgreSQL refuses a NUL in text, and a title is shown to people.
    title: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")
    year: int = Field(ge=1450, le=2100)


class Book(BookIn):
    id: int


class Page(Schema):
    count: int
    results: list[Book]


class Filters(Schema):
    year: int | None = None
    limit: int = Field(10, ge=1, le=50)
    offset: int = Field(0, ge=0)


BOOKS = {
    1: Book(id=1, title="Dune", year=1965),
    2: Book(id=2, title="Neuromancer", year=1984),
    3: Book(id=3, title="Hyperion", year=1989),
}


def get_book(book_id):
    if book_id not in BOOKS:
        raise HttpError(404, "Book not found")
    return BOOKS[book_id]


@api.get("/books", response=Page)
def list_books(request, filters: Query[Filters]):
    found = [b for b in BOOKS.values() if filters.year is None or b.year == filters.year]
    return {"count": len(found), "results": found[filters.offset : filters.offset + filters.limit]}


@api.post("/books", response={201: Book}, auth=BearerToken())
def create_book(request, data: BookIn):
    book = Book(id=max(BOOKS, default=0) + 1, **data.dict())
    BOOKS[book.id] = book
    return Status(201, book)


@api.get("/books/{int:book_id}", response=Book)
def read_book(request, book_id: int):
    return get_book(book_id)


@api.put("/books/{int:book_id}", response=Book, auth=BearerToken())
def update_book(request, book_id: int, data: BookIn):
    BOOKS[get_book(book_id).id] = Book(id=book_id, **data.dict())
    return BOOKS[book_id]


@api.delete("/books/{int:book_id}", response={204: None}, auth=BearerToken())
def delete_book(request, book_id: int):
    del BOOKS[get_book(book_id).id]
    return Status(204, None)


urlpatterns = [
    path("", api.urls),
]
