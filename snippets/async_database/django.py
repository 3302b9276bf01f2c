from typing import Annotated

from asgiref.sync import sync_to_async
from django.db import transaction
from django.urls import path
from ninja import Field, NinjaAPI, Schema, Status

from snippets.async_database.django_models import Author, Book

# PostgreSQL's text holds no NUL character: psycopg refuses one (a 500), SQLite stores it.
NO_NUL = r"^[^\x00]*$"

api = NinjaAPI(urls_namespace="async_database")
PAGE = 50  # the newest 50: a list endpoint never returns a whole table


class AuthorIn(Schema):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    books: list[Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]] = Field(
        default=[], max_length=20
    )


class AuthorOut(Schema):  # not AuthorIn's rules: a row stored before them still lists
    id: int
    name: str
    books: list[str]


class BookOut(Schema):
    id: int
    title: str
    author: str


def author_out(author):
    return AuthorOut(id=author.id, name=author.name, books=[b.title for b in author.books.all()])


@sync_to_async
def save_author(data):
    # transaction.atomic has no async form: the whole block runs in a worker thread.
    with transaction.atomic():
        author = Author.objects.create(name=data.name)
        Book.objects.bulk_create(Book(author=author, title=title) for title in data.books)
    return author


@api.post("/authors", response={201: AuthorOut})
async def create_author(request, data: AuthorIn):
    author = await save_author(data)
    return Status(201, AuthorOut(id=author.id, name=author.name, books=data.books))


async def authors_with_books():
    """Two queries whatever the page size: the authors, then all their books (WHERE IN)."""
    query = Author.objects.prefetch_related("books").order_by("-id")[:PAGE]
    return [author async for author in query]  # each query still runs in a worker thread


async def authors_one_by_one():
    """The N+1 trap, for comparison (no route serves it): one query per author's books."""
    authors = [author async for author in Author.objects.order_by("-id")[:PAGE]]
    for author in authors:
        # list(author.books.all()) would raise SynchronousOnlyOperation here
        author.fetched_books = [book async for book in author.books.all()]
    return authors


@api.get("/authors", response=list[AuthorOut])
async def list_authors(request):
    return [author_out(author) for author in await authors_with_books()]


@api.get("/books", response=list[BookOut])
async def list_books(request):
    # Many-to-one: one query, the author joined in.
    query = Book.objects.select_related("author").order_by("-id")[:PAGE]
    return [BookOut(id=b.id, title=b.title, author=b.author.name) async for b in query]


urlpatterns = [
    path("", api.urls),
]
