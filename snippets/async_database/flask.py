import os
from pathlib import Path
from typing import Annotated

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

from snippets.validation.flask_strict import strict_json

# PostgreSQL's text holds no NUL character: psycopg refuses one (a 500), SQLite stores it.
NO_NUL = r"^[^\x00]*$"

# The database page's URL (GUIDE_DATABASE_URL), and its SQLite file when none is set.
DATA_HOME = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
DATA_DIR = Path(DATA_HOME) / "verified-guide"
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DEFAULT_URL = f"sqlite:///{DATA_DIR / 'guide.sqlite3'}"
PAGE = 50  # the newest 50: a list endpoint never returns a whole table


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)  # sync SQLAlchemy: Flask has no async database layer


class Author(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    books: Mapped[list["Book"]] = relationship(back_populates="author", order_by="Book.id")


class Book(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"), index=True)
    author: Mapped[Author] = relationship(back_populates="books")


def init_db(app, url=None):
    """Bind the database and create the tables (for brevity: the database page shows the
    migrations a real project keeps, with Flask-Migrate)."""
    app.config["SQLALCHEMY_DATABASE_URI"] = url or os.environ.get("GUIDE_DATABASE_URL", DEFAULT_URL)
    db.init_app(app)
    with app.app_context():
        db.create_all()


app = strict_json(Flask(__name__))  # see the validation page
init_db(app)


class AuthorIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    books: list[Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]] = Field(
        default=[], max_length=20
    )


def author_dict(author):
    return {"id": author.id, "name": author.name, "books": [b.title for b in author.books]}


@app.post("/authors")
def create_author():
    try:
        data = AuthorIn.model_validate(request.get_json(silent=True))
    except ValidationError as exc:
        # No "input": Pydantic would echo the rejected value (a password, say)
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        return {"detail": errors}, 422
    author = Author(name=data.name, books=[Book(title=title) for title in data.books])
    db.session.add(author)
    db.session.commit()  # the author and the books in one transaction
    return author_dict(author), 201


def authors_with_books():
    """Two queries whatever the page size: the authors, then all their books (WHERE IN)."""
    query = db.select(Author).options(selectinload(Author.books)).order_by(Author.id.desc())
    return list(db.session.scalars(query.limit(PAGE)))


def authors_one_by_one():
    """The N+1 trap, for comparison (no route serves it): each `author.books` is a query."""
    authors = list(db.session.scalars(db.select(Author).order_by(Author.id.desc()).limit(PAGE)))
    for author in authors:
        author.books  # noqa: B018 - a lazy load, silently, in sync code
    return authors


@app.get("/authors")
def list_authors():
    return [author_dict(author) for author in authors_with_books()]


@app.get("/books")
def list_books():
    # Many-to-one: one query, the author joined in.
    query = db.select(Book).options(joinedload(Book.author)).order_by(Book.id.desc()).limit(PAGE)
    return [
        {"id": b.id, "title": b.title, "author": b.author.name} for b in db.session.scalars(query)
    ]
