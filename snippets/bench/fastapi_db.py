"""SQLAlchemy 2 model and session for the FastAPI benchmark endpoint."""

from collections.abc import Iterator

from sqlalchemy import ForeignKey, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from snippets.bench.seed import database_url, seed

seed()
engine = create_engine(database_url())


class Base(DeclarativeBase):
    pass


class Author(Base):
    __tablename__ = "bench_author"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]


class Row(Base):
    __tablename__ = "bench_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    views: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("bench_author.id"))
    author: Mapped[Author] = relationship()


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
