import os
from pathlib import Path

from flask_login import UserMixin
from flask_migrate import Migrate, upgrade
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Float, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Not the shared temp dir, where every user of the machine could read the file: a folder
# only its owner can open.
DATA_HOME = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
DATA_DIR = Path(DATA_HOME) / "verified-guide"
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DEFAULT_URL = f"sqlite:///{DATA_DIR / 'guide.sqlite3'}"
MIGRATIONS = Path(__file__).parent / "flask_migrations"


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
# The demo apps share one database: this Alembic history keeps its own version table.
migrate = Migrate(db=db, directory=str(MIGRATIONS), version_table="flask_alembic_version")


class Item(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    price: Mapped[float] = mapped_column(Float)  # bare Mapped[float] would be Double


class User(UserMixin, db.Model):
    """The account model of the auth and admin topics."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)


def init_db(app):
    """Bind the database to an app and apply its migrations (`flask db upgrade`)."""
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", os.environ.get("GUIDE_DATABASE_URL", DEFAULT_URL)
    )
    # The engine's pool, as in the FastAPI version (SQLAlchemy's QueuePool).
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", {"pool_size": 5, "max_overflow": 10, "pool_pre_ping": True}
    )
    db.init_app(app)
    migrate.init_app(app)
    with app.app_context():
        upgrade()
