"""SQLAlchemy 2 model and session for the FastAPI benchmark endpoint."""

from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from snippets.bench.seed import database_url, seed

seed()
engine = create_engine(database_url())


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "bench_row"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    views: Mapped[int]


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
