"""The table of what is measured, as data: adding a configuration or an endpoint is a few lines.

A configuration is one app (framework) on one server; a cell is a configuration x endpoint x
concurrency. The runner (runner.py) measures every cell of a suite; nothing else lists them.
"""

from dataclasses import dataclass, field

from scripts.secret_env import throwaway_secrets
from scripts.servers import (
    DJANGO_ASGI,
    DJANGO_WSGI,
    FASTAPI_APP,
    FLASK_APP,
    GRANIAN_ASGI,
    GRANIAN_WSGI,
    GUNICORN,
    UVICORN,
    Server,
)

# Endpoint names, also the keys of the result files and of the site's tables.
PLAINTEXT, JSON, PARAMS, POST, DB, TEMPLATE, IO = (
    "plaintext",
    "json",
    "params",
    "post",
    "db",
    "template",
    "io",
)
FRAMEWORK_ENDPOINTS = (PLAINTEXT, JSON, PARAMS, POST, DB, TEMPLATE, IO)
RAW_ENDPOINTS = (PLAINTEXT, JSON)


@dataclass(frozen=True)
class Endpoint:
    """One request shape: what wrk sends and what a correct answer looks like."""

    name: str
    path: str  # relative to the configuration's prefix; {id} is replaced by a random row id
    content_type: str
    body_contains: str
    method: str = "GET"
    body: str | None = None
    status: int = 200


ENDPOINTS = {
    e.name: e
    for e in (
        Endpoint(PLAINTEXT, "/plaintext", "text/plain", "Hello, World!"),
        Endpoint(JSON, "/json", "application/json", '"message"'),
        Endpoint(PARAMS, "/items/42?q=hello", "application/json", '"item_id"'),
        Endpoint(
            POST,
            "/items",
            "application/json",
            '"price"',
            method="POST",
            status=201,
            body='{"name": "Widget", "price": 9.5, "description": "A small widget"}',
        ),
        Endpoint(DB, "/db/{id}", "application/json", '"title"'),
        Endpoint(TEMPLATE, "/template", "text/html", "&lt;script&gt;"),
        Endpoint(IO, "/io", "application/json", '"waited_ms"'),
    )
}


@dataclass(frozen=True)
class Configuration:
    """One app on one server, with the endpoints it is measured on."""

    id: str
    framework: str  # fastapi, django, flask, or raw (no framework: the server's ceiling)
    server: Server
    target: str  # module:attribute the server imports
    prefix: str  # where the bench topic is mounted in that app
    endpoints: tuple[str, ...] = FRAMEWORK_ENDPOINTS
    variant: str = ""  # e.g. "async view" or "no middleware": shown next to the framework
    env: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        name = {"fastapi": "FastAPI", "django": "Django", "flask": "Flask"}.get(
            self.framework, f"raw {self.server.interface.upper()}"
        )
        return f"{name} ({self.variant})" if self.variant else name


RAW_ASGI = "scripts.bench.raw_apps:asgi_app"
RAW_WSGI = "scripts.bench.raw_apps:wsgi_app"

CONFIGURATIONS = {
    c.id: c
    for c in (
        Configuration("fastapi-uvicorn", "fastapi", UVICORN, FASTAPI_APP, "/bench"),
        Configuration("fastapi-granian", "fastapi", GRANIAN_ASGI, FASTAPI_APP, "/bench"),
        Configuration(
            "django-gunicorn", "django", GUNICORN, DJANGO_WSGI, "/bench", variant="sync view"
        ),
        Configuration(
            "django-uvicorn", "django", UVICORN, DJANGO_ASGI, "/bench/async", variant="async view"
        ),
        Configuration(
            "django-gunicorn-bare",
            "django",
            GUNICORN,
            DJANGO_WSGI,
            "/bench",
            endpoints=RAW_ENDPOINTS,
            variant="sync view, no middleware",
            env={"GUIDE_DJANGO_MIDDLEWARE": "none"},
        ),
        Configuration(
            "django-uvicorn-bare",
            "django",
            UVICORN,
            DJANGO_ASGI,
            "/bench/async",
            endpoints=RAW_ENDPOINTS,
            variant="async view, no middleware",
            env={"GUIDE_DJANGO_MIDDLEWARE": "none"},
        ),
        Configuration("flask-gunicorn", "flask", GUNICORN, FLASK_APP, "/bench"),
        Configuration("flask-granian", "flask", GRANIAN_WSGI, FLASK_APP, "/bench"),
        Configuration("raw-asgi-uvicorn", "raw", UVICORN, RAW_ASGI, "", RAW_ENDPOINTS),
        Configuration("raw-asgi-granian", "raw", GRANIAN_ASGI, RAW_ASGI, "", RAW_ENDPOINTS),
        Configuration("raw-wsgi-gunicorn", "raw", GUNICORN, RAW_WSGI, "", RAW_ENDPOINTS),
        Configuration("raw-wsgi-granian", "raw", GRANIAN_WSGI, RAW_WSGI, "", RAW_ENDPOINTS),
    )
}


@dataclass(frozen=True)
class Suite:
    """How much to measure: which configurations and endpoints, how long, how often."""

    configurations: tuple[str, ...]
    endpoints: tuple[str, ...]
    concurrency: int = 64  # the main tables
    sweep: tuple[int, ...] = (16, 64, 256)  # the concurrency sweep ...
    sweep_endpoints: tuple[str, ...] = (JSON, IO)  # ... for these endpoints
    duration_s: float = 5.0
    warmup_s: float = 2.0
    runs: int = 3
    costs: bool = True


FULL = Suite(tuple(CONFIGURATIONS), FRAMEWORK_ENDPOINTS)
SMOKE = Suite(
    ("fastapi-uvicorn", "flask-gunicorn"),
    (JSON, IO),
    sweep=(16, 64),
    sweep_endpoints=(IO,),
    duration_s=1.0,
    warmup_s=0.5,
    costs=False,
)

# Database and environment every server gets: production flags, as the guide recommends, and
# random secrets (the apps refuse to start without them).
SERVER_ENV = {
    **throwaway_secrets(),
    "GUIDE_DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "demo_apps.django_app.config.settings",
    "PYTHONUNBUFFERED": "1",
}
