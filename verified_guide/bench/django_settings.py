"""Settings for serving Django's bench snippet alone: what `startproject` gives, nothing more.

The demo project (demo_apps/django_app) adds the middleware its topics need (ADDED_BY_TOPICS in
its config/middleware.py) and every topic's apps;
the benchmark's main figures are for the snippet as a reader would deploy it, so this module
keeps `startproject`'s seven middleware and its contrib apps, plus the app that owns the
benchmark's model. The database comes from GUIDE_DATABASE_URL, as for the other frameworks.
"""

import os
from urllib.parse import unquote, urlsplit

from demo_apps.django_app.config.middleware import STARTPROJECT_MIDDLEWARE

SECRET_KEY = "benchmark-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "snippets.bench.django"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "demo_apps.django_app.guide",  # owns snippets/bench/django_models.py's BenchRow
]
# startproject's middleware, in its order (one list, which a test compares with Django's template).
MIDDLEWARE = list(STARTPROJECT_MIDDLEWARE)
if os.environ.get("GUIDE_DJANGO_MIDDLEWARE") == "none":
    MIDDLEWARE = []  # the "no middleware" variant, labelled as such on the results page
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _database(url: str) -> dict:
    """Django's DATABASES entry for the SQLAlchemy URL the other frameworks read."""
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        # psycopg 3's connection pool (Django 5.1+), the way to reuse connections under both
        # WSGI and ASGI; SQLAlchemy's engine pools connections for FastAPI and Flask.
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parts.path.lstrip("/"),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": {"pool": True},
        }
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": url.removeprefix("sqlite:///")}


DATABASES = {"default": _database(os.environ.get("GUIDE_DATABASE_URL", "sqlite:///:memory:"))}
