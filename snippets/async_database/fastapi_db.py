import os
from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import ForeignKey, String, create_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncAttrs, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# The database page's URL (GUIDE_DATABASE_URL), and its SQLite file when none is set.
DATA_HOME = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
DATA_DIR = Path(DATA_HOME) / "verified-guide"
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DATABASE_URL = make_url(
    os.environ.get("GUIDE_DATABASE_URL", f"sqlite:///{DATA_DIR / 'guide.sqlite3'}")
)


def async_url(url: URL) -> URL:
    """The same database through an asyncio driver: psycopg 3 has one built in (SQLAlchemy
    picks it for postgresql+psycopg), SQLite needs aiosqlite."""
    return url.set(drivername="sqlite+aiosqlite") if url.drivername == "sqlite" else url


engine = create_async_engine(async_url(DATABASE_URL), pool_pre_ping=True)
SessionMaker = async_sessionmaker(engine, expire_on_commit=False)


class Base(AsyncAttrs, DeclarativeBase):  # AsyncAttrs: `await author.awaitable_attrs.books`
    pass


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    books: Mapped[list["Book"]] = relationship(back_populates="author", order_by="Book.id")


class Book(Base):
    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), index=True)
    author: Mapped[Author] = relationship(back_populates="books")


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionMaker() as session:
        yield session


def create_tables(url: URL = DATABASE_URL) -> None:
    """The two tables, created when the app starts (for brevity: the database page shows
    the migrations a real project keeps, with Alembic)."""
    sync_engine = create_engine(url)
    Base.metadata.create_all(sync_engine)
    sync_engine.dispose()


create_tables()
