import secrets
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from snippets.configuration.secret_env import require_secret
from snippets.validation.fastapi_strict import strict_json

API_TOKEN = require_secret("BOOKS_API_TOKEN")  # missing: the app does not start

app = strict_json(FastAPI(title="Books API", version="1.0.0"))  # see the validation page
bearer = HTTPBearer()


class BookIn(BaseModel):
    # No control characters: PostgreSQL refuses a NUL in text, and a title is shown to people.
    title: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f]*$")
    year: int = Field(ge=1450, le=2100)


class Book(BookIn):
    id: int


class Page(BaseModel):
    count: int
    results: list[Book]


BOOKS: dict[int, Book] = {
    1: Book(id=1, title="Dune", year=1965),
    2: Book(id=2, title="Neuromancer", year=1984),
    3: Book(id=3, title="Hyperion", year=1989),
}


def require_token(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]) -> None:
    token = credentials.credentials.encode()
    if not secrets.compare_digest(token, API_TOKEN.encode()):
        raise HTTPException(401, "Invalid token", headers={"WWW-Authenticate": "Bearer"})


def get_book(book_id: int) -> Book:
    if book_id not in BOOKS:
        raise HTTPException(404, "Book not found")
    return BOOKS[book_id]


Auth = [Depends(require_token)]


@app.get("/books")
def list_books(
    year: int | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page:
    found = [b for b in BOOKS.values() if year is None or b.year == year]
    return Page(count=len(found), results=found[offset : offset + limit])


@app.post("/books", status_code=201, dependencies=Auth)
def create_book(data: BookIn) -> Book:
    book = Book(id=max(BOOKS, default=0) + 1, **data.model_dump())
    BOOKS[book.id] = book
    return book


@app.get("/books/{book_id}")
def read_book(book: Annotated[Book, Depends(get_book)]) -> Book:
    return book


@app.put("/books/{book_id}", dependencies=Auth)
def update_book(book: Annotated[Book, Depends(get_book)], data: BookIn) -> Book:
    BOOKS[book.id] = Book(id=book.id, **data.model_dump())
    return BOOKS[book.id]


@app.delete("/books/{book_id}", status_code=204, dependencies=Auth)
def delete_book(book: Annotated[Book, Depends(get_book)]) -> Response:
    del BOOKS[book.id]
    return Response(status_code=204)
