"""The table of what is measured, as data: adding a configuration or an endpoint is a few lines.

A configuration is one app (framework) on one server; a cell is a configuration x endpoint x
concurrency x workers x database. Cells that share a database and a worker count form a
*group*: their servers run side by side and are measured in interleaved rounds (runner.py).
What each endpoint must answer is not written here: it is the case of the same name in
``snippets/bench/cases.yaml``, the file the framework tests also read.
"""

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cache

from verified_guide.frameworks import FRAMEWORK_TITLES, REGISTRY
from verified_guide.secret_env import throwaway_secrets
from verified_guide.servers import GRANIAN_ASGI, GRANIAN_WSGI, GUNICORN, UVICORN, Server, server_of
from verified_guide.topics import Case, get_topic

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
SQLITE, POSTGRESQL = "sqlite", "postgresql"
#: How pages and verdicts name each database.
DATABASE_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


@dataclass(frozen=True)
class Endpoint:
    """One request shape: the case in snippets/bench/cases.yaml it sends and checks."""

    name: str
    case: str
    # What wrk requests when it differs from the case's path: {id} becomes a random row id,
    # so the database endpoint reads a different row each time.
    load_path: str | None = None


ENDPOINTS = {
    e.name: e
    for e in (
        Endpoint(PLAINTEXT, "plaintext"),
        Endpoint(JSON, "json"),
        Endpoint(PARAMS, "path and query parameters"),
        Endpoint(POST, "validated post"),
        Endpoint(DB, "database row by id", load_path="/db/{id}"),
        Endpoint(TEMPLATE, "template escapes its items"),
        Endpoint(IO, "simulated io"),
    )
}


@dataclass(frozen=True)
class Request:
    """What wrk sends for one cell, and the case whose answer is checked first."""

    method: str
    path: str  # may hold {id}
    body: str | None
    case: Case
    framework: str


@cache
def bench_cases() -> dict[str, Case]:
    return {case.name: case for case in get_topic("bench").cases}


def endpoint_title(endpoint: str) -> str:
    """``GET /db/{id}``: what wrk requests on an endpoint, for tables and sentences."""
    sent = bench_cases()[ENDPOINTS[endpoint].case].request
    return f"{sent['method']} {ENDPOINTS[endpoint].load_path or sent['path']}"


@dataclass(frozen=True)
class Configuration:
    """One app on one server, with the endpoints it is measured on."""

    id: str
    framework: (
        str  # a framework's id (verified_guide/frameworks.yaml), or raw (the server's ceiling)
    )
    server: Server
    target: str  # module:attribute the server imports
    prefix: str = ""  # where the bench snippet is mounted in that app ("" when served alone)
    endpoints: tuple[str, ...] = FRAMEWORK_ENDPOINTS
    variant: str = ""  # e.g. "async view" or "no middleware": shown next to the framework
    env: dict[str, str] = field(default_factory=dict)
    case_prefix: str = ""  # Django's async views have cases of their own: "async json"
    standalone: bool = True  # the snippet served as its own app, as the page shows it

    @property
    def label(self) -> str:
        name = FRAMEWORK_TITLES.get(self.framework, f"raw {self.server.interface.upper()}")
        return f"{name} ({self.variant})" if self.variant else name

    def request(self, endpoint: str) -> Request:
        """The request of one endpoint, from its case (the same one the framework tests use)."""
        spec = ENDPOINTS[endpoint]
        case = bench_cases()[self.case_prefix + spec.case]
        framework = self.framework if self.framework in case.frameworks else case.frameworks[0]
        sent = case.request
        body = json.dumps(sent["json"]) if "json" in sent else sent.get("body")
        path = spec.load_path or sent["path"]
        if self.case_prefix and spec.load_path:
            path = "/" + self.case_prefix.strip() + path
        return Request(sent["method"], self.prefix + path, body, case, framework)


#: The demo servers of the frameworks that have a bench snippet (``bench_app`` in the registry).
BENCHED = tuple(demo for demo in REGISTRY.demo_servers if demo.framework.bench_app)
RAW_ASGI = "verified_guide.bench.raw_apps:asgi_app"
RAW_WSGI = "verified_guide.bench.raw_apps:wsgi_app"
BARE = {"GUIDE_DJANGO_MIDDLEWARE": "none"}


def _framework_configurations() -> list[Configuration]:
    """Each framework's bench snippet served alone (as benchmarks/code.md shows it) on each of
    its servers, and Django's also without middleware, then each framework's demo app on its
    default server with the bench snippet mounted in it: what the mount itself costs (FastAPI's
    app.mount, Flask's DispatcherMiddleware, Django's include() with the demo's middleware)."""
    alone, mounted = [], []
    for demo in BENCHED:
        fw, spec = demo.framework, demo.spec
        configuration = Configuration(
            demo.name,
            fw.id,
            server_of(spec),
            fw.bench_app[spec.interface],
            variant=spec.bench_variant,
            env=dict(fw.bench_env),
            case_prefix=spec.bench_case_prefix,
        )
        alone.append(configuration)
    for demo in REGISTRY.first_servers():
        if not demo.framework.bench_app:
            continue
        variant = ", ".join(filter(None, [demo.spec.bench_variant, "mounted in the demo app"]))
        mounted.append(
            Configuration(
                f"{demo.name}-mounted",
                demo.framework.id,
                server_of(demo.spec),
                demo.target,
                "/bench",
                RAW_ENDPOINTS,
                variant=variant,
                standalone=False,
            )
        )
    return [*alone, *_django_bare(alone), *mounted]


def _django_bare(alone: list[Configuration]) -> list[Configuration]:
    """Django's snippet with ``MIDDLEWARE = []``: what startproject's middleware costs."""
    return [
        dataclasses.replace(
            c,
            id=f"{c.id}-bare",
            endpoints=RAW_ENDPOINTS,
            variant=f"{c.variant}, no middleware",
            env={**c.env, **BARE},
        )
        for c in alone
        if c.framework == "django"
    ]


CONFIGURATIONS = {
    c.id: c
    for c in (
        *_framework_configurations(),
        Configuration("raw-asgi-uvicorn", "raw", UVICORN, RAW_ASGI, "", RAW_ENDPOINTS),
        Configuration("raw-asgi-granian", "raw", GRANIAN_ASGI, RAW_ASGI, "", RAW_ENDPOINTS),
        Configuration("raw-wsgi-gunicorn", "raw", GUNICORN, RAW_WSGI, "", RAW_ENDPOINTS),
        Configuration("raw-wsgi-granian", "raw", GRANIAN_WSGI, RAW_WSGI, "", RAW_ENDPOINTS),
    )
}
#: Every framework on every one of its servers, the snippet alone: the main table.
FRAMEWORK_CONFIGURATIONS = tuple(demo.name for demo in BENCHED)
#: No middleware, or mounted in the demo apps: labelled as such wherever they are shown.
LABELLED_EXTRAS = tuple(
    c.id for c in CONFIGURATIONS.values() if c.id.endswith(("-bare", "-mounted"))
)


@dataclass(frozen=True)
class Block:
    """Cells to measure: configurations x endpoints x concurrency levels, on one database
    with one worker count. Blocks that share both are measured as one interleaved group."""

    configurations: tuple[str, ...]
    endpoints: tuple[str, ...]
    concurrency: tuple[int, ...] = (64,)
    workers: int = 1
    database: str = SQLITE


@dataclass(frozen=True)
class Suite:
    """How much to measure: which blocks, how long, how often."""

    blocks: tuple[Block, ...]
    concurrency: int = 64  # the level of the main tables and of the claims
    duration_s: float = 2.0
    warmup_s: float = 1.0
    runs: int = 5
    max_spread: float = 0.10  # a cell whose (max - min) / median exceeds this is re-run
    reruns: int = 1  # at most this many re-runs of a cell; the first is always made
    # Re-runs after a cell's first are made only while the run keeps to this many seconds
    # pro rata (the share of the suite's cells already measured), so a noisy day costs
    # time the budget has, not an open-ended wait (``make bench`` must end within 45 minutes).
    rerun_budget_s: float | None = None
    costs: bool = True
    # At most this many seconds of waiting, once a group's servers have started, for the
    # machine to go idle before the first run (``wait_until_quiet`` in scripts/bench/runner.py).
    settle_limit_s: float = 30.0

    @property
    def databases(self) -> set[str]:
        return {b.database for b in self.blocks}


# The servers the article names (``in_article`` in the registry), for the worker sweep.
ARTICLE_CONFIGURATIONS = tuple(d.name for d in BENCHED if d.spec.in_article)
FULL = Suite(
    (
        # The main table: every snippet alone, on one worker, SQLite.
        Block(FRAMEWORK_CONFIGURATIONS, FRAMEWORK_ENDPOINTS),
        # The ceilings, and the labelled extras: no middleware, mounted in the demo apps.
        Block(
            ("raw-asgi-uvicorn", "raw-asgi-granian", "raw-wsgi-gunicorn", "raw-wsgi-granian"),
            RAW_ENDPOINTS,
        ),
        Block(LABELLED_EXTRAS, (JSON,)),
        # The concurrency sweep (64 is in the main table).
        Block(FRAMEWORK_CONFIGURATIONS, (JSON, IO), (256,)),
        # The database endpoint on PostgreSQL (JSON beside it, for the db-bound ratio).
        Block(FRAMEWORK_CONFIGURATIONS, (JSON, DB), database=POSTGRESQL),
        # The worker sweep, on the article's servers.
        Block(ARTICLE_CONFIGURATIONS, (JSON, DB, IO), workers=2),
        Block(ARTICLE_CONFIGURATIONS, (JSON, DB), workers=2, database=POSTGRESQL),
        Block(ARTICLE_CONFIGURATIONS, (JSON, IO), workers=4),
    ),
    # Measured on this 2-core VM (2026-11-30): with a 1 s warm-up, a cell's first rounds often
    # ran 5-20 % below its later ones, and one re-run left 22 of 107 cells above the spread
    # limit, most of them for a single slow run.
    warmup_s=2.0,
    reruns=3,
    rerun_budget_s=40 * 60,
)
# Two configurations at two concurrency levels: a comparison set and a sweep, end to end, in
# four cells (the full suite covers every endpoint; `make test` runs this alone, so each cell
# is time the whole run waits for).
SMOKE = Suite(
    (Block(("fastapi-uvicorn", "flask-gunicorn"), (JSON,), (16, 64)),),
    duration_s=1.0,
    warmup_s=1.0,
    runs=3,
    reruns=0,
    costs=False,
)

# Environment every server gets: production flags, as the guide recommends, and random
# secrets (the apps refuse to start without them).
SERVER_ENV = {
    **throwaway_secrets(),
    "GUIDE_DEBUG": "0",
    "DJANGO_SETTINGS_MODULE": "demo_apps.django_app.config.settings",
    "PYTHONUNBUFFERED": "1",
}
