import os
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Float, String, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

# No URL means local development: a SQLite file (not a secret, so a default is fine).
# PostgreSQL: postgresql+psycopg://user:password@host:5432/name (psycopg 3).
# Not the shared temp dir, where every user of the machine could read the file: a folder
# only its owner can open.
DATA_HOME = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
DATA_DIR = Path(DATA_HOME) / "verified-guide"
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DEFAULT_URL = f"sqlite:///{DATA_DIR / 'guide.sqlite3'}"
DATABASE_URL = os.environ.get("GUIDE_DATABASE_URL", DEFAULT_URL)
# SQLAlchemy's QueuePool: up to 5 kept + 10 extra connections per process, each checked
# with a cheap ping before use so a restarted server does not fail the next request.
engine = create_engine(DATABASE_URL, pool_size=5, max_overflow=10, pool_pre_ping=True)


class Base(DeclarativeBase):
    pass


class Item(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[float] = mapped_column(Float)  # bare Mapped[float] would be Double


class User(Base):
    """The account model of the auth and admin topics."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def upgrade_database(url: str = DATABASE_URL) -> None:
    """What `alembic upgrade head` does, run when the app starts."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "fastapi_alembic"))
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")


upgrade_database()
