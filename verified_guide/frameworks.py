"""The framework registry: ``verified_guide/frameworks.yaml`` read once, typed and checked.

A framework is defined here and nowhere else: its id and title, the interfaces its demo app is
served over, the servers that run it, how the tests and the in-browser runner send it a request,
and the packages that make it. The topics' schemas, the demo servers, the benchmark, the claims
and the live bundle all derive their lists from :data:`REGISTRY`, so a fourth framework is an
entry in the YAML file plus its own files (CONTRIBUTING.md, "Add a framework"), and a test
(``tests/test_framework_registry.py``) fails when a module lists the frameworks by hand again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from verified_guide.datafiles import Strict, display, load_model

REGISTRY_FILE = Path(__file__).resolve().parent / "frameworks.yaml"

Interface = Literal["asgi", "wsgi"]
ServerName = Literal["uvicorn", "gunicorn", "granian"]
#: The interfaces each production server speaks (verified_guide/servers.py has their commands).
SERVER_INTERFACES: dict[str, frozenset[str]] = {
    "uvicorn": frozenset({"asgi"}),
    "gunicorn": frozenset({"wsgi"}),
    "granian": frozenset({"asgi", "wsgi"}),
}
#: ``module:attribute`` (or ``module:call()``) that a server imports.
Target = str


class FrameworkRegistryError(Exception):
    """frameworks.yaml is malformed; the message names the key and the fix."""


class ServerSpec(Strict):
    """One production server a framework's demo app (and its benchmark) runs on."""

    server: ServerName
    interface: Interface
    #: One of the servers the article names: the benchmark's worker sweep runs on these.
    in_article: bool = False
    #: Shown beside the framework in benchmark tables ("async view"); empty when there is one way.
    bench_variant: str = ""
    #: The benchmark's cases for this server start with this ("async json" for Django's ASGI).
    bench_case_prefix: str = ""
    #: gunicorn only: its threaded worker (gthread) with this many threads per process, instead
    #: of its sync worker, which serves one connection at a time (0).
    threads: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _speaks(self) -> ServerSpec:
        if self.interface not in SERVER_INTERFACES[self.server]:
            speaks = ", ".join(sorted(SERVER_INTERFACES[self.server]))
            raise ValueError(f"{self.server} serves {speaks}, not {self.interface}")
        if self.threads and self.server != "gunicorn":
            raise ValueError(f"threads: gunicorn's threaded worker only, not {self.server}")
        return self


class HelloSpec(Strict):
    """How the costs table imports and serves the framework's "hello" app, when the defaults
    (``import snippets.hello.<id>``, ``snippets.hello.<id>:app``) do not do."""

    import_code: str
    target: Target
    env: dict[str, str] = {}


class FrameworkSpec(Strict):
    """One framework, as ``frameworks.yaml`` declares it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9]*$")  # a module name, and the snippet file's stem
    title: str
    packages: list[str] = Field(min_length=1)
    demo_app: dict[Interface, Target] = Field(min_length=1)
    servers: list[ServerSpec] = Field(min_length=1)
    #: Where the demo app's socket conversations are held when none of ``servers`` can keep a
    #: connection open beside the others (``<id>-<server>-threads``; tests/test_demo_servers.py).
    socket_server: ServerSpec | None = None
    bench_app: dict[Interface, Target] = {}
    bench_env: dict[str, str] = {}
    hello: HelloSpec | None = None
    #: The adapter tests/support/clients.py sends in-process requests through.
    test_client: str
    #: The adapter verified_guide/live/runner.py sends requests through, in the browser and in
    #: CPython.
    browser: str

    @model_validator(mode="after")
    def _served(self) -> FrameworkSpec:
        for spec in [*self.servers, *([self.socket_server] if self.socket_server else [])]:
            if spec.interface not in self.demo_app:
                raise ValueError(f"server {spec.server} needs demo_app.{spec.interface}")
            if self.bench_app and spec.interface not in self.bench_app:
                raise ValueError(f"server {spec.server} needs bench_app.{spec.interface}")
        return self

    @property
    def interfaces(self) -> tuple[str, ...]:
        return tuple(self.demo_app)

    def server_id(self, spec: ServerSpec) -> str:
        """``django-gunicorn``: how tests, results and pages name the framework on a server
        (``flask-gunicorn-threads`` on gunicorn's threaded worker)."""
        return f"{self.id}-{spec.server}" + ("-threads" if spec.threads else "")

    @property
    def hello_import(self) -> str:
        return self.hello.import_code if self.hello else f"import snippets.hello.{self.id}"

    @property
    def hello_target(self) -> Target:
        return self.hello.target if self.hello else f"snippets.hello.{self.id}:app"

    @property
    def hello_env(self) -> dict[str, str]:
        return dict(self.hello.env) if self.hello else {}


class RegistryFile(Strict):
    frameworks: list[FrameworkSpec] = Field(min_length=1)


@dataclass(frozen=True)
class DemoServer:
    """A framework's demo app on one of its servers: ``fastapi-uvicorn``."""

    name: str
    framework: FrameworkSpec
    spec: ServerSpec

    @property
    def target(self) -> Target:
        return self.framework.demo_app[self.spec.interface]


@dataclass(frozen=True)
class Registry:
    """Every framework in display order, with the lookups the rest of the code needs."""

    frameworks: tuple[FrameworkSpec, ...]

    @cached_property
    def ids(self) -> tuple[str, ...]:
        return tuple(fw.id for fw in self.frameworks)

    @cached_property
    def titles(self) -> dict[str, str]:
        return {fw.id: fw.title for fw in self.frameworks}

    def get(self, framework: str) -> FrameworkSpec:
        for spec in self.frameworks:
            if spec.id == framework:
                return spec
        raise FrameworkRegistryError(
            f"{display(REGISTRY_FILE)}: no framework {framework!r} (known: {', '.join(self.ids)})"
        )

    @cached_property
    def demo_servers(self) -> tuple[DemoServer, ...]:
        """Every framework on every one of its servers, in registry order."""
        return tuple(
            DemoServer(fw.server_id(spec), fw, spec)
            for fw in self.frameworks
            for spec in fw.servers
        )

    @cached_property
    def socket_servers(self) -> tuple[DemoServer, ...]:
        """The demo apps whose sockets are held on a server of their own (``socket_server``)."""
        return tuple(
            DemoServer(fw.server_id(fw.socket_server), fw, fw.socket_server)
            for fw in self.frameworks
            if fw.socket_server
        )

    def server(self, name: str) -> DemoServer:
        """The demo server called ``name`` (``django-uvicorn``), naming the known ones if none."""
        for server in (*self.demo_servers, *self.socket_servers):
            if server.name == name:
                return server
        known = ", ".join(s.name for s in (*self.demo_servers, *self.socket_servers))
        raise FrameworkRegistryError(f"no demo server {name!r} (known: {known})")

    def first_servers(self) -> tuple[DemoServer, ...]:
        """Each framework's default server (the first it lists)."""
        return tuple(
            next(s for s in self.demo_servers if s.framework is fw) for fw in self.frameworks
        )

    def browser_data(self) -> dict[str, dict[str, str]]:
        """What the in-browser runner needs, as JSON: each framework's adapter and title."""
        return {fw.id: {"adapter": fw.browser, "title": fw.title} for fw in self.frameworks}


def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    """The registry in ``path``; ids must be unique."""
    data: RegistryFile = load_model(path, RegistryFile, FrameworkRegistryError)
    ids = [fw.id for fw in data.frameworks]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise FrameworkRegistryError(f"{display(path)}: framework ids must be unique: {duplicates}")
    return Registry(tuple(data.frameworks))


#: The registry of this checkout.
REGISTRY = load_registry()
FRAMEWORKS: tuple[str, ...] = REGISTRY.ids
FRAMEWORK_TITLES: dict[str, str] = REGISTRY.titles
