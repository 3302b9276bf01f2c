from typing import Annotated

from fastapi import Depends, FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from snippets.async_database.fastapi_db import Author, Book, get_session
from snippets.validation.fastapi_strict import strict_json

# PostgreSQL's text holds no NUL character: psycopg refuses one (a 500), SQLite stores it.
NO_NUL = r"^[^\x00]*$"

app = strict_json(FastAPI())  # see the validation page
SessionDep = Annotated[AsyncSession, Depends(get_session)]
PAGE = 50  # the newest 50: a list endpoint never returns a whole table

Title = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]


class AuthorIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    books: list[Title] = Field(default=[], max_length=20)


class AuthorOut(BaseModel):  # not AuthorIn's rules: a row stored before them still lists
    id: int
    name: str
    books: list[str]


class BookOut(BaseModel):
    id: int
    title: str
    author: str


def author_out(author: Author) -> AuthorOut:
    return AuthorOut(id=author.id, name=author.name, books=[b.title for b in author.books])


@app.post("/authors", status_code=201)
async def create_author(data: AuthorIn, session: SessionDep) -> AuthorOut:
    author = Author(name=data.name, books=[Book(title=title) for title in data.books])
    async with session.begin():  # one transaction: the author and the books, or nothing
        session.add(author)
    return author_out(author)


async def authors_with_books(session: AsyncSession) -> list[Author]:
    """Two queries whatever the page size: the authors, then all their books (WHERE IN)."""
    query = select(Author).options(selectinload(Author.books)).order_by(Author.id.desc())
    return list(await session.scalars(query.limit(PAGE)))


async def authors_one_by_one(session: AsyncSession) -> list[Author]:
    """The N+1 trap, for comparison (no route serves it): one query per author's books."""
    authors = list(await session.scalars(select(Author).order_by(Author.id.desc()).limit(PAGE)))
    for author in authors:
        await author.awaitable_attrs.books  # `author.books` alone raises MissingGreenlet
    return authors


@app.get("/authors")
async def list_authors(session: SessionDep) -> list[AuthorOut]:
    return [author_out(author) for author in await authors_with_books(session)]


@app.get("/books")
async def list_books(session: SessionDep) -> list[BookOut]:
    # Many-to-one: one query, the author joined in.
    query = select(Book).options(joinedload(Book.author)).order_by(Book.id.desc()).limit(PAGE)
    books = await session.scalars(query)
    return [BookOut(id=b.id, title=b.title, author=b.author.name) for b in books]
