# Lines of the project's settings.py: the database comes from GUIDE_DATABASE_URL.
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

# No URL means local development: the SQLite file the other versions use too, in a folder
# only its owner can open (not a secret, so a default is fine).
DATA_HOME = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
DATA_DIR = Path(DATA_HOME) / "verified-guide"
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
DEFAULT_URL = f"sqlite:///{DATA_DIR / 'guide.sqlite3'}"


def database_from_url(url):
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path[1:])}
    if parts.scheme not in {"postgresql", "postgresql+psycopg"}:
        raise ValueError(f"GUIDE_DATABASE_URL: unsupported scheme {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",  # psycopg 3
        "NAME": unquote(parts.path[1:]),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": {
            # The URL's parameters reach libpq as they do from SQLAlchemy: dropping
            # ?sslmode=verify-full would leave libpq's default, which accepts no TLS at all.
            **dict(parse_qsl(parts.query, strict_parsing=bool(parts.query))),
            # Django's own psycopg_pool integration: connections are reused across requests
            # (it replaces CONN_MAX_AGE, which must stay 0 with a pool).
            "pool": {"min_size": 1, "max_size": 10, "timeout": 10},
        },
    }


DATABASES = {"default": database_from_url(os.environ.get("GUIDE_DATABASE_URL", DEFAULT_URL))}
